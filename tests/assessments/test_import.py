"""Answers that travel: export → import → identical answers; bad files create nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, Membership, Role
from assessments.services import AnswerInput, answers_save
from governance.models import ChecklistItem
from tests.assessments.helpers import section_of
from tests.cast import as_user


def answered(assessment, membership):
    entries = [e for t in ("T04", "T05", "T07") for e in section_of(assessment, t).items]
    choices = ["yes", "partial", "no", "na"]
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(
                e.item.id,
                e.item.code,
                choices[n % 4],
                f"Reason {n}" if n % 4 else "",
                [f"https://evidence.example/{n}"] if n % 2 else [],
                0,
            )
            for n, e in enumerate(entries)
        ],
    )
    return assessment


def export_of(client, assessment):
    return client.get(reverse("export-json", args=[assessment.code])).content


def upload(client, raw, organisation, title="Next year", scope="Chatbot v2"):
    return client.post(
        reverse("import"),
        {
            "file": SimpleUploadedFile("export.json", raw, content_type="application/json"),
            "organisation": str(organisation.code),
            "title": title,
            "scope": scope,
        },
    )


def answers_by_code(assessment):
    return {
        a.item.code: (a.choice, a.justification, list(a.evidence_urls))
        for a in assessment.answers.select_related("item")
    }


def test_export_import_round_trip_gives_identical_answers(client, cast, assessment):
    answered(assessment, cast.membership(cast.owner))
    client = as_user(client, cast.editor)
    preview = upload(client, export_of(client, assessment), cast.organisation)
    assert preview.status_code == 200
    assert "Will be filled (" in preview.content.decode()
    assert Assessment.objects.count() == 1  # a preview writes nothing

    response = client.post(reverse("import-confirm"), {"token": preview.context["token"]})
    new = Assessment.objects.exclude(pk=assessment.pk).get()
    assert response["Location"] == reverse("assessment", args=[new.code])
    assert new.title == "Next year" and new.organisation == cast.organisation
    assert set(new.instruments.values_list("code", flat=True)) == {"SH", "CF", "GA", "HL", "IC"}
    assert answers_by_code(new) == answers_by_code(assessment)
    # The token is single-use.
    client.post(reverse("import-confirm"), {"token": preview.context["token"]})
    assert Assessment.objects.count() == 2


def test_import_into_another_organisation_the_user_belongs_to(client, cast, assessment):
    answered(assessment, cast.membership(cast.owner))
    Membership.objects.create(user=cast.owner, organisation=cast.other_organisation, role=Role.EDITOR)
    client = as_user(client, cast.owner)
    preview = upload(client, export_of(client, assessment), cast.other_organisation)
    client.post(reverse("import-confirm"), {"token": preview.context["token"]})
    new = Assessment.objects.get(organisation=cast.other_organisation)
    assert answers_by_code(new) == answers_by_code(assessment)


def test_answers_to_retired_items_are_listed_and_skipped(client, cast, assessment):
    answered(assessment, cast.membership(cast.owner))
    client = as_user(client, cast.owner)
    raw = export_of(client, assessment)
    retired = section_of(assessment, "T05").items[0].item.code
    ChecklistItem.objects.filter(code=retired).update(active=False)
    preview = upload(client, raw, cast.organisation)
    assert (retired, "retired from the library") in preview.context["plan"].skipped
    client.post(reverse("import-confirm"), {"token": preview.context["token"]})
    new = Assessment.objects.exclude(pk=assessment.pk).get()
    assert retired not in answers_by_code(new)


def valid_export(client, cast, assessment):
    return json.loads(export_of(as_user(client, cast.owner), answered(assessment, cast.membership(cast.owner))))


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda d: b"{not json", "not valid JSON"),
        (lambda d: b"\xff\xfe\x00binary", "not valid JSON"),
        (
            lambda d: json.dumps({"schema": "someone-else", "items": []}).encode(),
            "not an assessment export from this app",
        ),
        (lambda d: json.dumps({**d, "schema_version": 99}).encode(), "schema version 99 is not supported"),
        (lambda d: json.dumps([1, 2]).encode(), "not an assessment export"),
        (lambda d: json.dumps({**d, "items": "lots"}).encode(), "missing its assessment, instruments or items"),
        (
            lambda d: json.dumps({**d, "items": d["items"] + [{"code": "ACC-01", "answer": "yes"}]}).encode(),
            "appears twice",
        ),
        (
            lambda d: json.dumps({**d, "items": [{"code": "ACC-01", "answer": "maybe"}]}).encode(),
            "is not yes, partial, no, na",
        ),
        (
            lambda d: json.dumps(
                {**d, "items": [{"code": "ACC-01", "answer": "partial", "justification": ""}]}
            ).encode(),
            "need a justification",
        ),
        (
            lambda d: json.dumps(
                {**d, "items": [{"code": "ACC-01", "answer": "yes", "evidence_urls": ["file:///etc/passwd"]}]}
            ).encode(),
            "is not an http(s) URL",
        ),
        (lambda d: json.dumps({**d, "items": [{"answer": "yes"}]}).encode(), "has no code"),
        (lambda d: b" " * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    ],
    ids=[
        "invalid-json",
        "binary",
        "foreign-schema",
        "version",
        "not-an-object",
        "items-not-list",
        "duplicate-item",
        "bad-answer",
        "missing-justification",
        "bad-url",
        "no-code",
        "oversized",
    ],
)
def test_bad_files_get_a_clear_error_and_create_nothing(client, cast, assessment, mutate, message):
    raw = mutate(valid_export(client, cast, assessment))
    response = upload(as_user(client, cast.owner), raw, cast.organisation)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Assessment.objects.count() == 1
    assert not client.session.get("imports")


def test_viewers_outsiders_and_anonymous(client, cast, assessment):
    raw = json.dumps(valid_export(client, cast, assessment)).encode()
    client.logout()
    assert client.get(reverse("import")).status_code == 302
    assert as_user(client, cast.viewer).get(reverse("import")).status_code == 403
    # An outsider cannot pick Acme as the target organisation.
    response = upload(as_user(client, cast.outsider), raw, cast.organisation)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Assessment.objects.count() == 1


def test_confirm_needs_a_live_token_and_post(client, cast):
    client = as_user(client, cast.owner)
    assert client.get(reverse("import-confirm")).status_code == 405
    response = client.post(reverse("import-confirm"), {"token": "forged"}, follow=True)
    assert "has expired or was already used" in response.content.decode()
    assert not Assessment.objects.exists()
