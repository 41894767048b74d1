"""Review and sign-off (#16): the reviewer role, four eyes, in review and approved, assignments,
comments, the action plan and the organisation log.

The data migration (0008) and the constraints of the new states (0009) follow in migrations of
their own: on PostgreSQL a table cannot be altered in the transaction that updated its rows.
"""

import uuid

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_report_renders"),
        ("governance", "0004_library_state"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ActionItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("item", models.CharField(max_length=40)),
                ("due", models.DateField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("in_progress", "In progress"),
                            ("done", "Done"),
                            ("accepted_risk", "Accepted risk"),
                        ],
                        default="open",
                        max_length=20,
                    ),
                ),
                ("response", models.TextField(blank=True)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("updated", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["item"],
            },
        ),
        migrations.CreateModel(
            name="Assignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("theme", models.CharField(blank=True, max_length=40)),
                ("item", models.CharField(blank=True, max_length=40)),
                ("due", models.DateField(blank=True, null=True)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("mail_sent_at", models.DateTimeField(blank=True, null=True)),
                ("mail_error", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["due", "created"],
            },
        ),
        migrations.CreateModel(
            name="Comment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("item", models.CharField(max_length=40)),
                ("body", models.TextField()),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["created", "id"],
            },
        ),
        migrations.CreateModel(
            name="OrganisationEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("actor_name", models.CharField(blank=True, max_length=150)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("member_invited", "Member invited"),
                            ("member_joined", "Member joined"),
                            ("invitation_revoked", "Invitation revoked"),
                            ("role_changed", "Role changed"),
                            ("member_removed", "Member removed"),
                            ("sent_for_review", "Sent for review"),
                            ("approved", "Approved"),
                            ("returned", "Returned to draft"),
                            ("report_downloaded", "Report downloaded"),
                            ("exported", "Exported"),
                            ("imported", "Imported"),
                            ("assigned", "Assigned"),
                            ("assessment_deleted", "Draft deleted"),
                        ],
                        max_length=30,
                    ),
                ),
                ("assessment_title", models.CharField(blank=True, max_length=200)),
                ("detail", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="assessment",
            name="assessment_status_valid",
        ),
        migrations.RemoveConstraint(
            model_name="assessment",
            name="assessment_submission_consistent",
        ),
        migrations.RemoveConstraint(
            model_name="invitation",
            name="invitation_role_valid",
        ),
        migrations.RemoveConstraint(
            model_name="membership",
            name="membership_role_valid",
        ),
        migrations.AddField(
            model_name="assessment",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="assessment",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="attestation",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="organisation",
            name="four_eyes",
            field=models.BooleanField(
                default=True,
                help_text="The approver must not be the person who sent it for review.",
                verbose_name="four eyes",
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("in_review", "In review"), ("approved", "Approved")],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="role",
            field=models.CharField(
                choices=[("owner", "Owner"), ("editor", "Editor"), ("reviewer", "Reviewer"), ("viewer", "Viewer")],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[("owner", "Owner"), ("editor", "Editor"), ("reviewer", "Reviewer"), ("viewer", "Viewer")],
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["owner", "editor", "reviewer", "viewer"])),
                name="invitation_role_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["owner", "editor", "reviewer", "viewer"])),
                name="membership_role_valid",
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="assessment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="actions", to="assessments.assessment"
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="created_by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="actionitem",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="actions",
                to="assessments.membership",
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="assessment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="assignments", to="assessments.assessment"
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="assignee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="assignments", to="assessments.membership"
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="created_by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="assessment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="comments", to="assessments.assessment"
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="author",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="resolved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="organisationevent",
            name="actor",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="organisationevent",
            name="assessment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="events",
                to="assessments.assessment",
            ),
        ),
        migrations.AddField(
            model_name="organisationevent",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="events", to="assessments.organisation"
            ),
        ),
        migrations.AddConstraint(
            model_name="actionitem",
            constraint=models.UniqueConstraint(fields=("assessment", "item"), name="action_unique_item"),
        ),
        migrations.AddConstraint(
            model_name="actionitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["open", "in_progress", "done", "accepted_risk"])),
                name="action_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="actionitem",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("response"), 5000
                ),
                name="action_response_max",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["assignee", "due"], name="assignment_assignee_due"),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(models.Q(("theme", ""), _negated=True), ("item", "")),
                    models.Q(("theme", ""), models.Q(("item", ""), _negated=True)),
                    _connector="OR",
                ),
                name="assignment_section_or_item",
            ),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.UniqueConstraint(fields=("assessment", "theme", "item"), name="assignment_unique_target"),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["assessment", "item"], name="comment_assessment_item"),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("body", ""), _negated=True), name="comment_body_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("body"), 5000
                ),
                name="comment_body_max",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("resolved_at__isnull", False), ("resolved_by__isnull", True), _connector="OR"),
                name="comment_resolved_consistent",
            ),
        ),
        migrations.AddIndex(
            model_name="organisationevent",
            index=models.Index(fields=["organisation", "-at"], name="event_organisation_at"),
        ),
        migrations.AddConstraint(
            model_name="organisationevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "member_invited",
                            "member_joined",
                            "invitation_revoked",
                            "role_changed",
                            "member_removed",
                            "sent_for_review",
                            "approved",
                            "returned",
                            "report_downloaded",
                            "exported",
                            "imported",
                            "assigned",
                            "assessment_deleted",
                        ],
                    )
                ),
                name="event_kind_valid",
            ),
        ),
    ]
