"""Fault test: kill a worker in the middle of a save, and show that the answer is either fully saved
or not saved and reported as not saved, never half-written.

A real gunicorn (one sync worker, tests/production/fault_wsgi.py) serves the test database, which
the test commits to (transactional test). The fault wrapper stops the first save inside its
transaction, after the Answer row is written and before its revision and the commit; the test
then SIGKILLs that worker. The client gets no acknowledgment, the database holds nothing of the
save, and the same save, retried once gunicorn has respawned the worker, is acknowledged and
stored whole. Runs on SQLite and on PostgreSQL (scripts/with-postgres.sh), like the suite.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.contrib.auth import get_user_model
from django.db import connection

from assessments.models import Answer, AnswerRevision, Assessment, Membership, Organisation, Role
from assessments.selectors import assessment_record
from assessments.services import assessment_create
from governance.models import Instrument

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "fault-test-password-2026"
TIMEOUT = 30  # any single HTTP request
READY_TIMEOUT = 90  # gunicorn start, or respawn of a killed worker
PAUSE_TIMEOUT = 60  # the request reaching the pause in the middle of the save

pytestmark = pytest.mark.django_db(transaction=True)


def database_url():
    """The test database (pytest-django has switched NAME to it), as a URL for the server."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            pytest.skip("the server process needs a database file, not an in-memory SQLite database")
        return f"sqlite:///{name}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
    pytest.skip(f"no server set-up for {db['ENGINE']}")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def worker_pids(self):
        """The gunicorn master's children: its workers (found in /proc, no psutil needed)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def wait_ready(self, old_worker=None):
        """Until a worker (another one than `old_worker`) answers the sign-in page."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log_text()}"
            workers = self.worker_pids()
            if workers and old_worker not in workers:
                try:
                    if requests.get(f"{self.url}/accounts/login/", timeout=TIMEOUT).status_code == 200:
                        return workers
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer within {READY_TIMEOUT} s:\n{self.log_text()}")

    def log_text(self):
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@contextmanager
def gunicorn(tmp_path, pause_file=None):
    """gunicorn with one sync worker on a loopback socket we bind ourselves (so no port race)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAULT_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY")
            or "fault-test-only-secret-key-not-for-any-deployment-4e1b7a9c2d",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_MANIFEST_STATIC": "0",
            "DJANGO_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            "PYTHONPATH": str(ROOT),
        }
    )
    if pause_file:
        env["FAULT_PAUSE_FILE"] = str(pause_file)
        env["FAULT_PAUSE_SECONDS"] = str(PAUSE_TIMEOUT + 30)
    log = tmp_path / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "tests.production.fault_wsgi:application",
        "--bind",
        f"fd://{listener.fileno()}",
        "--workers",
        "1",
        "--worker-class",
        "sync",
        # Longer than the pause: the test, not gunicorn's timeout, kills the paused worker.
        "--timeout",
        str(PAUSE_TIMEOUT + 60),
        "--graceful-timeout",
        "5",
        "--no-control-socket",
        "--access-logfile",
        "-",
    ]
    process = None
    try:
        with open(log, "wb") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                pass_fds=[listener.fileno()],
                start_new_session=True,
            )
        listener.close()
        server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
        server.wait_ready()
        yield server
    finally:
        listener.close()
        if process is not None:
            _stop(process)


def _stop(process):
    """SIGTERM the whole process group (master and workers), then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The master is gone; its workers exit with it, but make sure.
        for _ in range(50):
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


@dataclass
class Scenario:
    assessment: Assessment
    item: object
    section_path: str
    username: str


@pytest.fixture
def scenario(library):
    user = get_user_model().objects.create_user("fiona", email="fiona@example.org", password=PASSWORD)
    organisation = Organisation.objects.create(name="Fault Tolerance Ltd")
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    assessment = assessment_create(
        membership=membership,
        title="Crash test",
        scope="A worker killed during a save",
        description="",
        instruments=Instrument.objects.filter(code__in=["HL", "GA"]),
    )
    section = assessment_record(assessment=assessment).sections[0]
    return Scenario(
        assessment=assessment,
        item=section.items[0],
        username=user.username,
        section_path=f"/assessments/{assessment.code}/sections/{section.theme.code}/",
    )


def sign_in(server, username):
    session = requests.Session()
    session.trust_env = False  # no proxy: loopback only
    page = session.get(f"{server.url}/accounts/login/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{server.url}/accounts/login/",
        timeout=TIMEOUT,
        allow_redirects=False,
        data={"csrfmiddlewaretoken": token, "login": username, "password": PASSWORD},
    )
    assert response.status_code == 302 and "/accounts/login/" not in response.headers["Location"]
    return session


