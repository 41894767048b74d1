"""A pseudo-language whose every translation is its English wrapped in markers, and a reader of
the text a page shows.

Rendered in the pseudo-language, every string that went through gettext reads ``⟦…⟧``; any word
outside the markers did not, so it is an unmarked interface string, unless it is data (a title,
an answer, library text, a code), which templates mark with ``translate="no"`` or which the test
finds among the database's own values.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
BASE_DIR = Path(__file__).resolve().parents[2]


def _wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}" if text else text


def django_catalogues() -> list[Path]:
    """The French catalogues of Django itself and its contrib apps: the strings Django translates
    (form labels of sign-in, month names, file sizes, "ago")."""
    root = Path(django.__file__).parent
    return sorted(root.glob("conf/locale/fr/LC_MESSAGES/django.po")) + sorted(
        root.glob("contrib/*/locale/fr/LC_MESSAGES/django.po")
    )


def allauth_catalogues() -> list[Path]:
    """django-allauth's French catalogue: its account pages translate their own strings, and
    ship zh_Hans and fr catalogues of their own."""
    import allauth

    return sorted(Path(allauth.__file__).parent.glob("locale/fr/LC_MESSAGES/django.po"))


def build_pseudo_locale(target: Path) -> Path:
    """Write ``target/xx/LC_MESSAGES/django.mo`` from the project's and Django's msgids; return ``target``."""
    sources = [BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po", *django_catalogues(), *allauth_catalogues()]
    out = polib.POFile()
    out.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": PSEUDO,
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for source in sources:
        for entry in polib.pofile(str(source)):
            key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
            if not entry.msgid or entry.obsolete or key in seen:
                continue
            seen.add(key)
            wrapped = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, flags=[])
            if entry.msgid_plural:
                wrapped.msgid_plural = entry.msgid_plural
                wrapped.msgstr_plural = {0: _wrap(entry.msgid), 1: _wrap(entry.msgid_plural)}
            else:
                wrapped.msgstr = _wrap(entry.msgid)
            out.append(wrapped)
    folder = target / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    out.save_as_mofile(str(folder / "django.mo"))
    return target


# Attributes a person reads or hears: tooltips, labels for screen readers, placeholders, the
# labels the phone layout shows before table cells, and the char counter's sentences.
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-label"}
SKIPPED_ELEMENTS = {"script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.texts: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = self._skipped() or tag in SKIPPED_ELEMENTS or attrs.get("translate") == "no"
        if not skipped:
            for name, value in attrs.items():
                if value and (name in READ_ATTRIBUTES or name.startswith("data-count-")):
                    self.texts.append(value)
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        # Close up to the matching tag (HTML allows unclosed <li>, <p>...).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._skipped():
            self.texts.append(data)


def shown_text(html: str) -> str:
    """What a reader of the page meets, outside ``translate="no"``, one piece per line."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return "\n".join(reader.texts)


_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", re.S)  # innermost first
# A word: two letters or more of any Latin script (English left untranslated is what we look for).
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
# Words that are the same in every language: the product's name, and names of formats.
SAME_IN_EVERY_LANGUAGE = {"AIGov", "JSON", "CSV", "PDF", "OSCAL", "XLSX", "API"}


def unmarked(html: str, data: list[str]) -> list[str]:
    """The lines of the page's text that hold a word outside the markers and outside ``data``."""
    text = shown_text(html)
    # Markers nest when a translated sentence takes a translated value (a label in a sentence).
    previous = None
    while previous != text:
        previous, text = text, _MARKED.sub(" ", text)
    for value in data:
        if value in text:
            if len(value) < 4:  # a code (SH, T05): only as a word of its own
                text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", " ", text)
            else:
                text = text.replace(value, " ")
    found = []
    for line in text.splitlines():
        words = [w for w in _WORD.findall(line) if w not in SAME_IN_EVERY_LANGUAGE]
        if words:
            found.append(line.strip())
    return found
