from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance.library.data import LibraryError
from governance.services import library_load


class Command(BaseCommand):
    help = (
        "Validate library files and load them in one transaction. With no arguments, loads the "
        "shipped library. On any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or directories (default: the shipped library)")

    def handle(self, *args, paths, **options):
        try:
            report = library_load(paths=paths or [settings.LIBRARY_DIR])
        except LibraryError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Library not loaded: {len(exc.problems)} problem(s). The database is unchanged."
            ) from None
        for bucket in ("created", "updated", "unchanged"):
            counts = getattr(report, bucket)
            if counts:
                summary = ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
                self.stdout.write(f"{bucket}: {summary}")
        self.stdout.write(self.style.SUCCESS("Library loaded." if report.changed() else "Library already up to date."))
