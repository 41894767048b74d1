"""Writes for accounts, organisations, members and invitations."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Invitation, Membership, Organisation, Role
from assessments.permissions import require_owner, require_same_organisation
from assessments.services.errors import InvitationInvalid
from assessments.services.rules import email_clean, organisation_name_clean, role_clean

User = get_user_model()

INVITATION_LIFETIME = dt.timedelta(days=7)


@transaction.atomic
def account_signup(*, username: str, email: str, password: str, organisation_name: str) -> tuple[User, Organisation]:
    """A new user and a new organisation with that user as its owner."""
    organisation_name = organisation_name_clean(organisation_name)
    user = User.objects.create_user(username=username, email=email, password=password)
    organisation = Organisation.objects.create(name=organisation_name)
    Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    return user, organisation


@transaction.atomic
def demo_account_ensure(
    *, username: str, password: str, email: str, organisation_name: str, role: str = Role.OWNER
) -> tuple[User, Organisation]:
    """Create (or reset) a demo user and make it a member of the demo organisation."""
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.save(update_fields=["password"])
    organisation = Organisation.objects.filter(name=organisation_name).order_by("id").first()
    if organisation is None:
        organisation = Organisation.objects.create(name=organisation_name)
    Membership.objects.update_or_create(organisation=organisation, user=user, defaults={"role": role})
    return user, organisation


def invitation_create(*, membership: Membership, email: str, role: str, base_url: str) -> Invitation:
    """Invite ``email`` to the organisation as ``role`` and mail them the link.

    ``base_url`` is the site's scheme and host (``https://aigov.example.org``), for the link.
    """
    require_owner(membership)
    email, role = email_clean(email), role_clean(role)
    invitation = Invitation.objects.create(
        organisation=membership.organisation,
        email=email,
        role=role,
        created_by=membership.user,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    organisation = membership.organisation.name
    send_mail(
        f"Invitation to {organisation}",
        f"{membership.user.username} invites you to join {organisation} as "
        f"{invitation.get_role_display().lower()}.\n\nOpen this link within 7 days: {invitation_link(invitation, base_url)}\n",
        None,
        [invitation.email],
    )
    return invitation


def invitation_link(invitation: Invitation, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("invitation", args=[invitation.code])


def invitation_check(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationInvalid("This invitation has already been used.")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("This invitation has expired.")


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Use the invitation once. A second use, even a concurrent one, is refused."""
    invitation_check(invitation)
    # The conditional update is the single-use guarantee: only one request can flip it.
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not used:
        raise InvitationInvalid("This invitation has already been used.")
    membership, _ = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    return membership


@transaction.atomic
def membership_set_role(*, acting: Membership, target: Membership, role: str) -> Membership:
    require_owner(acting)
    require_same_organisation(acting, target)
    role = role_clean(role)
    if target.role == Role.OWNER and role != Role.OWNER:
        _keep_an_owner(target)
    target.role = role
    target.save(update_fields=["role"])
    return target


@transaction.atomic
def membership_remove(*, acting: Membership, target: Membership) -> None:
    require_owner(acting)
    require_same_organisation(acting, target)
    if target.role == Role.OWNER:
        _keep_an_owner(target)
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
            "An organisation needs at least one owner. Make someone else an owner first.", code="last_owner"
        )
