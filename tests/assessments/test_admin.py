import pytest
from django.urls import reverse

from assessments.models import Assessment, Invitation
from assessments.services import invitation_create
from tests.factories import approve, seed_answers


@pytest.fixture
def staff(admin_client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], limit=1, justification="Why.")
    invitation_create(
        membership=cast.membership(cast.owner), email="x@example.org", role="viewer", base_url="http://testserver"
    )
    return admin_client


@pytest.mark.parametrize("model", ["organisation", "invitation", "assessment", "answerrevision"])
def test_changelists(staff, model):
    assert staff.get(reverse(f"admin:assessments_{model}_changelist")).status_code == 200


def test_assessment_page_shows_answers_read_only(staff, assessment):
    response = staff.get(reverse("admin:assessments_assessment_change", args=[assessment.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Why." in body
    assert 'name="answers-0-choice"' not in body  # shown, not editable


def test_draft_title_can_be_corrected_but_not_a_submitted_one(staff, cast, assessment):
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    data = {
        "title": "Chatbot 2026 (EU)",
        "scope": "Customer chatbot",
        "description": "",
        "instruments": list(assessment.instruments.values_list("pk", flat=True)),
        "answers-TOTAL_FORMS": 1,
        "answers-INITIAL_FORMS": 1,
        "answers-MIN_NUM_FORMS": 0,
        "answers-MAX_NUM_FORMS": 1000,
    }
    assert staff.post(url, data).status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).title == "Chatbot 2026 (EU)"

    approve(assessment=assessment, membership=cast.membership(cast.owner))
    response = staff.post(url, dict(data, title="Rewritten history"))
    assert response.status_code == 403
    assert Assessment.objects.get(pk=assessment.pk).title == "Chatbot 2026 (EU)"


def test_invitation_and_organisation_pages(staff, cast):
    invitation = Invitation.objects.get()
    assert staff.get(reverse("admin:assessments_invitation_change", args=[invitation.pk])).status_code == 200
    response = staff.get(reverse("admin:assessments_organisation_change", args=[cast.organisation.pk]))
    assert response.status_code == 200
    assert "olivia" in response.content.decode()


def test_non_staff_are_sent_to_admin_sign_in(client, cast):
    client.force_login(cast.owner)
    response = client.get(reverse("admin:assessments_assessment_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
