"""Scoring and results-page speed for 100 and 1,000 items across 15 instruments.

    .venv/bin/python bench/scoring.py

Prints, per size: the pure scoring time, the results page's time and query count, and each as a
ratio to a baseline measured in the same run (a JSON round trip of the same dataset, and the
sign-in page). Times are the median of several runs.
"""

import json
import statistics
import time

from setup_django import setup

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments.dataset import assessment_dataset  # noqa: E402
from assessments.results import compute  # noqa: E402
from bench.synthetic import build  # noqa: E402


def timed(fn, repeat=7):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main():
    client = Client()
    baseline_page = timed(lambda: client.get("/accounts/login/"))
    print(f"baseline: sign-in page {baseline_page * 1000:.1f} ms")
    print(f"{'items':>6} {'scoring ms':>11} {'json ms':>8} {'ratio':>6} {'page ms':>8} {'×sign-in':>9} {'queries':>8}")
    for n, tag in ((100, "B"), (1000, "C")):
        assessment, user = build(n, tag=tag)
        dataset = assessment_dataset(assessment)
        scoring = timed(lambda: compute(dataset))
        baseline = timed(lambda: json.loads(json.dumps(dataset)))
        client.force_login(user)
        url = reverse("results", args=[assessment.code])
        client.get(url)
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *a: (queries.append(sql), execute(sql, *a))[1]):
            client.get(url)
        page = timed(lambda: client.get(url), repeat=5)
        print(
            f"{n:>6} {scoring * 1000:>11.1f} {baseline * 1000:>8.1f} {scoring / baseline:>6.2f} "
            f"{page * 1000:>8.1f} {page / baseline_page:>9.1f} {len(queries):>8}"
        )


if __name__ == "__main__":
    main()
