import pytest
from django.core.management import call_command

from governance.models import Instrument


@pytest.fixture
def library(db):
    """The shipped library, loaded into the test database.

    Loaded per test (inside its rolled-back transaction) rather than once per session, so that
    transactional tests, which flush the database, cannot leave later tests without it.
    """
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)
