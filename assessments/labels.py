"""Words for the codes that data holds: answers and bands.

Records, exports, hashes and issued reports keep codes (``"na"``, ``"partial"``); only pages and
reports put them into words, through these tables, so rewording a label never changes data.
"""

CHOICE_LABELS = {"yes": "Yes", "partial": "Partially", "no": "No", "na": "Not applicable", "": "Unanswered"}
BAND_LABELS = {"strong": "Strong", "partial": "Partial", "weak": "Weak"}


def choice_label(code: str | None) -> str:
    return CHOICE_LABELS.get(code or "", code or "")


def band_label(code: str | None) -> str:
    return BAND_LABELS.get(code or "", code or "")
