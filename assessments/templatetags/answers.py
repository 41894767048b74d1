"""Filters that put the codes held in records into words, when a page renders."""

from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from assessments import labels, reversing
from governance.models import Confidence, InstrumentKind, Relevance

register = template.Library()


@register.filter
def choice_label(value):
    """The words for a stored answer ("na" → "Not applicable")."""
    return labels.choice_label(value)


@register.filter
def band_label(value):
    """The words for a band code ("partial" → "Partial")."""
    return labels.band_label(value)


@register.filter
def relevance_label(value):
    """The words for a link's relevance ("core" → "Core")."""
    try:
        return Relevance(value).label
    except ValueError:
        return value


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


@register.filter
def confidence_label(value):
    """The words for a confidence code ("verified" → "Verified")."""
    try:
        return Confidence(value).label
    except ValueError:
        return value


def badge_html(link, language, prefix):
    """A link's principle as a badge linking to its page, with the instrument and heading as its
    title, in ``language`` (``translations.active_language()``), under the script ``prefix``. A
    section page shows one per link of every item (hundreds), mostly the same few principles
    again: they are rendered once per distinct principle and wording, not per use."""
    principle = link.principle
    return _badge(
        prefix,
        principle.code,
        link.relevance,
        principle.instrument.localized(language).title,
        principle.localized(language).heading,
        relevance_label(link.relevance).lower(),
    )


@lru_cache(maxsize=4096)
def _badge(prefix, code, relevance, instrument, heading, relevance_words):
    style = "text-bg-primary" if relevance == "core" else "text-bg-light border"
    return format_html(
        '<a class="code-badge badge {} text-decoration-none" href="{}" title="{}: {} ({})">{}</a>',
        style,
        reverse("library:principle-detail", args=[code]),
        instrument,
        heading,
        relevance_words,
        code,
    )


@register.simple_tag
def answer_cards(rows, assessment, readonly, threads, can_comment):
    """A section page's answer cards, rendered by Jinja2 (see ``assessments.answer_cards``)."""
    from assessments.answer_cards import cards_html  # which imports this module's badges

    return cards_html(rows=rows, assessment=assessment, readonly=readonly, threads=threads, can_comment=can_comment)


@register.simple_tag
def dashboard_rows(rows, status, progress, instruments, change):
    """The dashboard's table rows, rendered by Jinja2 (see ``assessments.dashboard_rows``)."""
    from assessments.dashboard_rows import rows_html  # which imports this module's badges

    return rows_html(rows, status=status, progress=progress, instruments=instruments, change=change)


@register.simple_tag
def url_pattern(name, *args):
    """``name``'s URL with ``args`` and a slot for the last argument, a code (see ``with_code``
    and ``assessments.reversing``)."""
    return reversing.url_pattern(name, *args)


@register.filter
def with_code(pattern, code):
    """The URL from ``url_pattern`` for ``code``."""
    return reversing.with_code(pattern, code)


@register.filter
def code_badges(codes):
    """Instrument codes as badges, each followed by a space. A list of assessments shows the
    same few sets of instruments again and again: each set is rendered once, not per row."""
    return _code_badges(tuple(codes))


@lru_cache(maxsize=1024)
def _code_badges(codes):
    return format_html_join("", '<span class="code-badge badge text-bg-light border">{}</span> ', ((c,) for c in codes))
