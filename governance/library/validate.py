"""Check parsed library records before anything is written.

``validate_records`` collects every problem it finds (not just the first), each naming the file
and the record, and returns checked ``LibraryData`` only when there are none.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from governance import translations as tr
from governance.library.data import LibraryData, LibraryError, Location
from governance.library.schema import KIND_TYPES, RELEVANCES, SCHEMAS, TITLE_MAX, WEIGHT_RANGE

_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class KnownKeys:
    """Natural keys already in the database, so files may refer to them."""

    themes: set = field(default_factory=set)
    instruments: dict = field(default_factory=dict)  # code -> retired
    principles: set = field(default_factory=set)


def validate_records(located_records, known: KnownKeys | None = None) -> LibraryData:
    known = known or KnownKeys()
    problems = []
    data = LibraryData()
    where = {}  # (model, key) -> Location of its first record

    for location, raw in located_records:
        checked = _check_record(location, raw, problems)
        if checked is None:
            continue
        model, key, fields, location = checked
        if (model, key) in where:
            problems.append(
                f"{location}: duplicate {SCHEMAS[model].key} {key!r} (first defined at {where[model, key]})"
            )
            continue
        where[model, key] = location
        data.of(model)[key] = fields

    _check_references(data, known, where, problems)
    if problems:
        raise LibraryError(problems)
    return data


def _check_record(location, raw, problems):
    if not isinstance(raw, dict) or set(raw) != {"model", "fields"}:
        problems.append(f"{location}: a record must be a mapping with exactly the keys 'model' and 'fields'")
        return None
    model = raw["model"]
    schema = SCHEMAS.get(model) if isinstance(model, str) else None
    if schema is None:
        problems.append(f"{location}: unknown model {model!r} (expected one of {', '.join(SCHEMAS)})")
        return None
    given = raw["fields"]
    if not isinstance(given, dict):
        problems.append(f"{location}: 'fields' must be a mapping")
        return None
    key = given.get(schema.key)
    location = Location(location.path, location.index, f"{model} {key}" if isinstance(key, str) else model)

    before = len(problems)
    for name in given:
        if schema.field(name) is None:
            problems.append(f"{location}: unknown field {name!r} for {model}")
    fields = {}
    for spec in schema.fields:
        if spec.name not in given or given[spec.name] is None:
            if spec.required:
                problems.append(f"{location}: missing required field {spec.name!r}")
            fields[spec.name] = dict(spec.default) if isinstance(spec.default, dict) else spec.default
            continue
        value = _check_value(location, spec, given[spec.name], problems)
        fields[spec.name] = value if value is not None else spec.default

    if len(problems) == before:
        _check_model_rules(location, schema, fields, given, problems)
    if len(problems) != before:
        return None
    return model, fields[schema.key], fields, location


def _check_value(location, spec, value, problems):
    expected = KIND_TYPES[spec.kind]
    # bool is an int in Python; a weight of `true` is a mistake, not 1.
    if not isinstance(value, expected) or (spec.kind == "int" and isinstance(value, bool)):
        problems.append(f"{location}: field {spec.name!r} must be {_kind_words(spec.kind)}, not {value!r}")
        return None
    if spec.kind in ("text", "url", "code"):
        if spec.required and not value.strip():
            problems.append(f"{location}: required field {spec.name!r} is empty")
            return None
        if spec.choices and value not in spec.choices:
            problems.append(f"{location}: field {spec.name!r} is {value!r}, not one of {', '.join(spec.choices)}")
            return None
        if spec.kind == "url" and value:
            try:
                _url_validator(value)
            except ValidationError:
                problems.append(f"{location}: field {spec.name!r} is not an http(s) URL: {value!r}")
                return None
    if spec.kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            problems.append(f"{location}: field {spec.name!r} is not an ISO date: {value!r}")
            return None
    if spec.kind == "codes":
        return _check_codes(location, spec, value, problems)
    if spec.kind == "links":
        return _check_links(location, spec, value, problems)
    if spec.kind == "translations":
        return _check_translations(location, value, problems)
    return value


def _check_codes(location, spec, value, problems):
    if not value or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{location}: field {spec.name!r} must be a non-empty list of codes")
        return None
    if len(set(value)) != len(value):
        problems.append(f"{location}: field {spec.name!r} lists a code twice")
        return None
    return list(value)


def _check_links(location, spec, value, problems):
    if not value:
        problems.append(f"{location}: field {spec.name!r} must list at least one principle")
        return None
    links, seen = [], set()
    for n, link in enumerate(value, start=1):
        if not isinstance(link, dict) or set(link) != {"principle", "relevance"}:
            problems.append(f"{location}: link {n} must be a mapping with exactly 'principle' and 'relevance'")
            return None
        principle, relevance = link["principle"], link["relevance"]
        if not isinstance(principle, str) or not principle.strip():
            problems.append(f"{location}: link {n} has no principle code")
            return None
        if relevance not in RELEVANCES:
            problems.append(
                f"{location}: link {n} to {principle} has relevance {relevance!r}; it must be 'core' or 'supporting'"
            )
            return None
        if principle in seen:
            problems.append(f"{location}: principle {principle} is linked twice")
            return None
        seen.add(principle)
        links.append({"principle": principle, "relevance": relevance})
    return links


def _check_translations(location, value, problems):
    """``{language: {key: text, ..., "source_hash": {key: hash}}}`` with known languages and
    keys; returns a copy, or None after reporting every problem found."""
    model = location.key.split(" ")[0]
    keys = tr.TRANSLATED[model]
    before = len(problems)
    checked = {}
    for language, entry in value.items():
        where = f"{location}: translations"
        if language == "en":
            problems.append(f"{where}: 'en' is not a translation: the English text is the record's own fields")
            continue
        if language not in tr.LANGUAGES:
            problems.append(f"{where}: unknown language {language!r} (expected one of {', '.join(tr.LANGUAGES)})")
            continue
        if not isinstance(entry, dict):
            problems.append(f"{where}.{language} must be a mapping of field to text")
            continue
        for key, text in entry.items():
            if key == tr.HASH_KEY:
                if not isinstance(text, dict) or not all(
                    k in keys and isinstance(h, str) and h for k, h in text.items()
                ):
                    problems.append(f"{where}.{language}.{tr.HASH_KEY} must map translated fields to hashes")
            elif key in tr.NEVER_TRANSLATED:
                problems.append(f"{where}.{language}: {key!r} holds a source's own words, which are never translated")
            elif key not in keys:
                problems.append(f"{where}.{language}: unknown field {key!r} (translated fields: {', '.join(keys)})")
            elif not isinstance(text, str) or not text.strip():
                problems.append(f"{where}.{language}.{key} must be non-empty text, not {text!r}")
            elif key == "title" and model == "governance.checklistitem" and len(text) > TITLE_MAX:
                problems.append(f"{where}.{language}.title is {len(text)} characters, over {TITLE_MAX}")
        checked[language] = (
            {k: (dict(v) if isinstance(v, dict) else v) for k, v in entry.items()} if isinstance(entry, dict) else entry
        )
    return checked if len(problems) == before else None


def _check_model_rules(location, schema, fields, given, problems):
    key = fields[schema.key]
    if not schema.key_pattern.match(key):
        problems.append(f"{location}: {schema.key} {key!r} does not have the expected form")
    if schema.model == "governance.principle":
        if "quoted_text" in given and not str(given["quoted_text"] or "").strip():
            problems.append(f"{location}: quoted_text is empty; leave the field out when nothing is quoted")
        if fields["quoted_text"] and not fields["quote_citation"].strip():
            problems.append(f"{location}: quoted_text needs a quote_citation")
        if fields["quote_citation"] and not fields["quoted_text"]:
            problems.append(f"{location}: quote_citation given without quoted_text")
        if not key.startswith(f"{fields['instrument']}-"):
            problems.append(f"{location}: code {key!r} must start with its instrument code {fields['instrument']!r}")
    if schema.model == "governance.checklistitem":
        if len(fields["title"]) > TITLE_MAX:
            problems.append(f"{location}: title is {len(fields['title'])} characters, over {TITLE_MAX}")
        low, high = WEIGHT_RANGE
        if not low <= fields["weight"] <= high:
            problems.append(f"{location}: weight {fields['weight']} is outside {low}–{high}")


def _check_references(data, known, where, problems):
    themes = set(data.themes) | known.themes
    instruments = {**known.instruments, **{c: i["retired"] for c, i in data.instruments.items()}}
    principles = set(data.principles) | known.principles

    for code, p in data.principles.items():
        loc = where["governance.principle", code]
        instrument = p["instrument"]
        if instrument not in instruments:
            problems.append(f"{loc}: dangling key: instrument {instrument!r} does not exist")
        elif instruments[instrument] and code not in known.principles:
            # Existing principles of a retired instrument stay loadable (exports round-trip);
            # adding new ones is a curation mistake.
            problems.append(f"{loc}: principle added to retired instrument {instrument!r}")
        for theme in p["themes"]:
            if theme not in themes:
                problems.append(f"{loc}: dangling key: theme {theme!r} does not exist")

    for code, item in data.items.items():
        loc = where["governance.checklistitem", code]
        if item["theme"] not in themes:
            problems.append(f"{loc}: dangling key: theme {item['theme']!r} does not exist")
        for link in item["principles"]:
            if link["principle"] not in principles:
                problems.append(f"{loc}: dangling key: principle {link['principle']!r} does not exist")


def _kind_words(kind):
    return {
        "text": "text",
        "url": "a URL",
        "code": "a code",
        "int": "a whole number",
        "bool": "true or false",
        "date": "a date (YYYY-MM-DD)",
        "codes": "a list of codes",
        "links": "a list of principle links",
        "translations": "a mapping of language to translated fields",
    }[kind]
