"""Invitation mail through the database-backed worker, with the mail server down, then up."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import Invitation, Membership, Organisation, Role
from tests.cast import as_user


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_failed_mail_later_and_records_each_outcome(client, settings, django_user_model):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.assessments.test_invitations.DownBackend"
    owner = django_user_model.objects.create_user("wendy", email="wendy@example.org", password="x")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)  # so she may invite
    organisation = Organisation.objects.create(name="Worker Ltd")
    Membership.objects.create(user=owner, organisation=organisation, role=Role.OWNER)

    response = as_user(client, owner).post(reverse("invite"), {"email": "w@example.org", "role": "editor"})
    assert response.status_code == 302
    [queued] = DBTaskResult.objects.all()  # queued at the commit, not run in the request
    assert queued.task_path.endswith("send_invitation_mail")

    _work()  # the first try fails and schedules the next, a minute on: the batch leaves it
    invitation = Invitation.objects.get()
    assert invitation.mail_attempts == 1 and invitation.mail_error.startswith("ConnectionRefusedError")
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.status == "READY" and retry.run_after > timezone.now()
    assert "will be tried again" in client.get(reverse("members")).content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    _work()
    invitation.refresh_from_db()
    assert invitation.mail_sent_at is not None and invitation.mail_error == "" and invitation.mail_attempts == 2
    assert [m.to for m in mail.outbox] == [["w@example.org"]]
