"""No page overflows a 360 px phone screen sideways, and no table hides columns behind a
scroll bar: measured in Chromium on every page of the site (tests/browser/pages.py)."""

import pytest
from django.contrib.auth.hashers import make_password

from tests.browser.pages import pages_by_user, sign_in, site, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360

# What sticks out: elements drawn past the right edge (or the left) of the viewport, unless an
# ancestor clips them (overflow hidden, as Bootstrap's visually-hidden does) or they are not
# drawn at all; and scroll containers whose content is wider than they are, which is overflow
# the reader must find and scroll (the results table's Evidenced and Δ columns were there).
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    if (getComputedStyle(el).clip !== 'auto') return true;  // visually hidden, for screen readers
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      // Inside a scroll container: reported below as the container's own overflow.
      if (['hidden', 'clip', 'auto', 'scroll'].includes(style.overflowX) || style.clip !== 'auto') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const out = [], scrolls = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(el)) out.push(`${name(el)} ${Math.round(r.left)}..${Math.round(r.right)}`);
    const scrollable = ['auto', 'scroll'].includes(style.overflowX) && !['SELECT', 'TEXTAREA'].includes(el.tagName);
    if (scrollable && el.scrollWidth > el.clientWidth + 1) scrolls.push(`${name(el)} ${el.scrollWidth} > ${el.clientWidth}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 10), scrolls};
}"""


@pytest.fixture
def built(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Quick hashing for the demo people; their passwords stay the demo's.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert make_password("x").startswith("md5$")
    return site()


def test_no_page_overflows_a_phone_screen(browser, live_server, built, tmp_path):
    problems = {}
    for user, pages in pages_by_user():
        context = browser.new_context(viewport={"width": WIDTH, "height": 740})
        page = context.new_page()
        page.set_default_timeout(15000)
        if user:
            sign_in(page, live_server.url, user)
        for name, path, _ in pages:
            visit(page, live_server.url, name, path, built, tmp_path)
            measured = page.evaluate(MEASURE)
            if measured["scrollWidth"] > WIDTH or measured["out"] or measured["scrolls"]:
                problems[name] = measured
        context.close()
    assert not problems, "\n".join(f"{name}: {found}" for name, found in problems.items())


def test_the_results_table_shows_every_column_on_a_phone(browser, live_server, built, tmp_path):
    context = browser.new_context(viewport={"width": WIDTH, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/assessments/{built.draft.code}/results/?compare={built.submitted.code}")
    row = page.locator("#instrument-table tbody tr").first
    cells = row.locator("td")
    labels = [cells.nth(n).get_attribute("data-label") for n in range(cells.count())]
    assert labels == ["Score", "Band", "Coverage", "Evidenced", "Δ", "Yes / Part. / No / N/A / —"]
    for n in range(cells.count()):
        box = cells.nth(n).bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= WIDTH, (labels[n], box)
        assert cells.nth(n).is_visible()
    # Each value is labelled with its column on the phone, where the header row is hidden.
    assert "Evidenced" in cells.nth(3).evaluate("el => getComputedStyle(el, '::before').content")
    context.close()


def test_the_dashboard_switcher_fits_and_the_buttons_do_not_break_words(browser, live_server, built):
    context = browser.new_context(viewport={"width": WIDTH, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url)
    switch = page.locator("form[action$='/organisations/switch/'] button").bounding_box()
    assert switch["x"] + switch["width"] <= WIDTH
    new = page.locator("a:has-text('New assessment')")
    # One line: as tall as a one-line button next to it.
    assert new.bounding_box()["height"] == page.locator("a:has-text('Import answers')").bounding_box()["height"]
    assert new.bounding_box()["height"] < 2 * 24
    context.close()
