from django import template

from assessments.results import CHOICE_LABELS
from governance.models import InstrumentKind

register = template.Library()


@register.filter
def choice_label(value):
    """The words for a stored answer ("na" → "Not applicable")."""
    return CHOICE_LABELS.get(value or "", value)


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
