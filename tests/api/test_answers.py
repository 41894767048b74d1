"""A section's answers through the API: read, and save in bulk with the forms' version check."""

import uuid

import pytest

from assessments.services import assessment_send_for_review
from tests.api.conftest import THEME
from tests.api.helpers import api, url
from tests.assessments.helpers import answers_of, items_in
from tests.factories import approve


def target(assessment, theme=THEME):
    return url("section-answers", code=assessment.code, theme=theme)


def answer(code, choice="yes", version=0, **more):
    return {"item": code, "choice": choice, "version": version, **more}


def test_read(client, assessment, answered, tokens):
    body = api(client, "GET", target(assessment), token=tokens["viewer"]).json()
    assert body["theme"] == THEME and body["frozen"] is False
    assert [a["item"] for a in body["answers"]] == items_in(assessment, THEME)
    first = body["answers"][0]
    assert (first["choice"], first["version"], first["updated_by"]) == ("yes", 1, "olivia")
    never = body["answers"][-1]
    assert (never["choice"], never["version"], never["updated_at"]) == ("", 0, None)


def test_read_an_unknown_section_is_404(client, assessment, tokens):
    assert api(client, "GET", target(assessment, "T99"), token=tokens["viewer"]).status_code == 404


def test_save(client, cast, assessment, answered, tokens):
    first, _, third = items_in(assessment, THEME)[:3]
    body = {
        "answers": [
            answer(first, "partial", 1, justification="Only in production.", evidence_urls=["https://e.example/a"]),
            answer(third, "na", 0, justification="No such system."),
        ]
    }
    response = api(client, "PATCH", target(assessment), body, token=tokens["editor"])
    assert response.status_code == 200
    assert response.json()["saved"] == [first, third]
    stored = answers_of(assessment)
    assert stored[first] == ("partial", "Only in production.", ("https://e.example/a",), 2)
    assert stored[third] == ("na", "No such system.", (), 1)
    assert response.json()["section"]["progress"]["answered"] == 3


def test_an_unchanged_answer_is_no_change(client, assessment, answered, tokens):
    first = answered[0]
    response = api(
        client,
        "PATCH",
        target(assessment),
        {"answers": [answer(first, "yes", 1, justification="A reason.")]},
        token=tokens["editor"],
    )
    assert response.status_code == 200 and response.json()["saved"] == []
    assert answers_of(assessment)[first][3] == 1


def test_a_stale_version_is_409_with_both_values(client, cast, assessment, answered, tokens):
    first = answered[0]
    api(
        client,
        "PATCH",
        target(assessment),
        {"answers": [answer(first, "no", 1, justification="Changed.")]},
        token=tokens["owner"],
    )
    before = answers_of(assessment)
    second = items_in(assessment, THEME)[3]
    body = {"answers": [answer(first, "partial", 1, justification="Mine."), answer(second, "yes")]}
    response = api(client, "PATCH", target(assessment), body, token=tokens["editor"])
    assert response.status_code == 409
    [conflict] = response.json()["conflicts"]
    assert conflict["item"] == first
    assert conflict["yours"] == {"choice": "partial", "justification": "Mine.", "evidence_urls": [], "version": 1}
    theirs = conflict["theirs"]
    assert (theirs["choice"], theirs["justification"], theirs["version"], theirs["updated_by"]) == (
        "no",
        "Changed.",
        2,
        "olivia",
    )
    assert answers_of(assessment) == before  # the other answer was not saved either
    # Sending it again with their version replaces theirs on purpose.
    body["answers"][0]["version"] = 2
    assert api(client, "PATCH", target(assessment), body, token=tokens["editor"]).status_code == 200
    assert answers_of(assessment)[first][:2] == ("partial", "Mine.")


