"""A per-organisation budget of report renders, shared by every app server (database cache)."""

import time

from django.conf import settings
from django.core.cache import cache


def report_render_allowed(organisation) -> bool:
    """Count one render against the organisation's budget for the current window."""
    window = settings.REPORT_RATE_WINDOW_SECONDS
    key = f"report-renders:{organisation.pk}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: start the window again
        cache.set(key, 1, timeout=window * 2)
        count = 1
    return count <= settings.REPORT_RATE_LIMIT


def mark_queued(assessment) -> bool:
    """True the first time in ten minutes a report is queued for ``assessment``, so reloading
    the "being prepared" page does not queue it again."""
    return cache.add(f"report-queued:{assessment.pk}", 1, timeout=600)
