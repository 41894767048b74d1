"""The report as plain data: everything the template prints, computed before it renders.

Uses the same record, scores and drill-down as the results page, so every figure in the PDF is
one the page shows, and the export's hash identifies exactly what was reported.
"""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext

from assessments import front
from assessments.barchart import bars, use_bars
from assessments.exports import export_data, export_json
from assessments.radar import Series, radar
from assessments.reports.people import answer_counts, members_named, participants
from assessments.reports.plan import action_plan, sign_off
from assessments.reports.verification import qr_svg, verification_url
from assessments.results import Results, compute, instrument_drilldown
from assessments.selectors import assessment_record


def export_digest(assessment, results: Results | None = None, actions=None) -> str:
    results = results or compute(assessment_record(assessment=assessment))
    return hashlib.sha256(export_json(export_data(assessment, results, actions)).encode("utf-8")).hexdigest()


def report_context(assessment, *, report_id=None, issued_at=None) -> dict:
    """Everything the report prints, with its words in the active language (the callers render
    inside ``translation.override``); ``sha256`` is of the language-neutral export."""
    record = assessment_record(assessment=assessment)
    results = compute(record)
    # Read once, for the export's hash and the action plan alike.
    actions = list(assessment.actions.select_related("owner__user").order_by("item"))
    digest = export_digest(assessment, results, actions)
    rows = results.instrument_rows
    counts = answer_counts(record)
    signers = [u.username for u in (assessment.submitted_by, assessment.approved_by) if u is not None]
    members = members_named(assessment, [*counts, *signers])
    people = participants(counts, members)
    verify = verification_url(str(report_id) if report_id else None, digest)
    return {
        "assessment": assessment,
        "organisation": assessment.organisation.name,
        "distribution": assessment.organisation.get_distribution_display(),
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
        "findings": results.findings,
        "front": {
            "conclusion": front.join_sentences(front.conclusion(results)),
            "overall": front.overall(results),
            "risks": front.key_risks(results),
            "evidence_gap": front.evidence_gap(results),
            "limitations": front.limitations(results),
        },
        "participants": people,
        "plan": action_plan(results.findings, actions),
        "signoff": sign_off(assessment, people, members),
        "period": _period(record),
        "chart": _chart(rows),
        "sections": _shown_once(instrument_drilldown(results, r.instrument.code) for r in rows),
        "progress": record.progress,
        # Only an issued report can be verified; a draft's URL is not printed.
        "verify_url": verify if report_id else None,
        "verify_qr": qr_svg(verify) if report_id else None,
    }


def _chart(rows):
    """A radar up to eight instruments (bars below three, see radar.py); above, sorted bars with
    full names, which nineteen crowded spokes cannot carry."""
    series = [
        Series(gettext("Declared"), [r.score.score for r in rows], "declared"),
        Series(gettext("Evidenced"), [r.score.evidenced for r in rows], "evidenced"),
    ]
    if use_bars(len(rows)):
        names = [front.instrument_title(r.instrument) for r in rows]
        return bars(
            names,
            [r.instrument.code for r in rows],
            series,
            no_score=gettext("no score"),
            percent=gettext("%(value)d%%"),
        )
    return radar([r.instrument.code for r in rows], series)


def _period(record):
    """The first and last day an answer was given, or None before any."""
    days = [i.answer.updated_at for i in record.items if i.answer is not None and i.answer.updated_at]
    if not days:
        return None
    return {"start": min(days), "end": max(days)}


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
