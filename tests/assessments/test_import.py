"""Answers that travel: export → import → identical answers; bad files create nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, Membership, Role
from governance.models import ChecklistItem
from tests.cast import as_user
from tests.factories import checklist, seed_answers


def answered(assessment, membership):
    choices = ["yes", "partial", "no", "na"]
    seed_answers(
        assessment,
        membership,
        themes=["T04", "T05", "T07"],
        answer=lambda n, item: (
            choices[n % 4],
            f"Reason {n}" if n % 4 else "",
            [f"https://evidence.example/{n}"] if n % 2 else [],
        ),
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
    retired = checklist(assessment, themes=["T05"])[0].code
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
        (lambda d: json.dumps({**d, "items": [{"code": "ACC-01", "answer": "maybe"}]}).encode(), "Not a valid answer"),
        (
            lambda d: json.dumps(
                {**d, "items": [{"code": "ACC-01", "answer": "partial", "justification": ""}]}
            ).encode(),
            "a justification is required for Partially and Not applicable",
        ),
        (
            lambda d: json.dumps(
                {**d, "items": [{"code": "ACC-01", "answer": "yes", "evidence_urls": ["file:///etc/passwd"]}]}
            ).encode(),
            "Not an http(s) URL: file:///etc/passwd",
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


def _big_export(items, instruments):
    return json.dumps(
        {
            "schema": "aigov.assessment-export",
            "schema_version": 2,
            "assessment": {"title": "Big"},
            "instruments": [{"code": c} for c in instruments],
            "items": items,
        }
    ).encode()


@pytest.mark.parametrize("shape", ["many skipped", "long instrument codes", "many filled"])
def test_the_preview_of_a_2_mb_import_stays_small(client, cast, assessment, shape):
    """The defect: a 2 MB import rendered a 7 MB preview, listing every answer. The preview
    shows the first answers of each list with a count of the rest, and cuts long texts."""
    codes = [i.code for i in checklist(assessment)]
    if shape == "many skipped":
        raw = _big_export([{"code": f"ZZ{n:06d}", "answer": "yes"} for n in range(60_000)], ["SH"])
    elif shape == "long instrument codes":
        raw = _big_export([], ["SH", *(f"X{n}-" + "y" * 20_000 for n in range(100))])
    else:
        reason = "r" * 5_000  # the longest justification the rules allow
        raw = _big_export(
            [{"code": c, "answer": "partial", "justification": reason} for c in codes], ["SH", "CF", "GA", "HL", "IC"]
        )
        raw += b" " * (2_000_000 - len(raw))  # padded to 2 MB
    assert len(raw) > 1_900_000
    response = upload(as_user(client, cast.editor), raw, cast.organisation)
    assert response.status_code == 200
    body = response.content.decode()
    assert len(body) < 100_000, f"{len(body):,} bytes of preview for {len(raw):,} bytes of import"
    plan = response.context["plan"]
    if shape == "many skipped":
        assert (
            "and 59950 more skipped items." in body and len(plan.skipped) == 60_000
        )  # all are still imported as planned
    elif shape == "long instrument codes":
        assert "and 90 more" in body
    else:
        assert len(plan.fill) == len(codes) and "r" * 100 not in body
