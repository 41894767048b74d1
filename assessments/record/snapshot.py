"""The stored snapshot of a submitted assessment: writing it, reading it, and its schema versions.

At submission the draft's record is written out as plain JSON on the assessment, so later
library edits cannot reach it; every page, export and report of the submitted assessment reads
it back into the same ``AssessmentRecord`` a draft has.

Schema versions, and what reading an older one does:

1. items without guidance and evidence hint: the library's current text stands in, labelled
   (``ItemRecord.guidance_is_current``).
2. items with guidance; answers' files by name only, and no author or time: both are read from
   the answer rows, which submission locked.
3. a list of themes with their descriptions, and answers with their files' ids and sizes,
   author and time, so that reading a submitted assessment needs no other query.
4. (current) items with their titles, and themes, instruments, principles and items with their
   translations (``governance.translations``), so that a submitted assessment reads the same in
   every language for good. The snapshot is language-neutral: it holds every language, and a
   page picks the active one when it renders.

Reading a snapshot older than 4 takes each item's title, and the translations, from the library
by code, in one query per kind: a title names the practice, so the current one is the best
label. A translation is taken only where it was made from the very English text the snapshot
froze (its ``source_hash`` matches); elsewhere the frozen English is shown.
   Answers may carry ``evidence_valid_until`` (added with review, #16; absent means no end
   date, so older snapshots read unchanged and the schema number stayed).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.utils import timezone

from assessments.models import Answer, Assessment, EvidenceFile
from assessments.record.live import expired
from assessments.record.types import (
    AnswerRecord,
    AssessmentRecord,
    FileRecord,
    InstrumentRecord,
    ItemRecord,
    LinkRecord,
    PrincipleRecord,
    Progress,
    SectionRecord,
    ThemeRecord,
)
from governance import translations as tr
from governance.models import ChecklistItem, Instrument, Principle, Theme

SCHEMA = 4

INSTRUMENT_FIELDS = [
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
]
INSTRUMENT_DATES = {"official_date", "catalogue_date"}
PRINCIPLE_FIELDS = [
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
]


# --- writing ---------------------------------------------------------------------------------


def instrument_data(instrument: InstrumentRecord, *, translations: bool = False) -> dict:
    """An instrument as JSON: the export's shape, and with ``translations`` the snapshot's (the
    export is English data; the snapshot keeps every language)."""
    return {
        f: (_iso(getattr(instrument, f)) if f in INSTRUMENT_DATES else getattr(instrument, f))
        for f in INSTRUMENT_FIELDS
        if translations or f != "translations"
    }


def principle_data(principle: PrincipleRecord, *, translations: bool = False) -> dict:
    return {
        **{f: getattr(principle, f) for f in PRINCIPLE_FIELDS if translations or f != "translations"},
        "instrument": principle.instrument.code,
    }


def to_snapshot(record: AssessmentRecord) -> dict:
    """The JSON kept on a submitted assessment. ``record`` must be complete."""
    if not record.complete:
        raise ValueError("A snapshot needs the whole checklist, not one section.")
    items = record.items
    return {
        "schema": SCHEMA,
        "release": record.release,
        "instruments": [instrument_data(i, translations=True) for i in record.instruments],
        "principles": [principle_data(p, translations=True) for p in record.principles],
        "themes": [
            {
                "code": s.theme.code,
                "name": s.theme.name,
                "description": s.theme.description,
                "translations": s.theme.translations,
            }
            for s in record.sections
        ],
        "items": [
            {
                "code": item.code,
                "title": item.title,
                "theme": item.theme.code,
                "question": item.question,
                "guidance": item.guidance,
                "evidence_hint": item.evidence_hint,
                "recommendation": item.recommendation,
                "weight": item.weight,
                "links": [{"principle": link.principle.code, "relevance": link.relevance} for link in item.links],
                "translations": item.translations,
            }
            for item in items
        ],
        "answers": {item.code: _answer_data(item.answer) for item in items if item.answer is not None},
    }


def _answer_data(answer: AnswerRecord) -> dict:
    return {
        "choice": answer.choice,
        "justification": answer.justification,
        "evidence_urls": list(answer.evidence_urls),
        "files": [{"name": f.name, "code": str(f.code) if f.code else None, "size": f.size} for f in answer.files],
        "version": answer.version,
        "updated_at": _iso(answer.updated_at),
        "updated_by": answer.updated_by,
        "evidence_valid_until": _iso(answer.evidence_valid_until),
    }


def _iso(value):
    return value.isoformat() if value else None


# --- reading ---------------------------------------------------------------------------------


def from_snapshot(assessment: Assessment, *, theme: str | None = None, outline: bool = False) -> AssessmentRecord:
    """The record of a submitted assessment. With ``theme``, only that section's items are built,
    and with ``outline`` none; the others are counted from the snapshot."""
    snapshot = assessment.snapshot
    schema = snapshot.get("schema", 1)
    library = _LibraryTexts(snapshot, outline) if schema < 4 else None
    instruments = {
        row["code"]: InstrumentRecord(
            **{
                f: (_date(row[f]) if f in INSTRUMENT_DATES else row[f])
                for f in INSTRUMENT_FIELDS
                if f != "translations"
            },
            translations=_translations(row, library, "instruments"),
        )
        for row in snapshot["instruments"]
    }
    principles = {
        row["code"]: PrincipleRecord(
            instrument=instruments[row["instrument"]],
            **{f: row[f] for f in PRINCIPLE_FIELDS if f != "translations"},
            translations=_translations(row, library, "principles"),
        )
        for row in snapshot["principles"]
    }
    themes = _themes(snapshot, library)
    wanted = [] if outline else [row for row in snapshot["items"] if theme is None or row["theme"] == theme]
    guidance = _current_guidance(wanted) if schema < 2 else {}
    answers = snapshot["answers"]
    activity = _activity(assessment, [row["code"] for row in wanted]) if schema < 3 else None
    reference = reference_date(assessment)

    rows_of = defaultdict(list)
    for row in snapshot["items"]:
        rows_of[row["theme"]].append(row)
    sections = []
    for code in sorted(rows_of):
        rows = rows_of[code]
        done = sum(1 for row in rows if answers.get(row["code"], {}).get("choice"))
        items = None
        if not outline and (theme is None or code == theme):
            items = tuple(
                _item(row, themes[code], principles, answers.get(row["code"]), guidance, activity, library, reference)
                for row in rows
            )
        sections.append(SectionRecord(themes[code], Progress(done, len(rows)), items))
    served = {link.principle.code for s in sections if s.items for item in s.items for link in item.links}
    return AssessmentRecord(
        frozen=True,
        release=snapshot["release"],
        instruments=tuple(instruments.values()),
        principles=tuple(p for p in principles.values() if p.code in served),
        sections=tuple(sections),
        snapshot_schema=schema,
        outline=outline,
    )


def _themes(snapshot, library):
    if "themes" in snapshot:
        return {
            t["code"]: ThemeRecord(t["code"], t["name"], t["description"], _translations(t, library, "themes"))
            for t in snapshot["themes"]
        }
    # Before schema 3 each item carried its theme's name, and descriptions were not kept.
    return {
        row["theme"]: ThemeRecord(
            row["theme"],
            row["theme_name"],
            translations=_translations({**row, "code": row["theme"]}, library, "themes"),
        )
        for row in snapshot["items"]
    }


def _translations(row, library, kind):
    if library is None:
        return row.get("translations") or {}
    return library.translations(kind, row)


class _LibraryTexts:
    """Schema < 4: titles and translations from the library, by code (one query per kind,
    none for an outline, which prints neither)."""

    ENGLISH = {
        "themes": {"name": "name", "description": "description"},
        "instruments": {"title": "title_en"},
        "principles": {"heading": "heading_en", "summary": "summary"},
        "items": {k: k for k in ("title", "question", "guidance", "evidence_hint", "recommendation")},
    }

    def __init__(self, snapshot, outline):
        self._rows = {}
        if outline:
            self._rows = {kind: {} for kind in self.ENGLISH}
            return
        theme_codes = {row["theme"] for row in snapshot["items"]}
        self._rows["themes"] = dict(Theme.objects.filter(code__in=theme_codes).values_list("code", "translations"))
        self._rows["instruments"] = dict(
            Instrument.objects.filter(code__in=[r["code"] for r in snapshot["instruments"]]).values_list(
                "code", "translations"
            )
        )
        self._rows["principles"] = dict(
            Principle.objects.filter(code__in=[r["code"] for r in snapshot["principles"]]).values_list(
                "code", "translations"
            )
        )
        self.titles, self._rows["items"] = {}, {}
        for code, title, translations in ChecklistItem.objects.filter(
            code__in=[r["code"] for r in snapshot["items"]]
        ).values_list("code", "title", "translations"):
            self.titles[code], self._rows["items"][code] = title, translations

    def translations(self, kind, row):
        """The library's translations of ``row`` that were made from the English it froze."""
        found = self._rows[kind].get(row["code"]) or {}
        english = dict(row)
        if kind == "items":
            english["title"] = self.titles.get(row["code"], "")
        kept = {}
        for language, entry in found.items():
            hashes = entry.get(tr.HASH_KEY) or {}
            texts = {
                key: entry[key]
                for key, field in self.ENGLISH[kind].items()
                if key in entry and hashes.get(key) == tr.source_hash(english.get(field) or "")
            }
            if texts:
                kept[language] = {**texts, tr.HASH_KEY: {key: hashes[key] for key in texts}}
        return kept


