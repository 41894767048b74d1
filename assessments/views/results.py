"""The results page, its comparison, and the JSON and CSV exports."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from assessments import results as results_module
from assessments import results_cache, selectors
from assessments.attachments import assessment_attachment, private_download
from assessments.exports import csv_titles, export_csv, export_data, export_json
from assessments.languages import UnknownLanguage, download_language
from assessments.models import EventKind
from assessments.paging import page_of
from assessments.radar import Series, radar
from assessments.services.log import event_record


def _results(assessment):
    return results_module.compute(selectors.assessment_record(assessment=assessment))


@login_required
@require_safe
def results(request, code):
    assessment, membership = selectors.assessment_for_member(request.user, code, library_revision=True)
    comparable = list(selectors.comparable_assessments(assessment))
    other = _comparable(request, comparable, request.GET["compare"]) if request.GET.get("compare") else None
    # Drafts' results are kept between views (assessments/results_cache.py); the compared
    # assessment, when it is not, loads with this one, in the same queries.
    computed, *compared = results_cache.assessment_results(
        [assessment, other] if other else [assessment], library_revision=assessment.library_revision
    )
    rows = computed.instrument_rows
    axes = [row.instrument.code for row in rows]
    series = [
        Series(gettext("Declared"), [row.score.score for row in rows], "declared"),
        Series(gettext("Evidenced"), [row.score.evidenced for row in rows], "evidenced"),
    ]
    deltas = {}
    if other is not None:
        [theirs] = compared
        deltas = results_module.comparison(computed, theirs)
        their_scores = {r.instrument.code: r.score.score for r in theirs.instrument_rows}
        series.append(
            Series(
                gettext("Compared: %(title)s") % {"title": other.title}, [their_scores.get(c) for c in axes], "compared"
            )
        )
    gaps = page_of(computed.findings, request.GET.get("page"))
    # A comparison is not kept: its figures also show the other assessment's.
    kept = (
        results_cache.fragment_key(assessment, assessment.library_revision, gaps.number)
        if other is None
        else results_cache.NOT_KEPT
    )
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": assessment,
            "membership": membership,
            "results": computed,
            "summary": results_module.summary_sentences(computed),
            # The items the summary names (the largest gaps), so that their codes link.
            "summary_items": [gap.item for gap in computed.gaps[: results_module.SUMMARY_GAPS]],
            "gaps": gaps,
            "page_params": {"compare": str(other.code)} if other else {},
            "radar": radar(axes, series),
            "comparable": comparable,
            "other": other,
            "deltas": deltas,
            "kept": kept,
            "actions": list(assessment.actions.select_related("owner__user").order_by("item")),
        },
    )


def _comparable(request, comparable, raw):
    """The assessment picked for comparison, from the list offered; None (with a message) else."""
    try:
        code = uuid.UUID(raw)
    except ValueError:
        code = None
    other = next((a for a in comparable if a.code == code), None)
    if other is None:
        messages.error(request, gettext("That assessment cannot be compared: pick one from the list."))
    return other


@login_required
@require_safe
def results_instrument(request, code, instrument):
    assessment, _ = selectors.assessment_for_member(request.user, code)
    computed = _results(assessment)
    drill = results_module.instrument_drilldown(computed, instrument)
    if drill is None:
        raise Http404("This assessment does not cover that instrument.")
    gaps = [finding for finding in computed.findings if instrument in finding.instruments]
    return render(
        request,
        "assessments/results_instrument.html",
        {"assessment": assessment, "drill": drill, "gaps": page_of(gaps, request.GET.get("page"))},
    )


@login_required
@require_safe
@private_download
def export_json_view(request, code):
    assessment, _ = selectors.assessment_for_member(request.user, code)
    body = export_json(export_data(assessment, _results(assessment)))
    log_export(request, assessment, "json")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = assessment_attachment(assessment, "json")
    return response


@login_required
@require_safe
@private_download
def export_csv_view(request, code):
    assessment, _ = selectors.assessment_for_member(request.user, code)
    try:
        language = download_language(request)
    except UnknownLanguage:
        return HttpResponseBadRequest(gettext("Unknown language: choose one of the languages offered."))
    results = _results(assessment)
    # A byte-order mark makes spreadsheet programs read the file as UTF-8 (Chinese titles).
    body = "\ufeff" + export_csv(export_data(assessment, results), csv_titles(results.record, language))
    log_export(request, assessment, "csv")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = assessment_attachment(assessment, "csv")
    return response


def log_export(request, assessment, what):
    event_record(
        organisation=assessment.organisation,
        actor=request.user,
        kind=EventKind.EXPORTED,
        assessment=assessment,
        detail=what,
    )
