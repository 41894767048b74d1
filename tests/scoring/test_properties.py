"""Properties every scoring must keep, checked on random libraries and answers."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import Answer, Item, Link, score

INSTRUMENTS = ["A", "B", "C", "D"]
PRINCIPLES = [f"{i}-{n}" for i in INSTRUMENTS for n in range(3)]


@st.composite
def libraries(draw, min_items=1, max_items=25):
    n = draw(st.integers(min_items, max_items))
    items = []
    for k in range(n):
        principles = draw(st.lists(st.sampled_from(PRINCIPLES), min_size=1, max_size=4, unique=True))
        links = tuple(Link(p, p.split("-")[0], draw(st.sampled_from(["core", "supporting"]))) for p in principles)
        items.append(Item(f"X{k:03d}", draw(st.integers(1, 3)), draw(st.sampled_from(["T01", "T02", "T03"])), links))
    return items


answers_st = st.builds(Answer, st.sampled_from(["yes", "partial", "no", "na", ""]), st.booleans())


@st.composite
def assessments(draw):
    items = draw(libraries())
    # Some items stay unanswered (absent), the rest get any answer, blank included.
    answers = {i.code: draw(answers_st) for i in items if draw(st.booleans())}
    return items, answers


def all_scores(result):
    for group in (result.instruments, result.principles, result.themes):
        yield from group.items()


@settings(max_examples=100, deadline=None)
@given(assessments())
def test_every_score_lies_between_0_and_100(case):
    items, answers = case
    for _, s in all_scores(score(items, answers)):
        for value in (s.score, s.evidenced):
            assert value is None or 0 <= value <= 100
        assert s.coverage is None or 0 <= s.coverage <= 1
        assert s.evidenced is None or s.evidenced <= s.score + 1e-9


@settings(max_examples=100, deadline=None)
@given(assessments(), st.data())
def test_changing_no_to_yes_never_lowers_any_score(case, data):
    items, answers = case
    noes = [code for code, a in answers.items() if a.choice == "no"]
    if not noes:
        return
    code = data.draw(st.sampled_from(noes))
    before = score(items, answers)
    after = score(items, {**answers, code: Answer("yes", data.draw(st.booleans()))})
    for group_before, group_after in zip(
        (before.instruments, before.principles, before.themes), (after.instruments, after.principles, after.themes)
    ):
        for key, s in group_before.items():
            if s.score is None:  # nothing answered before: no score to lower
                continue
            assert group_after[key].score >= s.score - 1e-9
            assert group_after[key].evidenced >= s.evidenced - 1e-9


@settings(max_examples=100, deadline=None)
@given(assessments(), libraries(max_items=8))
def test_adding_not_applicable_items_never_changes_a_score(case, extra):
    items, answers = case
    extra = [Item(f"N{i.code}", i.weight, i.theme, i.links) for i in extra]
    before = score(items, answers)
    after = score(items + extra, {**answers, **{i.code: Answer("na") for i in extra}})
    for group_before, group_after in zip(
        (before.instruments, before.principles, before.themes), (after.instruments, after.principles, after.themes)
    ):
        for key, s in group_after.items():
            old = group_before.get(key)
            if old is None:  # a group only the new items reach: nothing applicable, no score
                assert s.score is None and s.coverage is None
                continue
            assert (s.score, s.evidenced, s.coverage, s.band) == (old.score, old.evidenced, old.coverage, old.band)


@settings(max_examples=100, deadline=None)
@given(assessments(), assessments(), st.sampled_from(INSTRUMENTS))
def test_an_instruments_score_depends_only_on_items_linked_to_it(case, noise, instrument):
    items, answers = case
    linked = [i for i in items if any(l.instrument == instrument for l in i.links)]
    # Unrelated items (renamed so codes cannot collide) with links to other instruments only.
    others = [
        Item(f"U{i.code}", i.weight, i.theme, tuple(l for l in i.links if l.instrument != instrument)) for i in noise[0]
    ]
    others = [i for i in others if i.links]
    noisy_answers = {f"U{code}": a for code, a in noise[1].items()}
    alone = score(linked, answers).instruments.get(instrument)
    mixed = score(linked + others, {**answers, **noisy_answers}).instruments.get(instrument)
    if alone is None:
        assert mixed is None
    else:
        assert _same(alone.score, mixed.score) and _same(alone.coverage, mixed.coverage)
        assert _same(alone.evidenced, mixed.evidenced)


def _same(a, b):
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b))
