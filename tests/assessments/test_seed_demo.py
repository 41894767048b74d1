import io

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Membership, Status


def test_seed_demo_is_idempotent(library, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())

    assert "demo         / demo-governance-2026" in out.getvalue()
    assert "demo-reviewer / demo-governance-2026   (reviewer)" in out.getvalue()
    assessments = Assessment.objects.filter(organisation__name="Demo Organisation")
    assert sorted(assessments.values_list("status", flat=True)) == sorted(
        [Status.DRAFT, Status.APPROVED, Status.IN_REVIEW]
    )
    submitted = assessments.get(status=Status.APPROVED)
    assert submitted.approved_by.username == "demo-reviewer" and submitted.submitted_by.username == "demo"
    assert "fair statement of our practice" in submitted.attestation
    in_review = assessments.get(status=Status.IN_REVIEW)
    assert in_review.comments.filter(resolved_at__isnull=True).count() == 2
    draft = assessments.get(status=Status.DRAFT)
    assert draft.assignments.count() == 2 and draft.actions.count() == 3
    choices = {a["choice"] for a in submitted.snapshot["answers"].values()}
    assert choices == {"yes", "partial", "no", "na"}
    assert all(a["justification"] for a in submitted.snapshot["answers"].values())
    assert sorted(Membership.objects.filter(organisation__name="Demo Organisation").values_list("role", flat=True)) == [
        "editor",
        "owner",
        "reviewer",
        "viewer",
    ]


def test_seed_demo_refuses_production(library, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Assessment.objects.exists()
