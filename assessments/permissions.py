"""What each role may do, said once. Services call these before they write, and the access
helpers in ``assessments.selectors`` call them before a view runs, so a page and the service
behind it can never disagree."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from assessments.models import Membership


def require_editor(membership: Membership) -> None:
    if not membership.can_edit:
        raise PermissionDenied(gettext("Viewers can read this organisation's assessments but not change them."))


def require_owner(membership: Membership) -> None:
    if not membership.is_owner:
        raise PermissionDenied(gettext("Only owners of the organisation may do this."))


def require_same_organisation(acting: Membership, target: Membership) -> None:
    if target.organisation_id != acting.organisation_id:
        raise PermissionDenied(gettext("Not a member of this organisation."))


def require_reviewer(membership: Membership) -> None:
    if not membership.can_review:
        raise PermissionDenied(_("Only reviewers and owners may approve or return an assessment."))


def require_commenter(membership: Membership) -> None:
    if not membership.can_comment:
        raise PermissionDenied(_("Viewers can read comments but not write them."))
