"""Render a report's parts at once in a pool of processes, and merge them into one PDF.

Not used for the report itself any more: it prints a contents page and "see page 12", which a
part cannot know, and it is a tagged PDF (PDF/UA), whose structure tree the merge does not
rebuild; ``render.part_count`` keeps such documents in one process. Kept, and tested, for
documents without self-references; docs/report.md says what one process costs. Parts are
rendered untagged, so the merged PDF is an untagged one.

The pool is started once per process that renders (the task worker starts it as it boots, see
``AssessmentsConfig.ready``) with the ``spawn`` method: its children share no memory, no locks
and no database connection with the worker, and render from plain data only (the HTML of
their part, a string), returning bytes. A child exits when its parent dies, so a killed worker
leaves no renderer behind.

The merge (pikepdf) keeps what one WeasyPrint document would have:

- **page numbers**: parts are rendered without the "Page X of Y" box, which only the merge can
  know; it is drawn afterwards, in DejaVu Sans 8 pt at the very place the stylesheet's
  ``@bottom-right`` box puts it (reportlab draws it; pikepdf lays it over each page);
- **internal links**: parts are rendered with ``href="#id"`` turned into
  ``report-anchor:id`` URI links, which WeasyPrint keeps even when the target is in another
  part; the merge turns them back into links to named destinations, and merges every part's
  destinations into one name tree;
- **bookmarks**: every part's outline entries, nested again by their headings' levels read from
  the parts' HTML, so that chapters in later parts sit under the report's title as they do in
  one document.
"""

import io
import logging
import multiprocessing
import os
import re
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import fontTools.ttLib
import pikepdf
from django.conf import settings

from assessments.reports.fonts import cjk_characters, font_face_css

logger = logging.getLogger(__name__)

ANCHOR_SCHEME = "report-anchor:"
INTERNAL_HREF = re.compile(r'href="#')
# Headings that make bookmarks: the principles' are left out by the stylesheet (bookmark-level).
HEADING = re.compile(r'<h([1-6])\b(?![^>]*class="principle-head")')

# The stylesheet's page-number box (static/report/report.css: @page margins and @bottom-right).
MM = 72 / 25.4
PAGE_RIGHT_MARGIN = 16 * MM
PAGE_BOTTOM_MARGIN = 20 * MM
NUMBER_SIZE = 8
NUMBER_GREY = (0x6C / 255, 0x75 / 255, 0x7D / 255)
FONT_FILES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
# A part taking longer than this has a stuck child: the pool is dropped and the report renders
# in one process. (The slowest whole report measured, 5,000 items, took 49 s.)
PART_TIMEOUT_SECONDS = 900


# --- the pool --------------------------------------------------------------------------------

_pool = None
_pool_lock = threading.Lock()