@pytest.mark.parametrize(
    "answers, where",
    [
        ([answer("ACC-01", "maybe")], "choice"),
        ([answer("ACC-01", "partial")], "justification"),
        ([answer("ACC-01", "yes", evidence_urls=["javascript:alert(1)"])], "evidence_urls"),
        ([answer("ACC-01", "yes", justification="j" * 5001)], "justification"),
        ([answer("ACC-01", "yes", justification="a\x00b")], "justification"),
        ([answer("ACC-01", "yes", -1)], "version"),
        ([answer("ACC-01", "yes", 2**31)], "version"),
        ([answer("ACC-01", "yes", "1")], "version"),
        ([answer("ACC-01", "yes", 1.0)], "version"),
        ([answer("ACC-01", "yes", True)], "version"),
        ([{"item": "ACC-01", "choice": "yes"}], "version"),
        ([answer("NOPE-1")], "item"),
        ([answer("ACC-01"), answer("ACC-01", "no")], "item"),
        ([answer("ACC-01", "yes", evidence_urls=[f"https://e.example/{n}" for n in range(21)])], "evidence_urls"),
    ],
)
def test_bad_input_is_400_per_answer_and_field_with_nothing_saved(client, assessment, answered, tokens, answers, where):
    before = answers_of(assessment)
    response = api(client, "PATCH", target(assessment), {"answers": answers}, token=tokens["editor"])
    assert response.status_code == 400, response.content
    errors = response.json()["answers"]
    assert any(where in e for e in errors.values()), errors
    assert answers_of(assessment) == before


@pytest.mark.parametrize("body", [{}, {"answers": []}, {"answers": "yes"}, [], "x", {"answers": [None]}])
def test_a_malformed_body_is_400(client, assessment, tokens, body):
    response = api(client, "PATCH", target(assessment), body, token=tokens["editor"])
    assert response.status_code == 400
    assert not answers_of(assessment)


def test_not_json_is_400_and_another_type_415(client, assessment, tokens):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens['editor']}"}
    assert client.patch(target(assessment), "{", content_type="application/json", **headers).status_code == 400
    assert client.patch(target(assessment), "a=b", content_type="text/plain", **headers).status_code == 415


def test_an_item_of_another_section_is_refused(client, assessment, tokens):
    other = items_in(assessment, "T01")[0]
    response = api(client, "PATCH", target(assessment), {"answers": [answer(other)]}, token=tokens["editor"])
    assert response.status_code == 400
    assert response.json() == {"answers": {"0": {"item": [f"{other} is not an item of section T05."]}}}


@pytest.mark.parametrize("who, status", [("viewer", 403), ("editor-read", 403), ("outsider", 404)])
def test_save_refuses_the_wrong_role_or_token(client, assessment, tokens, who, status):
    first = items_in(assessment, THEME)[0]
    response = api(client, "PATCH", target(assessment), {"answers": [answer(first)]}, token=tokens[who])
    assert response.status_code == status
    assert not answers_of(assessment)


def test_anonymous_and_missing(client, assessment, tokens):
    first = items_in(assessment, THEME)[0]
    assert api(client, "GET", target(assessment)).status_code == 401
    assert api(client, "PATCH", target(assessment), {"answers": [answer(first)]}).status_code == 401
    missing = url("section-answers", code=uuid.uuid4(), theme=THEME)
    assert api(client, "PATCH", missing, {"answers": [answer(first)]}, token=tokens["editor"]).status_code == 404
    assert (
        api(
            client, "PATCH", target(assessment, "T99"), {"answers": [answer(first)]}, token=tokens["editor"]
        ).status_code
        == 404
    )
    assert (
        api(client, "POST", target(assessment), {"answers": [answer(first)]}, token=tokens["editor"]).status_code == 405
    )
    assert not answers_of(assessment)


def test_a_submitted_assessment_is_read_only(client, cast, assessment, answered, tokens):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    before = answers_of(assessment)
    read = api(client, "GET", target(assessment), token=tokens["viewer"]).json()
    assert read["frozen"] is True and read["answers"][0]["choice"] == "yes"
    response = api(
        client, "PATCH", target(assessment), {"answers": [answer(answered[0], "no", 1)]}, token=tokens["owner"]
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "This assessment is in review or approved: its answers cannot change."}
    assert answers_of(assessment) == before


def test_answers_in_review_are_frozen(client, cast, assessment, answered, tokens):
    assessment_send_for_review(assessment=assessment, membership=cast.membership(cast.editor))
    before = answers_of(assessment)
    response = api(
        client, "PATCH", target(assessment), {"answers": [answer(answered[0], "no", 1)]}, token=tokens["owner"]
    )
    assert response.status_code == 409
    assert answers_of(assessment) == before
