"""A section page's query count is fixed, whatever the number of items in it."""

import pytest
from django.urls import reverse

from assessments.services import AnswerInput, answers_save, assessment_create
from governance.models import ChecklistItem, Instrument, ItemPrinciple, Principle, Theme
from tests.cast import as_user


def big_assessment(cast, n_items):
    theme = Theme.objects.get(code="T05")
    instrument = Instrument.objects.create(
        code="ZZ",
        position=99,
        title_en="Load-test instrument",
        language="en",
        issuer="Tests",
        kind="framework",
        official_date="2026-01-01",
        source_url="https://example.org",
        summary="S",
        confidence="verified",
    )
    principles = [
        Principle.objects.create(
            code=f"ZZ-{n}",
            instrument=instrument,
            position=n,
            label=f"{n}.",
            heading_en=f"P{n}",
            summary="S",
            confidence="verified",
        )
        for n in range(3)
    ]
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(
            code=f"ZZZ-{n:03d}",
            theme=theme,
            question=f"Question {n}?",
            guidance="G",
            evidence_hint="E",
            recommendation="R",
            weight=1 + n % 3,
        )
        for n in range(n_items)
    )
    ItemPrinciple.objects.bulk_create(
        ItemPrinciple(item=item, principle=p, relevance="core" if i == 0 else "supporting")
        for item in items
        for i, p in enumerate(principles)
    )
    membership = cast.membership(cast.owner)
    assessment = assessment_create(
        membership=membership, title="Big", scope="S", description="", instruments=[instrument]
    )
    # Half the items answered, so answers and their history are on the page too.
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[AnswerInput(item.id, item.code, "yes", "", ["https://e.example"], 0) for item in items[::2]],
    )
    return assessment


@pytest.mark.parametrize("n_items", [10, 200])
def test_section_page_queries_do_not_grow_with_items(client, cast, django_assert_num_queries, n_items):
    assessment = big_assessment(cast, n_items)
    client = as_user(client, cast.owner)
    url = reverse("section", args=[assessment.code, "T05"])
    # session, user; assessment, membership; the record of one section: instruments, the
    # sections' counts (items per theme, the themes, answered items per theme), principles,
    # links, items, answers (with their newest wording revision, to mark stale ones), files;
    # the section's comment threads
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == n_items
