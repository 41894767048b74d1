"""Reads for accounts."""

from allauth.socialaccount.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured
from django.db.models.functions import Lower

from identity.models import SsoDomain


def sso_domain_for(domain: str) -> SsoDomain | None:
    return SsoDomain.objects.annotate(lower=Lower("domain")).filter(lower=domain.casefold()).first()


def sso_login_url(request, domain: str) -> str | None:
    """Where a person with an address at ``domain`` starts single sign-on, or None when no
    organisation linked the domain (or its provider is no longer configured)."""
    link = sso_domain_for(domain)
    if link is None:
        return None
    try:
        provider = get_adapter().get_provider(request, link.provider_id)
    except (ImproperlyConfigured, LookupError):
        return None
    return provider.get_login_url(request, process="login")
