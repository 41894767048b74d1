from django.contrib import admin

from api.models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Staff can see and revoke tokens; the digest is never shown and tokens are made by members."""

    list_display = ["prefix", "name", "membership", "scope", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["prefix", "name", "membership__user__username"]
    fields = ["prefix", "name", "membership", "scope", "created", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "name", "membership", "scope", "created", "expires_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
