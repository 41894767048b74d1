"""The report's PDF properties and pages (#17): a tagged PDF with its language and metadata,
clickable source and evidence URLs, the verification URL and its QR code, a CJK subset with the
space and no .notdef glyph, and in the whole library's report no split table row, no stranded
heading and no orphaned "also counted" line (checked on WeasyPrint's page boxes)."""

import io
import logging
import re
import subprocess

import pikepdf
import pytest
import segno
from fontTools.ttLib import TTFont

from assessments.reports.context import report_context
from assessments.reports.fonts import cjk_characters, subset_font
from assessments.reports.render import PDF_VARIANT, render_document, render_html
from assessments.services import assessment_create
from governance.models import Instrument
from tests.factories import approve, seed_answers
from tests.reports.pdf import pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(cast):
    membership = cast.membership(cast.owner)
    assessment = assessment_create(
        membership=membership,
        title="Chatbot 2026",
        scope="Customer chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "HL", "CF"]),
    )
    seed_answers(
        assessment,
        membership,
        themes=["T04", "T05"],
        justification="Audit log kept for seven years.",
        evidence=["https://evidence.example/log"],
    )
    return assessment


def issued(assessment, cast):
    import uuid

    from django.utils import timezone

    approve(assessment=assessment, membership=cast.membership(cast.owner))
    assessment.refresh_from_db()
    return report_context(assessment, report_id=uuid.uuid4(), issued_at=timezone.now())


def pdfinfo(pdf, tmp_path):
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout.decode()


def render(context, caplog=None):
    html = render_html(context)
    document = render_document(html)
    return html, document, document.write_pdf(pdf_variant=PDF_VARIANT)


def test_tagged_with_language_metadata_links_and_verification(cast, small, settings, tmp_path, caplog):
    settings.SITE_URL = "https://aigov.example.org"
    context = issued(small, cast)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        html, _, pdf = render(context)
    info = pdfinfo(pdf, tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert "Chatbot 2026" in re.search(r"^Title:.*$", info, re.M).group(0)
    assert re.search(r"^Author:\s+Acme Robotics$", info, re.M)
    doc = pikepdf.open(io.BytesIO(pdf))
    assert str(doc.Root.Lang) == "en"
    xmp = doc.open_metadata()
    assert "Chatbot 2026" in str(xmp.get("dc:title")) and "Acme Robotics" in str(xmp.get("dc:creator"))
    assert "xmp:CreateDate" in str(doc.Root.Metadata.read_bytes()) or doc.docinfo.get("/CreationDate")
    uris = [
        str(a.A.URI) for page in doc.pages for a in page.obj.get("/Annots", []) if "/A" in a and a.A.get("/S") == "/URI"
    ]
    assert "https://evidence.example/log" in uris
    assert any(u.startswith("https://linking-ai-principles.org") or "://" in u for u in uris)
    # The verification URL, in full, printed and linked; its QR code drawn from it.
    url = context["verify_url"]
    assert url == f"https://aigov.example.org/verify/?report={context['report_id']}&hash={context['sha256']}"
    assert url in uris
    assert url in pdftotext(pdf, tmp_path, raw=True).replace("\n", "")
    expected = segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True
    )
    assert context["verify_qr"] == expected and expected in html
    # No glyph rendered as .notdef (tofu), Chinese citation lines included.
    assert "人工智能安全发展上海倡议" in pdftotext(pdf, tmp_path)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]
    # The CJK subset has the space (and the Latin punctuation of citation lines).
    fonts = [f for f in _fonts(doc) if "ReportCJK" in f[0]]
    assert fonts, "no CJK font embedded"
    for _, data in fonts:  # as embedded: WeasyPrint keeps the glyphs the face printed
        assert 0x20 in TTFont(io.BytesIO(data)).getBestCmap()
    # The subset the report hands WeasyPrint holds the space and Latin punctuation.
    subset = TTFont(io.BytesIO(subset_font(cjk_characters("由 X 在 Y 发表 (2019): 原则")))).getBestCmap()
    assert all(ord(c) in subset for c in " ():,.-·") and ord("由") in subset


