from django.core.management.base import BaseCommand

from governance.library.files import write_layout
from governance.selectors import library_data


class Command(BaseCommand):
    help = "Write the loaded library to a directory as YAML files, in a stable order."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write (files there are overwritten)")

    def handle(self, *args, directory, **options):
        written = write_layout(library_data(), directory)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {directory}."))
