"""The results summary and badges: whole sentences, correct plurals, a badge of its own for
insufficient answers, and no comparison form when there is nothing to compare with."""

import pytest
from django.urls import reverse

from assessments import results
from assessments.selectors import assessment_record
from assessments.services import assessment_create
from governance.models import Instrument
from tests.cast import as_user
from tests.css import contrast, css_rules
from tests.factories import seed_answers


def make(cast, codes, title="Small"):
    return assessment_create(
        membership=cast.membership(cast.owner),
        title=title,
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code__in=codes),
    )


def summary(assessment):
    return results.summary_sentences(results.compute(assessment_record(assessment=assessment)))


def test_one_instrument_is_singular(cast):
    one = make(cast, ["SH"])
    seed_answers(one, cast.membership(cast.owner), themes=["T05"], choice="no")
    text = " ".join(summary(one))
    assert "1 instruments" not in text
    assert "which affects 1 instrument, followed by" in text
    # One flagged instrument: its score, not "those scores".
    assert "answered for SH, so its score rests on too few answers." in text


def test_several_instruments_are_plural(cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), choice="no")
    text = " ".join(summary(assessment))
    assert "instruments, followed by" in text
    assert "The largest gap is " in text and "(no)" in text


def test_a_single_gap_names_no_followers(cast):
    one = make(cast, ["SH"])
    owner = cast.membership(cast.owner)
    codes = seed_answers(one, owner, choice="yes")
    # All answered Yes except one, answered No.
    from assessments.services import AnswerInput, answers_save

    item = next(i for i in assessment_record(assessment=one).items if i.code == codes[0])
    answers_save(assessment=one, membership=owner, inputs=[AnswerInput(item.id, item.code, "no", "Not yet.", [], 1)])
    sentence = next(s for s in summary(one) if s.startswith("The largest gap"))
    assert sentence == f"The largest gap is {item.code} {item.title} (no), which affects 1 instrument."


def test_insufficient_answers_have_their_own_badge_not_the_partial_bands(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], choice="partial")
    body = as_user(client, cast.viewer).get(reverse("results", args=[assessment.code])).content.decode()
    flag = body.index("Insufficient answers")
    badge = body[body.rindex("<span", 0, flag) : flag]
    assert 'class="badge flag-insufficient"' in badge
    assert "text-bg-warning" not in badge and "band-partial" not in badge
    assert 'class="badge band-partial"' in body  # the band it must not look like


def test_the_insufficient_badge_looks_different_from_the_partial_band():
    rules = css_rules()
    partial, flag = rules[".band-partial"], rules[".flag-insufficient"]
    assert partial["background"] != flag["background"]
    assert "dashed" in flag["border"]
    assert contrast(flag["color"], flag["background"]) >= 4.5


def test_no_comparison_form_without_another_assessment(client, cast, assessment):
    url = reverse("results", args=[assessment.code])
    client = as_user(client, cast.viewer)
    assert 'name="compare"' not in client.get(url).content.decode()
    make(cast, ["SH"], title="Another")
    assert 'name="compare"' in client.get(url).content.decode()


@pytest.mark.parametrize("count", [1, 2])
def test_results_with_one_or_two_instruments_draw_bars(client, cast, count):
    few = make(cast, ["SH", "HL"][:count])
    seed_answers(few, cast.membership(cast.owner), themes=["T05"])
    response = as_user(client, cast.viewer).get(reverse("results", args=[few.code]))
    assert response.context["radar"]["kind"] == "bars"
    assert "radar-bars" in response.content.decode()
