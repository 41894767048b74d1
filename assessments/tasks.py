"""Background work, run by `manage.py db_worker` (the immediate backend in tests)."""

from django_tasks import task

from assessments.models import Assessment
from assessments.reports.services import report_issue


@task()
def render_issued_report(assessment_id: int) -> str:
    """Render and store a submitted assessment's report, off the web workers."""
    assessment = Assessment.objects.select_related("organisation", "submitted_by", "release").get(pk=assessment_id)
    return str(report_issue(assessment=assessment).code)
