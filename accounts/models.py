"""A person's own settings, beside Django's user: for now the interface language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    # Blank: never chosen, so the browser's language cookie or Accept-Language decides.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=["", *(code for code, _name in settings.LANGUAGES)]),
                name="profile_language_known",
            )
        ]

    def __str__(self):
        return self.user.get_username()
