"""Members and invitations: owners manage, everyone else is refused, outsiders see nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Invitation, Membership, Role
from tests.cast import as_user


def invite(client, email="new@example.org", role="editor"):
    return client.post(reverse("invite"), {"email": email, "role": role})


def test_members_page_lists_members(client, cast):
    response = as_user(client, cast.viewer).get(reverse("members"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "olivia" in body and "eddie" in body and "oscar" not in body
    assert "Invite someone" not in body


def test_owner_invites_by_email(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes after the commit
        response = invite(as_user(client, cast.owner))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.organisation) == (
        "new@example.org",
        "editor",
        cast.organisation,
    )
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)
    assert len(mail.outbox) == 1
    assert reverse("invitation", args=[invitation.code]) in mail.outbox[0].body


@pytest.mark.parametrize(
    "data", [{"email": "not-an-email", "role": "editor"}, {"email": "a@b.org", "role": "admin"}, {}]
)
def test_bad_invitations_are_refused(client, cast, data):
    response = as_user(client, cast.owner).post(reverse("invite"), data)
    assert response.status_code == 400
    assert not Invitation.objects.exists() and not mail.outbox


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_invite(client, cast, role):
    assert invite(as_user(client, getattr(cast, role))).status_code == 403
    assert not Invitation.objects.exists()


def test_invitation_is_single_use(client, cast, django_user_model):
    invite(as_user(client, cast.owner), role="viewer")
    invitation = Invitation.objects.get()
    newcomer = django_user_model.objects.create_user("nina", email="new@example.org", password="x")
    url = reverse("invitation", args=[invitation.code])

    client = as_user(client, newcomer)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert Membership.objects.get(user=newcomer).role == Role.VIEWER

    second = django_user_model.objects.create_user("ned", email="new@example.org", password="x")
    response = as_user(client, second).post(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not Membership.objects.filter(user=second).exists()


def test_expired_invitation_is_refused(client, cast, django_user_model):
    invite(as_user(client, cast.owner))
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    newcomer = django_user_model.objects.create_user("nina", email="new@example.org", password="x")
    response = as_user(client, newcomer).post(reverse("invitation", args=[Invitation.objects.get().code]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_invitation_asks_anonymous_visitors_to_sign_in_first(client, cast):
    invite(as_user(client, cast.owner))
    client.logout()
    url = reverse("invitation", args=[Invitation.objects.get().code])
    body = client.get(url).content.decode()
    assert f"/accounts/login/?next={url}" in body
    assert client.post(url).status_code == 200  # shows the page, accepts nothing
    assert Invitation.objects.get().accepted_at is None


def test_unknown_invitation_is_404(client, db):
    assert client.get("/invitations/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_owner_changes_a_role(client, cast):
    target = cast.membership(cast.editor)
    response = as_user(client, cast.owner).post(reverse("member-role", args=[target.code]), {"role": "viewer"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.VIEWER


def test_bad_role_changes_nothing(client, cast):
    target = cast.membership(cast.editor)
    as_user(client, cast.owner).post(reverse("member-role", args=[target.code]), {"role": "emperor"})
    target.refresh_from_db()
    assert target.role == Role.EDITOR


def test_the_last_owner_cannot_be_demoted_or_removed(client, cast):
    me = cast.membership(cast.owner)
    client = as_user(client, cast.owner)
    # Refused as bad input, with the reason on the members page (see test_error_pages).
    assert client.post(reverse("member-role", args=[me.code]), {"role": "editor"}).status_code == 400
    assert client.post(reverse("member-remove", args=[me.code])).status_code == 400
    me.refresh_from_db()
    assert me.role == Role.OWNER


def test_owner_removes_a_member(client, cast):
    target = cast.membership(cast.viewer)
    assert as_user(client, cast.owner).post(reverse("member-remove", args=[target.code])).status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_editors_cannot_manage_members(client, cast):
    target = cast.membership(cast.viewer)
    client = as_user(client, cast.editor)
    assert client.post(reverse("member-role", args=[target.code]), {"role": "owner"}).status_code == 403
    assert client.post(reverse("member-remove", args=[target.code])).status_code == 403
    target.refresh_from_db()
    assert target.role == Role.VIEWER


def test_outsiders_cannot_touch_another_organisations_members(client, cast):
    target = cast.membership(cast.editor)
    client = as_user(client, cast.outsider)  # an owner, but of Globex
    assert client.post(reverse("member-role", args=[target.code]), {"role": "viewer"}).status_code == 404
    assert client.post(reverse("member-remove", args=[target.code])).status_code == 404
    assert Membership.objects.get(pk=target.pk).role == Role.EDITOR


def test_wrong_methods_and_anonymous(client, cast):
    target = cast.membership(cast.editor)
    assert client.get(reverse("members")).status_code == 302
    client = as_user(client, cast.owner)
    assert client.get(reverse("invite")).status_code == 405
    assert client.get(reverse("member-role", args=[target.code])).status_code == 405
    assert client.get(reverse("member-remove", args=[target.code])).status_code == 405
