"""Update the interface's translation catalogues (locale/*/LC_MESSAGES/django.po) from the code.

One command with the project's options, so that translators, CI and tests/i18n extract the same
strings the same way (docs/translating.md). It runs Django's makemessages; compile with
``compilemessages`` (scripts/setup.sh does) to use them.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# The catalogue directories' names (Django's locale names, not language codes: zh_Hans, not zh-hans).
LOCALES = ["zh_Hans", "fr"]
# Not the project's source: the virtualenvs, installed JavaScript, static files (no marked strings:
# char-count.js takes its words from the page), tests, and run-time files.
IGNORE = [".venv", ".tools", "node_modules", "static", "tests", "var", "bench", "docs", "fixtures"]


class Command(BaseCommand):
    help = "Update locale/*/LC_MESSAGES/django.po from the marked strings of the code and templates."

    def handle(self, *args, **options):
        call_command(
            "makemessages",
            locale=LOCALES,
            ignore_patterns=IGNORE,
            add_location="file",
            no_obsolete=True,
            verbosity=options["verbosity"],
        )
