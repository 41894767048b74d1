"""Undo: evidence files can be removed and answers cleared back to unanswered, on drafts, by
editors and owners, with the same conflict checks as any save, and recorded in the history."""

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Answer, AnswerRevision, EvidenceFile
from assessments.services import AnswerInput, AssessmentFrozen, answers_save, assessment_derive
from tests.assessments.helpers import answers_of, form_data, section_of, section_url
from tests.cast import as_user
from tests.factories import approve, seed_answers

THEME = "T05"


def pdf(name="policy.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n%evidence\n", content_type="application/pdf")


@pytest.fixture
def answered(cast, assessment):
    """The section's first item answered with a justification, a URL and two files."""
    item = section_of(assessment, THEME).items[0]
    seed_answers(
        assessment,
        cast.membership(cast.owner),
        codes=[item.code],
        choice="partial",
        justification="Only for the chatbot.",
        evidence=["https://evidence.example/log"],
        files=lambda n, i: [pdf("policy.pdf"), pdf("minutes.pdf")],
    )
    return section_of(assessment, THEME).items[0]


def keep(item, **changes):
    """An input that leaves ``item``'s answer as it is, with ``changes``."""
    answer = item.answer
    values = dict(
        item_id=item.id,
        item_code=item.code,
        choice=answer.choice,
        justification=answer.justification,
        evidence_urls=list(answer.evidence_urls),
        base_version=answer.version,
    )
    values.update(changes)
    return AnswerInput(**values)


# --- the service -----------------------------------------------------------------------------


def test_removing_a_file_deletes_it_after_commit_and_records_it(
    cast, assessment, answered, django_capture_on_commit_callbacks
):
    policy = EvidenceFile.objects.get(original_name="policy.pdf")
    stored = policy.file.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = answers_save(
            assessment=assessment,
            membership=cast.membership(cast.editor),
            inputs=[keep(answered, remove_files=[policy.code])],
        )
    assert result.saved == [answered.code]
    assert not EvidenceFile.objects.filter(pk=policy.pk).exists()
    # The stored file goes only once the save has committed.
    assert default_storage.exists(stored)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(stored)

    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["minutes.pdf"]
    revision = AnswerRevision.objects.get(answer__item_id=answered.id, version=2)
    assert revision.after["files_removed"] == ["policy.pdf"]
    assert revision.changed_by == cast.editor
    assert answers_of(assessment)[answered.code] == (
        "partial",
        "Only for the chatbot.",
        ("https://evidence.example/log",),
        2,
    )


def test_a_file_shared_with_the_submitted_assessment_stays_in_storage(
    cast, assessment, answered, django_capture_on_commit_callbacks
):
    owner = cast.membership(cast.owner)
    approve(assessment=assessment, membership=owner)
    assessment.refresh_from_db()
    draft = assessment_derive(assessment=assessment, membership=owner, title="Reopened")
    item = section_of(draft, THEME).items[0]
    copy = EvidenceFile.objects.get(answer__assessment=draft, original_name="policy.pdf")
    original = EvidenceFile.objects.get(answer__assessment=assessment, original_name="policy.pdf")
    assert copy.file.name == original.file.name

    with django_capture_on_commit_callbacks(execute=True):
        answers_save(assessment=draft, membership=owner, inputs=[keep(item, remove_files=[copy.code])])

    assert not EvidenceFile.objects.filter(pk=copy.pk).exists()
    assert default_storage.exists(original.file.name)  # the submitted record still has its evidence


def test_clearing_an_answer_makes_the_item_unanswered_and_records_it(cast, assessment, answered):
    result = answers_save(
        assessment=assessment, membership=cast.membership(cast.editor), inputs=[keep(answered, clear=True)]
    )
    assert result.saved == [answered.code]
    assert answers_of(assessment)[answered.code] == ("", "", (), 2)
    item = section_of(assessment, THEME).items[0]
    assert not item.answered and len(item.answer.files) == 2  # files stay unless removed
    revision = AnswerRevision.objects.get(answer__item_id=answered.id, version=2)
    assert revision.before["choice"] == "partial"
    assert revision.after["choice"] == "" and revision.after["cleared"] is True


def test_clearing_ignores_what_the_fields_say_and_refuses_new_files(cast, assessment, answered):
    editor = cast.membership(cast.editor)
    with pytest.raises(ValidationError, match="Clear the answer or add files"):
        answers_save(assessment=assessment, membership=editor, inputs=[keep(answered, clear=True, new_files=[pdf()])])
    assert EvidenceFile.objects.count() == 2
    answers_save(assessment=assessment, membership=editor, inputs=[keep(answered, clear=True, choice="maybe")])
    assert answers_of(assessment)[answered.code][0] == ""


def test_removing_and_clearing_from_a_stale_version_is_a_conflict(cast, assessment, answered):
    editor, owner = cast.membership(cast.editor), cast.membership(cast.owner)
    answers_save(assessment=assessment, membership=owner, inputs=[keep(answered, choice="no")])  # now version 2
    policy = EvidenceFile.objects.get(original_name="policy.pdf")
    for change in ({"remove_files": [policy.code]}, {"clear": True}):
        result = answers_save(assessment=assessment, membership=editor, inputs=[keep(answered, **change)])
        assert [c.item_code for c in result.conflicts] == [answered.code] and not result.saved
    assert EvidenceFile.objects.count() == 2
    assert answers_of(assessment)[answered.code][0] == "no"


