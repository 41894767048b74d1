"""What the workbook holds and where: shared by the writer and the reader."""

from assessments.labels import CHOICE_WORDS as CHOICE_LABELS

SCHEMA = "aigov.workbook"
VERSION = 1
SALT = "aigov.workbook"
META_SHEET = "aigov"  # hidden: the signed record of what was downloaded
RESULTS_SHEET = "Results"
ABOUT_SHEET = "About"
HEADER = ["Code", "Question", "Guidance", "Answer", "Justification", "Evidence URLs (one per line)"]
CODE, QUESTION, GUIDANCE, ANSWER, JUSTIFICATION, EVIDENCE = range(1, 7)
FIRST_ROW = 2  # row 1 is the header

# The drop-down offers the words; the reader takes the words or the codes.
ANSWER_WORDS = [CHOICE_LABELS[c] for c in ("yes", "partial", "no", "na")]
CHOICE_OF = {**{CHOICE_LABELS[c].casefold(): c for c in ("yes", "partial", "no", "na")}, "": ""}
CHOICE_OF.update({c: c for c in ("yes", "partial", "no", "na")})

# Bounds on what an upload may be: the file, and what its zip may unpack to (a zip bomb's
# declared sizes bound what zipfile will inflate).
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 40 * 1024 * 1024
MAX_MEMBERS = 300
MAX_ROWS = 2000

_FORBIDDEN = set("[]:*?/\\")


def sheet_name(theme_code: str, theme_name: str) -> str:
    """A section's sheet: its code and as much of its name as fits Excel's 31 characters."""
    name = "".join(" " if ch in _FORBIDDEN else ch for ch in f"{theme_code} {theme_name}")
    return name[:31].rstrip()
