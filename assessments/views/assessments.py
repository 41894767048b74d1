"""Creating an assessment, its overview, and its lifecycle: submit, reopen, copy, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import selectors
from assessments.forms import AssessmentForm
from assessments.services import (
    AssessmentLocked,
    assessment_create,
    assessment_delete,
    assessment_derive,
    assessment_submit,
    assessment_upgrade,
)
from governance.selectors import current_release


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request):
    membership, _ = selectors.current_membership(request)
    if membership is None:
        raise Http404("You are not a member of any organisation.")
    if not membership.can_edit:
        raise PermissionDenied("Viewers cannot create assessments.")
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = assessment_create(membership=membership, **form.cleaned_data)
        messages.success(
            request, "Assessment created. Answer the checklist section by section; work saves per section."
        )
        return redirect("assessment", code=assessment.code)
    return render(
        request, "assessments/create.html", {"form": form, "membership": membership}, status=400 if form.errors else 200
    )


@login_required
@require_safe
def detail(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    sections = selectors.assessment_sections(assessment)
    answered = sum(s.answered for s in sections)
    total = sum(s.total for s in sections)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "membership": membership,
            "sections": sections,
            "answered": answered,
            "total": total,
            "percent": round(100 * answered / total) if total else 0,
            "instruments": assessment.instruments.all(),
            "newer_release": _newer_release(assessment),
        },
    )


def _newer_release(assessment):
    release = current_release()
    if assessment.is_locked or release is None or release.pk == assessment.release_id:
        return None
    return release


@login_required
@require_POST
def submit(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    try:
        assessment_submit(assessment=assessment, membership=membership)
    except AssessmentLocked as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Submitted. The assessment is now locked and read-only.")
    return redirect("assessment", code=assessment.code)


def _derive(request, code, *, title_format, note):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    draft = assessment_derive(
        assessment=assessment, membership=membership, title=title_format.format(title=assessment.title)[:200]
    )
    messages.success(request, note)
    return redirect("assessment", code=draft.code)


@login_required
@require_POST
def reopen(request, code):
    return _derive(
        request,
        code,
        title_format="{title} (reopened)",
        note="A new draft starts from the submitted answers. The submitted assessment stays as it was.",
    )


@login_required
@require_POST
def copy(request, code):
    return _derive(request, code, title_format="Copy of {title}", note="A copy was made as a new draft.")


@login_required
@require_POST
def delete(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    try:
        assessment_delete(assessment=assessment, membership=membership)
    except AssessmentLocked as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, f"Deleted “{assessment.title}”.")
    return redirect("dashboard")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upgrade(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    if not membership.is_owner:
        raise PermissionDenied("Only owners may move an assessment to a new library release.")
    if assessment.is_locked:
        raise PermissionDenied("A submitted assessment keeps the release it was submitted with.")
    if request.method == "POST":
        assessment_upgrade(assessment=assessment, membership=membership)
        messages.success(request, "The assessment now uses the current library release. Stale answers are marked.")
        return redirect("assessment", code=assessment.code)
    return render(
        request,
        "assessments/upgrade.html",
        {"assessment": assessment, "preview": selectors.upgrade_preview(assessment)},
    )
