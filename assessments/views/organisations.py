"""The dashboard, members and invitations of the organisation a user is working in."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import review_selectors, selectors
from assessments.forms import InvitationForm, InvitedSignupForm, RoleForm
from assessments.models import Distribution, Invitation, Membership
from assessments.permissions import require_owner
from assessments.services import (
    InvitationForSomeoneElse,
    InvitationInvalid,
    account_signup_invited,
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_for_user,
    invitation_revoke,
    membership_remove,
    membership_set_role,
    organisation_set_distribution,
)
from config.client_ip import client_ip
from identity.sessions import session_rotate


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
        {
            "membership": membership,
            "memberships": memberships,
            "page": page,
            "assessments": page.object_list,
            "assigned": review_selectors.assigned_to(membership),
        },
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
    return render(request, "assessments/members.html", _members_context(request, membership, InvitationForm()))


def _members_context(request, membership, invitation_form):
    organisation = membership.organisation
    return {
        "membership": membership,
        "members": organisation.memberships.select_related("user").order_by("user__username"),
        "invitations": selectors.invitations_open(organisation) if membership.is_owner else [],
        "base_url": _base_url(request).rstrip("/"),
        "form": invitation_form,
        "role_form": RoleForm(),
        "distributions": Distribution.choices,
    }


def _base_url(request):
    return request.build_absolute_uri("/")


@login_required
@require_POST
def invite(request):
    membership = _membership(request, owner=True)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return render(request, "assessments/members.html", _members_context(request, membership, form), status=400)
    try:
        invitation = invitation_create(membership=membership, base_url=_base_url(request), **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, membership, exc)
    # The mail goes after the commit: in the worker (so not yet), or, without one, already.
    invitation.refresh_from_db()
    if invitation.mail_error:
        messages.warning(
            request,
            gettext(
                "The invitation of %(email)s is ready, but its mail could not be sent. "
                "Copy its link from the list of open invitations below and send it yourself."
            )
            % {"email": invitation.email},
        )
    elif invitation.mail_sent_at:
        messages.success(
            request,
            gettext("Invitation mailed to %(email)s. The link works once, for 7 days.") % {"email": invitation.email},
        )
    else:
        messages.success(
            request, gettext("Invitation of %(email)s created; its mail is on its way.") % {"email": invitation.email}
        )
    return redirect("members")


@login_required
@require_POST
def invitation_revoke_view(request, code):
    membership = _membership(request, owner=True)
    invitation = Invitation.objects.filter(code=code, organisation=membership.organisation).first()
    if invitation is None:
        raise Http404("No such invitation.")
    try:
        invitation_revoke(membership=membership, invitation=invitation)
    except InvitationInvalid as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            gettext("The invitation of %(email)s was revoked; its link no longer works.") % {"email": invitation.email},
        )
    return redirect("members")


def _target(membership, member):
    target = Membership.objects.select_related("user").filter(code=member, organisation=membership.organisation).first()
    if target is None:
        raise Http404("No such member.")
    return target


def _refused(request, membership, exc):
    """The members page again, with the service's reason (400): nothing was changed."""
    for message in exc.messages:
        messages.error(request, message)
    return render(
        request, "assessments/members.html", _members_context(request, membership, InvitationForm()), status=400
    )


@login_required
@require_POST
def member_role(request, member):
    membership = _membership(request, owner=True)
    target = _target(membership, member)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose owner, editor, reviewer or viewer."))
        return redirect("members")
    try:
        membership_set_role(acting=membership, target=target, role=form.cleaned_data["role"])
    except ValidationError as exc:
        return _refused(request, membership, exc)
    if target.user_id == request.user.id:
        session_rotate(request)  # one's own privileges changed: a new session key
    messages.success(
        request,
        gettext("%(username)s now has the role %(role)s.")
        % {"username": target.user.username, "role": target.get_role_display()},
    )
    return redirect("members")


@login_required
@require_POST
def distribution(request):
    """The distribution marking on the organisation's reports ("Confidential", "Internal", "Public")."""
    membership = _membership(request, owner=True)
    try:
        organisation_set_distribution(acting=membership, distribution=request.POST.get("distribution", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        response = render(request, "assessments/members.html", _members_context(request, membership, InvitationForm()))
        response.status_code = 400
        return response
    messages.success(
        request,
        gettext("Reports will be marked “%(marking)s”.")
        % {"marking": membership.organisation.get_distribution_display()},
    )
    return redirect("members")


@login_required
@require_POST
def member_remove(request, member):
    membership = _membership(request, owner=True)
    target = _target(membership, member)
    try:
        membership_remove(acting=membership, target=target)
    except ValidationError as exc:
        return _refused(request, membership, exc)
    messages.success(request, gettext("%(username)s was removed.") % {"username": target.user.username})
    return redirect("members" if target.pk != membership.pk else "dashboard")


def _open_invitation(code):
    """The invitation with ``code`` (404), and the reason it can no longer be used, if any."""
    invitation = Invitation.objects.select_related("organisation").filter(code=code).first()
    if invitation is None:
        raise Http404("No such invitation.")
    try:
        invitation_check(invitation)
    except InvitationInvalid as exc:
        return invitation, str(exc)
    return invitation, None


def _invitation_page(request, invitation, status=200, **context):
    return render(request, "assessments/invitation.html", {"invitation": invitation, **context}, status=status)


def _masked(email):
    """``n•••@example.org``: enough for the invitee to recognise, too little to harvest."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, code):
    invitation, invalid = _open_invitation(code)
    if invalid:
        return _invitation_page(request, invitation, status=410, error=invalid)
    if not request.user.is_authenticated:
        return _invitation_page(request, invitation, next=request.path)
    try:
        invitation_for_user(invitation, request.user)
    except InvitationForSomeoneElse:
        return _invitation_page(request, invitation, status=403, wrong_user=True, invited=_masked(invitation.email))
    if request.method == "POST":
        try:
            membership = invitation_accept(invitation=invitation, user=request.user)
        except InvitationInvalid as exc:
            return _invitation_page(request, invitation, status=410, error=str(exc))
        return _joined(request, membership)
    return _invitation_page(request, invitation)


def _joined(request, membership):
    request.session["organisation"] = str(membership.organisation.code)
    messages.success(
        request,
        gettext("You joined %(organisation)s with the role %(role)s.")
        % {"organisation": membership.organisation.name, "role": membership.get_role_display()},
    )
    return redirect("dashboard")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_signup(request, code):
    """Sign-up from an invitation: the account has the invited address and joins the inviting
    organisation (no organisation of its own), in one transaction."""
    invitation, invalid = _open_invitation(code)
    if invalid:
        return _invitation_page(request, invitation, status=410, error=invalid)
    if request.user.is_authenticated:
        return redirect("invitation", code=invitation.code)
    form = InvitedSignupForm(request.POST or None, invitation=invitation, client=client_ip(request))
    if request.method == "POST" and form.is_valid():
        try:
            user, membership = account_signup_invited(
                invitation=invitation, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except InvitationInvalid as exc:
            return _invitation_page(request, invitation, status=410, error=str(exc))
        login(request, user, backend="identity.backends.AccountBackend")
        return _joined(request, membership)
    return render(
        request,
        "registration/signup_invited.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )
