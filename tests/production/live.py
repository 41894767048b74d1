"""Real processes for production tests: gunicorn serving the test database, a minimal reverse
proxy in front of it, and HTTP clients that connect from a chosen loopback address.

The whole of 127.0.0.0/8 is loopback on Linux, so a client bound to 127.0.0.2 and another bound
to 127.0.0.3 reach the proxy as two different addresses, as two people on the internet would.
"""

import http.client
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.db import connection
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30  # any single HTTP request
READY_TIMEOUT = 90  # a server's start


def database_url():
    """The test database (pytest-django has switched NAME to it), as a URL for a server process."""
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


def server_env(tmp_path, **extra):
    """Production settings for a server process on the test database, over plain http."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FAULT_", "GUNICORN_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
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
    env.update(extra)
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_group(process, term_wait=15):
    """SIGTERM the process group (a server and its children), then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, term_wait), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        for _ in range(50):  # the leader is gone; wait for the rest of the group
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def wait_for(url, process, log, timeout=READY_TIMEOUT):
    """Until ``url`` answers 200; fails early when ``process`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited ({process.returncode}):\n{tail(log)}"
        try:
            if requests.get(url, timeout=TIMEOUT).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {timeout} s:\n{tail(log)}")


def tail(log, size=6000):
    return log.read_text(errors="replace")[-size:] if log.exists() else ""


@contextmanager
def gunicorn(tmp_path, env, workers=1):
    """gunicorn serving config.wsgi on a loopback socket we bind ourselves (no port race)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"fd://{listener.fileno()}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--no-control-socket",
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
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/accounts/login/", process, log)
        yield url, log
    finally:
        listener.close()
        if process is not None:
            stop_group(process)


HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"}


class _ProxyHandler(BaseHTTPRequestHandler):
    """Forwards each request to the upstream as nginx with ``proxy_set_header X-Forwarded-For
    $proxy_add_x_forwarded_for`` does: the client's own header, then the client's address."""

    upstream: tuple  # (host, port), set on the subclass
    protocol_version = "HTTP/1.0"  # one request per connection: no keep-alive to get wrong

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"x-forwarded-for"}}
        forwarded = ", ".join([*self.headers.get_all("X-Forwarded-For", []), self.client_address[0]])
        headers["X-Forwarded-For"] = forwarded
        headers["X-Forwarded-Proto"] = "http"
        upstream = http.client.HTTPConnection(*self.upstream, timeout=TIMEOUT)
        try:
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            content = response.read()
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)
        finally:
            upstream.close()

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _forward

    def log_message(self, *args):  # quiet
        pass


@contextmanager
def reverse_proxy(upstream_url):
    host, port = re.match(r"http://([^:/]+):(\d+)", upstream_url).groups()
    handler = type("Handler", (_ProxyHandler,), {"upstream": (host, int(port))})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _FromAddress(HTTPAdapter):
    def __init__(self, address, **kwargs):
        self._address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(address):
    """A requests session whose connections come from ``address`` (a loopback address)."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: loopback only
    session.mount("http://", _FromAddress(address))
    return session


@dataclass
class SignIn:
    status: int
    location: str


def sign_in(session, base_url, username, password, path="/accounts/login/", headers=None):
    page = session.get(base_url + path, timeout=TIMEOUT)
    assert page.status_code == 200, page.status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        base_url + path,
        timeout=TIMEOUT,
        allow_redirects=False,
        headers=headers or {},
        # allauth's sign-in form calls the username field "login"; the admin's calls it "username".
        data={
            "csrfmiddlewaretoken": token,
            "login" if path == "/accounts/login/" else "username": username,
            "password": password,
        },
    )
    return SignIn(response.status_code, response.headers.get("Location", ""))
