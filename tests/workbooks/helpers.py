import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import as_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, user, assessment):
    response = as_user(client, user).get(reverse("workbook", args=[assessment.code]))
    assert response.status_code == 200
    return response.content


def open_book(raw, **kwargs):
    return load_workbook(io.BytesIO(raw), **kwargs)


def save_book(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(book, code):
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == code:
                return row
    raise KeyError(code)


def upload(client, user, assessment, raw, name="answers.xlsx"):
    return as_user(client, user).post(
        reverse("workbook-upload", args=[assessment.code]), {"file": SimpleUploadedFile(name, raw, content_type=XLSX)}
    )


def confirm(client, assessment, token, replace=False):
    data = {"token": token, **({"replace": "yes"} if replace else {})}
    return client.post(reverse("workbook-confirm", args=[assessment.code]), data)
