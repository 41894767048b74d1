"""Long lists come in pages of 25: the gaps of the results page and of an instrument's
drill-down, and the dashboard's assessments. A bad page number shows page 1, one past the end
the last page; the page links keep the comparison; the query counts do not grow with the list."""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.paging import PER_PAGE, page_of
from assessments.services import assessment_create
from governance.models import Instrument
from tests.assessments.test_section_queries import big_assessment
from tests.cast import as_user


@pytest.fixture
def many_gaps(cast):
    """60 items, half unanswered: 30 gaps, two pages."""
    return big_assessment(cast, 60)


def gap_codes(response):
    return [gap.item.code for gap in response.context["gaps"]]


# --- the page number --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number"),
    [(None, 1), ("1", 1), ("2", 2), ("3", 3), ("4", 3), ("999999999999999999999", 3), ("0", 1), ("-2", 1)]
    + [("junk", 1), ("", 1), ("2.5", 1), ("१", 1)],
)
def test_page_numbers(raw, number):
    page = page_of(list(range(60)), raw)
    assert page.number == number
    assert list(page) == list(range(60))[(number - 1) * PER_PAGE : number * PER_PAGE]


def test_an_empty_list_has_one_empty_page():
    page = page_of([], "5")
    assert page.number == 1 and list(page) == []


# --- the gaps ---------------------------------------------------------------------------------


def test_results_gaps_first_and_later_page_keep_the_ranking(client, cast, many_gaps):
    client = as_user(client, cast.viewer)
    url = reverse("results", args=[many_gaps.code])
    first = client.get(url)
    ranked = [finding.item.code for finding in first.context["results"].findings]
    assert len(ranked) == 30
    assert gap_codes(first) == ranked[:25]
    second = client.get(url, {"page": "2"})
    assert gap_codes(second) == ranked[25:]
    body = second.content.decode()
    assert "Gaps 26 to 30 of 30." in body
    gaps_section = body[body.index('id="gaps"') :]
    assert ranked[0] not in re.findall(r"#item-([A-Z]+-\d+)", gaps_section)
    assert ranked[25] in re.findall(r"#item-([A-Z]+-\d+)", gaps_section)


@pytest.mark.parametrize(("page", "expected"), [("9", 2), ("junk", 1), ("0", 1), ("-1", 1)])
def test_results_gaps_out_of_range_or_bad_page(client, cast, many_gaps, page, expected):
    response = as_user(client, cast.viewer).get(reverse("results", args=[many_gaps.code]), {"page": page})
    assert response.status_code == 200
    assert response.context["gaps"].number == expected


def test_page_links_keep_the_comparison(client, cast, many_gaps):
    other = assessment_create(
        membership=cast.membership(cast.owner),
        title="Other",
        scope="S",
        description="",
        instruments=many_gaps.instruments.all(),
    )
    response = as_user(client, cast.viewer).get(reverse("results", args=[many_gaps.code]), {"compare": str(other.code)})
    body = response.content.decode()
    assert response.context["other"] == other
    assert f'href="?compare={other.code}&amp;page=2#gaps"' in body


def test_drilldown_gaps_are_the_instruments_and_paged(client, cast, many_gaps):
    client = as_user(client, cast.viewer)
    url = reverse("results-instrument", args=[many_gaps.code, "ZZ"])
    first = client.get(url)
    assert len(gap_codes(first)) == 25
    assert first.context["gaps"].paginator.count == 30
    assert "30 gaps" in first.content.decode()
    last = client.get(url, {"page": "7"})
    assert last.context["gaps"].number == 2 and len(gap_codes(last)) == 5
    assert all("ZZ" in gap.instruments for gap in last.context["gaps"])