def test_a_file_of_another_answer_or_a_bad_code_is_refused(cast, assessment, answered):
    editor = cast.membership(cast.editor)
    other = section_of(assessment, THEME).items[1]
    seed_answers(assessment, editor, codes=[other.code], files=lambda n, i: [pdf("other.pdf")])
    foreign = EvidenceFile.objects.get(original_name="other.pdf")
    for codes in ([foreign.code], ["not-a-uuid"], ["00000000-0000-0000-0000-000000000000"]):
        with pytest.raises(ValidationError, match="not one of this answer's files"):
            answers_save(assessment=assessment, membership=editor, inputs=[keep(answered, remove_files=codes)])
    assert EvidenceFile.objects.count() == 3
    # An item never answered has no files to remove.
    fresh = section_of(assessment, THEME).items[2]
    with pytest.raises(ValidationError, match="not one of this answer's files"):
        answers_save(
            assessment=assessment,
            membership=editor,
            inputs=[AnswerInput(fresh.id, fresh.code, "", "", [], 0, remove_files=[foreign.code])],
        )


def test_undo_needs_an_editor_and_a_draft(cast, assessment, answered):
    policy = EvidenceFile.objects.get(original_name="policy.pdf")
    with pytest.raises(PermissionDenied):
        answers_save(
            assessment=assessment, membership=cast.membership(cast.viewer), inputs=[keep(answered, clear=True)]
        )
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    with pytest.raises(AssessmentFrozen):
        answers_save(
            assessment=assessment,
            membership=cast.membership(cast.owner),
            inputs=[keep(answered, remove_files=[policy.code])],
        )
    assert EvidenceFile.objects.count() == 2 and Answer.objects.get().choice == "partial"


# --- the page --------------------------------------------------------------------------------


def test_the_page_offers_remove_and_clear_to_editors_only(client, cast, assessment, answered):
    url = section_url(assessment, THEME)
    policy = EvidenceFile.objects.get(original_name="policy.pdf")
    page = as_user(client, cast.editor).get(url).content.decode()
    assert f'name="{answered.code}-remove_files" value="{policy.code}"' in page
    assert f'name="{answered.code}-clear"' in page
    # Unanswered items have nothing to clear.
    fresh = section_of(assessment, THEME).items[1]
    assert f'name="{fresh.code}-clear"' not in page

    viewer = as_user(client, cast.viewer).get(url).content.decode()
    assert "remove_files" not in viewer and "-clear" not in viewer
    assert "policy.pdf" in viewer  # still listed, as a download


def test_removing_a_file_through_the_page(client, cast, assessment, answered):
    policy = EvidenceFile.objects.get(original_name="policy.pdf")
    data = form_data(assessment, THEME, **{answered.code: {"remove_files": [str(policy.code)]}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 302
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["minutes.pdf"]
    history = client.get(reverse("answer-history", args=[assessment.code, answered.code])).content.decode()
    assert "Files removed: policy.pdf" in history


def test_clearing_an_answer_through_the_page(client, cast, assessment, answered):
    data = form_data(assessment, THEME, **{answered.code: {"clear": "on"}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 302
    assert answers_of(assessment)[answered.code] == ("", "", (), 2)
    page = client.get(section_url(assessment, THEME)).content.decode()
    assert f'name="{answered.code}-choice" value="yes" id' in page
    assert "checked" not in page.split(f'id="answer-{answered.code}"')[1].split("</fieldset>")[0]
    history = client.get(reverse("answer-history", args=[assessment.code, answered.code])).content.decode()
    assert "The answer was cleared" in history


def test_a_forged_file_code_is_a_400_that_saves_nothing(client, cast, assessment, answered):
    for value in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        data = form_data(assessment, THEME, **{answered.code: {"remove_files": value, "choice": "yes"}})
        response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
        assert response.status_code == 400
        assert "not one of this answer's files" in html.unescape(response.content.decode())
    assert EvidenceFile.objects.count() == 2 and answers_of(assessment)[answered.code][0] == "partial"


def test_removal_is_refused_to_viewers_outsiders_and_on_submitted_assessments(client, cast, assessment, answered):
    policy = EvidenceFile.objects.get(original_name="policy.pdf")
    data = form_data(assessment, THEME, **{answered.code: {"remove_files": str(policy.code)}})
    url = section_url(assessment, THEME)
    assert as_user(client, cast.viewer).post(url, data).status_code == 403
    assert as_user(client, cast.outsider).post(url, data).status_code == 404
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    assert as_user(client, cast.owner).post(url, data).status_code == 409
    assert EvidenceFile.objects.filter(pk=policy.pk).exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("remove_files", ["", "x" * 5000, "00000000-0000-0000-0000-00000000000g"]),
        ("remove_files", "\x00"),
        ("staged", ["", "null", "x" * 5000]),
        ("staged", "{}"),
        ("clear", ["on", "off", "\x00"]),
        ("clear", "x" * 5000),
    ],
)
def test_junk_in_the_undo_fields_is_refused_or_ignored_never_a_500(client, cast, assessment, answered, field, value):
    data = form_data(assessment, THEME, **{answered.code: {field: value}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code in (302, 400)
    assert EvidenceFile.objects.count() == 2
    if response.status_code == 400:
        assert answers_of(assessment)[answered.code][3] == 1  # nothing saved
