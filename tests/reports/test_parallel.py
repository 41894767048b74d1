"""The report rendered in parts on the process pool and merged is the report rendered in one
process: the same text (its contents page and "see page 12" included), pages, page numbers,
stamp, bookmarks, destinations, links and structure tree."""

import io
import re
import subprocess

import pikepdf
import pytest

from assessments.reports import parallel
from assessments.reports.context import report_context
from assessments.reports.render import html_to_pdf, part_count, render_html, split_parts
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
        html = render_html(report_context(assessment))
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
        "tmp": tmp_path_factory.mktemp("parallel"),
    }


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


def structure(pdf):
    """The structure tree in document order: each element's type, depth and page, and its
    marked content (MCIDs) and annotations, by page index and rectangle."""
    doc = pikepdf.open(io.BytesIO(pdf))
    index = {page.objgen: n for n, page in enumerate(doc.pages)}
    found = []

    def walk(element, depth):
        page = index[element.Pg.objgen] if "/Pg" in element else None
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        content = []
        for kid in kids:
            if isinstance(kid, int):
                content.append(kid)
            elif kid.get("/Type") == "/OBJR":
                content.append(("annot", index[kid.Pg.objgen], tuple(round(float(v), 1) for v in kid.Obj.Rect)))
            elif kid.get("/Type") == "/MCR":
                content.append(("mcr", index[kid.Pg.objgen], int(kid.MCID)))
        found.append((depth, str(element.S), page, tuple(content)))
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                assert kid.P.objgen == element.objgen, "an element whose parent is not the one holding it"
                walk(kid, depth + 1)

    for element in doc.Root.StructTreeRoot.K:
        walk(element, 0)
    return found


def parent_tree(pdf):
    """What each page's marked content and each annotation name as their element, by the
    parent tree: (page, MCID or annotation rectangle) -> element type."""
    doc = pikepdf.open(io.BytesIO(pdf))
    nums = doc.Root.StructTreeRoot.ParentTree.Nums
    tree = dict(zip((int(k) for k in nums[::2]), nums[1::2], strict=True))
    found = {}
    for n, page in enumerate(doc.pages):
        for mcid, element in enumerate(tree[int(page.obj.StructParents)]):
            found[(n, mcid)] = str(element.S)
        for annot in page.obj.get("/Annots", []):
            found[(n, tuple(round(float(v), 1) for v in annot.Rect))] = str(tree[int(annot.StructParent)].S)
    return found


def test_the_merged_report_is_tagged_as_one_document(rendered):
    merged, single = rendered["parallel"], rendered["single"]
    doc = pikepdf.open(io.BytesIO(merged))
    assert doc.Root.MarkInfo.Marked and str(doc.Root.Lang) == "en"
    mine = structure(merged)
    assert [e[1] for e in mine[:2]] == ["/Document", "/Sect"] and len(mine) > 1000
    assert mine == structure(single)
    # Every page's content and every link finds its element, as in the one-process render.
    assert parent_tree(merged) == parent_tree(single)


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
    """Each part prints them from the first page number it is given (parallel.part_css): they
    must stand where the one-process render prints them."""
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
        # Right-aligned on the same edge.
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


def test_the_contents_and_see_page_name_pages_in_other_parts(rendered):
    """The contents (first part) and a gap's "see page N" (first part) name pages that only
    later parts' layouts know."""
    merged, tmp, html = rendered["parallel"], rendered["tmp"], rendered["html"]
    parts = split_parts(html, 4)[1]
    assert 'id="appendix"' in parts[-1] and 'id="findings"' in parts[0]
    contents = pdftotext(merged, tmp, 2)
    appendix_page = int(re.search(r"Appendix: provenance of the instruments \.+ (\d+)", contents).group(1))
    assert "Appendix: provenance of the instruments" in pdftotext(merged, tmp, appendix_page)
    # "High MIS-01 Enforced acceptable-use policy · No · 9 points · AS, BJ, … · see page 23"
    gaps = re.findall(
        r"(?:High|Medium|Low) ([A-Z]+-\d+) [^·]+·.{0,200}?see page (\d+)", " ".join(pdftotext(merged, tmp, 8).split())
    )
    assert len(gaps) >= 2
    for code, page in gaps:
        assert int(page) > 8  # a later page, laid out in another process
        assert code in pdftotext(merged, tmp, int(page)), f"{code} is not on page {page}"


