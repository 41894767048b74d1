import uuid

from django.core.management.base import BaseCommand, CommandError

from assessments.exports import export_data, export_json
from assessments.models import Assessment
from assessments.results import compute
from assessments.selectors import assessment_record


class Command(BaseCommand):
    help = "Print an assessment's JSON export (the same as its export.json download)."

    def add_arguments(self, parser):
        parser.add_argument("assessment", help="the assessment's id (UUID)")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, assessment, output, **options):
        try:
            code = uuid.UUID(assessment)
        except ValueError:
            raise CommandError(f"{assessment!r} is not an assessment id (a UUID).") from None
        found = Assessment.objects.select_related("organisation", "submitted_by", "release").filter(code=code).first()
        if found is None:
            raise CommandError(f"No assessment has the id {code}.")
        text = export_json(export_data(found, compute(assessment_record(assessment=found))))
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
