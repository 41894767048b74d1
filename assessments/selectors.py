"""Reads for organisations and assessments.

Every lookup of an assessment goes through ``assessment_for_member`` or its editor and owner
variants: they are the one place that decides who may see what, so an outsider gets the same 404
as for an id that does not exist, and a member without the right role gets a 403.

``assessment_record`` is the one place that decides where an assessment's checklist and answers
come from: the live library for a draft, the snapshot for a submitted assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import dateformat, numberformat, timezone
from django.utils.formats import get_format
from django.utils.translation import gettext

from assessments import reversing
from assessments.models import Answer, Assessment, EvidenceFile, Invitation, Membership, Status
from assessments.paging import PER_PAGE, page_of
from assessments.permissions import require_editor, require_owner
from assessments.record import AssessmentRecord, ItemKey, ItemRecord, Progress
from assessments.record.live import (
    draft_progress,
    instrument_codes,
    live_next_theme,
    live_section_keys,
    load_live,
    load_live_item,
)
from assessments.record.snapshot import from_snapshot
from assessments.record.types import TemplateLookup
from assessments.services.errors import AssessmentFrozen
from assessments.services.organisations import invitation_mail_retrying
from governance import translations as tr
from governance.models import ChecklistItem, ItemLinkRevision, ItemRevision, LibraryRelease, LibraryState, Principle
from governance.selectors import current_release


def memberships_for_user(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("organisation"))


def current_membership(request) -> tuple[Membership | None, list[Membership]]:
    """The membership of the organisation the user is working in (kept in the session)."""
    memberships = memberships_for_user(request.user)
    if not memberships:
        return None, memberships
    chosen = request.session.get("organisation")
    for membership in memberships:
        if str(membership.organisation.code) == chosen:
            return membership, memberships
    return memberships[0], memberships


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    mail: str  # "sent", "failed" or "waiting" (not tried yet)
    retrying: bool  # a failed mail will be tried again


def invitations_open(organisation) -> list[InvitationRow]:
    """The organisation's invitations that can still be used, newest first, with how their
    mail went (for its owners)."""
    rows = []
    for invitation in organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created"):
        mail = "sent" if invitation.mail_sent_at else "failed" if invitation.mail_error else "waiting"
        rows.append(InvitationRow(invitation, mail, mail == "failed" and invitation_mail_retrying(invitation)))
    return rows


# --- access ----------------------------------------------------------------------------------


# The library's revision (governance.models.LibraryState) as a column of a query. Written out:
# compiling the ORM's subquery cost more than running it.
_LIBRARY_REVISION = RawSQL(f"SELECT revision FROM {LibraryState._meta.db_table} WHERE id = 1", ())


def assessment_for_member(user, code, *, library_revision: bool = False) -> tuple[Assessment, Membership]:
    """The assessment with ``code`` and the user's membership of its organisation, or 404.

    With ``library_revision``, the assessment also carries the library's revision
    (``assessment.library_revision``, ``governance.models.LibraryState``), read in the same
    query: what a draft's kept results are keyed on (``assessments.results_cache``)."""
    queryset = Assessment.objects.select_related("organisation", "release", "submitted_by", "approved_by", "created_by")
    if library_revision:
        queryset = queryset.annotate(library_revision=_LIBRARY_REVISION)
    try:
        # get(), not first(): the code is unique, and first() ordered by the model's -updated,
        # whose compiling cost more than running the query.
        assessment = queryset.get(code=code, organisation__memberships__user=user)
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
    membership = Membership.objects.get(organisation=assessment.organisation, user=user)
    return assessment, membership


def assessment_for_editor(user, code) -> tuple[Assessment, Membership]:
    """As ``assessment_for_member``, and 403 unless the user may change it (owner or editor)."""
    assessment, membership = assessment_for_member(user, code)
    require_editor(membership)
    return assessment, membership


def assessment_for_owner(user, code) -> tuple[Assessment, Membership]:
    """As ``assessment_for_member``, and 403 unless the user owns the organisation."""
    assessment, membership = assessment_for_member(user, code)
    require_owner(membership)
    return assessment, membership


# --- the record ------------------------------------------------------------------------------


