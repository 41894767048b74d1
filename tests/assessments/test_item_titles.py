"""Item titles and library texts in the interface language: results, gaps, section pages, the
CSV's item_title column, and snapshots taken before titles (schema 4)."""

import csv
import io

from django.urls import reverse

from assessments.models import Assessment
from assessments.record.snapshot import SCHEMA
from assessments.selectors import assessment_record
from governance.models import ChecklistItem
from tests.cast import as_user
from tests.factories import approve, seed_answers


def test_every_item_has_a_short_title(library):
    titles = dict(ChecklistItem.objects.values_list("code", "title"))
    assert len(titles) == 84 and all(0 < len(t) <= 80 for t in titles.values())
    assert titles["ACC-01"] == "Reviewable, traceable regulatory mechanisms"
    assert titles["INC-01"] == "Diverse design input"


def test_gaps_name_items_by_code_and_title_in_the_page_language(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], choice="no")
    acc = ChecklistItem.objects.get(code="ACC-01")
    url = reverse("results", args=[assessment.code])
    english = as_user(client, cast.viewer).get(url).content.decode()
    assert 'ACC-01</a> <strong translate="no">Reviewable, traceable regulatory mechanisms</strong>' in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'<strong translate="no">{acc.translations["fr"]["title"]}</strong>' in french
    assert acc.translations["fr"]["recommendation"] in french


def test_a_section_page_shows_the_checklist_in_chinese(client, cast, assessment):
    acc = ChecklistItem.objects.get(code="ACC-01")
    page = as_user(client, cast.viewer).get(
        reverse("section", args=[assessment.code, "T05"]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    body = page.content.decode()
    zh = acc.translations["zh-hans"]
    assert zh["title"] in body and zh["question"] in body and zh["guidance"] in body
    assert acc.theme.translations["zh-hans"]["name"] in body


def _csv(client, assessment, **params):
    response = client.get(reverse("export-csv", args=[assessment.code]), params)
    return response, list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_the_item_title_in_the_chosen_language(client, cast, assessment):
    client = as_user(client, cast.viewer)
    acc = ChecklistItem.objects.get(code="ACC-01")
    _, rows = _csv(client, assessment)
    assert next(r for r in rows if r["item"] == "ACC-01")["item_title"] == acc.title
    _, rows = _csv(client, assessment, lang="fr")
    row = next(r for r in rows if r["item"] == "ACC-01")
    assert row["item_title"] == acc.translations["fr"]["title"]
    assert row["question"] == acc.question  # the rest is data: English
    response, _ = _csv(client, assessment, lang="klingon")
    assert response.status_code == 400


def test_older_snapshots_take_titles_and_matching_translations_from_the_library(cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    snapshot = Assessment.objects.get(pk=assessment.pk).snapshot
    assert snapshot["schema"] == SCHEMA == 4
    row = next(r for r in snapshot["items"] if r["code"] == "ACC-01")
    assert row["title"] and row["translations"]["fr"]["question"]
    # As schema 3 wrote it: no titles, no translations; and ACC-02's question since reworded.
    for item in snapshot["items"]:
        del item["title"], item["translations"]
        if item["code"] == "ACC-02":
            item["question"] = "An older wording of the question?"
    for kind in ("themes", "instruments", "principles"):
        for entry in snapshot[kind]:
            del entry["translations"]
    snapshot["schema"] = 3
    Assessment.objects.filter(pk=assessment.pk).update(snapshot=snapshot)
    record = assessment_record(assessment=Assessment.objects.get(pk=assessment.pk))
    items = {i.code: i for i in record.items}
    library = {i.code: i for i in ChecklistItem.objects.filter(code__in=["ACC-01", "ACC-02"])}
    assert items["ACC-01"].title == library["ACC-01"].title
    assert items["ACC-01"].localized("fr").question == library["ACC-01"].translations["fr"]["question"]
    # The library's translation is of other English than the snapshot froze: the frozen English shows.
    assert items["ACC-02"].localized("fr").question == "An older wording of the question?"
    assert items["ACC-02"].localized("fr").title == library["ACC-02"].translations["fr"]["title"]
    assert (
        record.section("T05").theme.localized("zh-hans").name == library["ACC-01"].theme.translations["zh-hans"]["name"]
    )
