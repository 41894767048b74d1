"""Render the report to PDF bytes, in this process, with nothing fetched from outside."""

import gc
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from assessments.reports.fetcher import ALLOWED_ROOT, BASE_URL, SafeURLFetcher
from assessments.reports.fonts import cjk_characters, font_face_css

TEMPLATE = "report/report.html"


@lru_cache(maxsize=1)
def base_stylesheet():
    """The print stylesheet, parsed once per process."""
    path = ALLOWED_ROOT / "report.css"
    return CSS(string=Path(path).read_text(encoding="utf-8"), base_url=BASE_URL, url_fetcher=SafeURLFetcher())


def render_html(context) -> str:
    return render_to_string(TEMPLATE, context)


_pause_lock = threading.Lock()
_pause = {"depth": 0, "was_enabled": False}


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for the length of a render.

    WeasyPrint allocates hundreds of thousands of boxes, styles and layouts per report, and the
    collector's passes over them took about a fifth of the render time in bench/report.py.
    Reference counting still frees nearly everything as it goes; the few cycles wait until the
    collector resumes (peak memory rose by about a tenth).

    The collector is process-wide, so renders on several threads share one pause: the first in
    turns it off, and the last out restores what the first found.
    """
    with _pause_lock:
        if _pause["depth"] == 0:
            _pause["was_enabled"] = gc.isenabled()
            gc.disable()
        _pause["depth"] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause["depth"] -= 1
            if _pause["depth"] == 0 and _pause["was_enabled"]:
                gc.enable()


def html_to_pdf(html: str) -> bytes:
    font_config = FontConfiguration()
    stylesheets = [base_stylesheet()]
    faces = font_face_css(cjk_characters(html))
    if faces:
        stylesheets.append(CSS(string=faces, font_config=font_config, url_fetcher=SafeURLFetcher()))
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher())
    with collector_paused():
        return document.write_pdf(stylesheets=stylesheets, font_config=font_config)


def render_pdf(context) -> bytes:
    return html_to_pdf(render_html(context))
