"""Language tags and percentages for templates (config/l10n.py)."""

from django import template
from django.conf import settings

from config import l10n

register = template.Library()


@register.filter
def html_lang(code: str) -> str:
    return l10n.html_lang(code)


@register.filter
def percent(value, decimals: int = 1) -> str:
    return l10n.percent(value, decimals)


@register.simple_tag
def languages_by_own_name():
    """(code, name) of each language, the name in that language as settings.LANGUAGES writes it:
    Django's get_available_languages translates the names, so English read "Anglais" on French
    pages."""
    return settings.LANGUAGES