def pool() -> ProcessPoolExecutor:
    """This process's pool, created on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=settings.REPORT_RENDER_PROCESSES,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_child_start,
                initargs=(os.getpid(),),
            )
        return _pool


def prestart() -> None:
    """Start the pool's processes now and warm them (imports, stylesheet, fonts), so that the
    first report does not wait for them. Returns at once."""
    executor = pool()
    for _ in range(settings.REPORT_RENDER_PROCESSES):
        executor.submit(_warm)


def discard() -> None:
    """Drop the pool (after a child died, say); the next render starts a new one."""
    global _pool
    with _pool_lock:
        executor, _pool = _pool, None
    if executor is not None:
        executor.shutdown(wait=False, cancel_futures=True)


def _child_start(parent_pid: int) -> None:
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()  # settings and templates only: a child never opens a database connection


def _exit_with_parent(parent_pid: int) -> None:
    # A killed worker cannot stop its children; they notice that they were handed to another
    # parent and stop, rather than finish a render nobody will collect.
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(0)


def _warm() -> int:
    from assessments.reports.render import write_pdf

    write_pdf(
        '<html lang="en"><body data-stamp="" data-footer=""><p>Warm-up</p></body></html>', numbered=False, tagged=False
    )
    return os.getpid()


def _render_part(html: str, faces: str) -> bytes:
    from assessments.reports.render import write_pdf

    return write_pdf(html, numbered=False, tagged=False, faces=faces)


def render_parts(parts: list[str]) -> bytes:
    """The merged PDF of ``parts`` (HTML documents), each rendered in a pool process."""
    linked = [INTERNAL_HREF.sub(f'href="{ANCHOR_SCHEME}', part) for part in parts]
    # One subset of the CJK font for all the parts, made here: each part making its own cost a
    # subset per part in whichever process took it (a few tenths of a second each).
    faces = font_face_css(cjk_characters(*parts))
    futures = [pool().submit(_render_part, part, faces) for part in linked]
    try:
        pdfs = [f.result(timeout=PART_TIMEOUT_SECONDS) for f in futures]
    except Exception:
        discard()  # a child may be dead or stuck: start afresh next time
        raise
    return merge(pdfs, [[int(level) for level in HEADING.findall(part)] for part in parts])


# --- the merge -------------------------------------------------------------------------------


def merge(pdfs: list[bytes], heading_levels: list[list[int]]) -> bytes:
    """One PDF from the parts' PDFs, in order; ``heading_levels`` are each part's headings'
    levels in document order, one per outline entry WeasyPrint made for the part."""
    out = pikepdf.open(io.BytesIO(pdfs[0]))
    sources = [out] + [pikepdf.open(io.BytesIO(pdf)) for pdf in pdfs[1:]]
    destinations, entries = {}, []
    for number, (source, levels) in enumerate(zip(sources, heading_levels, strict=True)):
        offset = len(out.pages) if number else 0
        index_of = {page.objgen: i for i, page in enumerate(source.pages)}
        if "/Names" in source.Root and "/Dests" in source.Root.Names:
            for name, dest in pikepdf.NameTree(source.Root.Names.Dests).items():
                destinations[name] = (offset + index_of[dest[0].objgen], list(dest[1:]))
        flat = _outline(source, index_of)
        if len(flat) != len(levels):
            raise ValueError(f"part {number}: {len(flat)} bookmarks for {len(levels)} headings")
        entries += [
            (level, title, offset + page, where) for level, (title, page, where) in zip(levels, flat, strict=True)
        ]
        if number:
            out.pages.extend(source.pages)

    names = pikepdf.NameTree.new(out)
    for name, (page, where) in destinations.items():
        names[name] = pikepdf.Array([out.pages[page].obj, *where])
    out.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    _link_anchors(out)
    _rebuild_outline(out, entries)
    _number_pages(out)
    buffer = io.BytesIO()
    out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _outline(source, index_of):
    """The part's bookmarks in document order: (title, page index, [/XYZ, left, top, zoom])."""
    flat = []

    def walk(items):
        for item in items:
            dest = item.destination
            flat.append((item.title, index_of[dest[0].objgen], list(dest[1:])))
            walk(item.children)

    with source.open_outline() as outline:
        walk(outline.root)
    return flat


def _rebuild_outline(out, entries):
    """Nest the bookmarks as WeasyPrint does: each under the nearest earlier one of a lower
    level."""
    with out.open_outline() as outline:
        outline.root.clear()
        stack = []  # (level, item)
        for level, title, page, where in entries:
            item = pikepdf.OutlineItem(title, page, "XYZ", left=where[1], top=where[2])
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


def _link_anchors(out):
    for page in out.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            if action is None or action.get("/S") != "/URI":
                continue
            uri = str(action.URI)
            if uri.startswith(ANCHOR_SCHEME):
                del annot["/A"]
                annot.Dest = pikepdf.String(uri[len(ANCHOR_SCHEME) :])


@lru_cache(maxsize=1)
def _number_font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = next((p for p in FONT_FILES if Path(p).exists()), None)
    if path is None:
        raise FileNotFoundError("DejaVu Sans is not installed (fonts-dejavu-core).")
    font = TTFont("ReportNumbers", path)
    pdfmetrics.registerFont(font)
    # Pango sizes a line from the font's hhea metrics (reportlab reports the OS/2 ones).
    hhea = fontTools.ttLib.TTFont(path, lazy=True)
    units = hhea["head"].unitsPerEm
    return font, hhea["hhea"].ascent / units, -hhea["hhea"].descent / units


def _number_pages(out):
    """Draw "Page X of Y" where the stylesheet's @bottom-right box would: right-aligned on the
    right margin, its line box centred in the bottom margin."""
    from reportlab.pdfgen import canvas

    font, ascent, descent = _number_font()
    baseline = PAGE_BOTTOM_MARGIN / 2 - NUMBER_SIZE * (ascent + descent) / 2 + NUMBER_SIZE * descent
    total = len(out.pages)
    buffer = io.BytesIO()
    drawing = None
    for number, page in enumerate(out.pages, start=1):
        box = [float(v) for v in page.mediabox]
        width, height = box[2] - box[0], box[3] - box[1]
        if drawing is None:
            drawing = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
        drawing.setPageSize((width, height))
        drawing.setFont(font.fontName, NUMBER_SIZE)
        drawing.setFillColorRGB(*NUMBER_GREY)
        drawing.drawRightString(width - PAGE_RIGHT_MARGIN, baseline, f"Page {number} of {total}")
        drawing.showPage()
    drawing.save()
    numbers = pikepdf.open(io.BytesIO(buffer.getvalue()))
    for page, overlay in zip(out.pages, numbers.pages, strict=True):
        page.add_overlay(overlay)
