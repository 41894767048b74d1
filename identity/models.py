"""Single-sign-on domains: an organisation's members with addresses at a domain sign in at its
identity provider."""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation


class SsoDomain(models.Model):
    """``domain`` (``example.org``) belongs to ``organisation``, whose members sign in through
    the provider ``provider_id`` (an app of SOCIALACCOUNT_PROVIDERS, config/sso.py)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sso_domains")
    domain = models.CharField(_("e-mail domain"), max_length=253)
    provider_id = models.CharField(_("provider"), max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            # One organisation per domain: otherwise one tenant could route another's people.
            models.UniqueConstraint(Lower("domain"), name="sso_domain_unique"),
            models.CheckConstraint(condition=~Q(domain=""), name="sso_domain_not_empty"),
        ]

    def __str__(self):
        return f"{self.domain} → {self.provider_id}"
