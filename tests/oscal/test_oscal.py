"""The OSCAL exports validate against NIST's schemas, and say what the library and answers say."""

import json

import pytest

from assessments.oscal import assessment_results
from assessments.selectors import assessment_record
from governance.models import Instrument, Principle
from governance.oscal import library_catalog
from tests.api.helpers import api, make_token, url
from tests.factories import approve, seed_answers
from tests.oscal.validate import errors

CATALOG = "oscal_catalog_schema.json"
RESULTS = "oscal_assessment-results_schema.json"


def test_the_validator_can_fail():
    assert errors({"catalog": {"uuid": "not-a-uuid"}}, CATALOG)
    bad_id = library_catalog_stub(group_id="1-starts-with-a-digit")
    assert errors(bad_id, CATALOG) and errors(library_catalog_stub(group_id="ok"), CATALOG) == []


def library_catalog_stub(group_id):
    return {
        "catalog": {
            "uuid": "2c7e3c1a-6f0e-4e38-8a0c-5d2d7a4c9b11",
            "metadata": {
                "title": "t",
                "last-modified": "2026-01-01T00:00:00+00:00",
                "version": "1",
                "oscal-version": "1.2.1",
            },
            "groups": [{"id": group_id, "title": "g"}],
        }
    }


def test_the_catalog_validates(library):
    catalog = library_catalog()
    assert errors(catalog, CATALOG) == []
    groups = catalog["catalog"]["groups"]
    assert [g["id"] for g in groups] == list(
        Instrument.objects.order_by("position", "code").values_list("code", flat=True)
    )
    assert sum(len(g["controls"]) for g in groups) == Principle.objects.count()


def test_the_catalog_keeps_quotes_and_provenance(library):
    principle = Principle.objects.filter(quoted_text__gt="").select_related("instrument").first()
    catalog = library_catalog()
    group = next(g for g in catalog["catalog"]["groups"] if g["id"] == principle.instrument.code)
    control = next(c for c in group["controls"] if c["id"] == principle.code)
    statement = next(p for p in control["parts"] if p["name"] == "statement")
    assert statement["prose"] == principle.quoted_text
    assert {"href": principle.instrument.source_url, "rel": "source", "text": "The instrument's text"} in group["links"]
    props = {p["name"]: p["value"] for p in group["props"]}
    assert props["issuer"] == " ".join(principle.instrument.issuer.split())
    assert any(p["name"] == "assessment-objective" for p in control["parts"]) or not principle.item_links.exists()


def test_the_catalog_is_stable(library):
    assert library_catalog() == library_catalog()


@pytest.fixture
def answered(cast, assessment):
    owner = cast.membership(cast.owner)
    seed_answers(
        assessment,
        owner,
        limit=8,
        answer=lambda n, item: (
            ["yes", "partial", "no", "na"][n % 4],
            f"Reason {n}.\nSecond line.",
            ["https://e.example/x"],
        ),
    )
    return assessment


def test_the_assessment_results_validate(answered):
    document = assessment_results(answered, assessment_record(assessment=answered))
    assert errors(document, RESULTS) == []
    [result] = document["assessment-results"]["results"]
    assert len(result["observations"]) == len(assessment_record(assessment=answered).items)
    assert len(result["findings"]) == 8
    states = [(f["props"][0]["value"], f["target"]["status"]["state"]) for f in result["findings"]]
    assert ("yes", "satisfied") in states and ("no", "not-satisfied") in states
    with_evidence = [o for o in result["observations"] if "relevant-evidence" in o]
    assert with_evidence[0]["relevant-evidence"][0]["href"] == "https://e.example/x"


def test_the_findings_target_objectives_of_the_catalog(library, answered):
    catalog = json.dumps(library_catalog())
    document = assessment_results(answered, assessment_record(assessment=answered))
    for finding in document["assessment-results"]["results"][0]["findings"]:
        assert f'"id": "{finding["target"]["target-id"]}"' in catalog


def test_an_empty_draft_and_a_submitted_assessment_validate(cast, assessment):
    assert errors(assessment_results(assessment, assessment_record(assessment=assessment)), RESULTS) == []
    seed_answers(assessment, cast.membership(cast.owner), limit=3)
    submitted = approve(assessment=assessment, membership=cast.membership(cast.owner))
    document = assessment_results(submitted, assessment_record(assessment=submitted))
    assert errors(document, RESULTS) == []
    assert document["assessment-results"]["results"][0]["end"] == submitted.submitted_at.isoformat()


def test_through_the_api(client, cast, answered):
    token = make_token(cast.membership(cast.viewer), "read")
    response = api(client, "GET", url("oscal", code=answered.code), token=token)
    assert response.status_code == 200 and errors(response.json(), RESULTS) == []
    catalog = api(client, "GET", url("oscal-catalog"))
    assert catalog.status_code == 200 and errors(catalog.json(), CATALOG) == []
    assert api(client, "GET", url("oscal", code=answered.code)).status_code == 401
    outsider = make_token(type(cast.membership(cast.owner)).objects.get(user=cast.outsider))
    assert api(client, "GET", url("oscal", code=answered.code), token=outsider).status_code == 404
