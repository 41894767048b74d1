"""A tiny, valid library written to disk, for tests that break it one way at a time."""

import copy

import yaml

MINIMAL = {
    "release.yaml": [
        {"model": "governance.release", "fields": {"version": "9.1", "date": "2026-01-02", "notes": "Test release."}},
    ],
    "themes.yaml": [
        {
            "model": "governance.theme",
            "fields": {"code": "T01", "name": "Wellbeing", "description": "Human wellbeing."},
        },
        {
            "model": "governance.theme",
            "fields": {"code": "T05", "name": "Accountability", "description": "Who answers."},
        },
    ],
    "instruments/XA.yaml": [
        {
            "model": "governance.instrument",
            "fields": {
                "code": "XA",
                "position": 1,
                "title_en": "Example Accord",
                "title_original": "示例协定",
                "language": "zh",
                "issuer": "Example Body",
                "kind": "declaration",
                "official_date": "2020-05-01",
                "source_url": "https://example.org/accord",
                "summary": "An accord made up for tests.",
                "confidence": "verified",
            },
        },
        {
            "model": "governance.principle",
            "fields": {
                "code": "XA-1",
                "instrument": "XA",
                "position": 1,
                "label": "1.",
                "heading_en": "Be accountable",
                "summary": "Someone answers for the system.",
                "themes": ["T05", "T01"],
                "quoted_text": "Systems shall be accountable.",
                "quote_citation": "Example Accord, art. 1",
                "confidence": "verified",
            },
        },
    ],
    "items/T05.yaml": [
        {
            "model": "governance.checklistitem",
            "fields": {
                "code": "ACC-91",
                "title": "Named owner",
                "theme": "T05",
                "question": "Is an owner named for the system?",
                "guidance": "Name one accountable person.",
                "evidence_hint": "An org chart.",
                "recommendation": "Name an owner.",
                "weight": 2,
                "principles": [{"principle": "XA-1", "relevance": "core"}],
            },
        },
    ],
}


def write_library(directory, records=None):
    records = copy.deepcopy(MINIMAL if records is None else records)
    for relative, content in records.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True),
            encoding="utf-8",
        )
    return directory


def minimal():
    return copy.deepcopy(MINIMAL)
