"""Render the report to PDF bytes, with nothing fetched from outside.

A long report is cut into parts at its top-level sections, and the parts are rendered at once
by a pool of processes (``assessments.reports.parallel``), then merged. Each part starts a new
page, and so does the same place when the report renders in one process (the fallback, and
every short report), so both ways print the same pages.
"""

import gc
import logging
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from assessments.reports.fetcher import ALLOWED_ROOT, BASE_URL, SafeURLFetcher
from assessments.reports.fonts import cjk_characters, font_face_css

logger = logging.getLogger(__name__)

TEMPLATE = "report/report.html"
# A part leaves the page numbers to the merge, which alone knows the total.
UNNUMBERED = "@page { @bottom-right { content: none; } }"


@lru_cache(maxsize=1)
def base_stylesheet():
    """The print stylesheet, parsed once per process."""
    path = ALLOWED_ROOT / "report.css"
    return CSS(string=Path(path).read_text(encoding="utf-8"), base_url=BASE_URL, url_fetcher=SafeURLFetcher())


@lru_cache(maxsize=1)
def unnumbered_stylesheet():
    return CSS(string=UNNUMBERED)


def render_html(context) -> str:
    return render_to_string(TEMPLATE, context)


_pause_lock = threading.Lock()
_pause = {"depth": 0, "was_enabled": False}


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for the length of a render.

    WeasyPrint allocates hundreds of thousands of boxes, styles and layouts per report, and the
    collector's passes over them took about a fifth of the render time in bench/report.py.
    Reference counting still frees nearly everything as it goes; the few cycles wait until the
    collector resumes (peak memory rose by about a tenth).

    The collector is process-wide, so renders on several threads share one pause: the first in
    turns it off, and the last out restores what the first found.
    """
    with _pause_lock:
        if _pause["depth"] == 0:
            _pause["was_enabled"] = gc.isenabled()
            gc.disable()
        _pause["depth"] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause["depth"] -= 1
            if _pause["depth"] == 0 and _pause["was_enabled"]:
                gc.enable()


PDF_VARIANT = "pdf/ua-1"


def document_inputs(html: str, numbered: bool, faces: str | None = None):
    """WeasyPrint's document, stylesheets and fonts for ``html``. ``faces`` is the @font-face
    CSS of the CJK subset (fonts.font_face_css), made from ``html`` when not given."""
    font_config = FontConfiguration()
    stylesheets = [base_stylesheet()]
    if not numbered:
        stylesheets.append(unnumbered_stylesheet())
    if faces is None:
        faces = font_face_css(cjk_characters(html))
    if faces:
        stylesheets.append(CSS(string=faces, font_config=font_config, url_fetcher=SafeURLFetcher()))
    return HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()), stylesheets, font_config


def render_document(html: str, *, numbered: bool = True):
    """The laid-out WeasyPrint document, whose pages' boxes the tests inspect (split rows,
    stranded headings) before writing the same document as PDF."""
    document, stylesheets, font_config = document_inputs(html, numbered)
    with collector_paused():
        return document.render(stylesheets=stylesheets, font_config=font_config, pdf_variant=PDF_VARIANT)


def write_pdf(html: str, *, numbered: bool = True, tagged: bool = True, faces: str | None = None) -> bytes:
    """One WeasyPrint document: the whole report, or one part of it (``numbered=False``).

    Tagged, PDF/UA-1: a tagged PDF (headings, paragraphs, tables and links in a structure tree)
    with the document language from ``<html lang>`` and XMP metadata (title, author = the
    organisation, creation = the issue date) from the head. A part is rendered untagged
    (``tagged=False``): the merge cannot join the parts' structure trees, and a tree that
    covered only the first part's pages would claim what the merged PDF is not.
    """
    document, stylesheets, font_config = document_inputs(html, numbered, faces)
    with collector_paused():
        return document.write_pdf(
            stylesheets=stylesheets, font_config=font_config, pdf_variant=PDF_VARIANT if tagged else None
        )


# --- parts -----------------------------------------------------------------------------------

SECTION = re.compile(r"(?=<section\b)")
SECTION_TAG = re.compile(r"^<section\b([^>]*)>")
BODY = re.compile(r"<body\b[^>]*>")


# A document that refers to its own pages (a contents page, "see page 12") renders in one
# piece: a part cannot know the page numbers of the others, and the merge cannot rebuild a
# tagged PDF's structure tree from the parts' trees. See docs/report.md for what this costs.
CROSS_REFERENCE_MARK = 'data-cross-references="1"'
# Parts per process of the pool. Sections differ in cost for their length (a chart, a table,
# Chinese text). With one part per process, the slower part set the time while the other
# process waited. The pool hands each part to whichever process is free, so smaller parts even
# the load, and in all they cost little more (CPU seconds, full library: 2.81 and 2.13 in two
# parts; 1.65, 1.17, 1.34 and 0.88 in four).
PARTS_PER_PROCESS = 2


def part_count(html: str) -> int:
    """How many parts ``html`` is cut into with the current settings."""
    processes = settings.REPORT_RENDER_PROCESSES
    if processes <= 1 or len(html) < settings.REPORT_PARALLEL_MIN_CHARS or CROSS_REFERENCE_MARK in html[:4000]:
        return 1
    return processes * PARTS_PER_PROCESS


def split_parts(html: str, parts: int) -> tuple[str, list[str]]:
    """``html`` marked where its parts begin, and the parts as documents of their own.

    Cuts fall between top-level sections (user text is escaped, so ``<section`` is only ever
    the template's), balanced by length; every part has the head and the body's attributes,
    which carry the running stamp and footer. Returns ``(html, [html])`` for one part.
    """
    if parts <= 1:
        return html, [html]
    body_tag = BODY.search(html)
    end = html.rindex("</body>")
    head, body, tail = html[: body_tag.end()], html[body_tag.end() : end], html[end:]
    chunks = SECTION.split(body)
    if not chunks[0].startswith("<section"):
        lead = chunks.pop(0)
        chunks[0] = lead + chunks[0] if chunks else lead
    if len(chunks) < 2:
        return html, [html]
    total = sum(map(len, chunks))
    groups, done = [[chunks[0]]], len(chunks[0])
    for chunk in chunks[1:]:
        if len(groups) < parts and done >= total * len(groups) / parts:
            groups.append([_mark_part_start(chunk)])
        else:
            groups[-1].append(chunk)
        done += len(chunk)
    whole = head + "".join(c for group in groups for c in group) + tail
    return whole, [head + "".join(group) + tail for group in groups]


def _mark_part_start(chunk: str) -> str:
    match = SECTION_TAG.match(chunk)
    attrs = match.group(1)
    if 'class="' in attrs:
        attrs = attrs.replace('class="', 'class="part-start ', 1)
    else:
        attrs += ' class="part-start"'
    return f"<section{attrs}>" + chunk[match.end() :]


def html_to_pdf(html: str, *, parallel: bool | None = None) -> bytes:
    """The report's PDF: in parts on the process pool when it is long enough and the pool
    works, else in this process. ``parallel=False`` forces one process (the same pages)."""
    whole, parts = split_parts(html, part_count(html))
    if len(parts) > 1 and parallel is not False:
        from assessments.reports import parallel as pool

        try:
            return pool.render_parts(parts)
        except Exception:
            # The pool is a speed-up, never a requirement: the same pages, in one process.
            logger.exception("Rendering the report in parts failed; rendering it in one process.")
    return write_pdf(whole)


def render_pdf(context, *, parallel: bool | None = None) -> bytes:
    return html_to_pdf(render_html(context), parallel=parallel)
