from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the bearer scheme with drf-spectacular, so the schema documents it.
        from api import authentication  # noqa: F401
