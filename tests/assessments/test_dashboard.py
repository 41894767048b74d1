from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from assessments.services import assessment_create
from governance.models import Instrument
from tests.assessments.helpers import form_data, items_in, section_url
from tests.cast import as_user

URL = reverse("dashboard")


def make(cast, n):
    for i in range(n):
        assessment_create(
            membership=cast.membership(cast.owner),
            title=f"Assessment {i}",
            scope="S",
            description="",
            instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
        )


def test_dashboard_lists_assessments_with_status_and_progress(client, cast, assessment):
    as_user(client, cast.editor).post(
        section_url(assessment, "T05"),
        form_data(assessment, "T05", **{items_in(assessment, "T05")[0]: {"choice": "yes"}}),
    )
    response = client.get(URL)
    assert response.status_code == 200
    row = response.context["assessments"][0]
    assert row.assessment == assessment
    assert row.progress.answered == 1 and row.progress.total > 40
    assert "Draft" in response.content.decode()


def test_rows_print_the_markup_of_the_status_and_progress_partials(client, cast, assessment):
    """The rows inline assessments/_status.html and _progress.html (an include per row costs too
    much on a page of rows): a draft, one in review and an approved one print the partials' markup."""
    from assessments.services import assessment_send_for_review
    from tests.factories import approve

    owner = cast.membership(cast.owner)
    in_review = assessment_send_for_review(
        assessment=assessment_create(
            membership=owner,
            title="Sent <b>",
            scope="S",
            description="",
            instruments=Instrument.objects.filter(code="SH"),
        ),
        membership=owner,
    )
    approved = approve(
        assessment=assessment_create(
            membership=owner, title="Done", scope="S", description="", instruments=Instrument.objects.filter(code="HL")
        ),
        membership=owner,
    )
    response = as_user(client, cast.viewer).get(URL)
    body = response.content.decode()
    rows = {row.assessment.pk: row for row in response.context["assessments"]}
    for shown in (assessment, in_review, approved):
        row = rows[shown.pk]
        status = render_to_string("assessments/_status.html", {"assessment": shown}).strip()
        progress = render_to_string(
            "assessments/_progress.html", {"percent": row.progress.percent, "label": f"Progress of {shown.title}"}
        ).strip()
        assert status in body and progress in body
        assert escape(f"{row.progress.answered} of {row.progress.total} answered") in body
    assert "complete" in render_to_string("assessments/_progress.html", {"percent": 100})
    assert "Sent &lt;b&gt;" in body and "Sent <b>" not in body


def test_outsiders_see_only_their_own(client, cast, assessment):
    response = as_user(client, cast.outsider).get(URL)
    assert response.context["assessments"] == []
    assert "Chatbot 2026" not in response.content.decode()


def test_query_count_does_not_grow_with_assessments(client, cast, django_assert_num_queries):
    make(cast, 1)
    client = as_user(client, cast.owner)
    # session, user, memberships; the count of assessments (for the pages), the page's
    # assessments (with the library's revision), their instruments, item links, answered items;
    # the owner's assignments
    with django_assert_num_queries(9):
        client.get(URL)
    make(cast, 6)
    # The same instruments' checklist is kept under the library's revision: no item links.
    with django_assert_num_queries(8):
        assert len(client.get(URL).context["assessments"]) == 7


def test_the_kept_checklists_follow_the_library(client, cast, django_assert_num_queries):
    from governance.models import ChecklistItem

    make(cast, 1)
    client = as_user(client, cast.owner)

    def total():
        return client.get(URL).context["assessments"][0].progress.total

    before = total()
    with django_assert_num_queries(8):
        assert total() == before
    # An item leaves the library: a library write, which moves its revision.
    row = client.get(URL).context["assessments"][0]
    item = ChecklistItem.objects.filter(
        active=True, principle_links__principle__instrument__assessments=row.assessment
    ).first()
    item.active = False
    item.save()
    with django_assert_num_queries(9):
        assert total() == before - 1


def test_anonymous_and_wrong_method(client, cast):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    assert as_user(client, cast.owner).post(URL).status_code == 405


def test_switching_organisation(client, cast, assessment):
    from assessments.models import Membership, Role

    Membership.objects.create(user=cast.owner, organisation=cast.other_organisation, role=Role.VIEWER)
    client = as_user(client, cast.owner)
    assert "Globex" in client.get(URL).content.decode()  # the switcher lists both

    response = client.post(reverse("switch-organisation"), {"organisation": str(cast.other_organisation.code)})
    assert response.status_code == 302
    page = client.get(URL)
    assert page.context["membership"].organisation == cast.other_organisation
    assert page.context["assessments"] == []


def test_switching_to_an_organisation_one_is_not_in_is_404(client, cast):
    client = as_user(client, cast.outsider)
    assert client.post(reverse("switch-organisation"), {"organisation": str(cast.organisation.code)}).status_code == 404
    assert client.post(reverse("switch-organisation"), {"organisation": "junk"}).status_code == 404
    assert client.get(reverse("switch-organisation")).status_code == 405
    assert client.get(URL).context["membership"].organisation == cast.other_organisation
