"""Reading library files from disk and writing them back in a stable layout."""

import json
from pathlib import Path

import yaml
from django.utils.text import slugify

from governance import translations as tr
from governance.library.data import LibraryData, LibraryError, Location
from governance.library.schema import MAX_FILE_BYTES, SCHEMAS

SUFFIXES = {".yaml", ".yml", ".json"}


def collect_paths(paths):
    """Expand directories into the library files below them, in path order."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def read_records(paths):
    """Parse every file; return ``[(Location, record)]`` or raise LibraryError.

    Nothing is partially returned: a file that cannot be read or parsed stops the whole load.
    """
    problems, records = [], []
    for path in collect_paths(paths):
        label = str(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            problems.append(f"{label}: cannot read file ({exc.strerror})")
            continue
        if size > MAX_FILE_BYTES:
            problems.append(f"{label}: file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})")
            continue
        try:
            parsed = _parse(path, text)
        except (yaml.YAMLError, json.JSONDecodeError) as exc:
            problems.append(f"{label}: invalid {_format_name(path)}: {_one_line(exc)}")
            continue
        if parsed is None:
            parsed = []
        if not isinstance(parsed, list):
            problems.append(f"{label}: the file must hold a list of records")
            continue
        records.extend((Location(label, i), record) for i, record in enumerate(parsed, start=1))
    if problems:
        raise LibraryError(problems)
    return records


def _parse(path, text):
    if path.suffix == ".json":
        return json.loads(text)
    # safe_load: library files are data, and must never construct Python objects.
    return yaml.safe_load(text)


def _format_name(path):
    return "JSON" if path.suffix == ".json" else "YAML"


def _one_line(exc):
    return " ".join(str(exc).split())


# --- writing -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, value):
    # Multi-line text (quotes, guidance) reads best as a literal block; PyYAML falls back to a
    # quoted style by itself when a literal block could not carry the string exactly.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Literal(str):
    """Text written as a literal block even on one line: quotes read best that way."""


def _literal_representer(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(_Literal, _literal_representer)
LITERAL_FIELDS = {"quoted_text"}


def dump_yaml(records):
    return yaml.dump(records, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6, indent=2)


def record_of(model, fields):
    """One record as export_library writes it."""
    return _record(model, fields)


def _record(model, fields):
    schema = SCHEMAS[model]
    out = {}
    for f in schema.fields:
        value = fields.get(f.name, f.default)
        if not f.required and value == f.default:
            continue
        if f.name == "translations":
            value = _translations_in_order(model, value)
        out[f.name] = _Literal(value) if f.name in LITERAL_FIELDS else value
    return {"model": model, "fields": out}


def _translations_in_order(model, translations):
    """``translations`` in one order whatever the database kept: languages as tr.LANGUAGES lists
    them, each one's texts in the model's field order with their hashes last. PostgreSQL's jsonb
    keeps keys in an order of its own (shortest first), which would make every export differ."""
    fields = list(tr.TRANSLATED[model])

    def ordered(mapping, order):
        return {k: mapping[k] for k in sorted(mapping, key=lambda k: (order.index(k) if k in order else len(order), k))}

    result = {}
    for language, entry in ordered(translations, list(tr.LANGUAGES)).items():
        texts = ordered({k: v for k, v in entry.items() if k != tr.HASH_KEY}, fields)
        if tr.HASH_KEY in entry:
            texts[tr.HASH_KEY] = ordered(entry[tr.HASH_KEY], fields)
        result[language] = texts
    return result


def layout(data: LibraryData):
    """Return ``{relative path: YAML text}``: one file for releases, one for themes, one per
    instrument (with its principles) and one per theme's items, each in a stable order."""
    files = {}
    if data.releases:
        files["release.yaml"] = [_record("governance.release", data.releases[k]) for k in sorted(data.releases)]
    if data.themes:
        files["themes.yaml"] = [_record("governance.theme", data.themes[k]) for k in sorted(data.themes)]
    for code, instrument in sorted(data.instruments.items()):
        principles = sorted(
            (p for p in data.principles.values() if p["instrument"] == code),
            key=lambda p: (p["position"], p["code"]),
        )
        files[f"instruments/{code}.yaml"] = [_record("governance.instrument", instrument)] + [
            _record("governance.principle", p) for p in principles
        ]
    by_theme = {}
    for item in data.items.values():
        by_theme.setdefault(item["theme"], []).append(item)
    for theme, items in sorted(by_theme.items()):
        name = data.themes.get(theme, {}).get("name", "")
        files[f"items/{theme}-{slugify(name)}.yaml" if name else f"items/{theme}.yaml"] = [
            _record("governance.checklistitem", i) for i in sorted(items, key=lambda i: i["code"])
        ]
    return {path: dump_yaml(records) for path, records in files.items()}


def write_layout(data: LibraryData, directory):
    directory = Path(directory)
    written = []
    for relative, text in layout(data).items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
