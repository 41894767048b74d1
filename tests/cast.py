"""A shared cast: an owner, editor and viewer of one organisation, and an outsider who owns
another. Every view's tests use them, so that isolation is checked the same way everywhere."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from assessments.models import Membership, Organisation

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


def make_user(username, organisation, role, verified=True):
    """A member; ``verified``: with a verified e-mail address (the cast's are), as after sign-up
    and the link in the verification mail."""
    user = User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def as_user(client, user):
    client.force_login(user)
    return client
