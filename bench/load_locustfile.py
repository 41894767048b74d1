"""Locust users for bench/load.py (run by it; not a standalone benchmark).

    BaselineUser  anonymous GET /verify/?report=…&hash=… (one database query: the report lookup)
    EditorUser    signs in through the form, then opens sections of the demo draft, saves
                  answers with the versions read from the page, and opens the results page

bench/load.py passes a JSON file in LOAD_CONFIG: the draft's code, its sections with their item
codes, the editors' usernames and password, and two output files: every request (page type,
start, milliseconds, status, ok) and every acknowledged save (item codes and posted values).
"""

import itertools
import json
import os
import random
import time
import uuid
from html.parser import HTMLParser

import gevent
from gevent.event import Event
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

CONFIG = json.loads(open(os.environ["LOAD_CONFIG"]).read())
TIMEOUT = 30
CHOICES = ("yes", "partial", "no", "na")
_usernames = itertools.cycle(CONFIG["users"])
# The mixed run starts when every user has signed in, and lasts MIXED_SECONDS exactly.
MIXED_SECONDS = float(os.environ.get("LOAD_MIXED_SECONDS", "30"))
SIGN_IN_TIMEOUT = float(os.environ.get("LOAD_SIGN_IN_TIMEOUT", "120"))
USERS = int(os.environ.get("LOAD_USERS", len(CONFIG["users"])))
_all_signed_in = Event()
_signed_in = 0
_requests_out = open(CONFIG["requests_file"], "a", buffering=1)
_acks_out = open(CONFIG["acks_file"], "a", buffering=1)


@events.request.add_listener
def _record(
    request_type, name, response_time, response_length, response=None, exception=None, start_time=None, **kwargs
):
    status = getattr(response, "status_code", 0) or 0
    _requests_out.write(
        json.dumps(
            {
                "type": name,
                "start": start_time,
                "ms": response_time,
                "status": status,
                "ok": exception is None,
                "error": None if exception is None else str(exception)[:200],
            }
        )
        + "\n"
    )


def _start_mixed_run(environment):
    if _all_signed_in.is_set():
        return
    _all_signed_in.set()
    _requests_out.write(
        json.dumps({"type": "_mixed_start", "start": time.time(), "ms": 0, "status": 0, "ok": True, "error": None})
        + "\n"
    )
    gevent.spawn_later(MIXED_SECONDS, environment.runner.quit)


def _one_more_signed_in(environment):
    global _signed_in
    _signed_in += 1
    if _signed_in >= USERS:
        _start_mixed_run(environment)


class FormParser(HTMLParser):
    """The inputs and textareas of a page, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.csrf, self.fields, self._textarea = None, {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if name == "csrfmiddlewaretoken":
                self.csrf = self.csrf or a.get("value")
            elif kind == "radio":
                self.fields.setdefault(name, "")
                if "checked" in a:
                    self.fields[name] = a.get("value", "")
            elif kind != "file":
                self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            value = self.fields[self._textarea]
            # Browsers drop the newline that Django puts right after <textarea>.
            if value.startswith("\r\n"):
                value = value[2:]
            elif value.startswith("\n"):
                value = value[1:]
            self.fields[self._textarea] = value
            self._textarea = None


def parse(html):
    parser = FormParser()
    parser.feed(html)
    return parser


class BaselineUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.trust_env = False  # loopback only: no proxy from the environment

    @task
    def verify(self):
        url = f"/verify/?report={uuid.uuid4()}&hash={uuid.uuid4().hex[:12]}"
        with self.client.get(url, name="baseline", timeout=TIMEOUT, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")


class EditorUser(HttpUser):
    wait_time = constant(float(os.environ.get("LOAD_THINK_SECONDS", "0")))

    def on_start(self):
        self.client.trust_env = False  # loopback only: no proxy from the environment
        self.username = next(_usernames)
        self.saves = 0
        try:
            self.sign_in()
        finally:
            _one_more_signed_in(self.environment)
        # Everyone waits for the last sign-in, so that the timed run is the editing alone.
        if not _all_signed_in.wait(timeout=SIGN_IN_TIMEOUT):
            _start_mixed_run(self.environment)

    def sign_in(self):
        page = None
        with self.client.get("/accounts/login/", name="sign-in page", timeout=TIMEOUT, catch_response=True) as r:
            page = parse(r.text) if r.status_code == 200 else None
            if page is None or not page.csrf:
                r.failure(f"no sign-in form (status {r.status_code})")
                page = None
        if page is None:
            raise StopUser()
        data = {"csrfmiddlewaretoken": page.csrf, "login": self.username, "password": CONFIG["password"]}
        with self.client.post(
            "/accounts/login/", data=data, name="sign-in", timeout=TIMEOUT, allow_redirects=False, catch_response=True
        ) as r:
            refused = r.status_code != 302 or "/accounts/login/" in r.headers.get("Location", "")
            if refused:
                r.failure(f"sign-in refused (status {r.status_code})")
        if refused:
            raise StopUser()

    @task(3)
    def answer_a_section(self):
        theme = random.choice(list(CONFIG["sections"]))
        url = f"/assessments/{CONFIG['assessment']}/sections/{theme}/"
        codes = CONFIG["sections"][theme]
        with self.client.get(url, name="section", timeout=TIMEOUT, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
                return
            page = parse(r.text)
            if not page.csrf or any(f"{code}-version" not in page.fields for code in codes):
                r.failure("section form not found")
                return

        # Everything as the page showed it, with one or two items changed.
        fields = dict(page.fields)
        changed = {}
        for code in random.sample(codes, k=min(len(codes), random.choice((1, 1, 2)))):
            self.saves += 1
            urls = [
                f"https://evidence.example.org/{self.username}/{uuid.uuid4().hex[:10]}"
                for _ in range(random.randint(0, 2))
            ]
            value = {
                "choice": random.choice(CHOICES),
                "justification": f"Load test by {self.username}, save {self.saves} ({uuid.uuid4().hex[:8]}).",
                "evidence_urls": urls,
                "version": int(fields[f"{code}-version"]) + 1,
            }
            fields[f"{code}-choice"] = value["choice"]
            fields[f"{code}-justification"] = value["justification"]
            fields[f"{code}-evidence_urls"] = "\n".join(urls)
            changed[code] = value
        # Sent as the browser sends it: multipart, with the (empty) file inputs left out.
        form = [(name, (None, value)) for name, value in fields.items()]
        form += [("csrfmiddlewaretoken", (None, page.csrf)), ("save", (None, ""))]
        start = time.time()
        with self.client.post(
            url,
            files=form,
            name="save",
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + url},
        ) as r:
            location = r.headers.get("Location", "")
            if r.status_code == 302 and "/sections/" in location:
                r.success()
                _acks_out.write(json.dumps({"user": self.username, "at": start, "items": changed}) + "\n")
            elif r.status_code == 409:
                r.success()  # someone else saved one of these items first: expected, counted apart
            else:
                r.failure(f"status {r.status_code} {location}")

    @task(1)
    def results(self):
        url = f"/assessments/{CONFIG['assessment']}/results/"
        with self.client.get(url, name="results", timeout=TIMEOUT, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
