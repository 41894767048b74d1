"""Answers that travel: start a new draft from an assessment's JSON export.

The export (docs/export-format.md) is parsed and checked in full before anything is written;
a preview lists what will be filled and what will be skipped; only then does
``import_apply`` create the draft, in one transaction.
"""

import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from assessments.exports import EXPORT_SCHEMA, IMPORTABLE_VERSIONS
from assessments.models import Assessment, EventKind, Membership
from assessments.selectors import checklist_items
from assessments.services import AnswerInput, answers_save, assessment_create
from assessments.services.log import event_record
from assessments.services.rules import answer_clean
from governance.models import ChecklistItem, Instrument

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportRejected(ValueError):
    pass


@dataclass
class ImportedAnswer:
    code: str
    choice: str
    justification: str
    evidence_urls: list


@dataclass
class ImportData:
    title: str
    instruments: list
    answers: list


def parse_export(raw: bytes) -> ImportData:
    """Check an uploaded export completely, or raise ImportRejected naming what is wrong."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportRejected(
            gettext("The file is larger than %(size)d MB.") % {"size": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError and numbers too long to convert; RecursionError,
        # nesting too deep to parse. Neither can be an export of ours.
        raise ImportRejected(
            gettext("The file is not valid JSON (%(error)s).") % {"error": exc.__class__.__name__}
        ) from None
    if not isinstance(data, dict) or data.get("schema") != EXPORT_SCHEMA:
        raise ImportRejected(
            gettext("The file is not an assessment export from this app (its schema is not %(schema)s).")
            % {"schema": repr(EXPORT_SCHEMA)}
        )
    version = data.get("schema_version")
    if type(version) is not int or version not in IMPORTABLE_VERSIONS:
        raise ImportRejected(
            gettext("Export schema version %(version)s is not supported (this app reads versions %(versions)s).")
            % {"version": repr(data.get("schema_version")), "versions": ", ".join(map(str, IMPORTABLE_VERSIONS))}
        )
    assessment = data.get("assessment")
    instruments = data.get("instruments")
    items = data.get("items")
    if not isinstance(assessment, dict) or not isinstance(instruments, list) or not isinstance(items, list):
        raise ImportRejected(gettext("The export is missing its assessment, instruments or items."))
    codes = [i.get("code") for i in instruments if isinstance(i, dict)]
    if len(codes) != len(instruments) or not all(isinstance(c, str) and c for c in codes):
        raise ImportRejected(gettext("Every instrument in the export needs a code."))
    answers, seen = [], set()
    for n, item in enumerate(items, start=1):
        answers_of_item = _check_item(n, item)
        if answers_of_item.code in seen:
            raise ImportRejected(gettext("Item %(code)s appears twice.") % {"code": answers_of_item.code})
        seen.add(answers_of_item.code)
        if answers_of_item.choice:
            answers.append(answers_of_item)
    title = assessment.get("title") if isinstance(assessment.get("title"), str) else ""
    if "\x00" in title or any("\x00" in c for c in codes):
        raise ImportRejected(gettext("The export's title or instrument codes contain NUL characters."))
    return ImportData(title=title[:200], instruments=codes, answers=answers)


def _check_item(n, item):
    if not isinstance(item, dict) or not isinstance(item.get("code"), str) or not item["code"]:
        raise ImportRejected(gettext("Item %(number)d has no code.") % {"number": n})
    code = item["code"][:16]
    try:
        clean = answer_clean(
            choice=item.get("answer", ""),
            justification=item.get("justification", ""),
            evidence_urls=item.get("evidence_urls", []),
        )
    except ValidationError as exc:
        raise ImportRejected(
            gettext("Item %(code)s: %(reasons)s") % {"code": code, "reasons": " ".join(exc.messages)}
        ) from None
    return ImportedAnswer(code, clean.choice, clean.justification, clean.evidence_urls)


@dataclass
class ImportPlan:
    instruments: list  # Instrument objects the new draft will cover
    unknown_instruments: list  # codes in the export that are unknown or retired here
    fill: list = field(default_factory=list)  # ImportedAnswer
    skipped: list = field(default_factory=list)  # (code, reason)


# The preview lists at most this many answers of each kind (and unknown instruments), with a
# count of the rest: a 5 MB export may hold tens of thousands of items.
PREVIEW_LINES = 50
PREVIEW_INSTRUMENTS = 10


@dataclass(frozen=True)
class ImportPreview:
    """What the preview page shows of a plan: the first lines of each list, and how many more."""

    fill: list
    fill_more: int
    skipped: list
    skipped_more: int
    unknown_instruments: list
    unknown_more: int


def import_preview(plan: ImportPlan) -> ImportPreview:
    return ImportPreview(
        fill=plan.fill[:PREVIEW_LINES],
        fill_more=max(0, len(plan.fill) - PREVIEW_LINES),
        skipped=plan.skipped[:PREVIEW_LINES],
        skipped_more=max(0, len(plan.skipped) - PREVIEW_LINES),
        unknown_instruments=plan.unknown_instruments[:PREVIEW_INSTRUMENTS],
        unknown_more=max(0, len(plan.unknown_instruments) - PREVIEW_INSTRUMENTS),
    )


def plan_import(data: ImportData) -> ImportPlan:
    instruments = list(Instrument.objects.filter(code__in=data.instruments, retired=False))
    known = {i.code for i in instruments}
    plan = ImportPlan(instruments=instruments, unknown_instruments=[c for c in data.instruments if c not in known])
    on_checklist = set(checklist_items([i.id for i in instruments]).values_list("code", flat=True))
    retired = set(ChecklistItem.objects.filter(active=False).values_list("code", flat=True))
    for answer in data.answers:
        if answer.code in on_checklist:
            plan.fill.append(answer)
        elif answer.code in retired:
            plan.skipped.append((answer.code, gettext("retired from the library")))
        else:
            plan.skipped.append(
                (answer.code, gettext("not on this checklist (unknown item, or it serves none of the instruments)"))
            )
    return plan


@transaction.atomic
def import_apply(*, membership: Membership, plan: ImportPlan, title: str, scope: str) -> Assessment:
    if not plan.instruments:
        raise ImportRejected(gettext("None of the export's instruments is in this library."))
    assessment = assessment_create(
        membership=membership,
        title=title,
        scope=scope,
        description="Imported from an assessment export.",
        instruments=plan.instruments,
    )
    ids = dict(ChecklistItem.objects.filter(code__in=[a.code for a in plan.fill]).values_list("code", "id"))
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[AnswerInput(ids[a.code], a.code, a.choice, a.justification, a.evidence_urls, 0) for a in plan.fill],
    )
    event_record(
        organisation=membership.organisation,
        actor=membership.user,
        kind=EventKind.IMPORTED,
        assessment=assessment,
        detail=f"{len(plan.fill)} answers",
    )
    return assessment


# --- the import between preview and confirmation ----------------------------------------------
# Only the checked answers are kept, in the user's session, never the uploaded file.

SESSION_KEY = "imports"


@dataclass(frozen=True)
class PendingImport:
    token: str
    title: str
    scope: str
    organisation: str  # the code of the organisation the draft will be created in
    data: ImportData


def import_stage(*, session, membership: Membership, data: ImportData, title: str, scope: str) -> PendingImport:
    """Keep a checked export until the user confirms its preview. A new upload replaces any
    earlier one, so a session holds one pending import at a time."""
    pending = PendingImport(
        token=str(uuid.uuid4()),
        # As the draft will hold it: the service strips the title.
        title=(title or f"{data.title} (imported)").strip()[:200].strip(),
        scope=scope,
        organisation=str(membership.organisation.code),
        data=data,
    )
    session[SESSION_KEY] = {
        pending.token: {
            "title": pending.title,
            "scope": pending.scope,
            "organisation": pending.organisation,
            "instruments": data.instruments,
            "answers": [a.__dict__ for a in data.answers],
        }
    }
    return pending


def import_confirm(*, session, memberships: list[Membership], token: str) -> tuple[Assessment, ImportPlan]:
    """Create the draft of the pending import ``token``: (assessment, plan).

    Raises ImportRejected when it expired or was used, or when the library no longer holds any
    of its instruments, and PermissionDenied when the user can no longer create drafts in the
    organisation it was staged for. The plan is made again: the library may have changed since
    the preview.
    """
    stored = session.get(SESSION_KEY, {}).get(token)
    if stored is None:
        raise ImportRejected(gettext("That import has expired or was already used. Upload the file again."))
    membership = next((m for m in memberships if str(m.organisation.code) == stored["organisation"]), None)
    if membership is None or not membership.can_edit:
        raise PermissionDenied(gettext("You can no longer create assessments in that organisation."))
    data = ImportData(stored["title"], stored["instruments"], [ImportedAnswer(**a) for a in stored["answers"]])
    plan = plan_import(data)
    assessment = import_apply(membership=membership, plan=plan, title=stored["title"], scope=stored["scope"])
    del session[SESSION_KEY]
    return assessment, plan
