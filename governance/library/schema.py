"""The fields each library record may carry, with their types and rules.

This is the single description of the file format; the loader, the exporter and
docs/library-format.md all follow it. Field order here is the order exports write.
"""

import datetime as dt
import re
from dataclasses import dataclass

from governance.models import Confidence, InstrumentKind, Relevance


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "text", "url", "int", "bool", "date", "code", "codes", "links"
    required: bool = True
    choices: tuple[str, ...] = ()
    # Optional fields equal to their default are left out of exports.
    default: object = ""


@dataclass(frozen=True)
class ModelSchema:
    model: str
    key: str
    fields: tuple[Field, ...]
    key_pattern: re.Pattern

    def field(self, name):
        for f in self.fields:
            if f.name == name:
                return f
        return None


# Translated texts beside the English ones (governance/translations.py), written last in a record.
TRANSLATIONS = Field("translations", "translations", required=False, default={})
TITLE_MAX = 80

CONFIDENCES = tuple(Confidence.values)
KINDS = tuple(InstrumentKind.values)
RELEVANCES = tuple(Relevance.values)

RELEASE = ModelSchema(
    "governance.release",
    "version",
    (
        Field("version", "text"),
        Field("date", "date"),
        Field("notes", "text"),
    ),
    re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$"),
)

THEME = ModelSchema(
    "governance.theme",
    "code",
    (
        Field("code", "text"),
        Field("name", "text"),
        Field("description", "text"),
        Field("laip_topic", "text", required=False),
        TRANSLATIONS,
    ),
    re.compile(r"^T\d{2}$"),
)

INSTRUMENT = ModelSchema(
    "governance.instrument",
    "code",
    (
        Field("code", "text"),
        Field("position", "int"),
        Field("title_en", "text"),
        Field("title_original", "text", required=False),
        Field("language", "text"),
        Field("issuer", "text"),
        Field("kind", "text", choices=KINDS),
        Field("official_date", "date"),
        Field("date_note", "text", required=False),
        Field("catalogue_title", "text", required=False),
        Field("catalogue_issuer", "text", required=False),
        Field("catalogue_date", "date", required=False, default=None),
        Field("catalogue_url", "url", required=False),
        Field("source_url", "url"),
        Field("summary", "text"),
        Field("confidence", "text", choices=CONFIDENCES),
        Field("confidence_note", "text", required=False),
        Field("retired", "bool", required=False, default=False),
        TRANSLATIONS,
    ),
    re.compile(r"^[A-Z][A-Z0-9]{1,3}$"),
)

PRINCIPLE = ModelSchema(
    "governance.principle",
    "code",
    (
        Field("code", "text"),
        Field("instrument", "code"),
        Field("position", "int"),
        Field("label", "text"),
        Field("section", "text", required=False),
        Field("heading_en", "text"),
        Field("heading_original", "text", required=False),
        Field("summary", "text"),
        Field("themes", "codes"),
        Field("quoted_text", "text", required=False),
        Field("quote_citation", "text", required=False),
        Field("quote_url", "url", required=False),
        Field("confidence", "text", choices=CONFIDENCES),
        Field("confidence_note", "text", required=False),
        TRANSLATIONS,
    ),
    re.compile(r"^[A-Z][A-Z0-9]{1,3}-[A-Za-z0-9.]{1,10}$"),
)

ITEM = ModelSchema(
    "governance.checklistitem",
    "code",
    (
        Field("code", "text"),
        Field("title", "text"),
        Field("theme", "code"),
        Field("question", "text"),
        Field("guidance", "text"),
        Field("evidence_hint", "text"),
        Field("recommendation", "text"),
        Field("weight", "int"),
        Field("active", "bool", required=False, default=True),
        Field("principles", "links"),
        TRANSLATIONS,
    ),
    re.compile(r"^[A-Z]{2,4}-\d{2,3}$"),
)

SCHEMAS = {s.model: s for s in (RELEASE, THEME, INSTRUMENT, PRINCIPLE, ITEM)}

WEIGHT_RANGE = (1, 3)
MAX_FILE_BYTES = 20 * 1024 * 1024

# Which Python types a field kind accepts once YAML has parsed it.
KIND_TYPES = {
    "text": str,
    "url": str,
    "code": str,
    "int": int,
    "bool": bool,
    "date": (dt.date, str),
    "codes": list,
    "links": list,
    "translations": dict,
}
