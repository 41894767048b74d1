"""In headless Chromium, the review from start to end: an owner assigns a section, the editor
answers it and asks a question, sends it for review; the reviewer returns it, the editor fixes
it and sends it again, the reviewer approves it and downloads the final report.

With ``AIGOV_SHOTS=<folder>`` the journey also saves screenshots (desktop 1280 and phone 360) of
the review view, a comment thread, the action plan and "assigned to me" there."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import Assessment, Comment, EventKind, IssuedReport, Membership, Organisation, Role, Status
from assessments.services import assessment_create
from governance.models import Instrument
from tests.cast import PASSWORD
from tests.factories import checklist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
THEME = "T05"
SHOTS = os.environ.get("AIGOV_SHOTS")


@pytest.fixture
def team(transactional_db, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)
    organisation = Organisation.objects.create(name="Acme Robotics")
    people = {}
    for name, role in (("olga", Role.OWNER), ("eddie", Role.EDITOR), ("rita", Role.REVIEWER)):
        user = django_user_model.objects.create_user(name, email=f"{name}@acme.example", password=PASSWORD)
        people[name] = Membership.objects.create(user=user, organisation=organisation, role=role)
    draft = assessment_create(
        membership=people["olga"],
        title="Chatbot 2026",
        scope="Customer chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
    )
    return people, draft


def sign_in(browser, base, username, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
    return page


def shoot(browser, base, username, path, name, *, open_selector=None):
    if not SHOTS:
        return
    for width in (1280, 360):
        page = sign_in(browser, base, username, width)
        page.goto(base + path)
        if open_selector:
            page.locator(open_selector).first.evaluate("el => el.open = true")
            page.locator(open_selector).first.scroll_into_view_if_needed()
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=not open_selector)
        page.context.close()


def answer(page, code, choice, justification):
    page.check(f"input[name='{code}-choice'][value='{choice}']")
    page.fill(f"#id_{code}-justification", justification)


def test_assign_answer_comment_send_return_fix_approve_download(browser, live_server, team):
    people, draft = team
    base = live_server.url
    first, second = [item.code for item in checklist(draft, themes=[THEME])[:2]]

    # The owner assigns the section to the editor.
    owner = sign_in(browser, base, "olga")
    owner.goto(f"{base}/assessments/{draft.code}/")
    owner.click("a:has-text('Assignments')")
    owner.fill("#id_target", THEME)
    owner.select_option("#id_assignee", str(people["eddie"].pk))
    owner.fill("#id_due", "2030-01-31")
    owner.click("button:has-text('Assign')")
    owner.wait_for_selector(f"text={THEME} is assigned to eddie")

    # The editor finds it on the dashboard, answers, and asks a question beside an answer.
    editor = sign_in(browser, base, "eddie")
    assert "Assigned to me" in editor.text_content("main")
    editor.click(f"#assigned-table a:has-text('{THEME}')")
    answer(editor, first, "partial", "Only the chatbot is covered so far.")
    editor.click("button[name=save]")
    editor.wait_for_selector(".alert-success")
    editor.click(f"#comments-{first} summary")
    editor.fill(f"#comment-body-{first}", "Does the ranking model count as in scope?")
    editor.click(f"#comments-{first} button:has-text('Comment')")
    editor.wait_for_selector("text=Comment added")
    assert Comment.objects.get().author.username == "eddie"
    shoot(browser, base, "eddie", "/dashboard/", "assigned-to-me")

    # Sent for review: the answers freeze.
    editor.goto(f"{base}/assessments/{draft.code}/")
    editor.click("a:has-text('Send for review')")
    editor.click("button:has-text('Send for review')")
    editor.wait_for_selector("text=Sent for review.")
    assert Assessment.objects.get(pk=draft.pk).status == Status.IN_REVIEW

    # The reviewer sees one open comment, and returns it with a reason.
    reviewer = sign_in(browser, base, "rita")
    reviewer.goto(f"{base}/assessments/{draft.code}/review/")
    assert reviewer.text_content("#open-comments").strip() == "1"
    shoot(browser, base, "rita", f"/assessments/{draft.code}/review/", "review-view")
    shoot(
        browser,
        base,
        "rita",
        f"/assessments/{draft.code}/sections/{THEME}/#item-{first}",
        "comment-thread",
        open_selector=f"#comments-{first}",
    )
    reviewer.fill("#id_reason", f"Answer {second} too, and say which models are in scope.")
    reviewer.click("button:has-text('Return to draft')")
    reviewer.wait_for_selector("text=Returned to draft")
    assert Assessment.objects.get(pk=draft.pk).status == Status.DRAFT

    # The editor reads why, fixes it, makes the gap an action, and sends it again.
    editor.goto(f"{base}/assessments/{draft.code}/")
    assert f"Answer {second} too" in editor.text_content("main")
    editor.goto(f"{base}/assessments/{draft.code}/sections/{THEME}/")
    answer(editor, second, "yes", "Model inventory covers both.")
    editor.fill(f"#id_{second}-evidence_urls", "https://intranet.example/inventory")
    editor.click("button[name=save]")
    editor.wait_for_selector(".alert-success")
    editor.goto(f"{base}/assessments/{draft.code}/actions/")
    card = editor.locator(f"#action-{first}")
    card.locator("select[name=status]").select_option("in_progress")
    card.locator("textarea[name=response]").fill("Extend the policy to the ranking model by March.")
    card.locator("button[type=submit]").click()
    editor.wait_for_selector(f"text=The action on {first} is saved.")
    shoot(browser, base, "eddie", f"/assessments/{draft.code}/actions/", "action-plan")
    editor.goto(f"{base}/assessments/{draft.code}/send-for-review/")
    editor.click("button:has-text('Send for review')")
    editor.wait_for_selector("text=Sent for review.")

    # The reviewer approves it with the attestation, and downloads the final report.
    reviewer.goto(f"{base}/assessments/{draft.code}/review/")
    reviewer.check("#id_attest")
    reviewer.click("button:has-text('Approve')")
    reviewer.wait_for_selector("text=Approved. The results and the report are now final.")
    approved = Assessment.objects.get(pk=draft.pk)
    assert approved.status == Status.APPROVED and approved.approved_by.username == "rita"
    assert approved.snapshot["answers"][second]["choice"] == "yes"
    # The link the page offers, fetched with the reviewer's session (rendering takes a while).
    link = reviewer.get_attribute("a:has-text('Download the final report')", "href")
    response = reviewer.request.get(base + link, timeout=300000)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert "attachment" in response.headers["content-disposition"]
    assert IssuedReport.objects.filter(assessment=approved).exists()
    kinds = set(approved.events.values_list("kind", flat=True))
    assert {EventKind.SENT_FOR_REVIEW, EventKind.RETURNED, EventKind.APPROVED, EventKind.REPORT_DOWNLOADED} <= kinds
