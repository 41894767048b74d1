"""Alignment scores, as plain functions of items, their principle links and the answers.

No database access here: the caller passes plain data, so the same code scores a live draft,
a submitted assessment's frozen snapshot, or a synthetic benchmark. The method is written out
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
from dataclasses import dataclass, field

VALUES = {"yes": 1.0, "partial": 0.5, "no": 0.0}
RELEVANCE = {"core": 1.0, "supporting": 0.5}
NOT_APPLICABLE = "na"
CHOICES = ("yes", "partial", "no", "na")

STRONG, PARTIAL = 80.0, 50.0
MIN_COVERAGE = 0.6


@dataclass(frozen=True)
class Link:
    principle: str
    instrument: str
    relevance: str


@dataclass(frozen=True)
class Item:
    code: str
    weight: int
    theme: str
    links: tuple  # of Link


@dataclass(frozen=True)
class Answer:
    choice: str  # "yes", "partial", "no", "na", or "" when unanswered
    has_evidence: bool = False


@dataclass
class Tally:
    """Running sums for one instrument, principle or theme."""

    weight: float = 0.0  # applicable weight: answered or not, Not applicable excluded
    answered_weight: float = 0.0
    declared: float = 0.0
    evidenced: float = 0.0
    counts: dict = field(default_factory=lambda: dict.fromkeys((*CHOICES, "unanswered"), 0))
    items: set = field(default_factory=set)

    def add(self, code, weight, answer):
        if code not in self.items:
            self.items.add(code)
            self.counts[answer.choice or "unanswered"] += 1
        if answer.choice == NOT_APPLICABLE:
            return
        self.weight += weight
        if not answer.choice:
            return
        value = VALUES[answer.choice]
        self.answered_weight += weight
        self.declared += weight * value
        evidenced = VALUES["partial"] if answer.choice == "yes" and not answer.has_evidence else value
        self.evidenced += weight * evidenced


@dataclass(frozen=True)
class Score:
    score: float | None  # declared, 0–100; None when nothing applicable is answered
    evidenced: float | None
    coverage: float | None  # 0–1; None when nothing is applicable
    band: str | None
    insufficient: bool
    counts: dict
    weight: float

    def as_dict(self):
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


def band(score):
    if score is None:
        return None
    if score >= STRONG:
        return "Strong"
    if score >= PARTIAL:
        return "Partial"
    return "Weak"


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
    instruments: dict  # code -> Score
    principles: dict
    themes: dict


def score(items, answers, instruments=None) -> Scores:
    """Score ``items`` (an iterable of Item) given ``answers`` (item code -> Answer).

    Only links to ``instruments`` count, when given; an item with none of them is left out.
    """
    selected = set(instruments) if instruments is not None else None
    by_instrument, by_principle, by_theme = defaultdict(Tally), defaultdict(Tally), defaultdict(Tally)
    unanswered = Answer("")
    for item in items:
        links = [l for l in item.links if selected is None or l.instrument in selected]
        if not links:
            continue
        answer = answers.get(item.code, unanswered)
        for link in links:
            weight = item.weight * RELEVANCE[link.relevance]
            by_instrument[link.instrument].add(item.code, weight, answer)
            by_principle[link.principle].add(item.code, weight, answer)
        by_theme[item.theme].add(item.code, float(item.weight), answer)
    if selected is not None:
        for code in selected:
            by_instrument.setdefault(code, Tally())
    return Scores(
        instruments={k: _finish(v) for k, v in by_instrument.items()},
        principles={k: _finish(v) for k, v in by_principle.items()},
        themes={k: _finish(v) for k, v in by_theme.items()},
    )


def gaps(items, answers, instruments=None):
    """Items answered No or Partially, and unanswered ones, most important first.

    Importance = item weight × the number of selected instruments the item serves, so a gap
    that drags down several instruments at once ranks above one that touches a single one.
    """
    selected = set(instruments) if instruments is not None else None
    ranked = []
    for item in items:
        served = {l.instrument for l in item.links if selected is None or l.instrument in selected}
        if not served:
            continue
        choice = answers[item.code].choice if item.code in answers else ""
        if choice in ("no", "partial", ""):
            ranked.append((item.weight * len(served), item.code, choice, sorted(served)))
    ranked.sort(key=lambda g: (-g[0], {"no": 0, "": 1, "partial": 2}[g[2]], g[1]))
    return [
        {"item": code, "choice": choice, "priority": priority, "instruments": served}
        for priority, code, choice, served in ranked
    ]
