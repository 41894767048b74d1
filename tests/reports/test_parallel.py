"""The report rendered in parts on the process pool and merged is the report rendered in one
process: the same text, pages, page numbers, stamp, bookmarks, destinations and links."""

import io
import re
import subprocess

import pikepdf
import pytest

from assessments.reports import parallel
from assessments.reports.context import report_context
from assessments.reports.render import CROSS_REFERENCE_MARK, html_to_pdf, part_count, render_html, split_parts
from assessments.services import assessment_create
from governance.models import Instrument
from tests.factories import seed_answers
from tests.reports.pdf import page_count, pdftotext

# The module's fixture writes to the database: pytest-django sets one up only for marked tests.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole library's draft report, rendered both ways (once for the module: it is slow)."""
    from django.test import override_settings

    from assessments.models import Membership, Organisation, Role
    from tests.cast import make_user

    with django_db_blocker.unblock(), override_settings(REPORT_RENDER_PROCESSES=2, REPORT_PARALLEL_MIN_CHARS=1000):
        organisation = Organisation.objects.create(name="Parallel Ltd")
        user = make_user("paula", organisation, Role.OWNER)
        membership = Membership.objects.get(user=user)
        assessment = assessment_create(
            membership=membership,
            title="Whole library",
            scope="All",
            description="",
            instruments=Instrument.objects.filter(retired=False),
        )
        seed_answers(
            assessment,
            membership,
            answer=lambda n, item: (["yes", "partial", "no", "na"][n % 4], "Because.", ["https://e.example"]),
        )
        full = render_html(report_context(assessment))
        html = without_cross_references(full)
        assert part_count(html) == 4  # two parts per process (render.PARTS_PER_PROCESS)
        parts = split_parts(html, 4)[1]
        assert len(parts) == 4
        merged = parallel.render_parts(parts)  # the pool: an error here must not fall back
        single = html_to_pdf(html, parallel=False)
        organisation.delete()
        user.delete()
    return {
        "parallel": merged,
        "single": single,
        "html": html,
        "full": full,
        "tmp": tmp_path_factory.mktemp("parallel"),
    }


def without_cross_references(html):
    """The report less what only one document can print (its contents page and "see page 12"),
    which keeps it in one process (render.CROSS_REFERENCE_MARK): the pool is kept for documents
    without them, and tested on this one."""
    html = html.replace(CROSS_REFERENCE_MARK, "", 1)
    html = re.sub(r'<section class="contents".*?</section>', "", html, count=1, flags=re.S)
    return re.sub(r'<a class="pnum" href="[^"]*"></a>', "", html)


def test_the_report_itself_renders_in_one_process(rendered, settings):
    settings.REPORT_RENDER_PROCESSES, settings.REPORT_PARALLEL_MIN_CHARS = 2, 1000
    assert part_count(rendered["full"]) == 1


def outline(pdf):
    doc = pikepdf.open(io.BytesIO(pdf))
    index = {page.objgen: n for n, page in enumerate(doc.pages)}
    entries = []

    def walk(items, depth):
        for item in items:
            dest = item.destination
            entries.append((depth, item.title, index[dest[0].objgen], round(float(dest[3]), 1)))
            walk(item.children, depth + 1)

    with doc.open_outline() as tree:
        walk(tree.root, 0)
    return entries


def destinations(pdf):
    doc = pikepdf.open(io.BytesIO(pdf))
    index = {page.objgen: n for n, page in enumerate(doc.pages)}
    names = pikepdf.NameTree(doc.Root.Names.Dests)
    return {name: (index[d[0].objgen], round(float(d[2]), 1), round(float(d[3]), 1)) for name, d in names.items()}


def links(pdf):
    """Every link annotation: its page, rectangle, and the destination it names."""
    doc = pikepdf.open(io.BytesIO(pdf))
    found = []
    for n, page in enumerate(doc.pages):
        for annot in page.obj.get("/Annots", []):
            target = str(annot.Dest) if "/Dest" in annot else ("URI", str(annot.A.get("/URI")))
            found.append((n, tuple(round(float(v), 1) for v in annot.Rect), target))
    return found


def test_the_merged_parts_are_untagged(rendered):
    # A structure tree of the first part alone would claim tags for pages it does not cover.
    merged = pikepdf.open(io.BytesIO(rendered["parallel"]))
    assert "/StructTreeRoot" not in merged.Root and "/MarkInfo" not in merged.Root
    assert "/StructTreeRoot" in pikepdf.open(io.BytesIO(rendered["single"])).Root


