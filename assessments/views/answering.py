"""Answering the checklist, one section (theme) at a time, and each answer's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from assessments import selectors
from assessments.forms import AnswerForm
from assessments.frozen import item_as_answered
from assessments.models import Answer
from assessments.services import AnswerInput, AssessmentLocked, answers_save


def _initial(entry):
    answer = entry.answer
    if answer is None:
        return {"version": 0}
    return {
        "choice": answer.choice,
        "justification": answer.justification,
        "evidence_urls": "\n".join(answer.evidence_urls),
        "version": answer.version,
    }


def _forms(entries, data=None, files=None, readonly=False):
    forms = []
    for entry in entries:
        form = AnswerForm(data, files, prefix=entry.item.code, initial=_initial(entry))
        if readonly:
            for field in form.fields.values():
                field.disabled = True
        forms.append(form)
    return forms


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def section(request, code, theme):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    sections = selectors.assessment_sections(assessment)
    index = next((i for i, s in enumerate(sections) if s.theme.code == theme), None)
    if index is None:
        raise Http404("No such section in this assessment.")
    current = sections[index]
    next_section = sections[index + 1] if index + 1 < len(sections) else None
    readonly = assessment.is_locked or not membership.can_edit

    status, conflicts = 200, {}
    if request.method == "POST":
        if assessment.is_locked:
            raise PermissionDenied("This assessment is submitted and read-only.")
        if not membership.can_edit:
            raise PermissionDenied("Viewers cannot change answers.")
        forms = _forms(current.items, request.POST, request.FILES)
        if all(form.is_valid() for form in forms):
            inputs = [
                AnswerInput(
                    item_id=entry.item.id,
                    item_code=entry.item.code,
                    choice=form.cleaned_data["choice"],
                    justification=form.cleaned_data["justification"],
                    evidence_urls=form.cleaned_data["evidence_urls"],
                    base_version=form.cleaned_data["version"],
                    new_files=form.cleaned_data["files"],
                )
                for entry, form in zip(current.items, forms)
            ]
            try:
                result = answers_save(assessment=assessment, membership=membership, inputs=inputs)
            except AssessmentLocked as exc:
                raise PermissionDenied(str(exc)) from None
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
    else:
        forms = _forms(current.items, readonly=readonly)

    rows = [(entry, form, conflicts.get(entry.item.code)) for entry, form in zip(current.items, forms)]
    first_error = next((e.item.code for e, f, c in rows if c or (f.is_bound and f.errors)), None)
    return render(
        request,
        "assessments/section.html",
        {
            "assessment": assessment,
            "membership": membership,
            "sections": sections,
            "section": current,
            "section_number": index + 1,
            "first_error": first_error,
            "next_section": next_section,
            "rows": rows,
            "readonly": readonly,
            "answered": sum(s.answered for s in sections),
            "total": sum(s.total for s in sections),
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
    assessment, membership = selectors.assessment_for_member(request.user, code)
    answer = (
        Answer.objects.filter(assessment=assessment, item__code=item)
        .select_related("item__theme")
        .prefetch_related("revisions__changed_by")
        .first()
    )
    if answer is None:
        raise Http404("This item has no saved answer yet.")
    theme, question = item_as_answered(assessment, answer)
    return render(
        request,
        "assessments/history.html",
        {
            "assessment": assessment,
            "answer": answer,
            "revisions": answer.revisions.all(),
            "theme": theme,
            "question": question,
            "back": reverse("section", args=[assessment.code, theme])
            if theme
            else reverse("assessment", args=[assessment.code]),
        },
    )
