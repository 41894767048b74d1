"""A draft's report: rendered by the task worker, stored, and served from storage until
something it reports changes."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import DraftReport, RenderStatus, ReportRender
from assessments.reports import services
from assessments.reports.context import report_context
from assessments.reports.inputs import draft_inputs
from assessments.reports.services import report_content_key
from assessments.selectors import assessment_record
from assessments.services import AnswerInput, answers_save, assessment_create, assessment_delete
from governance.models import ChecklistItem, Instrument, Principle
from governance.signals import library_models
from tests.cast import as_user
from tests.factories import approve, seed_answers
from tests.reports.pdf import page_count, pdftotext


@pytest.fixture
def small(cast):
    membership = cast.membership(cast.owner)
    assessment = assessment_create(
        membership=membership,
        title="Chatbot 2026",
        scope="Customer chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["SH", "HL"]),
    )
    seed_answers(assessment, membership, themes=["T04"], choice="no", justification="Not yet.")
    return assessment


@pytest.fixture
def renders(monkeypatch):
    """Count the PDF renders; each gives different bytes, so a re-render shows."""
    made = []

    def fake(html, **kwargs):
        made.append(html)
        return f"%PDF-1.7 render {len(made)}".encode()

    monkeypatch.setattr(services, "html_to_pdf", fake)
    return made


@pytest.fixture
def worker(settings):
    """The database task backend, as in production: requests queue, `run()` works the queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run():
        # db_worker's own loop, less its connection handling (which would close the test's).
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        while (result := DBTaskResult.objects.ready().first()) is not None:
            result.claim(worker.worker_id)
            worker.run_task(result)

    return run


def url(assessment, name="report-pdf"):
    return reverse(name, args=[assessment.code])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def answer(assessment, user, membership, choice="yes", justification="Done since March."):
    item = next(i for i in assessment_record(assessment=assessment).items if i.answer and i.answer.choice == "no")
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[AnswerInput(item.id, item.code, choice, justification, [], item.answer.version)],
    )


# --- hit and miss ----------------------------------------------------------------------------


