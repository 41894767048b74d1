"""Issuing, storing, fetching and verifying reports."""

import datetime as dt
import hashlib
import hmac
import re
import uuid
from functools import lru_cache

import weasyprint
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from assessments.models import Assessment, DraftReport, IssuedReport
from assessments.reports.context import report_context
from assessments.reports.fetcher import ALLOWED_ROOT
from assessments.reports.inputs import draft_inputs
from assessments.reports.render import html_to_pdf, render_html, render_pdf

HEX = re.compile(r"^[0-9a-f]{12,64}$")


def report_issue(*, assessment: Assessment, language: str = "en") -> IssuedReport:
    """The stored report of an approved assessment in ``language``, rendering and storing it the
    first time.

    Rendering happens outside any transaction (it takes seconds); only the final insert is
    atomic. If two requests race, the loser discards its file and returns the winner's, so an
    approved assessment has exactly one report per language, whose bytes never change. Every
    language's report carries the same hash: the data it reports is language-neutral.
    """
    if not assessment.is_final:
        raise ValueError("Only an approved assessment has an issued report.")
    existing = IssuedReport.objects.filter(assessment=assessment, language=language).first()
    if existing is not None:
        return existing
    code, issued_at = uuid.uuid4(), timezone.now()
    with translation.override(language):
        context = report_context(assessment, report_id=code, issued_at=issued_at)
        pdf = render_pdf(context)
    report = IssuedReport(
        code=code,
        assessment=assessment,
        language=language,
        sha256=context["sha256"],
        size=len(pdf),
        issued_at=issued_at,
    )
    report.file.save(f"{code}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        report.file.delete(save=False)
        return IssuedReport.objects.get(assessment=assessment, language=language)
    # Its draft's cached reports are of no further use (their files go after the commit).
    DraftReport.objects.filter(assessment=assessment).delete()
    return report


def report_draft_pdf(*, assessment: Assessment, language: str = "en") -> bytes:
    """A draft's (or in-review) report, rendered fresh and stamped on every page (the command
    line's; downloads go through ``report_draft_store``)."""
    with translation.override(language):
        return render_pdf(report_context(assessment))


@lru_cache(maxsize=1)
def _layout_version() -> str:
    """What else decides the PDF's look: the stylesheet and the renderer's version."""
    css = (ALLOWED_ROOT / "report.css").read_bytes()
    return hashlib.sha256(css + weasyprint.__version__.encode()).hexdigest()


def report_content_key(context) -> str:
    """The hash of what the report prints, less the time it was generated: equal keys, equal
    reports. Covers what the export digest does not (recommendations, template, stylesheet)."""
    html = render_html({**context, "generated_at": None})  # in the language active for ``context``
    return hashlib.sha256((_layout_version() + html).encode("utf-8")).hexdigest()


def report_draft_store(*, assessment: Assessment, language: str = "en") -> DraftReport:
    """The draft's report as it is now, from storage when nothing it reports has changed,
    otherwise rendered and stored in place of the last one.

    The input fingerprint is read first, before the data: a change made during the render gives
    a newer fingerprint, so this report is never served for answers newer than it prints.
    """
    if assessment.is_final:
        raise ValueError("An approved assessment has an issued report, not a draft one.")
    read_at = timezone.now()
    inputs = draft_inputs(assessment, language)
    stored = DraftReport.objects.filter(assessment=assessment, language=language).first()
    if stored is not None and stored.inputs == inputs:
        return stored
    with translation.override(language):
        return _draft_render(assessment, language, inputs, read_at, stored)


def _draft_render(assessment, language, inputs, read_at, stored):
    context = report_context(assessment)
    content = report_content_key(context)
    if stored is not None and stored.content == content:
        # Something changed that the report does not print (an answer saved unchanged, say).
        DraftReport.objects.filter(pk=stored.pk, inputs_read_at__lte=read_at).update(
            inputs=inputs, inputs_read_at=read_at
        )
        stored.refresh_from_db()
        return stored
    pdf = html_to_pdf(render_html(context))
    report = DraftReport(
        assessment=assessment,
        language=language,
        inputs=inputs,
        inputs_read_at=read_at,
        content=content,
        sha256=context["sha256"],
        size=len(pdf),
        rendered_at=context["generated_at"],
    )
    report.file.save("draft.pdf", ContentFile(pdf), save=False)
    return _draft_replace(report)


def _draft_replace(report: DraftReport) -> DraftReport:
    """Store ``report`` as its draft's one cached report, unless a render of newer inputs got
    there first; the file that loses is deleted after the commit."""
    storage = report.file.storage
    fields = ["inputs", "inputs_read_at", "content", "sha256", "file", "size", "rendered_at"]
    with transaction.atomic():
        mine = {"assessment": report.assessment, "language": report.language}
        current = DraftReport.objects.select_for_update().filter(**mine).first()
        if current is None:
            try:
                with transaction.atomic():
                    report.save()
                return report
            except IntegrityError:  # another render stored one a moment ago
                current = DraftReport.objects.select_for_update().get(**mine)
        if current.inputs_read_at > report.inputs_read_at:
            loser, winner = report.file.name, current
        else:
            loser = current.file.name
            for f in fields:
                setattr(current, f, getattr(report, f))
            current.save(update_fields=fields)
            winner = current
        transaction.on_commit(lambda: storage.delete(loser))
    return winner


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
