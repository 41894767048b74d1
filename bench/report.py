"""PDF report speed, measured in one process and one run.

    .venv/bin/python bench/report.py

Renders:
  1. the report of the full shipped library with every item answered;
  2. a baseline: the same text in bare paragraphs, rendered with no stylesheet at all and with
     the Chinese characters removed, so only Latin fonts are used: the ratio report/baseline
     shows what fonts, layout and styling cost;
  3. a synthetic 1,000-item report.
Prints the times (medians, after a warm-up), the ratio, page counts and peak memory. The report
and the baseline are timed alternately, five rounds each, and the ratio is the median of the
per-round ratios: on these shared 2-core machines times drift by a third within minutes.
"""

import html as htmlmod
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from setup_django import setup

setup()

from django.core.management import call_command  # noqa: E402
from weasyprint import HTML  # noqa: E402

from assessments.reports.context import report_context  # noqa: E402
from assessments.reports.fonts import CJK  # noqa: E402
from assessments.reports.fetcher import BASE_URL, SafeURLFetcher  # noqa: E402
from assessments.reports.render import collector_paused, html_to_pdf, render_html  # noqa: E402
from assessments.selectors import assessment_sections  # noqa: E402
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


def paired(report, baseline, rounds=5):
    """Time report and baseline alternately, and return the median of each and the median of
    the per-round ratios. This machine's speed drifts by a third within minutes; two renders
    timed back to back see the same drift, so their ratio holds steady where times do not."""
    report()
    baseline()
    report_runs, baseline_runs = [], []
    for _ in range(rounds):
        for fn, runs in ((report, report_runs), (baseline, baseline_runs)):
            start = time.perf_counter()
            result = fn()
            runs.append((time.perf_counter() - start, result))
    ratios = [r[0] / b[0] for r, b in zip(report_runs, baseline_runs)]
    return (
        statistics.median(t for t, _ in report_runs),
        report_runs[-1][1],
        statistics.median(t for t, _ in baseline_runs),
        baseline_runs[-1][1],
        statistics.median(ratios),
        (min(ratios), max(ratios)),
    )


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
    entries = [e for s in assessment_sections(assessment) for e in s.items]
    choices = ["yes", "partial", "no", "na", "yes"]
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(
                e.item.id,
                e.item.code,
                choices[n % 5],
                "A justification of ordinary length, saying what is in place and where it is recorded.",
                ["https://intranet.example.org/evidence/%d" % n],
                0,
            )
            for n, e in enumerate(entries)
        ],
    )
    return assessment, len(entries)


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


def pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(match.group(1)) if match else "?"


def main():
    assessment, n_items = full_library_assessment()
    html = render_html(report_context(assessment))
    base = baseline_html(html)
    # The ratio compares PDF rendering alone; the data and template step is timed apart.
    prepare_s, _ = timed(lambda: render_html(report_context(assessment)))
    pdf_s, pdf, baseline_s, base_pdf, ratio, (low, high) = paired(lambda: html_to_pdf(html), lambda: bare_pdf(base))
    report_s = prepare_s + pdf_s
    mem_after_full = peak_mb()

    seed, seed_items = full_library_assessment(["SH", "CF", "GA", "HL", "IC"])
    seed_s, seed_pdf = timed(lambda: html_to_pdf(render_html(report_context(seed))))

    synthetic, _ = build(1000, tag="R")
    synthetic_s, synthetic_pdf = timed(lambda: html_to_pdf(render_html(report_context(synthetic))), repeat=1)

    print(
        f"full library report ({n_items} items, {assessment.instruments.count()} instruments): "
        f"{report_s:.2f} s, {pages(pdf)} pages, {len(pdf) / 1024:.0f} KiB "
        f"(data and template {prepare_s:.2f} s, PDF {pdf_s:.2f} s)"
    )
    print(f"baseline (same text, no styling, Latin only):              {baseline_s:.2f} s, {pages(base_pdf)} pages")
    print(f"ratio report PDF / baseline, median of 5 paired runs:      {ratio:.2f} (range {low:.2f}–{high:.2f})")
    print(f"five seed instruments only ({seed_items} items):                  {seed_s:.2f} s, {pages(seed_pdf)} pages")
    print(
        f"synthetic 1,000-item report (15 instruments):              {synthetic_s:.2f} s, {pages(synthetic_pdf)} pages"
    )
    print(f"peak memory: {mem_after_full:.0f} MB after the full-library runs, {peak_mb():.0f} MB at the end")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
