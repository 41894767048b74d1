"""Drafts' results kept between views of the results page (assessments/results_cache.py): kept
while nothing they are computed from changes, computed again when something does, and never
served to another organisation or in another language. The same holds for the figures rendered
from them (the page's ``{% cache %}`` parts), checked here in the page itself."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import results_cache
from assessments.kept import Kept
from assessments.models import Assessment
from assessments.services import assessment_create
from governance.models import ChecklistItem, Instrument, LibraryState
from tests.cast import as_user
from tests.factories import approve, checklist, outsiders_twin, seed_answers

# session, user; assessment (with the library's revision), membership; the comparison list; the
# gaps' actions; and, when computed, the record: instruments, principles, links, items, answers,
# files (tests/assessments/test_page_queries.py)
KEPT, COMPUTED = 6, 12


@pytest.fixture
def answered(cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], choice="partial")
    return assessment


def _view(client, assessment, django_assert_num_queries, queries, **params):
    with django_assert_num_queries(queries):
        response = client.get(reverse("results", args=[assessment.code]), params)
    assert response.status_code == 200
    return response


def _without_tokens(response):
    """The page, its per-response CSRF tokens and nonces left out."""
    return re.sub(r'(csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r"\1", response.content.decode())


def _sh_row(response):
    """The SH row of the table of instruments, as rendered."""
    return re.search(r'<tr>\s*<th scope="row" translate="no"><a [^>]*>SH</a>.*?</tr>', response.content.decode(), re.S)[
        0
    ]


def _sh(response):
    return next(r.score for r in response.context["results"].instrument_rows if r.instrument.code == "SH")


def test_a_second_view_is_served_from_the_kept_results(client, cast, answered, django_assert_num_queries):
    client = as_user(client, cast.viewer)
    first = _view(client, answered, django_assert_num_queries, COMPUTED)
    again = _view(client, answered, django_assert_num_queries, KEPT)
    assert again.context["results"] is first.context["results"]
    assert _without_tokens(again) == _without_tokens(first)
    # Another page of gaps, or another member, reads the same kept results.
    _view(as_user(client, cast.owner), answered, django_assert_num_queries, KEPT, page="2")


def test_an_answer_saved_computes_them_again(client, cast, answered, django_assert_num_queries):
    client = as_user(client, cast.viewer)
    before = _sh(_view(client, answered, django_assert_num_queries, COMPUTED))
    seed_answers(answered, cast.membership(cast.editor), themes=["T04"], choice="yes")
    after = _view(client, answered, django_assert_num_queries, COMPUTED)
    assert _sh(after).score > before.score
    again = _view(client, answered, django_assert_num_queries, KEPT)
    assert again.context["results"] is after.context["results"]
    assert _sh_row(again) == _sh_row(after)


def test_the_page_shows_the_figures_of_the_answers_saved(client, cast, answered, django_assert_num_queries):
    client = as_user(client, cast.viewer)
    before = _view(client, answered, django_assert_num_queries, COMPUTED)
    _view(client, answered, django_assert_num_queries, KEPT)
    seed_answers(answered, cast.membership(cast.editor), themes=["T04"], choice="yes")
    after = _view(client, answered, django_assert_num_queries, COMPUTED)
    assert _sh_row(after) != _sh_row(before)
    counts = _sh(after).counts
    assert (
        f"{counts['yes']} / {counts['partial']} / {counts['no']} / {counts['na']} / {counts['unanswered']}"
        in _sh_row(after)
    )


def test_a_second_view_renders_no_figures(client, cast, answered, django_assert_num_queries, monkeypatch):
    from assessments.templatetags import links

    client = as_user(client, cast.viewer)
    first = _view(client, answered, django_assert_num_queries, COMPUTED)
    linked = []
    monkeypatch.setattr(links, "item_url", lambda *args: linked.append(args) or "#")
    again = _view(client, answered, django_assert_num_queries, KEPT)
    assert linked == []  # no gap, nor the summary, was linked again: the rendered figures were kept
    assert _sh_row(again) == _sh_row(first)
    # Another page of gaps is rendered once, then kept too.
    second = _view(client, answered, django_assert_num_queries, KEPT, page="2")
    assert linked and 'aria-current="page">2<' in second.content.decode().replace(" ", "")
    assert second.content.decode().count('class="card mb-2"') != 0
    linked.clear()
    _view(client, answered, django_assert_num_queries, KEPT, page="2")
    assert linked == []


def test_a_comparison_is_rendered_each_time(client, cast, answered, django_assert_num_queries):
    other = assessment_create(
        membership=cast.membership(cast.owner),
        title="Last year",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "CF", "GA", "HL", "IC"]),
    )
    client = as_user(client, cast.viewer)
    plain = _view(client, answered, django_assert_num_queries, COMPUTED)
    compared = client.get(reverse("results", args=[answered.code]), {"compare": str(other.code)})
    assert compared.status_code == 200
    assert '<th scope="col">Δ</th>' in compared.content.decode() and "Last year" in compared.content.decode()
    again = _view(client, answered, django_assert_num_queries, KEPT)
    assert '<th scope="col">Δ</th>' not in again.content.decode()
    assert _sh_row(again) == _sh_row(plain)


def test_a_library_change_computes_them_again(client, cast, answered, django_assert_num_queries):
    client = as_user(client, cast.viewer)
    _view(client, answered, django_assert_num_queries, COMPUTED)
    revision = LibraryState.objects.get().revision
    # An item of the checklist leaves the library: a save, which bumps the library's revision.
    item = ChecklistItem.objects.get(code=checklist(answered, themes=["T04"])[0].code)
    item.active = False
    item.save()
    assert LibraryState.objects.get().revision > revision
    after = _view(client, answered, django_assert_num_queries, COMPUTED)
    assert item.code not in {i.code for i in after.context["results"].record.items}
    _view(client, answered, django_assert_num_queries, KEPT)


def test_an_admin_change_of_instruments_computes_them_again(
    admin_client, client, cast, answered, django_assert_num_queries
):
    client = as_user(client, cast.viewer)
    assert len(_view(client, answered, django_assert_num_queries, COMPUTED).context["results"].instrument_rows) == 5
    data = {
        "title": answered.title,
        "scope": answered.scope,
        "description": "",
        "instruments": list(Instrument.objects.filter(code__in=["SH", "HL"]).values_list("pk", flat=True)),
        "answers-TOTAL_FORMS": 0,
        "answers-INITIAL_FORMS": 0,
        "answers-MIN_NUM_FORMS": 0,
        "answers-MAX_NUM_FORMS": 1000,
    }
    change = reverse("admin:assessments_assessment_change", args=[answered.pk])
    assert admin_client.post(change, data).status_code == 302
    after = _view(client, answered, django_assert_num_queries, COMPUTED)
    assert [r.instrument.code for r in after.context["results"].instrument_rows] == ["SH", "HL"]


def test_the_next_day_computes_them_again(client, cast, assessment, monkeypatch, django_assert_num_queries):
    # Evidence valid through today no longer holds tomorrow.
    today = timezone.localdate()
    seed_answers(
        assessment,
        cast.membership(cast.owner),
        themes=["T05"],
        limit=1,
        answer=lambda n, item: ("yes", "Policy.", ["https://e.example/policy"]),
    )
    answer = assessment.answers.get()
    answer.evidence_valid_until = today
    answer.save()
    Assessment.objects.filter(pk=assessment.pk).update(updated=timezone.now())
    client = as_user(client, cast.viewer)
    assert _view(client, assessment, django_assert_num_queries, COMPUTED).context["results"].expired_evidence == 0
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    later = _view(client, assessment, django_assert_num_queries, COMPUTED)
    assert later.context["results"].expired_evidence == 1
    assert 'id="expired-evidence"' in later.content.decode()


def test_each_language_has_its_own(client, cast, answered, django_assert_num_queries):
    client = as_user(client, cast.viewer)
    english = _view(client, answered, django_assert_num_queries, COMPUTED)
    client.cookies["django_language"] = "fr"
    french = _view(client, answered, django_assert_num_queries, COMPUTED, HTTP_ACCEPT_LANGUAGE="fr")
    assert french.context["results"] is not english.context["results"]
    assert "Résultats" in french.content.decode() and "Par thème" in french.content.decode()
    again = _view(client, answered, django_assert_num_queries, KEPT)
    assert again.context["results"] is french.context["results"]
    client.cookies["django_language"] = "en"
    english_again = _view(client, answered, django_assert_num_queries, KEPT, HTTP_ACCEPT_LANGUAGE="en")
    assert "By theme" in english_again.content.decode() and "Par thème" not in english_again.content.decode()


def test_another_organisations_draft_is_never_served_them(client, cast, answered, django_assert_num_queries):
    theirs = outsiders_twin(cast, answered)  # even with every other part of the key alike
    ours = _view(as_user(client, cast.viewer), answered, django_assert_num_queries, COMPUTED)
    outsider = as_user(client, cast.outsider)
    other = _view(outsider, theirs, django_assert_num_queries, COMPUTED)
    assert other.context["results"] is not ours.context["results"]
    assert _sh(other).score is None and _sh(ours).score is not None
    assert _sh_row(other) != _sh_row(ours)
    with translation.override("en"):
        assert results_cache.key(theirs, 1) != results_cache.key(answered, 1)


def test_approved_assessments_are_not_kept(client, cast, answered):
    approve(assessment=answered, membership=cast.membership(cast.owner))
    assert as_user(client, cast.viewer).get(reverse("results", args=[answered.code])).status_code == 200
    assert len(results_cache._kept) == 0


def test_the_store_keeps_to_its_budget_dropping_the_least_recently_used():
    kept = Kept(budget=10)
    kept.put("a", "A", 4)
    kept.put("b", "B", 4)
    assert kept.get("a") == "A"  # now the most recently used
    kept.put("c", "C", 4)  # over budget: "b" goes
    assert kept.get("b") is None and kept.get("a") == "A" and kept.get("c") == "C"
    kept.put("huge", "H", 11)  # larger than the whole budget: not kept, nothing dropped
    assert kept.get("huge") is None and len(kept) == 2
    kept.put("a", "A2", 4)  # replaced, not counted twice
    assert kept.get("a") == "A2" and len(kept) == 2
