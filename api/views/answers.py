"""A section's answers: read them, and save several at once with the forms' version check."""

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import access, data
from api.caching import private
from api.serializers.assessments import (
    AnswersWriteSerializer,
    ConflictsSerializer,
    SavedSerializer,
    SectionAnswersSerializer,
)
from assessments import selectors
from assessments.services import AnswerInput, answers_save
from assessments.services.answers import KEEP

TAGS = ["answers"]


def _section(assessment, theme):
    record = selectors.assessment_record(assessment=assessment, section=theme)
    section = record.section(theme)
    if section is None:
        raise Http404("No such section in this assessment.")
    return record, section


def _inputs(section, answers) -> list[AnswerInput]:
    """The answers as the service takes them; 400 naming each item not in the section."""
    items = {item.code: item for item in section.items}
    errors, seen = {}, set()
    for n, answer in enumerate(answers):
        if answer["item"] not in items:
            errors[n] = {"item": [f"{answer['item'][:16]} is not an item of section {section.theme.code}."]}
        elif answer["item"] in seen:
            errors[n] = {"item": [f"{answer['item']} appears twice; send each item once."]}
        seen.add(answer["item"])
    if errors:
        raise ValidationError({"answers": errors})
    return [
        AnswerInput(
            item_id=items[a["item"]].id,
            item_code=a["item"],
            choice=a["choice"],
            justification=a["justification"],
            evidence_urls=a["evidence_urls"],
            base_version=a["version"],
            evidence_valid_until=KEEP,  # not part of the API's answer yet
        )
        for a in answers
    ]


@extend_schema(methods=["GET"], tags=TAGS, responses=SectionAnswersSerializer, summary="Read a section's answers")
@extend_schema(
    methods=["PATCH"],
    tags=TAGS,
    request=AnswersWriteSerializer,
    responses={
        200: SavedSerializer,
        400: OpenApiResponse(description="Bad input; the errors are per answer and field. Nothing was saved."),
        409: OpenApiResponse(
            ConflictsSerializer,
            description="Someone saved some of these answers since the version you sent. Nothing was saved.",
        ),
    },
    summary="Save answers of a section",
    description=(
        "Editors and owners. Send the answers to change, each with the `version` you read; answers you leave out "
        "stay as they are. All or nothing: one bad answer or one conflict and nothing is saved."
    ),
)
@api_view(["GET", "PATCH"])
@private
def section_answers(request, code, theme):
    if request.method == "GET":
        assessment, _ = access.for_member(request, code)
        record, section = _section(assessment, theme)
        return Response(SectionAnswersSerializer(data.section_data(assessment, record, section)).data)

    assessment, membership = access.for_editor(request, code)
    serializer = AnswersWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    _, section = _section(assessment, theme)
    inputs = _inputs(section, serializer.validated_data["answers"])
    result = answers_save(assessment=assessment, membership=membership, inputs=inputs)
    if result.conflicts:
        sent = {i.item_code: i for i in inputs}
        body = {
            "detail": gettext(
                "Nothing was saved: someone else saved these answers since the version you sent. "
                "Compare both, then send yours again with their version to replace them."
            ),
            "conflicts": [data.conflict_data(c, sent[c.item_code]) for c in result.conflicts],
        }
        return Response(ConflictsSerializer(body).data, status=status.HTTP_409_CONFLICT)
    record, section = _section(assessment, theme)
    return Response(
        SavedSerializer({"saved": result.saved, "section": data.section_data(assessment, record, section)}).data
    )
