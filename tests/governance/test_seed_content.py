"""The five seed instruments carry the seed file's words and metadata exactly."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count, Q

from governance.models import ChecklistItem, Instrument, Principle

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed" / "000_cf5690c009775f5d.txt"
SHARED_SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / SEED.name
# The seed's six excerpts, in file order, and the principle each one quotes.
EXCERPT_PRINCIPLES = ["SH-8", "CF-4", "GA-0", "HL-1", "IC-7", "SH-6"]
SEED_CODES = ["SH", "CF", "GA", "HL", "IC"]
METADATA = re.compile(r"^(由 |原则: |作者:)")


def seed_excerpts():
    """Split the seed into ``(quoted paragraphs, metadata lines)`` per excerpt."""
    excerpts = []
    for paragraph in re.split(r"\n\s*\n", SEED.read_text(encoding="utf-8").strip()):
        lines = paragraph.split("\n")
        text = "\n".join(line for line in lines if not METADATA.match(line))
        if text:
            if excerpts and not excerpts[-1][1]:
                excerpts[-1][0].append(text)
            else:
                excerpts.append(([text], []))
        excerpts[-1][1].extend(line for line in lines if METADATA.match(line))
    return excerpts


def parse_date(text):
    for fmt in ("%b %d, %Y", "%B %d, %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise AssertionError(f"unparsed date {text!r}")


def test_repository_copy_of_the_seed_is_the_shared_one():
    if not SHARED_SEED.exists():
        pytest.skip("shared/seed is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_has_six_excerpts_each_with_metadata():
    excerpts = seed_excerpts()
    assert len(excerpts) == len(EXCERPT_PRINCIPLES)
    assert all(metadata for _, metadata in excerpts)


@pytest.mark.parametrize("index", range(6), ids=EXCERPT_PRINCIPLES)
def test_each_excerpt_is_quoted_verbatim_with_its_metadata(library, index):
    paragraphs, metadata = seed_excerpts()[index]
    principle = Principle.objects.select_related("instrument").get(code=EXCERPT_PRINCIPLES[index])

    assert principle.quoted_text == "\n\n".join(paragraphs)
    for line in metadata:
        assert line in principle.quote_citation
    assert principle.quote_url.startswith("https://linking-ai-principles.org/")


@pytest.mark.parametrize("index", range(6), ids=EXCERPT_PRINCIPLES)
def test_catalogue_metadata_is_kept_as_printed(library, index):
    _, metadata = seed_excerpts()[index]
    instrument = Principle.objects.get(code=EXCERPT_PRINCIPLES[index]).instrument
    for line in metadata:
        if m := re.match(r"^由 (.+) 在 (.+)发表, (.+)$", line):
            issuer, title, date = m.groups()
        elif m := re.match(r"^原则: (.+), ([A-Z][a-z]+ \d+, \d{4})$", line):
            title, date = m.groups()
            issuer = None
        elif m := re.match(r"^作者:(.+)$", line):
            assert instrument.catalogue_issuer == m.group(1)
            continue
        else:
            raise AssertionError(f"unexpected metadata line {line!r}")
        assert instrument.catalogue_title == title
        assert instrument.catalogue_date == parse_date(date)
        if issuer:
            assert instrument.catalogue_issuer == issuer


def test_only_the_seed_excerpts_are_quoted(library):
    quoted = set(Principle.objects.exclude(quoted_text="").values_list("code", flat=True))
    assert quoted == set(EXCERPT_PRINCIPLES)


def test_seed_first_excerpt_is_shanghai_principle_8_not_a_preamble(library):
    sh8 = Principle.objects.get(code="SH-8")
    assert sh8.label == "8."
    assert sh8.heading_original == "开放合作"
    assert Principle.objects.get(code="SH-0").quoted_text == ""


def test_official_and_catalogue_dates_are_both_kept(library):
    cf = Instrument.objects.get(code="CF")
    assert cf.official_date == dt.date(2024, 5, 6)
    assert cf.catalogue_date == dt.date(2024, 5, 7)
    assert cf.title_original == "中华人民共和国和法兰西共和国关于人工智能和全球治理的联合声明"
    sh = Instrument.objects.get(code="SH")
    assert sh.catalogue_date == dt.date(2019, 8, 30)
    assert sh.official_date.year == 2018


def test_every_seed_principle_is_served_by_at_least_two_active_items(library):
    counts = dict(
        Principle.objects.filter(instrument__code__in=SEED_CODES)
        .annotate(n=Count("items", filter=Q(items__active=True), distinct=True))
        .values_list("code", "n")
    )
    assert len(counts) == 41
    assert {code: n for code, n in counts.items() if n < 2} == {}


def test_every_principle_has_a_core_item(library):
    without_core = Principle.objects.exclude(item_links__relevance="core")
    assert list(without_core.values_list("code", flat=True)) == []


def test_items_serve_several_instruments(library):
    spanning = ChecklistItem.objects.annotate(n=Count("principles__instrument", distinct=True)).filter(n__gte=3)
    assert spanning.count() >= 10


def test_required_example_items(library):
    trace = ChecklistItem.objects.get(
        question="Can each output of the AI system in production be traced to the model version, "
        "data and configuration that produced it, and are these records kept for later review?"
    )
    assert trace.principle_links.get(principle__code="SH-6").relevance == "core"
    diverse = ChecklistItem.objects.get(
        question="Did people from diverse backgrounds, including groups the system affects, take "
        "part in its design, and is their input recorded?"
    )
    assert diverse.principle_links.get(principle__code="HL-1").relevance == "core"


def test_item_code_prefix_matches_its_theme(library):
    prefix_theme = {}
    for code, theme in ChecklistItem.objects.values_list("code", "theme__code"):
        prefix_theme.setdefault(code.split("-")[0], set()).add(theme)
    assert all(len(themes) == 1 for themes in prefix_theme.values()), prefix_theme
