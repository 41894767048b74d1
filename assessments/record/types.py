"""The typed read model of an assessment, as plain frozen dataclasses.

Nothing here touches the database: the loaders in this package fill these from the library or
from a snapshot, and scoring, results, exports and the report read only these. Stored values are
codes (``"yes"``, ``"core"``, ``"strong"``); words for them are chosen when a page renders.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from governance import translations as tr


def _translations():
    """Translated texts by language, as the library holds them (``governance.translations``):
    the record stays language-neutral, and ``record.local`` picks the active language."""
    return field(default_factory=dict, compare=False, repr=False)


class TemplateLookup:
    """Django templates look ``record.name`` up as ``record["name"]`` first, and only then as an
    attribute, catching the TypeError a dataclass raises: answering the first try directly
    saves an exception per lookup, which on a section page of hundreds of items is a good
    part of its rendering time."""

    __slots__ = ()

    def __getitem__(self, name):
        try:
            return getattr(self, name)
        except (AttributeError, TypeError):
            raise KeyError(name) from None


@dataclass(frozen=True, slots=True)
class InstrumentRecord(tr.Translatable, TemplateLookup):
    # The record keeps no summary (no page of an assessment prints one).
    TRANSLATED = {"title": "title_en"}

    code: str
    title_en: str
    title_original: str
    language: str
    issuer: str
    kind: str
    official_date: dt.date | None
    date_note: str
    catalogue_title: str
    catalogue_issuer: str
    catalogue_date: dt.date | None
    catalogue_url: str
    source_url: str
    confidence: str
    confidence_note: str
    translations: dict = _translations()


@dataclass(frozen=True, slots=True)
class PrincipleRecord(tr.Translatable, TemplateLookup):
    TRANSLATED = tr.TRANSLATED["governance.principle"]

    code: str
    instrument: InstrumentRecord
    position: int
    label: str
    section: str
    heading_en: str
    heading_original: str
    summary: str
    quoted_text: str
    quote_citation: str
    quote_url: str
    translations: dict = _translations()

    def untranslated(self, key, language):
        return tr.principle_original_heading(self.heading_original, self.instrument.language, key, language)


@dataclass(frozen=True, slots=True)
class LinkRecord(TemplateLookup):
    """An item serving a principle, ``core`` or ``supporting``."""

    principle: PrincipleRecord
    relevance: str

    @property
    def principle_code(self) -> str:
        return self.principle.code

    @property
    def instrument_code(self) -> str:
        return self.principle.instrument.code


@dataclass(frozen=True, slots=True)
class ThemeRecord(tr.Translatable, TemplateLookup):
    TRANSLATED = tr.TRANSLATED["governance.theme"]

    code: str
    name: str
    description: str = ""
    translations: dict = _translations()


@dataclass(frozen=True, slots=True)
class FileRecord(TemplateLookup):
    """An evidence file. ``code`` (the download id) and ``size`` are None when the record comes
    from a snapshot that kept only file names and the file row is gone."""

    name: str
    code: uuid.UUID | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True)
class AnswerRecord(TemplateLookup):
    choice: str  # "yes", "partial", "no", "na", or "" when saved without a choice
    justification: str = ""
    evidence_urls: tuple[str, ...] = ()
    files: tuple[FileRecord, ...] = ()
    version: int = 0
    updated_at: dt.datetime | None = None
    updated_by: str | None = None  # username
    stale: bool = False  # given to wording the library has changed since
    evidence_valid_until: dt.date | None = None
    # Past ``evidence_valid_until`` at the record's reference date: today for a draft or an
    # assessment in review, the approval date for an approved one (so a final record never moves).
    evidence_expired: bool = False

    @property
    def answered(self) -> bool:
        return bool(self.choice)

    @property
    def has_evidence(self) -> bool:
        """Evidence that counts: some is listed, and it has not expired."""
        return bool(self.evidence_urls or self.files) and not self.evidence_expired

    @property
    def rests_on_expired_evidence(self) -> bool:
        return bool(self.evidence_urls or self.files) and self.evidence_expired


@dataclass(frozen=True, slots=True)
class ItemRecord(tr.Translatable, TemplateLookup):
    TRANSLATED = tr.TRANSLATED["governance.checklistitem"]

    code: str
    theme: ThemeRecord
    question: str
    guidance: str
    evidence_hint: str
    recommendation: str
    weight: int
    links: tuple[LinkRecord, ...]
    answer: AnswerRecord | None = None  # None: never saved
    id: int | None = None  # the library row, for saving answers to a draft
    # Snapshots taken before guidance was kept show the library's current text, labelled.
    guidance_is_current: bool = False
    title: str = ""  # a short name of the practice; "" only in snapshots that kept none
    translations: dict = _translations()

    @property
    def label(self) -> str:
        """``code title`` in the active language, or the code alone when there is no title."""
        title = self.local.title
        return f"{self.code} {title}" if title else self.code

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.answered


@dataclass(frozen=True, slots=True)
class ItemKey(TemplateLookup):
    """An item of a draft's section by its library id and code: what a save needs of it."""

    id: int
    code: str


@dataclass(frozen=True, slots=True)
class Progress(TemplateLookup):
    """Answered items of a checklist (or of one section of it)."""

    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.answered + other.answered, self.total + other.total)


@dataclass(frozen=True, slots=True)
class SectionRecord(TemplateLookup):
    """A theme's part of the checklist. ``items`` is None when only its counts were loaded."""

    theme: ThemeRecord
    progress: Progress
    items: tuple[ItemRecord, ...] | None = None

    @property
    def loaded(self) -> bool:
        return self.items is not None


@dataclass(frozen=True, slots=True)
class AssessmentRecord(TemplateLookup):
    """What an assessment is answered, scored and reported on.

    ``sections`` always lists every section of the checklist with its counts; their items are
    loaded for all sections, for one when the record was loaded for a section page, or for none
    in an ``outline`` (an overview page). ``principles`` are those the loaded items serve.
    """

    frozen: bool
    release: str | None
    instruments: tuple[InstrumentRecord, ...]
    principles: tuple[PrincipleRecord, ...]  # every principle of the instruments, in order
    sections: tuple[SectionRecord, ...]
    snapshot_schema: int | None = None  # the stored schema a frozen record was read from
    outline: bool = False

    @property
    def complete(self) -> bool:
        return all(s.loaded for s in self.sections)

    @property
    def items(self) -> tuple[ItemRecord, ...]:
        """The loaded items, by theme then code."""
        return tuple(item for s in self.sections if s.items for item in s.items)

    @property
    def progress(self) -> Progress:
        return sum((s.progress for s in self.sections), Progress(0, 0))

    def section(self, theme: str) -> SectionRecord | None:
        return next((s for s in self.sections if s.theme.code == theme), None)

    def neighbours(self, theme: str) -> tuple[int, SectionRecord | None]:
        """The 1-based number of section ``theme`` and the section after it."""
        codes = [s.theme.code for s in self.sections]
        index = codes.index(theme)
        following = self.sections[index + 1] if index + 1 < len(self.sections) else None
        return index + 1, following

    def instrument_codes(self) -> list[str]:
        return [i.code for i in self.instruments]
