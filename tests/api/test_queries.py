"""Pinned query counts of the main API reads, with a token. Each starts with the same seven:

    1   the token, with its member, user and organisation
    2-7 the rate limit's count in the database cache: read it, count the cache (cull check),
        savepoint, read the row, update it, release

(the token's last use is written at most once a minute, so not on these repeated reads).
"""

import pytest

from assessments.services import assessment_create
from governance.models import Instrument
from tests.api.conftest import THEME
from tests.api.helpers import api, url
from tests.factories import seed_answers

AUTH_AND_LIMIT = 7


@pytest.fixture
def warm(client, tokens):
    """Each test's first request writes the token's last use; later ones only read."""

    def get(target):
        return api(client, "GET", target, token=tokens["owner"])

    return get


@pytest.mark.parametrize("extra", [0, 3])
def test_list_assessments(django_assert_num_queries, cast, assessment, warm, extra):
    owner = cast.membership(cast.owner)
    seed_answers(assessment, owner, themes=[THEME], limit=2)
    for n in range(extra):
        assessment_create(
            membership=owner, title=f"More {n}", scope="s", description="", instruments=Instrument.objects.all()[:2]
        )
    target = url("organisation-assessments", organisation=cast.organisation.code)
    warm(target)
    # + membership, count for the page, the page, its instruments, answered and total per section
    # (the drafts' progress, two aggregates whatever their number)
    with django_assert_num_queries(AUTH_AND_LIMIT + 6):
        response = warm(target)
    assert len(response.json()["results"]) == 1 + extra


def test_read_a_section(django_assert_num_queries, cast, assessment, warm):
    seed_answers(assessment, cast.membership(cast.owner), themes=[THEME], limit=2)
    target = url("section-answers", code=assessment.code, theme=THEME)
    warm(target)
    # + assessment, membership, its instruments, answered and total per section, the sections'
    # themes, principles, item links, items, evidence files, answers
    with django_assert_num_queries(AUTH_AND_LIMIT + 11):
        assert warm(target).status_code == 200


def test_results(django_assert_num_queries, cast, assessment, warm):
    seed_answers(assessment, cast.membership(cast.owner), limit=20)
    target = url("results", code=assessment.code)
    warm(target)
    # + assessment, membership, instruments, principles, item links, items, evidence files,
    # answers; the action plan, which the export carries
    with django_assert_num_queries(AUTH_AND_LIMIT + 9):
        assert warm(target).status_code == 200


def test_read_an_assessment(django_assert_num_queries, cast, assessment, warm):
    target = url("assessment", code=assessment.code)
    warm(target)
    # + assessment, membership, its instruments, answered and total per section, the sections'
    # themes, the instruments
    with django_assert_num_queries(AUTH_AND_LIMIT + 7):
        assert warm(target).status_code == 200
