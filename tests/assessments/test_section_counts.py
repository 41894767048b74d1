"""The side navigation's per-section counts, from aggregate queries, agree with the sections'
items: for one assessment (the section page's faster queries) and for several at once, with
answers to retired items and to items off the checklist left out."""

from assessments.models import Answer
from assessments.selectors import assessment_outline, assessment_record, assessment_records, assessments_progress
from assessments.services import assessment_create
from governance.models import ChecklistItem, Instrument, Theme
from tests.factories import seed_answers


def test_counts_of_one_and_of_several_assessments_agree_with_the_items(cast, assessment):
    owner = cast.membership(cast.owner)
    seed_answers(assessment, owner, themes=["T04", "T05"], choice="no", limit=6)
    seed_answers(assessment, owner, themes=["T07"], choice="", justification="", limit=1)  # saved, unanswered
    answered = assessment_record(assessment=assessment).items
    retired = next(i for i in answered if i.answered)
    ChecklistItem.objects.filter(pk=retired.id).update(active=False)
    # An active item that serves none of the assessment's instruments (every shipped item serves them).
    off = ChecklistItem.objects.create(
        code="OFF-01",
        theme=Theme.objects.get(code="T05"),
        question="Off the checklist?",
        guidance="G",
        evidence_hint="E",
        recommendation="R",
        weight=1,
    )
    Answer.objects.create(assessment=assessment, item=off, choice="yes", version=1)
    other = assessment_create(
        membership=owner, title="Other", scope="S", description="", instruments=Instrument.objects.filter(code="HL")
    )

    whole = assessment_record(assessment=assessment)
    expected = {s.theme.code: (sum(1 for i in s.items if i.answered), len(s.items)) for s in whole.sections}
    assert sum(a for a, _ in expected.values()) == 5  # six answered, one of them retired
    for counted in (
        assessment_record(assessment=assessment, section="T05"),
        assessment_outline(assessment=assessment),
        assessment_records(assessments=[assessment, other], section="T05")[0],
    ):
        assert {s.theme.code: (s.progress.answered, s.progress.total) for s in counted.sections} == expected
        assert [s.theme for s in counted.sections] == [s.theme for s in whole.sections]
    # Lists (the dashboard) count per assessment with their own queries: the same totals.
    progress = assessments_progress(assessments=[assessment, other])
    assert (progress[assessment.pk].answered, progress[assessment.pk].total) == (
        sum(a for a, _ in expected.values()),
        sum(t for _, t in expected.values()),
    )
    whole_other = assessment_record(assessment=other)
    assert (progress[other.pk].answered, progress[other.pk].total) == (0, len(whole_other.items))
