"""Writes to the governance library.

``library_load`` is the only way library files reach the database: it validates everything
first and then writes in one transaction, so a bad file never leaves a half-imported library.
"""

from dataclasses import dataclass, field

from django.db import transaction

from governance.library.data import LibraryData
from governance.library.files import read_records
from governance.library.validate import validate_records
from governance.models import (
    ChecklistItem,
    Instrument,
    ItemLinkRevision,
    ItemPrinciple,
    ItemRevision,
    LibraryRelease,
    Principle,
    PrincipleTheme,
    Theme,
)
from governance.selectors import current_release, known_keys
from governance.signals import library_changed


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)
    principles: list = field(default_factory=list)  # codes of the principles the files hold

    def count(self, bucket, label):
        getattr(self, bucket)[label] = getattr(self, bucket).get(label, 0) + 1

    def changed(self):
        return bool(self.created or self.updated)


def library_load(*, paths) -> LoadReport:
    """Validate the library files at ``paths`` and write them, or raise LibraryError."""
    data = validate_records(read_records(paths), known_keys())
    return library_write(data=data)


@transaction.atomic
def library_write(*, data: LibraryData) -> LoadReport:
    """Create or update every record in ``data``; records not in ``data`` stay as they are.

    A record's own links (a principle's themes, an item's principles) are replaced to match
    the data, so the file stays the authority on what it lists.
    """
    report = LoadReport(principles=sorted(data.principles))
    for version, fields in data.releases.items():
        _upsert(LibraryRelease, {"version": version}, fields, report, "releases")
    themes = {code: _upsert(Theme, {"code": code}, fields, report, "themes") for code, fields in data.themes.items()}
    instruments = {
        code: _upsert(Instrument, {"code": code}, fields, report, "instruments")
        for code, fields in data.instruments.items()
    }
    themes.update(_missing(Theme, data.principles, "themes", themes))
    themes.update(_missing(Theme, data.items, "theme", themes))
    instruments.update(_missing(Instrument, data.principles, "instrument", instruments))

    principles = {}
    for code, fields in data.principles.items():
        values = {k: v for k, v in fields.items() if k != "themes"}
        values["instrument"] = instruments[fields["instrument"]]
        principle = _upsert(Principle, {"code": code}, values, report, "principles")
        principles[code] = principle
        _sync_themes(principle, fields["themes"], themes, report)

    linked = {link["principle"] for item in data.items.values() for link in item["principles"]}
    principles.update({p.code: p for p in Principle.objects.filter(code__in=linked - set(principles))})
    written_items = []
    for code, fields in data.items.items():
        values = {k: v for k, v in fields.items() if k != "principles"}
        values["theme"] = themes[fields["theme"]]
        item = _upsert(ChecklistItem, {"code": code}, values, report, "items")
        _sync_links(item, fields["principles"], principles, report)
        written_items.append(item)
    for _ in item_revisions_record(items=written_items):
        report.count("created", "item revisions")
    item_link_revisions_record(items=written_items)
    # The link rows went in with bulk_create, which sends no signal: say once that it changed.
    if report.changed():
        library_changed()
    return report


def item_revisions_record(*, items: list[ChecklistItem]) -> list[ItemRevision]:
    """Record the current wording of ``items`` under the current release, where it changed.

    One revision per item and release: a second change within a release updates that release's
    revision. Returns the revisions created or updated.
    """
    return _record_per_release(ItemRevision, items, lambda item: {f: getattr(item, f) for f in ItemRevision.WORDING})


def item_link_revisions_record(*, items: list[ChecklistItem]) -> list[ItemLinkRevision]:
    """Record the principles ``items`` serve under the current release, where they changed."""
    codes = {}
    for item_id, code in ItemPrinciple.objects.filter(item__in=items).values_list("item_id", "principle__code"):
        codes.setdefault(item_id, []).append(code)
    return _record_per_release(ItemLinkRevision, items, lambda item: {"principles": sorted(codes.get(item.id, []))})


def _record_per_release(model, items, values_of):
    """A history row of ``model`` per item and release, created or updated where the item's
    ``values_of`` differ from its newest row."""
    release = current_release()
    if release is None or not items:
        return []
    latest = {}
    for row in model.objects.filter(item__in=items).order_by("item_id", "-recorded_at", "-id"):
        latest.setdefault(row.item_id, row)
    changed = []
    for item in items:
        values = values_of(item)
        row = latest.get(item.id)
        if row is not None and all(getattr(row, f) == v for f, v in values.items()):
            continue
        if row is not None and row.release_id == release.id:
            for f, v in values.items():
                setattr(row, f, v)
            row.save(update_fields=list(values))
        else:
            row = model.objects.create(item=item, release=release, **values)
        changed.append(row)
    return changed


def _missing(model, records, field_name, have):
    """Fetch, in one query, the referenced records that the data itself does not define."""
    wanted = set()
    for fields in records.values():
        value = fields[field_name]
        wanted.update(value if isinstance(value, list) else [value])
    return {obj.code: obj for obj in model.objects.filter(code__in=wanted - set(have))}


def _upsert(model, lookup, values, report, label):
    values = {k: v for k, v in values.items() if k not in lookup}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        report.count("created", label)
        return model.objects.create(**lookup, **values)
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        report.count("updated", label)
    else:
        report.count("unchanged", label)
    return obj


def _sync_themes(principle, codes, themes, report):
    wanted = {code: (position == 0, position) for position, code in enumerate(codes)}
    current = {link.theme.code: link for link in principle.theme_links.select_related("theme")}
    if {c: (link.is_primary, link.position) for c, link in current.items()} == wanted:
        return
    # Clearing first keeps the one-primary-theme constraint satisfied at every step.
    principle.theme_links.all().delete()
    PrincipleTheme.objects.bulk_create(
        PrincipleTheme(principle=principle, theme=themes[c], is_primary=p, position=pos)
        for c, (p, pos) in wanted.items()
    )
    report.count("updated", "principle themes")


def _sync_links(item, links, principles, report):
    wanted = {link["principle"]: link["relevance"] for link in links}
    current = {link.principle.code: link.relevance for link in item.principle_links.select_related("principle")}
    if current == wanted:
        return
    item.principle_links.all().delete()
    ItemPrinciple.objects.bulk_create(
        ItemPrinciple(item=item, principle=principles[code], relevance=relevance) for code, relevance in wanted.items()
    )
    report.count("updated", "item links")