def test_repeat_download_of_an_unchanged_draft_is_served_from_storage(
    client, cast, small, renders, django_assert_num_queries
):
    client = as_user(client, cast.editor)
    first = client.get(url(small))
    assert first.status_code == 200 and body(first) == b"%PDF-1.7 render 1"
    stored = DraftReport.objects.get(assessment=small)
    # session, user, assessment, membership, the input fingerprint (2), the stored report; the
    # download's line in the organisation log
    with django_assert_num_queries(8):
        second = client.get(url(small))
    assert body(second) == b"%PDF-1.7 render 1" and len(renders) == 1
    assert set(second["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert DraftReport.objects.get(assessment=small).file.name == stored.file.name
    # A viewer downloads what exists.
    assert body(as_user(client, cast.viewer).get(url(small))) == b"%PDF-1.7 render 1"
    assert len(renders) == 1 and ReportRender.objects.count() == 1


def test_a_changed_answer_makes_a_new_report_and_the_old_file_goes(
    client, cast, small, renders, django_capture_on_commit_callbacks
):
    client = as_user(client, cast.editor)
    client.get(url(small))
    old = DraftReport.objects.get(assessment=small)
    storage, old_name = old.file.storage, old.file.name
    answer(small, cast.editor, cast.membership(cast.editor))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url(small))
    assert body(response) == b"%PDF-1.7 render 2"
    assert "Done since March." in renders[1] and "Done since March." not in renders[0]
    new = DraftReport.objects.get(assessment=small)
    assert new.inputs != old.inputs and new.file.name != old_name
    assert storage.exists(new.file.name) and not storage.exists(old_name)
    assert ReportRender.objects.filter(assessment=small).count() == 2


def test_a_library_change_makes_a_new_report(client, cast, small, renders):
    client = as_user(client, cast.editor)
    client.get(url(small))
    # The recommendations are printed in the gaps chapter but are not in the export digest.
    item = ChecklistItem.objects.get(code=small.answers.first().item.code)
    item.recommendation = "Appoint an owner for every model in production."
    item.save()
    assert body(client.get(url(small))) == b"%PDF-1.7 render 2"
    assert "Appoint an owner for every model in production." in renders[1]
    principle = Principle.objects.get(code="SH-6")
    principle.heading_en = "A renamed heading"
    principle.save()
    assert body(client.get(url(small))) == b"%PDF-1.7 render 3"
    assert "A renamed heading" in renders[2]


def test_a_change_the_report_does_not_print_relabels_the_stored_one(client, cast, small, renders):
    client = as_user(client, cast.editor)
    client.get(url(small))
    before = DraftReport.objects.get(assessment=small)
    # An item's guidance helps whoever answers; neither the report nor its export prints it.
    item = ChecklistItem.objects.get(code=small.answers.first().item.code)
    item.guidance = "Ask the model's owner."
    item.save()
    assert draft_inputs(small) != before.inputs
    assert body(client.get(url(small))) == b"%PDF-1.7 render 1"
    after = DraftReport.objects.get(assessment=small)
    assert len(renders) == 1 and after.inputs == draft_inputs(small) and after.file.name == before.file.name


def test_the_cache_key_is_not_fooled_by_the_time_it_is_read(cast, small, monkeypatch):
    morning = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    inputs, context = draft_inputs(small), report_context(small)
    later = morning + dt.timedelta(hours=12)  # the same day
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert draft_inputs(small) == inputs
    again = report_context(small)
    assert again["generated_at"] == later != context["generated_at"]
    assert report_content_key(again) == report_content_key(context)


def test_a_draft_report_is_fresh_for_its_day_only(cast, small, monkeypatch):
    """Evidence expires by the day, so the next day's report of the same data is a new one."""
    morning = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    inputs = draft_inputs(small)
    monkeypatch.setattr(timezone, "now", lambda: morning + dt.timedelta(days=1))
    assert draft_inputs(small) != inputs


def test_every_library_model_bumps_the_library_revision():
    """A new library model that the signals missed would let a report go stale."""
    from django.db.models.signals import post_delete, post_save

    models = library_models()
    assert {m.__name__ for m in models} >= {"Instrument", "Principle", "ChecklistItem", "ItemPrinciple", "Theme"}
    for model in models:
        assert post_save.has_listeners(model) and post_delete.has_listeners(model), model


def test_library_load_bumps_the_revision(library):
    from governance.models import LibraryState

    before = LibraryState.objects.get().revision
    Principle.objects.filter(code="SH-6").update(heading_en="Changed behind the loader's back")
    call_command("load_library", verbosity=0)  # writes the shipped text back
    assert LibraryState.objects.get().revision > before


# --- the worker ------------------------------------------------------------------------------


def test_the_worker_renders_the_draft_and_the_download_is_its_file(client, cast, small, worker, tmp_path):
    client = as_user(client, cast.editor)
    pending = client.get(url(small))
    assert pending.status_code == 202
    assert "being prepared" in pending.content.decode() and not DraftReport.objects.exists()
    assert set(pending["Cache-Control"].split(", ")) == {"private", "no-store"}
    status = client.get(url(small, "report-status"))
    assert status.status_code == 200 and "queued for the report worker" in status.content.decode()

    worker()

    render = ReportRender.objects.get()
    assert render.status == RenderStatus.DONE and render.attempts == 1
    ready = client.get(url(small, "report-status"))
    assert "The report is ready" in ready.content.decode()
    assert f'content="1;url={url(small)}?lang=en"' in ready.content.decode()
    pdf = body(client.get(url(small)))
    assert pdf == DraftReport.objects.get(assessment=small).file.read()
    pages = page_count(pdf, tmp_path)
    for page in range(1, pages + 1):
        text = pdftotext(pdf, tmp_path, page)
        assert "Draft — provisional" in text and f"Page {page} of {pages}" in text


def test_a_viewer_cannot_start_a_render_but_gets_one_that_is_under_way(client, cast, small, worker):
    viewer = as_user(client, cast.viewer)
    refused = viewer.get(url(small))
    assert refused.status_code == 403
    assert "An editor must prepare this report" in refused.content.decode()
    assert not ReportRender.objects.exists() and not DBTaskResult.objects.exists()

    assert as_user(client, cast.editor).get(url(small)).status_code == 202
    viewer = as_user(client, cast.viewer)
    assert viewer.get(url(small)).status_code == 202  # being prepared: the viewer may wait for it
    worker()
    assert viewer.get(url(small)).status_code == 200
    assert ReportRender.objects.count() == 1


# --- budgets ---------------------------------------------------------------------------------


def test_the_budget_is_counted_per_person(client, cast, small, renders, settings):
    settings.REPORT_RATE_LIMIT_PER_PERSON = 1
    editor = as_user(client, cast.editor)
    assert editor.get(url(small)).status_code == 200
    answer(small, cast.editor, cast.membership(cast.editor))
    refused = editor.get(url(small))
    assert refused.status_code == 429 and "You have asked for many reports" in refused.content.decode()
    assert refused["Retry-After"] == "600"
    # Someone else in the organisation still can; and the stored report still downloads.
    assert as_user(client, cast.owner).get(url(small)).status_code == 200
    assert as_user(client, cast.editor).get(url(small)).status_code == 200
    assert len(renders) == 2


def test_the_budget_is_counted_per_organisation(client, cast, small, renders, settings):
    settings.REPORT_RATE_LIMIT = 2
    for n, user in enumerate([cast.editor, cast.owner]):
        assert as_user(client, user).get(url(small)).status_code == 200
        answer(small, user, cast.membership(user), justification=f"Change {n}.")
    refused = as_user(client, cast.owner).get(url(small))
    assert refused.status_code == 429 and "Your organisation has asked" in refused.content.decode()
    theirs = assessment_create(
        membership=cast.outsider.memberships.get(),
        title="G",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="HL"),
    )
    assert as_user(client, cast.outsider).get(url(theirs)).status_code == 200


