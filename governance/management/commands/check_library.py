from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance.library.checks import coverage_problems, near_duplicates
from governance.library.data import LibraryError
from governance.library.files import read_records
from governance.library.translations import translation_problems
from governance.library.validate import validate_records
from governance.selectors import library_data


class Command(BaseCommand):
    help = (
        "Check library files on their own (default: the shipped library), or with --database the "
        "library as loaded: dangling keys, empty required texts, principles no item serves, and "
        "items that serve no principle. Warns, without failing, about items whose questions are "
        "near duplicates, and about missing or out-of-date translations (errors with --strict)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or directories (default: the shipped library)")
        parser.add_argument("--database", action="store_true", help="check the loaded library instead")
        parser.add_argument(
            "--strict", action="store_true", help="fail on missing or out-of-date translations (CI runs this)"
        )

    def handle(self, *args, paths, database, strict=False, **options):
        if database:
            data, problems = library_data(), []
        else:
            try:
                # No known keys: the files must stand on their own, so any reference outside
                # them is reported as dangling.
                data, problems = validate_records(read_records(paths or [settings.LIBRARY_DIR])), []
            except LibraryError as exc:
                data, problems = None, exc.problems
        if data is not None:
            problems = coverage_problems(data)
            for duplicate in near_duplicates(data):
                self.stderr.write(f"WARNING {duplicate.message()}")
            untranslated = translation_problems(data)
            if strict:
                problems += untranslated
            else:
                for problem in untranslated:
                    self.stderr.write(f"WARNING {problem}")
        for problem in problems:
            self.stderr.write(f"ERROR {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the library.")
        counts = ", ".join(f"{n} {label}" for label, n in data.counts().items())
        self.stdout.write(self.style.SUCCESS(f"Library OK: {counts}."))