def assessment_record(
    *, assessment: Assessment, section: str | None = None, library_revision: int | None = None
) -> AssessmentRecord:
    """The record of ``assessment``: every section with its counts, and the items and answers of
    all sections, or of ``section`` alone. With ``section`` and ``library_revision`` (read no
    later than the assessment), a draft's section reads its part of the library from what the
    process keeps (``record.live.load_live``)."""
    if section is not None and library_revision is not None and not assessment.is_frozen:
        return load_live([assessment], theme=section, library_revision=library_revision)[assessment.pk]
    return assessment_records(assessments=[assessment], section=section)[0]


def assessment_outline(*, assessment: Assessment) -> AssessmentRecord:
    """The record's instruments and sections with their counts, without items or principles."""
    if assessment.is_frozen:
        return from_snapshot(assessment, outline=True)
    return load_live([assessment], outline=True)[assessment.pk]


def assessment_records(*, assessments: list[Assessment], section: str | None = None) -> list[AssessmentRecord]:
    """Records of several assessments, in their order; the drafts share one set of queries."""
    drafts = [a for a in assessments if not a.is_frozen]
    live = load_live(drafts, theme=section) if drafts else {}
    return [from_snapshot(a, theme=section) if a.is_frozen else live[a.pk] for a in assessments]


def section_for_save(*, assessment: Assessment, section: str) -> list[ItemKey]:
    """The items a save of ``section`` may write (ids and codes, one query), for a draft only:
    ``AssessmentFrozen`` for a submitted assessment, ``Http404`` for a section not on the checklist."""
    if assessment.is_frozen:
        raise AssessmentFrozen(gettext("This assessment is submitted and read-only."))
    keys = live_section_keys(assessment, section)
    if not keys:
        raise Http404("No such section in this assessment.")
    return keys


def next_section_after(*, assessment: Assessment, section: str) -> str | None:
    """The code of the section after ``section`` in a draft, or None after the last one."""
    return live_next_theme(assessment, section)


def assessment_item(*, assessment: Assessment, code: str) -> ItemRecord | None:
    """One item of the assessment's checklist, as the assessment shows it; None when not on it."""
    if assessment.is_frozen:
        record = from_snapshot(assessment)
        return next((item for item in record.items if item.code == code), None)
    return load_live_item(assessment, code)


def assessments_progress(
    *,
    assessments: list[Assessment],
    instruments: dict[int, list[int]] | None = None,
    library_revision: int | None = None,
) -> dict[int, Progress]:
    """Assessment pk → the progress of its checklist, for lists. Submitted assessments carry
    their counts (so their snapshots need not be read); drafts are counted from their
    instruments' pks, ``instruments`` (pk → instrument pks) when the caller has read them, else
    the assessments' prefetched instruments (prefetched here if they were not), in two
    queries, whatever their number. ``library_revision``, read no later than the assessments,
    lets their checklists be kept (``record.live.draft_progress``)."""
    drafts = [a for a in assessments if not a.is_frozen]
    if instruments is None:
        prefetch_related_objects(drafts, "instruments")  # no query when already prefetched
        instruments = {a.pk: [i.pk for i in a.instruments.all()] for a in drafts}
    counted = draft_progress({a.pk: instruments.get(a.pk, []) for a in drafts}, library_revision=library_revision)
    return {
        a.pk: Progress(a.frozen_answered_count, a.frozen_item_count) if a.is_frozen else counted[a.pk]
        for a in assessments
    }


@dataclass(frozen=True, slots=True)
class DashboardRow(TemplateLookup):
    """An assessment as the dashboard prints it, everything read once here: the template looks
    up plain values (a model instance's attributes cost it an exception each, see
    TemplateLookup), and translates nothing per row that is the same in every row."""

    assessment: Assessment
    progress: Progress
    url: str  # the assessment's page
    instruments: tuple[str, ...]  # its instruments' codes, in the library's order
    status_label: str  # its status, in the page's language
    progress_label: str  # the progress bar's name: "Progress of <title>"
    answered_label: str  # "<answered> of <total> answered"
    updated_label: str  # its last change, as the date filter prints SHORT_DATETIME_FORMAT in the local time

    @property
    def title(self) -> str:
        return self.assessment.title

    @property
    def scope(self) -> str:
        return self.assessment.scope

    @property
    def updated(self):
        return self.assessment.updated

    @property
    def final(self) -> bool:
        return self.assessment.is_final

    @property
    def in_review(self) -> bool:
        return self.assessment.in_review


