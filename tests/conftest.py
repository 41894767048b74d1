import pytest
from django.core.management import call_command

from governance.models import ChecklistItem, Instrument, ItemPrinciple, Principle, PrincipleTheme, Theme, LibraryRelease


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped library once into the test database; each test rolls back on top."""
    with django_db_blocker.unblock():
        call_command("load_library", verbosity=0)


@pytest.fixture
def library(db):
    """The shipped library. Transactional tests flush the database, so reload when it is gone."""
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)


@pytest.fixture
def empty_library(db):
    """An empty library, inside the test's transaction (rolled back afterwards)."""
    for model in (ItemPrinciple, ChecklistItem, PrincipleTheme, Principle, Instrument, Theme, LibraryRelease):
        model.objects.all().delete()
