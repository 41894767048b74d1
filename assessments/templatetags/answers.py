"""Filters that put the codes held in records into words, when a page renders."""

from django import template

from assessments import labels
from governance.models import InstrumentKind, Relevance

register = template.Library()


@register.filter
def choice_label(value):
    """The words for a stored answer ("na" → "Not applicable")."""
    return labels.choice_label(value)


@register.filter
def band_label(value):
    """The words for a band code ("partial" → "Partial")."""
    return labels.band_label(value)


@register.filter
def relevance_label(value):
    """The words for a link's relevance ("core" → "Core")."""
    try:
        return Relevance(value).label
    except ValueError:
        return value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def kind_label(value):
    """The words for an instrument kind ("joint_statement" → "Joint statement")."""
    try:
        return InstrumentKind(value).label
    except ValueError:
        return value
