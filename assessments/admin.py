from django.contrib import admin

from assessments.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "created"]
    search_fields = ["name"]
    readonly_fields = ["code", "created"]
    inlines = [MembershipInline]
