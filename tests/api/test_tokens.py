"""Personal access tokens: how they authenticate, what they may reach, and their settings page."""

import datetime as dt
import hashlib
import json
import logging
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import AccessToken, Scope
from assessments.models import Membership, Organisation, Role
from assessments.services import assessment_create, membership_remove, membership_set_role
from governance.models import Instrument
from tests.api.conftest import THEME
from tests.api.helpers import api, make_token, url
from tests.assessments.helpers import answers_of, items_in
from tests.cast import as_user


def save_one(client, assessment, token):
    code = items_in(assessment, THEME)[0]
    body = {"answers": [{"item": code, "choice": "yes", "version": 0}]}
    return api(client, "PATCH", url("section-answers", code=assessment.code, theme=THEME), body, token=token)


# --- authentication -------------------------------------------------------------------------


def test_the_token_is_stored_hashed_with_a_visible_prefix(cast):
    raw = make_token(cast.membership(cast.owner))
    token = AccessToken.objects.get()
    assert raw.startswith("aigov_") and len(raw) == 6 + 43
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:14]
    assert raw not in str(AccessToken.objects.values_list())


@pytest.mark.parametrize(
    "header, says",
    [
        ("Bearer aigov_nottherealtoken", "not valid"),
        ("Bearer", "the word Bearer and one token"),
        ("Bearer a b", "the word Bearer and one token"),
        ("Bearer " + "x" * 500, "not valid"),
        ("bearer aigov_ü", "not valid"),
    ],
)
def test_a_bad_token_is_401(client, assessment, header, says):
    response = client.get(url("assessment", code=assessment.code), HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401
    assert says in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_expired_token_is_401(client, cast, assessment):
    raw = make_token(cast.membership(cast.owner))
    AccessToken.objects.update(
        expires_at=timezone.now() - dt.timedelta(seconds=1), created=timezone.now() - dt.timedelta(days=9)
    )
    response = api(client, "GET", url("assessment", code=assessment.code), token=raw)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token expired after ")


def test_a_revoked_token_is_401(client, cast, assessment):
    raw = make_token(cast.membership(cast.owner))
    AccessToken.objects.update(revoked_at=timezone.now())
    response = api(client, "GET", url("assessment", code=assessment.code), token=raw)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_a_disabled_account_is_401(client, cast, assessment):
    raw = make_token(cast.membership(cast.owner))
    cast.owner.is_active = False
    cast.owner.save()
    assert api(client, "GET", url("assessment", code=assessment.code), token=raw).status_code == 401


def test_use_is_logged_and_kept_to_the_minute(client, cast, assessment, caplog):
    raw = make_token(cast.membership(cast.owner))
    with caplog.at_level(logging.INFO, logger="aigov.api"):
        api(client, "GET", url("assessment", code=assessment.code), token=raw)
    token = AccessToken.objects.get()
    assert token.last_used_at is not None
    assert f"api token used: {token.prefix} by olivia: GET /api/v1/assessments/{assessment.code}/" in caplog.text
    first = token.last_used_at
    api(client, "GET", url("assessment", code=assessment.code), token=raw)
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: no write


def test_a_read_only_token_cannot_write(client, cast, assessment):
    raw = make_token(cast.membership(cast.owner), Scope.READ)
    assert api(client, "GET", url("assessment", code=assessment.code), token=raw).status_code == 200
    response = save_one(client, assessment, raw)
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert (
        api(client, "POST", url("action", code=assessment.code, action="send_for_review"), token=raw).status_code == 403
    )
    body = api(client, "GET", url("assessment", code=assessment.code), token=raw).json()
    assert body["actions"][0]["allowed"] is False
    assert not answers_of(assessment)


def test_a_token_reaches_its_own_organisation_only(client, cast, assessment):
    """Olivia also belongs to Globex: her Globex token does not reach Acme, though she does."""
    globex = Organisation.objects.get(name="Globex")
    Membership.objects.create(user=cast.owner, organisation=globex, role=Role.OWNER)
    raw = make_token(Membership.objects.get(user=cast.owner, organisation=globex))
    assert api(client, "GET", url("assessment", code=assessment.code), token=raw).status_code == 404
    assert save_one(client, assessment, raw).status_code == 404
    listing = url("organisation-assessments", organisation=cast.organisation.code)
    assert api(client, "GET", listing, token=raw).status_code == 404
    assert [o["name"] for o in api(client, "GET", url("organisations"), token=raw).json()] == ["Globex"]
    # Her session reaches both.
    as_user(client, cast.owner)
    assert client.get(url("assessment", code=assessment.code)).status_code == 200


def test_a_removed_member_s_token_stops_working(client, cast, assessment):
    raw = make_token(cast.membership(cast.editor))
    membership_remove(acting=cast.membership(cast.owner), target=cast.membership(cast.editor))
    assert api(client, "GET", url("assessment", code=assessment.code), token=raw).status_code == 401
    assert not AccessToken.objects.exists()


def test_a_lower_role_lowers_the_token_at_once(client, cast, assessment):
    raw = make_token(cast.membership(cast.editor))
    membership_set_role(acting=cast.membership(cast.owner), target=cast.membership(cast.editor), role=Role.VIEWER)
    assert api(client, "GET", url("assessment", code=assessment.code), token=raw).status_code == 200
    assert save_one(client, assessment, raw).status_code == 403
    assert not answers_of(assessment)


def test_session_writes_need_the_csrf_token(cast, assessment):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.editor)
    code = items_in(assessment, THEME)[0]
    target = url("section-answers", code=assessment.code, theme=THEME)
    body = json.dumps({"answers": [{"item": code, "choice": "yes", "version": 0}]})
    refused = browser.patch(target, body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert not answers_of(assessment)
    browser.get(reverse("dashboard"))  # sets the CSRF cookie, as the app's pages do
    csrf = browser.cookies["csrftoken"].value
    assert browser.patch(target, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf).status_code == 200
    assert answers_of(assessment)[code][0] == "yes"


def test_token_writes_need_no_csrf_token(cast, assessment):
    raw = make_token(cast.membership(cast.editor))
    assert save_one(Client(enforce_csrf_checks=True), assessment, raw).status_code == 200


# --- the settings page ------------------------------------------------------------------------


def test_the_page_makes_a_token_and_shows_it_once(client, cast, assessment):
    client = as_user(client, cast.editor)
    expires = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(reverse("api:tokens"), {"name": "GRC sync", "scope": "write", "expires_on": expires})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = response.context["raw"]
    assert raw in response.content.decode()
    token = AccessToken.objects.get()
    assert (token.name, token.scope, token.membership) == ("GRC sync", "write", cast.membership(cast.editor))
    assert token.expires_at.date() == timezone.localdate() + dt.timedelta(days=31)
    again = client.get(reverse("api:tokens")).content.decode()
    assert raw not in again and token.prefix in again and "GRC sync" in again
    assert save_one(Client(), assessment, raw).status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "", "scope": "read", "expires_on": "+30"}, "name"),
        ({"name": "x", "scope": "admin", "expires_on": "+30"}, "scope"),
        ({"name": "x", "scope": "read", "expires_on": "+0"}, "expires_on"),
        ({"name": "x", "scope": "read", "expires_on": "+400"}, "expires_on"),
        ({"name": "x", "scope": "read", "expires_on": "tomorrow"}, "expires_on"),
    ],
)
def test_the_page_refuses_bad_input(client, cast, data, field):
    value = data["expires_on"]
    if value.startswith("+"):
        data = {**data, "expires_on": (timezone.localdate() + dt.timedelta(days=int(value[1:]))).isoformat()}
    response = as_user(client, cast.editor).post(reverse("api:tokens"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AccessToken.objects.exists()


def test_a_viewer_may_make_read_only_tokens_only(client, cast):
    client = as_user(client, cast.viewer)
    expires = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(reverse("api:tokens"), {"name": "x", "scope": "write", "expires_on": expires})
    assert response.status_code == 400 and "scope" in response.context["form"].errors
    assert client.post(reverse("api:tokens"), {"name": "x", "scope": "read", "expires_on": expires}).status_code == 200
    assert AccessToken.objects.get().scope == "read"


def test_revoke(client, cast, assessment):
    raw = make_token(cast.membership(cast.editor))
    token = AccessToken.objects.get()
    response = as_user(client, cast.editor).post(reverse("api:token-revoke", args=[token.code]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api(Client(), "GET", url("assessment", code=assessment.code), token=raw).status_code == 401


def test_only_the_tokens_member_may_revoke_it(client, cast):
    make_token(cast.membership(cast.editor))
    token = AccessToken.objects.get()
    for user in (cast.owner, cast.outsider):
        assert as_user(client, user).post(reverse("api:token-revoke", args=[token.code])).status_code == 404
    assert as_user(client, cast.editor).get(reverse("api:token-revoke", args=[token.code])).status_code == 405
    assert as_user(client, cast.editor).post(reverse("api:token-revoke", args=[uuid.uuid4()])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_lists_only_the_members_tokens_of_this_organisation(client, cast):
    make_token(cast.membership(cast.owner), name="Owner's script")
    make_token(cast.membership(cast.editor), name="Editor's script")
    page = as_user(client, cast.editor).get(reverse("api:tokens")).content.decode()
    assert "Editor&#x27;s script" in page and "Owner&#x27;s script" not in page


def test_the_page_needs_a_signed_in_member(client, cast):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    loner = type(cast.owner).objects.create_user("loner", password="x-long-password-1")
    assert as_user(client, loner).get(reverse("api:tokens")).status_code == 404


def test_an_assessment_of_another_org_created_later_stays_out_of_reach(client, cast):
    raw = make_token(Membership.objects.get(user=cast.outsider))
    theirs = assessment_create(
        membership=cast.membership(cast.owner),
        title="Acme only",
        scope="x",
        description="",
        instruments=Instrument.objects.filter(code="SH"),
    )
    assert api(client, "GET", url("assessment", code=theirs.code), token=raw).status_code == 404


def test_staff_see_tokens_in_the_admin_without_their_digest(client, cast):
    make_token(cast.membership(cast.editor), name="Admin-visible")
    token = AccessToken.objects.get()
    staff = type(cast.owner).objects.create_superuser("root", "root@example.org", "x-long-password-1")
    client.force_login(staff)
    listing = client.get(reverse("admin:api_accesstoken_changelist")).content.decode()
    change = client.get(reverse("admin:api_accesstoken_change", args=[token.pk])).content.decode()
    assert "Admin-visible" in listing and token.prefix in change
    assert token.digest not in listing + change
    assert client.get(reverse("admin:api_accesstoken_add")).status_code == 403
