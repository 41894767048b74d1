"""In headless Chromium with a virtual authenticator (the DevTools protocol's WebAuthn domain,
as a security key or a phone's passkey would answer): add a passkey, sign out, sign in with the
passkey alone, then with the password and the key as the second factor.

WebAuthn needs a secure context and a domain as relying party: the live server is opened at
``localhost`` (a secure context over plain HTTP), never at an IP address.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from assessments.models import Membership, Organisation, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "an-excellent-passphrase-7"


@pytest.fixture
def wendy(transactional_db, settings):
    # Plain HTTP on loopback: production serves HTTPS, where this setting is off (DEBUG).
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    user = get_user_model().objects.create_user("wendy", email="wendy@example.org", password=PASSWORD)
    # allauth adds an authenticator only for a verified address.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    organisation = Organisation.objects.create(name="Wendy Works")
    Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    return user


def virtual_authenticator(page):
    """A platform authenticator that holds resident keys, verifies its user and answers at once."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    authenticator = session.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    return session, authenticator


def sign_in_with_password(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", "wendy")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit] >> nth=0")


def open_add_key(page, base):
    """The page that adds a key; allauth asks for the password again first."""
    page.goto(f"{base}/accounts/2fa/webauthn/add/")
    if "/reauthenticate/" in page.url:
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/2fa/webauthn/add/")


def sign_out(page, base):
    page.click("nav button:has-text('Sign out')")
    page.wait_for_url(f"{base}/library/")


def test_add_a_passkey_and_sign_in_with_it(page, live_server, wendy):
    base = live_server.url.replace("127.0.0.1", "localhost")
    assert base.startswith("http://localhost:")
    session, authenticator = virtual_authenticator(page)

    sign_in_with_password(page, base)
    page.wait_for_url(f"{base}/dashboard/")
    open_add_key(page, base)
    page.fill("main input[name=name]", "Laptop passkey")
    page.check("main input[name=passwordless]")
    with page.expect_navigation():  # the browser asks the authenticator, then posts the form
        page.click("#mfa_webauthn_add")
    # The first authenticator comes with recovery codes, which allauth shows next.
    assert "/accounts/2fa/recovery-codes/" in page.url
    key = Authenticator.objects.get(user=wendy, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Laptop passkey" and key.wrap().is_passwordless
    credentials = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]

    # The passkey alone: no username, no password.
    sign_out(page, base)
    page.goto(f"{base}/accounts/login/")
    page.click("#passkey_login")
    page.wait_for_url(f"{base}/dashboard/")
    assert "Wendy Works" in page.text_content("h1")

    # The password, then the key as the second factor.
    sign_out(page, base)
    sign_in_with_password(page, base)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(f"{base}/dashboard/")
    assert "Wendy Works" in page.text_content("h1")


def test_without_the_key_the_password_is_not_enough(page, live_server, wendy):
    """A key registered, then the authenticator gone (another browser): the password leads to the
    second step, and the dashboard stays out of reach."""
    base = live_server.url.replace("127.0.0.1", "localhost")
    session, authenticator = virtual_authenticator(page)
    sign_in_with_password(page, base)
    page.wait_for_url(f"{base}/dashboard/")
    open_add_key(page, base)
    page.fill("main input[name=name]", "Key")
    with page.expect_navigation():
        page.click("#mfa_webauthn_add")
    assert Authenticator.objects.filter(user=wendy, type=Authenticator.Type.WEBAUTHN).exists()
    sign_out(page, base)
    session.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator})

    sign_in_with_password(page, base)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.goto(f"{base}/dashboard/")
    # Sent back to the second step (allauth keeps the half-finished sign-in), not let in.
    assert page.url.endswith("/accounts/2fa/authenticate/") or "/accounts/login/" in page.url
    assert "Wendy Works" not in page.content()
