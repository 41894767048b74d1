"""Assessments, their answers and results as the API reads and writes them.

Reads are built as plain data from the assessment's record (``assessments.selectors``), so the
API shows what the pages show; these serializers describe that data for the schema. Writes are
checked here for their shape, and against the same rules the forms use
(``assessments.services.rules``), then saved by the same services.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from assessments.models import Choice, Role, Status
from assessments.services.rules import (
    MAX_DESCRIPTION,
    MAX_EVIDENCE_URLS,
    MAX_ID,
    MAX_JUSTIFICATION,
    MAX_SCOPE,
    MAX_TITLE,
    MAX_URL_LENGTH,
    answer_clean,
)

CHOICES = [("", "Unanswered"), *Choice.choices]


class OrganisationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices, help_text="Your role in it.")


class ProgressSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class SectionSummarySerializer(serializers.Serializer):
    theme = serializers.CharField()
    name = serializers.CharField()
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    allowed = serializers.BooleanField(help_text="Whether you may take it now, with the rights you have.")


class AssessmentSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    scope = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    library_release = serializers.CharField(allow_null=True)
    instruments = serializers.ListField(child=serializers.CharField())
    created = serializers.DateTimeField()
    updated = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="When it was sent for review.")
    progress = ProgressSerializer()


class AssessmentSerializer(AssessmentSummarySerializer):
    description = serializers.CharField()
    organisation = serializers.UUIDField()
    created_by = serializers.CharField(allow_null=True)
    submitted_by = serializers.CharField(allow_null=True, help_text="Who sent it for review.")
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField(allow_null=True)
    sections = SectionSummarySerializer(many=True)
    actions = ActionSerializer(many=True)


class AssessmentCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=MAX_TITLE)
    scope = serializers.CharField(max_length=MAX_SCOPE)
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION, required=False, default="", allow_blank=True, trim_whitespace=False
    )
    instruments = serializers.ListField(
        child=serializers.CharField(max_length=8), min_length=1, max_length=50, help_text="Instrument codes."
    )


# --- answers --------------------------------------------------------------------------------


class AnswerSerializer(serializers.Serializer):
    item = serializers.CharField()
    title = serializers.CharField(help_text="The item's short English name.")
    question = serializers.CharField()
    guidance = serializers.CharField()
    evidence_hint = serializers.CharField()
    weight = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=CHOICES)
    justification = serializers.CharField(allow_blank=True)
    evidence_urls = serializers.ListField(child=serializers.URLField())
    evidence_files = serializers.ListField(child=serializers.CharField(), help_text="Names of uploaded files.")
    version = serializers.IntegerField(help_text="Send it back when you change the answer; 0 when never saved.")
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True)
    stale = serializers.BooleanField(help_text="Given to wording the library has changed since.")


class SectionAnswersSerializer(serializers.Serializer):
    assessment = serializers.UUIDField()
    theme = serializers.CharField()
    name = serializers.CharField()
    frozen = serializers.BooleanField(help_text="In review or approved: the answers can no longer change.")
    progress = ProgressSerializer()
    answers = AnswerSerializer(many=True)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer, not a string of digits or a float: a version is copied, never typed."""

    default_error_messages = {"invalid": gettext_lazy("A version must be a whole number, as the answer was read with.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class AnswerWriteSerializer(serializers.Serializer):
    """One answer to save; the rules are the forms' (``answer_clean``), field by field."""

    item = serializers.CharField(max_length=16, help_text="The item's code.")
    choice = serializers.CharField(allow_blank=True, max_length=8, help_text="yes, partial, no, na, or empty.")
    justification = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False, max_length=MAX_JUSTIFICATION * 2
    )
    evidence_urls = serializers.ListField(
        child=serializers.CharField(max_length=MAX_URL_LENGTH, allow_blank=True),
        required=False,
        default=list,
        max_length=MAX_EVIDENCE_URLS * 2,
    )
    version = StrictIntegerField(
        min_value=0, max_value=MAX_ID, help_text="The version the answer was read at (0 for a new answer)."
    )

    def validate(self, data):
        try:
            clean = answer_clean(
                choice=data["choice"], justification=data["justification"], evidence_urls=data["evidence_urls"]
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return {
            **data,
            "choice": clean.choice,
            "justification": clean.justification,
            "evidence_urls": clean.evidence_urls,
        }


class AnswersWriteSerializer(serializers.Serializer):
    answers = AnswerWriteSerializer(many=True, allow_empty=False, max_length=500)


class SavedSerializer(serializers.Serializer):
    saved = serializers.ListField(child=serializers.CharField(), help_text="Codes of the answers that changed.")
    section = SectionAnswersSerializer()


class AnswerStateSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=CHOICES)
    justification = serializers.CharField(allow_blank=True)
    evidence_urls = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()


class TheirAnswerSerializer(AnswerStateSerializer):
    updated_by = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class ConflictSerializer(serializers.Serializer):
    item = serializers.CharField()
    yours = AnswerStateSerializer(help_text="What you sent, with the version you read.")
    theirs = TheirAnswerSerializer(help_text="What is saved now. Send yours again with this version to replace it.")


class ConflictsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    conflicts = ConflictSerializer(many=True)


# --- results --------------------------------------------------------------------------------


class CountsSerializer(serializers.Serializer):
    yes = serializers.IntegerField()
    partial = serializers.IntegerField()
    no = serializers.IntegerField()
    na = serializers.IntegerField()
    unanswered = serializers.IntegerField()


class ScoreSerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True)
    evidenced = serializers.FloatField(allow_null=True)
    coverage = serializers.FloatField(allow_null=True)
    band = serializers.ChoiceField(choices=["strong", "partial", "weak"], allow_null=True)
    insufficient_answers = serializers.BooleanField()
    counts = CountsSerializer()


class GapSerializer(serializers.Serializer):
    item = serializers.CharField()
    answer = serializers.CharField()
    priority = serializers.IntegerField()
    instruments = serializers.ListField(child=serializers.CharField())


class ResultsSerializer(serializers.Serializer):
    assessment = serializers.UUIDField()
    provisional = serializers.BooleanField(help_text="True for a draft: its scores can still change.")
    library_release = serializers.CharField(allow_null=True)
    method = serializers.CharField()
    instruments = serializers.DictField(child=ScoreSerializer(), help_text="Instrument code → score.")
    principles = serializers.DictField(child=ScoreSerializer(), help_text="Principle code → score.")
    themes = serializers.DictField(child=ScoreSerializer(), help_text="Theme code → score.")
    gaps = GapSerializer(many=True)


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField()
