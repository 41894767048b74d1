"""The frozen record of a submitted assessment.

At submission, everything that scores and reports read is copied into plain JSON on the
assessment: its instruments with their provenance, their principles with quoted texts, the
checklist items with their links, and the answers. Later library edits cannot reach it.
"""

from assessments.models import Answer
from assessments.selectors import assessment_sections

SNAPSHOT_SCHEMA = 1


def _date(value):
    return value.isoformat() if value else None


def build_snapshot(assessment) -> dict:
    instruments = list(assessment.instruments.all())
    sections = assessment_sections(assessment)
    principles = {}
    items, answers = [], {}
    for section in sections:
        for entry in section.items:
            item = entry.item
            for link in entry.links:
                p = link.principle
                principles.setdefault(
                    p.code,
                    {
                        "code": p.code, "instrument": p.instrument.code, "position": p.position,
                        "label": p.label, "heading_en": p.heading_en, "heading_original": p.heading_original,
                        "summary": p.summary, "quoted_text": p.quoted_text, "quote_citation": p.quote_citation,
                    },
                )
            items.append(
                {
                    "code": item.code, "theme": item.theme.code, "theme_name": item.theme.name,
                    "question": item.question, "recommendation": item.recommendation, "weight": item.weight,
                    "links": [{"principle": l.principle.code, "relevance": l.relevance} for l in entry.links],
                }
            )
            if entry.answer is not None:
                answers[item.code] = _answer(entry.answer)
    return {
        "schema": SNAPSHOT_SCHEMA,
        "release": assessment.release.version if assessment.release else None,
        "instruments": [
            {
                "code": i.code, "title_en": i.title_en, "title_original": i.title_original,
                "language": i.language, "issuer": i.issuer, "kind": i.kind,
                "official_date": _date(i.official_date), "date_note": i.date_note,
                "catalogue_title": i.catalogue_title, "catalogue_issuer": i.catalogue_issuer,
                "catalogue_date": _date(i.catalogue_date), "source_url": i.source_url,
                "confidence": i.confidence,
            }
            for i in instruments
        ],
        "principles": sorted(principles.values(), key=lambda p: (p["instrument"], p["position"])),
        "items": items,
        "answers": answers,
    }


def _answer(answer: Answer) -> dict:
    return {
        "choice": answer.choice,
        "justification": answer.justification,
        "evidence_urls": list(answer.evidence_urls),
        "files": [f.original_name for f in answer.files.all()],
        "version": answer.version,
    }
