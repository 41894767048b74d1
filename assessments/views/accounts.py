"""Sign-up, and switching between the organisations a user belongs to."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.forms import SignupForm
from assessments.models import Membership
from assessments.services import account_signup
from config.client_ip import client_ip


def _safe_next(request, fallback="dashboard"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_safe
def home(request):
    return redirect("dashboard" if request.user.is_authenticated else "library:instrument-list")


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None, client=client_ip(request))
    if request.method == "POST" and form.is_valid():
        user, organisation = account_signup(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            organisation_name=form.cleaned_data["organisation_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session["organisation"] = str(organisation.code)
        messages.success(request, f"Welcome. You are the owner of {organisation.name}.")
        return redirect(_safe_next(request))
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": _safe_next(request, "")},
        status=400 if form.errors else 200,
    )


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
    messages.info(request, f"Now working in {membership.organisation.name}.")
    return redirect("dashboard")
