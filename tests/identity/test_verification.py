"""New accounts verify their e-mail address before they can invite anyone."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from assessments.models import Invitation
from tests.assessments.test_accounts import signup

REFUSAL = "Verify your e-mail address before you invite anyone"


def test_a_new_owner_cannot_invite_until_the_address_is_verified(client, db):
    assert signup(client).status_code == 302
    # Sign-up mails the verification link; the account opens at once.
    [confirmation] = [m for m in mail.outbox if "newbie@example.org" in m.to]
    assert not EmailAddress.objects.get(email="newbie@example.org").verified

    response = client.post(reverse("invite"), {"email": "colleague@example.org", "role": "editor"})
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert not Invitation.objects.exists()

    path = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", confirmation.body).group(1)
    assert client.get(path).status_code == 200  # a page that asks to confirm, not a GET that changes anything
    assert not EmailAddress.objects.get(email="newbie@example.org").verified
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="newbie@example.org").verified

    response = client.post(reverse("invite"), {"email": "colleague@example.org", "role": "editor"})
    assert response.status_code == 302
    assert Invitation.objects.filter(email="colleague@example.org").exists()


def test_the_members_page_still_opens_before_verification(client, db):
    signup(client)
    assert client.get(reverse("members")).status_code == 200


def test_an_invited_sign_up_is_verified_by_the_invitation(client, cast):
    from assessments.services import invitation_create

    invitation = invitation_create(
        membership=cast.membership(cast.owner), email="nina@example.org", role="editor", base_url="http://testserver"
    )
    response = client.post(
        reverse("invitation-signup", args=[invitation.code]),
        {"username": "nina", "password1": "correct-horse-battery-9", "password2": "correct-horse-battery-9"},
    )
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nina@example.org").verified
