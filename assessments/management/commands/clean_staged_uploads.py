from django.core.management.base import BaseCommand

from assessments.services import staged_sweep
from assessments.services.staging import STAGED_MAX_AGE


class Command(BaseCommand):
    help = (
        "Delete evidence files kept from refused saves that nobody came back for "
        f"(older than {STAGED_MAX_AGE}). Each new refused save already sweeps its organisation's; "
        "run this daily to sweep the rest."
    )

    def handle(self, *args, **options):
        removed = staged_sweep()
        self.stdout.write(f"Removed {removed} expired staged file{'s' if removed != 1 else ''}.")
