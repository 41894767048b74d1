"""Rate limits per token, per signed-in user and per anonymous address."""

import pytest
from django.core.cache import cache

from tests.api.helpers import api, make_token, url
from tests.cast import as_user


@pytest.fixture(autouse=True)
def limits(db, settings):
    cache.clear()  # the counts live in the database cache, rolled back after each test
    settings.API_RATE_MEMBER = "3/minute"
    settings.API_RATE_ANONYMOUS = "2/minute"


def test_each_token_has_its_own_budget(client, cast, assessment):
    first, second = make_token(cast.membership(cast.owner)), make_token(cast.membership(cast.owner))
    target = url("assessment", code=assessment.code)
    assert [api(client, "GET", target, token=first).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = api(client, "GET", target, token=first)
    assert "Retry-After" in refused and "throttled" in refused.json()["detail"].lower()
    assert api(client, "GET", target, token=second).status_code == 200


def test_a_session_user_has_a_budget(client, cast, assessment):
    as_user(client, cast.viewer)
    target = url("assessment", code=assessment.code)
    assert [client.get(target).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_anonymous_readers_have_a_budget(client, library):
    assert [client.get(url("themes")).status_code for _ in range(3)] == [200, 200, 429]
