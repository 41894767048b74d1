"""Query counts of the pages whose other tests do not pin one. Each comment lists the queries.

Every page starts with four: the session, the user, and (for an assessment's pages) the
assessment and the user's membership of its organisation; or (for the organisation's pages)
the session, the user and their memberships.
"""

import pytest
from django.urls import reverse

from assessments import results_cache
from assessments.services import assessment_create
from governance.models import Instrument
from tests.cast import as_user
from tests.factories import approve, seed_answers


@pytest.fixture
def answered(cast, assessment):
    seed_answers(assessment, cast.membership(cast.editor), themes=["T04", "T05"])
    return assessment


@pytest.fixture
def other(cast):
    """A second draft of the same organisation, over two of the same instruments."""
    other = assessment_create(
        membership=cast.membership(cast.owner),
        title="Last year",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
    )
    seed_answers(other, cast.membership(cast.owner), themes=["T05"], choice="no")
    return other


def _get(client, url, django_assert_num_queries, count):
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_members_page(client, cast, django_assert_num_queries):
    # session, user, memberships; members with their users; open invitations
    _get(as_user(client, cast.owner), reverse("members"), django_assert_num_queries, 5)


def test_detail_page_of_a_draft_counts_without_loading_items(client, cast, answered, django_assert_num_queries):
    # ... assessment, membership; instruments; items per section, the sections' themes,
    # answered items per section; the current library release; the last return to draft (its reason)
    response = _get(
        as_user(client, cast.viewer), reverse("assessment", args=[answered.code]), django_assert_num_queries, 10
    )
    assert response.context["record"].progress.answered > 0


def test_detail_page_of_a_submitted_assessment_reads_its_snapshot(client, cast, answered, django_assert_num_queries):
    approve(assessment=answered, membership=cast.membership(cast.owner))
    # ... assessment (with its snapshot), membership; the assessment it started from (none)
    _get(as_user(client, cast.viewer), reverse("assessment", args=[answered.code]), django_assert_num_queries, 5)


def test_history_page(client, cast, answered, django_assert_num_queries):
    code = answered.answers.select_related("item").first().item.code
    # ... assessment, membership; the answer with its item, its revisions and their authors; the
    # item as the draft shows it: instruments, item, principles, links, answer, files
    _get(
        as_user(client, cast.viewer),
        reverse("answer-history", args=[answered.code, code]),
        django_assert_num_queries,
        13,
    )


def test_upgrade_preview(client, cast, answered, django_assert_num_queries):
    # ... assessment, membership; the current release; the record (instruments, principles,
    # links, items, answers, files); the items' wording revisions and link revisions with their
    # releases; the codes of the draft's principles; answers off the list
    _get(
        as_user(client, cast.owner), reverse("assessment-upgrade", args=[answered.code]), django_assert_num_queries, 15
    )


def test_import_page(client, cast, django_assert_num_queries):
    # session, user, memberships
    _get(as_user(client, cast.editor), reverse("import"), django_assert_num_queries, 3)


def test_results_page_and_its_comparisons(client, cast, answered, other, django_assert_num_queries):
    client = as_user(client, cast.viewer)
    url = reverse("results", args=[answered.code])
    # ... assessment (with the library's revision), membership; other assessments for the
    # comparison list; the record: instruments, principles, links, items, answers, files; the
    # gaps' actions
    plain = 12
    _get(client, url, django_assert_num_queries, plain)
    # Viewed again, the draft's results are kept (assessments/results_cache.py): no record.
    kept = plain - 6
    _get(client, url, django_assert_num_queries, kept)
    # The other draft's record loads in the same six queries, then it is kept too.
    compared = _get(client, f"{url}?compare={other.code}", django_assert_num_queries, plain)
    assert compared.context["deltas"]["SH"] > 0
    _get(client, f"{url}?compare={other.code}", django_assert_num_queries, kept)
    # With nothing kept, the two drafts load in the same queries as one.
    results_cache.clear()
    _get(client, f"{url}?compare={other.code}", django_assert_num_queries, plain)
    # A submitted one costs one query: its snapshot, which the comparison list defers; it is not kept.
    approve(assessment=other, membership=cast.membership(cast.owner))
    for _ in range(2):
        compared = _get(client, f"{url}?compare={other.code}", django_assert_num_queries, kept + 1)
        assert compared.context["deltas"]["SH"] > 0
