"""Writing an assessment as an .xlsx workbook.

Every cell that holds text is written as text, never as a formula: a justification that starts
with ``=`` stays those characters in every spreadsheet program (formula injection). The hidden
sheet carries a signed record of the assessment, its library release and each item's answer
version and content, so an upload can be matched to its download and any edit of it refused.
"""

from __future__ import annotations

import io

from django.core import signing
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from assessments.labels import band_word as band_label
from assessments.labels import choice_word as choice_label
from assessments.results import Results
from assessments.workbooks import layout
from assessments.workbooks.state import digest

WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
EDITABLE = PatternFill("solid", fgColor="FFF8E1")
UNLOCKED = Protection(locked=False)
WIDTHS = {"A": 10, "B": 60, "C": 60, "D": 16, "E": 50, "F": 45}


def _text(cell, value) -> None:
    """Put ``value`` in ``cell`` as a string, whatever it starts with."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def build(assessment, results: Results) -> bytes:
    record = results.record
    workbook = Workbook()
    about = workbook.active
    about.title = layout.ABOUT_SHEET
    _about(about, assessment, record)
    items = {}
    for section in record.sections:
        sheet = workbook.create_sheet(layout.sheet_name(section.theme.code, section.theme.name))
        _section(sheet, section)
        for item in section.items:
            answer = item.answer
            state = (answer.choice, answer.justification, answer.evidence_urls) if answer else ("", "", ())
            items[item.code] = [answer.version if answer else 0, digest(*state)]
    _results(workbook.create_sheet(layout.RESULTS_SHEET), results, assessment)
    meta = workbook.create_sheet(layout.META_SHEET)
    meta.sheet_state = "hidden"
    payload = {
        "schema": layout.SCHEMA,
        "v": layout.VERSION,
        "assessment": str(assessment.code),
        "release": record.release,
        "items": items,
    }
    rows = [
        ("schema", layout.SCHEMA),
        ("version", layout.VERSION),
        ("assessment", str(assessment.code)),
        ("library release", record.release or ""),
        ("signature", signing.dumps(payload, salt=layout.SALT, compress=True)),
        ("item", "answer version"),
        *((code, version) for code, (version, _) in items.items()),
    ]
    for row in rows:
        meta.append(row)
    for row in meta.iter_rows():
        for cell in row:
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _about(sheet, assessment, record) -> None:
    lines = [
        (assessment.title, BOLD),
        (f"Scope: {assessment.scope}", None),
        (f"Organisation: {assessment.organisation.name}", None),
        (f"Library release: {record.release or 'none'}", None),
        ("", None),
        ("Answer each section on its own sheet: choose an answer in the yellow column from the list,", None),
        ("and add a justification (required for Partially and Not applicable) and evidence URLs.", None),
        ("Then upload the workbook on the assessment's page: you will see what changes before it is saved.", None),
        ("Do not rename the sheets or change the codes; the hidden sheet identifies this download.", None),
    ]
    for text, font in lines:
        sheet.append([text])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.data_type = "s"
        if font:
            cell.font = font
    sheet.column_dimensions["A"].width = 100


def _section(sheet, section) -> None:
    sheet.append(layout.HEADER)
    for cell in sheet[1]:
        cell.font = BOLD
    for n, item in enumerate(section.items, start=layout.FIRST_ROW):
        answer = item.answer
        values = [
            item.code,
            item.question,
            item.guidance,
            choice_label(answer.choice) if answer and answer.choice else "",
            answer.justification if answer else "",
            "\n".join(answer.evidence_urls) if answer else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=n, column=column)
            _text(cell, value)
            cell.alignment = WRAP
            if column >= layout.ANSWER:
                cell.fill = EDITABLE
                cell.protection = UNLOCKED
        sheet.row_dimensions[n].height = _height(values)
    last = layout.FIRST_ROW + len(section.items) - 1
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(layout.ANSWER_WORDS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not an answer",
        error="Choose Yes, Partially, No or Not applicable, or leave the cell empty.",
    )
    sheet.add_data_validation(choices)
    if last >= layout.FIRST_ROW:
        choices.add(f"D{layout.FIRST_ROW}:D{last}")
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "B2"
    _print_wide(sheet)
    # The codes and questions are locked against slips; no password: this is no security.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _height(values) -> float:
    """A row's height in points for its longest wrapped cell: spreadsheet programs do not all
    fit rows to wrapped text when they open a file, and overlapping text reads badly."""
    lines = 1
    for value, width in zip(values, WIDTHS.values(), strict=True):
        text = str(value or "")
        wrapped = sum(max(1, -(-len(part) // max(1, width - 2))) for part in text.split("\n"))
        lines = max(lines, wrapped)
    return min(409, 15 * lines)  # 409 points: Excel's tallest row


def _print_wide(sheet) -> None:
    """Printed, a sheet fits the page's width in landscape, its header on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _results(sheet, results: Results, assessment) -> None:
    sheet.append(["Instrument", "Title", "Score (%)", "Evidenced (%)", "Coverage (%)", "Band"])
    for cell in sheet[1]:
        cell.font = BOLD
    for row in results.instrument_rows:
        score = row.score.as_dict()
        sheet.append(
            [
                row.instrument.code,
                row.instrument.title_en,
                score["score"],
                score["evidenced"],
                score["coverage"],
                band_label(score["band"]),
            ]
        )
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.append([])
    if assessment.is_final:
        note = gettext("Approved: these scores are final.")
    elif assessment.in_review:
        note = gettext("In review: the answers are frozen, but the scores are final only once approved.")
    else:
        note = "Provisional: the assessment is a draft."
    sheet.append([note])
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 95
    for column in "CDEF":
        sheet.column_dimensions[column].width = 14
    _print_wide(sheet)
