"""Choosing the interface language, and what the choice changes on a page.

The switcher (POST /language/) remembers the choice in the language cookie, and for a signed-in
user in their profile, which follows them to their next session and other browsers. Without a
choice the browser's Accept-Language decides; English is the default.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from accounts.models import Profile
from tests.cast import PASSWORD, as_user

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _lang(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_default_is_english(client, library):
    response = client.get("/library/")
    assert _lang(response) == "en"
    assert response.headers["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("header", "tag"),
    [("zh-CN,zh;q=0.9", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("fr-FR,fr;q=0.8,en;q=0.5", "fr"), ("de-DE", "en")],
)
def test_accept_language_is_the_fallback(client, library, header, tag):
    assert _lang(client.get("/library/", headers={"accept-language": header})) == tag


def test_an_anonymous_choice_is_kept_in_the_cookie(client, library):
    response = client.post("/language/", {"language": "fr", "next": "/library/crosswalk/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/library/crosswalk/"
    assert response.cookies[COOKIE].value == "fr"
    assert response.cookies[COOKIE]["httponly"] and response.cookies[COOKIE]["samesite"] == "Lax"
    # The cookie wins over the browser's language.
    assert _lang(client.get("/library/", headers={"accept-language": "zh-CN"})) == "fr"
    assert not Profile.objects.exists()


def test_a_signed_in_choice_is_kept_in_the_profile_and_follows_the_user(client, cast):
    as_user(client, cast.editor)
    response = client.post("/language/", {"language": "zh-hans", "next": "/dashboard/"})
    assert response.status_code == 302
    assert Profile.objects.get(user=cast.editor).language == "zh-hans"
    assert _lang(client.get("/dashboard/")) == "zh-Hans"
    # Another browser, with another language cookie and header: the profile wins after sign-in.
    other = Client()
    other.cookies[COOKIE] = "fr"
    other.post("/accounts/login/", {"login": cast.editor.username, "password": PASSWORD})
    assert _lang(other.get("/dashboard/", headers={"accept-language": "fr"})) == "zh-Hans"
    # Signed out, the browser's own choice applies again.
    other.post("/accounts/logout/")
    assert _lang(other.get("/library/")) == "fr"


def test_a_user_who_never_chose_gets_the_browser_language(client, cast):
    as_user(client, cast.owner)
    assert _lang(client.get("/dashboard/", headers={"accept-language": "fr"})) == "fr"


def test_the_switcher_is_in_the_header_of_every_page(client, library):
    html = client.get("/library/").content.decode()
    assert 'action="/language/"' in html and 'name="language"' in html
    for code, name in settings.LANGUAGES:
        assert f'value="{code}"' in html and name in html
    assert '<option value="en" lang="en" translate="no" selected>' in html


def test_the_switcher_only_takes_posts(client, library):
    assert client.get("/language/").status_code == 405
    assert client.put("/language/").status_code == 405


@pytest.mark.parametrize("bad", ["de", "", "zh", "en\x00", "x" * 5000, "../fr"])
def test_an_unknown_language_is_refused_and_changes_nothing(client, cast, bad):
    as_user(client, cast.viewer)
    response = client.post("/language/", {"language": bad})
    assert response.status_code == 400
    assert COOKIE not in response.cookies
    assert not Profile.objects.filter(user=cast.viewer).exists()


def test_a_missing_language_is_refused(client, library):
    assert client.post("/language/", {}).status_code == 400


def test_the_switcher_form_does_not_repeat_the_address(client, cast):
    """The page's address is not echoed into the switcher (a 404 page must not repeat what was
    asked for); the view goes back through the Referer."""
    html = as_user(client, cast.owner).get("/library/instruments/NO-SUCH-CODE/").content.decode()
    assert "NO-SUCH-CODE" not in html


def test_the_switcher_goes_back_only_to_this_site(client, library):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    response = client.post("/language/", {"language": "fr"}, headers={"referer": "http://testserver/library/"})
    assert response.headers["Location"] == "http://testserver/library/"


def test_the_language_codes_are_stored_as_codes(client, cast):
    as_user(client, cast.owner)
    client.post("/language/", {"language": "ZH-HANS"})
    assert Profile.objects.get(user=cast.owner).language == "zh-hans"


@pytest.mark.parametrize(
    ("language", "date", "short", "percent"),
    [
        ("en", "1 September 2018", "1 Sep 2018", "62.5%"),
        ("zh-hans", "2018年9月1日", "2018年9月1日", "62.5%"),
        ("fr", "1 septembre 2018", "1 sept. 2018", "62,5%"),
    ],
)
def test_dates_and_percentages_follow_the_language(language, date, short, percent):
    """The figures' format is the locale's (Django's formats, config/formats/); the place of the
    % sign is the translation's ("62,5 %" once the French catalogue says so)."""
    template = Template(
        '{% load locale_tags %}{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ score|percent }}'
    )
    with translation.override(language):
        rendered = template.render(Context({"day": dt.date(2018, 9, 1), "score": 62.5}))
    shown_date, shown_short, shown_percent = rendered.split("|")
    assert (shown_date, shown_short) == (date, short)
    assert shown_percent.replace("\u00a0", "").replace("\u202f", "") == percent


def test_a_page_shows_the_instrument_date_in_the_language(client, library):
    from governance.models import Instrument

    instrument = Instrument.objects.exclude(official_date=None).first()
    en = client.get(f"/library/instruments/{instrument.code}/").content.decode()
    zh = client.get(f"/library/instruments/{instrument.code}/", headers={"accept-language": "zh-CN"}).content.decode()
    day = instrument.official_date
    assert f"{day.year}年{day.month}月{day.day}日" in zh
    assert f"{day.day} {day:%B} {day.year}" in en


def test_results_show_percentages_with_the_french_decimal_mark(client, cast, assessment):
    from tests.factories import seed_answers

    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], limit=3)
    as_user(client, cast.owner)
    client.cookies[COOKIE] = "fr"
    html = client.get(f"/assessments/{assessment.code}/results/").content.decode()
    en_client = as_user(Client(), cast.owner)
    en = en_client.get(f"/assessments/{assessment.code}/results/").content.decode()
    import re

    decimals_fr = re.findall(r"\d+,\d%", html.replace("\u00a0", "").replace("\u202f", ""))
    decimals_en = re.findall(r"\d+\.\d%", en)
    assert decimals_fr and decimals_en


@pytest.mark.parametrize(("language", "tag"), [("en", "en"), ("zh-hans", "zh-Hans"), ("fr", "fr")])
def test_html_lang_follows_the_language(client, library, language, tag):
    client.cookies[COOKIE] = language
    assert _lang(client.get("/library/")) == tag
    assert _lang(client.get("/accounts/login/")) == tag


def test_chinese_pages_get_a_cjk_font_stack():
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    rule = css.split("html:lang(zh) {", 1)[1].split("}", 1)[0]
    assert rule.index("--app-cjk") < rule.index("sans-serif")
    assert "Noto Sans CJK SC" in css and "PingFang SC" in css and "Microsoft YaHei" in css
    assert "@import" not in css and "url(http" not in css  # installed fonts only, no web font


def test_the_chart_keeps_svg_numbers_in_french(client, cast, assessment):
    """A decimal comma in an SVG coordinate breaks the drawing: the chart is not localised."""
    import re

    from tests.factories import seed_answers

    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], limit=3)
    as_user(client, cast.owner)
    client.cookies[COOKIE] = "fr"
    html = client.get(f"/assessments/{assessment.code}/results/").content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    numbers = re.findall(r'\s(?:x|y|x1|y1|x2|y2|cx|cy|width|height)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers), numbers[:10]
