"""Automated accessibility checks in Chromium: axe-core on every page of the site
(tests/browser/pages.py), at desktop and phone width, failing on serious and critical
violations; and the contrast of form controls, measured on the rendered page.

axe-core comes from the npm registry at the version package-lock.json pins (scripts/setup.sh
test runs npm ci). It is evaluated in the page through the DevTools protocol rather than added
as a script tag, so the site's Content Security Policy stays on during the check.
"""

from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password

from tests.browser.pages import pages_by_user, sign_in, site, visit
from tests.css import contrast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FAILING = {"serious", "critical"}
WIDTHS = (1366, 360)


def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (scripts/setup.sh test installs it with npm ci).")
    return AXE.read_text()


def run_axe(page, source):
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in FAILING
    ]


@pytest.fixture
def built(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert make_password("x").startswith("md5$")
    return site()


def test_axe_finds_no_serious_violation_on_any_page(browser, live_server, built, tmp_path):
    source = axe_source()
    found = {}
    for width in WIDTHS:
        for user, pages in pages_by_user():
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15000)
            if user:
                sign_in(page, live_server.url, user)
            for name, path, _ in pages:
                visit(page, live_server.url, name, path, built, tmp_path)
                violations = run_axe(page, source)
                if violations:
                    found[f"{name} at {width}"] = violations
            context.close()
    assert not found, "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in found.items())


def test_axe_catches_a_serious_violation(browser, live_server, built):
    """The check can fail: an image without a text alternative is a critical violation."""
    page = browser.new_page()
    page.goto(f"{live_server.url}/library/")
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')")
    assert any(v.startswith("image-alt (critical)") for v in run_axe(page, axe_source()))
    page.close()


CONTROLS = """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox], input.form-control, select, textarea')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => ({name: el.name || el.id, border: getComputedStyle(el).borderTopColor}))"""


def test_controls_have_3_to_1_contrast_against_the_page(browser, live_server, built):
    """WCAG 1.4.11: the outline that shows where a radio, checkbox or field is needs 3:1
    against white; Bootstrap's default (#dee2e6) is 1.3:1."""
    page = browser.new_page()
    sign_in(page, live_server.url)
    checked = 0
    for path in (f"/assessments/{built.draft.code}/sections/T05/", "/assessments/new/", "/members/"):
        page.goto(live_server.url + path)
        for control in page.evaluate(CONTROLS):
            assert contrast(control["border"], "#ffffff") >= 3, (path, control)
            checked += 1
    assert checked > 20
    page.close()
