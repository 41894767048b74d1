"""Refusals the services raise besides ``ValidationError`` and ``PermissionDenied``."""


class AssessmentFrozen(Exception):
    """The assessment's answers are frozen (it is submitted): they may not change."""


class InvitationInvalid(Exception):
    """The invitation was used, has expired, or was revoked."""


class TransitionRefused(Exception):
    """The assessment is not in a state that allows this step."""


class InvitationForSomeoneElse(Exception):
    """The invitation was sent to another address than the signed-in user's."""
