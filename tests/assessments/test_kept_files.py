"""Files chosen with a save that is refused (an error, a conflict) are kept for the next try,
as signed staged uploads, so nobody has to choose them again; and they are cleaned up."""

import os
import re
import time
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from assessments.models import AnswerRevision, EvidenceFile
from assessments.services import (
    AnswerInput,
    answers_save,
    staged_resolve,
    staged_sweep,
    uploads_stage,
)
from assessments.services.staging import STAGED_MAX_AGE
from governance.models import ChecklistItem
from tests.assessments.helpers import answers_of, form_data, items_in, section_url
from tests.cast import as_user

THEME = "T05"


def pdf(name="policy.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n%kept\n", content_type="application/pdf")


def kept_tokens(body, code):
    return re.findall(rf'name="{code}-staged" value="([^"]+)"', body)


def refused_with_a_file(client, cast, assessment):
    """Post a good file on the first item and an error on the second: a 400 that keeps the file."""
    first, second = items_in(assessment, THEME)[:2]
    data = form_data(assessment, THEME, **{first: {"choice": "yes", "files": pdf()}, second: {"choice": "na"}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 400
    return first, second, response.content.decode()


def test_a_refused_save_keeps_its_files_and_the_next_save_adds_them(
    client, cast, assessment, django_capture_on_commit_callbacks
):
    first, second, body = refused_with_a_file(client, cast, assessment)
    assert not EvidenceFile.objects.exists()
    assert "The files you chose are kept below" in body
    assert "Add policy.pdf" in body and "it is kept for you" in body
    [token] = kept_tokens(body, first)
    staged = [n for n in _stored() if n.startswith("staged/")]
    assert len(staged) == 1

    data = form_data(assessment, THEME, **{first: {"choice": "yes", "staged": token}, second: {"choice": "no"}})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(section_url(assessment, THEME), data)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.original_name, evidence.size, evidence.content_type) == ("policy.pdf", 15, "application/pdf")
    assert evidence.answer.item.code == first and evidence.file.name.startswith("evidence/")
    assert evidence.file.read() == b"%PDF-1.7\n%kept\n"
    assert not [n for n in _stored() if n.startswith("staged/")]  # the staged copy is gone
    assert AnswerRevision.objects.get(answer=evidence.answer).after["files_added"] == ["policy.pdf"]
    # The token is spent.
    again = form_data(assessment, THEME, **{first: {"staged": token}})
    response = client.post(section_url(assessment, THEME), again)
    assert response.status_code == 400 and "choose the file again" in response.content.decode()


def test_a_conflict_keeps_the_files_too(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    url = section_url(assessment, THEME)
    stale = form_data(assessment, THEME)
    as_user(client, cast.owner).post(url, dict(stale, **{f"{code}-choice": "no"}))

    response = as_user(client, cast.editor).post(url, dict(stale, **{f"{code}-choice": "yes", f"{code}-files": pdf()}))
    assert response.status_code == 409
    body = response.content.decode()
    [token] = kept_tokens(body, code)
    assert f'name="{code}-version" value="1"' in body
    data = form_data(assessment, THEME, **{code: {"choice": "yes", "staged": token}})
    assert client.post(url, data).status_code == 302
    assert answers_of(assessment)[code][0] == "yes" and EvidenceFile.objects.get().original_name == "policy.pdf"


def test_a_kept_file_left_unticked_is_not_added(client, cast, assessment):
    first, second, _ = refused_with_a_file(client, cast, assessment)
    data = form_data(assessment, THEME, **{first: {"choice": "yes"}, second: {"choice": "no"}})
    assert client.post(section_url(assessment, THEME), data).status_code == 302
    assert not EvidenceFile.objects.exists()


def test_a_rejected_file_is_not_kept_and_its_error_names_it(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    data = form_data(
        assessment, THEME, **{code: {"choice": "yes", "files": [SimpleUploadedFile("run.exe", b"MZ"), pdf()]}}
    )
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "run.exe: only CSV, DOCX" in body
    assert "Add policy.pdf" in body and "Add run.exe" not in body


def test_a_token_works_only_for_its_person_item_and_assessment(client, cast, assessment):
    first, second, body = refused_with_a_file(client, cast, assessment)
    [token] = kept_tokens(body, first)
    url = section_url(assessment, THEME)
    refused = "A file kept from your last attempt is no longer available"
    for user, item in ((cast.owner, first), (cast.editor, second)):
        data = form_data(assessment, THEME, **{item: {"choice": "yes", "staged": token}})
        response = as_user(client, user).post(url, data)
        assert response.status_code == 400 and refused in response.content.decode()
    for forged in (token[:-2] + "xx", "junk", "x" * 3000):
        data = form_data(assessment, THEME, **{first: {"choice": "yes", "staged": forged}})
        response = as_user(client, cast.editor).post(url, data)
        assert response.status_code == 400 and refused in response.content.decode()
    assert not EvidenceFile.objects.exists()
    # The service checks the token itself too.
    item = ChecklistItem.objects.get(code=second)
    with pytest.raises(ValidationError, match="no longer available"):
        answers_save(
            assessment=assessment,
            membership=cast.membership(cast.editor),
            inputs=[AnswerInput(item.id, second, "yes", "", [], 0, staged=[token])],
        )


def test_expired_tokens_are_refused_and_old_staged_files_swept(cast, assessment, settings):
    membership = cast.membership(cast.editor)
    [kept] = uploads_stage(assessment=assessment, membership=membership, item_code="ACC-01", uploads=[pdf()])
    [fresh] = uploads_stage(assessment=assessment, membership=membership, item_code="ACC-01", uploads=[pdf()])
    old = time.time() - STAGED_MAX_AGE.total_seconds() - 60
    os.utime(default_storage.path(kept.name), (old, old))

    assert staged_sweep() == 1
    assert not default_storage.exists(kept.name) and default_storage.exists(fresh.name)
    with pytest.raises(ValidationError, match="expired; choose the file again"):
        staged_resolve(token=kept.token, assessment=assessment, membership=membership, item_code="ACC-01")
    # An expired signature is refused even while its file is still there.
    later = time.time() + STAGED_MAX_AGE.total_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        with pytest.raises(ValidationError, match="no longer available"):
            staged_resolve(token=fresh.token, assessment=assessment, membership=membership, item_code="ACC-01")
    assert staged_resolve(token=fresh.token, assessment=assessment, membership=membership, item_code="ACC-01")
    os.utime(default_storage.path(fresh.name), (old, old))
    call_command("clean_staged_uploads", stdout=open(os.devnull, "w"))
    assert not default_storage.exists(fresh.name)


def test_staging_needs_an_editor_and_a_draft(cast, assessment):
    with pytest.raises(PermissionDenied):
        uploads_stage(
            assessment=assessment, membership=cast.membership(cast.viewer), item_code="ACC-01", uploads=[pdf()]
        )
    assert not [n for n in _stored() if n.startswith("staged/")]


def _stored():
    names = []

    def walk(folder):
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        names.extend(f"{folder}/{f}".lstrip("/") for f in files)
        for sub in folders:
            walk(f"{folder}/{sub}".lstrip("/"))

    walk("")
    return names
