"""Page costs as ratios to a one-query page, measured in one process and one run.

    .venv/bin/python bench/pages.py [--rounds 7] [--profile NAME] [--only NAME ...]

Times, in Django's test client with production settings (DEBUG off; plain http, see
bench/setup_django.py), each page below interleaved with the baseline, the anonymous
``/verify/?report=<uuid>&hash=<hex>`` page (one query: the report lookup):

  section-20         GET of a 20-item section, in a 1,000-item checklist, viewed again: its
                     record kept (assessments/results_cache.py)
  section-20-saved   the same page after a save: before each request the draft's ``updated``
                     moves, as a save moves it, so its record is read again; the library's part
                     of the section is kept (assessments/record/live.py, _library_section)
  section-20-cold    the same page with nothing kept: before each request the library's revision
                     moves too, as a library write moves it
  section-200        GET of a 200-item section, in the same checklist, viewed again
  section-200-saved  the same, after a save
  section-200-cold   the same, nothing kept
  section-200-of-5k  GET of a 200-item section, in a 5,000-item checklist, after a save, and
  -cold              with nothing kept (does the cost grow with the section or with the checklist?)
  save-20            POST of the 20-item section, every answer changed (302), urlencoded with the
                     fields Chromium sends, as the page's script posts it when no file is chosen
  save-20-multipart  the same POST in multipart, as the page posts it with a file chosen or
                     without its script (static/js/post-encoding.js)
  save-20-one        POST of the 20-item section, one answer changed (302)
  results            the results page of an assessment over all 19 shipped instruments, all answered,
                     viewed again: its computed results kept (assessments/results_cache.py)
  results-cold       the same page with nothing kept: before each request the draft's ``updated``
                     moves, as an answer save moves it, so the record is loaded and scored
  dashboard-1        the dashboard of an organisation with 1 assessment
  dashboard-1000     the dashboard's first page for an organisation with 1,000 assessments
  sign-in            POST of the sign-in form (302), the password hashed by the first hasher

Each round times the baseline (median of 5 requests) and then the page (median of 3), and
takes their ratio; the table prints the median ratio of the rounds and its range, so a drift
of this shared machine's speed during the run moves both sides of each ratio. On SQLite the
database runs in this process, so by default requests are timed in CPU time of the process
(--clock cpu): other processes on a busy machine then change the figures far less than they
change wall-clock time. With DATABASE_URL set to PostgreSQL, the default is wall-clock time. Every timed
response's status is checked, and each page's query count is checked once before timing: a
page that redirected or failed would otherwise be timed as if it were fast.

With --profile NAME, the page is run under cProfile after the table and the 30 costliest
functions are printed, by cumulative and by own time.
"""

import argparse
import cProfile
import io
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from types import SimpleNamespace
from urllib.parse import urlencode

import requests
from setup_django import ROOT, setup

setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Answer, Assessment, Membership, Organisation, Role  # noqa: E402
from assessments.paging import PER_PAGE  # noqa: E402
from assessments.selectors import assessment_record  # noqa: E402
from assessments.services import AnswerInput, answers_save, assessment_create  # noqa: E402
from bench.synthetic import build  # noqa: E402
from governance.models import Instrument  # noqa: E402
from governance.signals import library_changed  # noqa: E402

SHIPPED = []  # the shipped library's instrument codes, read before the synthetic ones are added
PASSWORD = "bench-sign-in-passphrase-42"
TARGETS = {
    "section-20": 8,
    "save-20": 8,
    "section-200": 40,
    "results": 6,
    "dashboard-1000": 6,
    "sign-in": 45,
}
# The dashboard as it is timed: its first page (assessments/paging.py).
DASHBOARD_QUERY = "?page=1"
DASHBOARD_PAGE_SIZE = PER_PAGE

