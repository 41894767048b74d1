"""Language tags and percentages for templates (config/l10n.py)."""

from django import template

from config import l10n

register = template.Library()


@register.filter
def html_lang(code: str) -> str:
    return l10n.html_lang(code)


@register.filter
def percent(value, decimals: int = 1) -> str:
    return l10n.percent(value, decimals)
