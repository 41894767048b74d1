"""What an assessment is scored and reported on, as plain data.

A submitted assessment uses its frozen snapshot; a draft is read from today's library. Either
way the result has the same shape (see ``assessments.snapshot``), so results, exports and
reports never need to know which it was.
"""

from assessments.snapshot import build_snapshot


def assessment_dataset(assessment) -> dict:
    if assessment.snapshot is not None:
        return assessment.snapshot
    return build_snapshot(assessment)
