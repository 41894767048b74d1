from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.services import demo_account_ensure

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-governance-2026"
DEMO_ORGANISATION = "Demo Organisation"


class Command(BaseCommand):
    help = "Create the demo organisation and its owner account (idempotent). Development only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true",
            help="run even when DEBUG is off (the demo password is public)",
        )

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates an account with a published password; it runs only with "
                "DJANGO_DEBUG on (or --allow-production)."
            )
        user, organisation = demo_account_ensure(
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            email="demo@example.org",
            organisation_name=DEMO_ORGANISATION,
        )
        self.stdout.write(self.style.SUCCESS(f"Demo organisation: {organisation.name}"))
        self.stdout.write(f"Sign in at http://127.0.0.1:8000/ as  {user.username} / {DEMO_PASSWORD}")
