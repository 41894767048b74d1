"""Validation against NIST's OSCAL JSON schemas (tests/oscal/schemas, see its README).

The schemas' patterns use Unicode classes (``\\p{L}``) that Python's ``re`` lacks; the ``regex``
package reads them, so the pattern keyword is checked with it. Formats (date-time, uri) are
checked too.
"""

import json
from functools import cache
from pathlib import Path

import jsonschema
import regex

SCHEMAS = Path(__file__).parent / "schemas"


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _format_checker():
    checker = jsonschema.FormatChecker()
    checker.checks("regex", raises=regex.error)(lambda pattern: bool(regex.compile(pattern)))
    return checker


@cache
def validator(name: str):
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})
    cls.check_schema(schema, format_checker=_format_checker())
    return cls(schema, format_checker=_format_checker())


def errors(document: dict, name: str) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
        for e in sorted(validator(name).iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]
