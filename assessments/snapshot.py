"""The frozen record of a submitted assessment, and the same data for a draft.

At submission, everything that scores and reports read is copied into plain JSON on the
assessment: its instruments with their provenance, their principles with quoted texts, the
checklist items with their links, and the answers. Later library edits cannot reach it.

Built from ``values()`` rows rather than model instances: for a 1,000-item checklist this is the
difference between about a second and a fraction of one.
"""

from collections import defaultdict

from assessments.models import Answer, EvidenceFile
from governance.models import ChecklistItem, ItemPrinciple, Principle

# 2 added each item's guidance and evidence hint, which section pages of a submitted assessment
# show; for schema 1 snapshots they show the library's current text, labelled as such.
SNAPSHOT_SCHEMA = 2

INSTRUMENT_FIELDS = [
    "code",
    "title_en",
    "title_original",
    "language",
    "issuer",
    "kind",
    "official_date",
    "date_note",
    "catalogue_title",
    "catalogue_issuer",
    "catalogue_date",
    "catalogue_url",
    "source_url",
    "confidence",
    "confidence_note",
]
PRINCIPLE_FIELDS = [
    "code",
    "position",
    "label",
    "section",
    "heading_en",
    "heading_original",
    "summary",
    "quoted_text",
    "quote_citation",
    "quote_url",
]


def _date(value):
    return value.isoformat() if value else None


def build_snapshot(assessment) -> dict:
    instruments = list(assessment.instruments.all())
    instrument_ids = [i.id for i in instruments]
    code_of_instrument = {i.id: i.code for i in instruments}

    links_of = defaultdict(list)
    principle_ids = set()
    link_rows = (
        ItemPrinciple.objects.filter(principle__instrument_id__in=instrument_ids, item__active=True)
        .order_by("principle__instrument__position", "principle__position", "principle__code")
        .values_list("item_id", "principle_id", "principle__code", "relevance")
    )
    for item_id, principle_id, principle_code, relevance in link_rows:
        links_of[item_id].append({"principle": principle_code, "relevance": relevance})
        principle_ids.add(principle_id)

    items = []
    item_rows = (
        ChecklistItem.objects.filter(id__in=links_of)
        .order_by("theme__code", "code")
        .values(
            "id",
            "code",
            "theme__code",
            "theme__name",
            "question",
            "guidance",
            "evidence_hint",
            "recommendation",
            "weight",
        )
    )
    code_of_item = {}
    for row in item_rows:
        code_of_item[row["id"]] = row["code"]
        items.append(
            {
                "code": row["code"],
                "theme": row["theme__code"],
                "theme_name": row["theme__name"],
                "question": row["question"],
                "guidance": row["guidance"],
                "evidence_hint": row["evidence_hint"],
                "recommendation": row["recommendation"],
                "weight": row["weight"],
                "links": links_of[row["id"]],
            }
        )

    principles = [
        {**{f: row[f] for f in PRINCIPLE_FIELDS}, "instrument": code_of_instrument[row["instrument_id"]]}
        for row in Principle.objects.filter(id__in=principle_ids)
        .order_by("instrument__position", "position", "code")
        .values(*PRINCIPLE_FIELDS, "instrument_id")
    ]

    files_of = defaultdict(list)
    for answer_id, name in (
        EvidenceFile.objects.filter(answer__assessment=assessment)
        .order_by("uploaded_at")
        .values_list("answer_id", "original_name")
    ):
        files_of[answer_id].append(name)
    answers = {}
    for row in Answer.objects.filter(assessment=assessment, item_id__in=code_of_item).values(
        "id", "item_id", "choice", "justification", "evidence_urls", "version"
    ):
        answers[code_of_item[row["item_id"]]] = {
            "choice": row["choice"],
            "justification": row["justification"],
            "evidence_urls": list(row["evidence_urls"]),
            "files": files_of[row["id"]],
            "version": row["version"],
        }

    return {
        "schema": SNAPSHOT_SCHEMA,
        "release": assessment.release.version if assessment.release else None,
        "instruments": [
            {f: (_date(getattr(i, f)) if f.endswith("_date") else getattr(i, f)) for f in INSTRUMENT_FIELDS}
            for i in instruments
        ],
        "principles": principles,
        "items": items,
        "answers": answers,
    }


def answered_count(snapshot) -> int:
    """Items of the snapshot's checklist with an answer (the answers hold only those items)."""
    return sum(1 for answer in snapshot["answers"].values() if answer["choice"])
