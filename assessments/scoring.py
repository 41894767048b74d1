"""Alignment scores, as plain functions of items, their principle links and the answers.

No database access here: the input is the items of an assessment record
(``assessments.record``), each with its links and answer, so the same code scores a live draft,
a submitted assessment's snapshot, or a synthetic benchmark. The method is written out
in docs/scoring.md, whose worked example a test reproduces exactly.

- Values: Yes = 1, Partially = 0.5, No = 0. Not applicable leaves both numerator and
  denominator; unanswered leaves the score but counts against coverage.
- Link weight = item weight × relevance (core 1.0, supporting 0.5).
- Instrument (and principle) score = Σ(link weight × value) / Σ(link weight), over the answered,
  applicable links to that instrument's (principle's) principles, as a percentage.
- Theme score: the same over items whose theme it is, weighted by item weight.
- Coverage = answered applicable weight / all applicable weight.
- The evidenced score counts a Yes without any evidence as Partially.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from assessments.record import ItemRecord
from assessments.record.types import TemplateLookup

VALUES = {"yes": 1.0, "partial": 0.5, "no": 0.0}
RELEVANCE = {"core": 1.0, "supporting": 0.5}
NOT_APPLICABLE = "na"
CHOICES = ("yes", "partial", "no", "na")

# Bands are codes; pages and reports put them into words.
STRONG, PARTIAL, WEAK = "strong", "partial", "weak"
STRONG_FROM, PARTIAL_FROM = 80.0, 50.0
MIN_COVERAGE = 0.6


@dataclass
class Tally:
    """Running sums for one instrument, principle or theme."""

    weight: float = 0.0  # applicable weight: answered or not, Not applicable excluded
    answered_weight: float = 0.0
    declared: float = 0.0
    evidenced: float = 0.0
    counts: dict = field(default_factory=lambda: dict.fromkeys((*CHOICES, "unanswered"), 0))
    items: set = field(default_factory=set)

    def add(self, code: str, weight: float, choice: str, has_evidence: bool) -> None:
        if code not in self.items:
            self.items.add(code)
            self.counts[choice or "unanswered"] += 1
        if choice == NOT_APPLICABLE:
            return
        self.weight += weight
        if not choice:
            return
        value = VALUES[choice]
        self.answered_weight += weight
        self.declared += weight * value
        evidenced = VALUES["partial"] if choice == "yes" and not has_evidence else value
        self.evidenced += weight * evidenced


@dataclass(frozen=True)
class Score(TemplateLookup):
    score: float | None  # declared, 0–100; None when nothing applicable is answered
    evidenced: float | None
    coverage: float | None  # 0–1; None when nothing is applicable
    band: str | None  # STRONG, PARTIAL or WEAK
    insufficient: bool
    counts: dict
    weight: float

    def as_dict(self) -> dict:
        return {
            "score": _round(self.score),
            "evidenced": _round(self.evidenced),
            "coverage": _round(self.coverage * 100) if self.coverage is not None else None,
            "band": self.band,
            "insufficient_answers": self.insufficient,
            "counts": dict(self.counts),
        }


def _round(value):
    return None if value is None else round(value, 1)


def band(score: float | None) -> str | None:
    if score is None:
        return None
    if score >= STRONG_FROM:
        return STRONG
    if score >= PARTIAL_FROM:
        return PARTIAL
    return WEAK


def _finish(tally: Tally) -> Score:
    score = 100 * tally.declared / tally.answered_weight if tally.answered_weight else None
    evidenced = 100 * tally.evidenced / tally.answered_weight if tally.answered_weight else None
    coverage = tally.answered_weight / tally.weight if tally.weight else None
    return Score(
        score=score,
        evidenced=evidenced,
        coverage=coverage,
        band=band(score),
        insufficient=coverage is not None and coverage < MIN_COVERAGE,
        counts=tally.counts,
        weight=tally.weight,
    )


@dataclass(frozen=True)
class Scores:
    instruments: dict[str, Score]
    principles: dict[str, Score]
    themes: dict[str, Score]


def _answer(item: ItemRecord) -> tuple[str, bool]:
    if item.answer is None:
        return "", False
    return item.answer.choice, item.answer.has_evidence


def score(items: Iterable[ItemRecord], instruments: Iterable[str] | None = None) -> Scores:
    """Score ``items`` by their answers.

    Only links to ``instruments`` count, when given; an item with none of them is left out.
    """
    selected = set(instruments) if instruments is not None else None
    by_instrument, by_principle, by_theme = defaultdict(Tally), defaultdict(Tally), defaultdict(Tally)
    for item in items:
        links = [link for link in item.links if selected is None or link.instrument_code in selected]
        if not links:
            continue
        choice, has_evidence = _answer(item)
        for link in links:
            weight = item.weight * RELEVANCE[link.relevance]
            by_instrument[link.instrument_code].add(item.code, weight, choice, has_evidence)
            by_principle[link.principle_code].add(item.code, weight, choice, has_evidence)
        by_theme[item.theme.code].add(item.code, float(item.weight), choice, has_evidence)
    if selected is not None:
        for code in selected:
            by_instrument.setdefault(code, Tally())
    return Scores(
        instruments={k: _finish(v) for k, v in by_instrument.items()},
        principles={k: _finish(v) for k, v in by_principle.items()},
        themes={k: _finish(v) for k, v in by_theme.items()},
    )


@dataclass(frozen=True)
class Gap(TemplateLookup):
    item: ItemRecord
    choice: str  # "no", "partial", or "" when unanswered
    priority: int
    instruments: tuple[str, ...]  # the covered instruments the item serves, by code


def gaps(items: Iterable[ItemRecord], instruments: Iterable[str] | None = None) -> list[Gap]:
    """Items answered No or Partially, and unanswered ones, most important first.

    Importance = item weight × the number of selected instruments the item serves, so a gap
    that drags down several instruments at once ranks above one that touches a single one.
    """
    selected = set(instruments) if instruments is not None else None
    ranked = []
    for item in items:
        served = {link.instrument_code for link in item.links if selected is None or link.instrument_code in selected}
        if not served:
            continue
        choice, _ = _answer(item)
        if choice in ("no", "partial", ""):
            ranked.append(Gap(item, choice, item.weight * len(served), tuple(sorted(served))))
    ranked.sort(key=lambda g: (-g.priority, {"no": 0, "": 1, "partial": 2}[g.choice], g.item.code))
    return ranked