def reference_date(assessment: Assessment) -> dt.date:
    """The day evidence is judged on: the approval's for an approved assessment, so that its
    final record never changes; today's while it is in review."""
    if assessment.approved_at is not None:
        return timezone.localdate(assessment.approved_at)
    return timezone.localdate()


def _item(row, theme, principles, answer, guidance, activity, library, reference):
    if "guidance" in row:
        texts, current = (row["guidance"], row["evidence_hint"]), False
    else:
        texts, current = guidance.get(row["code"], ("", "")), True
    return ItemRecord(
        code=row["code"],
        title=row["title"] if "title" in row else library.titles.get(row["code"], ""),
        translations=_translations(row, library, "items"),
        theme=theme,
        question=row["question"],
        guidance=texts[0],
        evidence_hint=texts[1],
        recommendation=row["recommendation"],
        weight=row["weight"],
        links=tuple(LinkRecord(principles[link["principle"]], link["relevance"]) for link in row["links"]),
        answer=_answer(answer, row["code"], activity, reference) if answer is not None else None,
        guidance_is_current=current,
    )


def _answer(data, code, activity, reference):
    if activity is not None:  # schema < 3: files, author and time from the locked rows
        names = tuple(FileRecord(name) for name in data["files"])
        files, updated_at, updated_by = activity.get(code, (names, None, None))
    else:
        files = tuple(
            FileRecord(f["name"], uuid.UUID(f["code"]) if f["code"] else None, f["size"]) for f in data["files"]
        )
        updated_at, updated_by = _datetime(data["updated_at"]), data["updated_by"]
    return AnswerRecord(
        choice=data["choice"],
        justification=data["justification"],
        evidence_urls=tuple(data["evidence_urls"]),
        files=files,
        version=data["version"],
        updated_at=updated_at,
        updated_by=updated_by,
        evidence_valid_until=_date(data.get("evidence_valid_until")),
        evidence_expired=expired(_date(data.get("evidence_valid_until")), reference),
    )


def _current_guidance(rows):
    """Schema 1: the library's current guidance for items the snapshot kept none for."""
    codes = [row["code"] for row in rows]
    found = ChecklistItem.objects.filter(code__in=codes).values_list("code", "guidance", "evidence_hint")
    return {code: (guidance, hint) for code, guidance, hint in found}


def _activity(assessment, codes):
    """Schema < 3: item code → (files, updated_at, updated_by) from the answer rows."""
    files_of = defaultdict(list)
    for answer_id, code, name, size in (
        EvidenceFile.objects.filter(answer__assessment=assessment, answer__item__code__in=codes)
        .order_by("uploaded_at", "id")
        .values_list("answer_id", "code", "original_name", "size")
    ):
        files_of[answer_id].append(FileRecord(name, code, size))
    rows = Answer.objects.filter(assessment=assessment, item__code__in=codes).values_list(
        "id", "item__code", "updated", "updated_by__username"
    )
    return {code: (tuple(files_of[pk]), updated, by) for pk, code, updated, by in rows}


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _datetime(value):
    return dt.datetime.fromisoformat(value) if value else None
