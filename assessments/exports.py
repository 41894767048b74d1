"""Machine-readable exports of an assessment: JSON (documented in docs/export-format.md) and
CSV (one row per item, for spreadsheets). Both are built from the same dataset and scores as
the results page."""

import csv
import io
import json

EXPORT_SCHEMA = "aigov.assessment-export"
EXPORT_VERSION = 1


def _iso(value):
    return value.isoformat() if value else None


def export_data(assessment, results) -> dict:
    dataset = results.dataset
    instrument_of = {p["code"]: p["instrument"] for p in dataset["principles"]}
    answers = dataset["answers"]
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
            "provisional": not assessment.is_locked,
            "created": _iso(assessment.created),
            "submitted_at": _iso(assessment.submitted_at),
            "submitted_by": assessment.submitted_by.username if assessment.submitted_by else None,
        },
        "library_release": dataset["release"],
        "instruments": dataset["instruments"],
        "principles": dataset["principles"],
        "items": [
            {
                "code": item["code"],
                "theme": item["theme"],
                "question": item["question"],
                "weight": item["weight"],
                "answer": answers.get(item["code"], {}).get("choice", ""),
                "justification": answers.get(item["code"], {}).get("justification", ""),
                "evidence_urls": answers.get(item["code"], {}).get("evidence_urls", []),
                "evidence_files": answers.get(item["code"], {}).get("files", []),
                "links": [
                    {
                        "principle": l["principle"],
                        "instrument": instrument_of[l["principle"]],
                        "relevance": l["relevance"],
                    }
                    for l in item["links"]
                ],
            }
            for item in dataset["items"]
        ],
        "scores": {
            "method": "docs/scoring.md",
            "instruments": {code: s.as_dict() for code, s in scores.instruments.items()},
            "principles": {code: s.as_dict() for code, s in sorted(scores.principles.items())},
            "themes": {code: s.as_dict() for code, s in sorted(scores.themes.items())},
        },
        "gaps": [
            {"item": g["item"], "answer": g["choice"], "priority": g["priority"], "instruments": g["instruments"]}
            for g in results.gaps
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
                " ".join(f"{l['principle']}:{l['relevance']}" for l in item["links"]),
                " ".join(sorted({l["instrument"] for l in item["links"]})),
            ]
        )
    return out.getvalue()


def _cell(text):
    # A cell starting with = + - @ is run as a formula by spreadsheet programs; a leading
    # apostrophe keeps user text as text (OWASP "CSV injection").
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
