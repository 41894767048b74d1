"""The action plan of an assessment: its gaps, each of which can become an action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import review_selectors, selectors
from assessments.permissions import require_editor
from assessments.review_forms import ActionForm, organisation_members
from assessments.services import AssessmentFrozen
from assessments.services.actions import action_save
from assessments.views.errors import conflict


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_plan(request, code):
    """GET lists the gaps and their actions; POST (editors, drafts) saves one item's action."""
    assessment, membership = selectors.assessment_for_member(request.user, code)
    bound, status = None, 200
    members = organisation_members(assessment.organisation)
    if request.method == "POST":
        require_editor(membership)
        bound = ActionForm(request.POST, members=members, auto_id="action-sent-%s")
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                action_save(assessment=assessment, membership=membership, **data)
            except AssessmentFrozen as exc:
                return conflict(request, exc, assessment)
            except ValidationError as exc:
                bound.add_error(None, exc)
            else:
                messages.success(request, _("The action on %(item)s is saved.") % {"item": data["item"]})
                return redirect(f"{request.path}#action-{data['item']}")
        status = 400
    record = selectors.assessment_record(assessment=assessment)
    rows = review_selectors.action_plan(assessment=assessment, record=record)
    editable = membership.can_edit and not assessment.is_frozen
    forms = {}
    if editable:
        for row in rows:
            if bound is not None and bound.data.get("item") == row.code:
                forms[row.code] = bound
                continue
            a = row.action
            initial = {"item": row.code, "status": "open"}
            if a is not None:
                initial.update(owner=a.owner_id, due=a.due, status=a.status, response=a.response)
            forms[row.code] = ActionForm(initial=initial, members=members, auto_id=f"action-{row.code}-%s")
    return render(
        request,
        "assessments/action_plan.html",
        {
            "assessment": assessment,
            "membership": membership,
            "rows": [(row, forms.get(row.code)) for row in rows],
            "editable": editable,
            "error": bound if bound is not None and bound.errors and bound.data.get("item") not in forms else None,
        },
        status=status,
    )
