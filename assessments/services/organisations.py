"""Writes for accounts, organisations, members and invitations."""

from __future__ import annotations

import datetime as dt
import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext as _

from assessments.models import Distribution, EventKind, Invitation, Membership, Organisation, Role
from assessments.permissions import require_owner, require_same_organisation
from assessments.services.errors import InvitationForSomeoneElse, InvitationInvalid
from assessments.services.log import event_record
from assessments.services.rules import email_clean, organisation_name_clean, role_clean

User = get_user_model()

INVITATION_LIFETIME = dt.timedelta(days=7)
# An invitation mail is tried this often in all, waiting these delays between tries: a mail
# server restarting or briefly unreachable is ridden out within about an hour.
MAIL_ATTEMPTS = 4
MAIL_RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=10), dt.timedelta(minutes=60))
MAX_MAIL_ERROR = 500

logger = logging.getLogger(__name__)


@transaction.atomic
def account_signup(*, username: str, email: str, password: str, organisation_name: str) -> tuple[User, Organisation]:
    """A new user and a new organisation with that user as its owner."""
    user = User.objects.create_user(username=username, email=email, password=password)
    return user, organisation_create_owned(user=user, name=organisation_name)


@transaction.atomic
def organisation_create_owned(*, user, name: str) -> Organisation:
    """A new organisation with ``user`` as its owner (the sign-up form calls this for a new user)."""
    organisation = Organisation.objects.create(name=organisation_name_clean(name))
    Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    return organisation


@transaction.atomic
def demo_account_ensure(
    *, username: str, password: str, email: str, organisation_name: str, role: str = Role.OWNER
) -> tuple[User, Organisation]:
    """Create (or reset) a demo user and make it a member of the demo organisation."""
    user, _created = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.save(update_fields=["password"])
    # Demo addresses count as verified, so that the demo owner can invite people.
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    organisation = Organisation.objects.filter(name=organisation_name).order_by("id").first()
    if organisation is None:
        organisation = Organisation.objects.create(name=organisation_name)
    Membership.objects.update_or_create(organisation=organisation, user=user, defaults={"role": role})
    return user, organisation


