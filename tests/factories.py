"""The one way tests seed answers, and build records for the pure scoring tests.

``seed_answers`` answers items of an assessment's checklist through the same service the pages
use, so every test's answers pass the same rules and carry a history. ``item`` builds a record
item with links and an answer, for tests that score without a database.
"""

from collections.abc import Callable, Iterable
from dataclasses import replace

from assessments.record import AnswerRecord, InstrumentRecord, ItemRecord, LinkRecord, PrincipleRecord, ThemeRecord
from assessments.selectors import assessment_record
from assessments.services import AnswerInput, answers_save

Answer = tuple[str, str, list[str]]  # choice, justification, evidence URLs


def checklist(assessment, *, themes: Iterable[str] | None = None) -> list[ItemRecord]:
    """The assessment's checklist items (of ``themes``, when given), by theme then code."""
    items = assessment_record(assessment=assessment).items
    if themes is not None:
        wanted = list(themes)
        items = sorted((i for i in items if i.theme.code in wanted), key=lambda i: (wanted.index(i.theme.code), i.code))
    return list(items)


def seed_answers(
    assessment,
    membership,
    *,
    themes: Iterable[str] | None = None,
    codes: Iterable[str] | None = None,
    limit: int | None = None,
    choice: str = "yes",
    justification: str = "A reason.",
    evidence: Iterable[str] = (),
    answer: Callable[[int, ItemRecord], Answer] | None = None,
    files: Callable[[int, ItemRecord], list] | None = None,
) -> list[str]:
    """Answer checklist items and return their codes.

    Items: those of ``themes``, or with ``codes``, or all; at most ``limit``. Each gets
    ``choice``, ``justification`` and ``evidence``, or what ``answer(n, item)`` returns, and the
    uploads ``files(n, item)`` returns. Saves from version 0, so answered items must be new.
    """
    items = checklist(assessment, themes=themes)
    if codes is not None:
        wanted = set(codes)
        items = [i for i in items if i.code in wanted]
    items = items[:limit] if limit is not None else items
    inputs = []
    for n, item in enumerate(items):
        chosen, why, urls = answer(n, item) if answer else (choice, justification, list(evidence))
        inputs.append(AnswerInput(item.id, item.code, chosen, why, list(urls), 0, files(n, item) if files else []))
    result = answers_save(assessment=assessment, membership=membership, inputs=inputs)
    assert not result.conflicts
    return [i.code for i in items]


# --- records without a database, for scoring -------------------------------------------------

_instruments: dict[str, InstrumentRecord] = {}


def _instrument(code: str) -> InstrumentRecord:
    return _instruments.setdefault(
        code,
        InstrumentRecord(
            code=code,
            title_en=f"Instrument {code}",
            title_original="",
            language="en",
            issuer="Tests",
            kind="framework",
            official_date=None,
            date_note="",
            catalogue_title="",
            catalogue_issuer="",
            catalogue_date=None,
            catalogue_url="",
            source_url="https://example.org",
            confidence="verified",
            confidence_note="",
        ),
    )


def link(principle: str, instrument: str, relevance: str = "core") -> LinkRecord:
    return LinkRecord(
        PrincipleRecord(
            code=principle,
            instrument=_instrument(instrument),
            position=0,
            label="",
            section="",
            heading_en=principle,
            heading_original="",
            summary="",
            quoted_text="",
            quote_citation="",
            quote_url="",
        ),
        relevance,
    )


def item(
    code: str,
    weight: int,
    theme: str,
    links: Iterable[LinkRecord],
    choice: str | None = None,
    *,
    evidence: bool = False,
) -> ItemRecord:
    """An item; ``choice`` None leaves it never answered, "" answered without a choice."""
    answer = None
    if choice is not None:
        answer = AnswerRecord(choice=choice, evidence_urls=("https://evidence.example",) if evidence else ())
    return ItemRecord(
        code=code,
        theme=ThemeRecord(theme, theme),
        question=f"{code}?",
        guidance="",
        evidence_hint="",
        recommendation="",
        weight=weight,
        links=tuple(links),
        answer=answer,
    )


def answered(items: Iterable[ItemRecord], answers: dict[str, AnswerRecord]) -> list[ItemRecord]:
    """``items`` with the answers of ``answers`` (item code → answer); the others never answered."""
    return [replace(i, answer=answers.get(i.code)) for i in items]


def answer(choice: str, has_evidence: bool = False) -> AnswerRecord:
    return AnswerRecord(choice=choice, evidence_urls=("https://evidence.example",) if has_evidence else ())


# --- the review ------------------------------------------------------------------------------


def reviewer_of(organisation):
    """A reviewer of ``organisation`` (created once): the second pair of eyes tests approve with."""
    from django.contrib.auth import get_user_model

    from assessments.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(
        username=f"rita-{organisation.pk}", defaults={"email": f"rita-{organisation.pk}@example.org"}
    )
    membership, _ = Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": Role.REVIEWER}
    )
    return membership


def approve(*, assessment, membership, reviewer=None):
    """Send ``assessment`` for review as ``membership`` and approve it as ``reviewer`` (a
    reviewer of its organisation when not given): what submitting was before review existed."""
    from assessments.services import assessment_approve, assessment_send_for_review

    sent = assessment_send_for_review(assessment=assessment, membership=membership)
    reviewer = reviewer or reviewer_of(sent.organisation)
    return assessment_approve(assessment=sent, membership=reviewer, attest=True)


# --- isolation ---------------------------------------------------------------------------------


def outsiders_twin(cast, assessment):
    """A draft of the outsider's organisation over ``assessment``'s instruments, changed at the
    same moment: every part of a kept value's key alike but the organisation and the code."""
    from assessments.models import Assessment, Membership
    from assessments.services import assessment_create

    theirs = assessment_create(
        membership=Membership.objects.get(user=cast.outsider),
        title="Globex",
        scope="S",
        description="",
        instruments=assessment.instruments.all(),
    )
    Assessment.objects.filter(pk=theirs.pk).update(updated=Assessment.objects.get(pk=assessment.pk).updated)
    return theirs
