"""The review: send for review (asks first), the review page, approve and return."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import review_selectors, selectors
from assessments.permissions import require_reviewer
from assessments.review_forms import ApproveForm, ReturnForm
from assessments.services import TransitionRefused, assessment_approve, assessment_return, assessment_send_for_review
from assessments.services.review import attestation_text
from assessments.views.errors import conflict


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def send(request, code):
    """GET asks first (saying how many items are unanswered); POST with ``confirm`` sends."""
    assessment, membership = selectors.assessment_for_editor(request.user, code)
    if assessment.is_frozen:
        return conflict(request, TransitionRefused(_("This assessment is already in review or approved.")), assessment)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            assessment_send_for_review(assessment=assessment, membership=membership)
        except TransitionRefused as exc:
            return conflict(request, exc, assessment)
        messages.success(request, _("Sent for review. The answers are frozen until a reviewer approves or returns it."))
        return redirect("review", code=assessment.code)
    record = selectors.assessment_outline(assessment=assessment)
    return render(
        request,
        "assessments/confirm_send.html",
        {
            "assessment": assessment,
            "progress": record.progress,
            "unanswered": record.progress.total - record.progress.answered,
            "unconfirmed": request.method == "POST",
        },
        status=400 if request.method == "POST" else 200,
    )


def _review_page(request, assessment, membership, *, approve_form=None, return_form=None, status=200):
    record = selectors.assessment_outline(assessment=assessment)
    sent_it = assessment.submitted_by_id == membership.user_id
    return render(
        request,
        "assessments/review.html",
        {
            "assessment": assessment,
            "membership": membership,
            "record": record,
            "summary": review_selectors.review_summary(assessment=assessment),
            "can_decide": assessment.in_review and membership.can_review,
            "four_eyes_blocks": assessment.in_review and assessment.organisation.four_eyes and sent_it,
            "attestation": attestation_text(date=timezone.localdate(), reviewer=request.user),
            "approve_form": approve_form or ApproveForm(),
            "return_form": return_form or ReturnForm(),
            "last_return": review_selectors.last_return(assessment=assessment),
        },
        status=status,
    )


@login_required
@require_safe
def review(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    return _review_page(request, assessment, membership)


@login_required
@require_POST
def approve(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    require_reviewer(membership)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _review_page(request, assessment, membership, approve_form=form, status=400)
    try:
        assessment_approve(assessment=assessment, membership=membership, attest=form.cleaned_data["attest"])
    except TransitionRefused as exc:
        return conflict(request, exc, assessment)
    messages.success(request, _("Approved. The results and the report are now final."))
    return redirect("review", code=assessment.code)


@login_required
@require_POST
def return_to_draft(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    require_reviewer(membership)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _review_page(request, assessment, membership, return_form=form, status=400)
    try:
        assessment_return(assessment=assessment, membership=membership, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        form.add_error("reason", exc.message_dict.get("reason", exc.messages))
        return _review_page(request, assessment, membership, return_form=form, status=400)
    except TransitionRefused as exc:
        return conflict(request, exc, assessment)
    messages.success(request, _("Returned to draft. Its answers can be changed again; the reason is on its overview."))
    return redirect("assessment", code=assessment.code)
