"""Every page in each language, and no interface string left out of the catalogue.

The pages are the browser checks' list (tests/browser/pages.py) over the same demo-like data,
plus the refusals (404, 403, 409). Each renders in English, Chinese and French with the right
``<html lang>``. Rendered in a pseudo-language whose translations are the English wrapped in
⟦…⟧ (tests/i18n/pseudo.py), no word of the visible text may be outside the markers unless it is
data: an unmarked string fails with the page and the line it is on.
"""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from assessments.models import Assessment
from tests.browser.pages import PAGES, site
from tests.i18n.pseudo import PSEUDO, build_pseudo_locale, unmarked

pytestmark = pytest.mark.django_db

# Refusal pages, which the browser list does not open.
EXTRA_PAGES = [
    ("not-found", "/library/instruments/NO-SUCH/", None),
    ("forbidden", lambda s: f"/assessments/{s.draft.code}/edit/", "demo-viewer"),
    ("conflict", lambda s: f"/assessments/{s.submitted.code}/edit/", "demo"),
    ("tokens", "/settings/tokens/", "demo"),
    ("no-organisation", "/dashboard/", "lonely"),
    ("report-status", lambda s: f"/assessments/{s.draft.code}/report/", "demo"),
    ("workbook-upload", lambda s: f"/assessments/{s.draft.code}/workbook/", "demo"),
    ("edit", lambda s: f"/assessments/{s.draft.code}/edit/", "demo"),
    ("confirm-submit", lambda s: f"/assessments/{s.draft.code}/submit/", "demo"),
    ("confirm-delete", lambda s: f"/assessments/{s.draft.code}/delete/", "demo"),
    ("invitation-signup", lambda s: f"/invitations/{s.invitation}/signup/", None),
]
ALL_PAGES = [p for p in PAGES if p[0] != "import-preview"] + EXTRA_PAGES
LANGUAGES = [("en", "en"), ("zh-hans", "zh-Hans"), ("fr", "fr")]


@pytest.fixture
def built(library, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("lonely", password="x-long-password-1")
    return site()


def _client(user, language):
    from django.contrib.auth import get_user_model

    client = Client()
    if user is not None:
        client.force_login(get_user_model().objects.get(username=user))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _path(path, built):
    return path(built) if callable(path) else path


def _get(client, path):
    response = client.get(path, follow=True)
    assert response.status_code in (200, 403, 404, 409), (path, response.status_code)
    return response


def _data_values() -> list[str]:
    """Every text the database holds (library, organisations, assessments, answers, people): what a
    page may show as data. Longest first, so that a title goes before a word of it."""
    values = set()

    def add(value):
        if isinstance(value, str):
            if len(value.strip()) >= 2:
                values.add(value.strip())
                values.update(line.strip() for line in value.splitlines() if len(line.strip()) >= 2)
        elif isinstance(value, dict):
            for v in value.values():
                add(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                add(v)

    for model in apps.get_models():
        if model._meta.app_label in ("sessions", "admin", "contenttypes", "django_tasks_db", "axes"):
            continue
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField, models.EmailField))
            and not f.choices
            and f.name not in ("password",)
        ]
        if names:
            for row in model.objects.values_list(*names):
                add(list(row))
    return sorted(values, key=len, reverse=True)


@pytest.mark.parametrize(("language", "tag"), LANGUAGES)
def test_every_page_renders_in_each_language(built, language, tag):
    for name, path, user in ALL_PAGES:
        response = _get(_client(user, language), _path(path, built))
        html = response.content.decode()
        assert f'<html lang="{tag}">' in html, name
        assert response.headers["Content-Language"] == language, name


def test_no_page_shows_an_unmarked_interface_string(built, settings, tmp_path):
    settings.LOCALE_PATHS = [build_pseudo_locale(tmp_path)]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
    data = _data_values()
    problems = []
    for name, path, user in ALL_PAGES:
        html = _get(_client(user, PSEUDO), _path(path, built)).content.decode()
        assert f'<html lang="{PSEUDO}">' in html, name
        problems += [f"{name}: {line[:160]}" for line in unmarked(html, data)]
    assert not problems, "Interface strings not marked for translation:\n" + "\n".join(dict.fromkeys(problems))


def test_pseudo_check_finds_an_unmarked_string(built, settings, tmp_path):
    """The check itself: an English word the catalogue does not know is reported."""
    settings.LOCALE_PATHS = [build_pseudo_locale(tmp_path)]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
    html = _get(_client(None, PSEUDO), "/library/").content.decode()
    assert unmarked(html, _data_values()) == []
    tampered = html.replace("</main>", "<p>Forgotten words</p></main>")
    assert unmarked(tampered, _data_values()) == ["Forgotten words"]
    assert unmarked(html.replace("</main>", '<p translate="no">Data words</p></main>'), []) != ["Data words"]


def test_the_import_preview_in_the_pseudo_language(built, settings, tmp_path):
    """The preview is what uploading an export shows (not a page to open by its address)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.exports import export_data, export_json
    from assessments.results import compute
    from assessments.selectors import assessment_record

    settings.LOCALE_PATHS = [build_pseudo_locale(tmp_path)]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
    submitted = Assessment.objects.get(pk=built.submitted.pk)
    export = export_json(export_data(submitted, compute(assessment_record(assessment=submitted))))
    client = _client("demo", PSEUDO)
    form = client.get("/assessments/import/").content.decode()
    organisation = re.search(r'<option value="([0-9a-f-]{36})"', form).group(1)
    response = client.post(
        "/assessments/import/",
        {
            "file": SimpleUploadedFile("export.json", export.encode(), content_type="application/json"),
            "organisation": organisation,
            "title": "",
            "scope": "Scope",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "import-confirm" in html or "/assessments/import/confirm/" in html
    assert unmarked(html, _data_values()) == []
