"""A request for an assessment's report: served from storage, being prepared, or refused.

Reports are rendered only by the task worker, never in a web request. What a request gets:

- ``ready``: the stored file (an approved assessment's issued report, or the draft's (or in-review) cached
  report when nothing it reports has changed since);
- ``pending``: a render is queued or running (``render`` says which and since when);
- ``limited``: starting a render would exceed the person's or the organisation's budget;
- ``needs_editor``: nothing is stored or rendering, and only an editor or owner may start a
  draft's render (a viewer may download what exists or is being prepared);
- ``failed``: the render failed on every attempt;
- ``idle``: nothing stored or rendering, and the caller asked not to start anything (the
  "being prepared" page, after the draft changed while it waited).
"""

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile

from assessments.models import Assessment, DraftReport, IssuedReport, Membership, ReportRender
from assessments.reports.inputs import draft_inputs
from assessments.reports.renders import BudgetSpent, render_alive, render_requeue, render_restart, render_start


@dataclass(frozen=True)
class ReportDownload:
    status: str  # "ready", "pending", "limited", "needs_editor", "failed" or "idle"
    file: FieldFile | None = None
    dated: object = None  # the date in the download's name
    render: ReportRender | None = None
    spent: str | None = None  # "person" or "organisation", when limited


def report_request(
    *, assessment: Assessment, membership: Membership, start: bool = True, language: str = "en"
) -> ReportDownload:
    """The report of ``assessment`` in ``language`` for ``membership``'s user. With ``start``, a
    render is started when none is stored or under way (and the user may); without, only a
    lost render is queued again."""
    stored, key = _stored(assessment, language)
    if stored is not None:
        return stored
    render = ReportRender.objects.filter(assessment=assessment, key=key, language=language).first()
    if render is not None:
        if render_alive(render):
            return ReportDownload("pending", render=render)
        # Lost (its worker killed), failed, or done without a report to show for it.
        again = render_requeue(render)
        if again is not None:
            return _after_queueing(assessment, again, language)
        if not (start and _may_start(assessment, membership)):
            return ReportDownload("needs_editor" if start else "failed", render=render)
        try:
            return _after_queueing(assessment, render_restart(render, user=membership.user), language)
        except BudgetSpent as spent:
            return ReportDownload("limited", spent=spent.which)
    if not start:
        return ReportDownload("idle")
    if not _may_start(assessment, membership):
        return ReportDownload("needs_editor")
    try:
        render = render_start(assessment=assessment, key=key, user=membership.user, language=language)
    except BudgetSpent as spent:
        return ReportDownload("limited", spent=spent.which)
    return _after_queueing(assessment, render, language)


def _may_start(assessment: Assessment, membership: Membership) -> bool:
    """Editors and owners start renders, and reviewers of an assessment in review. An approved
    assessment's report is the exception: it is rendered once, ever, so whoever asks first
    starts it, a viewer included."""
    return assessment.is_final or membership.can_edit or (assessment.in_review and membership.can_review)


def _stored(assessment: Assessment, language: str) -> tuple[ReportDownload | None, str]:
    """The stored report in ``language``, if it is current, and the key a render of it would have."""
    if assessment.is_final:
        report = IssuedReport.objects.filter(assessment=assessment, language=language).first()
        ready = ReportDownload("ready", file=report.file, dated=report.issued_at) if report else None
        return ready, ReportRender.ISSUED
    inputs = draft_inputs(assessment, language)
    report = DraftReport.objects.filter(assessment=assessment, language=language, inputs=inputs).first()
    ready = ReportDownload("ready", file=report.file, dated=report.rendered_at) if report else None
    return ready, inputs


def _after_queueing(assessment: Assessment, render: ReportRender, language: str) -> ReportDownload:
    """With a worker, the render is now queued; with the immediate backend (tests, `make run`)
    it has already run, and the report is there."""
    stored, _ = _stored(assessment, language)
    if stored is not None:
        return stored
    render.refresh_from_db()
    if render.status == "failed":  # the immediate backend ran it, and it failed
        return ReportDownload("failed", render=render)
    return ReportDownload("pending", render=render)
