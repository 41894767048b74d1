"""Load benchmark of the production server: gunicorn + WhiteNoise + db_worker, as scripts/serve.sh runs it.

    .venv/bin/python bench/load.py [--seconds 30] [--users 20] [--workers 3]

Starts scripts/serve.sh on a free loopback port against a throw-away SQLite database, with the
shipped library, the demo organisation (seed_demo) and one editor account per simulated user.
Then two locust runs against it (bench/load_locustfile.py), each bounded in time:

  baseline  the cheapest real page: anonymous GET /verify/?report=<uuid>&hash=<hex>, one database
            query (the report lookup) and a small template; as many users, --baseline-seconds
  mixed     --users editors sign in through the form (CSRF token from the page); once the last
            one is in, for --seconds: open sections of the demo draft, save one or two answers
            with the versions read from the page (a 409 means another user saved that item
            first: expected, counted apart from errors), and open the results page

It prints, per page type: requests, p50 and p95 latency, requests/s and that as a ratio to the
baseline's requests/s, the median time the request spent in the app (from its access lines,
config/middleware.py) and that as a ratio to the baseline's, errors, and the total requests/s. The sign-in rows
cover the sign-in phase (password hashing dominates it), the others the timed run. Then a durability
check: after the server has been stopped, every save acknowledged with a 302 must be in the
database, as the revision that save created with exactly the values posted.

When DATABASE_URL is not set and scripts/with-postgres.sh exists, it then runs itself again under
that script (`--postgres-only`) for the same figures on PostgreSQL. Every process it starts
(server, task worker, locust, PostgreSQL) is stopped at the end, on failure too. All traffic stays
on 127.0.0.1. Note: serve.sh runs collectstatic, which writes var/static as in production.
"""

import argparse
import io
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
LOCUST = ROOT / ".venv" / "bin" / "locust"
LOCUSTFILE = ROOT / "bench" / "load_locustfile.py"
USER_PREFIX = "load-editor-"
BASELINE = "anonymous GET /verify/?report=<uuid>&hash=<hex> (one query)"
SIGN_IN_TIMEOUT = 120
STARTED = time.monotonic()


# Loopback only: never through a proxy named in the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


def without_proxies(env):
    return {k: v for k, v in env.items() if k.lower() not in PROXY_VARIABLES}


def progress(message):
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of the mixed run (default 30)")
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers, 2 to 4 (default 3)")
    parser.add_argument(
        "--baseline-seconds",
        type=int,
        default=None,
        help="length of the baseline run (default: a third of --seconds, 5 to 10)",
    )
    parser.add_argument("--think", type=float, default=0.0, help="pause between a user's tasks (default 0)")
    parser.add_argument(
        "--postgres-only",
        action="store_true",
        help="run once against DATABASE_URL (PostgreSQL): the re-run under with-postgres.sh",
    )
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL re-run")
    args = parser.parse_args()
    args.workers = min(4, max(2, args.workers))
    args.users = max(1, args.users)
    args.seconds = max(5, args.seconds)
    if args.baseline_seconds is None:
        args.baseline_seconds = min(10, max(5, args.seconds // 3))
    return args


def _terminate(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(proc, grace=40):
    """Stop a process started with start_new_session=True, and everything in its process group."""
    if proc is None:
        return
    pgid = proc.pid
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure nothing of its group is left behind.
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --- one run against one database ----------------------------------------------------------------


def server_env(database_url, tmp, port, workers):
    env = {k: v for k, v in without_proxies(os.environ).items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SECRET_KEY": "load-bench-only-secret-key-not-for-any-deployment-5c8a1f0e2b7d",
            "DJANGO_DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain http on loopback: no TLS redirect, no Secure cookies, no HSTS.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "LOAD_LIBRARY": "0",  # loaded below, before the server starts
            # No control socket: gunicorn's default path is shared with any other gunicorn on the machine.
            "GUNICORN_CMD_ARGS": "--no-control-socket",
        }
    )
    return env


def prepare(env, users):
    """Migrate, load the library, seed the demo, add one editor per simulated user."""
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith("DJANGO_") or k in ("DATABASE_URL", "ALLOWED_HOSTS")}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from assessments.demo import DEMO_PASSWORD, ORGANISATION
    from assessments.models import Assessment, Membership, Organisation, Role
    from assessments.selectors import assessment_record

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("createcachetable", stdout=quiet)
    call_command("load_library", verbosity=0, stdout=quiet)
    call_command("seed_demo", allow_production=True, stdout=quiet)

    organisation = Organisation.objects.get(name=ORGANISATION)
    User = get_user_model()
    hashed = make_password(DEMO_PASSWORD)  # hashed once, shared: the sign-in still checks it in full
    names = [f"{USER_PREFIX}{n:02d}" for n in range(1, users + 1)]
    for name in names:
        user, _ = User.objects.get_or_create(
            username=name, defaults={"email": f"{name}@example.org", "password": hashed}
        )
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.EDITOR})
    draft = Assessment.objects.get(organisation=organisation, title="Credit risk model 2026")
    sections = {s.theme.code: [item.code for item in s.items] for s in assessment_record(assessment=draft).sections}
    connections.close_all()
    return {"assessment": str(draft.code), "sections": sections, "users": names, "password": DEMO_PASSWORD}


