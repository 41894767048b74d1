"""Invitations: mailed after the commit by the task worker, with retries and the outcome shown to
owners; revocable; bound to the invited address; and a sign-up from the link joins the inviting
organisation instead of making one."""

import datetime as dt
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from assessments.models import Invitation, Membership, Organisation, Role
from assessments.services import (
    MAIL_ATTEMPTS,
    InvitationForSomeoneElse,
    InvitationInvalid,
    account_signup_invited,
    invitation_accept,
    invitation_create,
    invitation_mail_send,
    invitation_revoke,
)
from tests.cast import PASSWORD, as_user

User = get_user_model()
EMAIL = "new.hire@example.org"
BASE = "http://testserver"


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = "tests.assessments.test_invitations.DownBackend"


@pytest.fixture
def deferring_tasks(settings):
    """A task backend that can run tasks later, as the database worker can; it only records."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def invite(cast, email=EMAIL, role=Role.EDITOR):
    return invitation_create(membership=cast.membership(cast.owner), email=email, role=role, base_url=BASE)


def link(invitation):
    return reverse("invitation", args=[invitation.code])


# --- the mail --------------------------------------------------------------------------------


def test_the_mail_goes_after_the_commit_and_its_outcome_is_recorded(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_user(client, cast.owner).post(reverse("invite"), {"email": EMAIL, "role": "editor"})
    assert response.status_code == 302
    assert len(callbacks) == 1 and not mail.outbox  # nothing is mailed inside the transaction
    invitation = Invitation.objects.get()
    assert invitation.mail_sent_at is None and invitation.mail_attempts == 0

    callbacks[0]()  # the commit: the task runs (at once, with the immediate backend of the tests)
    invitation.refresh_from_db()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    assert f"{BASE}{link(invitation)}" in mail.outbox[0].body
    assert invitation.mail_sent_at is not None and invitation.mail_error == "" and invitation.mail_attempts == 1
    page = client.get(reverse("members")).content.decode()
    assert "Mail sent" in page


def test_a_real_smtp_server_that_is_down_gives_no_500(client, cast, settings, django_capture_on_commit_callbacks):
    """The defect: the invitation was created, then the request failed with a 500."""
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    client = as_user(client, cast.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invite"), {"email": EMAIL, "role": "editor"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.mail_sent_at is None and "ConnectionRefusedError" in invitation.mail_error

    body = client.get(reverse("members")).content.decode()
    assert "The mail could not be sent." in body  # the invitation's row
    assert f'value="{BASE}{link(invitation)}"' in body  # the link, to pass on by hand


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_the_owner_is_told_at_once(client, cast, mail_down):
    """Outside a test's transaction the commit runs the mail task in the request (immediate
    backend), so the answer to the invitation already says that the mail failed."""
    response = as_user(client, cast.owner).post(reverse("invite"), {"email": EMAIL, "role": "editor"}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "is ready, but its mail could not be sent" in body
    assert f"{BASE}{link(Invitation.objects.get())}" in body


def test_with_the_mail_down_the_owner_sees_the_failure_and_the_link(
    client, cast, mail_down, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(client, cast.owner).post(reverse("invite"), {"email": EMAIL, "role": "editor"})
    invitation = Invitation.objects.get()
    assert invitation.mail_attempts == 1 and invitation.mail_error.startswith("ConnectionRefusedError")
    # session, user, memberships; members with their users; open invitations
    with django_assert_num_queries(5):
        body = client.get(reverse("members")).content.decode()
    assert "The mail could not be sent." in body and "tried again" not in body  # no worker to retry
    assert f"{BASE}{link(invitation)}" in body


def test_a_failed_mail_is_tried_again_later_when_the_backend_can_wait(cast, mail_down, deferring_tasks):
    invitation = invite(cast)
    before = timezone.now()
    assert invitation_mail_send(invitation_id=invitation.pk, base_url=BASE, attempt=1) == "failed"
    [retry] = deferring_tasks.results
    assert retry.task.name == "send_invitation_mail" and retry.args == [
        invitation.pk,
        BASE,
        2,
        "",
    ]  # "": no language was given
    assert before + dt.timedelta(seconds=59) < retry.task.run_after < timezone.now() + dt.timedelta(minutes=2)

    # Each failure waits longer; after MAIL_ATTEMPTS tries it stops.
    for attempt in range(2, MAIL_ATTEMPTS + 1):
        assert invitation_mail_send(invitation_id=invitation.pk, base_url=BASE, attempt=attempt) == "failed"
    assert [r.args[2] for r in deferring_tasks.results] == list(range(2, MAIL_ATTEMPTS + 1))
    delays = [r.task.run_after - r.enqueued_at for r in deferring_tasks.results]
    assert delays == sorted(delays)
    invitation.refresh_from_db()
    assert invitation.mail_attempts == MAIL_ATTEMPTS and invitation.mail_sent_at is None


def test_the_members_page_says_a_failed_mail_will_be_tried_again(client, cast, mail_down, deferring_tasks):
    invitation = invite(cast)
    invitation_mail_send(invitation_id=invitation.pk, base_url=BASE, attempt=1)
    body = as_user(client, cast.owner).get(reverse("members")).content.decode()
    assert "The mail could not be sent; it will be tried again." in body


def test_a_retry_that_gets_through_clears_the_error(cast, mail_down, settings):
    invitation = invite(cast)
    invitation_mail_send(invitation_id=invitation.pk, base_url=BASE, attempt=1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert invitation_mail_send(invitation_id=invitation.pk, base_url=BASE, attempt=2) == "sent"
    invitation.refresh_from_db()
    assert invitation.mail_sent_at and invitation.mail_error == "" and invitation.mail_attempts == 2
    assert len(mail.outbox) == 1
    # A stray second task does not mail twice.
    assert invitation_mail_send(invitation_id=invitation.pk, base_url=BASE, attempt=3) == "skipped"
    assert len(mail.outbox) == 1


def test_no_mail_for_a_revoked_or_vanished_invitation(cast):
    invitation = invite(cast)
    invitation_revoke(membership=cast.membership(cast.owner), invitation=invitation)
    assert invitation_mail_send(invitation_id=invitation.pk, base_url=BASE) == "skipped"
    assert invitation_mail_send(invitation_id=10**9, base_url=BASE) == "skipped"
    assert not mail.outbox


# --- revoking --------------------------------------------------------------------------------


def test_owner_revokes_an_open_invitation(client, cast):
    invitation = invite(cast)
    client = as_user(client, cast.owner)
    assert reverse("invitation-revoke", args=[invitation.code]) in client.get(reverse("members")).content.decode()
    response = client.post(reverse("invitation-revoke", args=[invitation.code]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("members")
    assert "was revoked; its link no longer works" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == cast.owner
    assert EMAIL not in client.get(reverse("members")).content.decode()

    client.logout()
    response = client.get(link(invitation))
    assert response.status_code == 410 and "This invitation was revoked." in response.content.decode()


def test_revoking_twice_or_after_use_says_so(client, cast):
    invitation = invite(cast)
    client = as_user(client, cast.owner)
    client.post(reverse("invitation-revoke", args=[invitation.code]))
    response = client.post(reverse("invitation-revoke", args=[invitation.code]), follow=True)
    assert "already used or revoked" in response.content.decode()

    used = invite(cast, email="used@example.org")
    newcomer = User.objects.create_user("uma", email="used@example.org")
    invitation_accept(invitation=used, user=newcomer)
    with pytest.raises(InvitationInvalid):
        invitation_revoke(membership=cast.membership(cast.owner), invitation=used)
    used.refresh_from_db()
    assert used.revoked_at is None and used.accepted_by == newcomer


def test_a_revoked_invitation_cannot_be_accepted(cast):
    invitation = invite(cast)
    invitation_revoke(membership=cast.membership(cast.owner), invitation=invitation)
    with pytest.raises(InvitationInvalid, match="revoked"):
        invitation_accept(invitation=invitation, user=User.objects.create_user("nia", email=EMAIL))
    assert not Membership.objects.filter(user__username="nia").exists()


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_revoke(client, cast, role):
    invitation = invite(cast)
    assert (
        as_user(client, getattr(cast, role)).post(reverse("invitation-revoke", args=[invitation.code])).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        invitation_revoke(membership=cast.membership(getattr(cast, role)), invitation=invitation)
    assert Invitation.objects.get().revoked_at is None


def test_revoke_is_404_for_outsiders_405_for_get_and_needs_sign_in(client, cast):
    invitation = invite(cast)
    url = reverse("invitation-revoke", args=[invitation.code])
    assert client.post(url).status_code == 302  # to sign-in
    client = as_user(client, cast.outsider)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    with pytest.raises(PermissionDenied):
        invitation_revoke(membership=Membership.objects.get(user=cast.outsider), invitation=invitation)
    assert Invitation.objects.get().revoked_at is None


# --- bound to the invited address ------------------------------------------------------------


def test_a_signed_in_user_with_another_address_is_refused_clearly(client, cast):
    invitation = invite(cast)
    stranger = User.objects.create_user("sam", email="sam@elsewhere.example", password=PASSWORD)
    client = as_user(client, stranger)
    for response in (client.get(link(invitation)), client.post(link(invitation))):
        assert response.status_code == 403
        body = response.content.decode()
        assert "This invitation is for someone else." in body
        assert "n•••@example.org" in body and EMAIL not in body  # recognisable, not harvestable
        assert "sam@elsewhere.example" in body and 'action="/accounts/logout/"' in body
    assert not Membership.objects.filter(user=stranger).exists()
    assert Invitation.objects.get().accepted_at is None
    with pytest.raises(InvitationForSomeoneElse):
        invitation_accept(invitation=invitation, user=stranger)


def test_the_invited_address_joins_whatever_its_case(client, cast):
    invitation = invite(cast, email="New.Hire@Example.org")
    invitee = User.objects.create_user("nina", email="new.hire@example.org ", password=PASSWORD)
    response = as_user(client, invitee).post(link(invitation))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert Membership.objects.get(user=invitee).organisation == cast.organisation


def test_a_user_without_an_address_is_refused(client, cast):
    invitation = invite(cast)
    nobody = User.objects.create_user("nobody", email="")
    assert as_user(client, nobody).post(link(invitation)).status_code == 403
    assert not Membership.objects.filter(user=nobody).exists()


# --- signing up from the link ----------------------------------------------------------------


def signup_data(**overrides):
    return {
        "username": "nina",
        "password1": "correct-horse-battery-9",
        "password2": "correct-horse-battery-9",
        **overrides,
    }


def test_the_invitation_leads_anonymous_visitors_to_sign_up_for_it(client, cast):
    invitation = invite(cast)
    body = client.get(link(invitation)).content.decode()
    assert reverse("invitation-signup", args=[invitation.code]) in body
    assert f"/accounts/login/?next={link(invitation)}" in body


def test_sign_up_from_the_invitation_has_no_organisation_field_and_the_invited_address(client, cast):
    invitation = invite(cast)
    response = client.get(reverse("invitation-signup", args=[invitation.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "organisation_name" not in body
    assert f'value="{EMAIL}"' in body and "disabled" in body
    assert "Join Acme Robotics" in body


def test_sign_up_from_the_invitation_joins_the_inviting_organisation(client, cast):
    invitation = invite(cast, role=Role.VIEWER)
    organisations = Organisation.objects.count()
    response = client.post(
        reverse("invitation-signup", args=[invitation.code]),
        signup_data(email="someone.else@example.org", organisation_name="Throwaway Ltd"),
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = User.objects.get(username="nina")
    assert user.email == EMAIL  # the invited address, whatever was posted
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (cast.organisation, Role.VIEWER)
    assert Organisation.objects.count() == organisations  # no throwaway organisation
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    dashboard = client.get(reverse("dashboard"))  # signed in, working in the inviting organisation
    assert client.session["organisation"] == str(cast.organisation.code)
    assert "Acme Robotics" in dashboard.content.decode()


def test_taken_names_at_the_invited_sign_up_count_per_address(client, cast):
    """The invited sign-up shares the sign-up's limit on taken names, per client address: a
    limit shared by every invitee would let one of them lock all the others out."""
    invitation = invite(cast)
    url = reverse("invitation-signup", args=[invitation.code])
    for _ in range(10):  # SIGNUP_CONFLICTS taken names from one address
        assert (
            client.post(url, signup_data(username=cast.viewer.username), REMOTE_ADDR="203.0.113.5").status_code == 400
        )
    refused = client.post(url, signup_data(), REMOTE_ADDR="203.0.113.5")
    assert "Too many sign-up attempts from your address" in refused.content.decode()
    assert client.post(url, signup_data(), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_bad_sign_up_input_creates_nothing(client, cast):
    invitation = invite(cast)
    response = client.post(reverse("invitation-signup", args=[invitation.code]), signup_data(password2="other-horse-9"))
    assert response.status_code == 400
    assert not User.objects.filter(username="nina").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_failed_acceptance_leaves_no_account(cast, monkeypatch):
    invitation = invite(cast)

    def used_meanwhile(**kwargs):
        raise InvitationInvalid("This invitation has already been used or was revoked.")

    monkeypatch.setattr("assessments.services.organisations.invitation_accept", used_meanwhile)
    with pytest.raises(InvitationInvalid):
        account_signup_invited(invitation=invitation, username="nina", password="correct-horse-battery-9")
    assert not User.objects.filter(username="nina").exists()


def test_sign_up_from_a_used_expired_or_unknown_invitation(client, cast):
    used = invite(cast)
    invitation_accept(invitation=used, user=User.objects.create_user("first", email=EMAIL))
    response = client.post(reverse("invitation-signup", args=[used.code]), signup_data())
    assert response.status_code == 410 and "already been used" in response.content.decode()
    expired = invite(cast, email="late@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("invitation-signup", args=[expired.code])).status_code == 410
    assert client.get(reverse("invitation-signup", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
    assert not User.objects.filter(username="nina").exists()


def test_signed_in_users_are_sent_to_the_invitation_itself(client, cast):
    invitation = invite(cast)
    response = as_user(client, cast.viewer).get(reverse("invitation-signup", args=[invitation.code]))
    assert response.status_code == 302 and response["Location"] == link(invitation)


def test_sign_up_from_the_invitation_refuses_other_methods(client, cast):
    invitation = invite(cast)
    assert client.put(reverse("invitation-signup", args=[invitation.code])).status_code == 405
