"""Whole-library checks that a single record cannot show (used by ``check_library`` and, for
principles left unserved, by ``load_library``)."""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass

from governance.library.schema import SCHEMAS

# Two questions this similar are reported as near duplicates. Similarity is difflib's ratio
# over the questions' words (normalised: case folded, punctuation dropped), from 0 (nothing in
# common) to 1 (the same words in the same order): twice the words of the longest matching runs
# over the words of both. The shipped library's most similar pair scores 0.36; a question copied
# and lightly reworded (a word changed, a clause added or dropped) scores 0.8 or more.
SIMILAR_FROM = 0.75


def coverage_problems(data):
    """Principles that no active item serves, items that serve no principle, and required
    texts that are empty. Returns a list of messages, empty when the library is sound."""
    problems = [f"principle {code}: no active checklist item serves it" for code in unserved_principles(data)]
    for code, item in sorted(data.items.items()):
        if not item["principles"]:
            problems.append(f"item {code}: serves no principle")
    for model, records in data.records.items():
        schema = SCHEMAS[model]
        required_text = [f.name for f in schema.fields if f.required and f.kind in ("text", "url")]
        for key, fields in sorted(records.items()):
            for name in required_text:
                if not str(fields.get(name) or "").strip():
                    problems.append(f"{model} {key}: required field {name!r} is empty")
    return problems


def unserved_principles(data, codes=None) -> list[str]:
    """Codes of the principles (of ``codes``, when given) that no active item serves."""
    served = {link["principle"] for item in data.items.values() if item["active"] for link in item["principles"]}
    wanted = data.principles if codes is None else [c for c in codes if c in data.principles]
    return sorted(code for code in wanted if code not in served)


def normalised(text: str) -> str:
    """Text as compared for similarity: case folded, words only, single spaces."""
    return " ".join(re.findall(r"\w+", text.casefold()))


@dataclass(frozen=True)
class NearDuplicate:
    first: str
    second: str
    similarity: float

    def message(self) -> str:
        return (
            f"items {self.first} and {self.second} ask nearly the same question (similarity "
            f"{self.similarity:.2f}, warned from {SIMILAR_FROM:.2f}): if they ask the same thing, keep one and link "
            "it to both principles"
        )


def near_duplicates(data, threshold: float = SIMILAR_FROM) -> list[NearDuplicate]:
    """Pairs of active items whose questions are at least ``threshold`` similar, most similar
    first. Every pair is compared, cheapest bounds first (difflib's real_quick_ratio and
    quick_ratio never underestimate the ratio): the shipped library's 3,400 pairs take well
    under a second."""
    questions = [
        (code, normalised(item["question"]).split()) for code, item in sorted(data.items.items()) if item["active"]
    ]
    found = []
    for (a, qa), (b, qb) in itertools.combinations(questions, 2):
        matcher = difflib.SequenceMatcher(None, qa, qb, autojunk=False)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold:
            found.append(NearDuplicate(a, b, round(ratio, 2)))
    return sorted(found, key=lambda d: (-d.similarity, d.first, d.second))
