from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance import translations as tr
from governance.library.data import LibraryError, Location
from governance.library.files import dump_yaml, read_records, record_of
from governance.library.schema import SCHEMAS
from governance.library.translations import translations_document, translations_fold
from governance.library.validate import validate_records


class Command(BaseCommand):
    help = (
        "Translations of the library files. `import <file.yaml>` folds a translator's file into the "
        "library files (rewritten in export_library's layout; nothing is written on any error). "
        "`export --lang fr` writes a translator's file with the English beside each text."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="fold a translator's file into the library files")
        imp.add_argument("file")
        imp.add_argument("--library", default=None, help="the library directory (default: the shipped one)")
        exp = sub.add_parser("export", help="write a translator's file for one language")
        exp.add_argument("--lang", required=True, choices=tr.LANGUAGES)
        exp.add_argument("--library", default=None)
        exp.add_argument("--output", "-o", default=None, help="file to write (default: standard output)")

    def handle(self, *args, action, library=None, **options):
        directory = Path(library or settings.LIBRARY_DIR)
        try:
            located = read_records([directory])
            data = validate_records(located)
            if action == "export":
                return self._export(data, options["lang"], options.get("output"))
            self._import(data, located, Path(options["file"]))
        except LibraryError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(exc.problems)} problem(s); no file was changed.") from None

    def _export(self, data, language, output):
        text = dump_yaml(translations_document(data, language))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
        else:
            self.stdout.write(text, ending="")

    def _import(self, data, located, path):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise LibraryError([f"{path}: cannot read ({' '.join(str(exc).split())})"]) from None
        counts = translations_fold(data, document)
        # Each record is written back where it was, in its file's order, as export_library
        # writes records; what will be written must load, checked before touching any file.
        files = {}
        for location, raw in located:
            model = raw["model"]
            files.setdefault(location.path, []).append(
                record_of(model, data.of(model)[raw["fields"][SCHEMAS[model].key]])
            )
        texts = {name: dump_yaml(records) for name, records in files.items()}
        validate_records(
            [
                (Location(name, i), record)
                for name, text in texts.items()
                for i, record in enumerate(yaml.safe_load(text), start=1)
            ]
        )
        for name, text in texts.items():
            target = Path(name)
            if target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
        for section, keys in counts.items():
            summary = ", ".join(f"{n} {key}" for key, n in keys.items())
            self.stdout.write(f"{section}: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Imported {path} ({document['language']})."))
