"""A synthetic library and assessment of any size, for benchmarks."""

import random

from django.contrib.auth import get_user_model

from assessments.models import Membership, Organisation, Role
from assessments.services import AnswerInput, answers_save, assessment_create
from governance.models import ChecklistItem, Instrument, ItemPrinciple, Principle, Theme

CHOICES = ["yes", "yes", "partial", "no", "na"]


def build(n_items, n_instruments=15, principles_per_instrument=10, links_per_item=3, seed=1, tag="B", sizes=None):
    """An assessment of ``n_items`` over new instruments, every item answered.

    Items go to random themes; with ``sizes`` ({theme code: count}), those themes get exactly
    that many items and the rest of the ``n_items`` go to the other themes.
    """
    rng = random.Random(seed)
    themes = [
        Theme.objects.get_or_create(code=f"T{n:02d}", defaults={"name": f"Theme {n}", "description": "D"})[0]
        for n in range(1, 15)
    ]
    sizes = sizes or {}
    others = [t for t in themes if t.code not in sizes]
    placed = [t for t in themes for _ in range(sizes.get(t.code, 0))]
    placed += [rng.choice(others) for _ in range(n_items - len(placed))]
    instruments = [
        Instrument.objects.create(
            code=f"{tag}{i:02d}",
            position=i,
            title_en=f"Instrument {i}",
            title_original="人工智能治理原则",
            language="zh",
            issuer="Bench",
            kind="framework",
            official_date="2024-01-01",
            source_url="https://example.org",
            summary="S",
            confidence="verified",
        )
        for i in range(n_instruments)
    ]
    principles = [
        Principle.objects.create(
            code=f"{inst.code}-{n}",
            instrument=inst,
            position=n,
            label=f"{n}.",
            heading_en=f"Principle {n}",
            summary="S",
            confidence="verified",
            quoted_text="Quoted words." if n == 0 else "",
            quote_citation="Cite" if n == 0 else "",
        )
        for inst in instruments
        for n in range(principles_per_instrument)
    ]
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(
            code=f"{tag}X-{n:04d}"[:16],
            theme=placed[n],
            question=f"Question {n}?",
            guidance="G",
            evidence_hint="E",
            recommendation="R",
            weight=rng.randint(1, 3),
        )
        for n in range(n_items)
    )
    ItemPrinciple.objects.bulk_create(
        ItemPrinciple(item=item, principle=p, relevance=rng.choice(["core", "supporting"]))
        for item in items
        for p in rng.sample(principles, links_per_item)
    )
    user = get_user_model().objects.create_user(f"bench-{tag}", password="x")
    org = Organisation.objects.create(name=f"Bench {tag}")
    membership = Membership.objects.create(user=user, organisation=org, role=Role.OWNER)
    assessment = assessment_create(
        membership=membership, title=f"Bench {n_items}", scope="S", description="", instruments=instruments
    )
    inputs = []
    for item in items:
        choice = rng.choice(CHOICES)
        inputs.append(
            AnswerInput(
                item.id,
                item.code,
                choice,
                "Because." if choice in ("partial", "na") else "",
                ["https://e.example"] if rng.random() < 0.5 else [],
                0,
            )
        )
    answers_save(assessment=assessment, membership=membership, inputs=inputs)
    return assessment, user
