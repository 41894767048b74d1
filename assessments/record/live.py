"""Records of draft assessments, read from the live library.

Built from ``values()`` rows rather than model instances: for a checklist of thousands of items
that is the difference between about a second and a fraction of one. Several drafts load in one
set of queries (the results page compares two), and a section page loads one section's items
while the other sections are only counted, so its cost grows with the section, not with the
checklist.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.utils import timezone

from assessments.kept import Kept
from assessments.models import Answer, Assessment, EvidenceFile
from assessments.record.types import (
    AnswerRecord,
    AssessmentRecord,
    FileRecord,
    InstrumentRecord,
    ItemKey,
    ItemRecord,
    LinkRecord,
    PrincipleRecord,
    Progress,
    SectionRecord,
    ThemeRecord,
)
from governance.models import ChecklistItem, Instrument, ItemPrinciple, ItemRevision, Principle, Theme

INSTRUMENT_FIELDS = (
    "code",
    "title_en",
    "title_original",
    "language",
    "issuer",
    "kind",
    "official_date",
    "date_note",
    "catalogue_title",
    "catalogue_issuer",
    "catalogue_date",
    "catalogue_url",
    "source_url",
    "confidence",
    "confidence_note",
    "translations",
)
PRINCIPLE_FIELDS = (
    "code",
    "position",
    "label",
    "section",
    "heading_en",
    "heading_original",
    "summary",
    "quoted_text",
    "quote_citation",
    "quote_url",
    "translations",
)
ITEM_FIELDS = (
    "id",
    "code",
    "title",
    "question",
    "guidance",
    "evidence_hint",
    "recommendation",
    "weight",
    "translations",
)


def load_live(
    assessments: list[Assessment],
    *,
    theme: str | None = None,
    outline: bool = False,
    library_revision: int | None = None,
) -> dict[int, AssessmentRecord]:
    """Records of the given drafts, keyed by assessment pk, in one set of queries.

    With ``theme``, only that section's items are loaded, and with ``outline`` none; every
    section is still listed, with counts from two aggregate queries.

    With ``theme``, one draft and ``library_revision`` (read no later than the draft), the
    section's part of the library is kept in the process (``_library_section``), and only the
    draft's own rows are read: its instruments, answers and answered counts.
    """
    ids = [a.pk for a in assessments]
    instruments_of = _instruments(ids)
    instrument_ids = sorted({pk for rows in instruments_of.values() for pk, _ in rows})
    instruments = {pk: rec for rows in instruments_of.values() for pk, rec in rows}
    if theme is not None and len(ids) == 1 and library_revision is not None:
        part = _library_section(instrument_ids, instruments, theme, library_revision)
        principles, links_of, items = part.principles, part.links_of, part.items
        counts = {ids[0]: _progress_by_theme(part.totals, _answered_by_theme(ids[0], instrument_ids))}
        answers = _answers(ids, theme)
    else:
        counts = _section_counts(ids, instrument_ids) if theme is not None or outline else None
        if outline:
            principles, links_of, items, answers = {}, {}, [], {}
        else:
            principles = _principles(instrument_ids, instruments)
            links_of = _links(instrument_ids, principles, theme)
            items = _items(instrument_ids, theme, links_of)
            answers = _answers(ids, theme)

    records = {}
    for assessment in assessments:
        mine = {pk for pk, _ in instruments_of[assessment.pk]}
        checklist = []
        for row in items:
            links = tuple(link for pk, link in links_of[row["id"]] if pk in mine)
            if links:
                checklist.append(_item(row, links, answers.get((assessment.pk, row["id"]))))
        records[assessment.pk] = AssessmentRecord(
            frozen=False,
            release=assessment.release.version if assessment.release_id else None,
            instruments=tuple(rec for _, rec in instruments_of[assessment.pk]),
            principles=_served(principles, checklist),
            sections=_sections(checklist, theme, counts.get(assessment.pk, {}) if counts is not None else None),
            outline=outline,
        )
    return records


def _served(principles, checklist):
    """The principles the checklist's items serve, in library order."""
    served = {link.principle.code for item in checklist for link in item.links}
    return tuple(p for p in principles.values() if p.code in served)


