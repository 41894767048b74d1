"""The rules an input must meet before anything is written, said once.

Services call these and raise ``ValidationError`` with a message a person can act on; the forms
and the JSON import call the same functions and show the same messages. Nothing here touches the
database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from assessments.models import Choice, Role

MAX_JUSTIFICATION = 5000
MAX_EVIDENCE_URLS = 20
MAX_URL_LENGTH = 2000
MAX_TITLE, MAX_SCOPE, MAX_DESCRIPTION = 200, 300, 5000
MAX_ORGANISATION_NAME = 200
MAX_EMAIL = 254  # RFC 5321 paths hold 254
# The database's integer range: SQLite binds at most 64-bit integers, PostgreSQL's integer
# columns hold 32 bits. Ids and versions outside it are invalid, never a database error.
MAX_ID = 2**31 - 1

_url = URLValidator(schemes=["http", "https"])
_CHOICES = frozenset(("", *Choice.values))  # Choice.values builds a new list on every use
_email = EmailValidator()


def normalise_text(value: str) -> str:
    """Line breaks as the person typed them: browsers send CRLF, and lengths count what is seen."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


# Each field's messages as whole sentences (a field's name is not glued into a sentence: the
# translations need its grammatical gender and case).
_TEXT_MESSAGES = {
    "justification": {
        "invalid": gettext_lazy("The justification must be text."),
        "nul": gettext_lazy("The justification contains a NUL character."),
        "required": gettext_lazy("The justification is required."),
        "max_length": gettext_lazy("The justification may be at most %(limit)s characters; this one has %(count)s."),
    },
    "title": {
        "invalid": gettext_lazy("The title must be text."),
        "nul": gettext_lazy("The title contains a NUL character."),
        "required": gettext_lazy("The title is required."),
        "max_length": gettext_lazy("The title may be at most %(limit)s characters; this one has %(count)s."),
    },
    "scope": {
        "invalid": gettext_lazy("The scope must be text."),
        "nul": gettext_lazy("The scope contains a NUL character."),
        "required": gettext_lazy("The scope is required."),
        "max_length": gettext_lazy("The scope may be at most %(limit)s characters; this one has %(count)s."),
    },
    "description": {
        "invalid": gettext_lazy("The description must be text."),
        "nul": gettext_lazy("The description contains a NUL character."),
        "required": gettext_lazy("The description is required."),
        "max_length": gettext_lazy("The description may be at most %(limit)s characters; this one has %(count)s."),
    },
    "reason": {
        "invalid": gettext_lazy("The reason for returning it must be text."),
        "nul": gettext_lazy("The reason for returning it contains a NUL character."),
        "required": gettext_lazy("The reason for returning it is required."),
        "max_length": gettext_lazy(
            "The reason for returning it may be at most %(limit)s characters; this one has %(count)s."
        ),
    },
    "management response": {
        "invalid": gettext_lazy("The management response must be text."),
        "nul": gettext_lazy("The management response contains a NUL character."),
        "required": gettext_lazy("The management response is required."),
        "max_length": gettext_lazy(
            "The management response may be at most %(limit)s characters; this one has %(count)s."
        ),
    },
    "comment": {
        "invalid": gettext_lazy("The comment must be text."),
        "nul": gettext_lazy("The comment contains a NUL character."),
        "required": gettext_lazy("The comment is required."),
        "max_length": gettext_lazy("The comment may be at most %(limit)s characters; this one has %(count)s."),
    },
    "organisation name": {
        "invalid": gettext_lazy("The organisation name must be text."),
        "nul": gettext_lazy("The organisation name contains a NUL character."),
        "required": gettext_lazy("The organisation name is required."),
        "max_length": gettext_lazy(
            "The organisation name may be at most %(limit)s characters; this one has %(count)s."
        ),
    },
}


def _text(value, *, name: str, limit: int, required: bool = False, multiline: bool = True) -> str:
    """``value`` checked as text of at most ``limit`` characters. Line breaks of multi-line text
    (a textarea) are normalised first; single-line fields are kept as sent."""
    messages = _TEXT_MESSAGES[name]
    if not isinstance(value, str):
        raise ValidationError(messages["invalid"], code="invalid")
    if multiline:
        value = normalise_text(value)
    if "\x00" in value:
        # PostgreSQL text columns cannot hold NUL.
        raise ValidationError(messages["nul"], code="invalid")
    if required and not value.strip():
        raise ValidationError(messages["required"], code="required")
    if len(value) > limit:
        figures = {
            "limit": number_format(limit, force_grouping=True),
            "count": number_format(len(value), force_grouping=True),
        }
        raise ValidationError(str(messages["max_length"]) % figures, code="max_length")
    return value


@dataclass(frozen=True)
class CleanAnswer:
    choice: str
    justification: str
    evidence_urls: list[str]
    evidence_valid_until: dt.date | None = None


