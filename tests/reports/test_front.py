"""The report's front section, written from the figures (assessments/front.py): ties, instruments
with too few answers, every instrument in one band, no gap and no answer at all."""

from assessments import front
from assessments.record import AssessmentRecord, Progress, SectionRecord
from assessments.results import compute
from tests.factories import _instrument, item, link


def results_of(items, instruments):
    items = list(items)
    answered = sum(1 for i in items if i.answered)
    record = AssessmentRecord(
        frozen=True,
        release="r1",
        instruments=tuple(_instrument(code) for code in instruments),
        principles=tuple({lk.principle.code: lk.principle for i in items for lk in i.links}.values()),
        sections=(SectionRecord(items[0].theme, Progress(answered, len(items)), tuple(items)),),
    )
    return compute(record)


def text(sentences):
    return " ".join(sentences)


def test_a_tie_for_strongest_names_both_and_says_they_share_it():
    results = results_of(
        [
            item("X-01", 1, "T01", [link("A-1", "A")], "yes", evidence=True),
            item("X-02", 1, "T01", [link("B-1", "B")], "yes", evidence=True),
            item("X-03", 1, "T01", [link("C-1", "C")], "no"),
        ],
        ["A", "B", "C"],
    )
    words = text(front.conclusion(results))
    assert "2 instruments share the strongest alignment, at 100%: Instrument A and Instrument B." in words
    assert "It is weakest with Instrument C, at 0%." in words
    assert "It is strongest with" not in words


def test_all_equal_says_so_and_names_no_strongest():
    results = results_of(
        [item("X-01", 1, "T01", [link("A-1", "A"), link("B-1", "B")], "partial")],
        ["A", "B"],
    )
    words = text(front.conclusion(results))
    assert "All 2 instruments that can be compared stand at the same evidenced alignment, 50%." in words
    assert "strongest" not in words and "weakest" not in words


def test_insufficient_coverage_is_never_ranked():
    items = [
        item("X-01", 3, "T01", [link("A-1", "A")], "yes", evidence=True),
        item("X-02", 1, "T01", [link("B-1", "B")], "partial"),
        # C: one small item answered No, three heavy ones unanswered: coverage 1/10, insufficient.
        item("X-03", 1, "T01", [link("C-1", "C")], "no"),
        *[item(f"X-1{n}", 3, "T01", [link("C-1", "C")]) for n in range(3)],
    ]
    results = results_of(items, ["A", "B", "C"])
    assert results.instrument_rows[2].score.insufficient
    words = text(front.conclusion(results))
    assert "weakest with Instrument B, at 50%" in words
    assert "Instrument C is not ranked: fewer than 60% of its applicable items are answered" in words
    assert "weakest with Instrument C" not in words


def test_all_in_one_band_says_the_bands_do_not_tell_them_apart():
    # Three instruments, all declared Partial (50 to under 80), at different percentages.
    items = [
        item("X-01", 1, "T01", [link("A-1", "A"), link("B-1", "B"), link("C-1", "C")], "yes", evidence=True),
        item("X-02", 1, "T01", [link("A-2", "A")], "partial"),
        item("X-03", 1, "T01", [link("B-2", "B")], "no"),
        item("X-04", 2, "T01", [link("C-2", "C")], "partial"),
    ]
    results = results_of(items, ["A", "B", "C"])
    assert {r.score.band for r in results.instrument_rows} == {"partial"}
    words = text(front.conclusion(results))
    assert "All 3 instruments that can be compared fall in the same band, Partial, so the bands do not tell" in words
    assert "ranges from 50% to 75%" in words


def test_overall_counts_every_link_once_and_whole_percentages():
    items = [
        item("X-01", 2, "T01", [link("A-1", "A")], "yes"),  # no evidence: 0.5 evidenced
        item("X-02", 1, "T01", [link("B-1", "B")], "yes", evidence=True),
    ]
    results = results_of(items, ["A", "B"])
    total = front.overall(results)
    assert (total.declared_pct, total.evidenced_pct) == (100, 67)  # (2×0.5 + 1) / 3 = 66.7
    gap = front.evidence_gap(results)
    assert gap.startswith("1 answer of Yes lists no evidence.")
    assert "from 100% declared to 67% evidenced" in gap
    assert "The largest drop is for Instrument A, from 100% to 50%." in gap


def test_no_answer_at_all():
    results = results_of([item("X-01", 1, "T01", [link("A-1", "A")])], ["A"])
    assert front.conclusion(results) == [
        "No conclusion can be drawn yet: none of the applicable items of the 1 instrument assessed has been answered."
    ]
    assert "nothing can be said" in front.evidence_gap(results)


def test_no_gap_and_evidence_agreeing():
    results = results_of([item("X-01", 1, "T01", [link("A-1", "A")], "yes", evidence=True)], ["A"])
    words = text(front.conclusion(results))
    assert "No gap was found" in words
    assert front.key_risks(results) == []
    assert "agree, at 100%" in front.evidence_gap(results)


def test_key_risks_three_to_five_with_why_they_matter():
    many = [link(f"{c}-1", c) for c in "ABCDE"]
    items = [item(f"H-0{n}", 3, "T01", many, "no") for n in range(7)]  # seven high
    items.append(item("L-01", 1, "T01", [link("A-1", "A", "supporting")], "partial"))
    results = results_of(items, list("ABCDE"))
    risks = front.key_risks(results)
    assert len(risks) == 5 and all(r.severity == "High" for r in risks)
    assert risks[0].why == (
        "The practice is not in place. It serves 5 of the 5 instruments assessed, as a core practice of at least "
        "one, and lowers each of their scores."
    )
    # No high finding: the three most severe of the rest.
    few = results_of(
        [item(f"M-0{n}", 1, "T01", [link("A-1", "A")], "partial") for n in range(4)],
        ["A"],
    )
    assert [r.finding.item.code for r in front.key_risks(few)] == ["M-00", "M-01", "M-02"]


def test_items_are_named_by_title_when_they_have_one():
    from dataclasses import replace

    bare = item("X-01", 1, "T01", [link("A-1", "A")], "no")
    assert front.item_name(bare) == "X-01 (“X-01?”)"
    if "title" in type(bare).__dataclass_fields__:  # short titles (#15)
        assert front.item_name(replace(bare, title="Diverse design input")) == "X-01 Diverse design input"


def test_join_names():
    assert front.join_names(["A"]) == "A"
    assert front.join_names(["A", "B"]) == "A and B"
    assert front.join_names(["A", "B", "C"]) == "A, B and C"


def test_sentences_are_joined_with_a_space_but_not_in_chinese():
    from django.utils import translation

    with translation.override("en"):
        assert front.join_sentences(["One.", "Two.", ""]) == "One. Two."
    with translation.override("zh-hans"):
        assert front.join_sentences(["第一句。", "第二句。"]) == "第一句。第二句。"
