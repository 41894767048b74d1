import uuid

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from assessments.reports.services import report_draft_pdf, report_issue


class Command(BaseCommand):
    help = (
        "Write an assessment's PDF report to a file: the stored report of a submitted assessment "
        "(issued now if it has none yet), or a freshly rendered, provisional one for a draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("assessment", help="the assessment's id (UUID)")
        parser.add_argument("--output", required=True, help="the PDF file to write")

    def handle(self, *args, assessment, output, **options):
        try:
            code = uuid.UUID(assessment)
        except ValueError:
            raise CommandError(f"{assessment!r} is not an assessment id (a UUID).") from None
        found = Assessment.objects.select_related("organisation", "submitted_by", "release").filter(code=code).first()
        if found is None:
            raise CommandError(f"No assessment has the id {code}.")
        if found.is_frozen:
            report = report_issue(assessment=found)
            with report.file.open("rb") as f:
                pdf = f.read()
            note = f"issued report {report.code}"
        else:
            pdf = report_draft_pdf(assessment=found)
            note = "draft, provisional"
        with open(output, "wb") as f:
            f.write(pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(pdf):,} bytes to {output} ({note})."))
