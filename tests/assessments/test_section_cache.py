"""A draft's section record kept between views of the section page (results_cache.section_record):
kept while nothing it holds changes, loaded again when something does, the answer versions in
its forms always those saved, and never served to another assessment or section."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import results_cache
from assessments.models import Assessment
from assessments.record import live
from assessments.services import assessment_create
from assessments.services.review import assessment_send_for_review
from governance.models import ChecklistItem
from tests.assessments.helpers import form_data, items_in
from tests.cast import as_user
from tests.factories import approve, outsiders_twin, seed_answers

THEME = "T05"
# session, user; assessment (with the library's revision), membership; the section's comment
# threads; and, when loaded, the record: instruments, the sections' counts (three queries),
# principles, links, items, answers, files (tests/assessments/test_section_queries.py). Loaded
# again under the same library revision and instruments, the library's part is kept
# (record.live._library_section): instruments, answered per section, answers, files.
KEPT, LOADED, REREAD = 5, 14, 9


def _view(client, assessment, django_assert_num_queries, queries, theme=THEME):
    with django_assert_num_queries(queries):
        response = client.get(reverse("section", args=[assessment.code, theme]))
    assert response.status_code == 200
    return response


def _without_tokens(response):
    return re.sub(r'(csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r"\1", response.content.decode())


def _version(response, code):
    return re.search(rf'name="{code}-version" value="(\d+)"', response.content.decode())[1]


def test_a_second_view_is_served_from_the_kept_record(client, cast, assessment, django_assert_num_queries):
    seed_answers(assessment, cast.membership(cast.owner), themes=[THEME], limit=2)
    editor = as_user(client, cast.editor)
    first = _view(editor, assessment, django_assert_num_queries, LOADED)
    again = _view(editor, assessment, django_assert_num_queries, KEPT)
    assert again.context["record"] is first.context["record"]
    assert _without_tokens(again) == _without_tokens(first)
    # Another member reads the same record, shown for their role.
    viewer = _view(as_user(client, cast.viewer), assessment, django_assert_num_queries, KEPT)
    assert viewer.context["record"] is first.context["record"] and viewer.context["readonly"]


def test_a_save_on_the_page_shows_at_once_with_its_new_version(client, cast, assessment, django_assert_num_queries):
    code = items_in(assessment, THEME)[0]
    editor = as_user(client, cast.editor)
    before = _view(editor, assessment, django_assert_num_queries, LOADED)
    assert _version(before, code) == "0"
    data = form_data(assessment, THEME, **{code: {"choice": "yes", "justification": "Kept fresh."}})
    assert editor.post(reverse("section", args=[assessment.code, THEME]), data).status_code == 302
    after = _view(editor, assessment, django_assert_num_queries, REREAD)
    assert _version(after, code) == "1" and "Kept fresh." in after.content.decode()
    # Saving again from the page is an ordinary save, not a conflict with a stale version.
    data = form_data(assessment, THEME, **{code: {"choice": "no", "justification": "Changed."}})
    assert editor.post(reverse("section", args=[assessment.code, THEME]), data).status_code == 302
    assert _version(_view(editor, assessment, django_assert_num_queries, REREAD), code) == "2"


def test_another_members_save_loads_it_again(client, cast, assessment, django_assert_num_queries):
    viewer = as_user(client, cast.viewer)
    _view(viewer, assessment, django_assert_num_queries, LOADED)
    [code] = seed_answers(assessment, cast.membership(cast.editor), themes=[THEME], limit=1, justification="Theirs.")
    after = _view(viewer, assessment, django_assert_num_queries, REREAD)
    assert "Theirs." in after.content.decode()
    assert next(i for i in after.context["section"].items if i.code == code).answer.choice == "yes"
    # The sections' counts are those of the new answer too.
    assert after.context["record"].section(THEME).progress.answered == 1


def test_each_section_is_kept_apart(client, cast, assessment, django_assert_num_queries):
    viewer = as_user(client, cast.viewer)
    t05 = _view(viewer, assessment, django_assert_num_queries, LOADED)
    t04 = _view(viewer, assessment, django_assert_num_queries, LOADED, theme="T04")
    assert [i.code for i in t04.context["section"].items] != [i.code for i in t05.context["section"].items]
    _view(viewer, assessment, django_assert_num_queries, KEPT, theme="T04")
    _view(viewer, assessment, django_assert_num_queries, KEPT)


def test_a_library_change_loads_it_again(client, cast, assessment, django_assert_num_queries):
    viewer = as_user(client, cast.viewer)
    _view(viewer, assessment, django_assert_num_queries, LOADED)
    item = ChecklistItem.objects.get(code=items_in(assessment, THEME)[0])
    item.question = "Is the reworded question shown?"
    item.save()  # a library write bumps its revision
    after = _view(viewer, assessment, django_assert_num_queries, LOADED)
    assert "Is the reworded question shown?" in after.content.decode()


def test_the_next_day_loads_it_again(client, cast, assessment, monkeypatch, django_assert_num_queries):
    # Evidence valid through today no longer holds tomorrow, and the card says so.
    seed_answers(
        assessment,
        cast.membership(cast.owner),
        themes=[THEME],
        limit=1,
        answer=lambda n, item: ("yes", "Policy.", ["https://e.example/policy"]),
    )
    answer = assessment.answers.get()
    answer.evidence_valid_until = timezone.localdate()
    answer.save()
    Assessment.objects.filter(pk=assessment.pk).update(updated=timezone.now())
    viewer = as_user(client, cast.viewer)
    assert "no longer counts" not in _view(viewer, assessment, django_assert_num_queries, LOADED).content.decode()
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert "no longer counts" in _view(viewer, assessment, django_assert_num_queries, REREAD).content.decode()


def test_another_organisations_draft_is_never_served_it(client, cast, assessment, django_assert_num_queries):
    seed_answers(assessment, cast.membership(cast.owner), themes=[THEME], justification="Ours alone.")
    theirs = outsiders_twin(cast, assessment)
    ours = _view(as_user(client, cast.viewer), assessment, django_assert_num_queries, LOADED)
    # The library's part is shared (the same instruments); the draft's own rows are not.
    other = _view(as_user(client, cast.outsider), theirs, django_assert_num_queries, REREAD)
    assert other.context["record"] is not ours.context["record"]
    assert "Ours alone." in ours.content.decode() and "Ours alone." not in other.content.decode()


@pytest.mark.parametrize("frozen", ["in_review", "approved"])
def test_frozen_assessments_are_not_kept(client, cast, assessment, frozen):
    seed_answers(assessment, cast.membership(cast.owner))
    owner = cast.membership(cast.owner)
    if frozen == "in_review":
        assessment_send_for_review(assessment=assessment, membership=owner)
    else:
        approve(assessment=assessment, membership=owner)
    assert as_user(client, cast.viewer).get(reverse("section", args=[assessment.code, THEME])).status_code == 200
    assert len(results_cache._sections) == 0


def test_a_section_not_on_the_checklist_is_a_404_and_not_kept(client, cast, assessment):
    viewer = as_user(client, cast.viewer)
    for code in ("T99", "nope", "T05x"):
        assert viewer.get(reverse("section", args=[assessment.code, code])).status_code == 404
    assert len(results_cache._sections) == 0 and len(live._library_sections) == 0
    assert viewer.get(reverse("section", args=[assessment.code, THEME])).status_code == 200
    assert len(results_cache._sections) == 1 and len(live._library_sections) == 1


def test_the_library_part_is_kept_per_set_of_instruments(client, cast, assessment, django_assert_num_queries):
    viewer = as_user(client, cast.viewer)
    _view(viewer, assessment, django_assert_num_queries, LOADED)
    owner = cast.membership(cast.owner)
    fewer = assessment_create(
        membership=owner, title="Fewer", scope="One", description="", instruments=assessment.instruments.all()[:1]
    )
    page = _view(viewer, fewer, django_assert_num_queries, LOADED)
    assert len(live._library_sections) == 2
    # Its totals are its own checklist's, not the other draft's.
    assert (
        page.context["record"].progress.total
        < _view(viewer, assessment, django_assert_num_queries, KEPT).context["record"].progress.total
    )


def test_an_item_leaving_the_checklist_updates_the_kept_totals(client, cast, assessment, django_assert_num_queries):
    viewer = as_user(client, cast.viewer)
    before = _view(viewer, assessment, django_assert_num_queries, LOADED).context["record"]
    other_theme = next(s for s in before.sections if s.theme.code != THEME)
    item = ChecklistItem.objects.filter(
        theme__code=other_theme.theme.code, code__in=items_in(assessment, other_theme.theme.code)
    ).first()
    item.active = False
    item.save()  # a library write bumps its revision
    after = _view(viewer, assessment, django_assert_num_queries, LOADED).context["record"]
    assert after.section(other_theme.theme.code).progress.total == other_theme.progress.total - 1