# Expected queries per page, as the tests pin them (see each test for the list).
QUERIES = {
    "baseline": 1,  # the report lookup
    # session, user; assessment (with the library's revision), membership; the section's comment
    # threads: the draft's section record is kept (tests/assessments/test_section_cache.py)
    "section-20": 5,
    "section-200": 5,
    # the same and the draft's rows: instruments, answered per theme, answers, files; the
    # library's part is kept (tests/assessments/test_section_cache.py)
    "section-20-saved": 9,
    "section-200-saved": 9,
    "section-200-of-5k": 9,
    # and the library's part: the items per theme, the themes, principles, links, items
    # (tests/assessments/test_section_queries.py)
    "section-20-cold": 14,
    "section-200-cold": 14,
    "section-200-of-5k-cold": 14,
    # session, user; assessment, membership; the section's item ids; BEGIN, lock, on the
    # checklist, answers, wordings, update (every item is answered already), history, touch
    # (tests/assessments/test_large_sections.py)
    "save-20": 13,
    "save-20-multipart": 13,
    "save-20-one": 13,
    # session, user; assessment (with the library's revision), membership; the comparison
    # choices; the gaps' actions: the draft's results are kept (tests/assessments/test_page_queries.py)
    "results": 6,
    # the same and the record (draft: instruments, principles, links, items, answers, files)
    # (tests/assessments/test_results.py)
    "results-cold": 12,
    # session, user, memberships; the count for the pager, a page of assessments (with the
    # library's revision), their instruments' codes, the drafts' answered items; the owner's
    # assignments: the instruments' checklists are kept (tests/assessments/test_pagination.py)
    "dashboard-1": 8,
    "dashboard-1000": 8,
    # allauth's rate limits in the database cache (10: count, read and write two counters),
    # axes (failures, its log, twice its attempts), the user with the email, MFA and session
    # checks, the session (create, save), last_login, the profile's language, usersessions
    # (read, create, the session again) and the dashboard-bound session's re-read
    "sign-in": 35,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        help="cpu: this process's CPU time (default on SQLite, which runs in the process); wall: elapsed time",
    )
    parser.add_argument(
        "--server",
        action="store_true",
        help="time each request's worker time in a real gunicorn (one sync worker, production settings), "
        "read from its access log, as the issue's figures were measured",
    )
    parser.add_argument("--profile", help="profile this page after timing")
    parser.add_argument("--only", nargs="*", help="time only these pages")
    parser.add_argument(
        "--queries",
        action="store_true",
        help="print each page's queries and stop (to pin a new count)",
    )
    return parser.parse_args()


# --- data ----------------------------------------------------------------------------------------


def library_assessment():
    """An assessment over every shipped instrument, every item answered."""
    user = get_user_model().objects.create_user("bench-results", password="x")
    org = Organisation.objects.create(name="Bench results")
    membership = Membership.objects.create(user=user, organisation=org, role=Role.OWNER)
    assessment = assessment_create(
        membership=membership,
        title="Full library",
        scope="Everything",
        description="",
        instruments=Instrument.objects.filter(retired=False, code__in=SHIPPED),
    )
    choices = ["yes", "partial", "no", "na", "yes"]
    items = assessment_record(assessment=assessment).items
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(item.id, item.code, choices[n % 5], "A justification of ordinary length.", [], 0)
            for n, item in enumerate(items)
        ],
    )
    return assessment, user, assessment.instruments.count()


def dashboard_organisation(n, tag):
    """An organisation with ``n`` drafts over the five seed instruments, each with a few answers."""
    user = get_user_model().objects.create_user(f"bench-dashboard-{tag}", password="x")
    org = Organisation.objects.create(name=f"Bench dashboard {tag}")
    membership = Membership.objects.create(user=user, organisation=org, role=Role.OWNER)
    seed = list(Instrument.objects.filter(code__in=["SH", "CF", "GA", "HL", "IC"]))
    first = assessment_create(membership=membership, title="A 0", scope="S", description="", instruments=seed)
    items = assessment_record(assessment=first).items
    drafts = [first] + [
        assessment_create(membership=membership, title=f"A {i}", scope="S", description="", instruments=seed)
        for i in range(1, n)
    ]
    Answer.objects.bulk_create(
        Answer(assessment=a, item_id=item.id, choice="yes", version=1, updated_by=user)
        for k, a in enumerate(drafts)
        for item in items[: k % len(items)]
    )
    return user