def load_live_item(assessment: Assessment, code: str) -> ItemRecord | None:
    """One item of a draft's checklist, with its links and answer; None when not on it."""
    instruments = _instruments([assessment.pk])[assessment.pk]
    instrument_ids = [pk for pk, _ in instruments]
    row = _item_rows(instrument_ids).filter(code=code).first()
    if row is None:
        return None
    principles = _principles(instrument_ids, dict(instruments), item_id=row["id"])
    links = tuple(link for _, link in _links(instrument_ids, principles, None, item_id=row["id"])[row["id"]])
    answer = _answers([assessment.pk], None, item_id=row["id"]).get((assessment.pk, row["id"]))
    return _item(row, links, answer)


def live_section_keys(assessment: Assessment, theme: str) -> list[ItemKey]:
    """The ids and codes of a draft's items in section ``theme``, in order, in one query: what
    saving the section needs, without its principles, answers or the other sections' counts.

    Written out, as ``_instrument_items``, and as EXISTS over the theme's items: the ORM's
    DISTINCT over every link of the draft's instruments took 1.3 ms for a 20-item section of a
    1,000-item checklist (SQLite, bench/pages.py), an IN over those links 1.2 ms, this 0.5 ms."""
    item, theme_table = ChecklistItem._meta.db_table, Theme._meta.db_table
    link, principle = ItemPrinciple._meta.db_table, Principle._meta.db_table
    chosen = Assessment.instruments.through._meta.db_table
    rows = _rows(
        f"SELECT i.id, i.code FROM {item} i JOIN {theme_table} t ON t.id = i.theme_id "
        f"WHERE i.active AND t.code = %s AND EXISTS (SELECT 1 FROM {link} l "
        f"JOIN {principle} p ON p.id = l.principle_id JOIN {chosen} c ON c.instrument_id = p.instrument_id "
        f"WHERE l.item_id = i.id AND c.assessment_id = %s) ORDER BY i.code",
        [theme, assessment.pk],
    )
    return [ItemKey(pk, code) for pk, code in rows]


def on_checklist(assessment: Assessment, item_ids) -> set[int]:
    """Those of ``item_ids`` on a draft's checklist (active, and serving a principle of one of
    its instruments), in one query: the save's own check, inside its transaction. Written out
    as ``live_section_keys``: the ORM's join through every link took 0.42 ms for 20 items
    (SQLite, bench/pages.py)."""
    ids = list(item_ids)
    if not ids:
        return set()
    item, link, principle = ChecklistItem._meta.db_table, ItemPrinciple._meta.db_table, Principle._meta.db_table
    chosen = Assessment.instruments.through._meta.db_table
    rows = _rows(
        f"SELECT i.id FROM {item} i WHERE i.active AND i.id IN ({_marks(ids)}) AND EXISTS (SELECT 1 FROM {link} l "
        f"JOIN {principle} p ON p.id = l.principle_id JOIN {chosen} c ON c.instrument_id = p.instrument_id "
        f"WHERE l.item_id = i.id AND c.assessment_id = %s)",
        [*ids, assessment.pk],
    )
    return {pk for (pk,) in rows}


def latest_revisions(item_ids) -> dict[int, int]:
    """Item id → id of its newest wording revision, in one query, written out (0.33 ms by the
    ORM for 20 items, most of it compiling the query)."""
    ids = list(item_ids)
    if not ids:
        return {}
    latest = {}
    for item_id, revision_id in _rows(
        f"SELECT item_id, id FROM {ItemRevision._meta.db_table} WHERE item_id IN ({_marks(ids)}) "
        "ORDER BY item_id, recorded_at DESC, id DESC",
        ids,
    ):
        latest.setdefault(item_id, revision_id)
    return latest


