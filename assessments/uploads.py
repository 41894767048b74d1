"""Checks that an uploaded evidence file is what its name says, by its content."""

import zipfile
from pathlib import PurePath

from django.utils.translation import gettext

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
ALLOWED = ", ".join(sorted({s.lstrip(".").upper() for s in CONTENT_TYPES} - {"JPEG"}))


class UploadRejected(ValueError):
    pass


def check_upload(upload):
    """Return the content type to store for ``upload``, or raise UploadRejected."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise UploadRejected(
            gettext("%(name)s: only %(types)s files are accepted.") % {"name": upload.name, "types": ALLOWED}
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadRejected(gettext("%(name)s: files may be at most 10 MB.") % {"name": upload.name})
    head = _read_head(upload)
    if not _content_matches(suffix, head, upload):
        raise UploadRejected(
            gettext("%(name)s: the content is not a %(type)s file.")
            % {"name": upload.name, "type": suffix.lstrip(".").upper()}
        )
    return CONTENT_TYPES[suffix]


def _read_head(upload, size=8192):
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _content_matches(suffix, head, upload):
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix in (".docx", ".xlsx"):
        return head.startswith(b"PK\x03\x04") and _zip_has(
            upload, "word/document.xml" if suffix == ".docx" else "xl/workbook.xml"
        )
    # CSV and TXT: text, no NUL bytes, decodable as UTF-8 (a cut multi-byte tail is fine).
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3
    return True


def _zip_has(upload, member):
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
