"""TOTP with recovery codes, through allauth's pages; the organisation's MFA requirement."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from assessments.models import Organisation
from tests.cast import PASSWORD, as_user
from tests.identity.helpers import security_key, totp_code, totp_for


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.username, "password": password})


def second_step(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_totp_is_set_up_with_a_computed_code_and_comes_with_recovery_codes(
    client, cast, django_capture_on_commit_callbacks
):
    assert sign_in(client, cast.owner).status_code == 302
    # allauth asks for the password again before any change to MFA.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown, for apps that cannot read the QR code
    key_before = client.session.session_key

    assert client.post(reverse("mfa_activate_totp"), {"code": "000000"}).status_code == 200  # wrong: the form again
    assert not Authenticator.objects.filter(user=cast.owner).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=cast.owner).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    # Turning MFA on is a privilege change: the session has a new key, and is still signed in.
    assert client.session.session_key != key_before
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_in_asks_for_the_code_after_the_password(client, cast):
    _, secret = totp_for(cast.editor)
    response = sign_in(client, cast.editor)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the password alone opens nothing.
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))

    sign_in(client, cast.editor)
    assert second_step(client, "123456" if totp_code(secret) != "123456" else "654321").status_code == 200
    response = second_step(client, totp_code(secret))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_recovery_code_signs_in_once(client, cast):
    totp_for(cast.editor)
    codes = RecoveryCodes.activate(cast.editor).get_unused_codes()
    assert len(codes) == 10
    sign_in(client, cast.editor)
    assert second_step(client, codes[0]).status_code == 302
    client.post(reverse("account_logout"))

    sign_in(client, cast.editor)
    reused = second_step(client, codes[0])
    assert reused.status_code == 200  # refused: the form again
    assert "Incorrect code." in reused.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
    assert second_step(client, codes[1]).status_code == 302  # another one still works


def test_a_totp_code_works_once(client, cast):
    _, secret = totp_for(cast.editor)
    code = totp_code(secret)
    sign_in(client, cast.editor)
    assert second_step(client, code).status_code == 302
    client.post(reverse("account_logout"))
    sign_in(client, cast.editor)
    assert second_step(client, code).status_code == 200  # replayed: refused


# --- the organisation's requirement ----------------------------------------------------------


def test_an_owner_without_mfa_cannot_require_it(client, cast):
    client = as_user(client, cast.owner)
    response = client.post(reverse("identity:organisation-mfa"), {"require_mfa": "on"}, follow=True)
    assert "Set up two-factor authentication for yourself before you require it" in response.content.decode()
    assert not Organisation.objects.get(pk=cast.organisation.pk).require_mfa


def test_an_owner_with_mfa_requires_it_and_turns_it_off(client, cast):
    totp_for(cast.owner)
    client = as_user(client, cast.owner)
    response = client.post(reverse("identity:organisation-mfa"), {"require_mfa": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("members")
    assert Organisation.objects.get(pk=cast.organisation.pk).require_mfa
    assert 'id="require-mfa" checked' in client.get(reverse("members")).content.decode()
    client.post(reverse("identity:organisation-mfa"), {})
    assert not Organisation.objects.get(pk=cast.organisation.pk).require_mfa


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_only_owners_set_the_requirement(client, cast, who):
    totp_for(getattr(cast, who))
    response = as_user(client, getattr(cast, who)).post(reverse("identity:organisation-mfa"), {"require_mfa": "on"})
    assert response.status_code == 403
    assert not Organisation.objects.get(pk=cast.organisation.pk).require_mfa


def test_the_requirement_is_a_post(client, cast):
    assert as_user(client, cast.owner).get(reverse("identity:organisation-mfa")).status_code == 405


def test_the_requirement_of_another_organisation_is_not_reachable(client, cast):
    """The form acts on the organisation one works in: an outsider's post changes only theirs."""
    totp_for(cast.outsider)
    as_user(client, cast.outsider).post(reverse("identity:organisation-mfa"), {"require_mfa": "on"})
    assert not Organisation.objects.get(pk=cast.organisation.pk).require_mfa
    assert Organisation.objects.get(pk=cast.other_organisation.pk).require_mfa


def test_a_member_who_has_no_organisation_gets_404(client, django_user_model):
    user = django_user_model.objects.create_user("loner")
    assert as_user(client, user).post(reverse("identity:organisation-mfa")).status_code == 404


def test_another_users_security_key_is_404_and_stays(client, cast):
    """mfa_edit_webauthn and mfa_remove_webauthn (exempt from the isolation sweep because allauth
    asks for the password again first): after that, another user's key is not found."""
    key = security_key(cast.owner)
    client = as_user(client, cast.outsider)
    response = client.get(reverse("mfa_edit_webauthn", kwargs={"pk": key.pk}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    for name in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
        for method in ("get", "post"):
            response = getattr(client, method)(reverse(name, kwargs={"pk": key.pk}))
            assert response.status_code == 404, (name, method, response.status_code)
    assert Authenticator.objects.filter(pk=key.pk, data__name="Key").exists()


def test_the_sign_in_page_offers_passkeys_from_allauths_own_script(client, db):
    body = client.get(reverse("account_login")).content.decode()
    assert 'id="passkey_login"' in body
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', body)
    assert any(src.startswith("/static/mfa/") for src in scripts), scripts  # from the package, no CDN
    assert "<script>" not in body  # nothing inline (the CSP forbids it)


def test_staff_with_mfa_cannot_use_the_admins_password_only_sign_in(client, cast):
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    data = {"username": cast.owner.username, "password": PASSWORD, "next": reverse("admin:index")}
    totp_for(cast.owner)
    response = client.post(reverse("admin:login"), data)
    assert response.status_code == 200
    assert "sign in on the site&#x27;s sign-in page" in response.content.decode()
    assert "_auth_user_id" not in client.session
