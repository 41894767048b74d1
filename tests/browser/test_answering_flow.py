"""The whole journey in headless Chromium: sign up, create, answer every section, meet a
conflict, send for review, and find the answers frozen."""

import pytest
from django.core.management import call_command

from assessments.models import Answer, Assessment, Membership, Role, Status
from assessments.selectors import assessment_record
from assessments.services import AnswerInput, answers_save
from governance.models import Instrument

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shipped_library(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)


def test_sign_up_answer_conflict_submit(page, live_server, shipped_library, django_user_model):
    base = live_server.url

    # Sign up: a new organisation with this user as owner.
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_username", "amira")
    page.fill("#id_email", "amira@example.org")
    page.fill("#id_organisation_name", "Amira Analytics")
    page.fill("#id_password1", "an-excellent-passphrase-7")
    page.fill("#id_password2", "an-excellent-passphrase-7")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
    assert "Amira Analytics" in page.text_content("h1")

    # Create an assessment against the default five seed instruments.
    page.click("text=New assessment")
    assert page.is_checked(f"input[name=instruments][value='{Instrument.objects.get(code='SH').pk}']")
    page.fill("#id_title", "Fraud detection 2026")
    page.fill("#id_scope", "Card-fraud scoring model")
    page.click("button:has-text('Create')")
    page.wait_for_selector("text=Sections")
    assessment = Assessment.objects.get(title="Fraud detection 2026")
    sections = page.locator(".list-group a").count()
    assert sections >= 10

    # Answer every section: Yes everywhere, with Save and next section until the last.
    page.click(".list-group a >> nth=0")
    for n in range(sections):
        for radio in page.locator("input[type=radio][value=yes]").all():
            radio.check()
        if n < sections - 1:
            page.click("button[name=save_next]")
        else:
            page.click("button[name=save]")
        page.wait_for_selector(".alert-success")
    answered = Answer.objects.filter(assessment=assessment, choice="yes").count()
    assert answered == assessment_record(assessment=assessment).progress.total > 40
    assert "answered" in page.text_content("nav[aria-label=Sections]")

    # Leaving a page with unsaved changes asks first.
    page.goto(f"{base}/assessments/{assessment.code}/sections/T05/")
    page.locator("section.card").first.locator("input[type=radio][value=no]").check()
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.click("text=Library")  # dismissing the warning keeps us on the page
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert "/sections/T05/" in page.url

    # A conflict: a colleague saves the same item while this page is open.
    page.goto(f"{base}/assessments/{assessment.code}/sections/T05/")
    first = page.locator("section.card").first
    code = first.get_attribute("id").removeprefix("item-")
    first.locator("input[type=radio][value=no]").check()
    first.locator("textarea[name$=justification]").fill("Mine: not yet traced.")
    colleague = django_user_model.objects.create_user("carl", password="x")
    membership = Membership.objects.create(user=colleague, organisation=assessment.organisation, role=Role.EDITOR)
    answer = Answer.objects.get(assessment=assessment, item__code=code)
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[AnswerInput(answer.item_id, code, "partial", "Carl: traced for the web app only.", [], answer.version)],
    )
    page.click("button[name=save]")
    page.wait_for_selector(".alert-danger")
    assert "Nothing was saved" in page.content()
    assert "Saved by carl" in first.inner_text()
    assert "Carl: traced for the web app only." in first.inner_text()
    assert page.input_value(f"textarea[name='{code}-justification']") == "Mine: not yet traced."
    answer.refresh_from_db()
    assert (answer.choice, answer.justification) == ("partial", "Carl: traced for the web app only.")

    # Saving again, having seen both, keeps mine.
    page.click("button[name=save]")
    page.wait_for_selector(".alert-success")
    answer.refresh_from_db()
    assert (answer.choice, answer.justification) == ("no", "Mine: not yet traced.")

    # Send for review, and everything is frozen.
    page.goto(f"{base}/assessments/{assessment.code}/")
    page.click("a:has-text('Send for review')")
    page.click("button:has-text('Send for review')")  # on the confirmation page
    page.wait_for_selector("text=Sent for review.")
    assessment.refresh_from_db()
    assert assessment.status == Status.IN_REVIEW
    page.goto(f"{base}/assessments/{assessment.code}/sections/T05/")
    assert "answers are read-only" in page.content()
    assert page.locator("button[name=save]").count() == 0
    assert page.locator("input[type=radio]").count() == 0
    # Read-only still means readable: guidance opens and links work.
    page.click("summary >> nth=0")
    assert page.locator("details[open]").count() == 1
