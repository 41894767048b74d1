"""Fuzzing the API's answer write (PATCH …/sections/<theme>/answers/).

Hypothesis sends arbitrary JSON, as an honest client (well-formed answers to the section's
items, in any combination, with versions that may be stale) and as a hostile one (any JSON
value anywhere). Whatever it sends, the API answers 200, 400 or 409, never a 500; a refusal
changes nothing; a 200 saves exactly the answers it lists, each at its version plus one.
"""

import json

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from tests.api.helpers import bearer, make_token, url
from tests.assessments.helpers import items_in
from tests.fuzz.test_form_fuzzing import (
    BAD_URLS,
    CHOICES,
    THEME,
    URLS,
    database_state,
    fuzz,
    fuzz_text,
    json_value,
    rolled_back,
    seed_answers,
)

CLIENTS = pytest.mark.parametrize("kind", ["honest", "hostile"])


def answers(codes, kind):
    def value(good):
        return good if kind == "honest" else st.one_of(good, good, json_value)

    answer = st.fixed_dictionaries(
        {
            "item": value(st.sampled_from(codes) if kind == "honest" else st.one_of(st.sampled_from(codes), fuzz_text)),
            "version": value(st.integers(0, 3) if kind == "honest" else st.one_of(st.integers(-2, 4), st.integers())),
        },
        optional={
            "choice": value(st.sampled_from(CHOICES)),
            "justification": value(st.one_of(st.sampled_from(["", "Because.", "j" * 5000]), fuzz_text)),
            "evidence_urls": value(
                st.lists(st.sampled_from(URLS if kind == "honest" else URLS + BAD_URLS), max_size=3)
            ),
        },
    )
    body = st.fixed_dictionaries({"answers": st.lists(answer, min_size=1, max_size=4)})
    return body if kind == "honest" else st.one_of(body, body, body, json_value)


def check(client, token, assessment, body):
    note(f"body: {json.dumps(body)[:500]}")
    before = database_state(assessment)
    response = client.patch(
        url("section-answers", code=assessment.code, theme=THEME),
        json.dumps(body),
        content_type="application/json",
        **bearer(token),
    )
    after = database_state(assessment)
    assert response.status_code in (200, 400, 409), response.content[:500]
    if response.status_code != 200:
        assert after == before
        return
    saved = response.json()["saved"]
    sent = {a["item"]: a for a in body["answers"]}
    for code, old in before["answers"].items():
        if code not in saved:
            assert after["answers"][code] == old
    for code in saved:
        answer = sent[code]
        old_version = before["answers"].get(code, (None, None, None, 0))[3]
        assert answer["version"] == old_version
        stored = after["answers"][code]
        assert stored[0] == answer.get("choice", "")
        assert stored[3] == old_version + 1
    assert after["counts"][1] == before["counts"][1] + len(saved)


@CLIENTS
def test_answer_write_fuzz(client, cast, assessment, kind):
    seed_answers(assessment, cast.membership(cast.owner))
    token = make_token(cast.membership(cast.editor))
    codes = items_in(assessment, THEME)

    @fuzz(60)
    @given(body=answers(codes, kind))
    @example(body={"answers": [{"item": codes[0], "choice": "no", "version": 1}]})
    @example(body={"answers": [{"item": codes[0], "choice": "no", "version": 0}]})  # stale: a conflict
    @example(body={"answers": [{"item": codes[2], "choice": "yes", "version": 2**63}]})
    @example(body={"answers": [{"item": "\x00", "choice": "yes", "version": 0}]})
    def run(body):
        with rolled_back():
            check(client, token, assessment, body)

    run()
