"""Production hardening: deploy checks, headers, and sign-in throttling."""

import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-grade-secret-key-that-is-long-and-random-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "aigov.example.org",
    "DATABASE_URL": "sqlite:////tmp/aigov-deploy-check.sqlite3",
}


def test_check_deploy_passes_under_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_security_headers(client, db):
    response = client.get(reverse("library:instrument-list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style_attributes(client, cast, assessment):
    client.force_login(cast.owner)
    for url in (
        reverse("dashboard"),
        reverse("assessment", args=[assessment.code]),
        reverse("section", args=[assessment.code, "T05"]),
        reverse("results", args=[assessment.code]),
    ):
        body = client.get(url).content.decode()
        assert "<script>" not in body and " onclick=" not in body
        assert ' style="' not in body, url


def sign_in(client, username, password, ip):
    return client.post(reverse("account_login"), {"login": username, "password": password}, REMOTE_ADDR=ip)


def test_sixth_bad_attempt_is_refused_and_another_ip_still_signs_in(client, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_user("ann", password="the-right-password-9")
    for _ in range(4):
        assert sign_in(client, "ann", "wrong", "10.0.0.1").status_code == 200  # the form again
    # The fifth failure locks the pair, and its answer says so.
    assert sign_in(client, "ann", "wrong", "10.0.0.1").status_code == 429
    # The sixth attempt is refused, even with the right password.
    locked = sign_in(client, "ann", "the-right-password-9", "10.0.0.1")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()

    other = sign_in(client, "ann", "the-right-password-9", "10.0.0.2")
    assert other.status_code == 302 and other["Location"] == reverse("dashboard")


def test_success_resets_the_failure_count(client, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_user("ann", password="the-right-password-9")
    for _ in range(4):
        sign_in(client, "ann", "wrong", "10.0.0.1")
    assert sign_in(client, "ann", "the-right-password-9", "10.0.0.1").status_code == 302
    client.post(reverse("account_logout"))
    for _ in range(4):
        assert sign_in(client, "ann", "wrong", "10.0.0.1").status_code == 200
    assert sign_in(client, "ann", "the-right-password-9", "10.0.0.1").status_code == 302


def test_throttling_is_configured_explicitly():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    # The client's address behind the proxies, and the admin's sign-in counted apart
    # (tests/production/test_signin_throttling.py shows both at work).
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.client_ip.client_ip"
    assert settings.AXES_USERNAME_CALLABLE == "config.throttling.lockout_username"
