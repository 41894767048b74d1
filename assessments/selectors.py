"""Reads for organisations and assessments.

Every lookup of an assessment goes through ``assessment_for_member``: it is the one place that
decides who may see what, so an outsider gets the same 404 as for an id that does not exist.
"""

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from assessments.frozen import frozen_checklist
from assessments.models import Answer, Assessment, EvidenceFile, Membership, Status
from governance.models import ChecklistItem, Instrument, ItemPrinciple, ItemRevision
from governance.selectors import current_release


def memberships_for_user(user):
    return list(Membership.objects.filter(user=user).select_related("organisation"))


def current_membership(request):
    """The membership of the organisation the user is working in (kept in the session)."""
    memberships = memberships_for_user(request.user)
    if not memberships:
        return None, memberships
    chosen = request.session.get("organisation")
    for membership in memberships:
        if str(membership.organisation.code) == chosen:
            return membership, memberships
    return memberships[0], memberships


def assessment_for_member(user, code):
    """The assessment with ``code`` and the user's membership of its organisation, or 404."""
    queryset = Assessment.objects.select_related("organisation", "release", "submitted_by", "created_by")
    assessment = queryset.filter(code=code, organisation__memberships__user=user).first()
    if assessment is None:
        raise Http404("No such assessment.")
    membership = Membership.objects.get(organisation=assessment.organisation, user=user)
    return assessment, membership


@dataclass
class DashboardRow:
    assessment: Assessment
    answered: int
    total: int

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 0


def dashboard_rows(organisation):
    """The organisation's assessments with progress, newest change first, in four queries
    whatever their number: assessments, their instruments, item links, answered items."""
    assessments = list(
        Assessment.objects.filter(organisation=organisation)
        .defer("snapshot", "description")
        .prefetch_related(Prefetch("instruments", queryset=Instrument.objects.only("code", "position")))
        .order_by("-updated")
    )
    items_of = defaultdict(set)
    links = ItemPrinciple.objects.filter(item__active=True).values_list("principle__instrument_id", "item_id")
    for instrument_id, item_id in links:
        items_of[instrument_id].add(item_id)
    answered_of = defaultdict(set)
    # Submitted assessments carry their counts; only drafts' answers are counted here.
    answered = Answer.objects.filter(assessment__organisation=organisation, assessment__status=Status.DRAFT)
    for assessment_id, item_id in answered.exclude(choice="").values_list("assessment_id", "item_id"):
        answered_of[assessment_id].add(item_id)
    rows = []
    for a in assessments:
        if a.is_locked:
            # The checklist as it was submitted, not as the library is now.
            rows.append(DashboardRow(a, a.frozen_answered_count, a.frozen_item_count))
        else:
            checklist = set().union(*(items_of[i.id] for i in a.instruments.all()))
            rows.append(DashboardRow(a, len(answered_of[a.id] & checklist), len(checklist)))
    return rows


def checklist_items(instrument_ids):
    """Every active item that serves a principle of the given instruments, each item once."""
    return ChecklistItem.objects.filter(
        active=True, principle_links__principle__instrument_id__in=instrument_ids
    ).distinct()


def checklist_size(assessment):
    if assessment.snapshot:
        return len(assessment.snapshot["items"])
    return checklist_items([i.id for i in assessment.instruments.all()]).count()


@dataclass
class Section:
    theme: object
    items: list = field(default_factory=list)

    @property
    def answered(self):
        return sum(1 for entry in self.items if entry.answer and entry.answer.choice)

    @property
    def total(self):
        return len(self.items)

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass
class Entry:
    item: ChecklistItem
    links: list
    answer: Answer | None
    stale: bool = False  # answered to wording the library has since changed