def wait_ready(url, server, timeout=600):
    """serve.sh migrates and runs collectstatic (compressing every file) before gunicorn starts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited early with status {server.returncode}")
        try:
            with _opener.open(url, timeout=60) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


def run_locust(user_class, users, seconds, host, config_file, log_file, think):
    """Run locust headless. The editors' run lasts `seconds` from the moment the last user has
    signed in (the locustfile stops it); --run-time only bounds the sign-in phase on top."""
    env = dict(
        without_proxies(os.environ),
        LOAD_CONFIG=str(config_file),
        LOAD_THINK_SECONDS=str(think),
        LOAD_USERS=str(users),
        LOAD_MIXED_SECONDS=str(seconds),
        LOAD_SIGN_IN_TIMEOUT=str(SIGN_IN_TIMEOUT),
    )
    run_time = seconds if user_class == "BaselineUser" else seconds + SIGN_IN_TIMEOUT + 10
    command = [
        str(LOCUST),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(users),
        "-r",
        "10",
        "--run-time",
        f"{run_time}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--only-summary",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
        user_class,
    ]
    proc = None
    try:
        with open(log_file, "ab") as log:
            proc = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            proc.wait(timeout=run_time + 60)
        if proc.returncode != 0:
            tail = Path(log_file).read_text(errors="replace")[-3000:]
            raise RuntimeError(f"locust exited with status {proc.returncode}:\n{tail}")
    finally:
        if proc is not None and proc.poll() is None:
            stop_group(proc, grace=5)
        elif proc is not None:
            stop_group(proc, grace=1)  # nothing should be left, but be sure


def page_type(method, path):
    if path.startswith("/verify/"):
        return "baseline"
    if path == "/accounts/login/":
        return "sign-in" if method == "POST" else "sign-in page"
    if re.fullmatch(r"/assessments/[^/]+/sections/[^/]+/", path):
        return "save" if method == "POST" else "section"
    if re.fullmatch(r"/assessments/[^/]+/results/", path):
        return "results"
    return "other"


def server_times(log_file, offset):
    """Median milliseconds in the app per page type, from its access lines (after `offset`): one
    JSON object per request, logger "aigov.request", with its duration (config/middleware.py)."""
    times = {}
    with open(log_file, "rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    for line in lines:
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        if record.get("logger") == "aigov.request":
            times.setdefault(page_type(record["method"], record["path"]), []).append(record["duration_ms"])
    return {kind: statistics.median(values) for kind, values in times.items()}


def read_jsonl(path):
    if not Path(path).exists():
        return []
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def window(records):
    """Seconds from the first request's start to the last one's end."""
    if not records:
        return float("nan")
    start = min(r["start"] for r in records)
    end = max(r["start"] + r["ms"] / 1000 for r in records)
    return max(end - start, 1e-6)


def split_mixed(records, seconds):
    """The sign-in phase, and the editing requests started in the `seconds` after the last sign-in."""
    marks = [r["start"] for r in records if r["type"] == "_mixed_start"]
    signing = [r for r in records if r["type"] in ("sign-in page", "sign-in")]
    if not marks:
        return signing, [], float("nan")
    start = marks[0]
    editing = [
        r
        for r in records
        if r["type"] not in ("_mixed_start", "sign-in page", "sign-in") and start <= r["start"] <= start + seconds
    ]
    return signing, editing, seconds


def durability(config, acks):
    from django.db import connections

    from assessments.models import Answer, AnswerRevision, Assessment
    from assessments.services import answer_state

    draft = Assessment.objects.get(code=config["assessment"])
    fields = ("choice", "justification", "evidence_urls")
    revisions = {
        (r.answer.item.code, r.version): r
        for r in AnswerRevision.objects.filter(answer__assessment=draft).select_related("answer__item", "changed_by")
    }
    found = items = items_found = 0
    missing = []
    for ack in acks:
        ok = True
        for code, posted in ack["items"].items():
            items += 1
            revision = revisions.get((code, posted["version"]))
            stored = revision and {k: revision.after.get(k) for k in fields}
            wanted = {k: posted[k] for k in fields}
            if stored == wanted and revision.changed_by.username == ack["user"]:
                items_found += 1
            else:
                ok = False
                missing.append((code, posted["version"], ack["user"]))
        found += ok
    by_load_users = sum(1 for r in revisions.values() if r.changed_by and r.changed_by.username.startswith(USER_PREFIX))
    consistent = total = 0
    latest = {}
    for (code, version), revision in revisions.items():
        if version > latest.get(code, (0, None))[0]:
            latest[code] = (version, revision)
    for answer in Answer.objects.filter(assessment=draft).select_related("item"):
        total += 1
        version, revision = latest.get(answer.item.code, (0, None))
        latest_state = revision and {k: revision.after.get(k) for k in fields}
        if revision and answer.version == version and answer_state(answer) == latest_state:
            consistent += 1
    connections.close_all()
    return {
        "saves": len(acks),
        "found": found,
        "missing": len(acks) - found,
        "items": items,
        "items_found": items_found,
        "missing_items": missing[:10],
        "revisions_by_load_users": by_load_users,
        "answers": total,
        "answers_consistent": consistent,
    }


def report(label, args, port, baseline_records, mixed_records, times, check, database_url):
    print(f"\n== {label}: scripts/serve.sh on 127.0.0.1:{port}, {args.workers} gunicorn workers, {args.users} users ==")
    print(f"   database: {database_url.split('@')[-1]}")
    print(f"   baseline: {BASELINE}, {args.users} users, {args.baseline_seconds} s")
    signing, editing, editing_seconds = split_mixed(mixed_records, args.seconds)
    print(
        f"   mixed run: {args.users} editors sign in ({window(signing):.1f} s), then {args.seconds} s of "
        f"sections, saves and results pages (think time {args.think:g} s)"
    )
    baseline_rps = len(baseline_records) / window(baseline_records) if baseline_records else float("nan")
    base_ms = times.get("baseline", float("nan"))
    header = (
        f"{'page type':<13} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'÷ base':>7} "
        f"{'worker ms':>9} {'× base':>7} {'errors':>6} {'409':>5}"
    )
    print(header)
    print("-" * len(header))
    groups = [("baseline", baseline_records, window(baseline_records))]
    for kinds, records, seconds in (
        (("sign-in page", "sign-in"), signing, window(signing)),
        (("section", "save", "results"), editing, editing_seconds),
    ):
        groups += [(kind, [r for r in records if r["type"] == kind], seconds) for kind in kinds]
    for kind, records, seconds in groups:
        if not records:
            print(f"{kind:<13} {0:>8}")
            continue
        ms = [r["ms"] for r in records]
        rps = len(records) / seconds
        errors = sum(1 for r in records if not r["ok"])
        conflicts = sum(1 for r in records if r["status"] == 409)
        worker = times.get(kind, float("nan"))
        print(
            f"{kind:<13} {len(records):>8} {percentile(ms, 0.5):>8.1f} {percentile(ms, 0.95):>8.1f} {rps:>8.1f} "
            f"{rps / baseline_rps:>7.3f} {worker:>9.1f} {worker / base_ms:>7.1f} {errors:>6} "
            f"{conflicts if kind == 'save' else '':>5}"
        )
    total_errors = sum(1 for r in editing if not r["ok"])
    total_rps = len(editing) / editing_seconds
    print(
        f"{'total editing':<13} {len(editing):>8} {'':>8} {'':>8} {total_rps:>8.1f} "
        f"{total_rps / baseline_rps:>7.3f} {'':>9} {'':>7} {total_errors:>6}"
    )
    print("   req/s: sign-in rows over the sign-in phase, the others over the timed run; ÷ base: over the")
    print("   baseline's req/s. worker ms: median time in the app (its access lines); × base: over the")
    print("   baseline's. 409: saves refused because another user saved the item first (not errors).")
    errors = [r.get("error") for r in mixed_records + baseline_records if not r["ok"]]
    if errors:
        print("   errors seen:", "; ".join(sorted(set(errors))[:5]))
    print(
        f"durability: acknowledged saves: {check['saves']}, found in database: {check['found']}, "
        f"missing: {check['missing']}"
    )
    print(
        f"   ({check['items']} answers changed in them, {check['items_found']} found as the revision the save "
        f"created, with the posted values; checked after the server stopped)"
    )
    if check["missing_items"]:
        print(f"   missing (item, version, user): {check['missing_items']}")
    print(
        f"   revisions written by the load users: {check['revisions_by_load_users']} "
        f"(acknowledged: {check['items']}); answers equal to their latest revision: "
        f"{check['answers_consistent']} of {check['answers']}"
    )


def warm_up(host, workers):
    """Concurrent requests, several per worker, so that no worker's first-request costs (lazy imports,
    template compilation) count in the baseline."""

    def fetch(path):
        try:
            with _opener.open(host + path, timeout=60) as response:
                response.read()
        except OSError:
            pass

    for path in ("/verify/", "/accounts/login/", "/verify/"):
        threads = [threading.Thread(target=fetch, args=(path,)) for _ in range(3 * workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)


def run_once(label, database_url, args):
    tmp = Path(tempfile.mkdtemp(prefix="aigov-load-"))
    server = None
    try:
        port = free_port()
        env = server_env(database_url, tmp, port, args.workers)
        progress(f"{label}: migrate, load_library, seed_demo, {args.users} editors")
        config = prepare(env, args.users)
        config.update(requests_file=str(tmp / "requests-baseline.jsonl"), acks_file=str(tmp / "acks.jsonl"))
        (tmp / "baseline.json").write_text(json.dumps(config))
        config.update(requests_file=str(tmp / "requests-mixed.jsonl"))
        (tmp / "mixed.json").write_text(json.dumps(config))

        progress(f"{label}: starting scripts/serve.sh on 127.0.0.1:{port}")
        server_log = tmp / "server.log"
        with open(server_log, "wb") as log:
            server = subprocess.Popen(
                [str(ROOT / "scripts" / "serve.sh")],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        host = f"http://127.0.0.1:{port}"
        try:
            wait_ready(f"{host}/verify/", server)
        except RuntimeError:
            print(server_log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        warm_up(host, args.workers)
        offset = server_log.stat().st_size
        progress(f"{label}: baseline run, {args.baseline_seconds} s")
        run_locust(
            "BaselineUser",
            args.users,
            args.baseline_seconds,
            host,
            tmp / "baseline.json",
            tmp / "locust.log",
            args.think,
        )
        progress(f"{label}: mixed run, sign-in then {args.seconds} s")
        run_locust("EditorUser", args.users, args.seconds, host, tmp / "mixed.json", tmp / "locust.log", args.think)
        # Check durability only after the server is gone: what was acknowledged must have been committed.
        progress(f"{label}: stopping the server, checking the database")
        stop_group(server)
        server = None
        check = durability(config, read_jsonl(tmp / "acks.jsonl"))
        report(
            label,
            args,
            port,
            read_jsonl(tmp / "requests-baseline.jsonl"),
            read_jsonl(tmp / "requests-mixed.jsonl"),
            server_times(server_log, offset),
            check,
            database_url,
        )
        sys.stdout.flush()
        return check["missing"] == 0
    finally:
        stop_group(server)
        shutil.rmtree(tmp, ignore_errors=True)


def run_postgres(args):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PGTEST_PORT"] = str(free_port())
    command = [
        str(ROOT / "scripts" / "with-postgres.sh"),
        str(PYTHON),
        str(Path(__file__).resolve()),
        "--postgres-only",
        "--seconds",
        str(args.seconds),
        "--users",
        str(args.users),
        "--workers",
        str(args.workers),
        "--baseline-seconds",
        str(args.baseline_seconds),
        "--think",
        str(args.think),
    ]
    sys.stdout.flush()
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        return proc.wait(timeout=args.seconds + args.baseline_seconds + 600) == 0
    finally:
        if proc.poll() is None:
            # Stop the benchmark inside, not the wrapper: the wrapper then removes its cluster.
            for pid in children_of(proc.pid):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                proc.kill()


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, _terminate)
    os.chdir(ROOT)
    database_url = os.environ.get("DATABASE_URL", "")
    if args.postgres_only:
        if not database_url.startswith(("postgres://", "postgresql://")):
            sys.exit("--postgres-only needs DATABASE_URL pointing at PostgreSQL (see scripts/with-postgres.sh)")
        ok = run_once("PostgreSQL", database_url, args)
        sys.exit(0 if ok else 1)
    if database_url:
        label = "PostgreSQL" if database_url.startswith("postgres") else "DATABASE_URL"
        ok = run_once(label, database_url, args)
        sys.exit(0 if ok else 1)
    tmp = Path(tempfile.mkdtemp(prefix="aigov-load-db-"))
    try:
        ok = run_once("SQLite", f"sqlite:///{tmp / 'load.sqlite3'}", args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not args.no_postgres and (ROOT / "scripts" / "with-postgres.sh").exists():
        ok = run_postgres(args) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
