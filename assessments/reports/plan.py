"""The report's action plan and sign-off, as plain data the template only prints.

The action plan is every finding (assessments/findings.py) with the action agreed for it in the
review (``ActionItem``: owner, due date, status, management response), ordered by severity and
then by due date, so a board reads the worst gaps and the nearest deadlines first. Within a
severity, agreed actions come before gaps without one ("no action agreed"), and an action
without a due date after the dated ones. Actions on items that are no longer gaps (answered
since, or outside the covered instruments) follow, so that no agreed action disappears.

The sign-off names people, not usernames: who prepared the answers (the participants), who sent
the assessment for review, and who approved it, with their roles in the organisation.

No query here: the actions are the ones the export already read (``context.report_context``
reads them once for both) and the memberships come with the participants' query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext

from assessments.findings import SEVERITIES, Finding
from assessments.labels import person_name
from assessments.models import Role


@dataclass(frozen=True)
class PlanRow:
    code: str
    finding: Finding | None  # None: an action whose item is no longer a gap
    action: object | None  # the ActionItem, None: no action agreed
    owner: str  # the owner's name, or ""
    owner_role: str  # in words, or ""


def role_label(membership) -> str:
    return str(Role(membership.role).label) if membership is not None else ""


def _row(code, finding, action) -> PlanRow:
    owner = action.owner if action is not None else None
    return PlanRow(code, finding, action, person_name(owner.user) if owner else "", role_label(owner))


def _order(row: PlanRow):
    action = row.action
    due = action.due if action is not None and action.due else dt.date.max
    return (SEVERITIES.index(row.finding.severity), action is None, due, row.code)


def action_plan(found: list[Finding], actions) -> list[PlanRow]:
    """The plan's rows: ``found`` (the findings) with ``actions`` (ActionItems, owners selected)."""
    by_item = {a.item: a for a in actions}
    rows = sorted((_row(f.item.code, f, by_item.get(f.item.code)) for f in found), key=_order)
    gaps = {f.item.code for f in found}
    rows += [_row(code, None, a) for code, a in sorted(by_item.items()) if code not in gaps]
    return rows


@dataclass(frozen=True)
class Signer:
    name: str
    role: str  # in words; "former member" once they left the organisation
    at: dt.datetime | None


@dataclass(frozen=True)
class SignOff:
    prepared_by: list  # reports.people.Participant, most answers first
    sent: Signer | None  # None: not sent for review
    approved: Signer | None  # None: not approved
    statement: str  # the attestation the reviewer confirmed, as recorded


def _signer(user, at, members) -> Signer | None:
    if user is None or at is None:
        return None
    member = members.get(user.username)
    role = role_label(member) if member is not None else gettext("former member")
    return Signer(person_name(user), role, at)


def sign_off(assessment, prepared_by, members) -> SignOff:
    """``members``: username → Membership of the organisation, for the sender and the approver."""
    return SignOff(
        prepared_by=prepared_by,
        sent=_signer(assessment.submitted_by, assessment.submitted_at, members),
        approved=_signer(assessment.approved_by, assessment.approved_at, members),
        statement=assessment.attestation,
    )
