"""The library as an OSCAL catalog (JSON), documented in docs/oscal.md.

Instruments become groups, their principles controls: the source's own words are the control's
``statement`` part, our summary its ``guidance``, and the checklist items that serve it its
``assessment-objective`` parts. Provenance (issuer, dates, confidence, source links) goes into
props and links. UUIDs are derived from the release, so the same library gives the same catalog.
"""

from __future__ import annotations

import re
import uuid

from django.db.models import Prefetch

from governance.models import Instrument, ItemPrinciple, LibraryRelease, Principle, PrincipleTheme

OSCAL_VERSION = "1.2.1"
NS = "https://aigov.example/ns/oscal"  # our own prop names live in this namespace
UUIDS = uuid.UUID("6f1c1e52-4b8e-4d7a-9a36-2f0c5b9d8e11")  # namespace of the catalog's derived UUIDs


def derived_uuid(*parts) -> str:
    return str(uuid.uuid5(UUIDS, ":".join(str(p) for p in parts)))


def one_line(value) -> str:
    """A prop value: OSCAL strings are one line, without leading or trailing space."""
    return re.sub(r"\s+", " ", str(value)).strip()


def prop(name: str, value, *, ours: bool = True) -> list[dict]:
    """A prop, or none when the value is empty (OSCAL refuses empty strings)."""
    text = one_line(value) if value is not None else ""
    if not text:
        return []
    return [{"name": name, "value": text, **({"ns": NS} if ours else {})}]


def link(href: str, rel: str, text: str = "") -> list[dict]:
    if not href:
        return []
    return [{"href": href, "rel": rel, **({"text": text} if text else {})}]


def _control(principle: Principle) -> dict:
    parts = []
    if principle.quoted_text:
        parts.append(
            {
                "id": f"{principle.code}_smt",
                "name": "statement",
                "prose": principle.quoted_text,
                "props": prop("citation", principle.quote_citation),
            }
        )
    parts.append({"id": f"{principle.code}_gdn", "name": "guidance", "prose": principle.summary})
    for item_link in principle.item_links.all():
        item = item_link.item
        parts.append(
            {
                "id": f"{principle.code}_obj.{item.code}",
                "name": "assessment-objective",
                "title": item.code,
                "prose": item.question,
                "props": prop("item", item.code) + prop("relevance", item_link.relevance) + prop("weight", item.weight),
            }
        )
    for part in parts:
        if not part.get("props"):
            part.pop("props", None)
    control = {
        "id": principle.code,
        "class": "principle",
        "title": principle.heading_en,
        "props": prop("label", principle.label, ours=False)
        + prop("section", principle.section)
        + prop("heading-original", principle.heading_original)
        + prop("confidence", principle.confidence)
        + [p for t in principle.theme_links.all() for p in prop("theme", t.theme.code)],
        "links": link(principle.quote_url, "reference", "The quoted source"),
        "parts": parts,
    }
    return {k: v for k, v in control.items() if v != []}


def _group(instrument: Instrument) -> dict:
    group = {
        "id": instrument.code,
        "class": "instrument",
        "title": instrument.title_en,
        "props": prop("title-original", instrument.title_original)
        + prop("language", instrument.language)
        + prop("issuer", instrument.issuer)
        + prop("kind", instrument.kind)
        + prop("official-date", instrument.official_date.isoformat() if instrument.official_date else "")
        + prop("date-note", instrument.date_note)
        + prop("catalogue-title", instrument.catalogue_title)
        + prop("catalogue-issuer", instrument.catalogue_issuer)
        + prop("catalogue-date", instrument.catalogue_date.isoformat() if instrument.catalogue_date else "")
        + prop("confidence", instrument.confidence)
        + prop("retired", "true" if instrument.retired else ""),
        "links": link(instrument.source_url, "source", "The instrument's text")
        + link(instrument.catalogue_url, "reference", "Its entry in the public catalogue"),
        "parts": [{"id": f"{instrument.code}_ovw", "name": "overview", "prose": instrument.summary}],
        "controls": [_control(p) for p in instrument.principles.all()],
    }
    return {k: v for k, v in group.items() if v != []}


def library_catalog() -> dict:
    release = LibraryRelease.objects.order_by("-date", "-version").first()
    version = release.version if release else "unreleased"
    principles = Principle.objects.order_by("position", "code").prefetch_related(
        Prefetch("theme_links", queryset=PrincipleTheme.objects.select_related("theme").order_by("position")),
        Prefetch(
            "item_links",
            queryset=ItemPrinciple.objects.filter(item__active=True).select_related("item").order_by("item__code"),
        ),
    )
    instruments = Instrument.objects.order_by("position", "code").prefetch_related(
        Prefetch("principles", queryset=principles)
    )
    modified = release.loaded_at if release else None
    return {
        "catalog": {
            "uuid": derived_uuid("catalog", version),
            "metadata": {
                "title": "AIGov library of AI-governance instruments",
                "last-modified": (modified.isoformat() if modified else "1970-01-01T00:00:00+00:00"),
                "version": version,
                "oscal-version": OSCAL_VERSION,
                "remarks": "Instruments are groups, principles are controls; see docs/oscal.md.",
            },
            "groups": [_group(i) for i in instruments],
        }
    }
