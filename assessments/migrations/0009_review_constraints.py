"""The constraints of the review's states, and on PostgreSQL the log's append-only trigger."""

from django.db import migrations, models

# PostgreSQL: no one edits the log, not even with SQL through the app's own connection. Cheap,
# so done; SQLite (development) relies on the app and the admin having no path that updates.
TRIGGER = """
CREATE OR REPLACE FUNCTION assessments_event_append_only() RETURNS trigger AS $$
BEGIN
    -- The one change allowed: a deleted user's or draft's key set to NULL (on_delete=SET_NULL),
    -- since the entry keeps their names as text. Anything else is refused.
    IF (NEW.id, NEW.code, NEW.organisation_id, NEW.at, NEW.actor_name, NEW.kind, NEW.assessment_title, NEW.detail)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.code, OLD.organisation_id, OLD.at, OLD.actor_name, OLD.kind, OLD.assessment_title, OLD.detail)
        AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
        AND (NEW.assessment_id IS NULL OR NEW.assessment_id = OLD.assessment_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The organisation log is append-only: its entries cannot be changed.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assessments_event_no_update BEFORE UPDATE ON assessments_organisationevent
    FOR EACH ROW EXECUTE FUNCTION assessments_event_append_only();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS assessments_event_no_update ON assessments_organisationevent;
DROP FUNCTION IF EXISTS assessments_event_append_only();
"""


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0008_submitted_to_approved")]

    operations = [
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "in_review", "approved"])), name="assessment_status_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("approved_at__isnull", True),
                        ("approved_by__isnull", True),
                        ("attestation", ""),
                        ("frozen_answered_count__isnull", True),
                        ("frozen_item_count__isnull", True),
                        ("snapshot__isnull", True),
                        ("status", "draft"),
                        ("submitted_at__isnull", True),
                    ),
                    models.Q(
                        ("approved_at__isnull", True),
                        ("approved_by__isnull", True),
                        ("attestation", ""),
                        ("frozen_answered_count__isnull", False),
                        ("frozen_item_count__isnull", False),
                        ("snapshot__isnull", False),
                        ("status", "in_review"),
                        ("submitted_at__isnull", False),
                    ),
                    models.Q(
                        ("approved_at__isnull", False),
                        ("frozen_answered_count__isnull", False),
                        ("frozen_item_count__isnull", False),
                        ("snapshot__isnull", False),
                        ("status", "approved"),
                        ("submitted_at__isnull", False),
                        models.Q(("attestation", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="assessment_state_consistent",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("approved_at__isnull", True), ("approved_at__gte", models.F("submitted_at")), _connector="OR"
                ),
                name="assessment_approved_after_sent",
            ),
        ),
        migrations.RunPython(trigger_create, trigger_drop),
    ]
