"""Budgets of report renders, per organisation and per person, counted from the ledger of
renders in the database (``ReportRender``), so every app server sees the same counts."""

import datetime as dt

from django.conf import settings

from assessments.models import ReportRender


def budget_spent(*, organisation, user, now: dt.datetime) -> str | None:
    """Which budget a new render would exceed, ``"person"`` or ``"organisation"``, or None.

    Counts the renders started in the last window. Call it inside the transaction that records
    the new render, with the organisation's row locked, so that two requests cannot both take
    the last one.
    """
    since = now - dt.timedelta(seconds=settings.REPORT_RATE_WINDOW_SECONDS)
    recent = ReportRender.objects.filter(requested_at__gte=since)
    if user is not None and recent.filter(requested_by=user).count() >= settings.REPORT_RATE_LIMIT_PER_PERSON:
        return "person"
    if recent.filter(organisation=organisation).count() >= settings.REPORT_RATE_LIMIT:
        return "organisation"
    return None
