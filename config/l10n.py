"""Figures in the active language's conventions, for templates and for sentences built in Python."""

from django.utils.formats import number_format
from django.utils.translation import gettext


def html_lang(code: str) -> str:
    """A Django language code as a BCP 47 tag for ``lang`` attributes: zh-hans → zh-Hans, en-gb → en-GB."""
    if not code:
        return ""
    first, *rest = code.split("-")
    parts = [first.lower()]
    for part in rest:
        parts.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part.lower())
    return "-".join(parts)


def percent(value, decimals: int = 1) -> str:
    """A percentage with the language's decimal mark and spacing: 62.5% in English, 62,5 % in French.

    The number is formatted by Django's locale formats; where the sign goes is the translation of
    "%(number)s%%" (French typography puts a no-break space before it).
    """
    if value is None or value == "":
        return ""
    return gettext("%(number)s%%") % {"number": number_format(value, decimal_pos=int(decimals))}