def test_a_spent_budget_never_answers_being_prepared_with_nothing_queued(client, cast, small, worker, settings):
    """The bug of issue #13: the queued marker was set before the budget check, so a newly
    submitted assessment's report answered 202 for ten minutes with no task behind it."""

    settings.REPORT_RATE_LIMIT = 1
    assert as_user(client, cast.editor).get(url(small)).status_code == 202  # the budget's one render
    other = assessment_create(
        membership=cast.membership(cast.owner),
        title="Second",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="HL"),
    )
    approve(assessment=other, membership=cast.membership(cast.owner))
    for _ in range(2):
        assert as_user(client, cast.owner).get(url(other)).status_code == 429
        status = as_user(client, cast.owner).get(url(other, "report-status")).content.decode()
        assert "The report is being prepared" not in status and "has not been prepared yet" in status
    assert not ReportRender.objects.filter(assessment=other).exists()
    assert DBTaskResult.objects.count() == 1


# --- lost and failed renders -----------------------------------------------------------------


def test_a_render_whose_worker_died_is_queued_again_after_the_timeout(client, cast, small, worker, settings):
    settings.REPORT_RENDER_TIMEOUT_SECONDS = 60
    client = as_user(client, cast.viewer)
    assert as_user(client, cast.editor).get(url(small)).status_code == 202
    render = ReportRender.objects.get()
    # A worker claims the task, beats for a while, and is killed: the task stays "running".
    DBTaskResult.objects.filter(id=render.task_id).update(status="RUNNING", started_at=timezone.now())
    ReportRender.objects.filter(pk=render.pk).update(
        status=RenderStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    client = as_user(client, cast.viewer)
    assert "started" in client.get(url(small, "report-status")).content.decode()
    assert ReportRender.objects.get().attempts == 1  # its heartbeat is recent: still its first try

    # Long-running is not lost while the heartbeat goes on...
    long_ago = timezone.now() - dt.timedelta(seconds=600)
    ReportRender.objects.filter(pk=render.pk).update(started_at=long_ago, heartbeat_at=timezone.now())
    assert client.get(url(small, "report-status")).status_code == 200
    assert ReportRender.objects.get().attempts == 1
    # ...but a minute of silence is.
    ReportRender.objects.filter(pk=render.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=61))
    page = client.get(url(small, "report-status"))  # a viewer's refresh is enough
    assert "attempt 2" in page.content.decode()
    again = ReportRender.objects.get()
    assert (again.attempts, again.status) == (2, RenderStatus.QUEUED) and again.task_id != render.task_id
    assert DBTaskResult.objects.filter(id=again.task_id, status="READY").exists()

    worker()
    assert client.get(url(small)).status_code == 200
    assert ReportRender.objects.get().status == RenderStatus.DONE


def test_a_render_whose_task_vanished_is_queued_again(client, cast, small, worker):
    as_user(client, cast.editor).get(url(small))
    DBTaskResult.objects.all().delete()
    assert as_user(client, cast.editor).get(url(small, "report-status")).status_code == 200
    assert ReportRender.objects.get().attempts == 2 and DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_render_that_keeps_failing_says_so(client, cast, small, settings, monkeypatch):
    settings.REPORT_RENDER_ATTEMPTS = 2

    def broken(html, **kwargs):
        raise RuntimeError("renderer out of memory")

    monkeypatch.setattr(services, "html_to_pdf", broken)
    editor = as_user(client, cast.editor)
    first = editor.get(url(small))
    assert first.status_code == 503 and "could not be prepared" in first.content.decode()
    assert ReportRender.objects.get().error == "RuntimeError: renderer out of memory"
    page = editor.get(url(small, "report-status"))  # queued again once, fails again
    assert "failed 2 times" in page.content.decode()
    assert ReportRender.objects.get().attempts == 2
    viewer = as_user(client, cast.viewer).get(url(small))
    assert viewer.status_code == 403  # used up: only an editor may try again
    monkeypatch.undo()
    settings.REPORT_RENDER_ATTEMPTS = 2
    assert as_user(client, cast.editor).get(url(small)).status_code == 200  # "Try again"


# --- clean-up --------------------------------------------------------------------------------


def test_deleting_the_draft_deletes_its_cached_report(client, cast, small, renders, django_capture_on_commit_callbacks):
    as_user(client, cast.editor).get(url(small))
    report = DraftReport.objects.get()
    storage, name = report.file.storage, report.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assessment_delete(assessment=small, membership=cast.membership(cast.owner))
    assert not DraftReport.objects.exists() and not storage.exists(name)
