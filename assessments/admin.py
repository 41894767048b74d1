"""Admin for support staff. Answers are the organisation's record: the admin shows them but
does not edit them, so every change goes through the app, its checks and its history."""

from django.contrib import admin

from assessments.models import (
    Answer,
    AnswerRevision,
    Assessment,
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "created"]
    search_fields = ["name"]
    readonly_fields = ["code", "created"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "created",
        "expires_at",
        "accepted_at",
        "revoked_at",
        "mail_sent_at",
    ]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = [
        "code",
        "created",
        "accepted_by",
        "accepted_at",
        "revoked_by",
        "revoked_at",
        "mail_sent_at",
        "mail_error",
        "mail_attempts",
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["item", "choice", "justification", "evidence_urls", "version", "updated_by", "updated"]
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "release", "updated", "submitted_at"]
    list_filter = ["status", "organisation"]
    search_fields = ["title", "scope", "organisation__name"]
    list_select_related = ["organisation", "release"]
    readonly_fields = [
        "code",
        "organisation",
        "release",
        "status",
        "created_by",
        "created",
        "updated",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "attestation",
        "source",
        "frozen_item_count",
        "frozen_answered_count",
    ]
    fields = ["title", "scope", "description", "instruments", *readonly_fields]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False  # assessments start in the app, where the checklist is built

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_frozen


@admin.register(AnswerRevision)
class AnswerRevisionAdmin(admin.ModelAdmin):
    list_display = ["answer", "version", "changed_by", "changed_at"]
    list_select_related = ["answer__item", "changed_by"]
    readonly_fields = ["answer", "version", "changed_by", "changed_at", "before", "after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(admin.ModelAdmin):
    """The organisation log: staff read it; nobody adds, changes or deletes an entry."""

    list_display = ["at", "organisation", "kind", "actor_name", "assessment_title"]
    list_filter = ["kind", "organisation"]
    search_fields = ["actor_name", "assessment_title", "detail"]
    list_select_related = ["organisation"]
    readonly_fields = [f.name for f in OrganisationEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
