"""An organisation's assessments: list, create, read, results, exports, report and actions."""

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import access, data
from api.actions import ACTIONS
from api.caching import private
from api.pagination import Pages
from api.serializers.assessments import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    AssessmentSummarySerializer,
    MessageSerializer,
    OrganisationSerializer,
    ResultsSerializer,
)
from assessments import results as results_module
from assessments import selectors
from assessments.attachments import assessment_attachment
from assessments.exports import export_data, export_json
from assessments.languages import UnknownLanguage, codes, download_language
from assessments.models import Assessment, EventKind
from assessments.oscal import assessment_results
from assessments.reports.downloads import report_request
from assessments.services import assessment_create
from assessments.services.log import event_record
from governance.models import Instrument

TAGS = ["assessments"]


@extend_schema(tags=["organisations"], responses=OrganisationSerializer(many=True), summary="Your organisations")
@api_view(["GET"])
@private
def organisations(request):
    memberships = access.memberships_for(request)
    return Response(
        OrganisationSerializer(
            [{"id": m.organisation.code, "name": m.organisation.name, "role": m.role} for m in memberships], many=True
        ).data
    )


@extend_schema(methods=["GET"], tags=TAGS, responses=AssessmentSummarySerializer(many=True), summary="List assessments")
@extend_schema(
    methods=["POST"],
    tags=TAGS,
    request=AssessmentCreateSerializer,
    responses={201: AssessmentSerializer},
    summary="Create a draft",
    description="Editors and owners. The draft uses the current library release.",
)
@api_view(["GET", "POST"])
@private
def organisation_assessments(request, organisation):
    membership = access.membership_for(request, organisation)
    if request.method == "POST":
        return _create(request, membership)
    queryset = (
        Assessment.objects.filter(organisation=membership.organisation)
        .defer("snapshot", "description")
        .select_related("release")
        .prefetch_related("instruments")
        .order_by("-updated", "pk")
    )
    paginator = Pages()
    page = paginator.paginate_queryset(queryset, request)
    progress = selectors.assessments_progress(assessments=page)
    rows = [data.assessment_summary(a, progress[a.pk]) for a in page]
    return paginator.get_paginated_response(AssessmentSummarySerializer(rows, many=True).data)


def _create(request, membership):
    access.require_write_token(request)
    serializer = AssessmentCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    codes = serializer.validated_data["instruments"]
    instruments = list(Instrument.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {i.code for i in instruments})
    if unknown:
        raise ValidationError(
            {"instruments": [gettext("Unknown instrument codes: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    values = serializer.validated_data
    assessment = assessment_create(
        membership=membership,
        title=values["title"],
        scope=values["scope"],
        description=values["description"],
        instruments=instruments,
    )
    assessment = Assessment.objects.select_related(
        "organisation", "release", "created_by", "submitted_by", "approved_by"
    ).get(pk=assessment.pk)
    return Response(_detail(request, assessment, membership), status=status.HTTP_201_CREATED)


def _detail(request, assessment, membership):
    record = selectors.assessment_outline(assessment=assessment)
    return AssessmentSerializer(data.assessment_detail(request, assessment, membership, record)).data


@extend_schema(tags=TAGS, responses=AssessmentSerializer, summary="Read an assessment")
@api_view(["GET"])
@private
def assessment(request, code):
    found, membership = access.for_member(request, code)
    return Response(_detail(request, found, membership))


@extend_schema(tags=TAGS, responses=ResultsSerializer, summary="Scores and gaps")
@api_view(["GET"])
@private
def results(request, code):
    found, _ = access.for_member(request, code)
    computed = results_module.compute(selectors.assessment_record(assessment=found))
    return Response(ResultsSerializer(data.results_data(found, computed)).data)


@extend_schema(
    tags=TAGS,
    responses={(200, "application/json"): OpenApiTypes.OBJECT},
    summary="The JSON export",
    description="The same bytes as the export.json download; its format is in docs/export-format.md.",
)
@api_view(["GET"])
@private
def export(request, code):
    found, membership = access.for_member(request, code)
    record = selectors.assessment_record(assessment=found)
    body = export_json(export_data(found, results_module.compute(record)))
    event_record(
        organisation=found.organisation, actor=membership.user, kind=EventKind.EXPORTED, assessment=found, detail="api"
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@extend_schema(
    tags=TAGS,
    responses={(200, "application/json"): OpenApiTypes.OBJECT},
    summary="The assessment as OSCAL assessment-results",
    description="OSCAL 1.2.1 assessment-results JSON: items as observations, answers as findings (docs/oscal.md).",
)
@api_view(["GET"])
@private
def oscal(request, code):
    found, _ = access.for_member(request, code)
    record = selectors.assessment_record(assessment=found)
    return JsonResponse(assessment_results(found, record), json_dumps_params={"ensure_ascii": False})


@extend_schema(
    tags=TAGS,
    responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF report."),
        202: OpenApiResponse(MessageSerializer, description="Being prepared: ask again after Retry-After seconds."),
        403: OpenApiResponse(
            MessageSerializer, description="A draft's report not yet prepared: an editor must start it."
        ),
        429: OpenApiResponse(MessageSerializer, description="Your or your organisation's report budget is spent."),
        503: OpenApiResponse(MessageSerializer, description="The report could not be prepared; an editor can retry."),
    },
    summary="The PDF report",
    parameters=[
        OpenApiParameter(
            "lang",
            str,
            enum=codes(),
            description="The report's language (default: from Accept-Language, else English). "
            "Every language's report of a submitted assessment has the same data hash.",
        )
    ],
)
@api_view(["GET"])
@private
def report(request, code):
    found, membership = access.for_member(request, code)
    try:
        language = download_language(request)
    except UnknownLanguage:
        raise ValidationError({"lang": f"Unknown language; one of {', '.join(codes())}."}) from None
    download = report_request(assessment=found, membership=membership, language=language)
    if download.status == "ready":
        response = FileResponse(download.file.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = assessment_attachment(found, "pdf", download.dated, language=language)
        return response
    if download.status == "limited":
        if download.spent == "person":
            detail = gettext("You have made many reports recently. Try again in ten minutes.")
        else:
            detail = gettext("Your organisation has made many reports recently. Try again in ten minutes.")
        return Response(
            {"detail": detail},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": "600"},
        )
    if download.status == "needs_editor":
        return Response(
            {
                "detail": gettext(
                    "No report of this draft is stored or being prepared; an editor or owner must prepare it."
                )
            },
            status=status.HTTP_403_FORBIDDEN,
        )
    if download.status == "failed":
        return Response(
            {"detail": gettext("The report could not be prepared. An editor can try again.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response(
        {"detail": gettext("The report is being prepared. Ask again in a minute.")},
        status=status.HTTP_202_ACCEPTED,
        headers={"Retry-After": "30"},
    )


@extend_schema(
    tags=TAGS,
    request=OpenApiTypes.OBJECT,
    responses={200: AssessmentSerializer, 409: MessageSerializer},
    summary="Take an action",
    description="The actions an assessment offers are listed in its `actions`: `send_for_review` (editors and "
    'owners), `approve` with `{"attest": true}` and `return` with `{"reason": "…"}` (reviewers and owners).',
)
@api_view(["POST"])
@private
def take_action(request, code, action):
    if action not in ACTIONS:
        raise Http404("No such action.")
    found, membership = access.for_writer(request, code)
    body = request.data if isinstance(request.data, dict) else {}
    ACTIONS[action].run(assessment=found, membership=membership, data=body)
    found, membership = access.for_member(request, code)
    return Response(_detail(request, found, membership))
