"""An answer form as plain values for its hand-written template.

templates/jinja2/assessments/answer_cards.jinja renders each control from these: its posted name, id,
value, help and error messages, and the ids that ``aria-describedby`` points at. Rendering a
field through Django's widget templates (or crispy-forms' layouts) costs a template per field,
which a section of hundreds of items cannot afford; these are built in a few microseconds.
Ids are Django's own (``id_<prefix>-<field>``, help ``…_helptext``), so labels, tests and
scripts find the same elements as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext

from assessments.models import Choice
from assessments.record.types import TemplateLookup
from assessments.services.rules import MAX_JUSTIFICATION, normalise_text


@dataclass(frozen=True, slots=True)
class Control(TemplateLookup):
    name: str
    id: str
    value: str = ""
    errors: tuple[str, ...] = ()
    help: str = ""

    @property
    def help_id(self) -> str:
        return f"{self.id}_helptext" if self.help else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}_error" if self.errors else ""

    @property
    def described_by(self) -> str:
        return " ".join(i for i in (self.error_id, self.help_id) if i)


@dataclass(frozen=True, slots=True)
class Option(TemplateLookup):
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True, slots=True)
class FileOption(TemplateLookup):
    """A saved evidence file with its Remove box, or a kept one with its Keep box."""

    name: str
    size: int | None
    value: str  # the file's code (remove) or token (keep)
    id: str
    checked: bool
    code: object = None  # the download id of a saved file


@dataclass(frozen=True, slots=True)
class AnswerParts(TemplateLookup):
    code: str
    errors_id: str
    errors: tuple[str, ...]  # not about one field: a damaged form, a refusal from the save
    choice: Control
    options: tuple[Option, ...]
    justification: Control
    count: str  # "1,234 / 5,000"
    count_id: str
    too_long: bool
    evidence_urls: Control
    evidence_valid_until: Control
    files: Control
    saved_files: tuple[FileOption, ...]
    remove: Control
    kept_files: tuple[FileOption, ...]
    kept: Control
    clear: Control | None  # offered only for an answer with something to clear
    clear_checked: bool
    version: Control
    texts: FormTexts

    @property
    def choice_described_by(self) -> str:
        return " ".join(i for i in (self.errors_id if self.errors else "", self.choice.error_id) if i)

    @property
    def justification_described_by(self) -> str:
        return " ".join(i for i in (self.justification.error_id, self.count_id, self.justification.help_id) if i)


@dataclass(frozen=True, slots=True)
class FormTexts(TemplateLookup):
    """The words every answer form repeats, in one language.

    A section page shows hundreds of forms, and each gettext call costs microseconds (the active
    language is a context-local lookup, then the catalogue and its fallbacks): looked up once
    per language and process rather than per form, they cost nothing. Catalogues do not change
    while the process runs, so the memo never goes stale.
    """

    answer: str
    choices: tuple[tuple[str, str], ...]
    justification: str
    justification_help: str
    characters: str
    evidence_urls: str
    evidence_urls_help: str
    valid_until: str
    valid_until_help: str
    files: str
    files_help: str
    add_files: str
    remove: str
    clear: str
    clear_help: str
    count: str
    count_over: str


@lru_cache(maxsize=8)
def _texts(language: str | None) -> FormTexts:
    from assessments.forms import AnswerForm  # the form's labels and help, read once

    fields = AnswerForm.base_fields
    return FormTexts(
        answer=gettext("Answer"),
        choices=tuple((code, str(label)) for code, label in Choice.choices),
        justification=gettext("Justification"),
        justification_help=str(fields["justification"].help_text),
        characters=gettext("characters"),
        evidence_urls=gettext("Evidence URLs"),
        evidence_urls_help=str(fields["evidence_urls"].help_text),
        valid_until=gettext("Evidence valid until"),
        valid_until_help=str(fields["evidence_valid_until"].help_text),
        files=gettext("Evidence files"),
        files_help=str(fields["files"].help_text),
        add_files=gettext("Add evidence files"),
        remove=gettext("Remove"),
        clear=gettext("Clear this answer"),
        clear_help=gettext("On saving: back to unanswered, with no justification or URLs. Files stay unless removed."),
        count=gettext("{count} / {limit}"),
        count_over=gettext("{count} / {limit}: {over} too many"),
    )


@lru_cache(maxsize=2048)
def _count_text(count: int, limit: int, language: str | None) -> str:
    """The count under a justification, as static/js/char-count.js shows it while typing: the
    same sentences (msgids) as the section form's data-count-* attributes that the script fills.

    Kept: three localised numbers cost three context-local language lookups per form, and most
    justifications on a page are of a few lengths (empty, above all)."""
    figures = {
        "count": number_format(count, force_grouping=True),
        "limit": number_format(limit, force_grouping=True),
        "over": number_format(count - limit, force_grouping=True),
    }
    texts = _texts(language)
    return (texts.count_over if count > limit else texts.count).format(**figures)


def answer_parts(form) -> AnswerParts:
    prefix = form.prefix
    bound = form.is_bound
    errors = form.errors if bound else {}
    data, initial = form.data, form.initial

    def value(name: str) -> str:
        if bound:
            found = data.get(f"{prefix}-{name}")
            return "" if found is None else str(found)
        found = initial.get(name)
        return "" if found is None else str(found)

    def values(name: str) -> list[str]:
        return [str(v) for v in data.getlist(f"{prefix}-{name}")] if bound and hasattr(data, "getlist") else []

    def control(name: str, help: str = "", with_value: bool = True) -> Control:
        return Control(
            name=f"{prefix}-{name}",
            id=f"id_{prefix}-{name}",
            value=value(name) if with_value else "",
            errors=tuple(errors.get(name, ())),
            help=help,
        )

    language = get_language()
    texts = _texts(language)
    choice = control("choice")
    options = tuple(
        Option(code, label, f"{choice.id}_{n}", choice.value == code) for n, (code, label) in enumerate(texts.choices)
    )
    justification = control("justification", texts.justification_help)
    length = len(normalise_text(justification.value))

    answer = getattr(form.item, "answer", None)
    remove = control("remove_files", with_value=False)
    chosen = set(values("remove_files"))
    saved = tuple(
        FileOption(f.name, f.size, str(f.code), f"{remove.id}_{n}", str(f.code) in chosen, f.code)
        for n, f in enumerate(answer.files if answer else ())
        if f.code is not None
    )
    kept = control("staged", with_value=False)
    kept_files = tuple(
        FileOption(f.original_name, f.size, f.token, f"{kept.id}_{n}", True) for n, f in enumerate(form.kept)
    )
    has_content = answer is not None and bool(answer.choice or answer.justification or answer.evidence_urls)
    clear = control("clear", with_value=False)
    return AnswerParts(
        code=prefix,
        errors_id=f"id_{prefix}-errors",
        errors=tuple(errors.get("__all__", ())),
        choice=choice,
        options=options,
        justification=justification,
        count=_count_text(length, MAX_JUSTIFICATION, language),
        count_id=f"{justification.id}_count",
        too_long=length > MAX_JUSTIFICATION,
        evidence_urls=control("evidence_urls", texts.evidence_urls_help),
        evidence_valid_until=control("evidence_valid_until", texts.valid_until_help),
        files=control("files", texts.files_help, with_value=False),
        saved_files=saved,
        remove=remove,
        kept_files=kept_files,
        kept=kept,
        clear=clear if has_content or clear.errors else None,
        clear_checked=bound and value("clear").lower() not in ("", "false"),
        version=control("version"),
        texts=texts,
    )