def _whole_numbers():
    """``localize`` for whole numbers, with the active language's separators looked up once
    rather than three times per number (about 0.4 ms on a page of 25 rows)."""
    decimal, grouping, thousands = (
        get_format(name) for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    )
    return lambda value: numberformat.format(value, decimal, grouping=grouping, thousand_sep=thousands)


# What the dashboard reads of each assessment (the rows, is_frozen and the frozen counts).
_ROW_FIELDS = ("code", "title", "scope", "status", "updated", "frozen_answered_count", "frozen_item_count")


def dashboard_rows(organisation, *, page: str | None = None, per_page: int = PER_PAGE) -> Page:
    """A page of the organisation's assessments with their progress, newest change first.

    ``page`` is the number asked for (see ``assessments.paging``). Progress is counted for the
    page's assessments only, so the cost stays the same however many the organisation holds:
    a COUNT, the page's rows, their instruments' codes, and the drafts' items and answers.
    """
    assessments = (
        Assessment.objects.filter(organisation=organisation)
        .only(*_ROW_FIELDS)
        .annotate(library_revision=_LIBRARY_REVISION)  # read with the rows: the checklists are kept under it
        .order_by("-updated", "-pk")
    )
    shown = page_of(assessments, page, per_page=per_page)
    rows = list(shown.object_list)
    codes = instrument_codes([a.pk for a in rows])
    progress = assessments_progress(
        assessments=rows,
        instruments={pk: [i for i, _ in pairs] for pk, pairs in codes.items()},
        library_revision=rows[0].library_revision if rows else None,
    )
    pattern = reversing.url_pattern("assessment", slot=reversing.UUID_SLOT)
    # The words are translated once for the page, not once per row.
    statuses = {value: str(label) for value, label in Status.choices}
    # The format and time zone looked up once, not per row: each is a context-local lookup.
    when, zone = get_format("SHORT_DATETIME_FORMAT"), timezone.get_current_timezone()
    number = _whole_numbers()
    progress_of = gettext("Progress of %(title)s")
    answered_of = gettext("%(answered)s of %(total)s answered")
    shown.object_list = []
    for a in rows:
        done = progress[a.pk]
        shown.object_list.append(
            DashboardRow(
                assessment=a,
                progress=done,
                url=reversing.with_code(pattern, a.code, slot=reversing.UUID_SLOT),
                instruments=tuple(code for _, code in codes.get(a.pk, ())),
                status_label=statuses[a.status],
                progress_label=progress_of % {"title": a.title},
                answered_label=answered_of % {"answered": number(done.answered), "total": number(done.total)},
                updated_label=dateformat.format(a.updated.astimezone(zone), when),
            )
        )
    return shown


@dataclass(frozen=True)
class AssessmentContents:
    answers: int  # answers with a choice, on the checklist or kept off it
    files: int  # evidence files


def assessment_contents(assessment: Assessment) -> AssessmentContents:
    """What deleting the assessment removes, for its confirmation page (two counts)."""
    return AssessmentContents(
        answers=Answer.objects.filter(assessment=assessment).exclude(choice="").count(),
        files=EvidenceFile.objects.filter(answer__assessment=assessment).count(),
    )


def checklist_items(instrument_ids: list[int]) -> QuerySet[ChecklistItem]:
    """Every active item that serves a principle of the given instruments, each item once."""
    return ChecklistItem.objects.filter(
        active=True, principle_links__principle__instrument_id__in=instrument_ids
    ).distinct()


# --- upgrade preview -------------------------------------------------------------------------


def _newer(release: LibraryRelease, than: LibraryRelease | None) -> bool:
    return than is None or (release.date, release.version) > (than.date, than.version)


@dataclass(frozen=True)
class UpgradePreview:
    current: LibraryRelease | None
    pinned: LibraryRelease | None
    needed: bool
    added: list[ItemRecord]  # on the checklist now but not at the pinned release, not yet answered
    removed: list[str]  # codes of answered items no longer on the checklist
    changed: list[ItemRecord]  # on the checklist at the pinned release, reworded since
    stale: list[ItemRecord]  # answered to wording that has changed since


