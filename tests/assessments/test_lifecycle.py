"""Submit, reopen, copy and delete; and what a submission freezes."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Assessment, Status
from assessments.selectors import assessment_record, dashboard_rows
from governance.models import ChecklistItem, Principle, Theme
from tests.assessments.helpers import answers_of, items_in
from tests.cast import as_user
from tests.factories import approve, seed_answers


def answer(assessment, membership, theme="T05", choice="yes"):
    [code] = seed_answers(
        assessment,
        membership,
        themes=[theme],
        limit=1,
        choice=choice,
        justification="Because.",
        evidence=["https://e.example/x"],
    )
    return code


def url(name, assessment):
    return reverse(name, args=[assessment.code])


def test_sending_for_review_freezes_and_approval_locks(client, cast, assessment):
    code = answer(assessment, cast.membership(cast.editor))
    response = as_user(client, cast.editor).post(url("assessment-send", assessment), {"confirm": "yes"})

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.IN_REVIEW
    assert assessment.submitted_by == cast.editor and assessment.submitted_at is not None
    assert assessment.snapshot["answers"][code]["choice"] == "yes"
    assert assessment.frozen_item_count == len(assessment.snapshot["items"]) > 40
    response = as_user(client, cast.owner).post(url("assessment-approve", assessment), {"attest": "on"})
    assert response.status_code == 302
    page = client.get(url("assessment", assessment)).content.decode()
    assert "This assessment is approved" in page and "Send for review" not in page


def test_sending_twice_changes_nothing(client, cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    before = Assessment.objects.get(pk=assessment.pk)
    response = as_user(client, cast.owner).post(url("assessment-send", assessment), {"confirm": "yes"})
    assert response.status_code == 409
    assert "already in review or approved" in response.content.decode()
    after = Assessment.objects.get(pk=assessment.pk)
    assert (after.submitted_at, after.snapshot) == (before.submitted_at, before.snapshot)


def test_viewers_do_not_send(client, cast, assessment):
    response = as_user(client, cast.viewer).post(url("assessment-send", assessment), {"confirm": "yes"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_library_edits_after_submission_do_not_change_the_record(cast, assessment):
    code = answer(assessment, cast.membership(cast.owner), theme="T04")
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    frozen = Assessment.objects.get(pk=assessment.pk).snapshot

    ChecklistItem.objects.filter(code=code).update(question="Reworded question?", weight=1)
    Principle.objects.filter(code="SH-6").update(quoted_text="Edited.", quote_citation="x")
    ChecklistItem.objects.filter(code=items_in(assessment, "T05")[0]).update(active=False)

    assert Assessment.objects.get(pk=assessment.pk).snapshot == frozen
    sh6 = next(p for p in frozen["principles"] if p["code"] == "SH-6")
    assert sh6["quoted_text"].startswith("6. Transparent regulation")


def test_submitted_section_pages_show_the_checklist_as_submitted(client, cast, assessment, django_assert_num_queries):
    code = answer(assessment, cast.membership(cast.owner), theme="T04")
    retired = items_in(assessment, "T05")[0]
    original = ChecklistItem.objects.get(code=code).question
    total = assessment_record(assessment=assessment).progress.total
    approve(assessment=assessment, membership=cast.membership(cast.owner))

    guidance = ChecklistItem.objects.get(code=code).guidance
    ChecklistItem.objects.filter(code=code).update(question="Reworded question?", guidance="Reworded guidance.")
    ChecklistItem.objects.filter(code=retired).update(active=False)
    Theme.objects.filter(code="T04").update(name="Renamed theme")

    client = as_user(client, cast.viewer)
    # session, user; assessment (with its snapshot), membership: the snapshot holds the rest;
    # the section's comment threads
    with django_assert_num_queries(5):
        page = client.get(reverse("section", args=[assessment.code, "T04"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert original in text and "Reworded question?" not in text and "Renamed theme" not in text
    assert escape(guidance) in text and "Reworded guidance." not in text
    assert "as they were worded when it was sent for review" in text
    assert retired in client.get(reverse("section", args=[assessment.code, "T05"])).content.decode()
    detail = client.get(url("assessment", assessment))
    assert f"1 of {total}" in detail.content.decode()
    assert client.post(reverse("section", args=[assessment.code, "T04"]), {}).status_code == 403


def test_section_pages_of_an_old_snapshot_show_todays_guidance_and_say_so(client, cast, assessment):
    code = answer(assessment, cast.membership(cast.owner), theme="T04")
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    snapshot = Assessment.objects.get(pk=assessment.pk).snapshot
    for row in snapshot["items"]:  # as submission wrote it before snapshot schema 2
        del row["guidance"], row["evidence_hint"]
    snapshot["schema"] = 1
    Assessment.objects.filter(pk=assessment.pk).update(snapshot=snapshot)

    page = as_user(client, cast.viewer).get(reverse("section", args=[assessment.code, "T04"])).content.decode()
    assert escape(ChecklistItem.objects.get(code=code).guidance) in page
    assert "today's library text: this assessment was submitted before guidance was kept with it" in page


def test_history_of_a_submitted_answer_links_to_its_section_as_submitted(client, cast, assessment):
    code = answer(assessment, cast.membership(cast.owner), theme="T04")
    original = ChecklistItem.objects.get(code=code).question
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    ChecklistItem.objects.filter(code=code).update(theme=Theme.objects.get(code="T01"), question="Moved and reworded?")

    page = as_user(client, cast.viewer).get(reverse("answer-history", args=[assessment.code, code]))
    assert page.status_code == 200
    assert page.context["back"] == reverse("section", args=[assessment.code, "T04"])
    assert original in page.content.decode() and "Moved and reworded?" not in page.content.decode()


def test_dashboard_counts_only_answers_on_the_submitted_checklist(client, cast, assessment):
    answer(assessment, cast.membership(cast.owner), theme="T04")
    dropped = answer(assessment, cast.membership(cast.owner), theme="T05")
    ChecklistItem.objects.filter(code=dropped).update(active=False)  # retired before submission
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert dropped not in assessment.snapshot["answers"]

    row = next(r for r in dashboard_rows(assessment.organisation) if r.assessment.pk == assessment.pk)
    progress = (row.progress.answered, row.progress.total)
    assert progress == (1, assessment.frozen_item_count) == (1, len(assessment.snapshot["items"]))


def test_reopen_makes_a_new_draft_from_the_answers(client, cast, assessment):
    code = answer(assessment, cast.membership(cast.owner))
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    before = answers_of(assessment)

    response = as_user(client, cast.owner).post(url("assessment-reopen", assessment))

    draft = Assessment.objects.exclude(pk=assessment.pk).get()
    assert response["Location"] == url("assessment", draft)
    assert draft.status == Status.DRAFT and draft.source == assessment
    assert draft.title == "Chatbot 2026 (reopened)"
    assert answers_of(draft)[code][:3] == before[code][:3]
    assert answers_of(assessment) == before
    assert Assessment.objects.get(pk=assessment.pk).status == Status.APPROVED


def test_copy_makes_a_new_draft(client, cast, assessment):
    answer(assessment, cast.membership(cast.owner))
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    as_user(client, cast.owner).post(url("assessment-copy", assessment))
    assert Assessment.objects.filter(title="Copy of Chatbot 2026", status=Status.DRAFT).count() == 1


def test_a_draft_cannot_be_reopened(client, cast, assessment):
    assert as_user(client, cast.owner).post(url("assessment-reopen", assessment)).status_code == 409
    assert Assessment.objects.count() == 1


def test_owner_deletes_a_draft_but_not_a_submitted_one(client, cast, assessment):
    client = as_user(client, cast.owner)
    assert client.post(url("assessment-delete", assessment), {"confirm": "yes"}).status_code == 302
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_submitted_assessments_cannot_be_deleted(client, cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    assert as_user(client, cast.owner).post(url("assessment-delete", assessment), {"confirm": "yes"}).status_code == 409
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_editors_cannot_delete(client, cast, assessment):
    assert (
        as_user(client, cast.editor).post(url("assessment-delete", assessment), {"confirm": "yes"}).status_code == 403
    )
    assert Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.parametrize("name", ["assessment-send", "assessment-reopen", "assessment-copy", "assessment-delete"])
def test_lifecycle_actions_are_404_for_outsiders_and_need_sign_in(client, cast, assessment, name):
    assert client.post(url(name, assessment), {"confirm": "yes"}).status_code == 302  # anonymous: to sign-in
    client = as_user(client, cast.outsider)
    assert client.post(url(name, assessment), {"confirm": "yes"}).status_code == 404
    # GET asks for confirmation on submit and delete; reopen and copy take only POST.
    assert client.get(url(name, assessment)).status_code == (
        405 if name in ("assessment-reopen", "assessment-copy") else 404
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT and Assessment.objects.count() == 1


@pytest.mark.parametrize("name", ["assessment-reopen", "assessment-copy"])
def test_reopen_and_copy_are_405_for_get(client, cast, assessment, name):
    assert as_user(client, cast.owner).get(url(name, assessment)).status_code == 405
