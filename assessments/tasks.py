"""Background work, run by `manage.py db_worker` (the immediate backend in tests)."""

from django_tasks import task

from assessments.reports.renders import render_run


@task(takes_context=True)
def render_report(context, render_id: int) -> str:
    """Render and store an assessment's report (issued or draft), off the web workers."""
    return render_run(render_id=render_id, task_id=str(context.task_result.id))


@task()
def render_issued_report(assessment_id: int) -> str:
    """Tasks queued before renders were recorded (kept so that they still run)."""
    from assessments.models import Assessment
    from assessments.reports.services import report_issue

    assessment = Assessment.objects.select_related("organisation", "submitted_by", "release").get(pk=assessment_id)
    return str(report_issue(assessment=assessment).code)
