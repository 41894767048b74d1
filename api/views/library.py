"""The public library, read-only: anyone may read it, signed in or not."""

from django.http import Http404, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api import selectors
from api.pagination import Pages
from api.serializers.library import (
    CrosswalkSerializer,
    InstrumentSerializer,
    ItemSerializer,
    PrincipleSerializer,
    ThemeSerializer,
)
from governance import selectors as library
from governance.models import Theme
from governance.oscal import library_catalog

TAGS = ["library"]


def _page(request, queryset, serializer):
    paginator = Pages()
    page = paginator.paginate_queryset(queryset, request)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def _one(queryset, code):
    found = queryset.filter(code=code).first()
    if found is None:
        raise Http404("No such code in the library.")
    return found


@extend_schema(tags=TAGS, responses=InstrumentSerializer(many=True), summary="List the instruments")
@api_view(["GET"])
@permission_classes([AllowAny])
def instruments(request):
    return _page(request, selectors.instruments(), InstrumentSerializer)


@extend_schema(tags=TAGS, responses=InstrumentSerializer, summary="Read an instrument")
@api_view(["GET"])
@permission_classes([AllowAny])
def instrument(request, code):
    return Response(InstrumentSerializer(_one(selectors.instruments(), code)).data)


FILTER_INSTRUMENT = OpenApiParameter("instrument", OpenApiTypes.STR, description="Only those of this instrument.")
FILTER_THEME = OpenApiParameter("theme", OpenApiTypes.STR, description="Only those on this theme.")


@extend_schema(
    tags=TAGS, parameters=[FILTER_INSTRUMENT], responses=PrincipleSerializer(many=True), summary="List principles"
)
@api_view(["GET"])
@permission_classes([AllowAny])
def principles(request):
    queryset = selectors.principles()
    if request.query_params.get("instrument"):
        queryset = queryset.filter(instrument__code=request.query_params["instrument"])
    return _page(request, queryset, PrincipleSerializer)


@extend_schema(tags=TAGS, responses=PrincipleSerializer, summary="Read a principle")
@api_view(["GET"])
@permission_classes([AllowAny])
def principle(request, code):
    return Response(PrincipleSerializer(_one(selectors.principles(), code)).data)


@extend_schema(
    tags=TAGS,
    parameters=[FILTER_INSTRUMENT, FILTER_THEME],
    responses=ItemSerializer(many=True),
    summary="List the active checklist items",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def items(request):
    queryset = selectors.items()
    if request.query_params.get("theme"):
        queryset = queryset.filter(theme__code=request.query_params["theme"])
    if request.query_params.get("instrument"):
        queryset = queryset.filter(
            principle_links__principle__instrument__code=request.query_params["instrument"]
        ).distinct()
    return _page(request, queryset, ItemSerializer)


@extend_schema(tags=TAGS, responses=ItemSerializer, summary="Read a checklist item")
@api_view(["GET"])
@permission_classes([AllowAny])
def item(request, code):
    return Response(ItemSerializer(_one(selectors.items(), code)).data)


@extend_schema(tags=TAGS, responses=ThemeSerializer(many=True), summary="List the themes")
@api_view(["GET"])
@permission_classes([AllowAny])
def themes(request):
    return _page(request, Theme.objects.order_by("code"), ThemeSerializer)


@extend_schema(
    tags=TAGS,
    responses=CrosswalkSerializer,
    summary="The crosswalk",
    description="Themes × instruments: for each theme, each instrument's principles on it.",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def crosswalk(request):
    instruments, rows = library.crosswalk()
    data = {
        "instruments": [i.code for i in instruments],
        "rows": [
            {
                "theme": theme,
                "cells": [
                    {
                        "instrument": instrument.code,
                        "principles": [p.code for p, _ in cell],
                        "primary": [p.code for p, primary in cell if primary],
                    }
                    for instrument, cell in zip(instruments, cells, strict=True)
                ],
            }
            for theme, cells in rows
        ],
    }
    return Response(CrosswalkSerializer(data).data)


@extend_schema(
    tags=TAGS,
    responses={(200, "application/json"): OpenApiTypes.OBJECT},
    summary="The library as an OSCAL catalog",
    description="OSCAL 1.2.1 catalog JSON: instruments as groups, principles as controls (docs/oscal.md).",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def oscal_catalog(request):
    return JsonResponse(library_catalog(), json_dumps_params={"ensure_ascii": False})
