from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import DEMO_PASSWORD, PEOPLE, seed_demo
from governance.models import Instrument


class Command(BaseCommand):
    help = (
        "Create the demo organisation, its owner, editor, reviewer and viewer, and an approved, an "
        "in-review and a draft assessment (idempotent). Development only: the password is published."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run even when DEBUG is off (the demo password is public)",
        )

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with "
                "DJANGO_DEBUG on (or --allow-production)."
            )
        if not Instrument.objects.exists():
            raise CommandError("Load the library first: manage.py load_library")
        organisation, _ = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo organisation: {organisation.name}"))
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ with:")
        for username, role in PEOPLE:
            self.stdout.write(f"  {username:<12} / {DEMO_PASSWORD}   ({role.label.lower()})")
