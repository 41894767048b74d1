"""Creating an assessment, its overview, and its lifecycle: reopen, copy, delete, upgrade (the
review's steps are in ``views.review``).

Sending for review and deleting cannot be undone, so each asks on a page of its own first (it works
without JavaScript), and the POST acts only with the confirmation's ``confirm`` field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import review_selectors, selectors
from assessments.forms import AssessmentForm
from assessments.permissions import require_editor
from assessments.services import (
    AssessmentFrozen,
    TransitionRefused,
    assessment_create,
    assessment_delete,
    assessment_derive,
    assessment_update,
    assessment_upgrade,
)
from assessments.views.errors import conflict
from governance.selectors import current_release


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request):
    membership, _ = selectors.current_membership(request)
    if membership is None:
        raise Http404("You are not a member of any organisation.")
    require_editor(membership)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = assessment_create(membership=membership, **form.cleaned_data)
        messages.success(
            request, gettext("Assessment created. Answer the checklist section by section; work saves per section.")
        )
        return redirect("assessment", code=assessment.code)
    return render(
        request, "assessments/create.html", {"form": form, "membership": membership}, status=400 if form.errors else 200
    )


@login_required
@require_safe
def detail(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    record = selectors.assessment_outline(assessment=assessment)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "membership": membership,
            "record": record,
            "newer_release": _newer_release(assessment),
            "last_return": review_selectors.last_return(assessment=assessment),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, code):
    """A draft's details and instruments: the form, then a review of what changes to the
    checklist (POST without ``confirm``), then the save (POST with ``confirm``)."""
    assessment, membership = selectors.assessment_for_editor(request.user, code)
    if assessment.is_frozen:
        return conflict(
            request,
            AssessmentFrozen(
                _("An assessment in review or approved keeps the title, scope and instruments it was sent with.")
            ),
            assessment,
        )
    form = AssessmentForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid() and "back" not in request.POST:
        if _confirmed(request):
            try:
                assessment_update(assessment=assessment, membership=membership, **form.cleaned_data)
            except AssessmentFrozen as exc:
                return conflict(request, exc, assessment)
            messages.success(
                request, gettext("Saved. The checklist follows the chosen instruments; no answer was deleted.")
            )
            return redirect("assessment", code=assessment.code)
        return render(
            request,
            "assessments/edit_review.html",
            {
                "assessment": assessment,
                "form": form,
                "changes": _changes(assessment, form),
                "preview": selectors.assessment_edit_preview(assessment, form.cleaned_data["instruments"]),
            },
        )
    return render(
        request,
        "assessments/edit.html",
        {"assessment": assessment, "form": form},
        status=400 if form.errors else 200,
    )


def _changes(assessment, form):
    """What the review lists besides the checklist: the fields and instruments that change."""
    chosen = form.cleaned_data["instruments"]
    before = {i.pk for i in form.kept}
    return {
        "fields": [
            (form.fields[name].label or name.capitalize(), getattr(assessment, name), form.cleaned_data[name])
            for name in ("title", "scope", "description")
            if getattr(assessment, name) != form.cleaned_data[name]
        ],
        "instruments_added": [i for i in chosen if i.pk not in before],
        "instruments_removed": [i for i in form.kept if i.pk not in {c.pk for c in chosen}],
    }


def _newer_release(assessment):
    release = current_release()
    if assessment.is_frozen or release is None or release.pk == assessment.release_id:
        return None
    return release


def _confirmed(request) -> bool:
    """A POST that went through the confirmation page: a stray POST locks or deletes nothing."""
    return request.POST.get("confirm") == "yes"


def _derive(request, code, *, title_format, note):
    assessment, membership = selectors.assessment_for_owner(request.user, code)
    try:
        draft = assessment_derive(
            assessment=assessment, membership=membership, title=title_format % {"title": assessment.title}
        )
    except TransitionRefused as exc:
        return conflict(request, exc, assessment)
    messages.success(request, note)
    return redirect("assessment", code=draft.code)


@login_required
@require_POST
def reopen(request, code):
    return _derive(
        request,
        code,
        # The new draft's title is data, written once in the language of the owner who reopens it.
        title_format=gettext("%(title)s (reopened)"),
        note=_("A new draft starts from the approved answers and actions. The approved assessment stays as it was."),
    )


@login_required
@require_POST
def copy(request, code):
    return _derive(
        request, code, title_format=gettext("Copy of %(title)s"), note=gettext("A copy was made as a new draft.")
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, code):
    """GET asks first (saying what goes); POST with ``confirm`` deletes."""
    assessment, membership = selectors.assessment_for_owner(request.user, code)
    frozen = AssessmentFrozen(_("An assessment in review or approved is a record and cannot be deleted."))
    if assessment.is_frozen:
        return conflict(request, frozen, assessment)
    if request.method == "POST" and _confirmed(request):
        try:
            assessment_delete(assessment=assessment, membership=membership)
        except AssessmentFrozen as exc:
            return conflict(request, exc, assessment)
        messages.success(request, gettext("Deleted “%(title)s”.") % {"title": assessment.title})
        return redirect("dashboard")
    return render(
        request,
        "assessments/confirm_delete.html",
        {
            "assessment": assessment,
            "contents": selectors.assessment_contents(assessment),
            "unconfirmed": request.method == "POST",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upgrade(request, code):
    assessment, membership = selectors.assessment_for_owner(request.user, code)
    frozen = AssessmentFrozen(_("An assessment in review or approved keeps the library release it was sent with."))
    if assessment.is_frozen:
        return conflict(request, frozen, assessment)
    if request.method == "POST":
        try:
            assessment_upgrade(assessment=assessment, membership=membership)
        except AssessmentFrozen as exc:
            return conflict(request, exc, assessment)
        messages.success(
            request, gettext("The assessment now uses the current library release. Stale answers are marked.")
        )
        return redirect("assessment", code=assessment.code)
    return render(
        request,
        "assessments/upgrade.html",
        {"assessment": assessment, "preview": selectors.upgrade_preview(assessment)},
    )
