"""PDF report speed, measured in one process and one run.

    .venv/bin/python bench/report.py

Renders the report of the full shipped library with every item answered, four ways, in paired
rounds (each round renders all four back to back, so they see the same machine):

  1. in parallel on the pre-started process pool: the production path, tagged (PDF/UA), with
     its contents page and page references (laid out, then rendered, in parts; docs/report.md);
  2. the same report in one process (the fallback);
  3. in one process, untagged, to show what tagging costs;
  4. the bare baseline: the same text in bare paragraphs, rendered with no stylesheet at all and
     with the Chinese characters removed, so only Latin fonts are used.

It prints each as a median time and as the median of its per-round ratios, because on these
shared 2-core machines times drift by a third within minutes. It checks that the parallel
render really went through the pool and that both renders have the same pages. Then it times a
repeat download of an unchanged draft's report (served from storage) against the one-query page
``/verify/?report=…`` of bench/pages.py, interleaved, asserting the status, the query count and
that nothing was rendered. Last, the five seed instruments alone and a synthetic 1,000-item
report, each rendered once the production way.
"""

import os

# Tasks run at once (no worker in this process), and plain http for the test client.
os.environ.setdefault("DJANGO_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_MANIFEST_STATIC", "0")  # pages render without collectstatic

import html as htmlmod
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from setup_django import setup

setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from weasyprint import HTML  # noqa: E402

from assessments.reports import parallel, services  # noqa: E402
from assessments.reports.context import report_context  # noqa: E402
from assessments.reports.fetcher import BASE_URL, SafeURLFetcher  # noqa: E402
from assessments.reports.fonts import CJK  # noqa: E402
from assessments.reports.render import (  # noqa: E402
    PARTS_PER_PROCESS,
    collector_paused,
    document_inputs,
    html_to_pdf,
    part_count,
    render_html,
)
from assessments.selectors import assessment_record  # noqa: E402
from assessments.services import AnswerInput, answers_save, assessment_create  # noqa: E402
from bench.synthetic import build  # noqa: E402


def timed(fn, repeat=3):
    fn()  # warm-up: imports, font loading, the parsed stylesheet
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def paired(fns, rounds=5):
    """Time each of ``fns`` (name -> callable) once per round, in turn, after a warm-up of each.
    Returns name -> (median time, last result, times)."""
    for fn in fns.values():
        fn()
    runs = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            result = fn()
            runs[name].append((time.perf_counter() - start, result))
    return {name: (statistics.median(t for t, _ in r), r[-1][1], [t for t, _ in r]) for name, r in runs.items()}


def ratio(times, base):
    """Median and range of the per-round ratios of ``times`` to ``base``."""
    ratios = [a / b for a, b in zip(times, base, strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full_library_assessment(codes=None):
    from django.contrib.auth import get_user_model

    from assessments.models import Membership, Organisation, Role
    from governance.models import Instrument

    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)
    tag = "-".join(codes) if codes else "all"
    user = get_user_model().objects.create_user(f"bench-{tag}", password="x")
    org = Organisation.objects.create(name=f"Bench {tag}")
    membership = Membership.objects.create(user=user, organisation=org, role=Role.OWNER)
    instruments = Instrument.objects.filter(retired=False)
    if codes:
        instruments = instruments.filter(code__in=codes)
    assessment = assessment_create(
        membership=membership, title="Full library", scope="Everything", description="", instruments=instruments
    )
    items = assessment_record(assessment=assessment).items
    choices = ["yes", "partial", "no", "na", "yes"]
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(
                item.id,
                item.code,
                choices[n % 5],
                "A justification of ordinary length, saying what is in place and where it is recorded.",
                [f"https://intranet.example.org/evidence/{n}"],
                0,
            )
            for n, item in enumerate(items)
        ],
    )
    return assessment, len(items)


def baseline_html(report_html):
    """The report's words in bare paragraphs: no stylesheet, no tables, no SVG, no Chinese."""
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", report_html, flags=re.S)
    blocks = re.split(r"<(?:p|div|h[1-4]|tr|dt|dd|li)\b[^>]*>", body)
    paragraphs = []
    for block in blocks:
        text = htmlmod.unescape(re.sub(r"<[^>]+>", " ", block))
        text = CJK.sub("", " ".join(text.split()))
        if text:
            paragraphs.append(f"<p>{htmlmod.escape(text)}</p>")
    return "<!doctype html><html><body>" + "".join(paragraphs) + "</body></html>"


def bare_pdf(html):
    """The baseline's renderer: WeasyPrint's defaults, no stylesheet and no font faces; the same
    fetcher and collector setting as the report, so the ratio shows styling, layout and fonts."""
    with collector_paused():
        return HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).write_pdf()


def untagged_pdf(html):
    """The report exactly as production renders it, less PDF/UA (no tags, no XMP)."""
    document, stylesheets, font_config = document_inputs(html)
    with collector_paused():
        return document.write_pdf(stylesheets=stylesheets, font_config=font_config)


def pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(match.group(1)) if match else "?"


def count_queries(fn):
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *a: (queries.append(sql), execute(sql, *a))[1]):
        result = fn()
    return len(queries), result


