"""Translations of the library: validation on load, check_library's warning and --strict error,
the translators' files in and out, and the display fallback."""

import io

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from governance import translations as tr
from governance.models import ChecklistItem, Principle, Theme
from tests.library_files import minimal, write_library


def _item(records):
    return records["items/T05.yaml"][0]["fields"]


def _hash(text):
    return tr.source_hash(text)


def _load(path):
    call_command("load_library", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_the_library_languages_are_the_interfaces_less_english():
    assert ("en",) + tr.LANGUAGES == tuple(code for code, _ in settings.LANGUAGES)


def test_the_shipped_library_is_translated_into_every_language():
    """CI's gate (issue #15): every item, theme, instrument and principle is translated, from
    the English it now has, or the strict check fails."""
    out = io.StringIO()
    call_command("check_library", "--strict", stdout=out, stderr=io.StringIO())
    assert "Library OK" in out.getvalue()


@pytest.mark.parametrize(
    "translations, message",
    [
        ({"de": {"question": "Frage?"}}, "unknown language 'de'"),
        ({"en": {"question": "Again?"}}, "'en' is not a translation"),
        ({"fr": {"answer": "Oui"}}, "unknown field 'answer'"),
        ({"fr": {"question": 3}}, "must be non-empty text, not 3"),
        ({"fr": {"question": ""}}, "must be non-empty text"),
        ({"fr": {"quoted_text": "Citation"}}, "'quoted_text' holds a source's own words"),
        ({"fr": "Oui"}, "must be a mapping of field to text"),
        ({"fr": {"title": "x" * 81}}, "over 80"),
        ({"fr": {"question": "Q ?", "source_hash": {"answer": "12345678"}}}, "source_hash must map translated fields"),
        ("oui", "must be a mapping of language to translated fields"),
    ],
)
def test_bad_translations_load_nothing(tmp_path, empty_library, translations, message):
    records = minimal()
    _item(records)["translations"] = translations
    with pytest.raises(CommandError, match="nothing|unchanged"):
        err = io.StringIO()
        try:
            call_command("load_library", str(write_library(tmp_path, records)), stdout=io.StringIO(), stderr=err)
        finally:
            assert message in err.getvalue()
    assert not ChecklistItem.objects.exists() and not Theme.objects.exists()


def test_a_principle_heading_original_is_never_translated(tmp_path, empty_library):
    records = minimal()
    records["instruments/XA.yaml"][1]["fields"]["translations"] = {"fr": {"heading_original": "Titre"}}
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_library", str(write_library(tmp_path, records)), stdout=io.StringIO(), stderr=err)
    assert "'heading_original' holds a source's own words" in err.getvalue()


def test_translations_load_and_export_back(tmp_path, empty_library):
    records = minimal()
    item = _item(records)
    item["translations"] = {"fr": {"title": "Responsable nommé", "source_hash": {"title": _hash(item["title"])}}}
    _load(write_library(tmp_path / "in", records))
    assert ChecklistItem.objects.get(code="ACC-91").translations["fr"]["title"] == "Responsable nommé"
    call_command("export_library", str(tmp_path / "out"), stdout=io.StringIO())
    exported = yaml.safe_load((tmp_path / "out" / "items" / "T05-accountability.yaml").read_text())
    assert exported[0]["fields"]["translations"] == item["translations"]


def _check(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("check_library", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_missing_translation_warns_and_fails_when_strict(tmp_path):
    path = write_library(tmp_path, minimal())
    out, err = _check(path)
    assert "Library OK" in out
    assert "WARNING governance.checklistitem ACC-91: no zh-hans translation of title, question" in err
    with pytest.raises(CommandError):
        _check(path, "--strict")


def test_a_translation_of_changed_english_is_flagged(tmp_path):
    """The hash kept with a translation is of the English it was made from: reword the English
    and the translation shows as out of date, and pages show the English until it is redone."""
    records = minimal()
    item = _item(records)
    item["translations"] = {
        "fr": {"question": "Un responsable est-il désigné ?", "source_hash": {"question": _hash(item["question"])}}
    }
    item["question"] = "Is one person named as the owner of the system?"
    _, err = _check(write_library(tmp_path, records))
    assert "ACC-91: the fr translation of question was made from other English text" in err


def test_a_zh_instruments_principles_need_no_chinese_heading(tmp_path):
    _, err = _check(write_library(tmp_path, minimal()))
    assert "XA-1: no zh-hans translation of summary" in err  # XA is a Chinese instrument
    assert "XA-1: no zh-hans translation of heading" not in err
    assert "XA-1: no fr translation of heading, summary" in err


def _translator_file(path, **sections):
    path.write_text(yaml.safe_dump({"language": "fr", **sections}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_translators_file_is_folded_into_the_library_files(tmp_path):
    library = write_library(tmp_path / "lib", minimal())
    file = _translator_file(
        tmp_path / "fr-items.yaml",
        items={"ACC-91": {"title": "Responsable nommé", "question": "Un responsable est-il désigné ?"}},
        themes={"T05": {"name": "Responsabilité"}},
    )
    out = io.StringIO()
    call_command("library_translations", "import", str(file), "--library", str(library), stdout=out)
    assert "1 title" in out.getvalue() and "1 question" in out.getvalue() and "themes: 1 name" in out.getvalue()
    items = yaml.safe_load((library / "items" / "T05.yaml").read_text())
    fr = items[0]["fields"]["translations"]["fr"]
    assert fr["title"] == "Responsable nommé"
    assert fr["source_hash"] == {"title": _hash("Named owner"), "question": _hash("Is an owner named for the system?")}
    # Out again, for a translator: the English beside each text, untranslated ones blank.
    exported = io.StringIO()
    call_command("library_translations", "export", "--lang", "fr", "--library", str(library), stdout=exported)
    document = yaml.safe_load(exported.getvalue())
    assert document["items"]["ACC-91"]["title"] == "Responsable nommé"
    assert document["items"]["ACC-91"]["guidance"] == ""
    assert document["items"]["ACC-91"]["en"]["guidance"] == "Name one accountable person."
    # ... and that file imports back unchanged (blank texts are skipped).
    before = (library / "items" / "T05.yaml").read_text()
    back = tmp_path / "back.yaml"
    back.write_text(exported.getvalue(), encoding="utf-8")
    call_command("library_translations", "import", str(back), "--library", str(library), stdout=io.StringIO())
    assert (library / "items" / "T05.yaml").read_text() == before


@pytest.mark.parametrize(
    "sections, message",
    [
        ({"items": {"ZZZ-01": {"title": "x"}}}, "items.ZZZ-01: no such record"),
        ({"items": {"ACC-91": {"answer": "x"}}}, "unknown field 'answer'"),
        ({"principles": {"XA-1": {"quoted_text": "x"}}}, "never translated"),
        ({"gadgets": {}}, "unknown section 'gadgets'"),
    ],
)
def test_a_bad_translators_file_changes_no_file(tmp_path, sections, message):
    library = write_library(tmp_path / "lib", minimal())
    before = {p: p.read_text() for p in library.rglob("*.yaml")}
    file = _translator_file(tmp_path / "bad.yaml", **sections)
    err = io.StringIO()
    with pytest.raises(CommandError, match="no file was changed"):
        call_command("library_translations", "import", str(file), "--library", str(library), stderr=err)
    assert message in err.getvalue()
    assert {p: p.read_text() for p in library.rglob("*.yaml")} == before


def test_pages_get_the_active_language_and_english_where_untranslated(library):
    item = ChecklistItem.objects.get(code="ACC-01")
    with translation.override("fr"):
        assert item.local.title == item.translations["fr"]["title"] != item.title
    with translation.override("en"):
        assert item.local.title == "Reviewable, traceable regulatory mechanisms"
    item.translations["fr"].pop("guidance")
    with translation.override("fr"):
        assert item.local.guidance == item.guidance  # English, field by field
    item.question = "Reworded in English."
    with translation.override("fr"):
        assert item.local.question == "Reworded in English."  # the translation is of the old text


def test_a_chinese_principle_shows_its_original_heading_in_chinese(library):
    principle = Principle.objects.select_related("instrument").get(code="SH-6")
    assert principle.heading_original
    with translation.override("zh-hans"):
        assert principle.local.heading == principle.heading_original
    with translation.override("fr"):
        assert principle.local.heading == principle.translations["fr"]["heading"]
