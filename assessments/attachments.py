"""Private downloads: how they are named and that they are not cached. Every download view
(exports, reports, evidence files) goes through here, so the rule lives in one place."""

import os
from urllib.parse import quote

from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.cache import cache_control

# Exports, reports and evidence hold an organisation's answers: no shared cache (a proxy, a
# CDN) may keep them, and no browser may keep them on disk after the page is closed.
private_download = cache_control(private=True, no_store=True)

# Each part of a name at most this long, so a name stays well within 255 bytes.
PART = 60


def _slug(text, allow_unicode):
    return slugify(text, allow_unicode=allow_unicode)[:PART].strip("-")


def _attachment(ascii_name: str, unicode_name: str) -> str:
    """``filename=`` for every client, and ``filename*=`` (RFC 6266) with the name in full when
    it is not the ASCII one. Both are slugs or percent-encoded: nothing breaks out of the header."""
    header = f'attachment; filename="{ascii_name}"'
    if unicode_name != ascii_name:
        header += f"; filename*=UTF-8''{quote(unicode_name)}"
    return header


def assessment_attachment(assessment, extension: str, when=None, *, label: str = "", language: str = "") -> str:
    """The Content-Disposition of a download of ``assessment``: "<organisation>-<title>[-date]".

    A title that leaves nothing in ASCII (Chinese, say) is "assessment-<short id>" in the ASCII
    name, so that it never comes out as "-.csv"; the Unicode name beside it keeps the title.
    """
    date = f"-{when:%Y-%m-%d}" if when is not None else ""
    fallback = f"assessment-{assessment.code.hex[:8]}"

    def name(allow_unicode):
        parts = [_slug(assessment.organisation.name, allow_unicode), _slug(assessment.title, allow_unicode) or fallback]
        # A report's name says what it is, in its language, and ends with the language's code.
        parts.append(_slug(label, allow_unicode))
        tail = f"-{language}" if language else ""
        return "-".join(part for part in parts if part) + date + tail + f".{extension}"

    return _attachment(name(False), name(True))


def file_attachment(name: str, fallback_stem: str) -> str:
    """The Content-Disposition of an uploaded file: its own name, as Django writes it when that
    is ASCII; otherwise the name in ``filename*=`` and an ASCII one beside it, made from its
    stem (or ``fallback_stem`` when nothing of it is ASCII) and its extension."""
    if name.isascii():
        return content_disposition_header(True, name)
    stem, extension = os.path.splitext(name)
    extension = _slug(extension.lstrip("."), False)
    ascii_name = (_slug(stem, False) or fallback_stem) + (f".{extension}" if extension else "")
    return _attachment(ascii_name, name)
