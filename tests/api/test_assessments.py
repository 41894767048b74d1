"""Assessments through the API: list, create, read, results, export, report, actions.

Each endpoint: it works, anonymous gets 401, an outsider 404, a wrong role 403, bad input 400
with nothing changed."""

import json
import uuid

import pytest

from assessments.models import Assessment, Status
from assessments.selectors import assessment_record
from tests.api.helpers import api, make_token, url
from tests.factories import approve, reviewer_of
from tests.security.test_isolation_sweep import state_of

READS = ["assessment", "results", "export"]


def test_organisations_lists_the_callers_memberships(client, cast, tokens):
    body = api(client, "GET", url("organisations"), token=tokens["owner"]).json()
    assert body == [{"id": str(cast.organisation.code), "name": "Acme Robotics", "role": "owner"}]


def test_list_assessments(client, cast, assessment, tokens):
    response = api(
        client, "GET", url("organisation-assessments", organisation=cast.organisation.code), token=tokens["viewer"]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None
    [row] = body["results"]
    assert row["id"] == str(assessment.code) and row["status"] == "draft"
    assert row["instruments"] == ["SH", "CF", "GA", "HL", "IC"] and row["progress"]["answered"] == 0


def test_list_is_paginated(client, cast, assessment, tokens):
    for n in range(3):
        api(
            client,
            "POST",
            url("organisation-assessments", organisation=cast.organisation.code),
            {"title": f"T{n}", "scope": "S", "instruments": ["SH"]},
            token=tokens["owner"],
        )
    target = url("organisation-assessments", organisation=cast.organisation.code) + "?page_size=2"
    first = api(client, "GET", target, token=tokens["owner"]).json()
    assert first["count"] == 4 and len(first["results"]) == 2 and first["next"]
    second = api(client, "GET", first["next"], token=tokens["owner"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_another_organisations_list_is_404(client, cast, tokens):
    target = url("organisation-assessments", organisation=cast.organisation.code)
    assert api(client, "GET", target, token=tokens["outsider"]).status_code == 404
    assert (
        api(
            client, "GET", url("organisation-assessments", organisation=uuid.uuid4()), token=tokens["owner"]
        ).status_code
        == 404
    )


def test_create(client, cast, tokens):
    target = url("organisation-assessments", organisation=cast.organisation.code)
    response = api(
        client,
        "POST",
        target,
        {"title": " New ", "scope": "Chatbot", "instruments": ["SH", "HL"]},
        token=tokens["editor"],
    )
    assert response.status_code == 201
    created = Assessment.objects.get(code=response.json()["id"])
    assert (created.title, created.organisation, created.created_by) == ("New", cast.organisation, cast.editor)
    assert sorted(created.instruments.values_list("code", flat=True)) == ["HL", "SH"]
    assert response.json()["actions"] == [
        {"name": "send_for_review", "description": response.json()["actions"][0]["description"], "allowed": True}
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "", "scope": "S", "instruments": ["SH"]}, "title"),
        ({"title": "T", "scope": "S", "instruments": []}, "instruments"),
        ({"title": "T", "scope": "S", "instruments": ["XX"]}, "instruments"),
        ({"title": "T", "scope": "S"}, "instruments"),
        ({"title": "T" * 201, "scope": "S", "instruments": ["SH"]}, "title"),
        ({"title": "a\x00b", "scope": "S", "instruments": ["SH"]}, "title"),
        ({"title": ["T"], "scope": "S", "instruments": "SH"}, "instruments"),
    ],
)
def test_create_refuses_bad_input_with_field_errors(client, cast, tokens, body, field):
    target = url("organisation-assessments", organisation=cast.organisation.code)
    response = api(client, "POST", target, body, token=tokens["owner"])
    assert response.status_code == 400
    assert field in response.json()
    assert not Assessment.objects.exists()


def test_create_refuses_a_retired_instrument(client, cast, tokens):
    from governance.models import Instrument

    Instrument.objects.filter(code="SH").update(retired=True)
    target = url("organisation-assessments", organisation=cast.organisation.code)
    response = api(client, "POST", target, {"title": "T", "scope": "S", "instruments": ["SH"]}, token=tokens["owner"])
    assert response.status_code == 400
    assert response.json() == {"instruments": ["Retired instruments cannot be assessed: SH."]}


def test_create_is_for_editors(client, cast, tokens):
    target = url("organisation-assessments", organisation=cast.organisation.code)
    body = {"title": "T", "scope": "S", "instruments": ["SH"]}
    assert api(client, "POST", target, body, token=tokens["viewer"]).status_code == 403
    assert api(client, "POST", target, body, token=tokens["editor-read"]).status_code == 403
    assert api(client, "POST", target, body, token=tokens["outsider"]).status_code == 404
    assert api(client, "POST", target, body).status_code == 401
    assert not Assessment.objects.exists()


def test_read_assessment(client, cast, assessment, answered, tokens):
    body = api(client, "GET", url("assessment", code=assessment.code), token=tokens["owner"]).json()
    assert body["id"] == str(assessment.code) and body["organisation"] == str(cast.organisation.code)
    assert body["progress"]["answered"] == 2
    total = assessment_record(assessment=assessment).section("T05").progress.total
    assert {"theme": "T05", "name": body["sections"][4]["name"], "answered": 2, "total": total} in body["sections"]
    assert [a["name"] for a in body["actions"]] == ["send_for_review"] and body["actions"][0]["allowed"]


def test_actions_say_who_may_take_them(client, assessment, tokens):
    for who, allowed in [("owner", True), ("editor", True), ("viewer", False)]:
        body = api(client, "GET", url("assessment", code=assessment.code), token=tokens[who]).json()
        assert body["actions"][0]["allowed"] is allowed, who


