"""The home page, and switching between the organisations a user belongs to. (Sign-up, sign-in and
the rest of accounts are django-allauth's, see identity/.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from assessments.models import Membership


@require_safe
def home(request):
    return redirect("dashboard" if request.user.is_authenticated else "library:instrument-list")


@login_required
@require_POST
def switch_organisation(request):
    code = request.POST.get("organisation", "")
    membership = next(
        (
            m
            for m in Membership.objects.filter(user=request.user).select_related("organisation")
            if str(m.organisation.code) == code
        ),
        None,
    )
    if membership is None:
        raise Http404("No such organisation.")
    request.session["organisation"] = code
    messages.info(request, gettext("Now working in %(name)s.") % {"name": membership.organisation.name})
    return redirect("dashboard")