def sign_in_user():
    return get_user_model().objects.create_user("bench-sign-in", password=PASSWORD)


# --- requests ------------------------------------------------------------------------------------


def section_post_data(client, url, assessment, theme, change):
    """The section's form as Chromium posts it, in its order, as (name, value) pairs, with
    ``change(n, item)`` → new choice or None. Each item sends its choice, justification, URLs,
    evidence date, file input (empty) and version; the Save button comes last."""
    client.get(url)  # sets the CSRF cookie
    fields = [("csrfmiddlewaretoken", client.cookies["csrftoken"].value)]
    for n, item in enumerate(assessment_record(assessment=assessment, section=theme).section(theme).items):
        answer = item.answer
        choice = change(n, item) or (answer.choice if answer else "")
        fields += [
            (f"{item.code}-choice", choice),
            (f"{item.code}-justification", "Because." if choice in ("partial", "na") else ""),
            (f"{item.code}-evidence_urls", "\n".join(answer.evidence_urls) if answer else ""),
            (f"{item.code}-evidence_valid_until", ""),
            (f"{item.code}-files", FILE_INPUT),
            (f"{item.code}-version", str(answer.version if answer else 0)),
        ]
    return fields + [("save", "")]


FILE_INPUT = object()  # a file input with no file chosen
BOUNDARY = "----WebKitFormBoundaryBenchPages0042"


def plain_body(fields):
    """Urlencoded, as static/js/post-encoding.js has the page post when no file is chosen: an
    empty file input is sent as its (empty) file name."""
    return urlencode([(name, "" if value is FILE_INPUT else value) for name, value in fields])


def multipart_body(fields):
    """Multipart, as the page posts without its script or with a file chosen: an empty file
    input is a part with an empty file name."""
    lines = []
    for name, value in fields:
        lines.append(f"--{BOUNDARY}")
        if value is FILE_INPUT:
            lines += [
                f'Content-Disposition: form-data; name="{name}"; filename=""',
                "Content-Type: application/octet-stream",
            ]
            value = ""
        else:
            lines.append(f'Content-Disposition: form-data; name="{name}"')
        lines += ["", value]
    lines += [f"--{BOUNDARY}--", ""]
    return "\r\n".join(lines).encode()


ENCODINGS = {
    "plain": ("application/x-www-form-urlencoded", plain_body),
    "multipart": (f"multipart/form-data; boundary={BOUNDARY}", multipart_body),
}


def flip(n, item):
    return "no" if item.answer and item.answer.choice == "yes" else "yes"


CLOCK = time.process_time


class Page:
    """One timed request: ``prepare()`` (untimed) returns a callable that makes the request."""

    def __init__(self, name, label, status, prepare):
        self.name, self.label, self.status, self.prepare = name, label, status, prepare

    def run(self):
        request = self.prepare()
        start = CLOCK()
        response = request()
        elapsed = CLOCK() - start
        if response.status_code != self.status:
            raise AssertionError(f"{self.name}: status {response.status_code}, expected {self.status}")
        # Under --server, the time gunicorn's worker spent on the request, from its access log.
        return getattr(response, "worker_seconds", elapsed)

    def queries(self):
        request = self.prepare()
        seen = []

        def record(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = request()
        if response.status_code != self.status:
            raise AssertionError(f"{self.name}: status {response.status_code}, expected {self.status}")
        return seen


def get(client, url):
    return lambda: lambda: client.get(url)


def get_changed(client, url, assessment, library=False):
    """GET after moving ``assessment.updated`` (untimed), as a save does: nothing of the draft
    is kept, in this process or in a server's. With ``library``, the library's revision moves
    too, as a library write moves it: nothing at all is kept."""

    def prepare():
        Assessment.objects.filter(pk=assessment.pk).update(updated=timezone.now())
        if library:
            library_changed()
        return lambda: client.get(url)

    return prepare


def post_section(client, url, assessment, theme, change, encoding="plain"):
    content_type, encode = ENCODINGS[encoding]

    def prepare():
        body = encode(section_post_data(client, url, assessment, theme, change))
        return lambda: client.post(url, body, content_type=content_type)

    return prepare


def sign_in(user, new_client):
    url = reverse("account_login")

    def prepare():
        client = new_client()
        client.get(url)
        data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "login": user.username}
        data["password"] = PASSWORD
        return lambda: client.post(url, data)

    return prepare


