"""Single sign-on with OpenID Connect, end to end, against a real provider on loopback: a second
Django process running django-oauth-toolkit in OIDC mode (tests/identity/oidc_provider/). The app
under test discovers it, sends the person there, exchanges the code (with PKCE and the secret),
checks the signed ID token against the provider's keys, and signs in the account whose verified
address the provider gave."""

import os
import subprocess
import sys
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from assessments.models import Organisation
from identity.models import SsoDomain
from tests.production.live import ROOT, free_port, stop_group, tail, wait_for

CLIENT_ID, SECRET = "aigov-test-client", "aigov-test-secret-2026"
PROVIDER_PASSWORD = "provider-password-9"
# allauth builds the callback with ACCOUNT_DEFAULT_HTTP_PROTOCOL (https off DEBUG) and the request's host.
CALLBACK = "https://testserver/accounts/oidc/oidc/login/callback/"


@contextmanager
def oidc_provider(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.identity.oidc_provider.settings",
        "OIDC_TEST_DB": str(tmp_path / "provider.sqlite3"),
        "OIDC_TEST_RSA_KEY": pem,
        "OIDC_TEST_UNVERIFIED": "mallory@acme.example",
        "PYTHONPATH": str(ROOT),
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "tests/identity/oidc_provider/setup_data.py", "alice@acme.example", PROVIDER_PASSWORD, CALLBACK]
        + [CLIENT_ID, SECRET],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    log = tmp_path / "provider.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/o/.well-known/openid-configuration", process, log)
        yield base, log
    finally:
        stop_group(process)


@pytest.fixture
def provider(tmp_path, settings):
    with oidc_provider(tmp_path) as (base, log):
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": "oidc",
                        "name": "Acme login",
                        "client_id": CLIENT_ID,
                        "secret": SECRET,
                        "settings": {"server_url": f"{base}/o", "oauth_pkce_enabled": True},
                    }
                ]
            }
        }
        yield base, log


def through_the_provider(client, base, username, start=None):
    """What a browser does: from the app to the provider, sign in there, and back with the code."""
    response = start or client.post(reverse("openid_connect_login", args=["oidc"]))
    assert response.status_code == 302 and response["Location"].startswith(f"{base}/o/authorize/")
    browser = requests.Session()
    browser.trust_env = False
    page = browser.get(response["Location"], timeout=10)  # the provider's sign-in page
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.text
    token = browser.cookies["provider_csrf"]
    response = browser.post(
        page.url,
        {"csrfmiddlewaretoken": token, "username": username, "password": PROVIDER_PASSWORD, "next": _next(page.url)},
        allow_redirects=False,
        timeout=10,
    )
    # Follow the provider's redirects (to its authorisation endpoint) until it sends the browser back.
    location = response.headers.get("Location", "")
    for _ in range(5):
        if not location or location.startswith(CALLBACK):
            break
        response = browser.get(requests.compat.urljoin(base, location), allow_redirects=False, timeout=10)
        location = response.headers.get("Location", "")
    assert location.startswith(CALLBACK), (location, response.status_code)
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


def _next(url):
    from urllib.parse import parse_qs

    return parse_qs(urlsplit(url).query)["next"][0]


@pytest.fixture
def alice(cast):
    """A member of Acme whose verified address is the one the provider has."""
    from tests.cast import make_user

    return make_user("alice", cast.organisation, "editor", verified=True)


def _set_email(user, email, verified):
    EmailAddress.objects.filter(user=user).update(email=email, verified=verified)
    user.email = email
    user.save(update_fields=["email"])


pytestmark = pytest.mark.django_db


def test_sign_in_through_the_provider_signs_in_the_account_with_that_verified_address(client, provider, alice):
    base, log = provider
    _set_email(alice, "alice@acme.example", verified=True)
    response = through_the_provider(client, base, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard"), tail(log)
    assert client.get(reverse("dashboard")).status_code == 200
    assert int(client.session["_auth_user_id"]) == alice.pk
    assert SocialAccount.objects.get(user=alice, provider="oidc").extra_data  # linked for next time

    # The second time, the link signs in directly.
    client.post(reverse("account_logout"))
    response = through_the_provider(client, base, "alice")
    assert response["Location"] == reverse("dashboard")
    assert Organisation.objects.count() == 2  # nothing created


def test_an_address_unverified_here_is_not_matched(client, provider, alice):
    """Someone who signed up with another person's address and never confirmed it must not
    receive that person's single sign-on."""
    base, _ = provider
    _set_email(alice, "alice@acme.example", verified=False)
    response = through_the_provider(client, base, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_an_address_the_provider_did_not_verify_is_not_matched(client, provider, cast):
    from tests.cast import make_user

    mallory_here = make_user("mallory", cast.organisation, "viewer", verified=True)
    _set_email(mallory_here, "mallory@acme.example", verified=True)
    base, _ = provider
    response = through_the_provider(client, base, "mallory")
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_no_account_no_sign_up(client, provider, db):
    """The provider knows alice, this site does not: nothing is created."""
    base, _ = provider
    response = through_the_provider(client, base, "alice")
    assert response["Location"] == reverse("account_login")
    assert not Organisation.objects.exists() or Organisation.objects.count() == 0


def test_the_organisations_domain_sends_its_people_to_the_provider(client, provider, alice, cast):
    base, _ = provider
    _set_email(alice, "alice@acme.example", verified=True)
    SsoDomain.objects.create(organisation=cast.organisation, domain="Acme.Example", provider_id="oidc")
    start = client.post(reverse("identity:sso-start"), {"email": "alice@ACME.example"})
    assert start.status_code == 302 and start["Location"].startswith("/accounts/oidc/oidc/login/")
    confirm = client.get(start["Location"])
    assert confirm.status_code == 200 and "Acme login" in confirm.content.decode()
    response = through_the_provider(client, base, "alice")
    assert response["Location"] == reverse("dashboard")

    other = client.post(reverse("identity:sso-start"), {"email": "bob@elsewhere.example"})
    assert other["Location"] == reverse("account_login")
