"""Translations in the library files: what is missing or out of date, and the translators'
files (``library_translations import`` / ``export``).

A translator's file (docs/library-format.md, "Translations"):

    language: fr
    themes: {T01: {name: ..., description: ...}}
    items: {SAF-01: {title: ..., question: ..., guidance: ..., evidence_hint: ..., recommendation: ...}}
    instruments: {CF: {title: ..., summary: ...}}
    principles: {CF-1: {heading: ..., summary: ...}}

Importing folds each text into its record's ``translations`` with the hash of the English it
translates, so a later change to the English shows the translation as out of date.
"""

from __future__ import annotations

from governance import translations as tr
from governance.library.data import LibraryData, LibraryError

SECTIONS = {
    "themes": "governance.theme",
    "items": "governance.checklistitem",
    "instruments": "governance.instrument",
    "principles": "governance.principle",
}
# In an exported translator's file, each record's English, for reference; ignored on import.
ENGLISH_KEY = "en"


def required_keys(data: LibraryData, model: str, fields: dict, language: str) -> list[str]:
    """The keys of a record that need a translation into ``language``: those whose English is
    not empty, less a principle's heading where its instrument is in that language (its
    original heading is shown instead where the library has one, else the English)."""
    keys = []
    for key, field in tr.TRANSLATED[model].items():
        if not str(fields.get(field) or "").strip():
            continue
        if model == "governance.principle" and key == "heading":
            instrument = data.instruments.get(fields["instrument"], {})
            if tr.same_language(instrument.get("language"), language):
                continue
        keys.append(key)
    return keys


def translation_problems(data: LibraryData, languages=tr.LANGUAGES) -> list[str]:
    """Every missing or out-of-date translation, one message each (``check_library`` warns, and
    with ``--strict`` fails)."""
    problems = []
    for model in SECTIONS.values():
        for code, fields in sorted(data.of(model).items()):
            for language in languages:
                entry = (fields.get("translations") or {}).get(language) or {}
                hashes = entry.get(tr.HASH_KEY) or {}
                missing, stale = [], []
                for key in required_keys(data, model, fields, language):
                    english = fields[tr.TRANSLATED[model][key]]
                    if not entry.get(key):
                        missing.append(key)
                    elif hashes.get(key) != tr.source_hash(english):
                        stale.append(key)
                if missing:
                    problems.append(f"{model} {code}: no {language} translation of {', '.join(missing)}")
                if stale:
                    problems.append(
                        f"{model} {code}: the {language} translation of {', '.join(stale)} was made from other "
                        "English text (the English changed since): translate it again"
                    )
    return problems


def translations_fold(data: LibraryData, document) -> dict[str, dict[str, int]]:
    """Fold a translator's file into ``data`` in place; returns {section: {key: count}}.

    Raises LibraryError naming every problem (unknown language, section, code or field, a text
    that is not text), in which case ``data`` must be discarded.
    """
    problems = []
    if not isinstance(document, dict):
        raise LibraryError(["the file must be a mapping with 'language' and sections"])
    language = document.get("language")
    if language not in tr.LANGUAGES:
        raise LibraryError([f"language {language!r} is not one of {', '.join(tr.LANGUAGES)}"])
    counts = {}
    for section, entries in document.items():
        if section == "language":
            continue
        model = SECTIONS.get(section)
        if model is None:
            problems.append(f"unknown section {section!r} (expected {', '.join(SECTIONS)})")
            continue
        if not isinstance(entries, dict):
            problems.append(f"{section}: must map codes to their texts")
            continue
        records = data.of(model)
        for code, texts in entries.items():
            if code not in records:
                problems.append(f"{section}.{code}: no such record in the library")
                continue
            if not isinstance(texts, dict):
                problems.append(f"{section}.{code}: must map fields to texts")
                continue
            fields = records[code]
            translations = fields.get("translations") or {}
            entry = dict(translations.get(language) or {})
            hashes = dict(entry.get(tr.HASH_KEY) or {})
            for key, text in texts.items():
                if key == ENGLISH_KEY:
                    continue
                if key in tr.NEVER_TRANSLATED:
                    problems.append(f"{section}.{code}.{key}: a source's own words are never translated")
                    continue
                if key not in tr.TRANSLATED[model]:
                    problems.append(
                        f"{section}.{code}: unknown field {key!r} (translated fields: {', '.join(tr.TRANSLATED[model])})"
                    )
                    continue
                if text is None or text == "":
                    continue  # left blank in an exported file: not translated yet
                if not isinstance(text, str):
                    problems.append(f"{section}.{code}.{key}: must be text, not {text!r}")
                    continue
                entry[key] = text.strip()
                hashes[key] = tr.source_hash(fields[tr.TRANSLATED[model][key]])
                counts.setdefault(section, {}).setdefault(key, 0)
                counts[section][key] += 1
            if hashes:
                entry[tr.HASH_KEY] = dict(
                    sorted(hashes.items(), key=lambda kv: list(tr.TRANSLATED[model]).index(kv[0]))
                )
            ordered = {k: entry[k] for k in tr.TRANSLATED[model] if k in entry}
            if tr.HASH_KEY in entry:
                ordered[tr.HASH_KEY] = entry[tr.HASH_KEY]
            fields["translations"] = {
                lang: (ordered if lang == language else translations[lang])
                for lang in tr.LANGUAGES
                if lang in translations or (lang == language and ordered)
            }
    if problems:
        raise LibraryError(problems)
    return counts


def translations_document(data: LibraryData, language: str) -> dict:
    """A translator's file for ``language``: every translatable text, translated or blank, with
    the English beside it under ``en``; out-of-date translations are left blank."""
    document = {"language": language}
    for section, model in SECTIONS.items():
        entries = {}
        for code, fields in sorted(data.of(model).items()):
            keys = required_keys(data, model, fields, language)
            if not keys:
                continue
            entry = (fields.get("translations") or {}).get(language) or {}
            hashes = entry.get(tr.HASH_KEY) or {}
            english = {key: fields[tr.TRANSLATED[model][key]] for key in keys}
            entries[code] = {
                **{
                    key: (entry.get(key, "") if hashes.get(key) == tr.source_hash(english[key]) else "") for key in keys
                },
                ENGLISH_KEY: english,
            }
        document[section] = entries
    return document