def build_data():
    started = time.perf_counter()
    call_command("load_library", verbosity=0)
    global SHIPPED
    SHIPPED = list(Instrument.objects.values_list("code", flat=True))
    print("building: a 1,000-item checklist (sections of 20 and 200 items) ...", file=sys.stderr, flush=True)
    thousand, thousand_user = build(1000, tag="K", sizes={"T01": 20, "T02": 200})
    print("building: a 5,000-item checklist (a section of 200 items) ...", file=sys.stderr, flush=True)
    five_k, five_k_user = build(5000, tag="F", sizes={"T02": 200}, seed=2)
    print("building: the full shipped library, all answered ...", file=sys.stderr, flush=True)
    library, library_user, n_instruments = library_assessment()
    print("building: dashboards of 1 and 1,000 assessments ...", file=sys.stderr, flush=True)
    dash_1, dash_1000 = dashboard_organisation(1, "one"), dashboard_organisation(1000, "thousand")
    signer = sign_in_user()
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return SimpleNamespace(**locals())


def in_process_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def build_pages(d, new_client=in_process_client):
    """The timed pages over the data ``d``, requested through clients from ``new_client``."""
    k, f = new_client(d.thousand_user), new_client(d.five_k_user)
    section = lambda a, t: reverse("section", args=[a.code, t])  # noqa: E731
    verify = f"{reverse('verify')}?report={uuid.uuid4()}&hash={'0' * 64}"
    dashboard = reverse("dashboard") + DASHBOARD_QUERY
    thousand, five_k, library = d.thousand, d.five_k, d.library
    pages = [
        Page("baseline", "/verify/ (one query)", 200, get(new_client(), verify)),
        Page("section-20", "section page, 20 items (1,000-item checklist)", 200, get(k, section(thousand, "T01"))),
        Page(
            "section-20-saved",
            "section page, 20 items, after a save",
            200,
            get_changed(k, section(thousand, "T01"), thousand),
        ),
        Page(
            "section-20-cold",
            "section page, 20 items, none kept",
            200,
            get_changed(k, section(thousand, "T01"), thousand, library=True),
        ),
        Page("section-200", "section page, 200 items (1,000-item checklist)", 200, get(k, section(thousand, "T02"))),
        Page(
            "section-200-saved",
            "section page, 200 items, after a save",
            200,
            get_changed(k, section(thousand, "T02"), thousand),
        ),
        Page(
            "section-200-cold",
            "section page, 200 items, none kept",
            200,
            get_changed(k, section(thousand, "T02"), thousand, library=True),
        ),
        Page(
            "section-200-of-5k",
            "section page, 200 items (5,000-item checklist), after a save",
            200,
            get_changed(f, section(five_k, "T02"), five_k),
        ),
        Page(
            "section-200-of-5k-cold",
            "section page, 200 items (5,000-item checklist), none kept",
            200,
            get_changed(f, section(five_k, "T02"), five_k, library=True),
        ),
        Page(
            "save-20",
            "save of the 20-item section, all 20 changed",
            302,
            post_section(k, section(thousand, "T01"), thousand, "T01", flip),
        ),
        Page(
            "save-20-multipart",
            "save of the 20-item section, all 20 changed, posted multipart",
            302,
            post_section(k, section(thousand, "T01"), thousand, "T01", flip, encoding="multipart"),
        ),
        Page(
            "save-20-one",
            "save of the 20-item section, one changed",
            302,
            post_section(k, section(thousand, "T01"), thousand, "T01", lambda n, i: flip(n, i) if n == 0 else None),
        ),
        Page(
            "results",
            f"results page, {d.n_instruments} instruments",
            200,
            get(new_client(d.library_user), reverse("results", args=[library.code])),
        ),
        Page(
            "results-cold",
            f"results page, {d.n_instruments} instruments, none kept",
            200,
            get_changed(new_client(d.library_user), reverse("results", args=[library.code]), library),
        ),
        Page("dashboard-1", "dashboard, 1 assessment", 200, get(new_client(d.dash_1), dashboard)),
        Page(
            "dashboard-1000",
            "dashboard, 1,000 assessments" + (f", first page of {DASHBOARD_PAGE_SIZE}" if DASHBOARD_PAGE_SIZE else ""),
            200,
            get(new_client(d.dash_1000), dashboard),
        ),
        Page(
            "sign-in",
            f"sign-in POST ({settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]})",
            302,
            sign_in(d.signer, new_client),
        ),
    ]
    return pages


