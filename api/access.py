"""Who may reach what through the API: the pages' access helpers, narrowed by the token.

Each helper calls the same selector as the pages (``assessment_for_member`` and friends), so an
outsider gets the same 404 and a viewer the same 403. A token then narrows it further: it reaches
its own organisation only (404 elsewhere, as for an id that does not exist), and a read-only
token may not write (403). The role is read from the membership on every request, so a token
never has more rights than its member has now.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext

from api.authentication import token_of
from assessments import selectors
from assessments.models import Assessment, Membership
from assessments.permissions import require_editor, require_owner


def _within_token(request, membership: Membership) -> None:
    token = token_of(request)
    if token is not None and token.membership_id != membership.pk:
        raise Http404("No such object.")


def require_write_token(request) -> None:
    token = token_of(request)
    if token is not None and not token.can_write:
        raise PermissionDenied(gettext("This token is read-only. Create a read-and-write token to change data."))


def membership_for(request, organisation) -> Membership:
    """The caller's membership of the organisation with code ``organisation``, or 404."""
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(user=request.user, organisation__code=organisation)
        .first()
    )
    if membership is None:
        raise Http404("No such organisation.")
    _within_token(request, membership)
    return membership


def memberships_for(request) -> list[Membership]:
    token = token_of(request)
    if token is not None:
        return [token.membership]
    return selectors.memberships_for_user(request.user)


def for_member(request, code) -> tuple[Assessment, Membership]:
    assessment, membership = selectors.assessment_for_member(request.user, code)
    _within_token(request, membership)
    return assessment, membership


def for_writer(request, code) -> tuple[Assessment, Membership]:
    """A member whose token may write; the service called next checks the role itself."""
    assessment, membership = for_member(request, code)
    require_write_token(request)
    return assessment, membership


def for_editor(request, code) -> tuple[Assessment, Membership]:
    assessment, membership = for_member(request, code)
    require_editor(membership)
    require_write_token(request)
    return assessment, membership


def for_owner(request, code) -> tuple[Assessment, Membership]:
    assessment, membership = for_member(request, code)
    require_owner(membership)
    require_write_token(request)
    return assessment, membership
