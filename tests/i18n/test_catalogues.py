"""The catalogues are complete: in step with the code, translated, nothing fuzzy, and valid.

``test_catalogues_have_no_untranslated_or_fuzzy_entries`` fails whenever a marked string has no
translation yet in locale/zh_Hans or locale/fr (docs/translating.md says how to add one).
"""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from accounts.management.commands.catalogues import LOCALES

BASE_DIR = Path(__file__).resolve().parents[2]
LOCALE = BASE_DIR / "locale"


def _po(locale_dir: Path, locale: str) -> polib.POFile:
    return polib.pofile(str(locale_dir / locale / "LC_MESSAGES" / "django.po"))


def _keys(po: polib.POFile) -> set:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in po if not e.obsolete}


def _show(keys) -> str:
    return "\n".join(f"  {ctx + ' | ' if ctx else ''}{msgid!r}" for ctx, msgid, _plural in sorted(keys, key=str))


def test_makemessages_leaves_nothing_new(tmp_path, settings, monkeypatch):
    """Extracting the strings again (the catalogues command, into a copy) finds exactly the
    committed msgids: none missing (a new marked string not yet extracted) and none left over."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    settings.LOCALE_PATHS = [copy]
    monkeypatch.chdir(BASE_DIR)
    call_command("catalogues", verbosity=0)
    for locale in LOCALES:
        committed, extracted = _keys(_po(LOCALE, locale)), _keys(_po(copy, locale))
        new, gone = extracted - committed, committed - extracted
        assert not new, f"{locale}: run `manage.py catalogues`; strings not in the catalogue:\n{_show(new)}"
        assert not gone, f"{locale}: run `manage.py catalogues`; strings no longer in the code:\n{_show(gone)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogues_have_no_untranslated_or_fuzzy_entries(locale):
    po = _po(LOCALE, locale)
    untranslated = [e for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e for e in po.fuzzy_entries() if not e.obsolete]
    assert not untranslated and not fuzzy, (
        f"{locale}: {len(untranslated)} untranslated and {len(fuzzy)} fuzzy of {len(po)} entries "
        f"({po.percent_translated()}% translated). First untranslated:\n"
        + _show([(e.msgctxt, e.msgid, None) for e in untranslated[:15]])
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogues_compile_and_keep_their_placeholders(locale, tmp_path):
    """msgfmt --check: the header is sound, and every translation has its msgid's placeholders
    (python-format and python-brace-format), so no translated page fails on a missing name."""
    po_file = LOCALE / locale / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po_file)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_headers_point_translators_to_the_glossary(locale):
    po = _po(LOCALE, locale)
    assert "docs/translating.md" in po.header and "glossary" in po.header
    assert po.metadata["Language"] == locale
    assert (
        po.metadata["Plural-Forms"] == {"zh_Hans": "nplurals=1; plural=0;", "fr": "nplurals=2; plural=(n > 1);"}[locale]
    )