# --- a real gunicorn (--server) ----------------------------------------------------------------

ACCESS_FORMAT = "BENCH %(s)s %(D)s"


class Gunicorn:
    """One sync worker serving the bench's database with production settings (plain http), its
    access log giving each request's time in the worker (%(D)s, microseconds)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="aigov-bench-gunicorn-")
        self.log = os.path.join(self.dir, "access.log")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--access-logfile",
                self.log,
                "--access-logformat",
                ACCESS_FORMAT,
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.base + reverse("verify"), timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        self.offset = os.path.getsize(self.log)

    def worker_seconds(self):
        """The worker time of the request just answered: the access log's newest line."""
        for _ in range(50):  # gunicorn writes the line just after the response
            with open(self.log, "rb") as log:
                log.seek(self.offset)
                lines = log.read().decode().splitlines()
            if lines:
                self.offset += sum(len(line) + 1 for line in lines)
                return int(lines[-1].split()[2]) / 1_000_000
            time.sleep(0.002)
        raise RuntimeError("no access log line for the request")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class ServerClient:
    """The test client's interface (get, post, cookies, force_login) over HTTP to ``server``;
    each response carries the worker time gunicorn logged for it."""

    def __init__(self, server):
        self.server = server
        self.session = requests.Session()
        self.session.trust_env = False  # loopback: no proxy

    def force_login(self, user):
        # A session written to the shared database, as the test client writes it.
        client = Client()
        client.force_login(user)
        self.session.cookies.set("sessionid", client.cookies["sessionid"].value)

    @property
    def cookies(self):
        return {name: SimpleNamespace(value=value) for name, value in self.session.cookies.items()}

    def _done(self, response):
        response.worker_seconds = self.server.worker_seconds()
        return response

    def get(self, url):
        return self._done(self.session.get(self.server.base + url, allow_redirects=False))

    def post(self, url, data, content_type=None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = self.session.post(self.server.base + url, data=data, headers=headers, allow_redirects=False)
        return self._done(response)


# --- timing --------------------------------------------------------------------------------------


def median_of(page, n):
    return statistics.median(page.run() for _ in range(n))


def paired(baseline, page, rounds):
    """(page median ms, baseline median ms, median ratio, lowest, highest) over ``rounds``."""
    page.run()  # warm-up: template compilation, first-use imports
    baseline.run()
    page_times, base_times, ratios = [], [], []
    for _ in range(rounds):
        base = median_of(baseline, 5)
        this = median_of(page, 3)
        base_times.append(base)
        page_times.append(this)
        ratios.append(this / base)
    return (
        statistics.median(page_times) * 1000,
        statistics.median(base_times) * 1000,
        statistics.median(ratios),
        min(ratios),
        max(ratios),
    )


# Regular expression of the functions a profile lists (e.g. "assessments|governance" for the app's).
PROFILE_FILTER = "assessments/|governance/|template/loader_tags|sqlite"


def profile(page):
    page.run()
    profiler = cProfile.Profile()
    for _ in range(5):
        request = page.prepare()
        profiler.enable()
        request()
        profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(PROFILE_FILTER, 30)
        print(f"\n== cProfile of {page.name}, 5 requests, by {order} ==")
        print(out.getvalue())


def main():
    global CLOCK
    args = parse_args()
    clock = "wall" if args.server else args.clock or ("cpu" if connection.vendor == "sqlite" else "wall")
    CLOCK = time.process_time if clock == "cpu" else time.perf_counter
    data = build_data()
    pages = build_pages(data)
    baseline, timed = pages[0], [p for p in pages[1:] if not args.only or p.name in args.only]

    # Query counts are checked in this process, whichever way the pages are then timed.
    for page in [baseline, *timed]:
        page.run()  # warm up
        found = page.queries()
        if args.queries:
            print(f"\n== {page.name}: {len(found)} queries")
            for sql in found:
                print("  ", sql[:160])
            continue
        expected = QUERIES.get(page.name)
        if expected is not None and len(found) != expected:
            raise AssertionError(f"{page.name}: {len(found)} queries, expected {expected}:\n" + "\n".join(found))
        page.query_count = len(found)
    if args.queries:
        return

    server = None
    if args.server:
        if connection.vendor == "sqlite":
            connection.close()  # the worker gets the database file to itself between our writes
        server = Gunicorn()
        counts = {p.name: p.query_count for p in [baseline, *timed]}
        pages = build_pages(data, lambda user=None: _server_client(server, user))
        baseline, timed = pages[0], [p for p in pages[1:] if not args.only or p.name in args.only]
        for page in [baseline, *timed]:
            page.query_count = counts[page.name]

    db = connection.vendor
    how = (
        "worker time in gunicorn (one sync worker, from its access log)"
        if server
        else ("CPU time of this process" if clock == "cpu" else "wall-clock time")
    )
    print(f"database: {db}; DEBUG={settings.DEBUG}, SECURE_SSL_REDIRECT={settings.SECURE_SSL_REDIRECT}; clock: {how}")
    print(f"baseline: {baseline.label}; {args.rounds} rounds, each the median of 5 baseline and 3 page requests")
    header = f"{'page':<50} {'ms':>8} {'base ms':>8} {'× base':>7} {'range':>13} {'target':>7} {'queries':>8}"
    print(header)
    print("-" * len(header))
    failed = []
    try:
        for page in timed:
            ms, base_ms, ratio, low, high = paired(baseline, page, args.rounds)
            target = TARGETS.get(page.name)
            verdict = ""
            if target is not None:
                verdict = f"≤ {target}" + (" ok" if ratio <= target else " MISS")
                if ratio > target:
                    failed.append(page.name)
            print(
                f"{page.label:<50} {ms:>8.1f} {base_ms:>8.2f} {ratio:>7.1f} {f'{low:.1f}–{high:.1f}':>13} "
                f"{verdict:>7} {page.query_count:>8}"
            )
            sys.stdout.flush()
    finally:
        if server:
            server.stop()
    print("× base: the median over the rounds of (page ÷ baseline); range: the lowest and highest round.")
    if failed:
        print("targets missed:", ", ".join(failed))
    if args.profile:
        profile(next(p for p in build_pages(data) if p.name == args.profile))


def _server_client(server, user):
    client = ServerClient(server)
    if user is not None:
        client.force_login(user)
    return client


if __name__ == "__main__":
    main()
