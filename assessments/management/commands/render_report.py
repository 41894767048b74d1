import uuid

from django.core.management.base import BaseCommand, CommandError

from assessments import languages
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
        parser.add_argument("--lang", default="en", choices=languages.codes(), help="the report's language")

    def handle(self, *args, assessment, output, lang="en", **options):
        try:
            code = uuid.UUID(assessment)
        except ValueError:
            raise CommandError(f"{assessment!r} is not an assessment id (a UUID).") from None
        found = (
            Assessment.objects.select_related("organisation", "submitted_by", "approved_by", "release")
            .filter(code=code)
            .first()
        )
        if found is None:
            raise CommandError(f"No assessment has the id {code}.")
        if found.is_final:
            report = report_issue(assessment=found, language=lang)
            with report.file.open("rb") as f:
                pdf = f.read()
            note = f"issued report {report.code}"
        else:
            pdf = report_draft_pdf(assessment=found, language=lang)
            note = "in review, not issued" if found.in_review else "draft, provisional"
        with open(output, "wb") as f:
            f.write(pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(pdf):,} bytes to {output} ({note})."))
