"""The organisation log, for owners: who did what and when, filtered by assessment, person and action."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments import review_selectors
from assessments.models import Assessment, EventKind
from assessments.review_forms import LogFilterForm
from assessments.views.organisations import _membership


@login_required
@require_safe
def organisation_log(request):
    membership = _membership(request, owner=True)
    organisation = membership.organisation
    filters = review_selectors.LogFilters(**LogFilterForm(request.GET).filters())
    page = review_selectors.organisation_log(organisation, filters=filters, page=request.GET.get("page"))
    return render(
        request,
        "assessments/organisation_log.html",
        {
            "membership": membership,
            "page": page,
            "events": page.object_list,
            "filters": filters,
            "kinds": EventKind.choices,
            "assessments": Assessment.objects.filter(organisation=organisation)
            .order_by("title")
            .values_list("code", "title"),
            "people": organisation.memberships.select_related("user")
            .order_by("user__username")
            .values_list("user__username", flat=True),
        },
    )
