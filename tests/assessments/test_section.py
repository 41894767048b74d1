"""Answering a section: saves are atomic, conflicts are refused, nothing is lost."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Answer, AnswerRevision, EvidenceFile
from tests.assessments.helpers import answers_of, form_data, items_in, section_url
from tests.cast import as_user
from tests.factories import approve

THEME = "T05"


def test_section_page_shows_items_with_their_principles(client, cast, assessment):
    response = as_user(client, cast.viewer).get(section_url(assessment, THEME))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Can each output of the AI system in production be traced" in body
    assert 'href="/library/principles/SH-6/"' in body
    assert "Guidance and evidence" in body
    # Viewers read: a summary, no form fields and no save buttons.
    assert 'name="ACC-01-choice"' not in body and "Save and next section" not in body
    assert "You can read this assessment" in body

    editor_page = as_user(client, cast.editor).get(section_url(assessment, THEME)).content.decode()
    assert 'name="ACC-01-choice"' in editor_page and "Save and next section" in editor_page


def test_editor_saves_answers(client, cast, assessment):
    first, second = items_in(assessment, THEME)[:2]
    data = form_data(
        assessment,
        THEME,
        **{
            first: {"choice": "yes", "evidence_urls": "https://evidence.example/log\nhttps://evidence.example/b"},
            second: {"choice": "partial", "justification": "Only for the chatbot."},
        },
    )
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)

    assert response.status_code == 302
    assert response["Location"] == section_url(assessment, THEME)
    saved = answers_of(assessment)
    assert saved[first] == ("yes", "", ("https://evidence.example/log", "https://evidence.example/b"), 1)
    assert saved[second] == ("partial", "Only for the chatbot.", (), 1)
    assert len(saved) == 2  # untouched items are not written
    revision = AnswerRevision.objects.get(answer__item__code=second)
    assert revision.changed_by == cast.editor
    assert revision.before["choice"] == "" and revision.after["choice"] == "partial"


def test_save_and_next_goes_to_the_next_section(client, cast, assessment):
    data = form_data(assessment, "T04", **{items_in(assessment, "T04")[0]: {"choice": "no"}})
    data["save_next"] = "1"
    response = as_user(client, cast.editor).post(section_url(assessment, "T04"), data)
    assert response["Location"] == section_url(assessment, "T05")


def test_an_error_anywhere_saves_nothing_and_keeps_what_was_typed(client, cast, assessment):
    first, second = items_in(assessment, THEME)[:2]
    data = form_data(
        assessment,
        THEME,
        **{
            first: {"choice": "yes", "justification": "Typed with care."},
            second: {"choice": "na"},
        },  # no justification: invalid
    )
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)

    assert response.status_code == 400
    assert answers_of(assessment) == {}
    body = response.content.decode()
    assert "Typed with care." in body
    assert "a justification is required for Partially and Not applicable" in body
    assert "Nothing was saved" in body


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("justification", "x" * 5001, "may be at most 5,000 characters; this one has 5,001"),
        ("evidence_urls", "javascript:alert(1)", "Not an http(s) URL"),
        ("evidence_urls", "file:///etc/passwd", "Not an http(s) URL"),
        ("choice", "maybe", "Select a valid choice"),
        ("version", "-1", "This form is damaged or out of date"),
        ("version", "abc", "This form is damaged or out of date"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(client, cast, assessment, field, value, message):
    code = items_in(assessment, THEME)[0]
    data = form_data(assessment, THEME, **{code: {"choice": "yes", field: value}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert answers_of(assessment) == {}


def test_missing_fields_are_an_error_not_a_crash(client, cast, assessment):
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), {"junk": "1"})
    assert response.status_code == 400
    assert answers_of(assessment) == {}


def test_second_save_of_the_same_item_is_refused_and_both_values_shown(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    url = section_url(assessment, THEME)
    stale = form_data(assessment, THEME)  # both people opened the page at version 0

    mine = dict(stale, **{f"{code}-choice": "yes", f"{code}-justification": "Editor's view."})
    assert as_user(client, cast.editor).post(url, mine).status_code == 302

    theirs = dict(stale, **{f"{code}-choice": "no", f"{code}-justification": "Owner's view."})
    response = as_user(client, cast.owner).post(url, theirs)

    assert response.status_code == 409
    assert answers_of(assessment)[code] == ("yes", "Editor's view.", (), 1)
    body = response.content.decode()
    # Escaped, whichever entity the escaping chooses for the apostrophe.
    assert "Editor's view." not in body and "Owner's view." not in body
    assert "Saved by eddie" in body and "Editor's view." in html.unescape(body)  # the saved value
    assert "Owner's view." in html.unescape(body)  # the refused value, kept in the form
    # The refused form now carries the saved version: saving again is a deliberate overwrite.
    assert f'name="{code}-version" value="1"' in body
    again = dict(theirs, **{f"{code}-version": "1"})
    assert as_user(client, cast.owner).post(url, again).status_code == 302
    assert answers_of(assessment)[code] == ("no", "Owner's view.", (), 2)


def test_a_conflict_on_one_item_saves_nothing_from_that_post(client, cast, assessment):
    first, second = items_in(assessment, THEME)[:2]
    url = section_url(assessment, THEME)
    stale = form_data(assessment, THEME)
    as_user(client, cast.editor).post(url, dict(stale, **{f"{first}-choice": "yes"}))

    response = as_user(client, cast.owner).post(
        url, dict(stale, **{f"{first}-choice": "no", f"{second}-choice": "yes"})
    )
    assert response.status_code == 409
    assert second not in answers_of(assessment)


def test_a_stale_form_does_not_undo_others_work_on_items_it_did_not_touch(client, cast, assessment):
    first, second = items_in(assessment, THEME)[:2]
    url = section_url(assessment, THEME)
    stale = form_data(assessment, THEME)
    as_user(client, cast.editor).post(url, dict(stale, **{f"{first}-choice": "yes"}))

    response = as_user(client, cast.owner).post(url, dict(stale, **{f"{second}-choice": "no"}))

    assert response.status_code == 302
    saved = answers_of(assessment)
    assert saved[first][0] == "yes"  # not reset to blank by the owner's stale form
    assert saved[second][0] == "no"


def test_uploads_are_checked_by_content_and_stored_outside_static(client, cast, assessment, settings):
    code = items_in(assessment, THEME)[0]
    pdf = SimpleUploadedFile("policy.pdf", b"%PDF-1.7\n%test\n", content_type="application/pdf")
    data = form_data(assessment, THEME, **{code: {"choice": "yes", "files": pdf}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)

    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.original_name == "policy.pdf"
    assert evidence.content_type == "application/pdf"
    path = evidence.file.path
    assert path.startswith(str(settings.MEDIA_ROOT)) and not path.startswith(str(settings.STATIC_ROOT))
    assert "policy" not in path  # stored under a random name


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("report.pdf", b"MZ\x90\x00 not a pdf", "the content is not a PDF file"),
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg bytes", "the content is not a PNG file"),
        ("script.exe", b"MZ\x90\x00", "only CSV, DOCX, JPG, PDF, PNG, TXT, XLSX files are accepted"),
        ("notes.txt", b"text\x00with a nul", "the content is not a TXT file"),
        ("sheet.xlsx", b"PK\x03\x04 not really a zip", "the content is not a XLSX file"),
    ],
)
def test_uploads_that_are_not_what_they_claim_are_refused(client, cast, assessment, name, content, message):
    code = items_in(assessment, THEME)[0]
    data = form_data(assessment, THEME, **{code: {"choice": "yes", "files": SimpleUploadedFile(name, content)}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EvidenceFile.objects.exists() and not Answer.objects.exists()


def test_uploads_over_10_mb_are_refused(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    big = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    data = form_data(assessment, THEME, **{code: {"choice": "yes", "files": big}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 400
    assert "files may be at most 10 MB" in response.content.decode()


def test_viewer_cannot_save(client, cast, assessment):
    data = form_data(assessment, THEME, **{items_in(assessment, THEME)[0]: {"choice": "yes"}})
    response = as_user(client, cast.viewer).post(section_url(assessment, THEME), data)
    assert response.status_code == 403
    assert answers_of(assessment) == {}


def test_submitted_assessment_is_read_only(client, cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    url = section_url(assessment, THEME)
    page = as_user(client, cast.owner).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "answers are read-only" in body
    assert 'name="ACC-01-choice"' not in body and 'enctype="multipart/form-data"' not in body

    data = form_data(assessment, THEME, **{items_in(assessment, THEME)[0]: {"choice": "yes"}})
    refused = client.post(url, data)
    assert refused.status_code == 409  # the right role, but the assessment's state refuses it
    assert "submitted and read-only" in refused.content.decode()
    assert answers_of(assessment) == {}


def test_outsider_gets_404(client, cast, assessment):
    client = as_user(client, cast.outsider)
    assert client.get(section_url(assessment, THEME)).status_code == 404
    data = form_data(assessment, THEME, **{items_in(assessment, THEME)[0]: {"choice": "yes"}})
    assert client.post(section_url(assessment, THEME), data).status_code == 404
    assert answers_of(assessment) == {}


def test_anonymous_is_sent_to_sign_in(client, assessment):
    response = client.get(section_url(assessment, THEME))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_unknown_section_and_wrong_method(client, cast, assessment):
    client = as_user(client, cast.editor)
    assert client.get(section_url(assessment, "T99")).status_code == 404
    assert client.put(section_url(assessment, THEME)).status_code == 405
    assert client.get(f"/assessments/not-a-uuid/sections/{THEME}/").status_code == 404
