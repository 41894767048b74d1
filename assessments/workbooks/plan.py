"""What an uploaded workbook would change, for the preview, and saving it once confirmed.

Only rows edited in the workbook are saved. An edited row whose answer someone saved online
since the download is a conflict: the preview shows both, and the save keeps the online answer
unless the editor chooses to replace it. The save is ``answers_save``: the same rules, the same
version check and history as the section pages, all or nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext

from assessments.models import Assessment, Membership
from assessments.record import AssessmentRecord
from assessments.services import AnswerInput, SaveResult, answers_save
from assessments.services.answers import KEEP
from assessments.workbooks.read import Row, WorkbookData, WorkbookRejected

SESSION_KEY = "workbooks"


@dataclass(frozen=True)
class Change:
    row: Row
    theme: str
    before: dict  # the answer saved now: choice, justification, evidence_urls
    version: int  # its version now
    conflict: bool  # saved online since the download, and different from the workbook's


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict]


def plan_workbook(record: AssessmentRecord, data: WorkbookData) -> Plan:
    items = {item.code: item for item in record.items}
    plan = Plan()
    for row in data.rows:
        item = items.get(row.code)
        if item is None:
            raise WorkbookRejected(
                gettext("Item %(code)s is no longer on this assessment's checklist. Download again.")
                % {"code": row.code}
            )
        answer = item.answer
        before = {
            "choice": answer.choice if answer else "",
            "justification": answer.justification if answer else "",
            "evidence_urls": list(answer.evidence_urls) if answer else [],
        }
        wanted = {"choice": row.choice, "justification": row.justification, "evidence_urls": list(row.evidence_urls)}
        version = answer.version if answer else 0
        if not row.edited or wanted == before:
            plan.unchanged += 1
            continue
        plan.changes.append(
            Change(row=row, theme=item.theme.code, before=before, version=version, conflict=version != row.base_version)
        )
    return plan


def workbook_stage(*, session, assessment: Assessment, plan: Plan) -> str:
    """Keep the checked changes (never the file) until the editor confirms; one at a time."""
    token = str(uuid.uuid4())
    session[SESSION_KEY] = {
        token: {
            "assessment": str(assessment.code),
            "changes": [{**asdict(c.row), "version_now": c.version, "conflict": c.conflict} for c in plan.changes],
        }
    }
    return token


def workbook_confirm(
    *, session, assessment: Assessment, membership: Membership, record: AssessmentRecord, token: str, replace: bool
) -> SaveResult:
    """Save the staged changes ``token``. With ``replace``, a conflicting row replaces the answer
    saved online as it was at the preview; otherwise the service refuses it as a conflict."""
    stored = session.get(SESSION_KEY, {}).get(token)
    if stored is None or stored["assessment"] != str(assessment.code):
        raise WorkbookRejected(gettext("That upload has expired or was already saved. Upload the workbook again."))
    ids = {item.code: item.id for item in record.items}
    inputs = []
    for change in stored["changes"]:
        if change["code"] not in ids:
            raise WorkbookRejected(
                gettext("Item %(code)s is no longer on this assessment's checklist.") % {"code": change["code"]}
            )
        base = change["version_now"] if replace and change["conflict"] else change["base_version"]
        inputs.append(
            AnswerInput(
                ids[change["code"]],
                change["code"],
                change["choice"],
                change["justification"],
                list(change["evidence_urls"]),
                base,
                evidence_valid_until=KEEP,  # the workbook has no column for it
            )
        )
    result = answers_save(assessment=assessment, membership=membership, inputs=inputs)
    if not result.conflicts:
        del session[SESSION_KEY]
    return result
