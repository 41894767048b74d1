"""Pages of long lists (gaps, assessments), read from the request's ``page`` parameter.

A page number that is not a whole number, or below 1, shows the first page; one beyond the end
shows the last page. A link someone kept after the list shrank still lands on a page, and no
typed-in value makes a 400 or a 500.
"""

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def page_of(items, raw, *, per_page: int = PER_PAGE) -> Page:
    """The page numbered ``raw`` (a string from the query, or None) of ``items``, a list or an
    ordered queryset. A queryset costs one COUNT and one query for the page's rows."""
    paginator = Paginator(items, per_page)
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    return paginator.page(min(max(number, 1), paginator.num_pages))
