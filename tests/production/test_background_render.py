"""The stored report of a submitted assessment is rendered by the database-backed worker."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import IssuedReport, Membership
from assessments.services import assessment_create, assessment_submit
from governance.models import Instrument
from tests.cast import as_user


@pytest.mark.django_db(transaction=True)
def test_worker_renders_the_queued_report(client, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)
    from assessments.models import Organisation, Role

    user = django_user_model.objects.create_user("wendy", password="x")
    org = Organisation.objects.create(name="Worker Ltd")
    membership = Membership.objects.create(user=user, organisation=org, role=Role.OWNER)
    assessment = assessment_create(
        membership=membership,
        title="Queued",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="HL"),
    )
    assessment_submit(assessment=assessment, membership=membership)
    client = as_user(client, user)

    assert client.get(reverse("report-pdf", args=[assessment.code])).status_code == 202
    assert not IssuedReport.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    report = IssuedReport.objects.get(assessment=assessment)
    response = client.get(reverse("report-pdf", args=[assessment.code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == report.file.read()
