"""Render the report's parts at once in a pool of processes, and merge them into one PDF.

The pool is started once per process that renders (the task worker starts it as it boots, see
``AssessmentsConfig.ready``) with the ``spawn`` method: its children share no memory, no locks
and no database connection with the worker, and render from plain data only (the HTML of
their part, strings), returning bytes and numbers. A child exits when its parent dies, so a
killed worker leaves no renderer behind.

A part cannot know on which page it starts, how many pages the report has, or on which page a
section of another part falls, and the report prints all three ("Page 24 of 75", its contents,
"see page 61"). So the parts go through the pool twice:

1. **laid out**, untagged and not written, with a placeholder for every page number; each
   returns how many pages it has and on which of them each of its anchors (``id``) falls;
2. **rendered**, tagged (PDF/UA), with the numbers now known written into it: its first page's
   number (``@page :first { counter-reset }``), the total, and the page of every anchor that
   the contents and the "see page" references name. WeasyPrint prints them as it would in one
   document, in the same boxes.

A number can be wider than its placeholder and move a line, so the second pass returns its
pages and anchors too, and they must be those of the first. If not, the second pass runs again
with the numbers it found, once; if they still differ, ``PagesUnsettled`` is raised and the
report renders in one process.

The merge (pikepdf) keeps what one WeasyPrint document would have:

- **internal links**: parts are rendered with ``href="#id"`` turned into
  ``report-anchor:id`` URI links, which WeasyPrint keeps even when the target is in another
  part; the merge turns them back into links to named destinations, and merges every part's
  destinations into one name tree;
- **bookmarks**: every part's outline entries, nested again by their headings' levels read from
  the parts' HTML, so that chapters in later parts sit under the report's title as they do in
  one document;
- **tags**: every part's structure elements go under the first part's Document element, and
  the parts' parent trees are joined into one, their keys moved past the earlier parts'.
"""

import io
import logging
import multiprocessing
import os
import re
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import pikepdf
from django.conf import settings

from assessments.reports.fonts import cjk_characters, font_face_css

logger = logging.getLogger(__name__)

ANCHOR_SCHEME = "report-anchor:"
# An internal link's opening tag, up to its target: <a class="pnum" href="#item-A1">.
INTERNAL_LINK = re.compile(r'<a\b([^>]*?)\bhref="#([^"]*)"')
# Headings that make bookmarks: the principles' are left out by the stylesheet (bookmark-level).
HEADING = re.compile(r'<h([1-6])\b(?![^>]*class="principle-head")')
# A page number stands as zeros while the parts are first laid out, as many as the report is
# likely to have pages, estimated from its HTML (the shipped library's report and a synthetic
# 1,000-item one both print about 5,300 characters of HTML per page). A number of more digits
# than that moves its line, and costs a second rendering of the parts.
HTML_CHARS_PER_PAGE = 5300
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
    from assessments.reports.render import render_document

    html = '<html lang="en"><body data-stamp="" data-footer=""><p>Warm-up</p></body></html>'
    render_document(html, faces="", part_css=part_css(1, 1)).write_pdf()
    return os.getpid()


class PagesUnsettled(Exception):
    """The parts' pages moved when their page numbers were written in."""


Layout = tuple[int, dict[str, int]]  # a part's page count, and the page index of each anchor


def _layout(document) -> Layout:
    anchors = {}
    for n, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, n)  # a box split over pages names its anchor on each
    return len(document.pages), anchors


def _lay_out_part(html: str, css: str, faces: str) -> Layout:
    from assessments.reports.render import render_document

    return _layout(render_document(html, faces=faces, part_css=css, tagged=False))


def _render_part(html: str, css: str, faces: str) -> tuple[bytes, Layout]:
    from assessments.reports.render import PDF_VARIANT, collector_paused, render_document

    document = render_document(html, faces=faces, part_css=css)
    with collector_paused():
        return document.write_pdf(pdf_variant=PDF_VARIANT), _layout(document)


def part_css(first_page: int, total) -> str:
    """What a part adds to the stylesheet: the number of its first page, the report's total in
    place of ``counter(pages)``, and the anchors' pages from ``data-page`` in place of
    ``target-counter()`` (static/report/report.css prints the same words around them)."""
    return (
        f"@page :first {{ counter-reset: page {int(first_page)}; }}"
        '@page { @bottom-right { content: string(page-word) " " counter(page) " " string(of-word) '
        f'" {total}"; }} }}'
        'ol.toc a::after { content: leader(".") attr(data-page); }'
        "a.pnum::after { content: attr(data-page); }"
    )


def placeholder(parts: list[str]) -> str:
    """The zeros that stand for a page number before any is known (HTML_CHARS_PER_PAGE)."""
    pages = max(1, round(sum(map(len, parts)) / HTML_CHARS_PER_PAGE))
    return "0" * len(str(pages))


