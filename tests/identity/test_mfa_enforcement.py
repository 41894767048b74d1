"""An organisation that requires MFA: its members without an authenticator see nothing of it
until they set one up, on every URL of the isolation sweep and on the organisation's own pages."""

import pytest
from django.urls import reverse

from api.models import Scope
from assessments.models import Membership, Organisation
from tests.api.helpers import bearer, make_token
from tests.cast import as_user
from tests.identity.helpers import totp_for
from tests.security.test_isolation_sweep import COVERED, acme  # noqa: F401  (the sweep's fixture)

# Pages of the organisation that name no object (the sweep's table lists those that do).
ORGANISATION_PAGES = [
    "dashboard",
    "members",
    "assessment-create",
    "import",
    "api:tokens",
]
SETUP = reverse("mfa_activate_totp")


@pytest.fixture
def requiring(cast):
    Organisation.objects.filter(pk=cast.organisation.pk).update(require_mfa=True)


def _urls(acme):  # noqa: F811
    for name, build in COVERED.items():
        for kwargs in build(acme):
            yield name, reverse(name, kwargs=kwargs)
    for name in ORGANISATION_PAGES:
        yield name, reverse(name)


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_members_without_mfa_are_sent_to_set_it_up_on_every_url(client, cast, acme, requiring, who):  # noqa: F811
    client = as_user(client, getattr(cast, who))
    problems = []
    for name, url in _urls(acme):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if url.startswith("/api/"):
                ok = response.status_code == 403 and "two-factor" in response.json()["detail"]
            else:
                ok = response.status_code == 302 and response["Location"] == SETUP
            if not ok:
                problems.append(f"{method.upper()} {url} ({name}): {response.status_code} {response.get('Location')}")
    assert not problems, "reached without MFA:\n" + "\n".join(problems)
    # The home page only sends people on, to the dashboard (which sends them to the set-up).
    assert client.get(reverse("home"))["Location"] == reverse("dashboard")
    # The way out stays open: the set-up itself, and signing out.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("library:instrument-list")).status_code == 200


def test_with_an_authenticator_the_pages_open(client, cast, acme, requiring):  # noqa: F811
    totp_for(cast.editor)
    client = as_user(client, cast.editor)
    for name, url in _urls(acme):
        if name in ("dashboard", "members", "assessment", "results", "api:tokens"):
            assert client.get(url).status_code == 200, url


def test_recovery_codes_alone_are_not_a_second_factor(client, cast, requiring):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(cast.viewer)
    response = as_user(client, cast.viewer).get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"] == SETUP


def test_another_organisation_without_the_requirement_is_not_affected(client, cast, requiring):
    response = as_user(client, cast.outsider).get(reverse("dashboard"))
    assert response.status_code == 200 and "Globex" in response.content.decode()


def test_a_member_of_a_requiring_organisation_needs_mfa_in_all_of_theirs(client, cast, requiring):
    """One check for the person, not per organisation: simpler, and never weaker."""
    Membership.objects.create(user=cast.outsider, organisation=cast.organisation, role="viewer")
    response = as_user(client, cast.outsider).get(reverse("dashboard"))
    assert response["Location"] == SETUP


def test_an_api_token_of_a_member_without_mfa_is_refused(client, cast, assessment, requiring):
    headers = bearer(make_token(cast.membership(cast.editor), Scope.READ))
    response = client.get(reverse("api:assessment", kwargs={"code": assessment.code}), **headers)
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]
    totp_for(cast.editor)
    assert client.get(reverse("api:assessment", kwargs={"code": assessment.code}), **headers).status_code == 200


def test_the_check_costs_no_query(client, cast, requiring, django_assert_num_queries):
    """Loaded with the user (identity/backends.py): session, user, and nothing more."""
    client = as_user(client, cast.viewer)
    with django_assert_num_queries(2):
        client.get(reverse("dashboard"))
