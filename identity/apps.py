from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """The project's parts of accounts: what allauth is told (adapters, forms), MFA that an
    organisation requires, single-sign-on domains, and the sessions page."""

    name = "identity"
    default_auto_field = "django.db.models.BigAutoField"
