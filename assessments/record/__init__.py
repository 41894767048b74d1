"""One record of an assessment: its instruments, principles, checklist and answers.

Every page, export and report of an assessment reads an ``AssessmentRecord`` (``types``). A
draft's record is read from the live library (``live``); a submitted one from the snapshot taken
at submission (``snapshot``), which owns the stored schema and its upgrades. Which of the two
applies is decided in one place, ``assessments.selectors.assessment_record``.
"""

from assessments.record.types import (
    AnswerRecord,
    AssessmentRecord,
    FileRecord,
    InstrumentRecord,
    ItemKey,
    ItemRecord,
    LinkRecord,
    PrincipleRecord,
    Progress,
    SectionRecord,
    ThemeRecord,
)

__all__ = [
    "AnswerRecord",
    "AssessmentRecord",
    "FileRecord",
    "InstrumentRecord",
    "ItemKey",
    "ItemRecord",
    "LinkRecord",
    "PrincipleRecord",
    "Progress",
    "SectionRecord",
    "ThemeRecord",
]
