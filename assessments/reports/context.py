"""The report as plain data: everything the template prints, computed before it renders.

Uses the same record, scores and drill-down as the results page, so every figure in the PDF is
one the page shows, and the export's hash identifies exactly what was reported.
"""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext

from assessments.exports import export_data, export_json
from assessments.radar import Series, radar
from assessments.results import Results, compute, instrument_drilldown, summary_sentences
from assessments.selectors import assessment_record


def export_digest(assessment, results: Results | None = None) -> str:
    results = results or compute(assessment_record(assessment=assessment))
    return hashlib.sha256(export_json(export_data(assessment, results)).encode("utf-8")).hexdigest()


def report_context(assessment, *, report_id=None, issued_at=None) -> dict:
    """Everything the report prints, with its words in the active language (the callers render
    inside ``translation.override``); ``sha256`` is of the language-neutral export."""
    record = assessment_record(assessment=assessment)
    results = compute(record)
    digest = export_digest(assessment, results)
    rows = results.instrument_rows
    return {
        "assessment": assessment,
        "organisation": assessment.organisation.name,
        # Not final: stamped on every page, never issued. In review, the stamp says so.
        "draft": not assessment.is_final,
        "in_review": assessment.in_review,
        "report_id": str(report_id) if report_id else None,
        "issued_at": issued_at,
        "generated_at": timezone.now(),
        "sha256": digest,
        "short_hash": digest[:12],
        "release": record.release,
        "results": results,
        "summary": summary_sentences(results),
        "radar": radar(
            [r.instrument.code for r in rows],
            [
                Series(gettext("Declared"), [r.score.score for r in rows], "declared"),
                Series(gettext("Evidenced"), [r.score.evidenced for r in rows], "evidenced"),
            ],
        ),
        "sections": _shown_once(instrument_drilldown(results, r.instrument.code) for r in rows),
        "progress": record.progress,
    }


def _shown_once(sections):
    """Print each item's question, justification and evidence in full once in the whole report,
    under the first principle it serves; under every later principle, name it by code and
    answer in one paragraph, grouped by the principle it is printed under.

    Items typically serve principles of many instruments: in full every time, a report over the
    whole library repeats each answer about ten times, and even one line per repeat adds 700
    lines. WeasyPrint's cost grows with lines, pages and inline boxes (a link or bold face per
    code cost a tenth of the render), so the repeats are plain text. The gaps chapter links to
    the full entries.
    """
    sections = list(sections)
    shown_under = {}
    for section in sections:
        for block in section.principles:
            also = {}
            for entry in block.entries:
                code = entry.item.code
                if code in shown_under:
                    also.setdefault(shown_under[code], []).append(entry)
                else:
                    shown_under[code] = block.principle.code
                    block.full.append(entry)
            block.also = [{"under": under, "entries": entries} for under, entries in also.items()]
    return sections
