"""The services enforce their rules themselves: called directly with bad input they raise a
clear ValidationError (or PermissionDenied for the wrong role) and write nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Answer, Assessment, Invitation, Membership, Organisation
from assessments.selectors import assessment_for_editor, assessment_for_owner
from assessments.services import (
    AnswerInput,
    AssessmentFrozen,
    TransitionRefused,
    account_signup,
    answers_save,
    assessment_create,
    assessment_derive,
    invitation_create,
    membership_set_role,
)
from assessments.services.rules import MAX_ID
from governance.models import ChecklistItem, Instrument
from tests.factories import approve, checklist


def _input(item, **overrides):
    values = {"choice": "yes", "justification": "", "evidence_urls": [], "base_version": 0, "new_files": []}
    values.update(overrides)
    return AnswerInput(
        item.id,
        item.code,
        values["choice"],
        values["justification"],
        values["evidence_urls"],
        values["base_version"],
        values["new_files"],
    )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"choice": "maybe"}, "Not a valid answer"),
        ({"choice": "partial"}, "a justification is required for Partially and Not applicable"),
        ({"choice": "na", "justification": "   "}, "a justification is required"),
        ({"justification": "x" * 5001}, "may be at most 5,000 characters; this one has 5,001"),
        ({"justification": "bad \x00 byte"}, "NUL character"),
        ({"justification": 42}, "must be text"),
        ({"evidence_urls": ["javascript:alert(1)"]}, "Not an http(s) URL"),
        ({"evidence_urls": "https://e.example"}, "must be a list"),
        ({"evidence_urls": [f"https://e.example/{n}" for n in range(21)]}, "At most 20 evidence URLs"),
        ({"evidence_urls": ["https://e.example/" + "a" * 2100]}, "Not an http(s) URL"),
        ({"base_version": -1}, "damaged or out of date"),
        ({"base_version": MAX_ID + 1}, "damaged or out of date"),
        ({"base_version": "1"}, "damaged or out of date"),
        ({"new_files": [SimpleUploadedFile("run.exe", b"MZ")]}, "only CSV, DOCX"),
    ],
)
def test_answers_save_refuses_bad_input_and_writes_nothing(cast, assessment, overrides, message):
    item = checklist(assessment)[0]
    with pytest.raises(ValidationError) as refused:
        answers_save(assessment=assessment, membership=cast.membership(cast.editor), inputs=[_input(item, **overrides)])
    assert message in " ".join(refused.value.messages)
    assert item.code in refused.value.message_dict
    assert not Answer.objects.exists()


def test_line_breaks_count_once_so_a_full_justification_with_crlf_saves(cast, assessment):
    item = checklist(assessment)[0]
    text = ("x" * 98 + "\r\n") * 50  # 5,000 characters as typed, 5,050 as a browser sends them
    answers_save(
        assessment=assessment,
        membership=cast.membership(cast.editor),
        inputs=[_input(item, choice="partial", justification=text)],
    )
    assert Answer.objects.get().justification == text.replace("\r\n", "\n")


def test_answers_save_refuses_items_off_the_checklist_and_duplicates(cast, assessment):
    on, off = checklist(assessment)[:2]
    ChecklistItem.objects.filter(code=off.code).update(active=False)  # retired: off every checklist
    membership = cast.membership(cast.editor)
    with pytest.raises(ValidationError, match=f"Not on this assessment's checklist: {off.code}"):
        answers_save(assessment=assessment, membership=membership, inputs=[_input(on), _input(off)])
    with pytest.raises(ValidationError, match="appears twice"):
        answers_save(assessment=assessment, membership=membership, inputs=[_input(on), _input(on)])
    assert not Answer.objects.exists()


def test_answers_save_refuses_viewers_and_frozen_assessments(cast, assessment):
    item = checklist(assessment)[0]
    with pytest.raises(PermissionDenied):
        answers_save(assessment=assessment, membership=cast.membership(cast.viewer), inputs=[_input(item)])
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    with pytest.raises(AssessmentFrozen):
        answers_save(assessment=assessment, membership=cast.membership(cast.owner), inputs=[_input(item)])
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"title": "  "}, "title", "The title is required"),
        ({"title": "t" * 201}, "title", "at most 200 characters"),
        ({"scope": ""}, "scope", "The scope is required"),
        ({"scope": "s" * 301}, "scope", "at most 300 characters"),
        ({"description": "d" * 5001}, "description", "at most 5,000 characters"),
        ({"description": "\x00"}, "description", "NUL character"),
        ({"instruments": []}, "instruments", "Choose at least one instrument"),
        ({"title": None}, "title", "must be text"),
    ],
)
def test_assessment_create_refuses_bad_input(cast, fields, field, message):
    values = {"title": "T", "scope": "S", "description": "", "instruments": Instrument.objects.filter(code="SH")}
    values.update(fields)
    with pytest.raises(ValidationError) as refused:
        assessment_create(membership=cast.membership(cast.owner), **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Assessment.objects.exists()


def test_assessment_create_refuses_retired_instruments_and_viewers(cast):
    Instrument.objects.filter(code="SH").update(retired=True)
    with pytest.raises(ValidationError, match="Retired instruments cannot be assessed: SH"):
        assessment_create(
            membership=cast.membership(cast.owner),
            title="T",
            scope="S",
            description="",
            instruments=Instrument.objects.filter(code="SH"),
        )
    with pytest.raises(PermissionDenied):
        assessment_create(
            membership=cast.membership(cast.viewer),
            title="T",
            scope="S",
            description="",
            instruments=Instrument.objects.filter(code="HL"),
        )
    assert not Assessment.objects.exists()


def test_deriving_needs_a_submitted_assessment(cast, assessment):
    with pytest.raises(TransitionRefused, match="Only an approved assessment"):
        assessment_derive(assessment=assessment, membership=cast.membership(cast.owner), title="Copy")


@pytest.mark.parametrize(
    "email, role, message",
    [
        ("not-an-address", "editor", "Enter a valid email address"),
        ("a" * 250 + "@example.org", "editor", "at most 254 characters"),
        ("new@example.org", "admin", "Choose owner, editor, reviewer or viewer"),
        (None, "editor", "at most 254 characters"),
    ],
)
def test_invitation_create_refuses_bad_input(cast, email, role, message):
    with pytest.raises(ValidationError, match=message):
        invitation_create(membership=cast.membership(cast.owner), email=email, role=role, base_url="http://x")
    assert not Invitation.objects.exists()


def test_invitation_create_needs_an_owner(cast):
    with pytest.raises(PermissionDenied):
        invitation_create(
            membership=cast.membership(cast.editor), email="n@example.org", role="viewer", base_url="http://x"
        )


def test_membership_set_role_refuses_unknown_roles(cast):
    target = cast.membership(cast.viewer)
    with pytest.raises(ValidationError, match="Choose owner, editor, reviewer or viewer"):
        membership_set_role(acting=cast.membership(cast.owner), target=target, role="superuser")
    assert Membership.objects.get(pk=target.pk).role == "viewer"


def test_signup_refuses_a_blank_organisation_and_creates_no_user(db):
    with pytest.raises(ValidationError, match="organisation name is required"):
        account_signup(username="new", email="n@example.org", password="a-long-password-1", organisation_name=" ")
    assert not Organisation.objects.exists()


def test_access_helpers_say_403_for_the_wrong_role_and_404_for_outsiders(cast, assessment):
    from django.http import Http404

    assert assessment_for_editor(cast.editor, assessment.code)[0] == assessment
    assert assessment_for_owner(cast.owner, assessment.code)[0] == assessment
    with pytest.raises(PermissionDenied):
        assessment_for_editor(cast.viewer, assessment.code)
    with pytest.raises(PermissionDenied):
        assessment_for_owner(cast.editor, assessment.code)
    with pytest.raises(Http404):
        assessment_for_owner(cast.outsider, assessment.code)
