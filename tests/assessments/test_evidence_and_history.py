from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import EvidenceFile
from tests.cast import as_user
from tests.assessments.helpers import form_data, items_in, section_url

THEME = "T05"


def upload(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    data = form_data(
        assessment, THEME, **{code: {"choice": "yes", "files": SimpleUploadedFile("a.txt", b"hello evidence")}}
    )
    as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    return code, EvidenceFile.objects.get()


def test_members_download_evidence(client, cast, assessment):
    _, evidence = upload(client, cast, assessment)
    response = as_user(client, cast.viewer).get(reverse("evidence", args=[evidence.code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello evidence"
    assert response["Content-Disposition"] == 'attachment; filename="a.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_is_404_for_outsiders_and_unknown_ids(client, cast, assessment):
    _, evidence = upload(client, cast, assessment)
    url = reverse("evidence", args=[evidence.code])
    client.logout()
    assert client.get(url).status_code == 302  # anonymous
    client = as_user(client, cast.outsider)
    assert client.get(url).status_code == 404
    assert client.get("/evidence/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert as_user(client, cast.owner).post(url).status_code == 405


def test_history_shows_who_changed_what(client, cast, assessment):
    code, _ = upload(client, cast, assessment)
    data = form_data(assessment, THEME, **{code: {"choice": "partial", "justification": "Only half done."}})
    as_user(client, cast.owner).post(section_url(assessment, THEME), data)

    response = as_user(client, cast.viewer).get(reverse("answer-history", args=[assessment.code, code]))
    assert response.status_code == 200
    revisions = list(response.context["revisions"])
    assert [r.version for r in revisions] == [2, 1]
    assert revisions[0].changed_by == cast.owner and revisions[0].before["choice"] == "yes"
    assert revisions[1].after["files_added"] == ["a.txt"]
    assert "Only half done." in response.content.decode()


def test_history_404s(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    url = reverse("answer-history", args=[assessment.code, code])
    assert as_user(client, cast.owner).get(url).status_code == 404  # nothing saved yet
    upload(client, cast, assessment)
    assert as_user(client, cast.outsider).get(url).status_code == 404
    assert as_user(client, cast.owner).post(url).status_code == 405
