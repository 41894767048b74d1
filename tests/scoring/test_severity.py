"""The severity rule of docs/scoring.md ("Findings and their severity"), edge by edge."""

import pytest

from assessments.findings import HIGH, LOW, MEDIUM, count_by_severity, findings
from tests.factories import item, link


def links(n, relevance="core"):
    return [link(f"P{i}-1", f"P{i}", relevance) for i in range(n)]


def one(choice, weight=1, n=1, relevance="core", evidence=False):
    found = findings([item("X-01", weight, "T01", links(n, relevance), choice, evidence=evidence)])
    assert len(found) == 1
    return found[0]


def test_yes_with_evidence_and_not_applicable_are_not_findings():
    items = [
        item("A-01", 3, "T01", links(5), "yes", evidence=True),
        item("A-02", 3, "T01", links(5), "na"),
    ]
    assert findings(items) == []


@pytest.mark.parametrize(
    ("choice", "evidence", "kind", "points"),
    [
        ("no", False, "no", 3 + 1 + 1),
        ("partial", False, "partial", 2 + 1 + 1),
        (None, False, "unanswered", 2 + 1 + 1),
        ("", False, "unanswered", 2 + 1 + 1),
        ("yes", False, "unevidenced", 1 + 1 + 1),
    ],
)
def test_points_by_answer(choice, evidence, kind, points):
    found = one(choice, evidence=evidence)
    assert (found.kind, found.points) == (kind, points)


def test_weight_adds_its_value_and_core_adds_one():
    assert one("no", weight=3).points == 3 + 3 + 1
    assert one("no", weight=3, relevance="supporting").points == 3 + 3 + 0


@pytest.mark.parametrize(("instruments", "extra"), [(1, 0), (2, 1), (3, 1), (4, 2), (19, 2)])
def test_breadth(instruments, extra):
    assert one("no", weight=1, n=instruments).points == 3 + 1 + 1 + extra


def test_band_edges():
    # 8 points is high, 7 and 6 medium, 5 low.
    assert one("no", weight=3, n=2).severity == HIGH  # 3 + 3 + 1 + 1 = 8
    assert one("no", weight=3).severity == MEDIUM  # 3 + 3 + 1 = 7
    assert one("no", weight=2).severity == MEDIUM  # 3 + 2 + 1 = 6
    assert one("partial", weight=2).severity == LOW  # 2 + 2 + 1 = 5
    assert one("no", weight=1, relevance="supporting").severity == LOW  # 3 + 1 = 4


def test_a_yes_without_evidence_is_never_high():
    found = one("yes", weight=3, n=5)  # 1 + 3 + 1 + 2 = 7 points, the most it can have
    assert found.points == 7 and found.severity == MEDIUM and found.missing_evidence


def test_only_covered_instruments_count():
    it = item("X-01", 2, "T01", [link("A-1", "A"), link("B-1", "B", "supporting"), link("C-1", "C")], "no")
    assert findings([it], instruments=["B"])[0].points == 3 + 2 + 0 + 0  # supporting in B only
    assert findings([it], instruments=["A", "C"])[0].points == 3 + 2 + 1 + 1
    assert findings([it], instruments=["D"]) == []


def test_order_is_severity_then_points_then_kind_then_code():
    items = [
        item("Z-01", 1, "T01", links(1), "yes"),  # 3, low
        item("B-01", 3, "T01", links(4), "partial"),  # 2 + 3 + 1 + 2 = 8, high
        item("A-01", 3, "T01", links(4), "no"),  # 9, high
        item("C-01", 2, "T01", links(1), "no"),  # 6, medium
        item("D-01", 2, "T01", links(1), None),  # 5, low
        item("E-01", 2, "T01", links(1), "partial"),  # 5, low, after unanswered
        item("F-01", 3, "T01", links(4), "yes"),  # 7, medium
    ]
    found = findings(items)
    assert [f.item.code for f in found] == ["A-01", "B-01", "F-01", "C-01", "D-01", "E-01", "Z-01"]
    assert count_by_severity(found) == {"high": 2, "medium": 2, "low": 3}
