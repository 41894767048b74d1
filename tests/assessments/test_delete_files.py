"""Deleting a draft deletes its stored evidence files, after the commit, except files that another
assessment's rows still name (reopen and copy share them)."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from assessments.models import Assessment, EvidenceFile
from assessments.services import assessment_delete, assessment_derive
from tests.cast import as_user
from tests.factories import approve, seed_answers


def _with_file(assessment, membership, name="policy.txt"):
    upload = SimpleUploadedFile(name, b"evidence bytes", content_type="text/plain")
    seed_answers(assessment, membership, themes=["T05"], limit=1, files=lambda n, item: [upload])
    return EvidenceFile.objects.get(answer__assessment=assessment).file.name


def _stored(name):
    return (Path(settings.MEDIA_ROOT) / name).exists()


def test_deleting_a_draft_deletes_its_files_after_the_commit(
    client, cast, assessment, django_capture_on_commit_callbacks
):
    name = _with_file(assessment, cast.membership(cast.owner))
    assert _stored(name)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_user(client, cast.owner).post(
            reverse("assessment-delete", args=[assessment.code]), {"confirm": "yes"}
        )
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert not _stored(name)


def test_a_file_a_submitted_assessment_shares_survives(cast, assessment, django_capture_on_commit_callbacks):
    owner = cast.membership(cast.owner)
    name = _with_file(assessment, owner)
    submitted = approve(assessment=assessment, membership=owner)
    draft = assessment_derive(assessment=submitted, membership=owner, title="Reopened")
    assert EvidenceFile.objects.get(answer__assessment=draft).file.name == name  # shared, not copied

    with django_capture_on_commit_callbacks(execute=True):
        assessment_delete(assessment=draft, membership=owner)

    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert _stored(name)
    kept = EvidenceFile.objects.get(answer__assessment=submitted)
    assert kept.file.open("rb").read() == b"evidence bytes"


def test_a_rolled_back_delete_keeps_the_files(cast, assessment, django_capture_on_commit_callbacks):
    owner = cast.membership(cast.owner)
    name = _with_file(assessment, owner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            assessment_delete(assessment=assessment, membership=owner)
            raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert _stored(name) and Assessment.objects.filter(pk=assessment.pk).exists()


def test_storage_that_fails_to_delete_is_logged_not_a_500(
    client, cast, assessment, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    name = _with_file(assessment, cast.membership(cast.owner))

    def broken(name):
        raise OSError("storage unreachable")

    monkeypatch.setattr(default_storage, "delete", broken)
    with caplog.at_level(logging.ERROR, logger="assessments.services.storage"):
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(client, cast.owner).post(
                reverse("assessment-delete", args=[assessment.code]), {"confirm": "yes"}
            )
    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert f"Could not delete the stored evidence file {name}" in caplog.text
