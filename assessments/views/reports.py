"""Downloading an assessment's PDF report, its "being prepared" page, and the public
verification page."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_safe

from assessments import selectors
from assessments.attachments import assessment_attachment, private_download
from assessments.languages import UnknownLanguage, download_language
from assessments.models import EventKind
from assessments.reports.downloads import report_request
from assessments.reports.services import report_verify
from assessments.services.log import event_record

# The "being prepared" page asks again this often (a meta refresh: no script, per the CSP).
REFRESH_SECONDS = 3
# Status codes of report_pdf's answers other than the file.
STATUS_CODES = {"pending": 202, "limited": 429, "needs_editor": 403, "failed": 503}


@login_required
@require_safe
@private_download
def report_pdf(request, code):
    """The report's PDF when it is stored; otherwise its render is started (by an editor) and
    the "being prepared" page answers, 202. ``?lang=`` chooses the report's language (default:
    the page's)."""
    assessment, membership = selectors.assessment_for_member(request.user, code)
    try:
        language = download_language(request)
    except UnknownLanguage:
        return HttpResponseBadRequest(gettext("Unknown language: choose one of the languages offered."))
    download = report_request(assessment=assessment, membership=membership, language=language)
    if download.status == "ready":
        event_record(
            organisation=assessment.organisation,
            actor=request.user,
            kind=EventKind.REPORT_DOWNLOADED,
            assessment=assessment,
            detail=assessment.get_status_display(),
        )
        response = FileResponse(download.file.open("rb"), content_type="application/pdf")
        with translation.override(language):
            label = pgettext("file name of a PDF report", "report")
        response["Content-Disposition"] = assessment_attachment(
            assessment, "pdf", download.dated, label=label, language=language
        )
        return response
    response = _page(request, assessment, membership, download, language, status=STATUS_CODES[download.status])
    if download.status == "limited":
        response["Retry-After"] = "600"
    return response


@login_required
@require_safe
@private_download
def report_status(request, code):
    """Where the "being prepared" page refreshes to: says how the render is going, starts no
    new render (a lost one is queued again), and hands over the download once it is ready."""
    assessment, membership = selectors.assessment_for_member(request.user, code)
    try:
        language = download_language(request)
    except UnknownLanguage:
        return HttpResponseBadRequest(gettext("Unknown language: choose one of the languages offered."))
    download = report_request(assessment=assessment, membership=membership, start=False, language=language)
    return _page(request, assessment, membership, download, language, status=200)


def _page(request, assessment, membership, download, language, *, status):
    template = "assessments/report_limited.html" if download.status == "limited" else "assessments/report_pending.html"
    job = download.render
    since = job and (job.started_at if job.status == "running" else job.queued_at)
    context = {
        "seconds": int((timezone.now() - since).total_seconds()) if since else 0,
        "assessment": assessment,
        "download": download,
        "render": download.render,
        "can_start": membership.can_edit or assessment.is_final or (assessment.in_review and membership.can_review),
        "refresh": REFRESH_SECONDS,
        "language": language,
    }
    return render(request, template, context, status=status)


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
