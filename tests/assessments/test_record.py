"""The one record of an assessment: the same shape for a draft and a submitted assessment, one
section or all of them, and snapshots of every stored schema."""

import dataclasses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Assessment
from assessments.record.snapshot import SCHEMA, to_snapshot
from assessments.selectors import assessment_item, assessment_outline, assessment_record, assessment_records
from assessments.services import assessment_create
from governance.models import ChecklistItem, Instrument
from tests.factories import approve, seed_answers


@pytest.fixture
def answered(cast, assessment):
    upload = SimpleUploadedFile("policy.txt", b"The policy.", content_type="text/plain")
    seed_answers(
        assessment,
        cast.membership(cast.editor),
        themes=["T04", "T05"],
        choice="partial",
        justification="Line one.\nLine two.",
        evidence=["https://e.example/doc"],
        files=lambda n, item: [upload] if n == 0 else [],
    )
    return assessment


def _as_submitted(record):
    """A draft's record as its submission will show it: no library ids, nothing stale."""
    return dataclasses.replace(
        record,
        frozen=True,
        snapshot_schema=SCHEMA,
        sections=tuple(
            dataclasses.replace(
                s,
                items=tuple(
                    dataclasses.replace(i, id=None, answer=i.answer and dataclasses.replace(i.answer, stale=False))
                    for i in s.items
                ),
            )
            for s in record.sections
        ),
    )


def test_a_submitted_record_is_the_draft_record_it_froze(cast, answered):
    draft = assessment_record(assessment=answered)
    approve(assessment=answered, membership=cast.membership(cast.owner))
    submitted = assessment_record(assessment=Assessment.objects.get(pk=answered.pk))
    assert submitted == _as_submitted(draft)
    assert submitted.progress == draft.progress and submitted.progress.answered > 0
    files = next(i for i in submitted.items if i.answer and i.answer.files).answer.files
    assert files[0].name == "policy.txt" and files[0].code is not None and files[0].size == 11


def test_a_section_is_the_same_section_of_the_whole_record(answered):
    whole = assessment_record(assessment=answered)
    one = assessment_record(assessment=answered, section="T05")
    assert one.section("T05") == whole.section("T05")
    assert [s.progress for s in one.sections] == [s.progress for s in whole.sections]
    assert all(s.items is None for s in one.sections if s.theme.code != "T05")
    assert not one.complete and whole.complete
    assert assessment_outline(assessment=answered).progress == whole.progress


def test_records_of_several_drafts_load_together_and_equal_each_alone(cast, answered):
    other = assessment_create(
        membership=cast.membership(cast.owner),
        title="Other",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code__in=["HL", "OE19"]),
    )
    seed_answers(other, cast.membership(cast.owner), themes=["T03"], choice="no")
    together = assessment_records(assessments=[answered, other])
    assert together == [assessment_record(assessment=answered), assessment_record(assessment=other)]
    assert [i.code for i in together[1].instruments] == ["HL", "OE19"]


def test_only_the_principles_the_checklist_serves_are_in_the_record(answered):
    record = assessment_record(assessment=answered)
    served = {link.principle.code for item in record.items for link in item.links}
    assert {p.code for p in record.principles} == served


def test_a_retired_item_leaves_the_draft_record_but_not_the_submitted_one(cast, answered):
    code = assessment_record(assessment=answered, section="T05").section("T05").items[0].code
    approve(assessment=answered, membership=cast.membership(cast.owner))
    draft = assessment_create(
        membership=cast.membership(cast.owner),
        title="Draft",
        scope="S",
        description="",
        instruments=answered.instruments.all(),
    )
    ChecklistItem.objects.filter(code=code).update(active=False)
    assert code not in [i.code for i in assessment_record(assessment=draft).items]
    submitted = Assessment.objects.get(pk=answered.pk)
    assert code in [i.code for i in assessment_record(assessment=submitted).items]
    assert assessment_item(assessment=submitted, code=code).code == code
    assert assessment_item(assessment=draft, code=code) is None


def test_a_snapshot_needs_the_whole_checklist(answered):
    with pytest.raises(ValueError, match="whole checklist"):
        to_snapshot(assessment_record(assessment=answered, section="T05"))


def test_schema_2_snapshots_read_files_and_authors_from_the_locked_rows(
    client, cast, answered, django_assert_num_queries
):
    approve(assessment=answered, membership=cast.membership(cast.owner))
    snapshot = Assessment.objects.get(pk=answered.pk).snapshot
    # As submission wrote it before schema 3.
    for answer in snapshot["answers"].values():
        answer["files"] = [f["name"] for f in answer["files"]]
        del answer["updated_at"], answer["updated_by"]
    for row in snapshot["items"]:
        row["theme_name"] = next(t["name"] for t in snapshot["themes"] if t["code"] == row["theme"])
    del snapshot["themes"]
    snapshot["schema"] = 2
    Assessment.objects.filter(pk=answered.pk).update(snapshot=snapshot)

    old = Assessment.objects.get(pk=answered.pk)
    record = assessment_record(assessment=old)
    answer = next(i for i in record.items if i.answer and i.answer.files).answer
    assert answer.files[0].code is not None and answer.updated_by == cast.editor.username
    assert record.section("T05").theme.description == ""  # not kept before schema 3
    client.force_login(cast.viewer)
    # session, user; assessment, membership; answers with their authors, and their files; and,
    # before schema 4, the titles and translations from the library (themes, instruments,
    # principles, items); the section's comment threads
    with django_assert_num_queries(11):
        page = client.get(f"/assessments/{old.code}/sections/T04/")
    assert page.status_code == 200 and "policy.txt" in page.content.decode()
