"""Assigning a draft's sections and items to members (owners), and removing an assignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import review_selectors, selectors
from assessments.models import Assignment
from assessments.review_forms import AssignmentForm
from assessments.services import AssessmentFrozen
from assessments.services.assignments import assignment_remove, assignment_set
from assessments.views.errors import conflict


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignments(request, code):
    """The draft's assignments, and (owners) the form to assign a section or an item."""
    assessment, membership = selectors.assessment_for_member(request.user, code)
    form = AssignmentForm(request.POST or None, organisation=assessment.organisation)
    status = 200
    if request.method == "POST":
        selectors.assessment_for_owner(request.user, code)
        if form.is_valid():
            target = form.cleaned_data["target"].strip()
            record = selectors.assessment_outline(assessment=assessment)
            is_theme = record.section(target) is not None
            try:
                assignment_set(
                    assessment=assessment,
                    membership=membership,
                    assignee=form.cleaned_data["assignee"],
                    theme=target if is_theme else "",
                    item="" if is_theme else target,
                    due=form.cleaned_data["due"],
                    base_url=request.build_absolute_uri("/"),
                )
            except AssessmentFrozen as exc:
                return conflict(request, exc, assessment)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(target)s is assigned to %(who)s; they are told by mail.")
                    % {"target": target, "who": form.cleaned_data["assignee"].user.username},
                )
                return redirect("assignments", code=assessment.code)
        status = 400
    return render(
        request,
        "assessments/assignments.html",
        {
            "assessment": assessment,
            "membership": membership,
            "record": selectors.assessment_outline(assessment=assessment),
            "assignments": review_selectors.assignments_of(assessment=assessment),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def remove(request, code):
    assignment = Assignment.objects.select_related("assessment", "assignee").filter(code=code).first()
    if assignment is None:
        raise Http404("No such assignment.")
    assessment, membership = selectors.assessment_for_owner(request.user, assignment.assessment.code)
    assignment_remove(assignment=assignment, membership=membership)
    messages.success(request, _("The assignment of %(target)s was removed.") % {"target": assignment.target})
    return redirect("assignments", code=assessment.code)
