"""Report renders in the task worker: starting one, knowing whether a task still stands behind
it, re-queueing a lost one, and the task's own work.

Every "being prepared" answer is backed by a ``ReportRender`` row and a task that is queued or
running. A task whose worker was killed stays "running" in the task table for ever, so a running
render writes a heartbeat every few seconds; one silent for ``REPORT_RENDER_TIMEOUT_SECONDS``
counts as lost, and the next request for the report (the "being prepared" page asks every few
seconds) queues it again, up to ``REPORT_RENDER_ATTEMPTS`` in all. A render that is slow but
alive is never re-queued, whatever its length. Renders are idempotent: a late finisher of a lost attempt
finds the report stored and stores nothing twice.
"""

import datetime as dt
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from assessments.models import Assessment, Organisation, RenderStatus, ReportRender
from assessments.reports.limits import budget_spent

logger = logging.getLogger(__name__)

# Ledger rows are kept this long after they finish (longer than any budget window).
KEEP_FINISHED = dt.timedelta(days=1)


class BudgetSpent(Exception):
    def __init__(self, which: str):
        super().__init__(which)
        self.which = which  # "person" or "organisation"


def _task():
    from assessments.tasks import render_report

    return render_report


def _enqueue_in_transaction() -> bool:
    """Whether the task row can be written in our own transaction: with the database backend it
    is, so the render's row and its task commit together or not at all. Any other backend
    (the immediate one runs the task inside ``enqueue``) is called after the commit."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(_task().get_backend(), DatabaseBackend)


def _enqueue(render_id: int) -> None:
    result = _task().enqueue(render_id)
    ReportRender.objects.filter(pk=render_id, task_id="").update(task_id=str(result.id))


def render_start(*, assessment: Assessment, key: str, user, language: str = "en") -> ReportRender:
    """Record and queue a render of ``assessment``'s report, counted against the person's and
    the organisation's budgets (``BudgetSpent`` when either is used up). When a render of the
    same key exists already (a concurrent first download), returns that one instead."""
    now = timezone.now()
    in_transaction = _enqueue_in_transaction()
    try:
        with transaction.atomic():
            # The organisation's row is the lock that makes count-then-insert safe (SQLite's
            # IMMEDIATE transactions serialise writers anyway).
            organisation = Organisation.objects.select_for_update().get(pk=assessment.organisation_id)
            existing = ReportRender.objects.filter(assessment=assessment, key=key, language=language).first()
            if existing is not None:
                return existing
            spent = budget_spent(organisation=organisation, user=user, now=now)
            if spent:
                raise BudgetSpent(spent)
            ReportRender.objects.filter(
                status__in=[RenderStatus.DONE, RenderStatus.FAILED], requested_at__lt=now - KEEP_FINISHED
            ).delete()
            render = ReportRender.objects.create(
                assessment=assessment,
                organisation=organisation,
                key=key,
                language=language,
                requested_by=user,
                requested_at=now,
                queued_at=now,
            )
            if in_transaction:
                _enqueue(render.pk)
    except IntegrityError:  # the same render recorded by a concurrent request a moment ago
        return ReportRender.objects.get(assessment=assessment, key=key, language=language)
    if not in_transaction:
        _enqueue(render.pk)
    render.refresh_from_db()
    return render


def render_restart(render: ReportRender, *, user) -> ReportRender:
    """Try a failed render again from its first attempt: a new request, counted as one."""
    now = timezone.now()
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=render.organisation_id)
        spent = budget_spent(organisation=organisation, user=user, now=now)
        if spent:
            raise BudgetSpent(spent)
        ReportRender.objects.filter(pk=render.pk).update(
            attempts=1, requested_by=user, requested_at=now, **_fresh_attempt(now)
        )
        if _enqueue_in_transaction():
            _enqueue(render.pk)
            return ReportRender.objects.get(pk=render.pk)
    _enqueue(render.pk)
    return ReportRender.objects.get(pk=render.pk)


def _fresh_attempt(now):
    return {
        "status": RenderStatus.QUEUED,
        "task_id": "",
        "queued_at": now,
        "started_at": None,
        "heartbeat_at": None,
        "finished_at": None,
        "error": "",
    }


def render_alive(render: ReportRender, now: dt.datetime | None = None) -> bool:
    """Whether a queued or running task stands behind ``render``."""
    if not render.in_progress:
        return False
    now = now or timezone.now()
    timeout = dt.timedelta(seconds=settings.REPORT_RENDER_TIMEOUT_SECONDS)
    if not render.task_id:  # its task is being queued this moment, or the request died first
        return now - render.queued_at < timeout
    try:
        result = _task().get_result(render.task_id)
    except TaskResultDoesNotExist:
        return False
    except NotImplementedError:  # a backend that keeps no results: go by our own times
        return now - (render.started_at or render.queued_at) < timeout
    if result.status == TaskResultStatus.READY:
        return True  # waiting its turn: not lost, however long the queue
    if result.status == TaskResultStatus.RUNNING:
        last_sign = render.heartbeat_at or render.started_at or result.started_at or render.queued_at
        return now - last_sign < timeout
    return False  # finished, yet the render is not marked done: it died in between


def render_requeue(render: ReportRender) -> ReportRender | None:
    """Queue a lost or failed render again, once, whoever asks; None when its attempts are used
    up. Not counted against any budget: the loss was not the person's doing."""
    if render.attempts >= settings.REPORT_RENDER_ATTEMPTS:
        return None
    now = timezone.now()
    with transaction.atomic():
        # Only one of several requests that saw it lost re-queues it.
        claimed = ReportRender.objects.filter(
            pk=render.pk, attempts=render.attempts, task_id=render.task_id, status=render.status
        ).update(attempts=F("attempts") + 1, **_fresh_attempt(now))
        if claimed and _enqueue_in_transaction():
            _enqueue(render.pk)
    if claimed:
        logger.warning(
            "Report render %s of assessment %s was lost or failed (%s); queued again, attempt %s.",
            render.pk,
            render.assessment_id,
            render.error or render.status,
            render.attempts + 1,
        )
        if not _enqueue_in_transaction():
            _enqueue(render.pk)
    return ReportRender.objects.get(pk=render.pk)


