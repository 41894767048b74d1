"""Answering the checklist, one section (theme) at a time, and each answer's history."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from assessments import results_cache, review_selectors, selectors
from assessments.forms import AnswerForm, ShownAnswer
from assessments.models import Answer
from assessments.services import AnswerInput, AssessmentFrozen, answers_save, uploads_stage
from assessments.uploads import UploadRejected, check_upload
from assessments.views.errors import conflict


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def section(request, code, theme):
    if request.method == "POST":
        return _save(request, code, theme)
    assessment, membership = selectors.assessment_for_member(request.user, code, library_revision=True)
    # A draft's section record is kept between views until it changes (assessments/results_cache.py).
    record = results_cache.section_record(assessment, theme, library_revision=assessment.library_revision)
    current = record.section(theme)
    if current is None:
        raise Http404("No such section in this assessment.")
    forms = None
    if not (record.frozen or not membership.can_edit):
        forms = [ShownAnswer(item) for item in current.items]
    return _page(request, assessment, membership, record, current, forms)


def _save(request, code, theme):
    """Save the section: only its item ids are loaded first; the page is built only when the
    save is refused and has to be shown again."""
    assessment, membership = selectors.assessment_for_editor(request.user, code)
    try:
        keys = selectors.section_for_save(assessment=assessment, section=theme)
    except AssessmentFrozen as exc:
        return conflict(request, exc, assessment)
    staging = (assessment, membership)
    forms = [AnswerForm(request.POST, request.FILES, item=key, staging=staging) for key in keys]
    conflicts = {}
    if not all([form.is_valid() for form in forms]):
        status = 400
        message = gettext("Nothing was saved: correct the answers marked below.")
    else:
        try:
            result = answers_save(assessment=assessment, membership=membership, inputs=_inputs(keys, forms))
        except AssessmentFrozen as exc:
            return conflict(request, exc, assessment)
        except ValidationError as exc:
            # The forms check the same rules, so only a change since the page loaded (an item
            # that left the checklist, a file removed meanwhile) gets here.
            status, message = 400, gettext("Nothing was saved: %(reasons)s") % {"reasons": _attach_errors(forms, exc)}
        else:
            if not result.conflicts:
                messages.success(request, _saved_message(result.saved))
                return _after_save(request, assessment, theme)
            status = 409
            message = gettext(
                "Nothing was saved: someone else saved the items marked below since you opened this page. "
                "Compare both answers, then save again to keep yours."
            )
            conflicts = {c.item_code: c for c in result.conflicts}
    if _keep_files(request, assessment, membership, forms):
        message += " " + gettext("The files you chose are kept below, and are added when the save goes through.")
    if conflicts:
        forms = _rebased(request, forms, conflicts, staging)
    messages.error(request, message)
    record = selectors.assessment_record(assessment=assessment, section=theme)
    current = record.section(theme)
    if current is None:
        raise Http404("No such section in this assessment.")
    items = {item.code: item for item in current.items}
    # The page shows the section as it is now; a form whose item left it meanwhile is dropped.
    forms = [form for form in forms if form.prefix in items]
    for form in forms:
        form.item = items[form.prefix]
    by_code = {form.prefix: form for form in forms}
    forms = [by_code.get(item.code) or ShownAnswer(item) for item in current.items]
    return _page(request, assessment, membership, record, current, forms, conflicts, status)


def _inputs(keys, forms):
    return [
        AnswerInput(
            item_id=key.id,
            item_code=key.code,
            choice=form.cleaned_data["choice"],
            justification=form.cleaned_data["justification"],
            evidence_urls=form.cleaned_data["evidence_urls"],
            base_version=form.cleaned_data["version"],
            new_files=form.cleaned_data["files"],
            staged=form.cleaned_data["staged"],
            remove_files=form.cleaned_data["remove_files"],
            clear=form.cleaned_data["clear"],
            evidence_valid_until=form.cleaned_data.get("evidence_valid_until"),
        )
        for key, form in zip(keys, forms, strict=True)
    ]


def _attach_errors(forms, exc) -> str:
    """Show a refusal of the save on the items it names; return what the banner says."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    by_code = {form.prefix: form for form in forms}
    for code, errors in exc.error_dict.items():
        form = by_code.get(code)
        for error in errors:
            if form is not None:
                form.add_error(None, error)
    return "correct the answers marked below."


def _keep_files(request, assessment, membership, forms) -> bool:
    """Keep the files of a refused save that passed the upload checks, so that they need not be
    chosen again (assessments.services.staging); return whether any were kept."""
    kept = False
    for form in forms:
        uploads = []
        for upload in request.FILES.getlist(f"{form.prefix}-files"):
            try:
                check_upload(upload)
            except UploadRejected:
                continue  # its error is shown by the form
            uploads.append(upload)
        if uploads:
            form.kept = [
                *form.kept,
                *uploads_stage(assessment=assessment, membership=membership, item_code=form.prefix, uploads=uploads),
            ]
        kept = kept or bool(form.kept)
    return kept


def _rebased(request, forms, conflicts, staging):
    """The forms again, what the user typed kept, each conflicting one moved to the version now
    saved: saving again then deliberately replaces the other person's answer."""
    data = request.POST.copy()
    for clash in conflicts.values():
        data[f"{clash.item_code}-version"] = clash.version
    for form in forms:
        data.setlist(f"{form.prefix}-staged", [f.token for f in form.kept])
    rebased = [AnswerForm(data, item=form.item, staging=staging) for form in forms]
    for form in rebased:
        form.is_valid()
    return rebased


def _after_save(request, assessment, theme):
    if "save_review" in request.POST:
        return redirect("assessment", code=assessment.code)
    if "save_next" in request.POST:
        following = selectors.next_section_after(assessment=assessment, section=theme)
        if following:
            return redirect("section", code=assessment.code, theme=following)
    return redirect("section", code=assessment.code, theme=theme)


def _page(request, assessment, membership, record, current, forms, conflicts=None, status=200):
    conflicts = conflicts or {}
    number, next_section = record.neighbours(current.theme.code)
    forms = forms or [None] * len(current.items)
    rows = [(item, form, conflicts.get(item.code)) for item, form in zip(current.items, forms, strict=True)]
    first_error = next((i.code for i, f, c in rows if c or (f is not None and f.is_bound and f.errors)), None)
    readonly = record.frozen or not membership.can_edit
    limit = settings.SECTION_MAX_ITEMS
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
            "too_big": limit if not readonly and len(rows) > limit else None,
            # static/js/post-encoding.js posts urlencoded only when the body fits this limit.
            "plain_post_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
            "threads": review_selectors.comment_threads(assessment=assessment, items=[i.code for i in current.items]),
            "can_comment": membership.can_comment and not assessment.is_final,
        },
        status=status,
    )


def _saved_message(saved):
    if not saved:
        return gettext("No changes to save.")
    return ngettext("Saved %(count)d answer: %(codes)s.", "Saved %(count)d answers: %(codes)s.", len(saved)) % {
        "count": len(saved),
        "codes": ", ".join(saved),
    }


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
            "question": shown.local.question if shown else answer.item.local.question,
            "back": back,
        },
    )
