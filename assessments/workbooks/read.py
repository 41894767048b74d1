"""Reading an uploaded workbook: checked completely before anything is planned or saved.

Refused with a message a person can act on: a file that is too large, not an .xlsx, a zip that
would unpack to too much (a zip bomb), a workbook of another assessment or an older library
release, a hidden sheet that was edited (its signature no longer matches), codes that are not
the assessment's items, and answers that break the forms' rules. A cell that starts with
``=``, ``+``, ``-`` or ``@`` is text like any other: formulas are read as the characters typed,
never evaluated.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from openpyxl import load_workbook

from assessments.services.rules import answer_clean
from assessments.workbooks import layout
from assessments.workbooks.state import digest


class WorkbookRejected(ValueError):
    """The upload is refused; the message says why, and nothing was changed."""


@dataclass(frozen=True)
class Row:
    code: str
    choice: str
    justification: str
    evidence_urls: tuple[str, ...]
    base_version: int  # the answer's version when the workbook was downloaded
    edited: bool  # differs from the answer as downloaded


@dataclass(frozen=True)
class WorkbookData:
    assessment: str
    release: str | None
    rows: tuple[Row, ...]


def _check_zip(raw: bytes) -> None:
    if len(raw) > layout.MAX_BYTES:
        raise WorkbookRejected(
            gettext("The file is larger than %(size)d MB.") % {"size": layout.MAX_BYTES // (1024 * 1024)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WorkbookRejected(
            gettext("The file is not an .xlsx workbook. Upload the workbook downloaded here.")
        ) from None
    members = archive.infolist()
    if len(members) > layout.MAX_MEMBERS:
        raise WorkbookRejected(gettext("The workbook holds too many parts to be one downloaded here."))
    if sum(m.file_size for m in members) > layout.MAX_UNPACKED:
        raise WorkbookRejected(
            gettext("The workbook would unpack to more than %(size)d MB, far more than any assessment needs.")
            % {"size": layout.MAX_UNPACKED // (1024 * 1024)}
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise WorkbookRejected(gettext("The file is not an .xlsx workbook. Upload the workbook downloaded here."))


def _open(raw: bytes):
    try:
        # Not data_only: a formula is read as its text and kept as text, never as a result.
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception:
        raise WorkbookRejected(gettext("The workbook cannot be read. Save it again as an .xlsx workbook.")) from None


def _signed(workbook) -> dict:
    if layout.META_SHEET not in workbook.sheetnames:
        raise WorkbookRejected(gettext("The workbook was not downloaded from this app: its hidden sheet is missing."))
    sheet = workbook[layout.META_SHEET]
    signature = None
    for row in sheet.iter_rows(min_row=1, max_row=10, max_col=2, values_only=True):
        if row and row[0] == "signature":
            signature = row[1]
    try:
        payload = signing.loads(str(signature or ""), salt=layout.SALT)
    except signing.BadSignature:
        raise WorkbookRejected(
            gettext(
                "The workbook's hidden sheet was changed, so the download it came from cannot be trusted. "
                "Download the workbook again and copy your answers into it."
            )
        ) from None
    if not isinstance(payload, dict) or payload.get("schema") != layout.SCHEMA or payload.get("v") != layout.VERSION:
        raise WorkbookRejected(gettext("This workbook is of a format this app no longer reads. Download it again."))
    return payload


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def read(raw: bytes, *, assessment_code: str, release: str | None) -> WorkbookData:
    """Check an uploaded workbook against the assessment it is uploaded to, or WorkbookRejected."""
    _check_zip(raw)
    workbook = _open(raw)
    try:
        payload = _signed(workbook)
        if payload["assessment"] != assessment_code:
            raise WorkbookRejected(
                gettext("This workbook belongs to another assessment. Upload it on that assessment's page.")
            )
        if payload["release"] != release:
            raise WorkbookRejected(
                gettext(
                    "This workbook was downloaded for library release %(downloaded)s; the assessment now uses "
                    "%(current)s. Download the workbook again."
                )
                % {"downloaded": payload["release"] or "—", "current": release or "—"}
            )
        downloaded = payload["items"]
        rows, errors, seen, count = [], [], set(), 0
        for name in workbook.sheetnames:
            if name in (layout.META_SHEET, layout.RESULTS_SHEET, layout.ABOUT_SHEET):
                continue
            sheet = workbook[name]
            for number, cells in enumerate(
                sheet.iter_rows(min_row=layout.FIRST_ROW, max_col=layout.EVIDENCE, values_only=True),
                start=layout.FIRST_ROW,
            ):
                count += 1
                if count > layout.MAX_ROWS:
                    raise WorkbookRejected(
                        gettext("The workbook has more than %(count)d rows of answers.") % {"count": layout.MAX_ROWS}
                    )
                cells = tuple(cells) + (None,) * (layout.EVIDENCE - len(cells))
                code = _text(cells[layout.CODE - 1]).strip()
                rest = [_text(c) for c in cells[layout.ANSWER - 1 :]]
                if not code:
                    if any(v.strip() for v in rest):
                        errors.append(
                            gettext("Sheet “%(sheet)s”, row %(row)d: an answer without an item code.")
                            % {"sheet": name, "row": number}
                        )
                    continue
                where = {"sheet": name, "row": number, "code": code[:16]}
                if code not in downloaded:
                    errors.append(
                        gettext("Sheet “%(sheet)s”, row %(row)d (%(code)s): not an item of this assessment's workbook.")
                        % where
                    )
                    continue
                if code in seen:
                    errors.append(gettext("Sheet “%(sheet)s”, row %(row)d (%(code)s): the item appears twice.") % where)
                    continue
                seen.add(code)
                word, justification, urls = rest
                choice = layout.CHOICE_OF.get(word.strip().casefold())
                if choice is None:
                    errors.append(
                        gettext(
                            "Sheet “%(sheet)s”, row %(row)d (%(code)s): “%(word)s” is not an answer. "
                            "Choose Yes, Partially, No or Not applicable."
                        )
                        % {**where, "word": word[:20]}
                    )
                    continue
                try:
                    clean = answer_clean(choice=choice, justification=justification, evidence_urls=urls.splitlines())
                except ValidationError as exc:
                    errors.append(
                        gettext("Sheet “%(sheet)s”, row %(row)d (%(code)s): %(reasons)s")
                        % {**where, "reasons": " ".join(exc.messages)}
                    )
                    continue
                version, fingerprint = downloaded[code]
                rows.append(
                    Row(
                        code=code,
                        choice=clean.choice,
                        justification=clean.justification,
                        evidence_urls=tuple(clean.evidence_urls),
                        base_version=version,
                        edited=digest(clean.choice, clean.justification, clean.evidence_urls) != fingerprint,
                    )
                )
    finally:
        workbook.close()
    if errors:
        shown = errors[:20]
        if len(errors) > 20:
            more = len(errors) - 20
            shown.append(ngettext("And %(count)d more.", "And %(count)d more.", more) % {"count": more})
        raise WorkbookRejected(
            gettext("Nothing was read from the workbook: %(reasons)s") % {"reasons": " ".join(shown)}
        )
    return WorkbookData(assessment=payload["assessment"], release=payload["release"], rows=tuple(rows))
