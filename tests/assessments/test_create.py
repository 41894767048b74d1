from django.urls import reverse

from assessments.models import Assessment
from governance.models import Instrument, LibraryRelease
from tests.cast import as_user

URL = reverse("assessment-create")


def test_form_defaults_to_the_five_seed_instruments(client, cast):
    response = as_user(client, cast.editor).get(URL)
    assert response.status_code == 200
    initial = {i.code for i in response.context["form"].initial["instruments"]}
    assert initial == {"SH", "CF", "GA", "HL", "IC"}
    assert "全球人工智能治理倡议" in response.content.decode()


def test_editor_creates_an_assessment(client, cast):
    sh, hl = Instrument.objects.get(code="SH"), Instrument.objects.get(code="HL")
    response = as_user(client, cast.editor).post(
        URL, {"title": "Hiring model", "scope": "CV screening", "description": "", "instruments": [sh.pk, hl.pk]}
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessment", args=[assessment.code])
    assert assessment.organisation == cast.organisation
    assert assessment.release == LibraryRelease.objects.get(version="2026.12")
    assert set(assessment.instruments.values_list("code", flat=True)) == {"SH", "HL"}


def test_bad_input_creates_nothing(client, cast):
    client = as_user(client, cast.editor)
    for data in (
        {"title": "", "scope": "x", "instruments": [Instrument.objects.first().pk]},
        {"title": "T", "scope": "x", "instruments": []},
        {"title": "T", "scope": "x", "instruments": ["999999"]},
        {"title": "T", "scope": "x", "instruments": ["not-a-number"]},
        # beyond the database's integers: SQLite raised OverflowError, a 500
        {"title": "T", "scope": "x", "instruments": ["-47901943735279481951587794490545405952"]},
        {"title": "T", "scope": "x", "instruments": [str(2**31), Instrument.objects.first().pk]},
        {"title": "T" * 201, "scope": "x", "instruments": [Instrument.objects.first().pk]},
    ):
        response = client.post(URL, data)
        assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_retired_instruments_are_not_offered(client, cast):
    Instrument.objects.filter(code="IC").update(retired=True)
    ic = Instrument.objects.get(code="IC")
    response = as_user(client, cast.editor).post(URL, {"title": "T", "scope": "S", "instruments": [ic.pk]})
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_viewers_cannot_create(client, cast):
    client = as_user(client, cast.viewer)
    assert client.get(URL).status_code == 403
    sh = Instrument.objects.get(code="SH")
    assert client.post(URL, {"title": "T", "scope": "S", "instruments": [sh.pk]}).status_code == 403
    assert not Assessment.objects.exists()


def test_anonymous_and_wrong_method(client, cast):
    assert client.get(URL).status_code == 302
    assert as_user(client, cast.editor).delete(URL).status_code == 405


def test_a_description_counts_line_breaks_as_one_character(client, cast):
    """The same rule as the service: 5,000 characters as typed, although CRLF makes 5,050 sent.
    Too long a description is a 400 with the rule's message, never a 500 from the service."""
    sh = Instrument.objects.get(code="SH")
    description = ("x" * 99 + "\r\n") * 50
    client = as_user(client, cast.editor)
    response = client.post(URL, {"title": "T", "scope": "S", "description": description, "instruments": [sh.pk]})
    assert response.status_code == 302
    assert Assessment.objects.get().description == description.replace("\r\n", "\n").strip()
    response = client.post(URL, {"title": "T", "scope": "S", "description": "d" * 5001, "instruments": [sh.pk]})
    assert response.status_code == 400
    assert "may be at most 5,000 characters; this one has 5,001" in response.content.decode()
