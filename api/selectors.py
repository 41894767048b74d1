"""Reads for the API: tokens, and the library as lists the API pages through."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from api.models import AccessToken
from api.tokens import looks_like_token, token_digest
from assessments.models import Membership
from governance.models import ChecklistItem, Instrument, ItemPrinciple, Principle, PrincipleTheme
from identity.backends import mfa_state


def token_for_bearer(raw: str) -> AccessToken | None:
    """The token a request presents, with its member and organisation, or None."""
    if not looks_like_token(raw):
        return None
    return (
        AccessToken.objects.select_related("membership__user", "membership__organisation")
        # Whether its member must use MFA and has none (identity/backends.py), in the same query.
        .annotate(**mfa_state("membership__user_id"))
        .filter(digest=token_digest(raw))
        .first()
    )


def tokens_of(membership: Membership) -> list[AccessToken]:
    return list(AccessToken.objects.filter(membership=membership).order_by("revoked_at", "-created"))


# --- the library ----------------------------------------------------------------------------


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.annotate(
        principle_count=Count("principles", distinct=True),
        item_count=Count("principles__items", filter=Q(principles__items__active=True), distinct=True),
    ).order_by("position", "code")


def principles() -> QuerySet[Principle]:
    return (
        Principle.objects.select_related("instrument")
        .prefetch_related(
            Prefetch("theme_links", queryset=PrincipleTheme.objects.select_related("theme").order_by("position"))
        )
        .order_by("instrument__position", "instrument__code", "position", "code")
    )


def items() -> QuerySet[ChecklistItem]:
    return (
        ChecklistItem.objects.filter(active=True)
        .select_related("theme")
        .prefetch_related(
            Prefetch(
                "principle_links",
                queryset=ItemPrinciple.objects.select_related("principle__instrument").order_by(
                    "principle__instrument__position", "principle__position", "principle__code"
                ),
            )
        )
        .order_by("code")
    )
