"""Scoring and results-page speed for 100 and 1,000 items across 15 instruments.

    .venv/bin/python bench/scoring.py

Prints, per size: the pure scoring time, the results page's time and query count, and each as a
ratio to a baseline measured in the same run (a JSON round trip of the same record, and the
sign-in page). Times are the median of several runs.

Runs with production settings on plain http (bench/setup_django.py): with DEBUG off and the TLS
redirect on, every page would be a 301 with no queries. Every timed response must have status
200 and every page its expected number of queries, or the benchmark stops.
"""

import json
import statistics
import time

from setup_django import setup

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments.record.snapshot import to_snapshot  # noqa: E402
from assessments.results import compute  # noqa: E402
from assessments.selectors import assessment_record  # noqa: E402
from bench.synthetic import build  # noqa: E402

# session, user; assessment, membership; the comparison choices; the record (instruments,
# principles, links, items, answers, files) and the assessment list for "compare with"
RESULTS_QUERIES = 11
SIGN_IN_PAGE_QUERIES = 0


def timed(fn, repeat=7):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def ok(response):
    """A timed page must be the page itself, not a redirect or an error."""
    if response.status_code != 200:
        raise AssertionError(f"{response.request['PATH_INFO']}: status {response.status_code}, expected 200")
    return response


def checked_queries(client, url, expected):
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a, queries=queries: (queries.append(sql), execute(sql, *a))[1]
    ):
        ok(client.get(url))
    if len(queries) != expected:
        raise AssertionError(f"{url}: {len(queries)} queries, expected {expected}:\n" + "\n".join(queries))
    return len(queries)


def main():
    client = Client()
    ok(client.get("/accounts/login/"))
    checked_queries(client, "/accounts/login/", SIGN_IN_PAGE_QUERIES)
    baseline_page = timed(lambda: ok(client.get("/accounts/login/")))
    print(f"baseline: sign-in page {baseline_page * 1000:.1f} ms")
    print(f"{'items':>6} {'scoring ms':>11} {'json ms':>8} {'ratio':>6} {'page ms':>8} {'×sign-in':>9} {'queries':>8}")
    for n, tag in ((100, "B"), (1000, "C")):
        assessment, user = build(n, tag=tag)
        record = assessment_record(assessment=assessment)
        scoring = timed(lambda record=record: compute(record))
        snapshot = to_snapshot(record)
        baseline = timed(lambda snapshot=snapshot: json.loads(json.dumps(snapshot)))
        client.force_login(user)
        url = reverse("results", args=[assessment.code])
        ok(client.get(url))
        queries = checked_queries(client, url, RESULTS_QUERIES)
        page = timed(lambda url=url: ok(client.get(url)), repeat=5)
        print(
            f"{n:>6} {scoring * 1000:>11.1f} {baseline * 1000:>8.1f} {scoring / baseline:>6.2f} "
            f"{page * 1000:>8.1f} {page / baseline_page:>9.1f} {queries:>8}"
        )


if __name__ == "__main__":
    main()
