"""The answer cards of a section page: one per item, rendered by Jinja2.

A card is the item's question, guidance, answer form (or, read-only, the answer), the principles
it serves and its comments. Django's template engine interprets each variable of each card anew,
about 1,700 lookups a card: at 200 items that was most of the page's time. Jinja2 compiles
templates/jinja2/assessments/answer_cards.jinja to Python once and renders the same HTML several
times faster (bench/pages.py). The rest of the page stays a Django template, which calls
``cards_html`` through the ``answer_cards`` tag.

The words come from here (``CardTexts``), not from the Jinja template: makemessages reads Python
and Django templates, not Jinja's syntax, so these reach the catalogues as every other string
does, and a missing translation fails the catalogue tests as any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.template import engines
from django.urls import get_script_prefix
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from markupsafe import Markup

from assessments import reversing
from assessments.record.types import ItemRecord
from assessments.templatetags.answers import badge_html
from governance import translations

TEMPLATE = "assessments/answer_cards.jinja"


@dataclass(frozen=True, slots=True)
class CardTexts:
    """The words of the cards in one language, looked up once per language and process, as
    ``answer_parts.FormTexts`` are.

    Each is ``Markup``, as Django's translate and blocktranslate tags treat a translated literal
    as safe (the catalogues are the project's own; some sentences hold HTML). Jinja's ``format``
    filter then escapes the values put into a sentence, not the sentence."""

    guidance: Markup
    guidance_is_current: Markup
    evidence_hint: Markup
    evidence_expired: Markup
    stale: Markup
    saved_by: Markup
    saved_by_someone: Markup
    their_answer: Markup
    their_evidence: Markup
    conflict_kept: Markup
    answer: Markup
    justification: Markup
    evidence: Markup
    valid_until: Markup
    expired: Markup
    files: Markup
    not_stored: Markup
    serves: Markup
    last_saved_by: Markup
    last_saved: Markup
    history: Markup
    add_comment: Markup
    no_comments: Markup
    add_comment_on: Markup
    comment: Markup
    resolved: Markup
    mark_resolved: Markup
    kept_file: Markup

    @staticmethod
    def comments(count: int) -> Markup:
        return Markup(ngettext("%(counter)s comment", "%(counter)s comments", count)) % {"counter": count}

    @staticmethod
    def open_comments(count: int) -> Markup:
        return Markup(ngettext("%(counter)s open", "%(counter)s open", count)) % {"counter": count}


@lru_cache(maxsize=8)
def _texts(language: str | None) -> CardTexts:
    words = {
        "guidance": gettext("Guidance and evidence"),
        "guidance_is_current": gettext(
            "(today's library text: this assessment was submitted before guidance was kept with it)"
        ),
        "evidence_hint": gettext("Evidence:"),
        "evidence_expired": gettext(
            "The evidence of this answer was valid until %(date)s: it no longer counts in the evidenced score."
        ),
        "stale": gettext(
            "The library has reworded this item since it was answered: check that the answer still holds, "
            "then save it again."
        ),
        "saved_by": gettext("Saved by %(name)s on %(date)s at %(time)s while you were editing."),
        "saved_by_someone": gettext("Saved by someone else on %(date)s at %(time)s while you were editing."),
        "their_answer": gettext("Their answer: <strong>%(answer)s</strong>"),
        "their_evidence": gettext("Their evidence:"),
        "conflict_kept": gettext(
            "Your answer is kept in the form below. Save again to replace theirs with yours, or change it to keep theirs."
        ),
        "answer": gettext("Answer"),
        "justification": gettext("Justification"),
        "evidence": gettext("Evidence"),
        "valid_until": gettext("Evidence valid until"),
        "expired": gettext("Expired"),
        "files": gettext("Evidence files"),
        "not_stored": gettext("(no longer stored)"),
        "serves": gettext("Serves:"),
        "last_saved_by": gettext("Last saved %(date)s by %(name)s"),
        "last_saved": gettext("Last saved %(date)s"),
        "history": gettext('history<span class="visually-hidden"> of %(code)s</span>'),
        "add_comment": gettext("Add a comment"),
        "no_comments": gettext("No comments"),
        "add_comment_on": gettext("Add a comment on %(code)s"),
        "comment": gettext("Comment"),
        "resolved": gettext("resolved"),
        "mark_resolved": gettext("Mark resolved"),
        "kept_file": gettext(
            'Add %(name)s <span class="text-secondary">(%(size)s)</span>, chosen before: it is kept for you'
        ),
    }
    return CardTexts(**{name: Markup(text) for name, text in words.items()})


def card_texts() -> CardTexts:
    return _texts(get_language())


class Dates:
    """Dates and times as Django's date and time filters show them (an aware datetime in the
    current time zone), each distinct value and format once per page: a section saved at once
    shows one time on every card, and formatting one costs several context-local lookups."""

    def __init__(self):
        self._shown = {}

    def date(self, value, format_name: str) -> str:
        return self._show(formats.date_format, value, format_name)

    def time(self, value, format_name: str) -> str:
        return self._show(formats.time_format, value, format_name)

    def _show(self, format, value, format_name):
        if not value:
            return ""
        key = (format, value, format_name)
        try:
            return self._shown[key]
        except KeyError:
            local = timezone.localtime(value) if isinstance(value, dt.datetime) and timezone.is_aware(value) else value
            shown = self._shown[key] = format(local, format_name)
            return shown


class _Badges(dict):
    """A principle's badge (``answers.badge_html``) by principle and relevance, rendered once per
    page: a section's items serve the same few principles again and again."""

    def __init__(self, language):
        super().__init__()
        self.language, self.prefix = language, get_script_prefix()

    def __call__(self, link):
        key = (link.principle.code, link.relevance)
        try:
            return self[key]
        except KeyError:
            html = self[key] = badge_html(link, self.language, self.prefix)
            return html


def cards_html(
    *, rows: list[tuple[ItemRecord, object, object]], assessment, readonly: bool, threads: dict, can_comment: bool
) -> SafeString:
    """The cards of ``rows`` (item, its form or None when read-only, its conflict or None)."""
    template = engines["jinja2"].get_template(TEMPLATE)
    language = translations.active_language()
    html = template.render(
        {
            "rows": rows,
            # Looked up once here: the active language and the script prefix are context-local
            # lookups, which once per text of every card cost more than the card's markup.
            "language": language,
            "badge": _Badges(language),
            "fmt": Dates(),
            "readonly": readonly,
            "threads": threads,
            "can_comment": can_comment,
            "t": card_texts(),
            # Reversed once for the page and filled in per item (assessments/reversing.py).
            "item_url": reversing.url_pattern("library:item-detail"),
            "history_url": reversing.url_pattern("answer-history", assessment.code),
            "evidence_url": reversing.url_pattern("evidence", slot=reversing.UUID_SLOT),
            "resolve_url": reversing.url_pattern("comment-resolve", slot=reversing.UUID_SLOT),
        }
    )
    return mark_safe(html)  # Jinja2 escaped every value put in (autoescape)
