"""The dashboard, members and invitations of the organisation a user is working in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import selectors
from assessments.forms import InvitationForm, RoleForm
from assessments.models import Invitation, Membership
from assessments.permissions import require_owner
from assessments.services import (
    InvitationInvalid,
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_link,
    membership_remove,
    membership_set_role,
)


@login_required
@require_safe
def dashboard(request):
    membership, memberships = selectors.current_membership(request)
    if membership is None:
        return render(request, "assessments/no_organisation.html")
    page = selectors.dashboard_rows(membership.organisation, page=request.GET.get("page"))
    return render(
        request,
        "assessments/dashboard.html",
        {"membership": membership, "memberships": memberships, "page": page, "assessments": page.object_list},
    )


def _membership(request, *, owner=False):
    """The membership the user works in: 404 without one, 403 when ``owner`` and not an owner."""
    membership, _ = selectors.current_membership(request)
    if membership is None:
        raise Http404("You are not a member of any organisation.")
    if owner:
        require_owner(membership)
    return membership


@login_required
@require_safe
def members(request):
    membership = _membership(request)
    return render(request, "assessments/members.html", _members_context(membership, InvitationForm()))


def _members_context(membership, invitation_form, invitation=None):
    organisation = membership.organisation
    return {
        "membership": membership,
        "members": organisation.memberships.select_related("user").order_by("user__username"),
        "invitations": organisation.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
        if membership.is_owner
        else [],
        "form": invitation_form,
        "role_form": RoleForm(),
        "new_invitation": invitation,
    }


@login_required
@require_POST
def invite(request):
    membership = _membership(request, owner=True)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return render(request, "assessments/members.html", _members_context(membership, form), status=400)
    base_url = request.build_absolute_uri("/")
    invitation = invitation_create(membership=membership, base_url=base_url, **form.cleaned_data)
    link = invitation_link(invitation, base_url)
    messages.success(request, f"Invitation sent to {invitation.email}. The link works once, for 7 days: {link}")
    return redirect("members")


def _target(membership, member):
    target = Membership.objects.select_related("user").filter(code=member, organisation=membership.organisation).first()
    if target is None:
        raise Http404("No such member.")
    return target


@login_required
@require_POST
def member_role(request, member):
    membership = _membership(request, owner=True)
    target = _target(membership, member)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, editor or viewer.")
        return redirect("members")
    membership_set_role(acting=membership, target=target, role=form.cleaned_data["role"])
    messages.success(request, f"{target.user.username} is now {target.get_role_display().lower()}.")
    return redirect("members")


@login_required
@require_POST
def member_remove(request, member):
    membership = _membership(request, owner=True)
    target = _target(membership, member)
    membership_remove(acting=membership, target=target)
    messages.success(request, f"{target.user.username} was removed.")
    return redirect("members" if target.pk != membership.pk else "dashboard")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, code):
    invitation = Invitation.objects.select_related("organisation").filter(code=code).first()
    if invitation is None:
        raise Http404("No such invitation.")
    try:
        invitation_check(invitation)
    except InvitationInvalid as exc:
        return render(request, "assessments/invitation.html", {"invitation": invitation, "error": str(exc)}, status=410)
    if not request.user.is_authenticated:
        return render(request, "assessments/invitation.html", {"invitation": invitation, "next": request.path})
    if request.method == "POST":
        try:
            membership = invitation_accept(invitation=invitation, user=request.user)
        except InvitationInvalid as exc:
            return render(
                request, "assessments/invitation.html", {"invitation": invitation, "error": str(exc)}, status=410
            )
        request.session["organisation"] = str(membership.organisation.code)
        messages.success(
            request, f"You joined {membership.organisation.name} as {membership.get_role_display().lower()}."
        )
        return redirect("dashboard")
    return render(request, "assessments/invitation.html", {"invitation": invitation})