def numbered_part(html: str, pages_of: dict[str, int], unknown: str) -> str:
    """``html`` with each internal link carrying its target's page (``data-page``, or
    ``unknown`` where it is not known yet), and pointing at ``report-anchor:``, which survives
    in a part that does not hold the target."""

    def link(match):
        attrs, name = match.group(1), match.group(2)
        page = pages_of.get(name, unknown)
        return f'<a{attrs}href="{ANCHOR_SCHEME}{name}" data-page="{page}"'

    return INTERNAL_LINK.sub(link, html)


def page_numbers(layouts: list[Layout]) -> tuple[list[int], int, dict[str, int]]:
    """Each part's first page number, the total, and every anchor's page number."""
    firsts, pages_of, done = [], {}, 0
    for count, anchors in layouts:
        firsts.append(done + 1)
        for name, index in anchors.items():
            pages_of.setdefault(name, done + index + 1)
        done += count
    return firsts, done, pages_of


def _in_pool(task, jobs) -> list:
    futures = [pool().submit(task, *job) for job in jobs]
    try:
        return [f.result(timeout=PART_TIMEOUT_SECONDS) for f in futures]
    except Exception:
        discard()  # a child may be dead or stuck: start afresh next time
        raise


def render_parts(parts: list[str]) -> bytes:
    """The merged PDF of ``parts`` (HTML documents), each laid out and then rendered in a pool
    process."""
    # One subset of the CJK font for all the parts, made here: each part making its own cost a
    # subset per part in whichever process took it (a few tenths of a second each).
    faces = font_face_css(cjk_characters(*parts))
    zeros = placeholder(parts)
    layouts = _in_pool(_lay_out_part, [(numbered_part(p, {}, zeros), part_css(1, zeros), faces) for p in parts])
    for _ in range(2):
        firsts, total, pages_of = page_numbers(layouts)
        jobs = [
            (numbered_part(p, pages_of, zeros), part_css(first, total), faces)
            for p, first in zip(parts, firsts, strict=True)
        ]
        rendered = _in_pool(_render_part, jobs)
        settled = [layout for _, layout in rendered]
        if settled == layouts:
            return merge([pdf for pdf, _ in rendered], [[int(level) for level in HEADING.findall(p)] for p in parts])
        logger.info("The report's pages moved as their numbers were written in; rendering its parts again.")
        layouts = settled
    raise PagesUnsettled("the parts' pages moved twice as their page numbers were written in")


# --- the merge -------------------------------------------------------------------------------


def merge(pdfs: list[bytes], heading_levels: list[list[int]]) -> bytes:
    """One PDF from the parts' PDFs, in order; ``heading_levels`` are each part's headings'
    levels in document order, one per outline entry WeasyPrint made for the part."""
    out = pikepdf.open(io.BytesIO(pdfs[0]))
    sources = [out] + [pikepdf.open(io.BytesIO(pdf)) for pdf in pdfs[1:]]
    destinations, entries, trees = {}, [], []
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
            # Copied after its pages, so that the elements' /Pg name the pages just copied.
            trees.append((out.copy_foreign(source.Root.StructTreeRoot), out.pages[offset:]))

    names = pikepdf.NameTree.new(out)
    for name, (page, where) in destinations.items():
        names[name] = pikepdf.Array([out.pages[page].obj, *where])
    out.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    _link_anchors(out)
    _rebuild_outline(out, entries)
    _join_structure_trees(out, trees)
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
                name = uri[len(ANCHOR_SCHEME) :]
                del annot["/A"]
                annot.Dest = pikepdf.String(name)
                # The link's text alternative (PDF/UA), which WeasyPrint takes from the href.
                if str(annot.get("/Contents", "")) == uri:
                    annot.Contents = pikepdf.String(name)


def _join_structure_trees(out, trees):
    """Put every later part's structure elements under the first part's Document element, and
    its parent tree's entries after the first's, moving the keys that its pages (/StructParents)
    and annotations (/StructParent) use to find their elements."""
    root = out.Root.StructTreeRoot
    document = _document_element(root)
    nums = list(_parent_tree_nums(root))
    for tree, pages in trees:
        offset = max(int(key) for key in nums[::2]) + 1 if nums else 0
        for kid in _document_element(tree).K:
            kid.P = document
            document.K.append(kid)
        part_nums = _parent_tree_nums(tree)
        for key, value in zip(part_nums[::2], part_nums[1::2], strict=True):
            nums += [int(key) + offset, value]
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
    root.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


def _document_element(root):
    """The one element under a part's structure tree root (WeasyPrint's /Document)."""
    kids = root.K
    if isinstance(kids, pikepdf.Array):
        if len(kids) != 1:
            raise ValueError(f"a structure tree root with {len(kids)} elements")
        kids = kids[0]
    if kids.get("/S") != "/Document":
        raise ValueError(f"a structure tree rooted in {kids.get('/S')}")
    if not isinstance(kids.K, pikepdf.Array):
        kids.K = pikepdf.Array([kids.K])
    return kids


def _parent_tree_nums(root):
    """A parent tree's flat /Nums array (WeasyPrint writes it flat, with no /Kids)."""
    tree = root.ParentTree
    if "/Kids" in tree:
        raise ValueError("a parent tree with /Kids")
    return tree.Nums
