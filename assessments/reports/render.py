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


@lru_cache(maxsize=1)
def base_stylesheet():
    """The print stylesheet, parsed once per process."""
    path = ALLOWED_ROOT / "report.css"
    return CSS(string=Path(path).read_text(encoding="utf-8"), base_url=BASE_URL, url_fetcher=SafeURLFetcher())


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


def document_inputs(html: str, faces: str | None = None, part_css: str | None = None):
    """WeasyPrint's document, stylesheets and fonts for ``html``. ``faces`` is the @font-face
    CSS of the CJK subset (fonts.font_face_css), made from ``html`` when not given;
    ``part_css`` is what a part of the report adds (parallel.part_css: its page numbers)."""
    font_config = FontConfiguration()
    stylesheets = [base_stylesheet()]
    if part_css:
        stylesheets.append(CSS(string=part_css))
    if faces is None:
        faces = font_face_css(cjk_characters(html))
    if faces:
        stylesheets.append(CSS(string=faces, font_config=font_config, url_fetcher=SafeURLFetcher()))
    return HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()), stylesheets, font_config


def render_document(html: str, *, faces: str | None = None, part_css: str | None = None, tagged: bool = True):
    """The laid-out WeasyPrint document: the whole report, or one part of it (``part_css``).
    The tests inspect its pages' boxes (split rows, stranded headings); the parts' renderer
    reads where their anchors fell before writing it."""
    document, stylesheets, font_config = document_inputs(html, faces, part_css)
    with collector_paused():
        return document.render(
            stylesheets=stylesheets, font_config=font_config, pdf_variant=PDF_VARIANT if tagged else None
        )


def write_pdf(html: str) -> bytes:
    """The whole report as one WeasyPrint document.

    Tagged, PDF/UA-1: a tagged PDF (headings, paragraphs, tables and links in a structure tree)
    with the document language from ``<html lang>`` and XMP metadata (title, author = the
    organisation, creation = the issue date) from the head.
    """
    document = render_document(html)
    with collector_paused():
        return document.write_pdf(pdf_variant=PDF_VARIANT)


# --- parts -----------------------------------------------------------------------------------

SECTION = re.compile(r"(?=<section\b)")
SECTION_TAG = re.compile(r"^<section\b([^>]*)>")
BODY = re.compile(r"<body\b[^>]*>")

# Parts per process of the pool. Sections differ in cost for their length (a chart, a table,
# Chinese text). With one part per process, the slower part set the time while the other
# process waited. The pool hands each part to whichever process is free, so smaller parts even
# the load, and in all they cost little more (CPU seconds, full library: 2.81 and 2.13 in two
# parts; 1.65, 1.17, 1.34 and 0.88 in four).
PARTS_PER_PROCESS = 2


def part_count(html: str) -> int:
    """How many parts ``html`` is cut into with the current settings."""
    processes = settings.REPORT_RENDER_PROCESSES
    if processes <= 1 or len(html) < settings.REPORT_PARALLEL_MIN_CHARS:
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
    starts = _cuts([len(c) for c in chunks], parts)
    groups = [chunks[a:b] for a, b in zip([0, *starts], [*starts, len(chunks)], strict=True)]
    for group in groups[1:]:
        group[0] = _mark_part_start(group[0])
    whole = head + "".join(c for group in groups for c in group) + tail
    return whole, [head + "".join(group) + tail for group in groups]


def _cuts(lengths: list[int], parts: int) -> list[int]:
    """Where parts begin (chunk indexes, increasing, never 0): the boundary nearest to each
    even share of the total length, so that no part runs far past its share."""
    ends, done = [], 0
    for length in lengths:
        done += length
        ends.append(done)  # ends[i]: the length before chunk i + 1
    cuts = []
    for k in range(1, parts):
        share = ends[-1] * k / parts
        lowest = cuts[-1] + 1 if cuts else 1
        candidates = range(lowest, len(lengths))
        if not candidates:
            break
        cuts.append(min(candidates, key=lambda i: abs(ends[i - 1] - share)))
    return cuts


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
