"""A request to download an assessment's report: served, queued, or refused for now."""

from dataclasses import dataclass

from assessments.models import Assessment, IssuedReport
from assessments.reports.limits import mark_queued, report_render_allowed
from assessments.reports.services import report_draft_pdf
from assessments.tasks import render_issued_report


@dataclass(frozen=True)
class ReportDownload:
    """What a request for an assessment's report gets: the stored report, a draft's PDF, or
    word that it is being prepared (``pending``) or that the render budget is spent."""

    status: str  # "ready", "pending" or "limited"
    report: IssuedReport | None = None
    pdf: bytes | None = None


def report_request(*, assessment: Assessment) -> ReportDownload:
    """The report of ``assessment`` for download, queueing its rendering when needed.

    A submitted assessment's report renders once, in the task worker, never in the request; a
    draft's renders now, counted against the organisation's budget of renders.
    """
    if assessment.is_frozen:
        report = IssuedReport.objects.filter(assessment=assessment).first()
        if report is None and mark_queued(assessment):
            if not report_render_allowed(assessment.organisation):
                return ReportDownload("limited")
            render_issued_report.enqueue(assessment.pk)
            report = IssuedReport.objects.filter(assessment=assessment).first()
        return ReportDownload("ready", report=report) if report else ReportDownload("pending")
    if not report_render_allowed(assessment.organisation):
        return ReportDownload("limited")
    return ReportDownload("ready", pdf=report_draft_pdf(assessment=assessment))
