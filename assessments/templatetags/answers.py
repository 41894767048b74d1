from django import template

from assessments.results import CHOICE_LABELS

register = template.Library()


@register.filter
def choice_label(value):
    """The words for a stored answer ("na" → "Not applicable")."""
    return CHOICE_LABELS.get(value or "", value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
