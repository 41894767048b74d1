from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance.library.checks import unserved_principles
from governance.library.data import LibraryError
from governance.selectors import library_data
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
        # Loading an instrument's file alone leaves its principles unserved when their items
        # are in other files (in the shipped layout, the theme files under items/): not an
        # error, since the items may come in the next load, but nobody would be asked about them.
        unserved = unserved_principles(library_data(), codes=report.principles)
        for code in unserved:
            self.stderr.write(f"WARNING principle {code}: no active checklist item serves it")
        if unserved:
            self.stderr.write(
                f"WARNING {len(unserved)} loaded principle(s) are not served, so no assessment asks about them. "
                "Load the files that hold their items too, or run a plain `load_library` (the whole library), "
                "then `check_library --database`."
            )