def test_results(client, assessment, answered, tokens):
    body = api(client, "GET", url("results", code=assessment.code), token=tokens["viewer"]).json()
    assert body["provisional"] is True and body["method"] == "docs/scoring.md"
    assert set(body["instruments"]) == {"SH", "CF", "GA", "HL", "IC"}
    assert body["themes"]["T05"]["counts"]["yes"] == 2
    assert body["gaps"] and {"item", "answer", "priority", "instruments"} == set(body["gaps"][0])


def test_export_is_the_json_export(client, cast, assessment, answered, tokens):
    from django.urls import reverse

    from tests.cast import as_user

    response = api(client, "GET", url("export", code=assessment.code), token=tokens["viewer"])
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    page = as_user(client, cast.viewer).get(reverse("export-json", args=[assessment.code]))
    assert response.content == page.content
    assert json.loads(response.content)["schema"] == "aigov.assessment-export"


@pytest.mark.parametrize("route", READS + ["report"])
def test_reads_are_401_404_as_the_pages(client, assessment, tokens, route):
    target = url(route, code=assessment.code)
    assert api(client, "GET", target).status_code == 401
    assert api(client, "GET", target, token=tokens["outsider"]).status_code == 404
    assert api(client, "GET", url(route, code=uuid.uuid4()), token=tokens["owner"]).status_code == 404


@pytest.mark.parametrize("route", READS)
def test_reads_refuse_writes_with_405(client, assessment, tokens, route):
    assert api(client, "DELETE", url(route, code=assessment.code), token=tokens["owner"]).status_code == 405


def test_report_of_a_draft(client, assessment, tokens, monkeypatch):
    monkeypatch.setattr("assessments.reports.services.html_to_pdf", lambda html, **kwargs: b"%PDF-stub")
    target = url("report", code=assessment.code)
    # A viewer downloads what editors prepared, but starts no render.
    refused = api(client, "GET", target, token=tokens["viewer"])
    assert refused.status_code == 403 and "an editor or owner must prepare it" in refused.json()["detail"]
    # An editor starts it (the immediate backend of the tests renders it at once).
    response = api(client, "GET", target, token=tokens["editor"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-stub"
    assert "attachment" in response["Content-Disposition"]
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    # Now stored: the viewer gets it too.
    assert api(client, "GET", target, token=tokens["viewer"]).status_code == 200


def test_report_pending_and_limited(client, cast, assessment, tokens, settings):

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, no worker
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    target = url("report", code=assessment.code)
    response = api(client, "GET", target, token=tokens["viewer"])
    assert response.status_code == 202 and response["Retry-After"] == "30"
    settings.REPORT_RATE_LIMIT_PER_PERSON = 0
    draft_target = url("report", code=_draft(cast).code)
    response = api(client, "GET", draft_target, token=tokens["editor"])
    assert response.status_code == 429 and response["Retry-After"] == "600"
    assert "You have made many reports" in response.json()["detail"]


def _draft(cast):
    from assessments.services import assessment_create
    from governance.models import Instrument

    return assessment_create(
        membership=cast.membership(cast.owner),
        title="Another",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="HL"),
    )


def _action(client, assessment, action, token, body=None):
    return api(client, "POST", url("action", code=assessment.code, action=action), body, token=token)


def test_send_approve_through_the_api(client, cast, assessment, answered, tokens):
    response = _action(client, assessment, "send_for_review", tokens["editor"])
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "in_review" and {a["name"] for a in data["actions"]} == {"approve", "return"}
    reviewer = make_token(reviewer_of(cast.organisation))
    refused = _action(client, assessment, "approve", reviewer, {"attest": False})
    assert refused.status_code == 400 and "attest" in refused.json()
    response = _action(client, assessment, "approve", reviewer, {"attest": True})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["approved_by"] == reviewer_of(cast.organisation).user.username
    assessment.refresh_from_db()
    assert assessment.status == Status.APPROVED and assessment.submitted_by == cast.editor


def test_return_through_the_api(client, cast, assessment, tokens):
    _action(client, assessment, "send_for_review", tokens["editor"])
    assert _action(client, assessment, "return", tokens["owner"], {"reason": ""}).status_code == 400
    response = _action(client, assessment, "return", tokens["owner"], {"reason": "Add evidence."})
    assert response.status_code == 200 and response.json()["status"] == "draft"


def test_send_twice_is_a_409(client, assessment, tokens):
    _action(client, assessment, "send_for_review", tokens["owner"])
    response = _action(client, assessment, "send_for_review", tokens["owner"])
    assert response.status_code == 409
    assert response.json() == {"detail": "Only a draft can be sent for review; this assessment is not a draft."}


def test_four_eyes_through_the_api(client, cast, assessment, tokens):
    _action(client, assessment, "send_for_review", tokens["owner"])
    assert _action(client, assessment, "approve", tokens["owner"], {"attest": True}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Status.IN_REVIEW


@pytest.mark.parametrize("who, status", [("editor-read", 403), ("viewer", 403), ("outsider", 404)])
def test_send_refuses_the_wrong_role(client, cast, assessment, tokens, who, status):
    before = state_of(cast.organisation)
    assert _action(client, assessment, "send_for_review", tokens[who]).status_code == status
    assert state_of(cast.organisation) == before


def test_actions_anonymous_and_unknown(client, cast, assessment, tokens):
    assert api(client, "POST", url("action", code=assessment.code, action="send_for_review")).status_code == 401
    assert _action(client, assessment, "submit", tokens["owner"]).status_code == 404
    assert (
        api(
            client, "GET", url("action", code=assessment.code, action="send_for_review"), token=tokens["owner"]
        ).status_code
        == 405
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT
