"""A submitted assessment's checklist as it stood when it was submitted.

Section pages read the library live while an assessment is a draft. Once it is submitted, they
read the snapshot taken at submission instead, so the questions, themes and principle links a
reader sees are the ones that were answered: a later rewording or retirement in the library
does not change the record. The answers themselves are read from their rows, which submission
locks (see ``assessments.selectors.assessment_sections``).

The small classes below mirror the attributes the section templates read from the library
models, so one template serves drafts and submitted assessments alike.
"""

from dataclasses import dataclass, field

from governance.models import ChecklistItem, Relevance


@dataclass(frozen=True)
class FrozenTheme:
    code: str
    name: str
    description: str = ""  # not part of the record


@dataclass(frozen=True)
class FrozenInstrument:
    code: str
    title_en: str


@dataclass(frozen=True)
class FrozenPrinciple:
    code: str
    heading_en: str
    instrument: FrozenInstrument


@dataclass(frozen=True)
class FrozenLink:
    principle: FrozenPrinciple
    relevance: str

    def get_relevance_display(self):
        return Relevance(self.relevance).label


@dataclass(frozen=True)
class FrozenItem:
    code: str
    question: str
    guidance: str = ""
    evidence_hint: str = ""
    links: list = field(default_factory=list)
    # Snapshots taken before schema 2 hold no guidance: the library's current text stands in,
    # and the page says so.
    guidance_is_current: bool = False


def _current_guidance(snapshot):
    missing = [row["code"] for row in snapshot["items"] if "guidance" not in row]
    if not missing:
        return {}
    rows = ChecklistItem.objects.filter(code__in=missing).values_list("code", "guidance", "evidence_hint")
    return {code: (guidance, hint) for code, guidance, hint in rows}


def frozen_checklist(snapshot):
    """(theme, item) for each item of the snapshot, in its order (by theme, then code)."""
    instruments = {i["code"]: FrozenInstrument(i["code"], i["title_en"]) for i in snapshot["instruments"]}
    principles = {
        p["code"]: FrozenPrinciple(p["code"], p["heading_en"], instruments[p["instrument"]])
        for p in snapshot["principles"]
    }
    current_guidance = _current_guidance(snapshot)
    for row in snapshot["items"]:
        links = [FrozenLink(principles[link["principle"]], link["relevance"]) for link in row["links"]]
        if "guidance" in row:
            item = FrozenItem(row["code"], row["question"], row["guidance"], row["evidence_hint"], links)
        else:
            guidance, hint = current_guidance.get(row["code"], ("", ""))
            item = FrozenItem(row["code"], row["question"], guidance, hint, links, guidance_is_current=True)
        yield FrozenTheme(row["theme"], row["theme_name"]), item


def item_as_answered(assessment, answer):
    """(theme code, question) of an answered item as the assessment shows it: from the snapshot
    once submitted, from the library before. The theme is None when a submitted assessment's
    checklist no longer held the item."""
    if not assessment.is_locked:
        return answer.item.theme.code, answer.item.question
    row = next((r for r in assessment.snapshot["items"] if r["code"] == answer.item.code), None)
    if row is None:
        return None, answer.item.question
    return row["theme"], row["question"]
