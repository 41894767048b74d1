from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models import (
    ChecklistItem,
    Instrument,
    ItemPrinciple,
    ItemRevision,
    LibraryRelease,
    Principle,
    PrincipleTheme,
    Theme,
)
from governance.services import item_link_revisions_record, item_revisions_record

# Django 6 changes URL fields' default scheme to https; say so now rather than rely on it.
URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


@admin.register(LibraryRelease)
class LibraryReleaseAdmin(admin.ModelAdmin):
    list_display = ["version", "date", "loaded_at"]
    readonly_fields = ["loaded_at"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "laip_topic"]
    search_fields = ["code", "name", "description"]


class PrincipleInline(admin.StackedInline):
    model = Principle
    formfield_overrides = URL_OVERRIDES
    extra = 0
    fields = [
        ("code", "position", "label"),
        "section",
        ("heading_en", "heading_original"),
        "summary",
        "quoted_text",
        "quote_citation",
        "quote_url",
        ("confidence", "confidence_note"),
    ]
    show_change_link = True


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "title_en", "title_original", "kind", "official_date", "confidence", "retired"]
    list_filter = ["kind", "confidence", "retired", "language"]
    search_fields = ["code", "title_en", "title_original", "issuer", "catalogue_title"]
    formfield_overrides = URL_OVERRIDES
    inlines = [PrincipleInline]


class PrincipleThemeInline(admin.TabularInline):
    model = PrincipleTheme
    extra = 0
    autocomplete_fields = ["theme"]


class ItemLinkInline(admin.TabularInline):
    """Shown on a principle: the checklist items that serve it."""

    model = ItemPrinciple
    extra = 0
    autocomplete_fields = ["item"]
    verbose_name = _("serving item")


@admin.register(Principle)
class PrincipleAdmin(admin.ModelAdmin):
    list_display = ["code", "heading_en", "instrument", "confidence", "has_quote"]
    list_filter = ["instrument", "themes", "confidence"]
    search_fields = ["code", "heading_en", "heading_original", "summary", "quoted_text"]
    list_select_related = ["instrument"]
    formfield_overrides = URL_OVERRIDES
    inlines = [PrincipleThemeInline, ItemLinkInline]

    @admin.display(boolean=True, description=_("quoted"))
    def has_quote(self, obj):
        return bool(obj.quoted_text)


class ItemPrincipleInline(admin.TabularInline):
    model = ItemPrinciple
    extra = 1
    autocomplete_fields = ["principle"]
    verbose_name = _("principle served")
    verbose_name_plural = _("principles served")


class ItemRevisionInline(admin.TabularInline):
    """The item's wording per library release, newest first: read-only history."""

    model = ItemRevision
    extra = 0
    can_delete = False
    fields = ["release", "question", "weight", "recorded_at"]
    readonly_fields = fields
    verbose_name_plural = _("revisions (wording per library release)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "theme", "weight", "active"]
    list_filter = ["theme", "principles__instrument", "weight", "active"]
    search_fields = ["code", "title", "question", "guidance", "principles__code"]
    list_select_related = ["theme"]
    inlines = [ItemPrincipleInline, ItemRevisionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Edits in the admin are revisions too, so answers to the old wording become stale.
        item_revisions_record(items=[obj])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The principle links are the inline rows: their history is recorded once they are saved.
        item_link_revisions_record(items=[form.instance])

    def get_search_results(self, request, queryset, search_term):
        # Searching across the principle links can match an item once per link.
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset, True