ANSWER = {
    "choice": "partial",
    "justification": "Covered for the scoring model; the fallback rules are not reviewed yet.",
    "evidence_urls": ["https://evidence.example.org/fault-test/review-2026"],
}


def section_form(server, session, scenario):
    """The section form as the browser would post it, with one answer filled in."""
    page = session.get(server.url + scenario.section_path, timeout=TIMEOUT)
    assert page.status_code == 200
    form = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1),
        "save": "",
    }
    versions = dict(re.findall(r'name="([^"]+-version)" value="(\d+)"', page.text))
    assert f"{scenario.item.code}-version" in versions
    form.update(versions)
    code = scenario.item.code
    form[f"{code}-choice"] = ANSWER["choice"]
    form[f"{code}-justification"] = ANSWER["justification"]
    form[f"{code}-evidence_urls"] = "\n".join(ANSWER["evidence_urls"])
    return form


def saved(scenario):
    return Answer.objects.filter(assessment=scenario.assessment, item_id=scenario.item.id).first()


def assert_fully_saved(scenario):
    answer = saved(scenario)
    assert answer is not None
    assert (answer.choice, answer.justification, answer.evidence_urls, answer.version) == (
        ANSWER["choice"],
        ANSWER["justification"],
        ANSWER["evidence_urls"],
        1,
    )
    revisions = list(AnswerRevision.objects.filter(answer__assessment=scenario.assessment))
    assert [(r.answer_id, r.version) for r in revisions] == [(answer.pk, 1)]
    assert {k: revisions[0].after[k] for k in ANSWER} == ANSWER
    assert Answer.objects.filter(assessment=scenario.assessment).count() == 1


def assert_acknowledged(response, scenario):
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"].endswith(scenario.section_path)


def test_save_without_fault_is_acknowledged_and_stored(tmp_path, scenario):
    with gunicorn(tmp_path) as server:
        session = sign_in(server, scenario.username)
        response = session.post(
            server.url + scenario.section_path,
            data=section_form(server, session, scenario),
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert_acknowledged(response, scenario)
    assert_fully_saved(scenario)


def test_worker_killed_mid_save_leaves_nothing_and_the_retry_saves_it_whole(tmp_path, scenario):
    pause_file = tmp_path / "paused.json"
    updated_before = scenario.assessment.updated
    with gunicorn(tmp_path, pause_file=pause_file) as server:
        session = sign_in(server, scenario.username)
        form = section_form(server, session, scenario)
        outcome = {}

        def post():
            try:
                outcome["response"] = session.post(
                    server.url + scenario.section_path, data=form, allow_redirects=False, timeout=PAUSE_TIMEOUT + 30
                )
            except requests.RequestException as exc:
                outcome["error"] = exc

        client = threading.Thread(target=post, daemon=True)
        client.start()

        # The worker is now inside the save: the Answer row written, the revision and commit not yet.
        deadline = time.monotonic() + PAUSE_TIMEOUT
        while not pause_file.exists():
            assert client.is_alive(), f"the save finished without reaching the fault: {outcome}"
            assert time.monotonic() < deadline, f"the save never reached the fault:\n{server.log_text()}"
            time.sleep(0.05)
        paused = json.loads(pause_file.read_text())
        assert paused["in_transaction"] and paused["answer_row_written"] and paused["version"] == 1
        worker = paused["pid"]
        assert worker in server.worker_pids()
        assert saved(scenario) is None  # uncommitted: invisible outside the transaction

        os.kill(worker, signal.SIGKILL)
        client.join(timeout=TIMEOUT)
        assert not client.is_alive(), "the client is still waiting after the worker died"

        # Reported as not saved: no acknowledgment (gunicorn has no one to answer; the connection drops).
        response, error = outcome.get("response"), outcome.get("error")
        if response is None:
            assert isinstance(error, requests.ConnectionError), repr(error)
        else:
            assert response.status_code >= 500, (response.status_code, response.headers)

        # And not saved: the transaction rolled back whole, nothing of it is left.
        assert saved(scenario) is None
        assert not AnswerRevision.objects.filter(answer__assessment=scenario.assessment).exists()
        assert not Answer.objects.filter(pk=paused["answer_id"]).exists()
        assert Assessment.objects.get(pk=scenario.assessment.pk).updated == updated_before

        # gunicorn respawns the worker; the same save, posted again, goes through whole.
        workers = server.wait_ready(old_worker=worker)
        assert worker not in workers
        response = session.post(server.url + scenario.section_path, data=form, allow_redirects=False, timeout=TIMEOUT)
        assert_acknowledged(response, scenario)
        assert f"Worker (pid:{worker}) was sent SIGKILL" in server.log_text()
    assert_fully_saved(scenario)
