"""Translations of library texts: which fields have them, how they are keyed, and how a page
gets the text in the active language.

A translated record carries, beside its English fields (the source of truth), a JSON mapping
``translations = {"zh-hans": {"question": ..., "source_hash": {"question": "1a2b3c4d"}}, "fr": ...}``.
``source_hash`` holds, per translated field, a short hash of the English text the translation
was made from: when the English changes, the hash no longer matches, ``check_library`` reports
the translation as out of date, and pages show the English until it is translated again.

Nothing here touches the database; models and read-model records alike mix in ``Translatable``.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import get_language

# The languages a library text may be translated into: the interface's, less English (the
# library's own language). tests/governance/test_translations.py keeps this in step with
# settings.LANGUAGES.
LANGUAGES = ("zh-hans", "fr")
# The part of an instrument's BCP 47 ``language`` tag that names each target language: a Chinese
# instrument's principles need no translated heading in Chinese, their original heading is shown.
INSTRUMENT_LANGUAGE = {"zh-hans": "zh", "fr": "fr"}
HASH_KEY = "source_hash"

# Per model: translation key → the English field it translates. Keys are the translators' words
# (an instrument's ``title`` is ``title_en``'s counterpart, a principle's ``heading`` is
# ``heading_en``'s).
TRANSLATED = {
    "governance.theme": {"name": "name", "description": "description"},
    "governance.instrument": {"title": "title_en", "summary": "summary"},
    "governance.principle": {"heading": "heading_en", "summary": "summary"},
    "governance.checklistitem": {
        "title": "title",
        "question": "question",
        "guidance": "guidance",
        "evidence_hint": "evidence_hint",
        "recommendation": "recommendation",
    },
}
# A source's own words: quoted, never translated.
NEVER_TRANSLATED = ("title_original", "heading_original", "quoted_text", "quote_citation", "quote_url")


def source_hash(text: str) -> str:
    """A short hash of an English text, kept with its translation (8 hex digits: this tells a
    changed text from an unchanged one, it guards against no adversary)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def active_language() -> str | None:
    """The active language when library texts are translated into it, else None (English)."""
    language = (get_language() or "en").lower()
    return language if language in LANGUAGES else None


def translated(translations: dict, language: str, key: str, english: str) -> str | None:
    """The translation of ``key`` into ``language`` if it was made from ``english``, else None."""
    entry = (translations or {}).get(language) or {}
    text = entry.get(key)
    if not text or (entry.get(HASH_KEY) or {}).get(key) != source_hash(english or ""):
        return None
    return text


class Localized:
    """A record's texts in one language: ``item.local.question`` (or ``{{ item.local.question }}``),
    falling back to English field by field."""

    __slots__ = ("_obj", "_language")

    def __init__(self, obj, language):
        self._obj, self._language = obj, language

    def __getattr__(self, key):
        obj = self._obj
        try:
            field = obj.TRANSLATED[key]
        except KeyError:
            raise AttributeError(key) from None
        english = getattr(obj, field)
        if self._language is None:
            return english
        text = translated(obj.translations, self._language, key, english)
        if text is None:
            text = obj.untranslated(key, self._language)
        return english if text is None else text

    def __getitem__(self, key):
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None


class Translatable:
    """Mixed into models and records that carry ``translations``. Each class sets ``TRANSLATED``
    (translation key → English field)."""

    __slots__ = ()
    TRANSLATED: dict = {}

    @property
    def local(self) -> Localized:
        return Localized(self, active_language())

    def localized(self, language: str | None) -> Localized:
        return Localized(self, language if language in LANGUAGES else None)

    def untranslated(self, key, language):
        """What stands in for a missing translation before English (None: English)."""
        return None


def same_language(instrument_language: str | None, language: str) -> bool:
    """Whether an instrument written in ``instrument_language`` (a BCP 47 tag) is in ``language``."""
    return (instrument_language or "").split("-")[0].lower() == INSTRUMENT_LANGUAGE.get(language)


def principle_original_heading(heading_original: str, instrument_language: str, key: str, language: str):
    """A principle's original heading stands for its heading in the instrument's own language."""
    if key == "heading" and heading_original and same_language(instrument_language, language):
        return heading_original
    return None
