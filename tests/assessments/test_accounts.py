"""Sign-up, sign-in, sign-out and password reset (django-allauth's views, the project's rules)."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from assessments.models import Membership, Organisation, Role

User = get_user_model()


def signup(client, REMOTE_ADDR="127.0.0.1", **overrides):
    data = {
        "username": "newbie",
        "email": "newbie@example.org",
        "organisation_name": "Initech",
        "password1": "correct-horse-battery-9",
        "password2": "correct-horse-battery-9",
    }
    return client.post(reverse("account_signup"), {**data, **overrides}, REMOTE_ADDR=REMOTE_ADDR)


def test_signup_creates_an_organisation_owned_by_the_new_user(client, db):
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    membership = Membership.objects.get(user__username="newbie")
    assert membership.role == Role.OWNER and membership.organisation.name == "Initech"
    assert "Initech" in client.get(reverse("dashboard")).content.decode()


def test_signup_applies_the_password_validators(client, db):
    response = signup(client, password1="123", password2="123")
    assert response.status_code == 400
    assert "This password is too short" in response.content.decode()
    assert not User.objects.exists() and not Organisation.objects.exists()


def test_signup_refuses_mismatched_passwords_and_duplicate_names(client, db):
    assert signup(client, password2="different-horse-9").status_code == 400
    signup(client)
    client.logout()
    response = signup(client, organisation_name="Other")
    assert response.status_code == 400
    assert "We could not create an account with these details." in response.content.decode()
    assert Organisation.objects.count() == 1


UNAVAILABLE = "We could not create an account with these details."


@pytest.mark.parametrize("taken", ["newbie", "NewBie"])
def test_a_taken_username_is_not_confirmed_on_its_field(client, django_user_model, taken):
    """The answer names no field and does not say the name exists: it reads the same whatever
    made the details unusable (and only a taken name does, today)."""
    django_user_model.objects.create_user("newbie", password="x")
    response = signup(client, username=taken, email="other@example.org", organisation_name="Other")
    assert response.status_code == 400
    body = response.content.decode()
    assert "already exists" not in body and "already taken" not in body
    form = response.context["form"]
    assert "username" not in form.errors
    assert [e.message for e in form.non_field_errors().as_data()] == [form.error_messages["unavailable"]]
    assert UNAVAILABLE in body
    assert django_user_model.objects.count() == 1 and not Organisation.objects.exists()


def test_taken_usernames_cannot_be_tried_in_bulk(client, django_user_model, settings):
    """After ten taken names from one address, sign-up from it is refused whatever the name:
    a free one too, so the refusal tells nothing. Another address signs up as usual."""
    django_user_model.objects.create_user("newbie", password="x")
    for i in range(10):
        response = signup(client, REMOTE_ADDR="203.0.113.5", username=("newbie", "NEWBIE")[i % 2])
        assert response.status_code == 400 and UNAVAILABLE in response.content.decode()
    for username in ("newbie", "free-name"):
        response = signup(client, REMOTE_ADDR="203.0.113.5", username=username)
        assert response.status_code == 400
        assert "Too many sign-up attempts from your address" in response.content.decode()
        assert UNAVAILABLE not in response.content.decode()
    assert not django_user_model.objects.filter(username="free-name").exists()
    assert signup(client, REMOTE_ADDR="198.51.100.7", username="free-name").status_code == 302


def test_invalid_details_do_not_count_as_taken_names(client, db):
    for _ in range(12):
        assert signup(client, REMOTE_ADDR="203.0.113.5", password2="different-horse-9").status_code == 400
    assert signup(client, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_signup_follows_a_safe_next_only(client, db):
    assert signup(client, next="/invitations/x/")["Location"] == "/invitations/x/"
    client.logout()
    response = signup(client, username="other", email="other@example.org", next="https://evil.example/")
    assert response["Location"] == reverse("dashboard")


def test_sign_in_and_out(client, django_user_model):
    django_user_model.objects.create_user("ann", password="a-long-test-password-9")
    response = client.post(reverse("account_login"), {"login": "ann", "password": "a-long-test-password-9"})
    assert response.status_code == 302
    # Sign-out is a POST: a GET only asks to confirm, and the session stays.
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_is_refused(client, django_user_model):
    django_user_model.objects.create_user("ann", password="a-long-test-password-9")
    response = client.post(reverse("account_login"), {"login": "ann", "password": "nope"})
    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in response.content.decode()


def test_password_reset_by_email(client, django_user_model):
    django_user_model.objects.create_user("ann", email="ann@example.org", password="old-password-long-9")
    response = client.post(reverse("account_reset_password"), {"email": "ann@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line).strip()
    path = link[link.index("/accounts/password/reset/key/") :]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "new-password-long-9", "password2": "new-password-long-9"},
    )
    assert done.status_code == 302
    signed_in = client.post(reverse("account_login"), {"login": "ann", "password": "new-password-long-9"})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("dashboard")


def test_home_sends_people_where_they_belong(client, django_user_model):
    assert client.get("/")["Location"] == reverse("library:instrument-list")
    client.force_login(django_user_model.objects.create_user("ann"))
    assert client.get("/")["Location"] == reverse("dashboard")
