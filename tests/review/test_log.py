"""The organisation log keeps its entries. No one edits them (on PostgreSQL a trigger refuses any
UPDATE but the one a deletion makes), and deleting a draft or a person leaves their entries in
the log, with the names written into them."""

import pytest
from django.db import DatabaseError, connection, transaction

from assessments.models import EventKind, OrganisationEvent
from assessments.services import assessment_delete
from assessments.services.log import event_record

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")


@pytest.fixture
def exported(cast, assessment):
    return event_record(
        organisation=cast.organisation, actor=cast.editor, kind=EventKind.EXPORTED, assessment=assessment, detail="csv"
    )


def test_deleting_a_draft_keeps_its_entries_under_its_title(cast, assessment, exported):
    assessment_delete(assessment=assessment, membership=cast.membership(cast.owner))
    event = OrganisationEvent.objects.get(pk=exported.pk)
    assert event.assessment is None and event.assessment_title == "Chatbot 2026"
    assert OrganisationEvent.objects.filter(kind=EventKind.ASSESSMENT_DELETED, assessment_title="Chatbot 2026").exists()


def test_deleting_a_person_keeps_their_entries_under_their_name(cast, exported):
    cast.editor.delete()
    event = OrganisationEvent.objects.get(pk=exported.pk)
    assert event.actor is None and event.actor_name == "eddie"


@postgresql
@pytest.mark.parametrize(
    "change",
    [{"detail": "json"}, {"actor_name": "someone else"}, {"kind": EventKind.APPROVED}, {"assessment_title": "Other"}],
)
def test_postgresql_refuses_to_change_an_entry(exported, change):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        OrganisationEvent.objects.filter(pk=exported.pk).update(**change)
    assert OrganisationEvent.objects.get(pk=exported.pk).detail == "csv"


@postgresql
def test_postgresql_refuses_to_point_an_entry_elsewhere(cast, exported):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        OrganisationEvent.objects.filter(pk=exported.pk).update(actor=cast.owner)
