"""Writes for personal access tokens: create, revoke, and record a use."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from api.models import AccessToken, Scope
from api.tokens import new_token, token_digest, visible_prefix
from assessments.models import Membership

logger = logging.getLogger("aigov.api")

MAX_NAME = 100
# last_used_at is written at most once a minute per token, so reads do not each cost a write.
USE_RESOLUTION = dt.timedelta(minutes=1)


def token_rules(*, membership: Membership, name, scope, expires_on) -> tuple[str, str, dt.datetime]:
    """The token's name, scope and expiry as they will be stored, or ValidationError per field."""
    errors = {}
    if not isinstance(name, str) or not name.strip():
        errors["name"] = gettext("Give the token a name, so that you can tell it apart from your other tokens.")
    elif len(name.strip()) > MAX_NAME or "\x00" in name:
        errors["name"] = gettext("The name may be at most %(limit)d characters, without NUL characters.") % {
            "limit": MAX_NAME
        }
    if scope not in Scope.values:
        errors["scope"] = gettext("Choose read only, or read and write.")
    elif scope == Scope.WRITE and not (membership.can_edit or membership.can_review):
        # Reviewers write too: approving or returning an assessment is a write.
        errors["scope"] = gettext("Viewers can create read-only tokens only, since they cannot change assessments.")
    today = timezone.localdate()
    longest = settings.API_TOKEN_MAX_DAYS
    if not isinstance(expires_on, dt.date) or isinstance(expires_on, dt.datetime):
        errors["expires_on"] = gettext("Enter the date on which the token stops working.")
    elif not today < expires_on <= today + dt.timedelta(days=longest):
        errors["expires_on"] = gettext("Choose an expiry date after today and at most %(days)d days from now.") % {
            "days": longest
        }
    if errors:
        raise ValidationError(errors)
    # The token works through the whole of its last day.
    expires_at = dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    return name.strip(), scope, expires_at


@transaction.atomic
def token_create(*, membership: Membership, name, scope, expires_on) -> tuple[AccessToken, str]:
    """A new token for ``membership``: (the stored token, the token string, shown once)."""
    name, scope, expires_at = token_rules(membership=membership, name=name, scope=scope, expires_on=expires_on)
    raw = new_token()
    token = AccessToken.objects.create(
        membership=membership,
        name=name,
        prefix=visible_prefix(raw),
        digest=token_digest(raw),
        scope=scope,
        expires_at=expires_at,
    )
    logger.info(
        "api token created: %s (%s) for %s in %s",
        token.prefix,
        scope,
        membership.user.username,
        membership.organisation.code,
    )
    return token, raw


def token_revoke(*, membership: Membership, token: AccessToken) -> AccessToken:
    """Revoke one of the member's own tokens; revoking it again changes nothing."""
    if token.membership_id != membership.pk:
        raise PermissionDenied(gettext("You can revoke only your own tokens."))
    if token.revoked_at is None:
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token.refresh_from_db(fields=["revoked_at"])
        logger.info("api token revoked: %s of %s", token.prefix, membership.user.username)
    return token


def token_used(*, token: AccessToken, method: str, path: str, ip: str | None) -> None:
    """Log a request made with ``token`` and keep its last use, to the minute."""
    now = timezone.now()
    logger.info(
        "api token used: %s by %s: %s %s from %s", token.prefix, token.membership.user.username, method, path, ip
    )
    if token.last_used_at is None or now - token.last_used_at >= USE_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
