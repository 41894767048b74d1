"""The assessment as a spreadsheet: download it, and upload it filled in (preview, confirm)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import results as results_module
from assessments import selectors
from assessments.services import AssessmentFrozen
from assessments.views.results import log_export
from assessments.workbooks import layout
from assessments.workbooks.build import build
from assessments.workbooks.plan import plan_workbook, workbook_confirm, workbook_stage
from assessments.workbooks.read import WorkbookRejected, read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in workbook (.xlsx)"),
        help_text=gettext_lazy("The workbook downloaded from this page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's own form holds it


@login_required
@require_safe
def download(request, code):
    assessment, _ = selectors.assessment_for_member(request.user, code)
    record = selectors.assessment_record(assessment=assessment)
    body = build(assessment, results_module.compute(record))
    log_export(request, assessment, "xlsx")
    response = HttpResponse(body, content_type=XLSX)
    filename = f"{slugify(assessment.organisation.name)}-{slugify(assessment.title)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _draft_for_editor(request, code):
    assessment, membership = selectors.assessment_for_editor(request.user, code)
    if assessment.is_frozen:
        raise PermissionDenied(gettext("This assessment is in review or approved: its answers cannot change."))
    return assessment, membership


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request, code):
    assessment, _ = _draft_for_editor(request, code)
    form = WorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = selectors.assessment_record(assessment=assessment)
        try:
            data = read(
                form.cleaned_data["file"].read(layout.MAX_BYTES + 1),
                assessment_code=str(assessment.code),
                release=record.release,
            )
            plan = plan_workbook(record, data)
        except WorkbookRejected as exc:
            form.add_error("file", str(exc))
        else:
            token = workbook_stage(session=request.session, assessment=assessment, plan=plan)
            return render(
                request,
                "assessments/workbook_preview.html",
                {"assessment": assessment, "plan": plan, "token": token},
            )
    return render(
        request,
        "assessments/workbook_upload.html",
        {"assessment": assessment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def confirm(request, code):
    assessment, membership = _draft_for_editor(request, code)
    record = selectors.assessment_record(assessment=assessment)
    try:
        result = workbook_confirm(
            session=request.session,
            assessment=assessment,
            membership=membership,
            record=record,
            token=request.POST.get("token", ""),
            replace=request.POST.get("replace") == "yes",
        )
    except (WorkbookRejected, ValidationError) as exc:
        messages.error(
            request,
            gettext("Nothing was saved: %(reasons)s") % {"reasons": " ".join(getattr(exc, "messages", [str(exc)]))},
        )
        return redirect("workbook-upload", code=assessment.code)
    except AssessmentFrozen as exc:
        raise PermissionDenied(str(exc)) from None
    if result.conflicts:
        codes = ", ".join(c.item_code for c in result.conflicts)
        messages.error(
            request,
            gettext(
                "Nothing was saved: someone saved %(codes)s online since your download. Upload the workbook again to "
                "compare, and choose whether to replace their answers."
            )
            % {"codes": codes},
        )
        return redirect("workbook-upload", code=assessment.code)
    count = len(result.saved)
    messages.success(
        request,
        ngettext("Saved %(count)d answer from the workbook.", "Saved %(count)d answers from the workbook.", count)
        % {"count": count},
    )
    return redirect("assessment", code=assessment.code)
