"""In headless Chromium: sign up, turn on TOTP with a code computed from the secret the page
shows, sign out, and sign in again with the password and a fresh code."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.management import call_command

from governance.models import Instrument
from tests.identity.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "an-excellent-passphrase-7"


@pytest.fixture
def shipped_library(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)


def fresh_code(secret, used):
    """A code of a period after the one used: allauth refuses a code twice."""
    while (code := totp_code(secret)) in used:
        time.sleep(30 - time.time() % 30 + 0.5)
    return code


def test_sign_up_enable_totp_sign_out_sign_in_with_a_code(page, live_server, shipped_library):
    base = live_server.url
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_username", "tess")
    page.fill("#id_email", "tess@example.org")
    page.fill("#id_organisation_name", "Tess Trust")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")

    # The address first: allauth turns on MFA only for a verified one. The link in the mail.
    [mail_] = [m for m in mail.outbox if "tess@example.org" in m.to]
    page.goto(base + re.search(r"https?://[^/]+(/accounts/confirm-email/[^/\s]+/)", mail_.body).group(1))
    page.click("main button:has-text('Confirm')")
    page.wait_for_load_state()

    # Account → two-factor authentication → set up (allauth asks for the password again unless
    # the account was just opened or signed in).
    page.click("nav >> text=Account")
    page.click("main a:has-text('Set it up')")
    page.wait_for_url("**/accounts/2fa/")
    page.click("main a:has-text('Activate')")
    page.wait_for_load_state()
    if "/reauthenticate/" in page.url:
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    assert page.locator("main img[src^='data:image/svg']").count() == 1  # the QR code, inline data
    first = totp_code(secret)
    page.fill("#id_code", first)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert Authenticator.objects.filter(user__username="tess", type=Authenticator.Type.TOTP).exists()

    # Sign out, then in: the password alone leads to the code.
    page.click("nav button:has-text('Sign out')")
    page.wait_for_url(f"{base}/library/")
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", "tess")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit] >> nth=0")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("#id_code", fresh_code(secret, {first}))
    page.click("main button[type=submit] >> nth=0")
    page.wait_for_url(f"{base}/dashboard/")
    assert "Tess Trust" in page.text_content("h1")
