"""scripts/serve.sh supervises gunicorn and the task worker separately: killing one restarts
that one alone, and the other carries on; SIGTERM stops both and the script, leaving nothing.

The real script runs against the test database (a transactional test commits to it), with one
gunicorn worker, plain static files in a temporary STATIC_ROOT and no library load, to be quick.
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.production.live import ROOT, TIMEOUT, free_port, server_env, stop_group, tail, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
RESTART_TIMEOUT = 60


def processes():
    """{pid: (parent pid, command line)} of every live process, from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                state, parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if state != "Z":
                table[int(entry.name)] = (int(parent), command)
    return table


def find(root, kind):
    """The pid of the gunicorn master ("web") or of the task worker ("worker") under ``root``,
    or None: looked up in /proc, not taken from what serve.sh says about itself."""
    table = processes()
    below, frontier = set(), {root}
    while frontier:
        below |= frontier
        frontier = {pid for pid, (parent, _) in table.items() if parent in frontier} - below
    for pid in sorted(below):
        parent, command = table[pid]
        if kind == "worker" and "manage.py db_worker" in command:
            return pid
        if kind == "web" and "gunicorn" in command and "gunicorn" not in table.get(parent, (0, ""))[1]:
            return pid
    return None


def started(log, process):
    """The pids that serve.sh reported starting for ``process`` ("web" or "worker"), in order."""
    pids = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            record = json.loads(line)  # each of its lines is one JSON object
            if record.get("logger") == "serve" and record.get("message") == f"{process} started":
                pids.append(record["pid"])
    return pids


def polling(log):
    """How many task workers have started polling the queue, by their log lines."""
    return log.read_text(errors="replace").count('"message": "Starting worker worker_id=')


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too: its parent has not reaped it yet.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition, what, log, timeout=RESTART_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout} s:\n{tail(log)}")


@pytest.fixture
def serve(tmp_path):
    port = free_port()
    env = server_env(
        tmp_path,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        LOAD_LIBRARY="0",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    leaders = set()
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/accounts/login/", process, log)
        # Until the worker is polling the queue (django-tasks-db says so), not only started.
        wait_until(lambda: polling(log) == 1, "the worker did not start polling", log)
        yield process, url, log
    finally:
        # serve.sh runs gunicorn and the worker each in a process group of its own: should the
        # test fail before serve.sh stopped them, end those groups too.
        leaders |= {pid for name in ("web", "worker") for pid in started(log, name)}
        stop_group(process, term_wait=45)
        for leader in leaders:
            try:
                os.killpg(leader, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_each_process_is_restarted_alone_and_sigterm_stops_everything(serve):
    """One start of serve.sh (it takes a while), three faults in turn."""
    process, url, log = serve
    web, worker = find(process.pid, "web"), find(process.pid, "worker")
    assert web and worker

    # 1. The worker dies: it comes back, and the web does not notice.
    os.kill(worker, signal.SIGKILL)
    wait_until(lambda: not alive(worker), "the killed worker is still there", log)
    assert requests.get(f"{url}/accounts/login/", timeout=TIMEOUT).status_code == 200
    wait_until(lambda: find(process.pid, "worker") not in (None, worker), "the worker was not started again", log)
    assert process.poll() is None, tail(log)
    restarted = find(process.pid, "worker")
    assert "worker exited with status 137; starting it again in 1 s" in log.read_text()
    assert started(log, "worker") == [worker, restarted]
    wait_until(lambda: polling(log) == 2, "the new worker did not start polling", log)
    assert find(process.pid, "web") == web
    assert requests.get(f"{url}/accounts/login/", timeout=TIMEOUT).status_code == 200

    # 2. The gunicorn master dies: its orphaned workers are ended (they would hold the port), a
    # new master serves, and the task worker carries on.
    os.kill(web, signal.SIGKILL)
    wait_until(lambda: len(started(log, "web")) == 2, "gunicorn was not started again", log)
    assert _group_gone(web)  # gunicorn's workers ran in the master's process group
    new_web = started(log, "web")[1]
    wait_for(f"{url}/accounts/login/", process, log)
    assert find(process.pid, "web") == new_web and alive(new_web)
    assert find(process.pid, "worker") == restarted
    assert "Connection in use" not in log.read_text()

    # 3. SIGTERM stops both and the script, cleanly, leaving no process of its group behind
    # (gunicorn's workers, a pending pause).
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=45) == 0, tail(log)
    assert not alive(new_web) and not alive(restarted)
    wait_until(lambda: _group_gone(process.pid), "processes of serve.sh outlived it", log, timeout=15)
    assert '"message": "stopped"' in log.read_text()


def _group_gone(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False
