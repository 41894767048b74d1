"""Fault test: kill the task worker (SIGKILL) in the middle of a report's render, and show that
the report still arrives.

A real `manage.py db_worker` serves the test database (a file: the suite's SQLite database, or
PostgreSQL under scripts/with-postgres.sh), rendering in parts on its pool of processes. Once
the render is under way the test kills the worker, as the kernel's OOM killer or a crash would.
Its task stays "running" in the task table for ever; the pool's children notice their parent is
gone and exit. The "being prepared" answer keeps a task behind it: after the stuck-task timeout
(5 s here, with a heartbeat every second) the next request queues the render again, and a
second worker renders it; the second render, slow or not, is never queued a third time while its
heartbeat goes on.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from assessments.models import DraftReport, Membership, Organisation, RenderStatus, ReportRender, Role
from assessments.reports.downloads import report_request
from assessments.services import assessment_create
from governance.models import Instrument
from tests.factories import seed_answers
from tests.production.test_fault_save import ROOT, database_url

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 5  # the stuck-task timeout, short for the test
WAIT = 180  # for a worker to start, or a render to finish, on a loaded machine


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start_worker(tmp_path, settings, name):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAULT_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "fault-test-only-secret-key",
            "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "REPORT_RENDER_PROCESSES": "2",
            "REPORT_RENDER_TIMEOUT_SECONDS": str(TIMEOUT),  # its heartbeat, every second
            "PYTHONPATH": str(ROOT),
        }
    )
    log = open(tmp_path / f"{name}.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log_path = tmp_path / f"{name}.log"
    return process


def stop(process):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=15)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


def wait_for(what, predicate, process=None):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if predicate():
            return
        if process is not None and process.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{process.log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    log = process.log_path.read_text()[-3000:] if process is not None else ""
    pytest.fail(f"no {what} within {WAIT} s\n{log}")


def test_worker_killed_mid_render_and_the_report_still_arrives(library, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.REPORT_RENDER_TIMEOUT_SECONDS = TIMEOUT
    user = get_user_model().objects.create_user("karl", password="x")
    organisation = Organisation.objects.create(name="Crash Test Ltd")
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
    # The whole library: long enough a render (seconds) to be killed in the middle of.
    assessment = assessment_create(
        membership=membership,
        title="Killed mid-render",
        scope="All",
        description="",
        instruments=Instrument.objects.filter(retired=False),
    )
    seed_answers(assessment, membership, justification="What is in place, and where it is recorded.")

    assert report_request(assessment=assessment, membership=membership).status == "pending"
    render = ReportRender.objects.get()
    first_task = render.task_id

    workers = []
    try:
        worker = start_worker(tmp_path, settings, "worker-1")
        workers.append(worker)
        wait_for(
            "render under way",
            lambda: ReportRender.objects.filter(pk=render.pk, status=RenderStatus.RUNNING).exists(),
            worker,
        )
        wait_for("renderer processes", lambda: len(children_of(worker.pid)) >= 2, worker)
        time.sleep(1)  # into the render (it takes several seconds)
        renderers = children_of(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert not DraftReport.objects.exists(), "the render finished before the kill: nothing was tested"

        # The pool's children do not outlive the worker.
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in renderers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in renderers if alive(pid)], "renderer processes outlived the killed worker"

        # Still "being prepared", with the dead worker's task behind it, until the timeout.
        download = report_request(assessment=assessment, membership=membership, start=False)
        assert download.status == "pending" and download.render.attempts == 1
        time.sleep(TIMEOUT + 1)
        download = report_request(assessment=assessment, membership=membership, start=False)
        assert download.status == "pending"
        assert download.render.attempts == 2 and download.render.task_id != first_task

        worker = start_worker(tmp_path, settings, "worker-2")
        workers.append(worker)
        wait_for(
            "report",
            lambda: report_request(assessment=assessment, membership=membership, start=False).status == "ready",
            worker,
        )
    finally:
        for process in workers:
            stop(process)

    report = DraftReport.objects.get(assessment=assessment)
    pdf = report.file.read()
    assert pdf.startswith(b"%PDF-") and report.size == len(pdf)
    done = ReportRender.objects.get()
    assert (done.status, done.attempts) == (RenderStatus.DONE, 2)
    assert "was lost or failed" not in (tmp_path / "worker-2.log").read_text()  # the request re-queued it
