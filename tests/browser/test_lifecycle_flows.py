"""In headless Chromium: sending for review and deleting ask first (with JavaScript off, as they must work
without it), and a colleague signs up from an invitation into the inviting organisation."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command

from assessments.models import Assessment, Invitation, Membership, Organisation, Role, Status
from assessments.selectors import assessment_outline
from assessments.services import assessment_create
from governance.models import Instrument
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shipped_library(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)


@pytest.fixture
def owner(shipped_library, django_user_model):
    user = django_user_model.objects.create_user("olga", email="olga@acme.example", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)  # so she may invite
    organisation = Organisation.objects.create(name="Acme Robotics")
    return Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)


def sign_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _draft(owner, title):
    return assessment_create(
        membership=owner,
        title=title,
        scope="Customer chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
    )


def test_send_for_review_and_delete_ask_first_without_javascript(no_script_page, live_server, owner):
    page, base = no_script_page, live_server.url
    draft = _draft(owner, "Chatbot 2026")
    total = assessment_outline(assessment=draft).progress.total
    sign_in(page, base, "olga")

    # Send for review: the overview's button leads to a page that says what will happen.
    page.goto(f"{base}/assessments/{draft.code}/")
    page.click("a:has-text('Send for review')")
    assert page.url == f"{base}/assessments/{draft.code}/send-for-review/"
    assert f"{total} of {total} items are unanswered." in page.text_content("main")
    page.click("text=Cancel, keep it as a draft")
    assert page.url == f"{base}/assessments/{draft.code}/"
    assert Assessment.objects.get(pk=draft.pk).status == Status.DRAFT

    page.click("a:has-text('Send for review')")
    page.click("button:has-text('Send for review')")
    page.wait_for_selector("text=Sent for review.")
    assert Assessment.objects.get(pk=draft.pk).status == Status.IN_REVIEW

    # Delete: the same, for another draft.
    other = _draft(owner, "Throwaway draft")
    page.goto(f"{base}/assessments/{other.code}/")
    page.click("a:has-text('Delete draft')")
    assert "This cannot be undone." in page.text_content("main")
    assert Assessment.objects.filter(pk=other.pk).exists()
    page.click("button:has-text('Delete the draft for good')")
    page.wait_for_url(f"{base}/dashboard/")
    assert "Deleted “Throwaway draft”." in page.text_content("main")
    assert not Assessment.objects.filter(pk=other.pk).exists()


def test_a_colleague_signs_up_from_the_invitation_into_the_organisation(browser, page, live_server, owner):
    base = live_server.url
    sign_in(page, base, "olga")
    page.goto(f"{base}/members/")
    page.fill("#id_email", "nina@acme.example")
    page.select_option("#id_role", "editor")
    page.click("button:has-text('Send invitation')")
    page.wait_for_selector("text=Invitation mailed to nina@acme.example")
    invitation = Invitation.objects.get()
    [message] = mail.outbox
    link = next(word for word in message.body.split() if "/invitations/" in word)
    assert link.endswith(f"/invitations/{invitation.code}/")

    # The colleague, in a browser of her own, follows the link from the mail.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    colleague = context.new_page()
    colleague.goto(link)
    colleague.click("text=Create an account and join")
    assert colleague.locator("#id_organisation_name").count() == 0
    assert colleague.input_value("#id_email") == "nina@acme.example"
    assert colleague.is_disabled("#id_email")
    colleague.fill("#id_username", "nina")
    colleague.fill("#id_password1", "an-excellent-passphrase-7")
    colleague.fill("#id_password2", "an-excellent-passphrase-7")
    colleague.click("button:has-text('Create the account and join')")
    colleague.wait_for_url(f"{base}/dashboard/")
    assert "You joined Acme Robotics with the role Editor." in colleague.text_content("main")
    assert "Acme Robotics" in colleague.text_content("h1")
    membership = Membership.objects.get(user__username="nina")
    assert (membership.organisation, membership.role, membership.user.email) == (
        owner.organisation,
        Role.EDITOR,
        "nina@acme.example",
    )
    assert Organisation.objects.count() == 1
    context.close()

    # The owner sees the member, and the invitation is no longer open.
    page.goto(f"{base}/members/")
    assert "nina" in page.text_content("table") and "Open invitations" not in page.text_content("main")


def test_an_owner_revokes_and_a_stranger_is_refused(browser, page, live_server, owner, django_user_model):
    base = live_server.url
    django_user_model.objects.create_user("sam", email="sam@elsewhere.example", password=PASSWORD)
    sign_in(page, base, "olga")
    page.goto(f"{base}/members/")
    for email in ("first@acme.example", "second@acme.example"):
        page.fill("#id_email", email)
        page.click("button:has-text('Send invitation')")
        page.wait_for_selector(f"text=Invitation mailed to {email}")
    first, second = (Invitation.objects.get(email=e) for e in ("first@acme.example", "second@acme.example"))

    # A signed-in user with another address gets a refusal, and can sign out from it.
    context = browser.new_context()
    stranger = context.new_page()
    sign_in(stranger, base, "sam")
    stranger.goto(f"{base}/invitations/{second.code}/")
    assert "This invitation is for someone else." in stranger.text_content("main")
    assert stranger.locator("button:has-text('Join')").count() == 0
    stranger.click("main button:has-text('Sign out')")
    stranger.wait_for_url(f"{base}/invitations/{second.code}/")
    assert "Create an account and join" in stranger.text_content("main")
    context.close()
    assert not Membership.objects.filter(user__username="sam").exists()

    # The owner revokes the first: its link stops working.
    page.goto(f"{base}/members/")
    page.click("button:has-text('Revoke the invitation of first@acme.example')")
    page.wait_for_selector("text=was revoked; its link no longer works")
    page.goto(f"{base}/invitations/{first.code}/")
    assert "This invitation was revoked." in page.text_content("main")
