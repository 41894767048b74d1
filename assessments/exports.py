"""Machine-readable exports of an assessment: JSON (documented in docs/export-format.md) and
CSV (one row per item, for spreadsheets). Both are built from the same record and scores as
the results page."""

import csv
import io
import json

from assessments.record.snapshot import instrument_data, principle_data
from assessments.results import Results

EXPORT_SCHEMA = "aigov.assessment-export"
# 2: bands are codes ("strong", "partial", "weak"), no longer words.
EXPORT_VERSION = 2
# Versions the import reads: only answers are imported, and they have not changed.
IMPORTABLE_VERSIONS = (1, 2)


def _iso(value):
    return value.isoformat() if value else None


def export_data(assessment, results: Results) -> dict:
    record = results.record
    scores = results.scores
    return {
        "schema": EXPORT_SCHEMA,
        "schema_version": EXPORT_VERSION,
        "assessment": {
            "id": str(assessment.code),
            "title": assessment.title,
            "scope": assessment.scope,
            "description": assessment.description,
            "organisation": assessment.organisation.name,
            "status": assessment.status,
            "provisional": not record.frozen,
            "created": _iso(assessment.created),
            "submitted_at": _iso(assessment.submitted_at),
            "submitted_by": assessment.submitted_by.username if assessment.submitted_by else None,
        },
        "library_release": record.release,
        "instruments": [instrument_data(i) for i in record.instruments],
        "principles": [principle_data(p) for p in record.principles],
        "items": [_item(item) for item in record.items],
        "scores": {
            "method": "docs/scoring.md",
            "instruments": {code: s.as_dict() for code, s in scores.instruments.items()},
            "principles": {code: s.as_dict() for code, s in sorted(scores.principles.items())},
            "themes": {code: s.as_dict() for code, s in sorted(scores.themes.items())},
        },
        "gaps": [
            {"item": g.item.code, "answer": g.choice, "priority": g.priority, "instruments": list(g.instruments)}
            for g in results.gaps
        ],
    }


def _item(item) -> dict:
    answer = item.answer
    return {
        "code": item.code,
        "theme": item.theme.code,
        "question": item.question,
        "weight": item.weight,
        "answer": answer.choice if answer else "",
        "justification": answer.justification if answer else "",
        "evidence_urls": list(answer.evidence_urls) if answer else [],
        "evidence_files": [f.name for f in answer.files] if answer else [],
        "links": [
            {"principle": link.principle.code, "instrument": link.instrument_code, "relevance": link.relevance}
            for link in item.links
        ],
    }


def export_json(data) -> str:
    """Canonical JSON: sorted keys and fixed separators, so equal data gives equal bytes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, separators=(",", ": ")) + "\n"


CSV_COLUMNS = [
    "item",
    "theme",
    "question",
    "weight",
    "answer",
    "justification",
    "evidence_urls",
    "evidence_files",
    "principles",
    "instruments",
]


def export_csv(data) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in data["items"]:
        writer.writerow(
            [
                item["code"],
                item["theme"],
                _cell(item["question"]),
                item["weight"],
                item["answer"],
                _cell(item["justification"]),
                " ".join(item["evidence_urls"]),
                _cell("; ".join(item["evidence_files"])),
                " ".join(f"{link['principle']}:{link['relevance']}" for link in item["links"]),
                " ".join(sorted({link["instrument"] for link in item["links"]})),
            ]
        )
    return out.getvalue()


def _cell(text):
    # A cell starting with = + - @ is run as a formula by spreadsheet programs; a leading
    # apostrophe keeps user text as text (OWASP "CSV injection").
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
