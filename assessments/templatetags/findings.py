"""Filters that put a finding's codes into words ({% load findings %})."""

from django import template

from assessments import finding_labels

register = template.Library()


@register.filter
def severity_label(value):
    """The words for a severity code ("high" → "High")."""
    return finding_labels.severity_label(value)


@register.filter
def finding_kind_label(value):
    """The words for a finding's kind ("unevidenced" → "Yes, without evidence")."""
    return finding_labels.kind_label(value)
