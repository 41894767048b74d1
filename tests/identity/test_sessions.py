"""The sessions page: every signed-in session of the user, and "sign out everywhere else"."""

from django.test import Client
from django.urls import reverse

from tests.cast import PASSWORD


def signed_in(user, agent):
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_page_lists_the_users_sessions_and_only_theirs(cast):
    laptop = signed_in(cast.editor, "Laptop browser")
    signed_in(cast.editor, "Phone browser")
    signed_in(cast.viewer, "Someone else's browser")
    body = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Laptop browser" in body and "Phone browser" in body
    assert "Someone else" not in body
    assert "Sign out everywhere else (1 other session)" in body


def test_sign_out_everywhere_else_ends_the_other_sessions_and_keeps_this_one(cast):
    laptop = signed_in(cast.editor, "Laptop browser")
    phone = signed_in(cast.editor, "Phone browser")
    other_person = signed_in(cast.viewer, "Other")
    assert phone.get(reverse("dashboard")).status_code == 200

    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302

    assert phone.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))
    assert laptop.get(reverse("dashboard")).status_code == 200
    assert other_person.get(reverse("dashboard")).status_code == 200  # another user's session stays
    assert "This is your only session." in laptop.get(reverse("usersessions_list")).content.decode()


def test_sign_in_gives_a_new_session_key(cast):
    client = Client()
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": cast.editor.username, "password": PASSWORD})
    assert client.session.session_key != before


def test_the_session_stays_listed_after_its_key_changes(cast):
    """Changing one's own role rotates the key (identity/sessions.py); the page still lists it."""
    owner = signed_in(cast.owner, "Owner browser")
    signed_in(cast.editor, "x")
    before = owner.session.session_key
    member = cast.membership(cast.owner)
    other_owner = cast.membership(cast.editor)
    owner.post(reverse("member-role", args=[other_owner.code]), {"role": "owner"})
    owner.post(reverse("member-role", args=[member.code]), {"role": "editor"})
    assert owner.session.session_key != before
    assert "Owner browser" in owner.get(reverse("usersessions_list")).content.decode()


def test_the_sessions_page_needs_a_signed_in_user(client, db):
    assert client.get(reverse("usersessions_list"))["Location"].startswith(reverse("account_login"))
