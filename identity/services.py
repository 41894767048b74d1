"""Writes for accounts: an organisation's MFA requirement, and its single-sign-on domains."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Membership, Organisation
from assessments.permissions import require_owner


def has_mfa(user) -> bool:
    """An authenticator that is a second factor (TOTP or a security key; recovery codes only
    stand in for a lost one)."""
    return Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.RECOVERY_CODES).exists()


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


@transaction.atomic
def organisation_require_mfa_set(*, membership: Membership, required: bool) -> Organisation:
    """An owner requires MFA of every member, or stops requiring it. An owner without MFA may
    not require it: they would lock themselves out of the page that turns it off again."""
    require_owner(membership)
    if required and not has_mfa(membership.user):
        raise ValidationError(
            _("Set up two-factor authentication for yourself before you require it of the organisation."),
            code="owner_without_mfa",
        )
    organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    organisation.require_mfa = required
    organisation.save(update_fields=["require_mfa"])
    return organisation
