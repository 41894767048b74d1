"""Writes for organisations and assessments."""

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.models import Membership, Organisation, Role

User = get_user_model()


@transaction.atomic
def demo_account_ensure(*, username: str, password: str, email: str, organisation_name: str):
    """Create (or reset) the demo user and make it the owner of the demo organisation.

    Idempotent: running it again finds the same user and organisation.
    """
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.save(update_fields=["password"])
    organisation = Organisation.objects.filter(name=organisation_name).order_by("id").first()
    if organisation is None:
        organisation = Organisation.objects.create(name=organisation_name)
    Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": Role.OWNER}
    )
    return user, organisation
