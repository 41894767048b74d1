"""Filters for the PDF report ({% load report %}): whole percentages and confidence marks."""

from django import template
from django.utils.translation import gettext

from governance.models import Confidence

register = template.Library()

# A mark a reader can tell apart in black and white: ✓ checked against a copy, ~ from a
# widely reproduced text, ? unverified (DejaVu Sans has all three).
CONFIDENCE_MARKS = {"verified": "✓", "recalled": "~", "unverified": "?"}


@register.filter
def pct(value):
    """A 0–100 score as a whole percentage ("62%"), or "—" when there is none."""
    if value is None:
        return "—"
    return gettext("%(value)d%%") % {"value": int(value + 0.5)}


@register.filter
def coverage_pct(value):
    """A 0–1 coverage as a whole percentage."""
    return "—" if value is None else pct(value * 100)


@register.filter
def confidence_mark(value):
    return CONFIDENCE_MARKS.get(value, "")


@register.filter
def confidence_label(value):
    try:
        return Confidence(value).label
    except ValueError:
        return value
