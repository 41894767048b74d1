"""Background work, run by `manage.py db_worker` (the immediate backend in tests)."""

from django_tasks import task

from assessments.models import Assessment
from assessments.reports.renders import render_run
from assessments.reports.services import report_issue
from assessments.services.assignments import assignment_mail_send
from assessments.services.organisations import invitation_mail_send


@task(takes_context=True)
def render_report(context, render_id: int) -> str:
    """Render and store an assessment's report (issued or draft), off the web workers."""
    return render_run(render_id=render_id, task_id=str(context.task_result.id))


@task()
def render_issued_report(assessment_id: int) -> str:
    """Tasks queued before renders were recorded (kept so that they still run)."""
    assessment = Assessment.objects.select_related("organisation", "submitted_by", "approved_by", "release").get(
        pk=assessment_id
    )
    return str(report_issue(assessment=assessment).code)  # English: the only language then


@task()
def send_invitation_mail(invitation_id: int, base_url: str, attempt: int = 1, language: str = "") -> str:
    """Send an invitation's mail after its invitation is committed, recording the outcome; a
    failed attempt re-enqueues itself for later (see ``invitation_mail_send``)."""
    return invitation_mail_send(invitation_id=invitation_id, base_url=base_url, attempt=attempt, language=language)


@task()
def send_assignment_mail(assignment_id: int, base_url: str) -> str:
    """Tell an assignee what was assigned to them, after the assignment is committed."""
    return assignment_mail_send(assignment_id=assignment_id, base_url=base_url)
