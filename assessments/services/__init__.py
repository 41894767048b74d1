"""Writes for organisations, members and assessments.

Each function takes keyword-only arguments, checks the caller's role and its input itself
(``PermissionDenied``, ``ValidationError``), and writes in one transaction, so a refused or
failed call leaves nothing behind. Modules: ``rules`` (input rules), ``organisations``,
``answers``, ``lifecycle``, ``review`` (send, approve, return), ``assignments``, ``comments``,
``actions``, ``log`` (the organisation log); reports live in ``assessments.reports.services``.
"""

from assessments.services.answers import AnswerInput, Conflict, SaveResult, answer_state, answers_save
from assessments.services.errors import AssessmentFrozen, InvitationForSomeoneElse, InvitationInvalid, TransitionRefused
from assessments.services.lifecycle import (
    assessment_create,
    assessment_delete,
    assessment_derive,
    assessment_update,
    assessment_upgrade,
)
from assessments.services.organisations import (
    INVITATION_LIFETIME,
    MAIL_ATTEMPTS,
    account_signup,
    account_signup_invited,
    demo_account_ensure,
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_for_user,
    invitation_is_open,
    invitation_link,
    invitation_mail_retrying,
    invitation_mail_send,
    invitation_revoke,
    membership_remove,
    membership_set_role,
    organisation_set_distribution,
)
from assessments.services.review import assessment_approve, assessment_return, assessment_send_for_review
from assessments.services.staging import StagedFile, staged_resolve, staged_sweep, uploads_stage

__all__ = [
    "INVITATION_LIFETIME",
    "MAIL_ATTEMPTS",
    "AnswerInput",
    "AssessmentFrozen",
    "Conflict",
    "InvitationForSomeoneElse",
    "InvitationInvalid",
    "SaveResult",
    "StagedFile",
    "TransitionRefused",
    "account_signup",
    "account_signup_invited",
    "answer_state",
    "answers_save",
    "assessment_create",
    "assessment_delete",
    "assessment_derive",
    "assessment_approve",
    "assessment_return",
    "assessment_send_for_review",
    "assessment_update",
    "assessment_upgrade",
    "demo_account_ensure",
    "invitation_accept",
    "invitation_check",
    "invitation_create",
    "invitation_for_user",
    "invitation_is_open",
    "invitation_link",
    "invitation_mail_retrying",
    "invitation_mail_send",
    "invitation_revoke",
    "membership_remove",
    "membership_set_role",
    "organisation_set_distribution",
    "staged_resolve",
    "staged_sweep",
    "uploads_stage",
]
