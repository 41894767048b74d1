import pytest
from django.core.management import call_command
from django.utils import translation

from assessments import results_cache
from assessments.models import Organisation, Role
from assessments.services import assessment_create
from governance.models import ChecklistItem, Instrument, ItemPrinciple, LibraryRelease, Principle, PrincipleTheme, Theme
from tests.cast import Cast, make_user


@pytest.fixture(autouse=True)
def english_after_each_test():
    """Each test starts in the default language. A test that renders a page in French leaves
    French active in its thread, and a later test's English message match would then fail only
    when the two happen to run in one process, one after the other."""
    yield
    translation.activate("en")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped library once into the test database; each test rolls back on top."""
    with django_db_blocker.unblock():
        call_command("load_library", verbosity=0)


@pytest.fixture(autouse=True)
def no_kept_results():
    """Each test starts with no drafts' results kept in the process, as with an empty database."""
    results_cache.clear()
    yield
    results_cache.clear()


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


@pytest.fixture
def cast(library, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing: the suite signs in many times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org = Organisation.objects.create(name="Acme Robotics")
    other = Organisation.objects.create(name="Globex")
    return Cast(
        organisation=org,
        owner=make_user("olivia", org, Role.OWNER),
        editor=make_user("eddie", org, Role.EDITOR),
        viewer=make_user("vera", org, Role.VIEWER),
        outsider=make_user("oscar", other, Role.OWNER),
        other_organisation=other,
    )


@pytest.fixture
def assessment(cast):
    return assessment_create(
        membership=cast.membership(cast.owner),
        title="Chatbot 2026",
        scope="Customer chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "CF", "GA", "HL", "IC"]),
    )
