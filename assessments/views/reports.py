"""Downloading an assessment's PDF report, and the public verification page."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessments import selectors
from assessments.downloads import assessment_attachment, private_download
from assessments.models import IssuedReport
from assessments.reports.limits import mark_queued, report_render_allowed
from assessments.reports.services import report_draft_pdf, report_verify
from assessments.tasks import render_issued_report


@login_required
@require_safe
@private_download
def report_pdf(request, code):
    assessment, _ = selectors.assessment_for_member(request.user, code)
    if assessment.is_locked:
        report = IssuedReport.objects.filter(assessment=assessment).first()
        if report is None and mark_queued(assessment):
            if not report_render_allowed(assessment.organisation):
                return _too_many(request, assessment)
            # Rendering takes seconds for a large report: a worker does it, never this request.
            render_issued_report.enqueue(assessment.pk)
            report = IssuedReport.objects.filter(assessment=assessment).first()
        if report is None:
            return render(request, "assessments/report_pending.html", {"assessment": assessment}, status=202)
        response = FileResponse(report.file.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = assessment_attachment(assessment, "pdf", report.issued_at)
        return response
    if not report_render_allowed(assessment.organisation):
        return _too_many(request, assessment)
    pdf = report_draft_pdf(assessment=assessment)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = assessment_attachment(assessment, "pdf", timezone.now())
    return response


def _too_many(request, assessment):
    response = render(request, "assessments/report_limited.html", {"assessment": assessment}, status=429)
    response["Retry-After"] = "600"
    return response


@require_safe
def verify(request):
    report_id, digest = request.GET.get("report", ""), request.GET.get("hash", "")
    checked = bool(report_id or digest)
    issued = report_verify(report_id=report_id, digest=digest) if checked else None
    return render(
        request,
        "assessments/verify.html",
        {"checked": checked, "issued": issued, "report": report_id[:100], "hash": digest[:100]},
    )
