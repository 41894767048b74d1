"""Words for a finding's codes: its severity and its kind (assessments/findings.py).

Kept apart from ``assessments.labels`` (answers and bands) so each table has one reason to change.
Translated when shown, in the language active at that moment.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SEVERITY_LABELS = {
    "high": pgettext_lazy("severity", "High"),
    "medium": pgettext_lazy("severity", "Medium"),
    "low": pgettext_lazy("severity", "Low"),
}
KIND_LABELS = {
    "no": _("No"),
    "partial": _("Partially"),
    "unanswered": _("Unanswered"),
    "unevidenced": _("Yes, without evidence"),
}


def severity_label(code: str | None) -> str:
    label = SEVERITY_LABELS.get(code or "")
    return str(label) if label is not None else code or ""


def kind_label(code: str | None) -> str:
    label = KIND_LABELS.get(code or "")
    return str(label) if label is not None else code or ""
