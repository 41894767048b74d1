"""Issuing, fetching and verifying reports."""

import datetime as dt
import hmac
import re
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Assessment, IssuedReport
from assessments.reports.context import report_context
from assessments.reports.render import render_pdf

HEX = re.compile(r"^[0-9a-f]{12,64}$")


def report_issue(*, assessment: Assessment) -> IssuedReport:
    """The stored report of a submitted assessment, rendering and storing it the first time.

    Rendering happens outside any transaction (it takes seconds); only the final insert is
    atomic. If two requests race, the loser discards its file and returns the winner's, so a
    submitted assessment has exactly one report, whose bytes never change.
    """
    if not assessment.is_frozen:
        raise ValueError("Only a submitted assessment has an issued report.")
    existing = IssuedReport.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    code, issued_at = uuid.uuid4(), timezone.now()
    context = report_context(assessment, report_id=code, issued_at=issued_at)
    pdf = render_pdf(context)
    report = IssuedReport(
        code=code, assessment=assessment, sha256=context["sha256"], size=len(pdf), issued_at=issued_at
    )
    report.file.save(f"{code}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        report.file.delete(save=False)
        return IssuedReport.objects.get(assessment=assessment)
    return report


def report_draft_pdf(*, assessment: Assessment) -> bytes:
    """A draft's report, rendered fresh each time and stamped provisional on every page."""
    return render_pdf(report_context(assessment))


def report_verify(*, report_id: str, digest: str) -> dt.datetime | None:
    """The issue date when ``report_id`` and ``digest`` (the full SHA-256, or at least its first
    12 hex digits as printed in the footer) match an issued report; otherwise None."""
    digest = (digest or "").strip().lower()
    try:
        code = uuid.UUID((report_id or "").strip())
    except ValueError:
        return None
    if not HEX.match(digest):
        return None
    report = IssuedReport.objects.filter(code=code).only("sha256", "issued_at").first()
    if report is None:
        return None
    # Constant-time comparison: response timing must not reveal how much of a hash matched.
    if hmac.compare_digest(report.sha256[: len(digest)], digest):
        return report.issued_at
    return None
