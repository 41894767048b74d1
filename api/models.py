"""Personal access tokens for the REST API.

A token belongs to one membership: it acts for that member, in that organisation only, and never
with more rights than the member has now. Removing the member deletes their tokens; lowering
their role lowers what their tokens may do at once, since rights are read from the membership
on every request. Only a SHA-256 digest of the token is stored, with a short prefix that lets
its owner tell tokens apart.
"""

import datetime as dt
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Membership


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class AccessToken(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100, help_text=_("What the token is for, e.g. 'GRC sync'."))
    # The token's first characters ("aigov_" and eight more), shown in lists to tell tokens apart.
    prefix = models.CharField(max_length=16)
    # SHA-256 of the whole token, hex: a token of 256 random bits needs no slow hash.
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=8, choices=Scope.choices)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="token_scope_valid"),
            models.CheckConstraint(condition=~Q(digest=""), name="token_digest_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="token_name_not_empty"),
            models.CheckConstraint(condition=Q(expires_at__gt=F("created")), name="token_expires_after_creation"),
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    @property
    def last_day(self):
        """The last day the token works: it expires at the start of the next (UTC)."""
        return (self.expires_at - dt.timedelta(microseconds=1)).date()

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
