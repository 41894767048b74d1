"""Migration 0008: a submitted assessment becomes approved, its submitter standing as approver,
with the legacy note as attestation, and its snapshot and issued report untouched."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("assessments", "0007_review")]
AFTER = [("assessments", "0008_submitted_to_approved")]


def test_submitted_becomes_approved(django_user_model):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Organisation = apps.get_model("assessments", "Organisation")
    Assessment = apps.get_model("assessments", "Assessment")
    User = apps.get_model("auth", "User")
    from django.utils import timezone

    user = User.objects.create(username="sam")
    organisation = Organisation.objects.create(name="Old Co")
    when = timezone.now()
    submitted = Assessment.objects.create(
        organisation=organisation,
        title="Old",
        scope="S",
        status="submitted",
        submitted_by=user,
        submitted_at=when,
        snapshot={"schema": 3, "answers": {}},
        frozen_item_count=3,
        frozen_answered_count=1,
    )
    draft = Assessment.objects.create(organisation=organisation, title="New", scope="S", status="draft")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Assessment = apps.get_model("assessments", "Assessment")
    approved = Assessment.objects.get(pk=submitted.pk)
    assert approved.status == "approved"
    assert approved.approved_by_id == user.pk and approved.approved_at == when
    assert approved.submitted_by_id == user.pk and approved.snapshot == {"schema": 3, "answers": {}}
    assert "before this app had review and approval" in approved.attestation and "sam" in approved.attestation
    assert Assessment.objects.get(pk=draft.pk).status == "draft"

    # And the rest of the way: the constraints of 0009 accept what 0008 left.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
