"""The rules an input must meet before anything is written, said once.

Services call these and raise ``ValidationError`` with a message a person can act on; the forms
and the JSON import call the same functions and show the same messages. Nothing here touches the
database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

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


def _text(value, *, name: str, limit: int, required: bool = False, multiline: bool = True) -> str:
    """``value`` checked as text of at most ``limit`` characters. Line breaks of multi-line text
    (a textarea) are normalised first; single-line fields are kept as sent."""
    if not isinstance(value, str):
        raise ValidationError(f"The {name} must be text.", code="invalid")
    if multiline:
        value = normalise_text(value)
    if "\x00" in value:
        # PostgreSQL text columns cannot hold NUL.
        raise ValidationError(f"The {name} contains a NUL character.", code="invalid")
    if required and not value.strip():
        raise ValidationError(f"The {name} is required.", code="required")
    if len(value) > limit:
        raise ValidationError(
            f"The {name} may be at most {limit:,} characters; this one has {len(value):,}.", code="max_length"
        )
    return value


@dataclass(frozen=True)
class CleanAnswer:
    choice: str
    justification: str
    evidence_urls: list[str]


def answer_clean(*, choice, justification, evidence_urls) -> CleanAnswer:
    """An answer as it will be stored, or ValidationError with a message per field."""
    errors = {}
    if not isinstance(choice, str) or choice not in _CHOICES:
        errors["choice"] = ValidationError(
            f"Not a valid answer: {str(choice)[:20]!r}. Choose Yes, Partially, No or Not applicable, "
            "or leave it unanswered.",
            code="invalid_choice",
        )
    try:
        justification = _text(justification, name="justification", limit=MAX_JUSTIFICATION)
    except ValidationError as exc:
        errors["justification"] = exc
    else:
        if choice in (Choice.PARTIAL, Choice.NOT_APPLICABLE) and not justification.strip():
            errors["justification"] = ValidationError(
                "Say why: a justification is required for Partially and Not applicable.", code="required"
            )
    try:
        evidence_urls = evidence_urls_clean(evidence_urls)
    except ValidationError as exc:
        errors["evidence_urls"] = exc
    if errors:
        raise ValidationError(errors)
    return CleanAnswer(choice, justification, evidence_urls)


def evidence_urls_clean(urls) -> list[str]:
    if not isinstance(urls, (list, tuple)) or not all(isinstance(u, str) for u in urls):
        raise ValidationError("Evidence URLs must be a list of URLs.", code="invalid")
    urls = [u.strip() for u in urls if u.strip()]
    if len(urls) > MAX_EVIDENCE_URLS:
        raise ValidationError(f"At most {MAX_EVIDENCE_URLS} evidence URLs; there are {len(urls)}.", code="max_urls")
    for url in urls:
        if len(url) > MAX_URL_LENGTH or "\x00" in url:
            raise ValidationError(f"Not an http(s) URL: {url[:200]}", code="invalid_url")
        try:
            _url(url)
        except ValidationError:
            raise ValidationError(f"Not an http(s) URL: {url[:200]}", code="invalid_url") from None
    return urls


def version_clean(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise ValidationError(
            "This form is damaged or out of date: reload the page and enter the answer again.", code="invalid_version"
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
        raise ValidationError({"instruments": "Choose at least one instrument."})
    kept = {i.pk for i in kept}
    retired = [i.code for i in instruments if i.retired and i.pk not in kept]
    if retired:
        raise ValidationError({"instruments": f"Retired instruments cannot be assessed: {', '.join(retired)}."})
    return instruments


def role_clean(role) -> str:
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, editor or viewer."})
    return role


def email_clean(email) -> str:
    if not isinstance(email, str) or len(email) > MAX_EMAIL:
        raise ValidationError({"email": f"Enter an email address of at most {MAX_EMAIL} characters."})
    email = email.strip()
    try:
        _email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    return email


def organisation_name_clean(name) -> str:
    try:
        return _text(
            name, name="organisation name", limit=MAX_ORGANISATION_NAME, required=True, multiline=False
        ).strip()
    except ValidationError as exc:
        raise ValidationError({"organisation_name": exc}) from None
