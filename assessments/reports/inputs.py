"""A cheap fingerprint of everything a draft's report reads, checked on every download.

The export digest (``context.export_digest``) is what a report certifies, but computing it
loads the whole record: 28 ms for the shipped library, and seconds at 5,000 items, which is
more than serving the stored PDF. This fingerprint reads two small rows instead:

- the assessment's own printed fields and ``updated``, which every answer save bumps, and the
  organisation's name and distribution marking;
- aggregates of its answers and evidence files (count, newest change, sum of versions), which
  move on any save or delete that does not go through the answer service;
- its instruments;
- the language it is printed in (the data is the same in every language, the words are not);
- the library's revision (``governance.models.LibraryState``), bumped with every library write.

It holds no time of its own but the day (evidence expires by the day), so a report rendered at
another moment of the same day from the same data has the same fingerprint. It is read *before*
the data it describes: a change made while a report is rendering gives a newer fingerprint, so a report can only ever be stored under a fingerprint of
data at least as old as what it prints, never newer.

The worker still hashes the HTML it prints (``DraftReport.content``), which also covers what
the export does not (the recommendations in the gaps chapter, the template and stylesheet).
"""

import hashlib
import json

from django.db import connection
from django.utils import timezone

from assessments.models import Answer, Assessment, EvidenceFile, Organisation
from governance.models import LibraryState

# Raise when the fingerprint's recipe changes, so fingerprints of the old recipe never match.
# 3: the day, since evidence expires with time (a report of yesterday may count evidence that
#    no longer holds today); a draft's cached report lasts at most until midnight.
# 4: the organisation's distribution marking, printed on the cover and the attestation.
RECIPE = 4


def _sql():
    """One statement, in SQL that SQLite and PostgreSQL both read. Written out rather than built
    by the ORM: compiling six subqueries cost more than running them, on every download."""
    a, o = Assessment._meta.db_table, Organisation._meta.db_table
    answer, file, state = Answer._meta.db_table, EvidenceFile._meta.db_table, LibraryState._meta.db_table
    through = Assessment.instruments.through._meta.db_table
    return (
        f"""
        SELECT a.updated, a.title, a.scope, a.description, a.status, a.release_id, o.name, o.distribution,
            (SELECT COUNT(*) FROM {answer} WHERE assessment_id = a.id),
            (SELECT MAX(updated) FROM {answer} WHERE assessment_id = a.id),
            (SELECT SUM(version) FROM {answer} WHERE assessment_id = a.id),
            (SELECT COUNT(*) FROM {file} f JOIN {answer} x ON f.answer_id = x.id WHERE x.assessment_id = a.id),
            (SELECT MAX(f.id) FROM {file} f JOIN {answer} x ON f.answer_id = x.id WHERE x.assessment_id = a.id),
            (SELECT revision FROM {state} WHERE id = 1)
        FROM {a} a JOIN {o} o ON o.id = a.organisation_id
        WHERE a.id = %s
    """,
        f"SELECT instrument_id FROM {through} WHERE assessment_id = %s ORDER BY instrument_id",
    )


def draft_inputs(assessment: Assessment, language: str = "en") -> str:
    """The fingerprint of what ``assessment``'s report in ``language`` would print now (two
    queries)."""
    row_sql, instruments_sql = _sql()
    with connection.cursor() as cursor:
        cursor.execute(row_sql, [assessment.pk])
        row = cursor.fetchone()
        cursor.execute(instruments_sql, [assessment.pk])
        instruments = [r[0] for r in cursor.fetchall()]
    today = timezone.localdate()
    return hashlib.sha256(json.dumps([RECIPE, language, today, *row, instruments], default=str).encode()).hexdigest()