def test_both_ways_give_the_same_text_and_pages(rendered):
    tmp = rendered["tmp"]
    merged, single = rendered["parallel"], rendered["single"]
    assert merged != single  # two different renders were compared
    assert pdftotext(merged, tmp) == pdftotext(single, tmp)
    pages = page_count(merged, tmp)
    assert pages == page_count(single, tmp) >= 30


def test_every_merged_page_has_its_number_and_the_draft_stamp(rendered):
    tmp, merged = rendered["tmp"], rendered["parallel"]
    pages = page_count(merged, tmp)
    for page in range(1, pages + 1):
        text = pdftotext(merged, tmp, page)
        assert "Draft — provisional" in text, f"page {page} has no stamp"
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {page} of {pages}"], f"page {page}"
        # The cover prints the report id and hash in full instead of the running footer.
        assert page == 1 or "Draft, not issued · data hash" in text, f"page {page} has no footer"


def test_page_numbers_stand_where_the_stylesheet_puts_them(rendered):
    """Drawn after the merge, they must sit where WeasyPrint's @bottom-right box prints them."""
    tmp = rendered["tmp"]

    def boxes(pdf):
        path = tmp / "bbox.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(path), "-"], capture_output=True)
        words = re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(\w+)<', out.stdout.decode()
        )
        i = max(n for n, w in enumerate(words) if w[4] == "Page")
        return [tuple(float(v) for v in w[:4]) for w in words[i : i + 4]]

    for mine, theirs in zip(boxes(rendered["parallel"]), boxes(rendered["single"]), strict=True):
        # Right-aligned on the same edge; the baseline within a tenth of a point (glyph boxes
        # differ in height between the two embeddings, so compare the bottoms less the descent).
        assert abs(mine[2] - theirs[2]) < 0.5 and abs(mine[0] - theirs[0]) < 0.5
    assert abs(boxes(rendered["parallel"])[-1][2] - boxes(rendered["single"])[-1][2]) < 0.05


def test_bookmarks_are_the_same_and_nested_under_the_title(rendered):
    mine, theirs = outline(rendered["parallel"]), outline(rendered["single"])
    assert mine == theirs
    assert mine[0][:2] == (0, "Whole library")
    assert [e[1] for e in mine if e[0] == 1][-3:] == [
        "Alignment by instrument",
        "Method and verification",
        "Appendix: provenance of the instruments",
    ]
    assert all(depth >= 1 for depth, *_ in mine[1:])


def test_internal_links_reach_the_same_places(rendered):
    merged, single = rendered["parallel"], rendered["single"]
    assert destinations(merged) == destinations(single)
    mine = links(merged)
    assert mine == links(single)
    # No report-anchor link left as a URI: only the source and evidence URLs are.
    assert mine and not [link for link in mine if isinstance(link[2], tuple) and not link[2][1].startswith("http")]
    # Each gap's link lands on the page where its item is printed in full.
    dests, tmp = destinations(merged), rendered["tmp"]
    for _page, _rect, name in mine:
        if isinstance(name, tuple) or not name.startswith("item-"):
            continue
        code = name.removeprefix("item-")
        text = pdftotext(merged, tmp, dests[name][0] + 1)
        assert code in text, f"{name} lands on a page without {code}"


def test_parts_start_pages_in_one_process_too():
    html = '<html><body data-stamp="" data-footer=""><section class="cover">A</section><section>B</section><section class="instrument">C</section></body></html>'
    whole, parts = split_parts(html, 2)
    assert len(parts) == 2 and whole.count("part-start") == 1
    assert all('<body data-stamp="" data-footer="">' in p for p in parts)
    assert re.sub(r"\s*part-start\s*|\s*class=\"part-start\"", "", whole) == html.replace(' class=""', "")


def test_a_broken_pool_falls_back_to_one_process(monkeypatch, settings):
    settings.REPORT_RENDER_PROCESSES, settings.REPORT_PARALLEL_MIN_CHARS = 2, 10

    def broken(parts):
        raise OSError("cannot start processes")

    monkeypatch.setattr(parallel, "render_parts", broken)
    html = '<html><body data-stamp="S" data-footer="F"><section>A</section><section>B</section></body></html>'
    assert html_to_pdf(html)[:5] == b"%PDF-"
    settings.REPORT_RENDER_PROCESSES = 1
    assert part_count(html) == 1 and split_parts(html, 1) == (html, [html])
