"""Findings: every gap of an assessment with a severity, from one rule written in docs/scoring.md.

A finding is an item answered No or Partially, a Yes without evidence, or an item left
unanswered, for the instruments the assessment covers. Its severity (``high``, ``medium``,
``low``) comes from points, so that a reader can check any rating by hand:

- the answer: No 3, unanswered 2, Partially 2, Yes without evidence 1;
- the item's weight (1 to 3), added as it is;
- relevance: 1 more when the item serves a covered principle as core, none when it only
  supports;
- breadth: 1 more when it serves two or three covered instruments, 2 more for four or more.

High from 8 points, medium from 6, low below 6. A Yes without evidence reaches 7 points at most,
so it is never high: the practice is declared, and only its proof is missing.

Pure functions of record items, like ``assessments.scoring``: the results page and the report
rate gaps with the same lines. Severities are codes; pages put them into words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assessments.record import ItemRecord
from assessments.record.types import TemplateLookup

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITIES = (HIGH, MEDIUM, LOW)

# Kinds of finding, by answer. "unevidenced" is a Yes without evidence.
NO, UNANSWERED, PARTIAL, UNEVIDENCED = "no", "unanswered", "partial", "unevidenced"
ANSWER_POINTS = {NO: 3, UNANSWERED: 2, PARTIAL: 2, UNEVIDENCED: 1}
CORE_POINTS = 1
HIGH_FROM, MEDIUM_FROM = 8, 6
# Within one severity, the order a reader would fix them in.
KIND_ORDER = {NO: 0, UNANSWERED: 1, PARTIAL: 2, UNEVIDENCED: 3}


@dataclass(frozen=True)
class Finding(TemplateLookup):
    item: ItemRecord
    kind: str  # NO, UNANSWERED, PARTIAL or UNEVIDENCED
    severity: str  # HIGH, MEDIUM or LOW
    points: int
    instruments: tuple[str, ...]  # the covered instruments the item serves, by code
    core: bool  # serves at least one covered principle as core

    @property
    def choice(self) -> str:
        """The answer's code: "no", "partial", "yes" (without evidence) or "" (unanswered)."""
        return {NO: "no", UNANSWERED: "", PARTIAL: "partial", UNEVIDENCED: "yes"}[self.kind]

    @property
    def missing_evidence(self) -> bool:
        return self.kind == UNEVIDENCED


def kind_of(item: ItemRecord) -> str | None:
    """The kind of finding ``item`` is, or None when it is none (Yes with evidence, N/A)."""
    answer = item.answer
    choice = answer.choice if answer is not None else ""
    if choice == "no":
        return NO
    if choice == "partial":
        return PARTIAL
    if not choice:
        return UNANSWERED
    if choice == "yes" and not answer.has_evidence:
        return UNEVIDENCED
    return None


def breadth_points(instruments: int) -> int:
    if instruments >= 4:
        return 2
    if instruments >= 2:
        return 1
    return 0


def severity_of(points: int) -> str:
    if points >= HIGH_FROM:
        return HIGH
    if points >= MEDIUM_FROM:
        return MEDIUM
    return LOW


def rate(item: ItemRecord, kind: str, instruments: set[str] | None = None) -> Finding:
    links = [link for link in item.links if instruments is None or link.instrument_code in instruments]
    served = tuple(sorted({link.instrument_code for link in links}))
    core = any(link.relevance == "core" for link in links)
    points = ANSWER_POINTS[kind] + item.weight + (CORE_POINTS if core else 0) + breadth_points(len(served))
    return Finding(item, kind, severity_of(points), points, served, core)


def findings(items: Iterable[ItemRecord], instruments: Iterable[str] | None = None) -> list[Finding]:
    """Every finding of ``items`` for ``instruments`` (all, when None), most severe first.

    Order: severity, then points, then No before unanswered before Partially before a Yes without
    evidence, then item code, so the order is the same on every page and in every report.
    """
    selected = set(instruments) if instruments is not None else None
    found = []
    for item in items:
        if selected is not None and not any(link.instrument_code in selected for link in item.links):
            continue
        kind = kind_of(item)
        if kind is not None:
            found.append(rate(item, kind, selected))
    found.sort(key=sort_key)
    return found


def sort_key(finding: Finding):
    return (SEVERITIES.index(finding.severity), -finding.points, KIND_ORDER[finding.kind], finding.item.code)


def count_by_severity(found: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in found:
        counts[finding.severity] += 1
    return counts