def test_unknown_page_numbers_stand_as_wide_as_the_report_is_likely_to_need():
    assert parallel.placeholder(["x" * 20_000, "x" * 20_000]) == "0"  # 8 pages
    assert parallel.placeholder(["x" * 420_000]) == "00"  # the shipped library's report: 77 pages
    assert parallel.placeholder(["x" * 430_000] * 2) == "000"  # 1,000 items: 161 pages


def test_page_numbers_add_up_across_the_parts():
    firsts, total, pages_of = parallel.page_numbers([(3, {"cover": 0, "a": 2}), (2, {"b": 0, "a": 1}), (4, {"c": 3})])
    assert firsts == [1, 4, 6] and total == 9
    assert pages_of == {"cover": 1, "a": 3, "b": 4, "c": 9}  # a repeated id names its first place


def test_a_part_links_to_anchors_anywhere_and_knows_their_pages():
    html = '<p><a class="pnum" href="#item-A1"></a> <a href="#x" class="c">x</a> <a href="https://e.example">e</a></p>'
    assert parallel.numbered_part(html, {"item-A1": 61}, "00") == (
        '<p><a class="pnum" href="report-anchor:item-A1" data-page="61"></a> '
        '<a href="report-anchor:x" data-page="00" class="c">x</a> <a href="https://e.example">e</a></p>'
    )


def test_pages_that_move_with_their_numbers_are_laid_out_again(monkeypatch):
    """A number wider than its placeholder can move a line: the second pass runs again with the
    pages it found, and the report falls back to one process if they move once more."""
    passes = []

    def in_pool(task, jobs, layouts):
        passes.append((task.__name__, [job[1] for job in jobs]))
        found = layouts[min(len(passes), len(layouts)) - 1]
        if task is parallel._lay_out_part:
            return found
        return [(b"%PDF", layout) for layout in found]

    monkeypatch.setattr(parallel, "merge", lambda pdfs, levels: b"merged")
    parts = ["<body><h2>A</h2></body>", "<body><h2>B</h2></body>"]
    moving = [[(3, {}), (2, {})], [(3, {}), (3, {})], [(3, {}), (3, {})]]
    monkeypatch.setattr(parallel, "_in_pool", lambda task, jobs: in_pool(task, jobs, moving))
    assert parallel.render_parts(parts) == b"merged"
    assert [name for name, _ in passes] == ["_lay_out_part", "_render_part", "_render_part"]
    assert '" 5"' in passes[1][1][1] and '" 6"' in passes[2][1][1]  # the total, then the new total

    passes.clear()
    restless = [[(3, {}), (2, {})], [(3, {}), (3, {})], [(4, {}), (3, {})]]
    monkeypatch.setattr(parallel, "_in_pool", lambda task, jobs: in_pool(task, jobs, restless))
    with pytest.raises(parallel.PagesUnsettled):
        parallel.render_parts(parts)


def test_parts_are_cut_at_the_boundary_nearest_each_even_share():
    from assessments.reports.render import _cuts

    assert _cuts([10, 10, 10, 10], 2) == [2] and _cuts([10, 10, 10, 10], 4) == [1, 2, 3]
    # A long chunk after a short one: the cut falls after it when that is nearer the half.
    assert _cuts([5, 50, 5, 5, 5], 2) == [2]
    assert _cuts([40, 5, 50], 2) == [2]
    assert _cuts([1, 1], 4) == [1]  # never more parts than chunks
