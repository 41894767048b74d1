"""The stored report of a submitted assessment is rendered by the database-backed worker."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import IssuedReport, Membership
from assessments.services import assessment_create
from governance.models import Instrument
from tests.cast import as_user
from tests.factories import approve


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
    approve(assessment=assessment, membership=membership)
    client = as_user(client, user)

    assert client.get(reverse("report-pdf", args=[assessment.code])).status_code == 202
    assert not IssuedReport.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    report = IssuedReport.objects.get(assessment=assessment)
    response = client.get(reverse("report-pdf", args=[assessment.code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == report.file.read()


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_downloads_queue_one_task_and_get_identical_bytes(settings, tmp_path, django_user_model):
    """Ten people ask for a draft's report at once: one render is recorded and queued, all are
    told it is being prepared, and once the worker ran all get the same file."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from assessments.models import DraftReport, Organisation, ReportRender, Role

    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if not Instrument.objects.exists():
        call_command("load_library", verbosity=0)
    org = Organisation.objects.create(name="Crowd Ltd")
    users = [django_user_model.objects.create_user(f"crowd{n}", password="x") for n in range(10)]
    memberships = [Membership.objects.create(user=u, organisation=org, role=Role.EDITOR) for u in users]
    assessment = assessment_create(
        membership=memberships[0],
        title="Wanted by all",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code__in=["HL", "GA"]),
    )
    url = reverse("report-pdf", args=[assessment.code])
    clients = [as_user(Client(), u) for u in users]

    def get(client):
        try:
            response = client.get(url)
            return response.status_code, b"".join(response.streaming_content) if response.streaming else b""
        finally:
            connection.close()  # this thread's connection

    with ThreadPoolExecutor(len(clients)) as pool:
        first = list(pool.map(get, clients))
    assert [status for status, _ in first] == [202] * len(clients)
    assert ReportRender.objects.count() == 1 and DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    with ThreadPoolExecutor(len(clients)) as pool:
        second = list(pool.map(get, clients))
    assert {status for status, _ in second} == {200}
    assert len({pdf for _, pdf in second}) == 1
    assert second[0][1] == DraftReport.objects.get(assessment=assessment).file.read()
