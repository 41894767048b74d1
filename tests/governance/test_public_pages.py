"""The public library pages: open to anyone, read-only, with pinned query counts."""

import re

import pytest
from django.urls import reverse

from governance.models import ChecklistItem, Principle


def test_instrument_list(client, library, django_assert_num_queries):
    # instruments with their counts, and the current release
    with django_assert_num_queries(2):
        response = client.get(reverse("library:instrument-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Shanghai Initiative for the Safe Development of Artificial Intelligence" in body
    assert '<div class="title-original" lang="zh">人工智能安全发展上海倡议</div>' in body
    assert "全球人工智能治理倡议" in body
    assert "Library release 2026.12" in body


def test_instrument_detail(client, library, django_assert_num_queries):
    # instrument, principles, their themes, their items
    with django_assert_num_queries(4):
        response = client.get(reverse("library:instrument-detail", args=["SH"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "透明监管" in body
    assert "reviewable, traceable, reputable regulatory mechanisms" in body
    assert "由 Shanghai Advisory Committee of Experts on Artificial Intelligence Industry Security" in body
    sh6 = Principle.objects.get(code="SH-6")
    for item in sh6.items.all():
        assert reverse("library:item-detail", args=[item.code]) in body


def test_instrument_detail_query_count_does_not_grow_with_principles(client, library, django_assert_num_queries):
    with django_assert_num_queries(4):
        client.get(reverse("library:instrument-detail", args=["HL"]))  # 5 principles
    with django_assert_num_queries(4):
        client.get(reverse("library:instrument-detail", args=["GA"]))  # 12 principles


def test_principle_detail_lists_related_principles_in_other_instruments(client, library, django_assert_num_queries):
    # principle, its themes, its items, related principles
    with django_assert_num_queries(4):
        response = client.get(reverse("library:principle-detail", args=["SH-8"]))
    assert response.status_code == 200
    related = response.context["related"]
    codes = [p.code for p in related]
    assert not any(code.startswith("SH-") for code in codes)
    # The seed's own cluster: HL-1 and IC-7 share the international-norms items with SH-8.
    assert {"HL-1", "IC-7", "CF-4", "GA-0"} <= set(codes)
    assert related[0].shared_items >= 1
    assert "The development of artificial intelligence requires the concerted efforts" in response.content.decode()


def test_item_detail(client, library, django_assert_num_queries):
    item = ChecklistItem.objects.filter(principles__code="SH-6").first()
    with django_assert_num_queries(2):
        response = client.get(reverse("library:item-detail", args=[item.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert item.question in body
    assert "SH-6" in body


def test_crosswalk(client, library, django_assert_num_queries):
    # instruments, themes, principle-theme links
    with django_assert_num_queries(3):
        response = client.get(reverse("library:crosswalk"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="primary" title="Transparent regulation">SH-6</a>' in body
    assert len(response.context["rows"]) == 14


@pytest.mark.parametrize(
    "name,arg",
    [
        ("instrument-detail", "NOPE"),
        ("principle-detail", "SH-99"),
        ("item-detail", "ZZZ-01"),
        ("instrument-detail", "<script>"),
    ],
)
def test_unknown_codes_give_404(client, library, name, arg):
    assert client.get(reverse(f"library:{name}", args=[arg])).status_code == 404


@pytest.mark.parametrize(
    "name,args",
    [("instrument-list", []), ("crosswalk", []), ("instrument-detail", ["SH"]), ("principle-detail", ["SH-6"])],
)
def test_writes_are_refused_with_405(client, library, name, args):
    assert client.post(reverse(f"library:{name}", args=args)).status_code == 405


def test_home_redirects_to_the_library(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("library:instrument-list")


def test_empty_library_says_how_to_load_it(client, empty_library):
    response = client.get(reverse("library:instrument-list"))
    assert "manage.py load_library" in response.content.decode()


def test_instrument_list_is_in_display_order(client, library):
    """``position`` is the display order (docs/library-format.md), as on every other page."""
    from governance.models import Instrument

    response = client.get(reverse("library:instrument-list"))
    listed = [i.code for i in response.context["instruments"]]
    assert listed == list(Instrument.objects.order_by("position", "code").values_list("code", flat=True))
    assert listed[:3] == ["SH", "CF", "GA"]
    body = response.content.decode()
    assert body.index("/library/instruments/SH/") < body.index("/library/instruments/AS/")


def test_instrument_list_counts_in_the_singular(client, library):
    from governance.models import Instrument

    one = Instrument.objects.get(code="BL")
    first = one.principles.order_by("position").first()
    one.principles.exclude(pk=first.pk).update(instrument=Instrument.objects.get(code="SH"))
    body = client.get(reverse("library:instrument-list")).content.decode()
    listed = body[body.index("/library/instruments/BL/") :]
    assert re.search(r">\s*1 principle · \d+ items", listed[: listed.index("</a>")]), listed[: listed.index("</a>")]
    assert not re.search(r"\b1 principles\b", body)
