"""The public library through the API: anyone reads it; codes name everything."""

import pytest

from governance.models import ChecklistItem, Instrument, Principle
from tests.api.helpers import api, url

LISTS = ["instruments", "principles", "items", "themes"]


@pytest.mark.parametrize("route", LISTS)
def test_lists_are_public_and_paginated(client, library, route):
    body = api(client, "GET", url(route) + "?page_size=5").json()
    assert body["count"] > 5 and len(body["results"]) == 5 and body["next"]
    assert all("id" not in row for row in body["results"])


def test_instrument(client, library):
    body = api(client, "GET", url("instrument", code="SH")).json()
    sh = Instrument.objects.get(code="SH")
    assert (body["code"], body["title_en"], body["source_url"]) == ("SH", sh.title_en, sh.source_url)
    assert body["principle_count"] == sh.principles.count() and body["item_count"] > 0


def test_principle(client, library):
    principle = Principle.objects.filter(quoted_text__gt="").first()
    body = api(client, "GET", url("principle", code=principle.code)).json()
    assert body["quoted_text"] == principle.quoted_text and body["instrument"] == principle.instrument.code
    assert sum(t["primary"] for t in body["themes"]) <= 1


def test_item(client, library):
    item = ChecklistItem.objects.get(code="ACC-01")
    body = api(client, "GET", url("item", code="ACC-01")).json()
    assert body["question"] == item.question and body["theme"] == item.theme.code
    assert {p["principle"] for p in body["principles"]} == set(
        item.principle_links.values_list("principle__code", flat=True)
    )


def test_filters(client, library):
    sh = api(client, "GET", url("principles") + "?instrument=SH&page_size=200").json()
    assert {p["instrument"] for p in sh["results"]} == {"SH"}
    t05 = api(client, "GET", url("items") + "?theme=T05&page_size=200").json()
    assert t05["count"] == ChecklistItem.objects.filter(theme__code="T05", active=True).count()
    assert {i["theme"] for i in t05["results"]} == {"T05"}
    of_hl = api(client, "GET", url("items") + "?instrument=HL&page_size=200").json()
    assert all(any(p["instrument"] == "HL" for p in i["principles"]) for i in of_hl["results"])


def test_crosswalk(client, library):
    body = api(client, "GET", url("crosswalk")).json()
    assert body["instruments"][:2] == ["SH", "CF"]
    row = body["rows"][0]
    assert [c["instrument"] for c in row["cells"]] == body["instruments"]


@pytest.mark.parametrize("route", ["instrument", "principle", "item"])
def test_unknown_codes_are_404(client, library, route):
    assert api(client, "GET", url(route, code="NOPE")).status_code == 404


@pytest.mark.parametrize("route", LISTS + ["crosswalk"])
def test_the_library_is_read_only(client, cast, route):
    from tests.api.helpers import make_token

    token = make_token(cast.membership(cast.owner))
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert api(client, method, url(route), {"code": "X"}, token=token).status_code == 405


def test_a_bad_token_is_refused_even_on_public_pages(client, library):
    response = client.get(url("instruments"), HTTP_AUTHORIZATION="Bearer aigov_wrong")
    assert response.status_code == 401
