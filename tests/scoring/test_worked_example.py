"""docs/scoring.md's worked example, figure by figure."""

import pytest

from assessments.scoring import gaps, score
from tests.factories import answer, answered, item, link

ITEMS = [
    item("I1", 3, "T05", (link("A-1", "A", "core"), link("B-1", "B", "supporting"))),
    item("I2", 2, "T05", (link("A-1", "A", "core"),)),
    item("I3", 1, "T07", (link("A-2", "A", "core"), link("B-1", "B", "core"))),
    item("I4", 2, "T07", (link("A-2", "A", "supporting"),)),
    item("I5", 1, "T03", (link("B-1", "B", "core"),)),
    item("I6", 2, "T03", (link("B-1", "B", "supporting"),)),
]
ANSWERS = {
    "I1": answer("yes", has_evidence=True),
    "I2": answer("partial"),
    "I3": answer("no"),
    "I4": answer("na"),
    "I6": answer("yes", has_evidence=False),
}


@pytest.fixture(scope="module")
def result():
    return score(answered(ITEMS, ANSWERS), instruments=["A", "B"])


def figures(s):
    d = s.as_dict()
    return d["score"], d["band"], d["coverage"], d["evidenced"], d["insufficient_answers"]


def test_instruments(result):
    assert figures(result.instruments["A"]) == (66.7, "partial", 100.0, 66.7, False)
    assert figures(result.instruments["B"]) == (71.4, "partial", 77.8, 57.1, False)


def test_principles(result):
    assert figures(result.principles["A-1"]) == (80.0, "strong", 100.0, 80.0, False)
    assert figures(result.principles["A-2"]) == (0.0, "weak", 100.0, 0.0, False)
    assert figures(result.principles["B-1"]) == (71.4, "partial", 77.8, 57.1, False)


def test_themes(result):
    assert figures(result.themes["T05"]) == (80.0, "strong", 100.0, 80.0, False)
    assert figures(result.themes["T07"]) == (0.0, "weak", 100.0, 0.0, False)
    assert figures(result.themes["T03"]) == (100.0, "strong", 66.7, 50.0, False)


def test_counts_per_answer(result):
    assert result.instruments["A"].counts == {"yes": 1, "partial": 1, "no": 1, "na": 1, "unanswered": 0}
    assert result.instruments["B"].counts == {"yes": 2, "partial": 0, "no": 1, "na": 0, "unanswered": 1}


def test_coverage_under_60_percent_is_flagged_whatever_the_score():
    only_one = score(answered(ITEMS, {"I5": answer("yes", True)}), instruments=["B"])
    b = only_one.instruments["B"]
    assert b.as_dict()["score"] == 100.0 and b.band == "strong"
    assert b.insufficient and round(b.coverage * 100, 1) == 22.2


def test_an_instrument_with_no_answers_has_no_score_but_is_listed():
    empty = score(ITEMS, instruments=["A", "B", "C"])
    assert empty.instruments["A"].score is None and empty.instruments["A"].insufficient
    assert empty.instruments["C"].coverage is None and not empty.instruments["C"].insufficient


def test_gaps_rank_by_weight_times_instruments_served():
    ranked = gaps(answered(ITEMS, ANSWERS), instruments=["A", "B"])
    # I3 (weight 1 × 2 instruments) ties with I2 (weight 2 × 1); No ranks before Partially.
    assert [(g.item.code, g.choice, g.priority) for g in ranked] == [
        ("I3", "no", 2),
        ("I2", "partial", 2),
        ("I5", "", 1),
    ]
