"""Passwords are hashed with Argon2id; older PBKDF2 hashes still verify and are upgraded at sign-in.

These tests use the project's real hashers: the ``cast`` fixture swaps in MD5 for speed, so
they create their own user instead.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.urls import reverse

User = get_user_model()
PASSWORD = "an-old-but-good-passphrase-3"


def test_argon2_is_the_first_hasher_and_pbkdf2_still_verifies():
    assert settings.PASSWORD_HASHERS[0] == "config.hashers.OwaspArgon2PasswordHasher"
    # OWASP's Argon2id parameters: 19 MiB, 2 passes, 1 lane.
    assert make_password(PASSWORD).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    # A hash made before the switch still checks out.
    assert check_password(PASSWORD, make_password(PASSWORD, hasher="pbkdf2_sha256"))


def test_a_pbkdf2_hash_is_upgraded_to_argon2_when_its_owner_signs_in(client, db):
    user = User.objects.create(username="legacy", password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert user.password.startswith("pbkdf2_sha256$")

    response = client.post(reverse("account_login"), {"login": "legacy", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
    # And the upgraded hash signs in again.
    client.logout()
    assert client.post(reverse("account_login"), {"login": "legacy", "password": PASSWORD}).status_code == 302


def test_a_wrong_password_does_not_touch_the_stored_hash(client, db):
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user = User.objects.create(username="legacy", password=old)
    response = client.post(reverse("account_login"), {"login": "legacy", "password": "not-the-password"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old


def test_a_hash_with_djangos_argon2_parameters_is_rehashed_with_ours_at_sign_in(client, db):
    older = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert "$m=102400,t=2,p=8$" in older
    user = User.objects.create(username="earlier", password=older)
    assert client.post(reverse("account_login"), {"login": "earlier", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in user.password and user.check_password(PASSWORD)
