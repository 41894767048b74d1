from django.contrib import admin

from identity.models import SsoDomain


@admin.register(SsoDomain)
class SsoDomainAdmin(admin.ModelAdmin):
    """Staff link an organisation's e-mail domain to a provider (docs/deploy.md, Single sign-on)."""

    list_display = ("domain", "organisation", "provider_id", "created")
    search_fields = ("domain", "organisation__name")
    autocomplete_fields = ("organisation",)
