"""The results page, its comparison, and the JSON and CSV exports."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Membership
from assessments.services import assessment_create
from governance.models import ChecklistItem, Instrument
from tests.assessments.test_section_queries import big_assessment
from tests.cast import as_user
from tests.factories import approve, seed_answers


def answer_some(assessment, membership, choice="yes", theme="T05", urls=()):
    return seed_answers(assessment, membership, themes=[theme], choice=choice, evidence=urls)


def test_results_page_for_a_draft_is_provisional(client, cast, assessment):
    answer_some(assessment, cast.membership(cast.owner), urls=["https://e.example/doc"])
    response = as_user(client, cast.viewer).get(reverse("results", args=[assessment.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Provisional" in body
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and 'aria-labelledby="instrument-caption"' in body
    rows = {r.instrument.code: r.score for r in response.context["results"].instrument_rows}
    assert set(rows) == {"SH", "CF", "GA", "HL", "IC"}
    assert rows["SH"].score == 100.0 and rows["SH"].insufficient
    assert reverse("results-instrument", args=[assessment.code, "SH"]) in body
    assert "Recommendation:" in body  # gaps


def test_instrument_drilldown_shows_principles_quotes_and_answers(client, cast, assessment):
    answer_some(assessment, cast.membership(cast.owner))
    response = as_user(client, cast.viewer).get(reverse("results-instrument", args=[assessment.code, "SH"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "人工智能安全发展上海倡议" in body
    assert "6. Transparent regulation" in body and "reviewable, traceable, reputable" in body
    assert "ACC-01" in body and "<strong>Yes</strong>" in body
    codes = [p.principle.code for p in response.context["drill"].principles]
    assert codes == [f"SH-{n}" for n in range(9)]


def test_instrument_drilldown_404s(client, cast, assessment):
    client = as_user(client, cast.owner)
    assert client.get(reverse("results-instrument", args=[assessment.code, "OE"])).status_code == 404
    assert client.post(reverse("results-instrument", args=[assessment.code, "SH"])).status_code == 405
    assert (
        as_user(client, cast.outsider).get(reverse("results-instrument", args=[assessment.code, "SH"])).status_code
        == 404
    )


def test_results_of_a_submitted_assessment_come_from_its_snapshot(client, cast, assessment):
    codes = answer_some(assessment, cast.membership(cast.owner))
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    ChecklistItem.objects.filter(code__in=codes).update(weight=1, question="Changed later?")
    body = as_user(client, cast.owner).get(reverse("results", args=[assessment.code])).content.decode()
    assert "Provisional" not in body
    assert "Changed later?" not in body


def test_comparison_shows_deltas_and_a_second_series(client, cast, assessment):
    owner = cast.membership(cast.owner)
    answer_some(assessment, owner, choice="yes")
    other = assessment_create(
        membership=owner,
        title="Last year",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
    )
    answer_some(other, owner, choice="no")
    response = as_user(client, cast.owner).get(reverse("results", args=[assessment.code]), {"compare": other.code})
    assert response.context["other"] == other
    assert response.context["deltas"]["SH"] == 100.0
    assert "CF" not in response.context["deltas"]  # not covered by the other one
    assert "Compared: Last year" in response.content.decode()


@pytest.mark.parametrize("compare", ["junk", "00000000-0000-0000-0000-000000000000"])
def test_bad_comparison_is_a_message_not_an_error(client, cast, assessment, compare):
    response = as_user(client, cast.owner).get(reverse("results", args=[assessment.code]), {"compare": compare})
    assert response.status_code == 200
    assert response.context["other"] is None
    assert "cannot be compared" in response.content.decode()


def test_comparison_with_another_organisations_assessment_is_refused(client, cast, assessment):
    theirs = assessment_create(
        membership=Membership.objects.get(user=cast.outsider),
        title="Globex secret",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="SH"),
    )
    response = as_user(client, cast.owner).get(reverse("results", args=[assessment.code]), {"compare": theirs.code})
    assert response.context["other"] is None
    assert "Globex secret" not in response.content.decode()


@pytest.mark.parametrize("name", ["results", "export-json", "export-csv"])
def test_outsider_anonymous_and_wrong_method(client, cast, assessment, name):
    url = reverse(name, args=[assessment.code])
    assert client.get(url).status_code == 302
    assert as_user(client, cast.outsider).get(url).status_code == 404
    assert as_user(client, cast.owner).post(url).status_code == 405


@pytest.mark.parametrize("n_items", [10, 200])
def test_results_page_queries_do_not_grow_with_items(client, cast, django_assert_num_queries, n_items):
    assessment = big_assessment(cast, n_items)
    client = as_user(client, cast.owner)
    # session, user; assessment (with the library's revision), membership; other assessments for
    # the comparison list; the record (a first view: nothing kept yet, assessments/results_cache.py):
    # instruments, principles, links, items, answers, files; the gaps' actions
    with django_assert_num_queries(12):
        response = client.get(reverse("results", args=[assessment.code]))
    assert response.status_code == 200
    assert response.context["results"].instrument_rows[0].score.counts["yes"] == (n_items + 1) // 2


def test_json_export_matches_the_command_and_documents_scores(client, cast, assessment, tmp_path):
    answer_some(assessment, cast.membership(cast.owner), urls=["https://e.example/doc"])
    response = as_user(client, cast.viewer).get(reverse("export-json", args=[assessment.code]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acme-robotics-chatbot-2026.json"'
    data = json.loads(response.content)
    assert data["schema"] == "aigov.assessment-export" and data["schema_version"] == 3
    assert data["library_release"] == "2026.12"
    assert data["assessment"]["provisional"] is True
    item = next(i for i in data["items"] if i["code"] == "ACC-01")
    assert item["answer"] == "yes" and item["evidence_urls"] == ["https://e.example/doc"]
    assert {"principle": "SH-6", "instrument": "SH", "relevance": "core"} in item["links"]
    assert set(data["scores"]["instruments"]) == {"SH", "CF", "GA", "HL", "IC"}
    assert {"score", "evidenced", "coverage", "band", "insufficient_answers", "counts"} <= set(
        data["scores"]["instruments"]["SH"]
    )
    assert "SH-6" in data["scores"]["principles"] and "T05" in data["scores"]["themes"]

    out = tmp_path / "export.json"
    call_command("export_assessment", str(assessment.code), "--output", str(out))
    assert out.read_bytes() == response.content


def test_export_command_rejects_bad_ids(db):
    with pytest.raises(CommandError, match="not an assessment id"):
        call_command("export_assessment", "nope")
    with pytest.raises(CommandError, match="No assessment has the id"):
        call_command("export_assessment", "00000000-0000-0000-0000-000000000000")


def test_csv_export_has_a_row_per_item_and_defuses_formulas(client, cast, assessment):
    [code] = seed_answers(
        assessment,
        cast.membership(cast.owner),
        themes=["T05"],
        limit=1,
        choice="partial",
        justification='=HYPERLINK("http://evil")',
    )
    response = as_user(client, cast.owner).get(reverse("export-csv", args=[assessment.code]))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(
        json.loads(as_user(client, cast.owner).get(reverse("export-json", args=[assessment.code])).content)["items"]
    )
    row = next(r for r in rows if r["item"] == code)
    assert row["answer"] == "partial"
    assert row["justification"] == '\'=HYPERLINK("http://evil")'
    assert "SH-6:core" in next(r for r in rows if r["item"] == "ACC-01")["principles"]


def test_results_page_for_every_shipped_instrument_keeps_its_query_count(client, cast, django_assert_num_queries):
    membership = cast.membership(cast.owner)
    everything = assessment_create(
        membership=membership,
        title="All",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(retired=False),
    )
    assert everything.instruments.count() >= 15
    answer_some(everything, membership)
    client = as_user(client, cast.owner)
    with django_assert_num_queries(12):
        response = client.get(reverse("results", args=[everything.code]))
    assert len(response.context["results"].instrument_rows) == everything.instruments.count()
