"""Editing a draft's title, scope, description and instruments: a review of what changes to
the checklist first, then the save. No answer is ever deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments.models import Answer, Assessment
from assessments.selectors import assessment_edit_preview, assessment_outline, assessment_record, checklist_items
from assessments.services import AssessmentFrozen, assessment_update
from governance.models import ChecklistItem, Instrument
from tests.cast import as_user
from tests.factories import approve, seed_answers

FIVE = ["SH", "CF", "GA", "HL", "IC"]


def url(assessment):
    return reverse("assessment-edit", args=[assessment.code])


def ids(*codes):
    return [str(pk) for pk in Instrument.objects.filter(code__in=codes).values_list("pk", flat=True)]


def data(**overrides):
    values = {"title": "Chatbot 2026", "scope": "Customer chatbot", "description": "", "instruments": ids(*FIVE)}
    return {**values, **overrides}


def only_in_five(codes_kept):
    """Item codes on the five-instrument checklist that leave it when only ``codes_kept`` stay."""
    five = set(
        checklist_items(list(Instrument.objects.filter(code__in=FIVE).values_list("pk", flat=True))).values_list(
            "code", flat=True
        )
    )
    kept = set(
        checklist_items(list(Instrument.objects.filter(code__in=codes_kept).values_list("pk", flat=True))).values_list(
            "code", flat=True
        )
    )
    return sorted(five - kept)


@pytest.fixture
def answered(cast, assessment):
    """One answered item that leaves the checklist when only HL stays, one that stays."""
    leaving = only_in_five(["HL"])[0]
    staying = sorted(
        checklist_items(list(Instrument.objects.filter(code="HL").values_list("pk", flat=True))).values_list(
            "code", flat=True
        )
    )[0]
    seed_answers(assessment, cast.membership(cast.editor), codes=[leaving, staying], justification="Kept.")
    return assessment, leaving, staying


# --- the page --------------------------------------------------------------------------------


def test_the_overview_links_to_the_edit_page_for_editors_only(client, cast, assessment):
    assert (
        url(assessment)
        in as_user(client, cast.editor).get(reverse("assessment", args=[assessment.code])).content.decode()
    )
    assert (
        url(assessment)
        not in as_user(client, cast.viewer).get(reverse("assessment", args=[assessment.code])).content.decode()
    )


def test_edit_page_shows_the_current_values(client, cast, assessment, django_assert_num_queries):
    client = as_user(client, cast.editor)
    # session, user; assessment, membership; its instruments; the instruments on offer
    with django_assert_num_queries(6):
        response = client.get(url(assessment))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Chatbot 2026"' in body and 'value="Customer chatbot"' in body
    for pk in ids(*FIVE):
        assert f'value="{pk}"' in body
    assert body.count("checked") == len(FIVE)


def test_review_lists_what_changes_and_saves_nothing(client, cast, answered, django_assert_num_queries):
    assessment, leaving, staying = answered
    client = as_user(client, cast.editor)
    posted = data(title="Chatbot 2026 (HL only)", instruments=ids("HL"))
    # session, user; assessment, membership; its instruments; the chosen instruments (the
    # form's check); the preview: the instruments now, both checklists, the answered items
    with django_assert_num_queries(10):
        response = client.post(url(assessment), posted)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing is saved yet." in body
    assert "Chatbot 2026 (HL only)" in body
    assert "Removed: " in body and "Added: " not in body
    preview = response.context["preview"]
    assert leaving in [i.code for i in preview.leaving] and staying not in [i.code for i in preview.leaving]
    hl_only = ChecklistItem.objects.filter(active=True, principle_links__principle__instrument__code="HL").distinct()
    assert preview.before == assessment_outline(assessment=assessment).progress.total
    assert preview.after == hl_only.count()
    assert preview.leaving_unanswered == preview.before - preview.after - 1
    assert "answer kept, but not shown or scored" in body
    assert 'name="confirm" value="yes"' in body
    assessment.refresh_from_db()
    assert assessment.title == "Chatbot 2026" and assessment.instruments.count() == len(FIVE)


def test_save_changes_the_draft_and_keeps_every_answer(client, cast, answered):
    assessment, leaving, staying = answered
    before = set(Answer.objects.filter(assessment=assessment).values_list("item__code", "choice", "justification"))
    response = as_user(client, cast.editor).post(
        url(assessment),
        data(
            title="HL only", scope="The chatbot's model", description="Narrowed.", instruments=ids("HL"), confirm="yes"
        ),
    )
    assert response.status_code == 302 and response["Location"] == reverse("assessment", args=[assessment.code])
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert (assessment.title, assessment.scope, assessment.description) == (
        "HL only",
        "The chatbot's model",
        "Narrowed.",
    )
    assert [i.code for i in assessment.instruments.all()] == ["HL"]
    assert (
        set(Answer.objects.filter(assessment=assessment).values_list("item__code", "choice", "justification")) == before
    )
    shown = {i.code for i in assessment_record(assessment=assessment).items if i.answer}
    assert shown == {staying}  # the other answer is kept, not shown

    # Adding the instruments back brings the answer back, and the review says so.
    review = as_user(client, cast.editor).post(url(assessment), data(title="HL only", instruments=ids(*FIVE)))
    assert leaving in [i.code for i in review.context["preview"].returning]
    as_user(client, cast.editor).post(url(assessment), data(title="HL only", instruments=ids(*FIVE), confirm="yes"))
    shown = {i.code for i in assessment_record(assessment=Assessment.objects.get(pk=assessment.pk)).items if i.answer}
    assert shown == {staying, leaving}


def test_change_again_goes_back_to_the_form_with_the_values(client, cast, assessment):
    response = as_user(client, cast.editor).post(url(assessment), data(title="Renamed", back="1"))
    assert response.status_code == 200
    assert 'value="Renamed"' in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).title == "Chatbot 2026"


def test_a_description_counts_line_breaks_as_one_character(client, cast, assessment):
    description = ("x" * 99 + "\r\n") * 50  # 5,000 characters as typed, 5,050 as sent
    response = as_user(client, cast.editor).post(url(assessment), data(description=description, confirm="yes"))
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).description == description.replace("\r\n", "\n").strip()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": "  "}, "This field is required"),
        ({"scope": ""}, "This field is required"),
        ({"title": "t" * 201}, "at most 200 characters"),
        ({"description": "d" * 5001}, "at most 5,000 characters"),
        ({"instruments": []}, "This field is required"),
        ({"instruments": ["999999"]}, "Select a valid choice"),
        ({"instruments": ["99999999999999999999999"]}, "is not a valid value"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, cast, assessment, overrides, message):
    response = as_user(client, cast.editor).post(url(assessment), data(confirm="yes", **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert (assessment.title, assessment.instruments.count()) == ("Chatbot 2026", len(FIVE))


def test_viewers_cannot_edit(client, cast, assessment):
    client = as_user(client, cast.viewer)
    assert client.get(url(assessment)).status_code == 403
    assert client.post(url(assessment), data(title="Viewer's", confirm="yes")).status_code == 403
    assert Assessment.objects.get(pk=assessment.pk).title == "Chatbot 2026"


def test_outsiders_get_404_and_anonymous_sign_in(client, cast, assessment):
    assert client.get(url(assessment)).status_code == 302
    client = as_user(client, cast.outsider)
    assert client.get(url(assessment)).status_code == 404
    assert client.post(url(assessment), data(title="Theirs", confirm="yes")).status_code == 404
    assert Assessment.objects.get(pk=assessment.pk).title == "Chatbot 2026"


def test_a_submitted_assessment_cannot_be_edited(client, cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    client = as_user(client, cast.owner)
    assert client.get(url(assessment)).status_code == 409
    response = client.post(url(assessment), data(title="Changed", confirm="yes"))
    assert response.status_code == 409
    assert "keeps the title, scope and instruments it was sent with" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).title == "Chatbot 2026"


def test_other_methods_are_405(client, cast, assessment):
    client = as_user(client, cast.editor)
    assert client.put(url(assessment)).status_code == 405
    assert client.delete(url(assessment)).status_code == 405


# --- the service and the preview ---------------------------------------------------------------


def _update(assessment, membership, **overrides):
    values = {
        "title": "T",
        "scope": "S",
        "description": "",
        "instruments": Instrument.objects.filter(code="HL"),
        **overrides,
    }
    return assessment_update(assessment=assessment, membership=membership, **values)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": "  "}, "title", "The title is required"),
        ({"scope": "s" * 301}, "scope", "at most 300 characters"),
        ({"description": "\x00"}, "description", "NUL character"),
        ({"instruments": []}, "instruments", "Choose at least one instrument"),
        ({"title": None}, "title", "must be text"),
    ],
)
def test_the_service_refuses_bad_input(cast, assessment, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        _update(assessment, cast.membership(cast.editor), **overrides)
    assert message in " ".join(refused.value.message_dict[field])
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert (assessment.title, assessment.instruments.count()) == ("Chatbot 2026", len(FIVE))


def test_the_service_refuses_viewers_and_submitted_assessments(cast, assessment):
    with pytest.raises(PermissionDenied):
        _update(assessment, cast.membership(cast.viewer))
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    with pytest.raises(AssessmentFrozen):
        _update(assessment, cast.membership(cast.owner))
    assert Assessment.objects.get(pk=assessment.pk).title == "Chatbot 2026"


def test_a_retired_instrument_may_stay_but_not_be_added(client, cast, assessment):
    Instrument.objects.filter(code__in=["SH", "CE"]).update(retired=True)
    editor = cast.membership(cast.editor)
    kept = _update(assessment, editor, title="Renamed", instruments=Instrument.objects.filter(code__in=FIVE))
    assert sorted(i.code for i in kept.instruments.all()) == sorted(FIVE)
    with pytest.raises(ValidationError, match="Retired instruments cannot be assessed: CE"):
        _update(assessment, editor, instruments=Instrument.objects.filter(code__in=["HL", "CE"]))
    # The form offers the retired instrument the draft covers, so saving the title keeps it.
    body = as_user(client, cast.editor).get(url(assessment)).content.decode()
    assert "(retired)" in body and body.count("(retired)") == 1
    response = client.post(url(assessment), data(title="Renamed again", confirm="yes"))
    assert response.status_code == 302
    assert "SH" in [i.code for i in Assessment.objects.get(pk=assessment.pk).instruments.all()]


def test_preview_with_the_same_instruments_changes_nothing(cast, answered):
    assessment, _, _ = answered
    preview = assessment_edit_preview(assessment, list(assessment.instruments.all()))
    assert not preview.changes and preview.before == preview.after
