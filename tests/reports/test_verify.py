"""The public verification page: "matches a report issued on DATE" or "does not match"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import IssuedReport
from tests.factories import approve

URL = reverse("verify")
HASH = "ab" * 32


@pytest.fixture
def issued(cast, assessment):
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    return IssuedReport.objects.create(
        assessment=assessment,
        sha256=HASH,
        file="reports/x.pdf",
        size=1,
        issued_at=timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0)),
    )


def test_matching_id_and_full_hash(client, issued):
    response = client.get(URL, {"report": str(issued.code), "hash": HASH.upper()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Matches a report issued on 4 March 2026." in body
    # Nothing else about the report or its organisation.
    assert "Chatbot" not in body and "Acme" not in body


def test_matching_short_hash_from_the_footer(client, issued):
    assert "Matches a report" in client.get(URL, {"report": str(issued.code), "hash": HASH[:12]}).content.decode()


@pytest.mark.parametrize(
    "report,digest",
    [
        ("same", "cd" * 32),  # wrong hash
        ("00000000-0000-0000-0000-000000000000", HASH),  # wrong id
        ("same", HASH[:11]),  # too short to count
        ("same", "zz" * 32),  # not hex
        ("not-a-uuid", HASH),
        ("same", ""),
        ("' OR 1=1 --", "<script>"),
    ],
)
def test_anything_else_does_not_match(client, issued, report, digest):
    report = str(issued.code) if report == "same" else report
    body = client.get(URL, {"report": report, "hash": digest}).content.decode()
    assert "Does not match." in body and "Matches a report" not in body
    assert "<script>" not in body


def test_empty_form_and_wrong_method(client, db):
    body = client.get(URL).content.decode()
    assert "Verify a report" in body and "Does not match" not in body
    assert client.post(URL, {"report": "x"}).status_code == 405
