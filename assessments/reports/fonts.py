"""A per-report subset of the CJK font, holding just the characters the report uses.

Embedding the system Noto Sans CJK collection makes WeasyPrint subset a 19 MB, 65,000-glyph
font, which costs seconds per report (see shared/reference/pdf-perf-security.md). A subset of
the few hundred characters a report contains takes a fraction of a second to make, is cached
by its character set, and renders in milliseconds.
"""

import base64
import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "ReportCJK"
CANDIDATES = [
    # (path, index of the Simplified Chinese face in the collection)
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", 0),
]
# Han ideographs, CJK punctuation and full-width forms: what the Latin fonts lack.
CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)


@lru_cache(maxsize=1)
def _collection_bytes():
    for path, index in CANDIDATES:
        if Path(path).exists():
            return Path(path).read_bytes(), index
    return None, None


# With Chinese text, the subset also holds the space and printable ASCII: Pango sets a space
# or a Latin punctuation mark between two Chinese characters ("由 X 在 Y 发表") in the CJK face,
# and a subset without them printed a .notdef box (tofu) in every Chinese citation line.
LATIN_IN_CJK_RUNS = (
    "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0\u00b7\u2013\u2014\u2018\u2019\u201c\u201d\u2026"
)


def cjk_characters(*texts):
    chars = set()
    for text in texts:
        chars.update(CJK.findall(text))
    if chars:
        chars.update(LATIN_IN_CJK_RUNS)
    return "".join(sorted(chars))


@lru_cache(maxsize=64)
def subset_font(characters: str) -> bytes | None:
    """OpenType bytes of the CJK face cut down to ``characters``; cached by the set."""
    if not characters:
        return None
    data, index = _collection_bytes()
    if data is None:
        return None
    font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    # The spaces too: a space between two Chinese words is set in this face, and a subset
    # without one printed it as a missing glyph ("测试⍰ot applicable" in the Chinese report).
    subsetter.populate(text=characters + " \u00a0")
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face_css(characters: str) -> str:
    """An @font-face rule for the subset as a data: URL, or "" when there is nothing to add."""
    font = subset_font(characters)
    if font is None:
        return ""
    digest = hashlib.sha256(characters.encode()).hexdigest()[:12]
    encoded = base64.b64encode(font).decode("ascii")
    return (
        f'@font-face {{ font-family: "{FAMILY}"; src: url("data:font/otf;base64,{encoded}") format("opentype"); }}\n'
        f"/* subset {digest}: {len(characters)} characters */\n"
    )
