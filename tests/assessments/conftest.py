"""A shared cast: an owner, editor and viewer of one organisation, and an outsider who owns
another. Every view's tests use them, so that isolation is checked the same way everywhere."""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Membership, Organisation, Role
from assessments.services import assessment_create
from governance.models import Instrument

User = get_user_model()
PASSWORD = "a-long-test-password-9"


@dataclass
class Cast:
    organisation: Organisation
    owner: object
    editor: object
    viewer: object
    outsider: object
    other_organisation: Organisation

    def membership(self, user):
        return Membership.objects.get(user=user, organisation=self.organisation)


def make_user(username, organisation, role):
    user = User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


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


def as_user(client, user):
    client.force_login(user)
    return client
