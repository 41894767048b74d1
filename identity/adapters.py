"""What allauth is told about this project (ACCOUNT_ADAPTER, SOCIALACCOUNT_ADAPTER)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from config.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's rate limits count the client behind the proxies, as django-axes does
        (config/client_ip.py), not whatever X-Forwarded-For a client sends."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied(_("Unable to determine the client's address."))
        return ip


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on signs in existing accounts only, matched by an address that both sides
    verified. Matching an unverified address would let someone who signed up with another
    person's address (and never confirmed it) take over that person's single sign-on."""

    def is_open_for_signup(self, request, sociallogin):
        # A provider's sign-in never creates an account (nor an organisation): people join by
        # invitation or sign-up first, then sign in through the provider.
        return False

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing:
            return
        verified = [address.email for address in sociallogin.email_addresses if address.verified]
        match = None
        for email in verified:
            match = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
            if match:
                break
        if match is None or not match.user.is_active:
            messages.error(
                request,
                _(
                    "No account here has the verified e-mail address your identity provider gave. Sign in "
                    "with your password and verify your address first, or ask an owner for an invitation."
                ),
            )
            raise ImmediateHttpResponse(redirect("account_login"))
        sociallogin.connect(request, match.user)