def answer_clean(*, choice, justification, evidence_urls, evidence_valid_until=None) -> CleanAnswer:
    """An answer as it will be stored, or ValidationError with a message per field."""
    errors = {}
    if not isinstance(choice, str) or choice not in _CHOICES:
        errors["choice"] = ValidationError(
            gettext(
                "Not a valid answer: %(value)s. Choose Yes, Partially, No or Not applicable, or leave it unanswered."
            )
            % {"value": repr(str(choice)[:20])},
            code="invalid_choice",
        )
    try:
        justification = _text(justification, name="justification", limit=MAX_JUSTIFICATION)
    except ValidationError as exc:
        errors["justification"] = exc
    else:
        if choice in (Choice.PARTIAL, Choice.NOT_APPLICABLE) and not justification.strip():
            errors["justification"] = ValidationError(
                gettext("Say why: a justification is required for Partially and Not applicable."), code="required"
            )
    try:
        evidence_urls = evidence_urls_clean(evidence_urls)
    except ValidationError as exc:
        errors["evidence_urls"] = exc
    if evidence_valid_until is not None and (
        isinstance(evidence_valid_until, dt.datetime) or not isinstance(evidence_valid_until, dt.date)
    ):
        errors["evidence_valid_until"] = ValidationError(
            gettext("Enter the date the evidence is valid until, such as 2027-06-30."), code="invalid_date"
        )
    if errors:
        raise ValidationError(errors)
    return CleanAnswer(choice, justification, evidence_urls, evidence_valid_until)


def evidence_urls_clean(urls) -> list[str]:
    if not isinstance(urls, (list, tuple)) or not all(isinstance(u, str) for u in urls):
        raise ValidationError(gettext("Evidence URLs must be a list of URLs."), code="invalid")
    urls = [u.strip() for u in urls if u.strip()]
    if len(urls) > MAX_EVIDENCE_URLS:
        raise ValidationError(
            gettext("At most %(limit)d evidence URLs; there are %(count)d.")
            % {"limit": MAX_EVIDENCE_URLS, "count": len(urls)},
            code="max_urls",
        )
    for url in urls:
        if len(url) > MAX_URL_LENGTH or "\x00" in url:
            raise ValidationError(gettext("Not an http(s) URL: %(url)s") % {"url": url[:200]}, code="invalid_url")
        try:
            _url(url)
        except ValidationError:
            raise ValidationError(
                gettext("Not an http(s) URL: %(url)s") % {"url": url[:200]}, code="invalid_url"
            ) from None
    return urls


def version_clean(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise ValidationError(
            gettext("This form is damaged or out of date: reload the page and enter the answer again."),
            code="invalid_version",
        )
    return value


@dataclass(frozen=True)
class CleanAssessment:
    title: str
    scope: str
    description: str


def assessment_fields_clean(*, title, scope, description) -> CleanAssessment:
    errors = {}
    values = {}
    for field, value, name, limit, required in (
        ("title", title, "title", MAX_TITLE, True),
        ("scope", scope, "scope", MAX_SCOPE, True),
        ("description", description, "description", MAX_DESCRIPTION, False),
    ):
        try:
            multiline = field == "description"
            values[field] = _text(value, name=name, limit=limit, required=required, multiline=multiline)
            if not multiline:
                values[field] = values[field].strip()
        except ValidationError as exc:
            errors[field] = exc
    if errors:
        raise ValidationError(errors)
    return CleanAssessment(**values)


def instruments_clean(instruments, *, kept=()) -> list:
    """The instruments an assessment will cover. Retired instruments cannot be chosen, except
    those in ``kept``: an assessment that already covers one may keep it when it is edited."""
    instruments = list(instruments)
    if not instruments:
        raise ValidationError({"instruments": gettext("Choose at least one instrument.")})
    kept = {i.pk for i in kept}
    retired = [i.code for i in instruments if i.retired and i.pk not in kept]
    if retired:
        raise ValidationError(
            {
                "instruments": gettext("Retired instruments cannot be assessed: %(codes)s.")
                % {"codes": ", ".join(retired)}
            }
        )
    return instruments


def role_clean(role) -> str:
    if role not in Role.values:
        raise ValidationError({"role": gettext("Choose owner, editor, reviewer or viewer.")})
    return role


def email_clean(email) -> str:
    if not isinstance(email, str) or len(email) > MAX_EMAIL:
        raise ValidationError(
            {"email": gettext("Enter an email address of at most %(limit)d characters.") % {"limit": MAX_EMAIL}}
        )
    email = email.strip()
    try:
        _email(email)
    except ValidationError:
        raise ValidationError({"email": gettext("Enter a valid email address.")}) from None
    return email


def organisation_name_clean(name) -> str:
    try:
        return _text(
            name, name="organisation name", limit=MAX_ORGANISATION_NAME, required=True, multiline=False
        ).strip()
    except ValidationError as exc:
        raise ValidationError({"organisation_name": exc}) from None
