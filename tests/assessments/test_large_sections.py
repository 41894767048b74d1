"""Sections of any size: a 1,000-item section saves in one post, multipart or urlencoded, and the save's cost does not
grow with the section (its query count is fixed, whatever the number of items it changes)."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from assessments.models import Answer, AnswerRevision
from assessments.services.rules import MAX_JUSTIFICATION
from tests.assessments.helpers import form_data
from tests.assessments.test_section_queries import big_assessment
from tests.cast import as_user

THEME = "T05"


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_1000_item_section_saves_every_answer_in_one_post(client, cast, encoding):
    # Urlencoded is how the page's script posts a save with no file chosen (post-encoding.js).
    assessment = big_assessment(cast, 1000)
    url = reverse("section", args=[assessment.code, THEME])
    data = form_data(assessment, THEME)
    codes = [key.removesuffix("-choice") for key in data if key.endswith("-choice")]
    assert len(codes) == 1000
    for n, code in enumerate(codes):
        data[f"{code}-choice"] = "partial"
        data[f"{code}-justification"] = f"Item {n}: done for the main system,\r\nnot yet for the others."
        data[f"{code}-evidence_urls"] = f"https://evidence.example/{n}"
    data["save"] = ""
    # Far more fields than Django's default limit of 1,000.
    assert len(data) > 4000

    client = as_user(client, cast.owner)
    if encoding == "urlencoded":
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(url, data)

    assert response.status_code == 302, response.content[:500]
    answers = Answer.objects.filter(assessment=assessment)
    assert answers.count() == len(codes)
    assert set(answers.values_list("choice", flat=True)) == {"partial"}
    assert (
        answers.get(item__code="ZZZ-999").justification
        == "Item 999: done for the main system,\nnot yet for the others."
    )
    assert AnswerRevision.objects.filter(answer__assessment=assessment).count() == len(codes) + 500  # and the seed's


def test_the_limits_fit_the_largest_section_at_its_largest():
    """A section of SECTION_MAX_ITEMS items, each at the limits the rules allow for typed text,
    posted as the browser sends it (multipart, with an empty file input per item), fits the limits."""
    items = settings.SECTION_MAX_ITEMS
    assert items >= 1000
    per_item = {
        "choice": "partial",
        "justification": "字" * MAX_JUSTIFICATION,  # 3 bytes each in UTF-8
        "evidence_urls": "\n".join(["https://evidence.example/" + "p" * 170] * 20),  # URLs of ordinary length
        "version": "12345",
        "clear": "on",
    }
    # An empty file input counts as a field, and two file boxes ticked; the CSRF token, the button.
    fields = items * (len(per_item) + 1 + 2) + 2
    assert fields <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    body = encode_multipart("BoUnDaRy", {f"item-{k}": v for k, v in per_item.items()})
    field_bytes = sum(len(v.encode()) for v in per_item.values())
    assert items * field_bytes <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert len(body) < 2 * field_bytes  # the multipart framing is small beside the text
    assert MULTIPART_CONTENT.startswith("multipart/form-data")


@pytest.mark.parametrize("n_items", [10, 200])
def test_a_save_takes_the_same_queries_whatever_it_changes(client, cast, django_assert_num_queries, n_items):
    assessment = big_assessment(cast, n_items)
    url = reverse("section", args=[assessment.code, THEME])
    data = form_data(assessment, THEME)
    for key in [k for k in data if k.endswith("-choice")]:
        data[key] = "no"  # every item changed: half new answers, half updated
    client = as_user(client, cast.owner)
    # session, user; assessment, membership; the section's item ids; the save: savepoint, lock
    # the assessment, check the items are on the checklist, lock their answers, newest wordings,
    # insert the new answers, update the others, insert the history, touch the assessment,
    # release the savepoint. Bulk writes go in batches as large as the database
    # binds parameters (SQLite: 999 a statement; PostgreSQL: all at once).
    half = n_items // 2
    batches = (
        _batches(
            Answer,
            ["assessment", "item", "choice", "justification", "evidence_urls", "evidence_valid_until"]
            + ["item_revision", "version", "updated_by", "updated"],
            half,
        )
        + _batches(
            Answer,
            ["pk", "pk", "choice", "justification", "evidence_urls", "evidence_valid_until", "version"]
            + ["updated_by", "updated", "item_revision"],
            half,
        )
        + _batches(AnswerRevision, ["answer", "version", "changed_by", "changed_at", "before", "after"], n_items)
    )
    with django_assert_num_queries(12 + batches):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Answer.objects.filter(assessment=assessment, choice="no").count() == n_items


def _batches(model, names, rows):
    """How many statements bulk_create() or bulk_update() needs for ``rows`` rows of these fields."""
    fields = [name if name == "pk" else model._meta.get_field(name) for name in names]
    size = connection.ops.bulk_batch_size(fields, [None] * rows)
    return -(-rows // size)


def test_a_section_larger_than_the_server_accepts_says_so_to_editors(client, cast, assessment, settings):
    settings.SECTION_MAX_ITEMS = 3
    url = reverse("section", args=[assessment.code, THEME])
    body = as_user(client, cast.editor).get(url).content.decode()
    assert "more than this server accepts in one save (3)" in body
    assert "more than this server accepts" not in as_user(client, cast.viewer).get(url).content.decode()
