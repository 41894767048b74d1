"""Drafts' computed results, kept in this process under a key of everything they are computed from.

Loading a draft's record and scoring it is most of the results page's cost (about 20 ms for the
shipped library, seconds at 5,000 items), and the same figures are computed again on every view
although they change only when one of these does:

- the draft's answers, evidence files, instruments and release: every write of them goes
  through ``assessments.services`` and touches ``Assessment.updated`` (``answers_save``,
  ``assessment_update``), and the admin saves the assessment's row (``auto_now``) in the
  transaction that changes its instruments; answers have no admin;
- the library: ``governance.models.LibraryState.revision``, bumped with every library write;
- the day: evidence expires by the day.

The key holds those, the organisation and the assessment's own code, and the active language:
the results hold codes and every language's texts, but a value kept for one organisation or
language is never served to another. Each part of the key is read before the data it describes
(the assessment and the revision in the page's first query, ``assessment_for_member``), so
a kept value is never older than its key. Approved and in-review assessments are not kept:
their records come from their snapshots.

Kept in memory, not in Django's cache (the database here): unpickling the shipped library's
results takes longer than computing them. Each process keeps its own, least recently used
dropped first, within ``BUDGET`` rows (items, links and principles) in all. The values are
shared between requests: nothing may change them (``Results`` and its parts are not changed
after ``compute``).

The figures rendered from them (the results page's tables, radar, summary and gaps) are kept
under the same key, with the page of gaps, in the "fragments" cache (``fragment_key``): on a
repeat view, rendering them was most of what was left of the page's cost.

A section page's record (``section_record``: the section's items and answers, every section's
counts) is kept the same way, under the same key and the section: loading it was about half of
a 20-item section page of a 1,000-item checklist. Answer versions are in it, and stay in step:
a save moves ``updated``, so the next view loads the section again. One thing in it is not in
the key: the username of each answer's last saver, which a rename in the admin changes without
touching the draft, so a kept record shows the old name until the draft next changes.
"""

from __future__ import annotations

from django.core.cache import caches
from django.utils import timezone, translation

from assessments import results as results_module
from assessments import selectors
from assessments.kept import Kept
from assessments.models import Assessment
from assessments.record import live
from assessments.record.types import AssessmentRecord

# About 1,300 rows for the shipped library (84 items, 1,036 links, 198 principles), about 1.6 MB
# of results; so some 30 drafts of it, or one draft of 5,000 items, about 40 MB in all.
BUDGET = 30_000


_kept = Kept(BUDGET)
# Rows (sections, items and links) of kept section records: a 20-item section of the shipped
# library is about 300 rows, a 200-item one of bench/pages.py's 1,000-item checklist 814, at 1 to
# 2 KB a row (tracemalloc, with the principles they share); so at most some 20 MB.
SECTION_BUDGET = 10_000
_sections = Kept(SECTION_BUDGET)


def key(assessment: Assessment, library_revision: int | None) -> tuple:
    """What a draft's results are computed from (see the module's docstring)."""
    return (
        assessment.organisation_id,
        assessment.code,
        assessment.updated,
        assessment.release_id,
        library_revision,
        timezone.localdate(),
        translation.get_language(),
    )


NOT_KEPT = {"key": "", "timeout": 0}


def fragment_key(assessment: Assessment, library_revision: int | None, *parts) -> dict:
    """How the results page keeps its rendered figures (the ``{% cache %}`` tags of
    results.html, in the "fragments" cache): ``key`` is this module's key of the draft's results
    and ``parts`` (what else the figures show, such as the page of gaps), and ``timeout`` None
    (kept until dropped). Approved and in-review assessments are not kept, as their results are
    not: their timeout is 0, which Django's cache tag takes as "do not keep"."""
    if assessment.is_frozen:
        return NOT_KEPT
    return {"key": repr((*key(assessment, library_revision), *parts)), "timeout": None}


def _size(results: results_module.Results) -> int:
    record = results.record
    return len(record.principles) + sum(1 + len(item.links) for item in record.items)


def assessment_results(assessments: list[Assessment], *, library_revision: int | None) -> list[results_module.Results]:
    """The computed results of each of ``assessments``, in their order.

    A draft's come from this process's store when its key (``key``, with ``library_revision``
    read no later than the assessments) is there; the others' records are loaded in one set of
    queries (``selectors.assessment_records``) and computed, and the drafts' are kept.
    """
    keys = {a.pk: key(a, library_revision) for a in assessments if not a.is_frozen}
    found = {pk: value for pk, k in keys.items() if (value := _kept.get(k)) is not None}
    missing = [a for a in assessments if a.pk not in found]
    records = selectors.assessment_records(assessments=missing) if missing else []
    for assessment, record in zip(missing, records, strict=True):
        computed = results_module.compute(record)
        if assessment.pk in keys:
            _kept.put(keys[assessment.pk], computed, _size(computed))
        found[assessment.pk] = computed
    return [found[a.pk] for a in assessments]


def section_record(assessment: Assessment, theme: str, *, library_revision: int | None) -> AssessmentRecord:
    """``selectors.assessment_record(assessment=..., section=theme)``, a draft's kept in this
    process under ``key`` (``library_revision`` read no later than the assessment) and ``theme``."""
    if assessment.is_frozen:
        return selectors.assessment_record(assessment=assessment, section=theme)
    kept_as = (*key(assessment, library_revision), theme)
    record = _sections.get(kept_as)
    if record is None:
        record = selectors.assessment_record(assessment=assessment, section=theme, library_revision=library_revision)
        current = record.section(theme)
        # A section not on the checklist (the page's 404) is not kept: made-up codes would
        # otherwise push out the records of real ones.
        if current is not None:
            _sections.put(kept_as, record, len(record.sections) + sum(1 + len(i.links) for i in current.items))
    return record


def clear() -> None:
    """Forget every kept result, section record, checklist and rendered figure (the tests start
    each from none, as from an empty database)."""
    _kept.clear()
    _sections.clear()
    live.clear_kept()
    caches["fragments"].clear()
