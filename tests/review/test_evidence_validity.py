"""Evidence with a valid-until date: expired evidence does not count in the evidenced score, and
expiry is judged today for a draft and at the approval date for an approved assessment."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.results import compute
from assessments.selectors import assessment_record
from assessments.services import AnswerInput, answers_save
from assessments.services.actions import is_gap
from tests.cast import as_user
from tests.factories import approve, checklist

THEME = "T05"


def _answer(assessment, membership, valid_until):
    item = checklist(assessment, themes=[THEME])[0]
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(
                item.id, item.code, "yes", "Policy.", ["https://e.example/policy"], 0, evidence_valid_until=valid_until
            )
        ],
    )
    return item.code


def _item(assessment, code):
    return next(i for i in assessment_record(assessment=assessment).items if i.code == code)


def test_expired_evidence_does_not_count(cast, assessment):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    code = _answer(assessment, cast.membership(cast.editor), yesterday)
    item = _item(assessment, code)
    assert item.answer.rests_on_expired_evidence and not item.answer.has_evidence
    assert is_gap(item)  # Yes without evidence that counts
    results = compute(assessment_record(assessment=assessment))
    assert results.expired_evidence == 1


def test_evidence_valid_through_its_last_day(cast, assessment):
    code = _answer(assessment, cast.membership(cast.editor), timezone.localdate())
    assert _item(assessment, code).answer.has_evidence


def test_an_approved_record_judges_expiry_at_its_approval(cast, assessment, monkeypatch):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    code = _answer(assessment, cast.membership(cast.editor), tomorrow)
    approved = approve(assessment=assessment, membership=cast.membership(cast.owner))
    before = compute(assessment_record(assessment=approved)).scores.instruments
    # A week later the evidence has expired, but the approved record does not change.
    later = timezone.now() + dt.timedelta(days=7)
    monkeypatch.setattr(timezone, "now", lambda: later)
    item = _item(approved, code)
    assert item.answer.has_evidence and not item.answer.rests_on_expired_evidence
    assert compute(assessment_record(assessment=approved)).scores.instruments == before


def test_the_results_page_says_how_many_answers_rest_on_expired_evidence(client, cast, assessment):
    _answer(assessment, cast.membership(cast.editor), timezone.localdate() - dt.timedelta(days=30))
    body = as_user(client, cast.viewer).get(reverse("results", args=[assessment.code])).content.decode()
    assert "1 answer rests on expired evidence" in body


@pytest.mark.parametrize("value,status", [("2027-06-30", 302), ("not-a-date", 400)])
def test_the_section_form_takes_the_date(client, cast, assessment, value, status):
    from tests.assessments.helpers import form_data

    item = checklist(assessment, themes=[THEME])[0]
    data = form_data(assessment, THEME, **{item.code: {"choice": "yes", "justification": "x"}})
    data[f"{item.code}-evidence_valid_until"] = value
    data[f"{item.code}-evidence_urls"] = "https://e.example/a"
    response = as_user(client, cast.editor).post(reverse("section", args=[assessment.code, THEME]), data)
    assert response.status_code == status
    answer = _item(assessment, item.code).answer
    if status == 302:
        assert answer.evidence_valid_until == dt.date(2027, 6, 30)
    else:
        assert answer is None
