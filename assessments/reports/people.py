"""Who the report names: the people who answered, with their names and roles.

Answers keep the username of whoever last saved them (in the record, and so in a snapshot). The
names and roles come from the organisation's memberships, in one query; someone who has since
left the organisation is still listed, by username, as a former member. The same query finds the
members who sent the assessment for review and approved it (``plan.sign_off``).
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext

from assessments.labels import person_name
from assessments.models import Membership, Role


@dataclass(frozen=True)
class Participant:
    name: str  # full name, or the username when none is set
    username: str
    role: str  # in words
    answers: int  # answers they last saved


def members_named(assessment, usernames) -> dict:
    """Username → Membership of the assessment's organisation, with the user (one query)."""
    usernames = {u for u in usernames if u}
    if not usernames:
        return {}
    return {
        m.user.username: m
        for m in Membership.objects.filter(organisation_id=assessment.organisation_id, user__username__in=usernames)
        .select_related("user")
        .only("role", "user__username", "user__first_name", "user__last_name")
    }


def answer_counts(record) -> Counter:
    """Username → the answers they last saved."""
    return Counter(i.answer.updated_by for i in record.items if i.answer is not None and i.answer.updated_by)


def participants(counts: Counter, members: dict) -> list[Participant]:
    """The people who answered, most answers first; ``members`` from ``members_named``."""
    people = []
    for username, answers in counts.items():
        member = members.get(username)
        if member is None:
            people.append(Participant(username, username, gettext("former member"), answers))
            continue
        name = person_name(member.user)
        people.append(Participant(name, username, str(Role(member.role).label), answers))
    people.sort(key=lambda p: (-p.answers, p.name.lower()))
    return people
