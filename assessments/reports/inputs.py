"""A cheap fingerprint of everything a draft's report reads, checked on every download.

The export digest (``context.export_digest``) is what a report certifies, but computing it
loads the whole record: 28 ms for the shipped library, and seconds at 5,000 items, which is
more than serving the stored PDF. This fingerprint reads two small rows instead:

- the assessment's own printed fields and ``updated``, which every answer save bumps;
- aggregates of its answers and evidence files (count, newest change, sum of versions), which
  move on any save or delete that does not go through the answer service;
- its instruments;
- the library's revision (``governance.models.LibraryState``), bumped with every library write.

It holds no time of its own, so a report rendered at another moment from the same data has the
same fingerprint. It is read *before* the data it describes: a change made while a report is
rendering gives a newer fingerprint, so a report can only ever be stored under a fingerprint of
data at least as old as what it prints, never newer.

The worker still hashes the HTML it prints (``DraftReport.content``), which also covers what
the export does not (the recommendations in the gaps chapter, the template and stylesheet).
"""

import hashlib
import json

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from assessments.models import Answer, Assessment, EvidenceFile
from governance.models import LibraryState

# Raise when the fingerprint's recipe changes, so fingerprints of the old recipe never match.
RECIPE = 1


def draft_inputs(assessment: Assessment) -> str:
    """The fingerprint of what ``assessment``'s report would print now (two queries)."""
    answers = Answer.objects.filter(assessment=OuterRef("pk")).values("assessment")
    files = EvidenceFile.objects.filter(answer__assessment=OuterRef("pk")).values("answer__assessment")
    row = (
        Assessment.objects.filter(pk=assessment.pk)
        .annotate(
            answer_count=Subquery(answers.annotate(v=Count("id")).values("v")[:1]),
            answer_changed=Subquery(answers.annotate(v=Max("updated")).values("v")[:1]),
            answer_versions=Subquery(answers.annotate(v=Sum("version")).values("v")[:1]),
            file_count=Subquery(files.annotate(v=Count("id")).values("v")[:1]),
            file_newest=Subquery(files.annotate(v=Max("id")).values("v")[:1]),
            library=Coalesce(
                Subquery(LibraryState.objects.filter(pk=1).values("revision")[:1]), 0, output_field=IntegerField()
            ),
        )
        .values(
            "updated",
            "title",
            "scope",
            "description",
            "status",
            "release_id",
            "organisation__name",
            "answer_count",
            "answer_changed",
            "answer_versions",
            "file_count",
            "file_newest",
            "library",
        )
        .get()
    )
    row["instruments"] = sorted(
        Assessment.instruments.through.objects.filter(assessment_id=assessment.pk).values_list(
            "instrument_id", flat=True
        )
    )
    row["recipe"] = RECIPE
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()
