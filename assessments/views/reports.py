"""Downloading an assessment's PDF report, and the public verification page."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessments import selectors
from assessments.attachments import assessment_attachment, private_download
from assessments.reports.downloads import report_request
from assessments.reports.services import report_verify


@login_required
@require_safe
@private_download
def report_pdf(request, code):
    assessment, _ = selectors.assessment_for_member(request.user, code)
    download = report_request(assessment=assessment)
    if download.status == "limited":
        response = render(request, "assessments/report_limited.html", {"assessment": assessment}, status=429)
        response["Retry-After"] = "600"
        return response
    if download.status == "pending":
        return render(request, "assessments/report_pending.html", {"assessment": assessment}, status=202)
    if download.report is not None:
        response = FileResponse(download.report.file.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = assessment_attachment(assessment, "pdf", download.report.issued_at)
        return response
    response = HttpResponse(download.pdf, content_type="application/pdf")
    response["Content-Disposition"] = assessment_attachment(assessment, "pdf", timezone.now())
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