def instrument_codes(assessment_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Assessment pk → its instruments' (pk, code), in the library's order, in one query of flat
    rows, written out: lists show the codes alone."""
    codes = defaultdict(list)
    if not assessment_ids:
        return codes
    chosen, instrument = Assessment.instruments.through._meta.db_table, Instrument._meta.db_table
    for assessment_id, instrument_id, code in _rows(
        f"SELECT c.assessment_id, c.instrument_id, n.code FROM {chosen} c JOIN {instrument} n ON n.id = c.instrument_id "
        f"WHERE c.assessment_id IN ({_marks(assessment_ids)}) ORDER BY n.position, n.code",
        assessment_ids,
    ):
        codes[assessment_id].append((instrument_id, code))
    return codes


def live_next_theme(assessment: Assessment, theme: str) -> str | None:
    """The code of the section after ``theme`` on a draft's checklist, in one query."""
    return (
        ChecklistItem.objects.filter(
            active=True, theme__code__gt=theme, principle_links__principle__instrument__assessments=assessment
        )
        .order_by("theme__code")
        .values_list("theme__code", flat=True)
        .first()
    )


def _instruments(assessment_ids):
    """Assessment pk → [(instrument pk, InstrumentRecord)], in library order."""
    through = Assessment.instruments.through
    rows = (
        through.objects.filter(assessment_id__in=assessment_ids)
        .order_by("instrument__position", "instrument__code")
        .values("assessment_id", "instrument_id", *(f"instrument__{f}" for f in INSTRUMENT_FIELDS))
    )
    shared, result = {}, defaultdict(list)
    for row in rows:
        pk = row["instrument_id"]
        if pk not in shared:
            shared[pk] = InstrumentRecord(**{f: row[f"instrument__{f}"] for f in INSTRUMENT_FIELDS})
        result[row["assessment_id"]].append((pk, shared[pk]))
    return result


def _principles(instrument_ids, instruments, item_id=None):
    """Principle pk → PrincipleRecord: every principle of the instruments, or those one item
    serves, in library order."""
    rows = Principle.objects.filter(instrument_id__in=instrument_ids)
    if item_id is not None:
        rows = rows.filter(item_links__item_id=item_id)
    rows = rows.order_by("instrument__position", "position", "code").values("id", "instrument_id", *PRINCIPLE_FIELDS)
    return {
        row["id"]: PrincipleRecord(
            instrument=instruments[row["instrument_id"]], **{f: row[f] for f in PRINCIPLE_FIELDS}
        )
        for row in rows
    }


def _links(instrument_ids, principles, theme, item_id=None):
    """Item pk → [(instrument pk, LinkRecord)], in the order of the instruments' principles."""
    rows = ItemPrinciple.objects.filter(principle__instrument_id__in=instrument_ids, item__active=True)
    if theme is not None:
        rows = rows.filter(item__theme__code=theme)
    if item_id is not None:
        rows = rows.filter(item_id=item_id)
    rows = rows.order_by("principle__instrument__position", "principle__position", "principle__code")
    links = defaultdict(list)
    for item, principle, instrument, relevance in rows.values_list(
        "item_id", "principle_id", "principle__instrument_id", "relevance"
    ):
        links[item].append((instrument, LinkRecord(principles[principle], relevance)))
    return links


def _item_rows(instrument_ids):
    # Items serving the instruments, as ids IN their links, not DISTINCT over the join to them:
    # the join repeats each item once per link (the shipped library has about twelve), and
    # DISTINCT then compares those rows by every column, texts included. Nor EXISTS, which probes
    # every active item of the library, whatever the instruments: with a 5,000-item library
    # beside the shipped one, the shipped checklist took 6 ms by EXISTS, 3 ms by DISTINCT and
    # 0.6 ms by IN (SQLite; bench/pages.py's data).
    serving = ItemPrinciple.objects.filter(principle__instrument_id__in=instrument_ids).values("item_id")
    return (
        ChecklistItem.objects.filter(active=True, id__in=serving)
        .order_by("theme__code", "code")
        .values(*ITEM_FIELDS, "theme__code", "theme__name", "theme__description", "theme__translations")
    )


def _items(instrument_ids, theme, links_of):
    if theme is None:
        return list(_item_rows(instrument_ids))
    # A section's items are those its links name (active, in the theme, serving the
    # instruments), read by their ids: probing every link of the instruments for each item of
    # the theme took 2 ms for a 20-item section of a 1,000-item checklist, the ids 0.2 ms.
    return list(
        ChecklistItem.objects.filter(id__in=list(links_of))
        .order_by("theme__code", "code")
        .values(*ITEM_FIELDS, "theme__code", "theme__name", "theme__description", "theme__translations")
    )


def _answers(assessment_ids, theme, item_id=None):
    """(assessment pk, item pk) → AnswerRecord, with files and whether it is stale."""
    newest = ItemRevision.objects.filter(item_id=OuterRef("item_id")).order_by("-recorded_at", "-id").values("id")[:1]
    rows = Answer.objects.filter(assessment_id__in=assessment_ids)
    files = EvidenceFile.objects.filter(answer__assessment_id__in=assessment_ids)
    if theme is not None:
        rows, files = rows.filter(item__theme__code=theme), files.filter(answer__item__theme__code=theme)
    if item_id is not None:
        rows, files = rows.filter(item_id=item_id), files.filter(answer__item_id=item_id)
    today = timezone.localdate()  # a draft's evidence is judged today
    files_of = defaultdict(list)
    for answer_id, code, name, size in files.order_by("uploaded_at", "id").values_list(
        "answer_id", "code", "original_name", "size"
    ):
        files_of[answer_id].append(FileRecord(name=name, code=code, size=size))
    answers = {}
    for row in rows.annotate(newest_revision=Subquery(newest)).values(
        "id",
        "assessment_id",
        "item_id",
        "choice",
        "justification",
        "evidence_urls",
        "version",
        "updated",
        "updated_by__username",
        "item_revision_id",
        "newest_revision",
        "evidence_valid_until",
    ):
        answers[(row["assessment_id"], row["item_id"])] = AnswerRecord(
            choice=row["choice"],
            justification=row["justification"],
            evidence_urls=tuple(row["evidence_urls"]),
            files=tuple(files_of[row["id"]]),
            version=row["version"],
            updated_at=row["updated"],
            updated_by=row["updated_by__username"],
            stale=bool(row["item_revision_id"] and row["item_revision_id"] != row["newest_revision"]),
            evidence_valid_until=row["evidence_valid_until"],
            evidence_expired=expired(row["evidence_valid_until"], today),
        )
    return answers


def expired(valid_until, on) -> bool:
    """Evidence valid until ``valid_until`` no longer holds on ``on`` (valid through that day)."""
    return valid_until is not None and valid_until < on


def _item(row, links, answer):
    return ItemRecord(
        id=row["id"],
        code=row["code"],
        theme=ThemeRecord(
            row["theme__code"], row["theme__name"], row["theme__description"], row["theme__translations"]
        ),
        title=row["title"],
        translations=row["translations"],
        question=row["question"],
        guidance=row["guidance"],
        evidence_hint=row["evidence_hint"],
        recommendation=row["recommendation"],
        weight=row["weight"],
        links=links,
        answer=answer,
    )


# The assessment whose instruments a checklist item serves, as a lookup from the item.
_SERVING_ASSESSMENT = "principle_links__principle__instrument__assessments"


def _served_totals(assessment_ids, *group):
    """Active items serving each assessment's instruments, counted per assessment and ``group``."""
    return (
        ChecklistItem.objects.filter(active=True, **{f"{_SERVING_ASSESSMENT}__in": assessment_ids})
        .values(_SERVING_ASSESSMENT, *group)
        .annotate(total=Count("id", distinct=True))
        .order_by()
    )


def _answered_counts(assessment_ids, *group):
    """Answered items on each assessment's checklist, counted per assessment and ``group``."""
    return (
        Answer.objects.filter(assessment_id__in=assessment_ids, item__active=True)
        .exclude(choice="")
        .filter(item__principle_links__principle__instrument__assessments=F("assessment_id"))
        .values("assessment_id", *group)
        .annotate(answered=Count("item_id", distinct=True))
        .order_by()
    )


def _section_counts(assessment_ids, instrument_ids=None):
    """Assessment pk → {theme code: (ThemeRecord, Progress)}, from two aggregate queries.

    They count over the whole checklist: for one assessment (a section page) they are written
    against its instruments' ids, which halves their cost on a large checklist."""
    if instrument_ids is not None and len(assessment_ids) == 1:
        return _one_assessment_counts(assessment_ids[0], instrument_ids)
    totals = _served_totals(assessment_ids, "theme__code", "theme__name", "theme__description", "theme__translations")
    answered = _answered_counts(assessment_ids, "item__theme__code")
    done = {(r["assessment_id"], r["item__theme__code"]): r["answered"] for r in answered}
    counts = defaultdict(dict)
    for row in totals:
        pk, code = row[_SERVING_ASSESSMENT], row["theme__code"]
        theme = ThemeRecord(code, row["theme__name"], row["theme__description"], row["theme__translations"])
        counts[pk][code] = (theme, Progress(done.get((pk, code), 0), row["total"]))
    return counts


def _one_assessment_counts(pk, instrument_ids):
    return {pk: _progress_by_theme(_theme_totals(instrument_ids), _answered_by_theme(pk, instrument_ids))}


@dataclass(frozen=True)
class _ThemeTotals:
    totals: dict  # theme pk → active items serving the instruments
    themes: list  # (theme pk, code, name, description, translations)


def _theme_totals(instrument_ids) -> _ThemeTotals:
    # Counted over the links, grouped by the theme's key alone: COUNT(DISTINCT item) over
    # item-principle rows needs no join back to the items' groups, and is about a quarter of
    # the cost of counting items joined to their links (SQLite, 1,000 items). The fourteen
    # themes' words come in a query of their own, cheaper than grouping by them.
    totals = (
        ItemPrinciple.objects.filter(principle__instrument_id__in=instrument_ids, item__active=True)
        .values("item__theme_id")
        .annotate(total=Count("item_id", distinct=True))
        .order_by()
    )
    total_of = {row["item__theme_id"]: row["total"] for row in totals}
    themes = list(
        Theme.objects.filter(id__in=total_of).values_list("id", "code", "name", "description", "translations")
    )
    return _ThemeTotals(total_of, themes)


def _answered_by_theme(pk, instrument_ids) -> dict[int, int]:
    """Theme pk → answered items of draft ``pk`` on its checklist."""
    served = ItemPrinciple.objects.filter(item_id=OuterRef("item_id"), principle__instrument_id__in=instrument_ids)
    answered = (
        Answer.objects.filter(assessment_id=pk, item__active=True)
        .exclude(choice="")
        .filter(Exists(served))
        .values("item__theme_id")
        .annotate(answered=Count("id"))
        .order_by()
    )
    return {row["item__theme_id"]: row["answered"] for row in answered}


def _progress_by_theme(totals: _ThemeTotals, done: dict[int, int]) -> dict:
    """{theme code: (ThemeRecord, Progress)}."""
    return {
        code: (
            ThemeRecord(code, name, description, translations),
            Progress(done.get(theme_id, 0), totals.totals[theme_id]),
        )
        for theme_id, code, name, description, translations in totals.themes
    }


@dataclass(frozen=True)
class _LibrarySection:
    """What a section page reads of the library: the same for every draft of the instruments."""

    totals: _ThemeTotals
    principles: dict
    links_of: dict
    items: list


def _library_section(instrument_ids, instruments, theme, library_revision) -> _LibrarySection:
    """The instruments' principles, the section's links and items, and every section's total,
    kept in the process under the library's revision: loading them was about half of a 20-item
    section page of a 1,000-item checklist viewed after a save (bench/pages.py, section-20-saved).
    Nothing of a draft is in it, so drafts of every organisation share it; the values are never
    changed after they are read."""
    key = (library_revision, tuple(instrument_ids), theme)
    part = _library_sections.get(key)
    if part is None:
        principles = _principles(instrument_ids, instruments)
        links_of = _links(instrument_ids, principles, theme)
        part = _LibrarySection(
            _theme_totals(instrument_ids), principles, links_of, _items(instrument_ids, theme, links_of)
        )
        # A section code that is not a theme of the checklist (the page's 404) is not kept.
        if part.items:
            _library_sections.put(key, part, len(principles) + sum(map(len, links_of.values())) + len(part.items))
    return part


def _sections(checklist, theme, counts):
    """Sections by theme code. Loaded items give their own counts; others come from ``counts``."""
    by_theme = defaultdict(list)
    for item in checklist:
        by_theme[item.theme.code].append(item)
    if counts is None:
        return tuple(
            SectionRecord(
                theme=items[0].theme,
                progress=Progress(sum(1 for i in items if i.answered), len(items)),
                items=tuple(items),
            )
            for _, items in sorted(by_theme.items())
        )
    sections = []
    for code, (theme_record, progress) in sorted(counts.items()):
        if code == theme:
            items = tuple(by_theme[code])
            sections.append(
                SectionRecord(theme_record, Progress(sum(1 for i in items if i.answered), len(items)), items)
            )
        else:
            sections.append(SectionRecord(theme_record, progress))
    return tuple(sections)


def draft_progress(instruments: dict[int, list[int]], *, library_revision: int | None = None) -> dict[int, Progress]:
    """Draft pk → its checklist's progress, for lists, from each draft's instrument ids (two
    queries, whatever the number of drafts).

    Counted here from two flat reads, the active items of the drafts' instruments and the drafts'
    answered items, rather than by aggregates over the join of answers, links, principles and the
    drafts' instruments. For the dashboard's page of 25 drafts in bench/pages.py, on SQLite,
    those two aggregates took about 17 ms (the join multiplies each answer by its item's links
    before the DISTINCT count), these two reads about 1.5 ms, and the counting is a set lookup
    per answer.

    With ``library_revision`` (read no later than the drafts), each set of instruments' checklist
    is kept in this process under that revision: it depends on the library alone, and reading
    it was half of the cost. Without, it is read each time.
    """
    if not instruments:
        return {}
    sets = {frozenset(ids) for ids in instruments.values()}
    found = {key: kept for key in sets if (kept := _checklists.get((library_revision, key))) is not None}
    missing = [key for key in sets if key not in found]
    if missing:
        items_of = defaultdict(set)  # instrument pk → the active items serving one of its principles
        for instrument_id, item_id in _instrument_items(sorted(set().union(*missing))):
            items_of[instrument_id].add(item_id)
        for key in missing:
            found[key] = frozenset().union(*(items_of[i] for i in key))
        if library_revision is not None:
            for key in missing:
                _checklists.put((library_revision, key), found[key], 1)
    checklists = {pk: found[frozenset(ids)] for pk, ids in instruments.items()}
    # One answer per draft and item (answer_unique_per_item), so answers need no DISTINCT.
    answered = Counter()
    for pk, item_id in _answered_items(list(instruments)):
        if item_id in checklists[pk]:
            answered[pk] += 1
    return {pk: Progress(answered[pk], len(checklist)) for pk, checklist in checklists.items()}


# (library revision, instrument pks) → the item pks of that checklist (draft_progress), the
# least recently used dropped first. An organisation's drafts use a few sets of instruments; a
# set of the shipped library's items is a few KB.
CHECKLISTS_KEPT = 256
_checklists = Kept(CHECKLISTS_KEPT)  # each set counts 1
# Rows (principles, links and items) of kept library sections: the shipped library's 198
# principles and a section's links are a few hundred; 5,000 principles and a 200-item
# section's links about 6,000.
LIBRARY_SECTION_BUDGET = 20_000
_library_sections = Kept(LIBRARY_SECTION_BUDGET)


def clear_kept() -> None:
    """Forget the kept checklists and library sections (the tests start each from none, as
    from an empty database)."""
    _checklists.clear()
    _library_sections.clear()


def _instrument_items(instrument_ids: list[int]) -> list[tuple[int, int]]:
    """(instrument pk, item pk) of each link of an active item to a principle of the
    instruments. Written out, as ``_answered_items``: 1.1 ms by the ORM for the seed library's
    330 links."""
    if not instrument_ids:
        return []
    link, principle, item = ItemPrinciple._meta.db_table, Principle._meta.db_table, ChecklistItem._meta.db_table
    return _rows(
        f"SELECT p.instrument_id, l.item_id FROM {link} l JOIN {principle} p ON p.id = l.principle_id "
        f"JOIN {item} i ON i.id = l.item_id WHERE i.active AND p.instrument_id IN ({_marks(instrument_ids)})",
        instrument_ids,
    )


def _answered_items(assessment_ids: list[int]) -> list[tuple[int, int]]:
    """(assessment pk, item pk) of each answered item of the assessments. Written out: it reads
    some 1,600 rows for a dashboard page of 25 drafts, and the ORM's rows cost twice the raw
    cursor's (about 1.9 ms against 1.0 ms on SQLite)."""
    return _rows(
        f"SELECT assessment_id, item_id FROM {Answer._meta.db_table} "
        f"WHERE assessment_id IN ({_marks(assessment_ids)}) AND choice <> ''",
        assessment_ids,
    )


def _marks(values: list) -> str:
    """The placeholders of an IN list of ``values``."""
    return ", ".join(["%s"] * len(values))


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
