"""Refusals people can read: the site's own 403, 404, 409 and 429 pages, and the last owner.

Each page keeps the site's layout (the navigation, so nobody is stranded), says why the request
was refused and what to do instead.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Membership, Role
from assessments.services import membership_remove, membership_set_role
from tests.cast import as_user
from tests.factories import approve

LAYOUT = 'class="navbar-brand"'


def _body(response):
    return response.content.decode()


# --- the last owner --------------------------------------------------------------------------


def test_the_service_refuses_to_leave_an_organisation_without_an_owner(cast):
    me = cast.membership(cast.owner)
    with pytest.raises(ValidationError, match="needs at least one owner"):
        membership_set_role(acting=me, target=me, role=Role.EDITOR)
    with pytest.raises(ValidationError, match="needs at least one owner"):
        membership_remove(acting=me, target=me)
    me.refresh_from_db()
    assert me.role == Role.OWNER


@pytest.mark.parametrize("action", ["demote", "remove"])
def test_a_sole_owner_leaving_gets_the_reason_on_the_members_page(client, cast, action):
    me = cast.membership(cast.owner)
    client = as_user(client, cast.owner)
    if action == "demote":
        response = client.post(reverse("member-role", args=[me.code]), {"role": "editor"})
    else:
        response = client.post(reverse("member-remove", args=[me.code]))
    assert response.status_code == 400
    body = _body(response)
    assert "An organisation needs at least one owner." in body
    assert "Make someone else an owner first" in body
    assert f"Members of {cast.organisation.name}" in body  # the members page, not a bare 403
    assert Membership.objects.get(pk=me.pk).role == Role.OWNER


def test_with_a_second_owner_the_first_may_step_down(client, cast):
    Membership.objects.filter(user=cast.editor).update(role=Role.OWNER)
    me = cast.membership(cast.owner)
    response = as_user(client, cast.owner).post(reverse("member-role", args=[me.code]), {"role": "editor"})
    assert response.status_code == 302
    assert Membership.objects.get(pk=me.pk).role == Role.EDITOR


# --- 403 -------------------------------------------------------------------------------------


def test_403_page_says_why_in_the_sites_layout(client, cast, assessment):
    response = as_user(client, cast.editor).get(reverse("assessment-upgrade", args=[assessment.code]))
    assert response.status_code == 403
    body = _body(response)
    assert LAYOUT in body
    assert "Only owners of the organisation may do this." in body  # the PermissionDenied message
    assert "What you can do" in body and "ask an owner" in body.lower()


def test_403_page_of_a_viewer(client, cast, assessment):
    response = as_user(client, cast.viewer).get(reverse("assessment-create"))
    assert response.status_code == 403
    assert "Viewers can read this organisation&#x27;s assessments but not change them." in _body(response)


# --- 404 -------------------------------------------------------------------------------------


def test_404_page_is_friendly_and_reveals_nothing(client, cast, assessment):
    response = as_user(client, cast.outsider).get(reverse("assessment", args=[assessment.code]))
    assert response.status_code == 404
    body = _body(response)
    assert LAYOUT in body and "What you can do" in body
    assert "invite you" in body
    assert assessment.title not in body and str(assessment.code) not in body


def test_404_page_for_an_unknown_address(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert LAYOUT in _body(response) and "Page not found" in _body(response)


# --- 409 -------------------------------------------------------------------------------------


def test_409_page_for_deleting_a_submitted_assessment(client, cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    response = as_user(client, cast.owner).post(
        reverse("assessment-delete", args=[assessment.code]), {"confirm": "yes"}
    )
    assert response.status_code == 409
    body = _body(response)
    assert LAYOUT in body
    assert "An assessment in review or approved is a record and cannot be deleted." in body
    assert reverse("assessment", args=[assessment.code]) in body  # the way back


def test_409_page_for_reopening_a_draft(client, cast, assessment):
    response = as_user(client, cast.owner).post(reverse("assessment-reopen", args=[assessment.code]))
    assert response.status_code == 409
    assert "Only an approved assessment can be reopened or copied." in _body(response)


def test_409_page_for_upgrading_a_submitted_assessment(client, cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    response = as_user(client, cast.owner).get(reverse("assessment-upgrade", args=[assessment.code]))
    assert response.status_code == 409
    assert "keeps the library release it was sent with" in _body(response)


# --- 429 -------------------------------------------------------------------------------------


def test_429_page_for_reports_is_in_the_same_style(client, cast, assessment, settings, monkeypatch):
    settings.REPORT_RATE_LIMIT = 0
    response = as_user(client, cast.owner).get(reverse("report-pdf", args=[assessment.code]))
    assert response.status_code == 429 and response["Retry-After"] == "600"
    body = _body(response)
    assert LAYOUT in body and "What you can do" in body
    assert "Try again in ten minutes" in body