def upgrade_preview(assessment: Assessment) -> UpgradePreview:
    """What moving a draft to the current release changes.

    An item was on the draft's checklist at its pinned release when the links it had then
    (``ItemLinkRevision``) reached one of the draft's instruments; new items and items newly
    linked to those instruments are both added.
    """
    current, pinned = current_release(), assessment.release
    record = assessment_record(assessment=assessment)
    items = record.items
    ids = [i.id for i in items]
    reworded_since, links_then = set(), {}
    if pinned is not None:
        for revision in ItemRevision.objects.filter(item_id__in=ids).select_related("release"):
            if _newer(revision.release, pinned):
                reworded_since.add(revision.item_id)
        for link_revision in (
            ItemLinkRevision.objects.filter(item_id__in=ids).select_related("release").order_by("recorded_at", "id")
        ):
            if not _newer(link_revision.release, pinned):
                links_then[link_revision.item_id] = set(link_revision.principles)
    mine = set(Principle.objects.filter(instrument__assessments=assessment).values_list("code", flat=True))
    was_on = {item_id for item_id, codes in links_then.items() if codes & mine}
    answered_elsewhere = Answer.objects.filter(assessment=assessment).exclude(item_id__in=ids)
    return UpgradePreview(
        current=current,
        pinned=pinned,
        needed=current is not None and pinned != current,
        added=[i for i in items if pinned and i.id not in was_on and i.answer is None],
        removed=sorted(answered_elsewhere.values_list("item__code", flat=True)),
        changed=[i for i in items if i.id in was_on and i.id in reworded_since],
        stale=[i for i in items if i.answer is not None and i.answer.stale],
    )


# --- edit preview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItemLine(tr.Translatable):
    TRANSLATED = {"title": "title", "question": "question"}

    code: str
    title: str
    question: str
    translations: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class EditPreview:
    """What choosing ``instruments`` does to a draft's checklist. Answers are never deleted."""

    before: int  # items on the checklist now
    after: int  # items on it with the chosen instruments
    added: list[ChecklistItemLine]  # new to the checklist, unanswered
    returning: list[ChecklistItemLine]  # back on the checklist with an answer kept from before
    leaving: list[ChecklistItemLine]  # answered items that leave: kept, but not shown or scored
    leaving_unanswered: int  # unanswered items that leave

    @property
    def changes(self) -> bool:
        return bool(self.added or self.returning or self.leaving or self.leaving_unanswered)


def assessment_edit_preview(assessment: Assessment, instruments) -> EditPreview:
    """The checklist of ``assessment`` now and with ``instruments``, compared (four queries).

    The same rule as the record's loader: every active item serving a principle of the
    instruments. "Answered" means an answer with a choice, as in the progress counts.
    """
    current = list(assessment.instruments.values_list("pk", flat=True))
    lines = ("id", "code", "title", "question", "translations")
    before = {row[0]: row for row in checklist_items(current).values_list(*lines)}
    after = {row[0]: row for row in checklist_items([i.pk for i in instruments]).values_list(*lines)}
    answered = set(Answer.objects.filter(assessment=assessment).exclude(choice="").values_list("item_id", flat=True))

    def _lines(ids):
        return sorted((ChecklistItemLine(*row[1:]) for row in ids), key=lambda line: line.code)

    new = [after[pk] for pk in after.keys() - before.keys()]
    gone = [before[pk] for pk in before.keys() - after.keys()]
    return EditPreview(
        before=len(before),
        after=len(after),
        added=_lines(row for row in new if row[0] not in answered),
        returning=_lines(row for row in new if row[0] in answered),
        leaving=_lines(row for row in gone if row[0] in answered),
        leaving_unanswered=sum(1 for row in gone if row[0] not in answered),
    )


def comparable_assessments(assessment: Assessment) -> QuerySet[Assessment]:
    """Other assessments of the same organisation, for the results comparison."""
    return (
        Assessment.objects.filter(organisation_id=assessment.organisation_id)
        .exclude(pk=assessment.pk)
        .select_related("release")
        .defer("snapshot")
        .order_by("-updated")
    )
