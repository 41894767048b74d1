"""The section page in headless Chromium: the keyboard reaches the first answer in a few Tab
presses, the justification counter counts as the server does and never cuts a paste, files of a
refused save are kept, and a section of more than 250 items saves from a real browser (which
sends every field of every item, and an empty part for every file input)."""

import pytest
from django.urls import reverse

from assessments.models import Answer, EvidenceFile
from tests.assessments.test_section_queries import big_assessment
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEME = "T05"


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


def first_code(page):
    return page.locator("section.card").first.get_attribute("id").removeprefix("item-")


def test_the_first_answer_is_a_few_tab_presses_from_the_top(page, live_server, cast, assessment):
    sign_in(page, live_server.url, cast.editor)
    page.goto(live_server.url + reverse("section", args=[assessment.code, THEME]))
    code = first_code(page)
    presses = 0
    while presses < 40:
        page.keyboard.press("Tab")
        presses += 1
        focused = page.evaluate(
            "() => [document.activeElement.tagName, document.activeElement.name || '', "
            "document.activeElement.textContent.trim()]"
        )
        if focused[2] == "Skip to answers":
            assert page.is_visible("text=Skip to answers")  # shown when focused
            page.keyboard.press("Enter")
        if focused[0] == "INPUT" and focused[1] == f"{code}-choice":
            break
    assert presses <= 5, f"{presses} Tab presses to the first answer"

    # Without the skip link, the answers still come before the list of sections and the badges.
    page.goto(live_server.url + reverse("section", args=[assessment.code, THEME]))
    order = page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href], input, textarea, button, summary'))
             .filter(e => !e.closest('.d-none') && e.offsetParent !== null)
             .map(e => e.name || e.getAttribute('href') || e.tagName)"""
    )
    radio = order.index(f"{code}-choice")
    assert not [href for href in order[:radio] if "/library/principles/" in str(href)]
    assert not [href for href in order[:radio] if "/sections/" in str(href)]


def test_the_counter_counts_as_the_server_and_a_paste_is_not_cut(page, live_server, cast, assessment):
    sign_in(page, live_server.url, cast.editor)
    url = live_server.url + reverse("section", args=[assessment.code, THEME])
    page.goto(url)
    code = first_code(page)
    area = page.locator(f"#id_{code}-justification")
    counter = page.locator(f"#id_{code}-justification_count")
    assert counter.inner_text().startswith("0 / 5,000")

    area.fill("line one\nline two")  # a line break counts once, as the server counts it
    assert counter.inner_text().startswith("17 / 5,000")
    area.fill("字" * 4999 + "😀")  # code points, not UTF-16 units
    assert counter.inner_text().startswith("5,000 / 5,000")
    assert "text-danger" not in counter.get_attribute("class")

    area.fill("x" * 6000)
    assert len(area.input_value()) == 6000  # no maxlength cut it
    assert counter.inner_text().startswith("6,000 / 5,000: 1,000 too many")
    assert "text-danger" in counter.get_attribute("class")
    page.wait_for_timeout(1200)
    assert counter.locator("[aria-live]").inner_text() == "1,000 characters too many"

    page.check(f"input[name='{code}-choice'][value=partial]")
    page.click("button[name=save]")
    page.wait_for_selector(".alert-danger")
    assert "may be at most 5,000 characters; this one has 6,000" in page.content()
    assert "a justification is required" not in page.content()
    assert len(page.locator(f"#id_{code}-justification").input_value()) == 6000  # kept, whole
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_files_of_a_refused_save_are_kept_then_can_be_removed(page, live_server, cast, assessment, tmp_path):
    evidence = tmp_path / "policy.pdf"
    evidence.write_bytes(b"%PDF-1.7\n%browser\n")
    sign_in(page, live_server.url, cast.editor)
    url = live_server.url + reverse("section", args=[assessment.code, THEME])
    page.goto(url)
    cards = page.locator("section.card")
    first, second = (cards.nth(n).get_attribute("id").removeprefix("item-") for n in (0, 1))
    page.check(f"input[name='{first}-choice'][value=yes]")
    page.set_input_files(f"#id_{first}-files", str(evidence))
    page.check(f"input[name='{second}-choice'][value=na]")  # no reason given: refused
    page.click("button[name=save]")
    page.wait_for_selector(".alert-danger")
    assert page.is_checked(f"input[name='{first}-staged']")
    assert "Add policy.pdf" in cards.first.inner_text()

    page.fill(f"#id_{second}-justification", "Not used for decisions.")
    page.click("button[name=save]")
    page.wait_for_selector(".alert-success")
    stored = EvidenceFile.objects.get()
    assert stored.original_name == "policy.pdf" and stored.answer.item.code == first

    page.check(f"input[name='{first}-remove_files']")
    page.click("button[name=save]")
    page.wait_for_selector(".alert-success")
    assert not EvidenceFile.objects.exists()
    assert "policy.pdf" not in page.locator("section.card").first.inner_text()


def test_a_section_of_260_items_saves_from_the_browser(page, live_server, cast):
    assessment = big_assessment(cast, 260)
    sign_in(page, live_server.url, cast.owner)
    page.goto(live_server.url + reverse("section", args=[assessment.code, THEME]))
    assert page.locator("input[type=file]").count() == 260
    page.locator("input[name$='-choice'][value=no]").last.check()
    page.click("button[name=save]")
    page.wait_for_selector(".alert-success")
    assert Answer.objects.get(assessment=assessment, item__code="ZZZ-259").choice == "no"


def posted_encodings(page):
    """The content types of the section saves the page posts, in order."""
    seen = []
    page.on("request", lambda r: seen.append(r.headers["content-type"].split(";")[0]) if r.method == "POST" else None)
    return seen


def test_a_save_without_files_posts_urlencoded_and_with_a_file_multipart(page, live_server, cast, assessment, tmp_path):
    # static/js/post-encoding.js: the same fields either way, and the file arrives whole.
    evidence = tmp_path / "policy.pdf"
    evidence.write_bytes(b"%PDF-1.7\n%browser\n")
    sign_in(page, live_server.url, cast.editor)
    page.goto(live_server.url + reverse("section", args=[assessment.code, THEME]))
    encodings = posted_encodings(page)
    code = first_code(page)
    page.check(f"input[name='{code}-choice'][value=partial]")
    page.fill(f"#id_{code}-justification", "Line one.\nLine two.")
    page.click("button[name=save]")
    page.wait_for_selector(".alert-success")
    answer = Answer.objects.get(assessment=assessment, item__code=code)
    assert (answer.choice, answer.justification) == ("partial", "Line one.\nLine two.")

    page.set_input_files(f"#id_{code}-files", str(evidence))
    page.click("button[name=save]")
    page.wait_for_selector(".alert-success")
    assert EvidenceFile.objects.get().original_name == "policy.pdf"
    assert EvidenceFile.objects.get().file.read() == evidence.read_bytes()

    page.check(f"input[name='{code}-remove_files']")
    page.click("button[name=save_next]")
    page.wait_for_selector(".alert-success")
    assert not EvidenceFile.objects.exists()
    assert encodings == [
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
    ]


def test_a_body_too_large_for_the_server_urlencoded_posts_multipart(page, live_server, cast, assessment, settings):
    # Urlencoded, each Chinese character takes 9 bytes; in multipart, 3. A justification of
    # 1,000 of them fits the limit set here only in multipart, and is saved whole.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 6000
    sign_in(page, live_server.url, cast.editor)
    page.goto(live_server.url + reverse("section", args=[assessment.code, THEME]))
    encodings = posted_encodings(page)
    code = first_code(page)
    page.check(f"input[name='{code}-choice'][value=partial]")
    page.fill(f"#id_{code}-justification", "字" * 1000)
    page.click("button[name=save]")
    page.wait_for_selector(".alert-success")
    assert Answer.objects.get(assessment=assessment, item__code=code).justification == "字" * 1000
    assert encodings == ["multipart/form-data"]