def assessment_sections(assessment):
    """The checklist grouped into sections by theme, with each item's principle links (only
    those of the assessment's instruments) and its answer, in a fixed number of queries.

    A submitted assessment's checklist comes from its snapshot: the wording it was answered to.
    """
    if assessment.is_locked:
        answers = {a.item.code: a for a in _answers(assessment).select_related("item")}
        return _grouped(
            (theme, Entry(item=item, links=item.links, answer=answers.get(item.code)))
            for theme, item in frozen_checklist(assessment.snapshot)
        )
    instrument_ids = [i.id for i in assessment.instruments.all()]
    links = (
        ItemPrinciple.objects.filter(principle__instrument_id__in=instrument_ids)
        .select_related("principle__instrument")
        .order_by("principle__instrument__position", "principle__position")
    )
    items = (
        checklist_items(instrument_ids)
        .select_related("theme")
        .prefetch_related(Prefetch("principle_links", queryset=links, to_attr="assessment_links"))
        .order_by("theme__code", "code")
    )
    answers = {a.item_id: a for a in _answers(assessment)}
    latest = latest_revisions(answers)

    def entry(item):
        answer = answers.get(item.id)
        stale = bool(answer and answer.item_revision_id and latest.get(item.id) != answer.item_revision_id)
        return Entry(item=item, links=item.assessment_links, answer=answer, stale=stale)

    return _grouped((item.theme, entry(item)) for item in items)


def _answers(assessment):
    return (
        Answer.objects.filter(assessment=assessment)
        .select_related("updated_by")
        .prefetch_related(Prefetch("files", queryset=EvidenceFile.objects.order_by("uploaded_at")))
    )


def _grouped(themed_entries):
    """Sections in order of first appearance, from (theme, entry) pairs sorted by theme."""
    sections = OrderedDict()
    for theme, entry in themed_entries:
        sections.setdefault(theme.code, Section(theme=theme)).items.append(entry)
    return list(sections.values())


def latest_revisions(item_ids):
    """Item id → id of its newest wording revision, in one query."""
    latest = {}
    rows = ItemRevision.objects.filter(item_id__in=list(item_ids)).order_by("item_id", "-recorded_at", "-id")
    for item_id, revision_id in rows.values_list("item_id", "id"):
        latest.setdefault(item_id, revision_id)
    return latest


def _newer(release, than):
    return than is None or (release.date, release.version) > (than.date, than.version)


def upgrade_preview(assessment):
    """What moving a draft to the current release changes: items added to its checklist,
    answered items no longer on it, items reworded since its release, and stale answers."""
    current, pinned = current_release(), assessment.release
    instrument_ids = [i.id for i in assessment.instruments.all()]
    on_list = list(checklist_items(instrument_ids).order_by("code"))
    on_ids = {i.id for i in on_list}
    first_release, newest = {}, {}
    revisions = ItemRevision.objects.filter(item_id__in=on_ids).select_related("release").order_by("recorded_at", "id")
    for revision in revisions:
        first_release.setdefault(revision.item_id, revision.release)
        newest[revision.item_id] = revision
    answers = list(Answer.objects.filter(assessment=assessment).select_related("item"))
    answered_ids = {a.item_id for a in answers}
    return {
        "current": current,
        "pinned": pinned,
        "needed": current is not None and pinned != current,
        "added": [
            i
            for i in on_list
            if i.id in first_release and pinned and _newer(first_release[i.id], pinned) and i.id not in answered_ids
        ],
        "removed": sorted({a.item.code for a in answers if a.item_id not in on_ids}),
        # Reworded: existed at the pinned release, and has a newer revision since.
        "changed": [
            i
            for i in on_list
            if i.id in newest
            and pinned
            and not _newer(first_release[i.id], pinned)
            and _newer(newest[i.id].release, pinned)
        ],
        "stale": [
            a
            for a in answers
            if a.item_id in newest and a.item_revision_id and a.item_revision_id != newest[a.item_id].id
        ],
    }


def comparable_assessments(assessment):
    """Other assessments of the same organisation, for the results comparison."""
    return (
        Assessment.objects.filter(organisation_id=assessment.organisation_id)
        .exclude(pk=assessment.pk)
        .defer("snapshot")
        .order_by("-updated")
    )
