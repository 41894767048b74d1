"""Words for the codes that data holds: answers and bands.

Records, exports, hashes and issued reports keep codes (``"na"``, ``"partial"``); only pages and
reports put them into words, through these tables, so rewording a label never changes data. The
words are translated when they are shown (lazily), in the language active at that moment.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CHOICE_LABELS = {
    "yes": _("Yes"),
    "partial": _("Partially"),
    "no": _("No"),
    "na": _("Not applicable"),
    "": _("Unanswered"),
}
# "Partial" the band (a score of 50 to under 80), not the answer "Partially": a context, as some
# languages word them differently.
BAND_LABELS = {
    "strong": pgettext_lazy("score band", "Strong"),
    "partial": pgettext_lazy("score band", "Partial"),
    "weak": pgettext_lazy("score band", "Weak"),
}


def choice_label(code: str | None) -> str:
    label = CHOICE_LABELS.get(code or "")
    return str(label) if label is not None else code or ""


def band_label(code: str | None) -> str:
    label = BAND_LABELS.get(code or "")
    return str(label) if label is not None else code or ""


# The English words of files whose words are part of their format, read back or compared by
# machines: the workbook's drop-down (its reader maps the words back to codes) and OSCAL titles.
# They do not follow the interface language.
CHOICE_WORDS = {"yes": "Yes", "partial": "Partially", "no": "No", "na": "Not applicable", "": "Unanswered"}
BAND_WORDS = {"strong": "Strong", "partial": "Partial", "weak": "Weak"}


def choice_word(code: str | None) -> str:
    return CHOICE_WORDS.get(code or "", code or "")


def band_word(code: str | None) -> str:
    return BAND_WORDS.get(code or "", code or "")


def person_name(user) -> str:
    """How reports and signatures name a person: their full name, or their username when they
    set none ("" for nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.username
