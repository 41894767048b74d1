"""The refusal pages views render themselves; 403 and 404 are Django's handlers with the
site's templates (templates/403.html, templates/404.html)."""

from django.shortcuts import render


def conflict(request, exc: Exception, assessment):
    """409: the assessment's state does not allow the step (``AssessmentFrozen``,
    ``TransitionRefused``). The message comes from the service and is written for people."""
    return render(request, "409.html", {"message": str(exc), "assessment": assessment}, status=409)
