"""Reads from the governance library, with their query work in one place."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet

from governance.library.data import LibraryData
from governance.library.schema import SCHEMAS
from governance.library.validate import KnownKeys
from governance.models import (
    ChecklistItem,
    Instrument,
    ItemPrinciple,
    LibraryRelease,
    Principle,
    PrincipleTheme,
    Theme,
)


def known_keys() -> KnownKeys:
    return KnownKeys(
        themes=set(Theme.objects.values_list("code", flat=True)),
        instruments=dict(Instrument.objects.values_list("code", "retired")),
        principles=set(Principle.objects.values_list("code", flat=True)),
    )


def current_release() -> LibraryRelease | None:
    return LibraryRelease.objects.order_by("-date", "-version").first()


def library_data() -> LibraryData:
    """The whole library as plain data, in the same shape the files parse into."""
    data = LibraryData()

    def plain(obj, schema, **overrides):
        return {f.name: overrides.get(f.name, getattr(obj, f.name, None)) for f in schema.fields}

    for release in LibraryRelease.objects.all():
        data.releases[release.version] = plain(release, SCHEMAS["governance.release"])
    for theme in Theme.objects.all():
        data.themes[theme.code] = plain(theme, SCHEMAS["governance.theme"])
    for instrument in Instrument.objects.all():
        data.instruments[instrument.code] = plain(instrument, SCHEMAS["governance.instrument"])

    themes_of = defaultdict(list)
    for link in PrincipleTheme.objects.select_related("theme").order_by("principle_id", "position"):
        themes_of[link.principle_id].append(link.theme.code)
    for p in Principle.objects.select_related("instrument"):
        data.principles[p.code] = plain(
            p, SCHEMAS["governance.principle"], instrument=p.instrument.code, themes=themes_of[p.id]
        )

    links_of = defaultdict(list)
    link_rows = ItemPrinciple.objects.select_related("principle__instrument").order_by(
        "item_id", "principle__instrument__position", "principle__position", "principle__code"
    )
    for link in link_rows:
        links_of[link.item_id].append({"principle": link.principle.code, "relevance": link.relevance})
    for item in ChecklistItem.objects.select_related("theme"):
        data.items[item.code] = plain(
            item, SCHEMAS["governance.checklistitem"], theme=item.theme.code, principles=links_of[item.id]
        )
    return data


# --- public library pages --------------------------------------------------------------------


def instruments_for_listing() -> QuerySet[Instrument]:
    """Instruments in their display order (``position``), with their counts. The order is
    explicit: Django leaves the model's default ordering out of aggregate queries, which
    listed the instruments in whatever order the database grouped them."""
    return Instrument.objects.annotate(
        principle_count=Count("principles", distinct=True),
        item_count=Count("principles__items", filter=Q(principles__items__active=True), distinct=True),
    ).order_by("position", "code")


def _principles_with_items() -> QuerySet[Principle]:
    return Principle.objects.prefetch_related(
        Prefetch("theme_links", queryset=PrincipleTheme.objects.select_related("theme").order_by("position")),
        Prefetch(
            "item_links",
            queryset=ItemPrinciple.objects.filter(item__active=True).select_related("item").order_by("item__code"),
        ),
    )


def instrument_detail(code: str) -> tuple[Instrument, list[Principle]]:
    """The instrument with its principles, each with themes and the items that serve it."""
    instrument = Instrument.objects.get(code=code)
    principles = list(_principles_with_items().filter(instrument=instrument))
    for principle in principles:
        principle.instrument = instrument  # no query: what a heading in its own language needs
    return instrument, principles


def principle_detail(code: str) -> tuple[Principle, list[Principle]]:
    """The principle, its items, and related principles in *other* instruments.

    Two principles are related when an item serves both, or when they share a theme. Those
    sharing items come first, since one answer then counts toward both.
    """
    principle = _principles_with_items().select_related("instrument").get(code=code)
    item_ids = [link.item_id for link in principle.item_links.all()]
    theme_ids = [link.theme_id for link in principle.theme_links.all()]
    others = (
        Principle.objects.exclude(instrument_id=principle.instrument_id)
        .filter(Q(item_links__item_id__in=item_ids) | Q(theme_links__theme_id__in=theme_ids))
        .select_related("instrument")
        .annotate(
            shared_items=Count("item_links", filter=Q(item_links__item_id__in=item_ids), distinct=True),
            shared_themes=Count("theme_links", filter=Q(theme_links__theme_id__in=theme_ids), distinct=True),
        )
        .order_by("-shared_items", "-shared_themes", "instrument__position", "position")
    )
    return principle, list(others)


def item_detail(code: str) -> tuple[ChecklistItem, list[ItemPrinciple]]:
    item = ChecklistItem.objects.select_related("theme").get(code=code)
    links = list(
        item.principle_links.select_related("principle__instrument").order_by(
            "principle__instrument__position", "principle__position"
        )
    )
    return item, links


def crosswalk() -> tuple[list[Instrument], list[tuple[Theme, list[list[tuple[Principle, bool]]]]]]:
    """Themes × instruments: for each cell, the instrument's principles on that theme.

    Returns ``(instruments, rows)`` where each row is ``(theme, [cell per instrument])`` and a
    cell is a list of ``(principle, is_primary)``.
    """
    instruments = list(Instrument.objects.filter(retired=False))
    themes = list(Theme.objects.all())
    cells = defaultdict(list)
    # The instrument comes along so that a stacked (phone) cell can name it.
    links = PrincipleTheme.objects.select_related("principle__instrument").order_by(
        "principle__position", "principle__code"
    )
    for link in links:
        cells[link.theme_id, link.principle.instrument_id].append((link.principle, link.is_primary))
    rows = [(theme, [cells[theme.id, i.id] for i in instruments]) for theme in themes]
    return instruments, rows
