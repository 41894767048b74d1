"""Every submitted assessment becomes approved, so that nothing existing changes meaning: it was
final, and approved is the final state now. Its submitter stands as its approver, and the
attestation records that no review took place (docs/review.md)."""

from django.db import migrations

LEGACY_NOTE = (
    "Submitted on {date} by {user}, before this app had review and approval: no reviewer approved it. "
    "Recorded as approved by its submitter when review was introduced."
)


def submitted_to_approved(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    for assessment in Assessment.objects.filter(status="submitted").select_related("submitted_by"):
        user = assessment.submitted_by.username if assessment.submitted_by else "an unknown user"
        assessment.status = "approved"
        assessment.approved_by_id = assessment.submitted_by_id
        assessment.approved_at = assessment.submitted_at
        assessment.attestation = LEGACY_NOTE.format(date=assessment.submitted_at.date().isoformat(), user=user)
        assessment.save(update_fields=["status", "approved_by", "approved_at", "attestation"])
    # Drafts never carry frozen fields; the new constraint says so.
    Assessment.objects.filter(status="draft").update(snapshot=None, frozen_item_count=None, frozen_answered_count=None)


def approved_to_submitted(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Assessment.objects.filter(status="in_review").update(
        status="draft",
        submitted_at=None,
        submitted_by=None,
        snapshot=None,
        frozen_item_count=None,
        frozen_answered_count=None,
    )
    Assessment.objects.filter(status="approved").update(status="submitted")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_review")]

    operations = [migrations.RunPython(submitted_to_approved, approved_to_submitted)]
