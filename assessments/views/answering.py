"""Answering the checklist, one section (theme) at a time, and each answer's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from assessments import selectors
from assessments.forms import AnswerForm
from assessments.models import Answer
from assessments.services import AnswerInput, AssessmentFrozen, answers_save


def _initial(item):
    answer = item.answer
    if answer is None:
        return {"version": 0}
    return {
        "choice": answer.choice,
        "justification": answer.justification,
        "evidence_urls": "\n".join(answer.evidence_urls),
        "version": answer.version,
    }


def _forms(items, data=None, files=None):
    return [AnswerForm(data, files, prefix=item.code, initial=_initial(item)) for item in items]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def section(request, code, theme):
    if request.method == "POST":
        assessment, membership = selectors.assessment_for_editor(request.user, code)
    else:
        assessment, membership = selectors.assessment_for_member(request.user, code)
    record = selectors.assessment_record(assessment=assessment, section=theme)
    current = record.section(theme)
    if current is None:
        raise Http404("No such section in this assessment.")
    number, next_section = record.neighbours(theme)
    readonly = record.frozen or not membership.can_edit

    status, conflicts, forms = 200, {}, None
    if request.method == "POST":
        if record.frozen:
            raise PermissionDenied("This assessment is submitted and read-only.")
        forms = _forms(current.items, request.POST, request.FILES)
        if all(form.is_valid() for form in forms):
            inputs = [
                AnswerInput(
                    item_id=item.id,
                    item_code=item.code,
                    choice=form.cleaned_data["choice"],
                    justification=form.cleaned_data["justification"],
                    evidence_urls=form.cleaned_data["evidence_urls"],
                    base_version=form.cleaned_data["version"],
                    new_files=form.cleaned_data["files"],
                )
                for item, form in zip(current.items, forms, strict=True)
            ]
            try:
                result = answers_save(assessment=assessment, membership=membership, inputs=inputs)
            except AssessmentFrozen as exc:
                raise PermissionDenied(str(exc)) from None
            except ValidationError as exc:
                # The forms check the same rules, so only a change since the page loaded (an item
                # that left the checklist) gets here.
                status = 400
                messages.error(request, "Nothing was saved: " + " ".join(exc.messages))
            else:
                if not result.conflicts:
                    messages.success(request, _saved_message(result.saved))
                    target = next_section if "save_next" in request.POST and next_section else current
                    return redirect("section", code=assessment.code, theme=target.theme.code)
                # Keep what the user typed, and move each conflicting form to the version now
                # saved: saving again then deliberately replaces the other person's answer.
                data = request.POST.copy()
                for conflict in result.conflicts:
                    data[f"{conflict.item_code}-version"] = conflict.version
                    conflicts[conflict.item_code] = conflict
                forms = _forms(current.items, data)
                for form in forms:
                    form.is_valid()
                status = 409
                messages.error(
                    request,
                    "Nothing was saved: someone else saved the items marked below since you opened this page. "
                    "Compare both answers, then save again to keep yours.",
                )
        else:
            status = 400
            messages.error(request, "Nothing was saved: correct the answers marked below. Files need choosing again.")
    elif not readonly:
        forms = _forms(current.items)

    forms = forms or [None] * len(current.items)
    rows = [(item, form, conflicts.get(item.code)) for item, form in zip(current.items, forms, strict=True)]
    first_error = next((i.code for i, f, c in rows if c or (f is not None and f.is_bound and f.errors)), None)
    return render(
        request,
        "assessments/section.html",
        {
            "assessment": assessment,
            "membership": membership,
            "record": record,
            "section": current,
            "section_number": number,
            "first_error": first_error,
            "next_section": next_section,
            "rows": rows,
            "readonly": readonly,
        },
        status=status,
    )


def _saved_message(saved):
    if not saved:
        return "No changes to save."
    return f"Saved {len(saved)} answer{'s' if len(saved) != 1 else ''}: {', '.join(saved)}."


@login_required
@require_safe
def history(request, code, item):
    assessment, _ = selectors.assessment_for_member(request.user, code)
    answer = (
        Answer.objects.filter(assessment=assessment, item__code=item)
        .select_related("item")
        .prefetch_related("revisions__changed_by")
        .first()
    )
    if answer is None:
        raise Http404("This item has no saved answer yet.")
    shown = selectors.assessment_item(assessment=assessment, code=item)
    back = (
        reverse("section", args=[assessment.code, shown.theme.code])
        if shown
        else reverse("assessment", args=[assessment.code])
    )
    return render(
        request,
        "assessments/history.html",
        {
            "assessment": assessment,
            "answer": answer,
            "revisions": answer.revisions.all(),
            "item": shown,
            "question": shown.question if shown else answer.item.question,
            "back": back,
        },
    )
