"""Submitting and deleting ask first, on a page of their own, and a POST without the
confirmation locks or deletes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, Status
from assessments.selectors import assessment_outline
from tests.cast import as_user
from tests.factories import approve, seed_answers


def url(name, assessment):
    return reverse(name, args=[assessment.code])


def test_the_overview_links_to_the_confirmations_instead_of_acting(client, cast, assessment):
    body = as_user(client, cast.owner).get(url("assessment", assessment)).content.decode()
    for name in ("assessment-send", "assessment-delete"):
        assert f'href="{url(name, assessment)}"' in body
        assert f'action="{url(name, assessment)}"' not in body  # no one-click form on the overview


def test_send_asks_first_and_counts_the_unanswered_items(client, cast, assessment, django_assert_num_queries):
    total = assessment_outline(assessment=assessment).progress.total
    client = as_user(client, cast.owner)
    # session, user; assessment, membership; instruments; items per section, the sections'
    # themes, answered items per section
    with django_assert_num_queries(8):
        response = client.get(url("assessment-send", assessment))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{total} of {total} items are unanswered." in body
    assert "freezes its answers" in body
    assert 'name="confirm" value="yes"' in body
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DRAFT


def test_send_confirmation_with_some_answers(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"])
    progress = assessment_outline(assessment=assessment).progress
    body = as_user(client, cast.owner).get(url("assessment-send", assessment)).content.decode()
    assert f"{progress.total - progress.answered} of {progress.total} items are unanswered." in body


def test_a_post_without_the_confirmation_does_not_send(client, cast, assessment):
    response = as_user(client, cast.owner).post(url("assessment-send", assessment))
    assert response.status_code == 400
    assert "Nothing was sent" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT and assessment.snapshot is None


@pytest.mark.parametrize("value", ["", "no", "YES", "1"])
def test_only_the_confirmation_field_itself_confirms(client, cast, assessment, value):
    client = as_user(client, cast.owner)
    assert client.post(url("assessment-send", assessment), {"confirm": value}).status_code == 400
    assert client.post(url("assessment-delete", assessment), {"confirm": value}).status_code == 400
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_delete_asks_first_and_says_what_goes(client, cast, assessment, django_assert_num_queries):
    upload = SimpleUploadedFile("policy.txt", b"policy", content_type="text/plain")
    seed_answers(
        assessment,
        cast.membership(cast.owner),
        themes=["T05"],
        limit=3,
        justification="Because.",
        files=lambda n, item: [upload] if n == 0 else [],
    )
    client = as_user(client, cast.owner)
    # session, user; assessment, membership; answers, evidence files (two counts)
    with django_assert_num_queries(6):
        response = client.get(url("assessment-delete", assessment))
    assert response.status_code == 200
    body = response.content.decode()
    assert "This cannot be undone." in body
    assert "its 3 answers and their history" in body and "Its 1 evidence file is deleted too." in body
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_a_post_without_the_confirmation_does_not_delete(client, cast, assessment):
    response = as_user(client, cast.owner).post(url("assessment-delete", assessment))
    assert response.status_code == 400
    assert "Nothing was deleted" in response.content.decode()
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_confirmed_posts_act(client, cast, assessment):
    client = as_user(client, cast.owner)
    assert client.post(url("assessment-send", assessment), {"confirm": "yes"}).status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).status == Status.IN_REVIEW


@pytest.mark.parametrize(
    "name,role", [("assessment-send", "viewer"), ("assessment-delete", "editor"), ("assessment-delete", "viewer")]
)
def test_only_their_roles_see_the_confirmations(client, cast, assessment, name, role):
    assert as_user(client, getattr(cast, role)).get(url(name, assessment)).status_code == 403


def test_editors_send_for_review(client, cast, assessment):
    assert as_user(client, cast.editor).get(url("assessment-send", assessment)).status_code == 200


@pytest.mark.parametrize("name", ["assessment-send", "assessment-delete"])
def test_confirmations_of_a_submitted_assessment_are_409(client, cast, assessment, name):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    response = as_user(client, cast.owner).get(url(name, assessment))
    assert response.status_code == 409
    assert reverse("assessment", args=[assessment.code]) in response.content.decode()


@pytest.mark.parametrize("name", ["assessment-send", "assessment-delete"])
def test_confirmations_refuse_other_methods(client, cast, assessment, name):
    client = as_user(client, cast.owner)
    assert client.put(url(name, assessment)).status_code == 405
    assert client.delete(url(name, assessment)).status_code == 405
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DRAFT


# --- what the overview says about who submits, and about reopen and copy ----------------------


def test_editors_and_owners_see_send_for_review_and_viewers_do_not(client, cast, assessment):
    for user in (cast.editor, cast.owner):
        assert (
            url("assessment-send", assessment)
            in as_user(client, user).get(url("assessment", assessment)).content.decode()
        )
    assert (
        url("assessment-send", assessment)
        not in as_user(client, cast.viewer).get(url("assessment", assessment)).content.decode()
    )


def test_the_overview_says_how_reopen_and_copy_differ(client, cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    body = as_user(client, cast.owner).get(url("assessment", assessment)).content.decode()
    assert "a new draft titled “Chatbot 2026 (reopened)”" in body
    assert "a new draft titled “Copy of Chatbot 2026”" in body
    # As assessment_derive does it: both keep a link to this assessment and copy its answers.
    assert "links back to this one as the assessment it started from" in body
    for name, title in (("assessment-reopen", "Chatbot 2026 (reopened)"), ("assessment-copy", "Copy of Chatbot 2026")):
        as_user(client, cast.owner).post(url(name, assessment))
        draft = Assessment.objects.get(title=title)
        assert draft.source_id == assessment.pk
