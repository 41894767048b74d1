"""The Django admin is where curators edit the library."""

import pytest
from django.urls import reverse

from governance.models import ChecklistItem, Instrument, Principle, Theme


@pytest.fixture
def curator(admin_client, library):
    return admin_client


@pytest.mark.parametrize("model", ["instrument", "principle", "theme", "checklistitem", "libraryrelease"])
def test_changelists_load(curator, model):
    response = curator.get(reverse(f"admin:governance_{model}_changelist"))
    assert response.status_code == 200


def test_instrument_change_page_shows_principles_inline(curator):
    sh = Instrument.objects.get(code="SH")
    response = curator.get(reverse("admin:governance_instrument_change", args=[sh.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "人工智能安全发展上海倡议" in body
    assert 'value="SH-6"' in body


def test_item_change_page_shows_principle_links_inline(curator):
    item = ChecklistItem.objects.filter(principles__code="SH-6").first()
    response = curator.get(reverse("admin:governance_checklistitem_change", args=[item.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Principles served" in body
    assert 'name="principle_links-TOTAL_FORMS"' in body


def test_item_search_and_filters(curator):
    url = reverse("admin:governance_checklistitem_changelist")
    t05 = Theme.objects.get(code="T05")
    sh = Instrument.objects.get(code="SH")

    by_search = curator.get(url, {"q": "SH-6"})
    by_theme = curator.get(url, {"theme__id__exact": t05.pk})
    by_instrument = curator.get(url, {"principles__instrument__id__exact": sh.pk})

    expected = set(ChecklistItem.objects.filter(principles__code="SH-6").values_list("code", flat=True))
    assert {i.code for i in by_search.context["cl"].result_list} == expected
    assert {i.theme_id for i in by_theme.context["cl"].result_list} == {t05.pk}
    shown = [i.code for i in by_instrument.context["cl"].result_list]
    assert len(shown) == len(set(shown)) == ChecklistItem.objects.filter(principles__instrument=sh).distinct().count()


def test_principle_filters_by_instrument_and_theme(curator):
    sh = Instrument.objects.get(code="SH")
    t04 = Theme.objects.get(code="T04")
    response = curator.get(
        reverse("admin:governance_principle_changelist"),
        {"instrument__id__exact": sh.pk, "themes__id__exact": t04.pk},
    )
    assert {p.code for p in response.context["cl"].result_list} == set(
        Principle.objects.filter(instrument=sh, themes=t04).values_list("code", flat=True)
    )


def test_curator_adds_an_item_with_links_inline(curator):
    sh6 = Principle.objects.get(code="SH-6")
    cf4 = Principle.objects.get(code="CF-4")
    data = {
        "code": "ACC-77",
        "title": "Signed-off model releases",
        "theme": Theme.objects.get(code="T05").pk,
        "question": "Is every model release signed off by a named person?",
        "guidance": "A named person approves.",
        "evidence_hint": "Sign-off records.",
        "recommendation": "Add a sign-off step.",
        "weight": 2,
        "active": "on",
        "principle_links-TOTAL_FORMS": 2,
        "principle_links-INITIAL_FORMS": 0,
        "principle_links-MIN_NUM_FORMS": 0,
        "principle_links-MAX_NUM_FORMS": 1000,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
        "revisions-MIN_NUM_FORMS": 0,
        "revisions-MAX_NUM_FORMS": 1000,
        "principle_links-0-principle": sh6.pk,
        "principle_links-0-relevance": "core",
        "principle_links-1-principle": cf4.pk,
        "principle_links-1-relevance": "supporting",
    }
    response = curator.post(reverse("admin:governance_checklistitem_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    item = ChecklistItem.objects.get(code="ACC-77")
    assert dict(item.principle_links.values_list("principle__code", "relevance")) == {
        "SH-6": "core",
        "CF-4": "supporting",
    }
    # An admin edit is a revision of the wording, like a library load.
    assert item.revisions.get().question == "Is every model release signed off by a named person?"


def test_admin_rejects_a_bad_weight_and_saves_nothing(curator):
    data = {
        "code": "ACC-78",
        "theme": Theme.objects.get(code="T05").pk,
        "question": "Q?",
        "guidance": "G",
        "evidence_hint": "E",
        "recommendation": "R",
        "weight": 9,
        "principle_links-TOTAL_FORMS": 0,
        "principle_links-INITIAL_FORMS": 0,
        "principle_links-MIN_NUM_FORMS": 0,
        "principle_links-MAX_NUM_FORMS": 1000,
    }
    response = curator.post(reverse("admin:governance_checklistitem_add"), data)
    assert response.status_code == 200
    assert "weight" in response.context["adminform"].form.errors or response.context["errors"]
    assert not ChecklistItem.objects.filter(code="ACC-78").exists()


def test_admin_needs_staff(client, library):
    response = client.get(reverse("admin:governance_instrument_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