def test_drilldown_gaps_leave_out_other_instruments(client, cast, assessment):
    response = as_user(client, cast.viewer).get(reverse("results-instrument", args=[assessment.code, "SH"]))
    everything = response.context["gaps"].paginator.object_list
    assert everything and all("SH" in gap.instruments for gap in everything)
    one = as_user(client, cast.viewer).get(reverse("results", args=[assessment.code]))
    assert len(everything) < one.context["gaps"].paginator.count  # some gaps serve no SH principle


@pytest.mark.parametrize("n_items", [10, 120])
def test_gap_pages_keep_the_query_count(client, cast, django_assert_num_queries, n_items):
    assessment = big_assessment(cast, n_items)
    client = as_user(client, cast.owner)
    # session, user; assessment (with the library's revision), membership; other assessments for
    # the comparison list; the record (a first view: nothing kept yet, assessments/results_cache.py):
    # instruments, principles, links, items, answers, files; the gaps' actions. The gaps are
    # paged in memory.
    with django_assert_num_queries(12):
        client.get(reverse("results", args=[assessment.code]), {"page": "2"})
    # session, user; assessment, membership; the record as above
    with django_assert_num_queries(10):
        client.get(reverse("results-instrument", args=[assessment.code, "ZZ"]), {"page": "2"})


# --- the dashboard ----------------------------------------------------------------------------


def make(cast, n):
    made = [
        assessment_create(
            membership=cast.membership(cast.owner),
            title=f"Assessment {i:02d}",
            scope="S",
            description="",
            instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
        )
        for i in range(n)
    ]
    return made


def titles(response):
    return [row.assessment.title for row in response.context["assessments"]]


def test_dashboard_pages_newest_change_first(client, cast):
    made = make(cast, 30)
    # The oldest-made one changed last: it comes first.
    Assessment.objects.filter(pk=made[0].pk).update(title="Changed last")
    made[0].refresh_from_db()
    made[0].save()
    client = as_user(client, cast.viewer)
    first = client.get(reverse("dashboard"))
    assert titles(first)[0] == "Changed last"
    assert titles(first)[1:3] == ["Assessment 29", "Assessment 28"]
    assert len(titles(first)) == 25
    second = client.get(reverse("dashboard"), {"page": "2"})
    assert titles(second) == [f"Assessment {i:02d}" for i in range(5, 0, -1)]
    assert "Assessments 26 to 30 of 30, newest change first." in second.content.decode()
    assert 'href="?page=1"' in second.content.decode()


@pytest.mark.parametrize(("page", "expected"), [("99", 2), ("x", 1), ("0", 1)])
def test_dashboard_out_of_range_or_bad_page(client, cast, page, expected):
    make(cast, 26)
    response = as_user(client, cast.viewer).get(reverse("dashboard"), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == expected


def test_dashboard_without_assessments_has_no_pager(client, cast):
    response = as_user(client, cast.viewer).get(reverse("dashboard"), {"page": "3"})
    assert response.status_code == 200
    assert 'aria-label="Pages of assessments"' not in response.content.decode()


def test_dashboard_query_count_is_the_same_for_one_page_or_many(client, cast, django_assert_num_queries):
    make(cast, 2)
    client = as_user(client, cast.owner)
    # session, user, memberships; the count of assessments, the page's assessments, their
    # instruments; the drafts' item links and answered items (progress of the page only); the
    # owner's assignments
    with django_assert_num_queries(9):
        client.get(reverse("dashboard"))
    make(cast, 60)
    # The drafts' instruments are the same: their checklist is kept, no item links are read.
    with django_assert_num_queries(8):
        response = client.get(reverse("dashboard"), {"page": "2"})
    assert len(response.context["assessments"]) == 25
    assert response.context["page"].paginator.count == 62


def test_page_links_drop_a_refused_comparison(client, cast, many_gaps):
    response = as_user(client, cast.viewer).get(reverse("results", args=[many_gaps.code]), {"compare": "junk"})
    body = response.content.decode()
    assert response.context["other"] is None
    assert 'href="?page=2#gaps"' in body and "compare=junk" not in body
