"""The dashboard's table rows, rendered by Jinja2.

Django's template engine interprets each variable of each row anew: a page of 25 rows cost
about 4 ms in it, most of the dashboard's time (bench/pages.py, dashboard-1000). Jinja2 compiles
templates/jinja2/assessments/dashboard_rows.jinja to Python once, as it does the section page's
answer cards (assessments/answer_cards.py). The rest of the page stays a Django template, which
calls ``rows_html`` through the ``dashboard_rows`` tag and passes in the column names it
translated; each row's own words are translated in ``selectors.dashboard_rows``.
"""

from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from assessments.templatetags.answers import code_badges

TEMPLATE = "assessments/dashboard_rows.jinja"


def rows_html(rows, *, status: str, progress: str, instruments: str, change: str) -> SafeString:
    """The ``<tr>`` of each of ``rows`` (selectors.DashboardRow), with the column names that
    label each cell when a phone stacks the table."""
    template = engines["jinja2"].get_template(TEMPLATE)
    labels = {"status": status, "progress": progress, "instruments": instruments, "change": change}
    html = template.render({"rows": rows, "labels": labels, "badges": code_badges})
    return mark_safe(html)  # Jinja2 escaped every value put in (autoescape)
