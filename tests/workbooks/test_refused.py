"""Every kind of bad workbook is refused with a clear error, and changes nothing."""

import io
import zipfile

import pytest
from django.core import signing

from assessments.models import Answer
from assessments.selectors import assessment_record
from assessments.services import assessment_create
from assessments.workbooks import layout
from governance.models import Instrument
from tests.workbooks.helpers import download, open_book, row_of, save_book, upload


def refused(client, cast, assessment, raw, says):
    answers = list(Answer.objects.values_list("id", "version"))
    response = upload(client, cast.editor, assessment, raw)
    assert response.status_code == 400, response.status_code
    errors = " ".join(response.context["form"].errors["file"])
    assert says in errors, errors
    assert "workbooks" not in client.session
    assert list(Answer.objects.values_list("id", "version")) == answers
    return errors


@pytest.fixture
def book(client, cast, assessment):
    return open_book(download(client, cast.editor, assessment))


def first_code(assessment):
    return assessment_record(assessment=assessment).items[0].code


def test_not_a_workbook(client, cast, assessment):
    refused(client, cast, assessment, b"code,answer\nACC-01,yes\n", "not an .xlsx workbook")
    refused(client, cast, assessment, b"PK\x03\x04broken", "not an .xlsx workbook")


def test_a_zip_that_is_not_a_workbook(client, cast, assessment):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    refused(client, cast, assessment, out.getvalue(), "not an .xlsx workbook")


def test_a_broken_workbook(client, cast, assessment):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<not-xml")
    refused(client, cast, assessment, out.getvalue(), "cannot be read")


def test_oversized(client, cast, assessment):
    refused(client, cast, assessment, b"PK" + b"\0" * (layout.MAX_BYTES + 10), "larger than 5 MB")


def test_a_zip_bomb(client, cast, assessment, book):
    """A small file that unpacks to far more: refused from the declared sizes, before inflating."""
    raw = io.BytesIO(save_book(book))
    with zipfile.ZipFile(raw, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (layout.MAX_UNPACKED + 1))
    assert len(raw.getvalue()) < 200_000
    refused(client, cast, assessment, raw.getvalue(), "would unpack to more than 40 MB")


def test_a_workbook_without_its_hidden_sheet(client, cast, assessment, book):
    del book[layout.META_SHEET]
    refused(client, cast, assessment, save_book(book), "its hidden sheet is missing")


@pytest.mark.parametrize("edit", ["signature", "assessment-row", "forged"])
def test_an_edited_hidden_sheet(client, cast, assessment, book, edit):
    meta = book[layout.META_SHEET]
    if edit == "signature":
        cell = next(r[1] for r in meta.iter_rows() if r[0].value == "signature")
        cell.value = cell.value[:-3] + "abc"
    elif edit == "assessment-row":
        # The readable rows say nothing the reader trusts: only the signed record counts. Changing
        # the visible version of an item makes no difference; but signing a new record needs the key.
        cell = next(r[1] for r in meta.iter_rows() if r[0].value == "signature")
        payload = signing.loads(cell.value, salt=layout.SALT)
        payload["items"] = {code: [99, fp] for code, (_, fp) in payload["items"].items()}
        cell.value = signing.dumps(payload, salt="not-the-salt", compress=True)
    else:
        cell = next(r[1] for r in meta.iter_rows() if r[0].value == "signature")
        cell.value = signing.dumps({"schema": layout.SCHEMA}, key="a-guessed-key", salt=layout.SALT)
    refused(client, cast, assessment, save_book(book), "hidden sheet was changed")


def test_another_assessments_workbook(client, cast, assessment):
    other = assessment_create(
        membership=cast.membership(cast.owner),
        title="Other",
        scope="x",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH"]),
    )
    raw = download(client, cast.editor, other)
    refused(client, cast, assessment, raw, "belongs to another assessment")


def test_another_release(client, cast, assessment, book):
    from governance.models import LibraryRelease

    raw = save_book(book)
    newer = LibraryRelease.objects.create(version="2099.1", date="2099-01-01", notes="x")
    type(assessment).objects.filter(pk=assessment.pk).update(release=newer)
    refused(client, cast, assessment, raw, "downloaded for library release")


def test_unknown_item_codes(client, cast, assessment, book):
    row = row_of(book, first_code(assessment))
    row[0].value = "ZZZ-99"
    refused(client, cast, assessment, save_book(book), "ZZZ-99): not an item of this assessment")


def test_an_item_twice(client, cast, assessment, book):
    code = first_code(assessment)
    sheet = row_of(book, code)[0].parent
    sheet.append([code, "", "", "Yes"])
    refused(client, cast, assessment, save_book(book), "appears twice")


def test_an_answer_without_a_code(client, cast, assessment, book):
    sheet = row_of(book, first_code(assessment))[0].parent
    sheet.append(["", "", "", "Yes"])
    refused(client, cast, assessment, save_book(book), "an answer without an item code")


@pytest.mark.parametrize(
    "answer, justification, urls, says",
    [
        ("Maybe", "", "", "“Maybe” is not an answer"),
        ("Partially", "", "", "a justification is required"),
        ("Yes", "", "javascript:alert(1)", "Not an http(s) URL"),
        ("Yes", "j" * 5001, "", "at most 5,000 characters"),
        ("Yes", "", "\n".join(f"https://e.example/{n}" for n in range(21)), "At most 20 evidence URLs"),
    ],
)
def test_answers_that_break_the_rules(client, cast, assessment, book, answer, justification, urls, says):
    row = row_of(book, first_code(assessment))
    row[3].value, row[4].value, row[5].value = answer, justification, urls
    refused(client, cast, assessment, save_book(book), says)


def test_one_bad_row_refuses_the_whole_workbook(client, cast, assessment, book):
    codes = [i.code for i in assessment_record(assessment=assessment).items[:2]]
    row_of(book, codes[0])[3].value = "Yes"
    row_of(book, codes[1])[3].value = "Partially"
    errors = refused(client, cast, assessment, save_book(book), codes[1])
    assert codes[0] not in errors


def test_uploaded_formulas_are_text(client, cast, assessment, book):
    code = first_code(assessment)
    row = row_of(book, code)
    row[3].value, row[4].value = "No", '=HYPERLINK("https://evil.example","click")'
    response = upload(client, cast.editor, assessment, save_book(book))
    assert response.status_code == 200
    [change] = response.context["plan"].changes
    assert change.row.justification == '=HYPERLINK("https://evil.example","click")'
    for prefix in "+-@":
        row[4].value = prefix + "1"
        response = upload(client, cast.editor, assessment, save_book(book))
        assert response.context["plan"].changes[0].row.justification == prefix + "1"