def _fonts(doc):
    seen = {}
    for page in doc.pages:
        for font in page.Resources.get("/Font", {}).values():
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None:
                    continue
                for key in ("/FontFile3", "/FontFile2", "/FontFile"):
                    if key in descriptor:
                        seen[str(descriptor.FontName)] = descriptor[key].read_bytes()
    return list(seen.items())


def test_a_draft_prints_its_stamp_once_on_the_cover_and_no_verification_url(cast, small, tmp_path):
    _, _, pdf = render(report_context(small))
    cover = pdftotext(pdf, tmp_path, 1)
    assert cover.count("Draft — provisional") == 1
    assert "INTERNAL" in cover  # the organisation's distribution marking, on the cover
    assert "Internal · Draft, not issued" in pdftotext(pdf, tmp_path, 2)  # and in every footer
    assert "/verify/?" not in pdftotext(pdf, tmp_path)


def test_contents_page_and_back_references_carry_page_numbers(cast, small, tmp_path):
    _, _, pdf = render(report_context(small))
    contents = pdftotext(pdf, tmp_path, 2)
    assert "Contents" in contents
    assert re.search(r"Findings by severity\s*\.+\s*\d+", contents)
    assert re.search(r"SH · Shanghai[^\n]*?\.+\s*\d+", contents)
    text = pdftotext(pdf, tmp_path)
    assert re.search(r"see page \d+", text)
    assert re.search(r"under [A-Z0-9]+-\d+ \(page \d+\):", text)


# --- the whole library's report: page boxes ---------------------------------------------------


@pytest.fixture(scope="module")
def whole(django_db_setup, django_db_blocker):
    from assessments.models import Membership, Organisation, Role
    from tests.cast import make_user

    with django_db_blocker.unblock():
        organisation = Organisation.objects.create(name="Pages Ltd")
        user = make_user("pagina", organisation, Role.OWNER)
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
            answer=lambda n, item: (["yes", "partial", "no", "na", "yes"][n % 5], "Because.", ["https://e.example"]),
        )
        html = render_html(report_context(assessment))
        document = render_document(html)
        organisation.delete()
        user.delete()
    return document


def _blocks(box, out):
    """Block-level boxes with an element, in document order."""
    for child in getattr(box, "children", []):
        element = getattr(child, "element", None)
        if element is not None and child.is_in_normal_flow() and type(child).__name__.endswith(("BlockBox", "RowBox")):
            out.append(child)
        _blocks(child, out)
    return out


def _classes(box):
    return (box.element.get("class") or "").split()


def test_no_table_row_is_split_across_pages(whole):
    pages_of = {}
    for number, page in enumerate(whole.pages):
        for box in _blocks(page._page_box, []):
            if box.element.tag == "tr" and box.element.find("td") is not None:  # a body row
                pages_of.setdefault(id(box.element), set()).add(number)
    assert pages_of
    assert all(len(pages) == 1 for pages in pages_of.values())


def test_no_heading_at_the_foot_of_a_page_and_no_also_line_at_its_top(whole):
    stranded, orphaned, headings = [], [], 0
    for number, page in enumerate(whole.pages):
        blocks = [b for b in _blocks(page._page_box, []) if b.element.tag != "html" and b.element.tag != "body"]
        headings += sum(1 for b in blocks if b.element.tag in ("h3", "h4"))
        leaves = [b for b in blocks if b.element.tag in ("h2", "h3", "h4", "p", "div", "tr", "li", "dd", "dt")]
        if not leaves:
            continue
        # The last block on the page, and the page's bottom: a heading there has nothing under it.
        last = max(leaves, key=lambda b: b.position_y + b.height)
        if last.element.tag in ("h2", "h3", "h4") and number + 1 < len(whole.pages):
            stranded.append((number + 1, "".join(last.element.itertext())[:60]))
        first = min(leaves, key=lambda b: b.position_y)
        if "also" in _classes(first):
            orphaned.append((number + 1, "".join(first.element.itertext())[:60]))
    assert headings >= 19 + 198  # every instrument's and principle's heading was looked at
    assert not stranded, stranded
    assert not orphaned, orphaned
