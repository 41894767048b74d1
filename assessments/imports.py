"""Answers that travel: start a new draft from an assessment's JSON export.

The export (docs/export-format.md) is parsed and checked in full before anything is written;
a preview lists what will be filled and what will be skipped; only then does
``import_apply`` create the draft, in one transaction.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from assessments.exports import EXPORT_SCHEMA, EXPORT_VERSION
from assessments.forms import MAX_EVIDENCE_URLS, MAX_JUSTIFICATION
from assessments.models import Choice
from assessments.selectors import checklist_items
from assessments.services import AnswerInput, answers_save, assessment_create
from governance.models import ChecklistItem, Instrument

MAX_IMPORT_BYTES = 5 * 1024 * 1024
_url = URLValidator(schemes=["http", "https"])


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
        raise ImportRejected(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError and numbers too long to convert; RecursionError,
        # nesting too deep to parse. Neither can be an export of ours.
        raise ImportRejected(f"The file is not valid JSON ({exc.__class__.__name__}).") from None
    if not isinstance(data, dict) or data.get("schema") != EXPORT_SCHEMA:
        raise ImportRejected(
            f"The file is not an assessment export from this app (its schema is not {EXPORT_SCHEMA!r})."
        )
    if data.get("schema_version") != EXPORT_VERSION:
        raise ImportRejected(
            f"Export schema version {data.get('schema_version')!r} is not supported "
            f"(this app reads version {EXPORT_VERSION})."
        )
    assessment = data.get("assessment")
    instruments = data.get("instruments")
    items = data.get("items")
    if not isinstance(assessment, dict) or not isinstance(instruments, list) or not isinstance(items, list):
        raise ImportRejected("The export is missing its assessment, instruments or items.")
    codes = [i.get("code") for i in instruments if isinstance(i, dict)]
    if len(codes) != len(instruments) or not all(isinstance(c, str) and c for c in codes):
        raise ImportRejected("Every instrument in the export needs a code.")
    answers, seen = [], set()
    for n, item in enumerate(items, start=1):
        answers_of_item = _check_item(n, item)
        if answers_of_item.code in seen:
            raise ImportRejected(f"Item {answers_of_item.code} appears twice.")
        seen.add(answers_of_item.code)
        if answers_of_item.choice:
            answers.append(answers_of_item)
    title = assessment.get("title") if isinstance(assessment.get("title"), str) else ""
    if "\x00" in title or any("\x00" in c for c in codes):
        raise ImportRejected("The export's title or instrument codes contain NUL characters.")
    return ImportData(title=title[:200], instruments=codes, answers=answers)


def _check_item(n, item):
    if not isinstance(item, dict) or not isinstance(item.get("code"), str) or not item["code"]:
        raise ImportRejected(f"Item {n} has no code.")
    code = item["code"][:16]
    choice = item.get("answer", "")
    justification = item.get("justification", "")
    urls = item.get("evidence_urls", [])
    if choice not in ["", *Choice.values]:
        raise ImportRejected(f"Item {code}: the answer {str(choice)[:20]!r} is not yes, partial, no, na or empty.")
    if not isinstance(justification, str) or len(justification) > MAX_JUSTIFICATION:
        raise ImportRejected(f"Item {code}: the justification must be text of at most {MAX_JUSTIFICATION} characters.")
    if choice in (Choice.PARTIAL, Choice.NOT_APPLICABLE) and not justification.strip():
        raise ImportRejected(f"Item {code}: Partially and Not applicable need a justification.")
    if not isinstance(urls, list) or len(urls) > MAX_EVIDENCE_URLS:
        raise ImportRejected(f"Item {code}: evidence_urls must be a list of at most {MAX_EVIDENCE_URLS} URLs.")
    if "\x00" in justification or any(isinstance(u, str) and "\x00" in u for u in urls):
        # PostgreSQL text columns cannot hold NUL; the answer form refuses it too.
        raise ImportRejected(f"Item {code}: the text contains NUL characters.")
    for url in urls:
        try:
            _url(url)
        except (ValidationError, TypeError):
            raise ImportRejected(f"Item {code}: {str(url)[:80]!r} is not an http(s) URL.") from None
    return ImportedAnswer(code, choice, justification, list(urls))


@dataclass
class ImportPlan:
    instruments: list  # Instrument objects the new draft will cover
    unknown_instruments: list  # codes in the export that are unknown or retired here
    fill: list = field(default_factory=list)  # ImportedAnswer
    skipped: list = field(default_factory=list)  # (code, reason)


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
            plan.skipped.append((answer.code, "retired from the library"))
        else:
            plan.skipped.append(
                (answer.code, "not on this checklist (unknown item, or it serves none of the instruments)")
            )
    return plan


@transaction.atomic
def import_apply(*, membership, plan: ImportPlan, title: str, scope: str):
    if not plan.instruments:
        raise ImportRejected("None of the export's instruments is in this library.")
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
    return assessment
