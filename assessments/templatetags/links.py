"""Links from results back to the questions, and page links that keep the other parameters."""

import re
from functools import lru_cache

from django import template
from django.http import QueryDict
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Item codes as the library writes them (docs/library-format.md): "ACC-01", "SAF-103".
ITEM_CODE = re.compile(r"\b[A-Z]{2,4}-\d{2,3}\b")


def item_url(assessment_code, theme_code: str, item_code: str) -> str:
    """The item on its section page, where it is answered."""
    return f"{page_url('section', assessment_code, theme_code)}#item-{item_code}"


def page_url(name: str, *args) -> str:
    """``reverse(name, args=args)``, remembered: a results page links every gap to its section
    and every instrument to its page, and reversing each (tens of microseconds) cost more than
    the rest of the link's rendering. The script prefix and URLconf are part of the key."""
    return _reverse(get_script_prefix(), get_urlconf(), name, tuple(str(arg) for arg in args))


@lru_cache(maxsize=4096)
def _reverse(prefix, urlconf, name, args):
    return reverse(name, args=args, urlconf=urlconf)


@register.simple_tag
def item_href(assessment, item):
    """``href`` of an item of ``assessment`` (an ItemRecord) on its section page."""
    return item_url(assessment.code, item.theme.code, item.code)


@register.simple_tag
def section_href(assessment, theme):
    """``href`` of the section page of ``theme`` (a ThemeRecord) in ``assessment``."""
    return page_url("section", assessment.code, theme.code)


@register.simple_tag
def instrument_results_href(assessment, instrument):
    """``href`` of the page of one instrument's principles and items in ``assessment``'s results."""
    return page_url("results-instrument", assessment.code, instrument.code)


@register.simple_tag
def link_item_codes(text, items, assessment):
    """``text``, escaped, with each code of ``items`` (ItemRecords it mentions) linked to the item."""
    themes = {item.code: item.theme.code for item in items}

    def link(match):
        code = match.group(0)
        if code not in themes:
            return code
        return format_html('<a href="{}">{}</a>', item_url(assessment.code, themes[code], code), code)

    return mark_safe(ITEM_CODE.sub(link, str(escape(text))))


@register.simple_tag(takes_context=True)
def page_query(context, number, fragment=""):
    """The query string of page ``number``, with the parameters the view chose to keep
    (``page_params``: the comparison it accepted), never those merely sent: a refused
    ``?compare=`` is not echoed back into the links."""
    query = QueryDict(mutable=True)
    query.update(context.get("page_params") or {})
    query["page"] = number
    return f"?{query.urlencode()}{'#' + fragment if fragment else ''}"


@register.simple_tag
def page_numbers(page):
    """The page numbers to offer: the first, the last, and two either side of this one, with
    ``…`` (Paginator.ELLIPSIS) for the pages left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
