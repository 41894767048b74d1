"""Refusals from the services, as API responses.

Services raise Django's ``ValidationError`` (bad input: 400 with the message per field, nothing
changed) and the lifecycle's ``AssessmentFrozen`` and ``TransitionRefused`` (the assessment's
state does not allow it: 409). ``PermissionDenied`` and ``Http404`` are DRF's own 403 and 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from assessments.services import AssessmentFrozen, TransitionRefused


class StateConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The assessment's state does not allow this."
    default_code = "state"


def validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_detail(exc))
    elif isinstance(exc, (AssessmentFrozen, TransitionRefused)):
        exc = StateConflict(str(exc))
    return drf_exception_handler(exc, context)