@transaction.atomic
def invitation_create(*, membership: Membership, email: str, role: str, base_url: str) -> Invitation:
    """Invite ``email`` to the organisation as ``role``; the mail with the link follows.

    The mail is sent after the commit, by the task worker (``tasks.send_invitation_mail``), so a
    mail server that is down neither undoes the invitation nor fails the request: the outcome
    is recorded on the invitation, and the members page shows the owner a mail that failed.
    ``base_url`` is the site's scheme and host (``https://aigov.example.org``), for the link.
    """
    require_owner(membership)
    if not EmailAddress.objects.filter(user=membership.user, verified=True).exists():
        # An invitation mails someone in the organisation's name: only from a proven address.
        raise ValidationError(
            _(
                "Verify your e-mail address before you invite anyone: open the link we mailed you, "
                "or ask for a new one on your account's e-mail page."
            ),
            code="unverified_email",
        )
    email, role = email_clean(email), role_clean(role)
    invitation = Invitation.objects.create(
        organisation=membership.organisation,
        email=email,
        role=role,
        created_by=membership.user,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    # robust: the invitation is committed by then; a queue that cannot take the task is logged
    # and leaves the mail "not sent yet", with the link on the members page.
    event_record(
        organisation=membership.organisation,
        actor=membership.user,
        kind=EventKind.MEMBER_INVITED,
        detail=f"{email} ({role})",
    )
    # The mail goes out in the inviting owner's language (the one active now): the invitee's is unknown.
    language = get_language() or ""
    transaction.on_commit(lambda: _mail_enqueue(invitation.pk, base_url, attempt=1, language=language), robust=True)
    return invitation


def _mail_enqueue(
    invitation_id: int, base_url: str, *, attempt: int, run_after: dt.datetime | None = None, language: str = ""
) -> None:
    # The task module imports the services it runs, so the services reach it at call time.
    from assessments.tasks import send_invitation_mail

    task = send_invitation_mail.using(run_after=run_after) if run_after else send_invitation_mail
    task.enqueue(invitation_id, base_url, attempt, language)


def _mail_can_wait() -> bool:
    """Whether the task backend can run a task later (the database worker can). The immediate
    backend runs tasks in the request, where waiting for a retry would hold the request."""
    from assessments.tasks import send_invitation_mail

    return send_invitation_mail.get_backend().supports_defer


def invitation_mail_send(*, invitation_id: int, base_url: str, attempt: int = 1, language: str = "") -> str:
    """Send an invitation's mail and record the outcome: "sent", "failed" or "skipped".

    A failed attempt is tried again later, up to ``MAIL_ATTEMPTS`` in all, after the delays in
    ``MAIL_RETRY_DELAYS``, when the task backend can defer a task; otherwise the failure stands
    at once. Either way the owner sees it on the members page, with the link to pass on by hand.
    """
    invitation = Invitation.objects.select_related("organisation", "created_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.mail_sent_at is not None or not invitation_is_open(invitation):
        return "skipped"
    organisation = invitation.organisation.name
    with translation.override(language or settings.LANGUAGE_CODE):
        figures = {
            "inviter": invitation.created_by.username if invitation.created_by else "",
            "organisation": organisation,
            "role": invitation.get_role_display(),
            "link": invitation_link(invitation, base_url),
        }
        subject = gettext("Invitation to %(organisation)s") % figures
        if figures["inviter"]:
            intro = gettext("%(inviter)s invites you to join %(organisation)s with the role %(role)s.") % figures
        else:
            intro = gettext("An owner invites you to join %(organisation)s with the role %(role)s.") % figures
        body = intro + "\n\n" + gettext("Open this link within 7 days: %(link)s") % figures + "\n"
    try:
        send_mail(subject, body, None, [invitation.email])
    except Exception as exc:
        # Whatever went wrong (refused connection, timeout, TLS, a rejected address), the mail
        # did not go: say so on the invitation, keep the traceback in the log, maybe try again.
        logger.warning("Invitation mail %s not sent (attempt %s)", invitation.code, attempt, exc_info=True)
        Invitation.objects.filter(pk=invitation.pk).update(
            mail_error=f"{exc.__class__.__name__}: {exc}"[:MAX_MAIL_ERROR], mail_attempts=attempt
        )
        if attempt < MAIL_ATTEMPTS and _mail_can_wait():
            run_after = timezone.now() + MAIL_RETRY_DELAYS[attempt - 1]
            _mail_enqueue(invitation.pk, base_url, attempt=attempt + 1, run_after=run_after, language=language)
        return "failed"
    Invitation.objects.filter(pk=invitation.pk).update(
        mail_sent_at=timezone.now(), mail_error="", mail_attempts=attempt
    )
    return "sent"


def invitation_mail_retrying(invitation: Invitation) -> bool:
    """Whether a failed mail will be tried again."""
    return bool(invitation.mail_error) and invitation.mail_attempts < MAIL_ATTEMPTS and _mail_can_wait()


def invitation_link(invitation: Invitation, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("invitation", args=[invitation.code])


def invitation_is_open(invitation: Invitation) -> bool:
    return invitation.accepted_at is None and invitation.revoked_at is None and invitation.expires_at > timezone.now()


def invitation_check(invitation: Invitation) -> None:
    if invitation.revoked_at is not None:
        raise InvitationInvalid(gettext("This invitation was revoked."))
    if invitation.accepted_at is not None:
        raise InvitationInvalid(gettext("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(gettext("This invitation has expired."))


def invitation_for_user(invitation: Invitation, user) -> None:
    """Refuse a user other than the one invited: the invitation is bound to its address."""
    if (user.email or "").strip().casefold() != invitation.email.strip().casefold():
        raise InvitationForSomeoneElse(gettext("This invitation was sent to another e-mail address than yours."))


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Use the invitation once, as the user it was sent to. A second use, even a concurrent one,
    and a use after it was revoked are refused."""
    invitation_check(invitation)
    invitation_for_user(invitation, user)
    # The conditional update is the single-use guarantee: only one request can flip it, and
    # not after a revocation (which flips it the other way).
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not used:
        raise InvitationInvalid(gettext("This invitation has already been used or was revoked."))
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    if created:
        event_record(
            organisation=invitation.organisation,
            actor=user,
            kind=EventKind.MEMBER_JOINED,
            detail=f"{user.username} ({membership.role})",
        )
    return membership


@transaction.atomic
def account_signup_invited(*, invitation: Invitation, username: str, password: str) -> tuple[User, Membership]:
    """A new user with the invited address, who joins the inviting organisation: both or
    neither (an invitation used or revoked meanwhile leaves no account behind)."""
    invitation_check(invitation)
    if (
        EmailAddress.objects.filter(email__iexact=invitation.email).exists()
        or User.objects.filter(email__iexact=invitation.email).exists()
    ):
        # Addresses are unique (ACCOUNT_UNIQUE_EMAIL): the invited person has an account already.
        raise InvitationInvalid(_("An account with this address exists already. Sign in to accept the invitation."))
    user = User.objects.create_user(username=username, email=invitation.email, password=password)
    # The invitation link came to this address, so it is verified: no confirmation mail.
    EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
    return user, invitation_accept(invitation=invitation, user=user)


@transaction.atomic
def invitation_revoke(*, membership: Membership, invitation: Invitation) -> Invitation:
    """Close an open invitation, so that its link no longer works."""
    require_owner(membership)
    if invitation.organisation_id != membership.organisation_id:
        raise PermissionDenied(gettext("Not an invitation of this organisation."))
    revoked = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=membership.user
    )
    if not revoked:
        raise InvitationInvalid(gettext("This invitation was already used or revoked."))
    invitation.refresh_from_db()
    event_record(
        organisation=membership.organisation,
        actor=membership.user,
        kind=EventKind.INVITATION_REVOKED,
        detail=invitation.email,
    )
    return invitation


@transaction.atomic
def membership_set_role(*, acting: Membership, target: Membership, role: str) -> Membership:
    require_owner(acting)
    require_same_organisation(acting, target)
    role = role_clean(role)
    if target.role == Role.OWNER and role != Role.OWNER:
        _keep_an_owner(target)
    before = target.role
    target.role = role
    target.save(update_fields=["role"])
    if before != role:
        event_record(
            organisation=acting.organisation,
            actor=acting.user,
            kind=EventKind.ROLE_CHANGED,
            detail=f"{target.user.username}: {before} → {role}",
        )
    return target


@transaction.atomic
def membership_remove(*, acting: Membership, target: Membership) -> None:
    require_owner(acting)
    require_same_organisation(acting, target)
    if target.role == Role.OWNER:
        _keep_an_owner(target)
    event_record(
        organisation=acting.organisation,
        actor=acting.user,
        kind=EventKind.MEMBER_REMOVED,
        detail=f"{target.user.username} ({target.role})",
    )
    target.delete()


def _keep_an_owner(target: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(organisation_id=target.organisation_id, role=Role.OWNER)
        .exclude(pk=target.pk)
    )
    if not others.exists():
        # Bad input, not a missing right: the owner may do this once someone else owns too.
        raise ValidationError(
            gettext("An organisation needs at least one owner. Make someone else an owner first."), code="last_owner"
        )


def organisation_set_distribution(*, acting: Membership, distribution: str) -> Organisation:
    """Set the distribution marking the organisation's reports carry (owners only)."""
    require_owner(acting)
    if distribution not in Distribution.values:
        raise ValidationError(gettext("Choose Confidential, Internal or Public."), code="invalid_distribution")
    organisation = acting.organisation
    organisation.distribution = distribution
    organisation.save(update_fields=["distribution"])
    return organisation
