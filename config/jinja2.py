"""The Jinja2 environment of the few templates that Django's engine renders too slowly.

Only the answer cards of a section page (assessments/answer_cards.py) and the dashboard's rows
(assessments/dashboard_rows.py) use it; every other page is a Django template. The filters are Django's own functions, so that a file size or a line break
reads the same in both engines, in every language (dates: answer_cards.Dates).
"""

from django.template.defaultfilters import filesizeformat, linebreaksbr
from jinja2 import Environment, StrictUndefined

from assessments.labels import choice_label
from assessments.reversing import UUID_SLOT, with_code


def environment(**options):
    # StrictUndefined: a misspelt name fails the tests instead of rendering as nothing (Django's
    # backend would choose a lenient one).
    env = Environment(**{**options, "undefined": StrictUndefined})
    env.filters.update(
        filesizeformat=filesizeformat,
        linebreaksbr=lambda value: linebreaksbr(value, autoescape=True),
        choice_label=choice_label,
        with_code=with_code,
        with_uuid=lambda pattern, code: with_code(pattern, code, slot=UUID_SLOT),
    )
    return env
