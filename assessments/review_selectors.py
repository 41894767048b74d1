"""Reads for the review: comment threads, the review page's counts, "assigned to me", the action
plan and the organisation log. Each is a fixed number of queries, whatever the numbers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from assessments.models import (
    ActionItem,
    Answer,
    Assessment,
    Assignment,
    Comment,
    EventKind,
    Membership,
    OrganisationEvent,
    Status,
)
from assessments.paging import page_of
from assessments.record import AssessmentRecord, Progress
from assessments.record.live import _section_counts
from assessments.services.actions import is_gap
from governance.models import ChecklistItem


@dataclass(frozen=True)
class Thread:
    comments: list[Comment]
    open: int


def comment_threads(*, assessment: Assessment, items: list[str]) -> dict[str, Thread]:
    """Item code → its thread, oldest first, for every item of one section (one query)."""
    found = defaultdict(list)
    for comment in Comment.objects.filter(assessment=assessment, item__in=items).select_related("author"):
        found[comment.item].append(comment)
    return {code: Thread(found[code], sum(1 for c in found[code] if not c.resolved)) for code in items}


@dataclass(frozen=True)
class OpenThread:
    item: str
    open: int
    theme: str | None  # the item's section, for the link; None when it left the checklist


@dataclass(frozen=True)
class ReviewSummary:
    open_comments: int
    threads: list[OpenThread]  # items with open comments, by code
    actions: int


def review_summary(*, assessment: Assessment) -> ReviewSummary:
    """What the review page counts: open comments (per item) and actions (two queries)."""
    rows = (
        Comment.objects.filter(assessment=assessment, resolved_at__isnull=True)
        .values("item")
        .annotate(n=Count("id"))
        .order_by("item")
    )
    rows = list(rows)
    themes = _themes_of(assessment, [r["item"] for r in rows]) if rows else {}
    threads = [OpenThread(r["item"], r["n"], themes.get(r["item"])) for r in rows]
    return ReviewSummary(
        open_comments=sum(t.open for t in threads),
        threads=threads,
        actions=ActionItem.objects.filter(assessment=assessment).count(),
    )


def _themes_of(assessment: Assessment, codes: list[str]) -> dict[str, str]:
    """Item code → its theme code, as the assessment shows it (its snapshot once frozen)."""
    if assessment.is_frozen:
        wanted = set(codes)
        return {r["code"]: r["theme"] for r in assessment.snapshot["items"] if r["code"] in wanted}
    return dict(ChecklistItem.objects.filter(code__in=codes).values_list("code", "theme__code"))


def last_return(*, assessment: Assessment) -> OrganisationEvent | None:
    """The latest return to draft, with its reason, for the draft's overview (one query)."""
    if assessment.status != Status.DRAFT:
        return None
    return (
        OrganisationEvent.objects.filter(assessment=assessment, kind=EventKind.RETURNED).order_by("-at", "-id").first()
    )


# --- assigned to me --------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignedRow:
    assignment: Assignment
    progress: Progress
    overdue: bool
    name: str  # the section's name ("" for an item)


def _has_assignments(membership: Membership) -> bool:
    """Whether the member has an assignment in a draft. Most members have none, and the ORM took
    0.7 ms to build the list's query for that answer, against about 0.1 ms for this one
    (SQLite, bench/pages.py dashboard-1000)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Assignment._meta.db_table} a JOIN {Assessment._meta.db_table} s"
            " ON s.id = a.assessment_id WHERE a.assignee_id = %s AND s.status = %s LIMIT 1",
            [membership.pk, Status.DRAFT],
        )
        return cursor.fetchone() is not None


def assigned_to(membership: Membership, *, today: dt.date | None = None) -> list[AssignedRow]:
    """The member's assignments in drafts, with progress, overdue ones flagged: what is due and
    not yet all answered (one query when there are none; else four: whether there are any, the
    assignments, and the drafts' section counts)."""
    if not _has_assignments(membership):
        return []
    today = today or timezone.localdate()
    assignments = list(
        Assignment.objects.filter(assignee=membership, assessment__status=Status.DRAFT)
        .select_related("assessment")
        .order_by("due", "assessment__title", "theme", "item")
    )
    if not assignments:
        return []
    ids = sorted({a.assessment_id for a in assignments})
    counts = _section_counts(ids)
    items = [a for a in assignments if a.item]
    answered = set()
    if items:
        # A superset of the pairs wanted (each assessment with each code), cut to them below.
        answered = set(
            Answer.objects.filter(
                assessment_id__in={a.assessment_id for a in items}, item__code__in={a.item for a in items}
            )
            .exclude(choice="")
            .values_list("assessment_id", "item__code")
        )
    rows = []
    for a in assignments:
        name = ""
        if a.theme:
            theme, progress = counts.get(a.assessment_id, {}).get(a.theme, (None, Progress(0, 0)))
            name = theme.local.name if theme else ""  # in the page's language
        else:
            progress = Progress(1 if (a.assessment_id, a.item) in answered else 0, 1)
        rows.append(AssignedRow(a, progress, bool(a.due and a.due < today and not progress.complete), name))
    return rows


def assignments_of(*, assessment: Assessment) -> list[Assignment]:
    return list(assessment.assignments.select_related("assignee__user").order_by("theme", "item"))


# --- the action plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    code: str  # the item
    question: str
    choice: str
    action: ActionItem | None


def action_plan(*, assessment: Assessment, record: AssessmentRecord) -> list[PlanRow]:
    """Every gap of the record, with its action if it has one, and actions whose item is no
    longer a gap (one query besides the record)."""
    actions = {a.item: a for a in assessment.actions.select_related("owner__user")}
    rows = []
    for item in record.items:
        if is_gap(item) or item.code in actions:
            rows.append(
                PlanRow(item.code, item.question, item.answer.choice if item.answer else "", actions.get(item.code))
            )
    return rows


# --- the organisation log --------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    assessment: str = ""  # an assessment's code
    person: str = ""  # a username
    kind: str = ""


def organisation_log(organisation, *, filters: LogFilters, page: str | None = None) -> Page:
    """A page of the organisation's log, newest first, filtered (a COUNT and the page's rows)."""
    events = OrganisationEvent.objects.filter(organisation=organisation).select_related("assessment")
    if filters.assessment:
        events = events.filter(assessment__code=filters.assessment)
    if filters.person:
        events = events.filter(actor_name=filters.person)
    if filters.kind in EventKind.values:
        events = events.filter(kind=filters.kind)
    return page_of(events.order_by("-at", "-id"), page, per_page=50)
