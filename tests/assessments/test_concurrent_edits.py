"""Two people save the same answer at the same moment: one wins, the other is told, and
nothing is overwritten silently. Real threads, real transactions."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from assessments.models import Answer, AnswerRevision, Membership, Organisation, Role
from assessments.services import AnswerInput, answers_save, assessment_create
from governance.models import Instrument


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_item(django_user_model):
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)
    org = Organisation.objects.create(name="Race Ltd")
    people = []
    for name in ("ann", "bob"):
        user = django_user_model.objects.create_user(name)
        people.append(Membership.objects.create(user=user, organisation=org, role=Role.EDITOR))
    assessment = assessment_create(
        membership=people[0],
        title="Race",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="SH"),
    )
    item = Instrument.objects.get(code="SH").principles.get(code="SH-6").items.first()

    start, results, errors = threading.Barrier(2), {}, []

    def save(membership, choice):
        try:
            start.wait()
            results[membership.user.username] = answers_save(
                assessment=assessment,
                membership=membership,
                inputs=[AnswerInput(item.id, item.code, choice, f"{membership.user.username} says {choice}", [], 0)],
            )
        except Exception as exc:  # noqa: BLE001 - reported below, so the test shows it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(m, c)) for m, c in zip(people, ("yes", "no"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert errors == []
    saved = [name for name, r in results.items() if r.saved]
    refused = [name for name, r in results.items() if r.conflicts]
    assert len(saved) == 1 and len(refused) == 1
    answer = Answer.objects.get(assessment=assessment, item=item)
    assert answer.justification.startswith(saved[0])
    assert answer.version == 1
    assert AnswerRevision.objects.filter(answer=answer).count() == 1
    conflict = results[refused[0]].conflicts[0]
    assert conflict.theirs["justification"] == answer.justification