def download_bench(assessment, user, rounds=40):
    """A repeat download of an unchanged draft's report against the one-query /verify/ page, interleaved."""
    editor, anonymous = Client(), Client()
    editor.force_login(user)
    url = reverse("report-pdf", args=[assessment.code])
    first = editor.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf", first.status_code
    b"".join(first.streaming_content)

    def download():
        response = editor.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return len(b"".join(response.streaming_content))

    # The one-query page of bench/pages.py: the report lookup (an unknown report, so no file).
    verify_url = f"{reverse('verify')}?report={uuid.uuid4()}&hash={'0' * 64}"

    def verify():
        response = anonymous.get(verify_url)
        assert response.status_code == 200
        return len(response.content)

    download_queries, size = count_queries(download)
    verify_queries, _ = count_queries(verify)
    renders = []
    original = services.html_to_pdf
    services.html_to_pdf = lambda *a, **k: renders.append(1) or original(*a, **k)
    try:
        timed_runs = paired({"download": download, "verify": verify}, rounds=rounds)
    finally:
        services.html_to_pdf = original
    assert not renders, "a repeat download rendered the report again"
    return timed_runs, download_queries, verify_queries, size


def main():
    assessment, n_items = full_library_assessment()
    user = assessment.organisation.memberships.get().user
    html = render_html(report_context(assessment))
    base = baseline_html(html)
    processes = settings.REPORT_RENDER_PROCESSES
    assert processes > 1 and part_count(html) == processes * PARTS_PER_PROCESS, "the pool would not be used here"
    parallel.prestart()
    # The ratio compares PDF rendering alone; the data and template step is timed apart.
    prepare_s, _ = timed(lambda: render_html(report_context(assessment)))
    pooled = []
    original = parallel.render_parts
    parallel.render_parts = lambda parts: pooled.append(len(parts)) or original(parts)
    try:
        runs = paired(
            {
                "parallel": lambda: html_to_pdf(html),
                "single": lambda: html_to_pdf(html, parallel=False),
                "untagged": lambda: untagged_pdf(html),
                "bare": lambda: bare_pdf(base),
            }
        )
    finally:
        parallel.render_parts = original
    assert pooled == [part_count(html)] * 6, f"the parallel render did not go through the pool: {pooled}"
    par_s, par_pdf, par_t = runs["parallel"]
    one_s, one_pdf, one_t = runs["single"]
    untagged_s, untagged_doc, untagged_t = runs["untagged"]
    bare_s, bare_doc, bare_t = runs["bare"]
    assert pages(par_pdf) == pages(one_pdf), "the two renders differ in pages"
    mem_after_full = peak_mb()

    line = "{:<66} {}"
    print(
        f"full library report ({n_items} items, {assessment.instruments.count()} instruments), "
        f"data and template {prepare_s:.2f} s, then the PDF, median of 5 paired rounds:"
    )
    print(
        line.format(
            f"  in parallel ({part_count(html)} parts, {processes} processes), tagged (production):",
            f"{par_s:.2f} s, {pages(par_pdf)} pages, {len(par_pdf) / 1024:.0f} KiB",
        )
    )
    print(
        line.format(
            "  in one process, tagged (the fallback):",
            f"{one_s:.2f} s, {pages(one_pdf)} pages, {len(one_pdf) / 1024:.0f} KiB",
        )
    )
    print(
        line.format(
            "  in one process, untagged (no PDF/UA):", f"{untagged_s:.2f} s, {len(untagged_doc) / 1024:.0f} KiB"
        )
    )
    print(
        line.format("  bare baseline (same text, no styling, Latin only):", f"{bare_s:.2f} s, {pages(bare_doc)} pages")
    )
    for label, times, against in (
        ("parallel (production) / bare baseline", par_t, bare_t),
        ("one process / bare baseline", one_t, bare_t),
        ("untagged / bare baseline", untagged_t, bare_t),
        ("tagged / untagged (the cost of PDF/UA)", one_t, untagged_t),
        ("parallel / one process", par_t, one_t),
    ):
        median, low, high = ratio(times, against)
        print(line.format(f"  ratio {label}:", f"{median:.2f} (range {low:.2f}–{high:.2f})"))
    sys.stdout.flush()
    downloads, download_queries, verify_queries, size = download_bench(assessment, user)
    dl_s, _, dl_t = downloads["download"]
    vf_s, _, vf_t = downloads["verify"]
    median, low, high = ratio(dl_t, vf_t)
    print(
        line.format(
            "repeat download of the unchanged draft's report:",
            f"{dl_s * 1000:.1f} ms, {download_queries} queries, {size / 1024:.0f} KiB, nothing rendered",
        )
    )
    print(
        line.format("one-query page /verify/?report= (anonymous):", f"{vf_s * 1000:.1f} ms, {verify_queries} queries")
    )
    assert verify_queries == 1, "the baseline is the one-query page"
    print(line.format("  ratio download / verify, 40 paired rounds:", f"{median:.2f} (range {low:.2f}–{high:.2f})"))
    seed, seed_items = full_library_assessment(["SH", "CF", "GA", "HL", "IC"])
    seed_s, seed_pdf = timed(lambda: html_to_pdf(render_html(report_context(seed))))

    synthetic, _ = build(1000, tag="R")
    synthetic_s, synthetic_pdf = timed(lambda: html_to_pdf(render_html(report_context(synthetic))), repeat=1)

    print(line.format(f"five seed instruments only ({seed_items} items):", f"{seed_s:.2f} s, {pages(seed_pdf)} pages"))
    print(
        line.format(
            "synthetic 1,000-item report (15 instruments):", f"{synthetic_s:.2f} s, {pages(synthetic_pdf)} pages"
        )
    )
    print(f"peak memory: {mem_after_full:.0f} MB after the full-library runs, {peak_mb():.0f} MB at the end")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