def render_run(*, render_id: int, task_id: str | None = None) -> str:
    """The task's work: render and store the assessment's report as it is now."""
    render = ReportRender.objects.filter(pk=render_id).first()
    if render is None:
        return "gone"
    now = timezone.now()
    running = {"status": RenderStatus.RUNNING, "started_at": now, "heartbeat_at": now}
    if task_id:
        running["task_id"] = task_id
    ReportRender.objects.filter(pk=render_id).exclude(status=RenderStatus.DONE).update(**running)
    try:
        with _heartbeat(render_id):
            result = _render(render)
    except Exception as exc:
        ReportRender.objects.filter(pk=render_id).update(
            status=RenderStatus.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    ReportRender.objects.filter(pk=render_id).update(status=RenderStatus.DONE, finished_at=timezone.now())
    return result


def _render(render: ReportRender) -> str:
    from assessments.reports.services import report_draft_store, report_issue

    assessment = Assessment.objects.select_related("organisation", "submitted_by", "approved_by", "release").get(
        pk=render.assessment_id
    )
    if assessment.is_final:
        return str(report_issue(assessment=assessment, language=render.language).code)
    return report_draft_store(assessment=assessment, language=render.language).inputs


@contextmanager
def _heartbeat(render_id: int):
    """Write the render's heartbeat from a thread while the block runs (the render itself holds
    no transaction, so these small writes never wait on it)."""
    stop = threading.Event()
    interval = max(1.0, settings.REPORT_RENDER_TIMEOUT_SECONDS / 5)

    def beat():
        try:
            while not stop.wait(interval):
                try:
                    ReportRender.objects.filter(pk=render_id).update(heartbeat_at=timezone.now())
                except DatabaseError:  # busy for a moment: the next beat will do
                    logger.warning("Could not write the heartbeat of report render %s.", render_id)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"report-heartbeat-{render_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 30)
