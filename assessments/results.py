"""Everything the results page, the exports and the report show, computed from a record.

Pure functions of an ``AssessmentRecord``: no database access and no templates, so the page, the
JSON export and the PDF report are all built from the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from assessments import findings as findings_module
from assessments import scoring
from assessments.labels import band_label, choice_label
from assessments.record import (
    AnswerRecord,
    AssessmentRecord,
    InstrumentRecord,
    ItemRecord,
    PrincipleRecord,
    ThemeRecord,
)
from assessments.record.types import TemplateLookup
from config.l10n import percent

NO_ANSWER = AnswerRecord(choice="")


@dataclass(frozen=True)
class InstrumentRow(TemplateLookup):
    instrument: InstrumentRecord
    score: scoring.Score


@dataclass(frozen=True)
class ThemeRow(TemplateLookup):
    theme: ThemeRecord
    score: scoring.Score


@dataclass(frozen=True)
class Results(TemplateLookup):
    record: AssessmentRecord
    scores: scoring.Scores
    gaps: list[scoring.Gap]  # the export's ranking (weight × instruments), kept as issued reports hash it
    instrument_rows: list[InstrumentRow]
    theme_rows: list[ThemeRow]
    # Every gap with its severity (docs/scoring.md), most severe first: what pages and reports list.
    findings: list[findings_module.Finding] = field(default_factory=list)

    @property
    def expired_evidence(self) -> int:
        """Answers whose evidence has expired (and so counts as none in the evidenced score)."""
        return sum(1 for item in self.record.items if item.answer is not None and item.answer.rests_on_expired_evidence)


def compute(record: AssessmentRecord) -> Results:
    if not record.complete:
        raise ValueError("Results need the whole checklist, not one section.")
    codes = record.instrument_codes()
    items = record.items
    scores = scoring.score(items, instruments=codes)
    return Results(
        record=record,
        scores=scores,
        gaps=scoring.gaps(items, instruments=codes),
        findings=findings_module.findings(items, instruments=codes),
        instrument_rows=[InstrumentRow(i, scores.instruments[i.code]) for i in record.instruments],
        theme_rows=[
            ThemeRow(s.theme, scores.themes[s.theme.code]) for s in record.sections if s.theme.code in scores.themes
        ],
    )


@dataclass(frozen=True)
class DrillEntry(TemplateLookup):
    item: ItemRecord
    relevance: str
    shown_under: str | None  # the principle this item is shown in full under, if an earlier one

    @property
    def answer(self) -> AnswerRecord:
        return self.item.answer or NO_ANSWER


@dataclass
class PrincipleBlock(TemplateLookup):
    principle: PrincipleRecord
    score: scoring.Score | None
    entries: list[DrillEntry]
    # Filled by the report, which prints each item in full once in the whole report.
    full: list[DrillEntry] = field(default_factory=list)
    also: list = field(default_factory=list)


@dataclass(frozen=True)
class Drilldown(TemplateLookup):
    instrument: InstrumentRecord
    score: scoring.Score
    principles: list[PrincipleBlock]


def instrument_drilldown(results: Results, code: str) -> Drilldown | None:
    """One instrument's principles, each with its score, quoted text and the items serving it
    with their answers. None when the assessment does not cover ``code``."""
    record = results.record
    instrument = next((i for i in record.instruments if i.code == code), None)
    if instrument is None:
        return None
    principles = [p for p in record.principles if p.instrument.code == code]
    serving = {p.code: [] for p in principles}
    for item in record.items:
        for link in item.links:
            if link.principle.code in serving:
                serving[link.principle.code].append((item, link.relevance))
    # An item serving several principles of this instrument is shown in full under the first,
    # and named under the others, so the page does not repeat the same answer.
    first_shown = {}
    blocks = []
    for p in principles:
        entries = []
        for item, relevance in serving[p.code]:
            entries.append(DrillEntry(item, relevance, first_shown.get(item.code)))
            first_shown.setdefault(item.code, p.code)
        blocks.append(PrincipleBlock(p, results.scores.principles.get(p.code), entries))
    return Drilldown(instrument, results.scores.instruments[code], blocks)


def comparison(results: Results, other: Results) -> dict[str, float]:
    """Per-instrument deltas (this − other), for instruments both assessments cover."""
    theirs = {row.instrument.code: row.score for row in other.instrument_rows}
    deltas = {}
    for row in results.instrument_rows:
        code, mine = row.instrument.code, row.score
        if code in theirs and mine.score is not None and theirs[code].score is not None:
            deltas[code] = round(mine.score - theirs[code].score, 1)
    return deltas


SUMMARY_GAPS = 3  # the largest gaps the summary names


def summary_sentences(results: Results, limit_gaps: int = SUMMARY_GAPS) -> list[str]:
    """Three to five plain sentences from the figures: strongest, weakest, largest gaps.

    Each sentence is whole, with named placeholders, and counts go through ``ngettext``, so
    that a translation can word the plural forms its own way ("1 instrument", "2 instruments").
    """
    scored = [r for r in results.instrument_rows if r.score.score is not None]
    sentences = []
    if not scored:
        return [gettext("No instrument can be scored yet: no applicable item has been answered.")]
    best = max(scored, key=lambda r: r.score.score)
    worst = min(scored, key=lambda r: r.score.score)
    sentences.append(
        gettext("The strongest alignment is with %(title)s (%(score)s, %(band)s).")
        % {
            "title": best.instrument.local.title,
            "score": percent(best.score.score),
            "band": band_label(best.score.band),
        }
    )
    if worst is not best:
        sentences.append(
            gettext("The weakest is %(title)s (%(score)s, %(band)s).")
            % {
                "title": worst.instrument.local.title,
                "score": percent(worst.score.score),
                "band": band_label(worst.score.band),
            }
        )
    flagged = [r.instrument.code for r in results.instrument_rows if r.score.insufficient]
    if flagged:
        sentences.append(
            ngettext(
                "Fewer than %(threshold)s of the applicable items are answered for %(codes)s, so its score rests on "
                "too few answers.",
                "Fewer than %(threshold)s of the applicable items are answered for %(codes)s, so those scores rest "
                "on too few answers.",
                len(flagged),
            )
            % {"codes": ", ".join(flagged), "threshold": percent(60, 0)}
        )
    gaps = results.gaps[:limit_gaps]
    if gaps:
        # Each item by code and title; titles may hold commas, so the others are set off by semicolons.
        top, others = gaps[0], [g.item.label for g in gaps[1:]]
        values = {
            "code": top.item.label,
            "answer": choice_label(top.choice).lower(),
            "count": len(top.instruments),
            "others": "; ".join(others),
        }
        if others:
            sentence = ngettext(
                "The largest gap is %(code)s (%(answer)s), which affects %(count)d instrument, followed by %(others)s.",
                "The largest gap is %(code)s (%(answer)s), which affects %(count)d instruments, followed by "
                "%(others)s.",
                values["count"],
            )
        else:
            sentence = ngettext(
                "The largest gap is %(code)s (%(answer)s), which affects %(count)d instrument.",
                "The largest gap is %(code)s (%(answer)s), which affects %(count)d instruments.",
                values["count"],
            )
        sentences.append(sentence % values)
    backed = [r for r in scored if r.score.evidenced is not None]
    if backed:
        drop = max(backed, key=lambda r: r.score.score - r.score.evidenced)
        if drop.score.score - drop.score.evidenced >= 5:
            sentences.append(
                gettext(
                    "Evidence backs the least of the declared alignment for %(code)s: %(declared)s declared "
                    "against %(evidenced)s evidenced."
                )
                % {
                    "code": drop.instrument.code,
                    "declared": percent(drop.score.score),
                    "evidenced": percent(drop.score.evidenced),
                }
            )
    return sentences[:5]
