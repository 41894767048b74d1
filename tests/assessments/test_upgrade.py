"""Library releases: assessments pin the release they were created with; a reworded item makes
its answers stale; an owner upgrades a draft after a preview; submitted ones never change."""

import io

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from assessments.selectors import assessment_record
from assessments.services import AnswerInput, answers_save, assessment_create
from governance.models import ChecklistItem, Instrument, ItemRevision, LibraryRelease
from tests.cast import as_user
from tests.factories import approve, seed_answers


def new_release(tmp_path, *, reword=None, add_item=None, link=None):
    """Write release 2027.1 (and optional item changes) and load it, as a curator would.
    ``link``: (item code, principle code), a new supporting link of an existing item."""
    records = [
        {"model": "governance.release", "fields": {"version": "2027.1", "date": "2027-01-15", "notes": "Second."}}
    ]
    items_dir = settings.LIBRARY_DIR / "items"
    if reword:
        for path in items_dir.glob("*.yaml"):
            for record in yaml.safe_load(path.read_text(encoding="utf-8")):
                if record["fields"]["code"] == reword:
                    record["fields"]["question"] = "Reworded: " + record["fields"]["question"]
                    records.append(record)
    if add_item:
        records.append(add_item)
    if link:
        for path in items_dir.glob("*.yaml"):
            for record in yaml.safe_load(path.read_text(encoding="utf-8")):
                if record["fields"]["code"] == link[0]:
                    record["fields"]["principles"].append({"principle": link[1], "relevance": "supporting"})
                    records.append(record)
    path = tmp_path / "release.yaml"
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    call_command("load_library", str(path), stdout=io.StringIO())


@pytest.fixture
def answered(cast, assessment):
    return assessment, seed_answers(assessment, cast.membership(cast.owner), limit=2, justification="Why.")


def test_loading_records_a_revision_per_item_and_release(library):
    assert ItemRevision.objects.filter(release__version="2026.12").count() == ChecklistItem.objects.count()
    call_command("load_library", stdout=io.StringIO())  # idempotent: no new revisions
    assert ItemRevision.objects.count() == ChecklistItem.objects.count()


def test_rewording_in_a_new_release_makes_answers_stale_and_an_owner_upgrades(client, cast, answered, tmp_path):
    assessment, (reworded, untouched) = answered
    assert assessment.release.version == "2026.12"
    new_item = {
        "model": "governance.checklistitem",
        "fields": {
            "code": "ACC-95",
            "title": "AI accountability lead",
            "theme": "T05",
            "question": "Is there a named AI accountability lead?",
            "guidance": "G",
            "evidence_hint": "E",
            "recommendation": "R",
            "weight": 2,
            "principles": [{"principle": "SH-3", "relevance": "core"}],
        },
    }
    new_release(tmp_path, reword=reworded, add_item=new_item)
    assert ItemRevision.objects.filter(item__code=reworded).count() == 2

    client = as_user(client, cast.owner)
    overview = client.get(reverse("assessment", args=[assessment.code])).content.decode()
    assert "Library release 2027.1 is available" in overview

    preview = client.get(reverse("assessment-upgrade", args=[assessment.code]))
    assert preview.status_code == 200
    context = preview.context["preview"]
    assert [i.code for i in context.changed] == [reworded]
    assert [i.code for i in context.stale] == [reworded]
    assert "ACC-95" in [i.code for i in context.added]
    assert Assessment.objects.get(pk=assessment.pk).release.version == "2026.12"  # a preview writes nothing

    assert client.post(reverse("assessment-upgrade", args=[assessment.code])).status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).release.version == "2027.1"
    stale = {i.code: i.answer.stale for i in assessment_record(assessment=assessment).items if i.answer}
    assert stale == {reworded: True, untouched: False}
    theme = ChecklistItem.objects.get(code=reworded).theme.code
    page = client.get(reverse("section", args=[assessment.code, theme])).content.decode()
    assert "The library has reworded this item since it was answered" in page

    # Saving the answer again answers the new wording.
    item = next(i for i in assessment_record(assessment=assessment).items if i.code == reworded)
    answers_save(
        assessment=assessment,
        membership=cast.membership(cast.owner),
        inputs=[AnswerInput(item.id, reworded, "partial", "Checked again.", [], item.answer.version)],
    )
    assert not next(i for i in assessment_record(assessment=assessment).items if i.code == reworded).answer.stale


def test_submitted_assessments_never_change(client, cast, answered, tmp_path):
    assessment, (reworded, _) = answered
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    frozen = Assessment.objects.get(pk=assessment.pk).snapshot
    new_release(tmp_path, reword=reworded)
    client = as_user(client, cast.owner)
    # 409: the assessment's state refuses it (the page says why; see test_error_pages)
    assert client.get(reverse("assessment-upgrade", args=[assessment.code])).status_code == 409
    assert client.post(reverse("assessment-upgrade", args=[assessment.code])).status_code == 409
    after = Assessment.objects.get(pk=assessment.pk)
    assert after.release.version == "2026.12" and after.snapshot == frozen
    item = next(i for i in frozen["items"] if i["code"] == reworded)
    assert not item["question"].startswith("Reworded")


def test_only_owners_upgrade_and_outsiders_get_404(client, cast, answered, tmp_path):
    assessment, _ = answered
    new_release(tmp_path)
    url = reverse("assessment-upgrade", args=[assessment.code])
    assert as_user(client, cast.editor).post(url).status_code == 403
    assert as_user(client, cast.outsider).get(url).status_code == 404
    assert as_user(client, cast.owner).put(url).status_code == 405
    assert Assessment.objects.get(pk=assessment.pk).release.version == "2026.12"


def test_new_assessments_pin_the_newest_release(cast, tmp_path):
    new_release(tmp_path)
    fresh = assessment_create(
        membership=cast.membership(cast.owner),
        title="T",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="SH"),
    )
    assert fresh.release == LibraryRelease.objects.get(version="2027.1")


def test_admin_shows_an_items_revisions(admin_client, library, tmp_path):
    new_release(tmp_path, reword="ACC-01")
    item = ChecklistItem.objects.get(code="ACC-01")
    body = admin_client.get(reverse("admin:governance_checklistitem_change", args=[item.pk])).content.decode()
    assert "Revisions (wording per library release)" in body
    assert "2027.1" in body and "2026.12" in body


def test_an_item_newly_linked_to_a_drafts_instrument_is_previewed_as_added(client, cast, tmp_path):
    draft = assessment_create(
        membership=cast.membership(cast.owner),
        title="SG only",
        scope="S",
        description="",
        instruments=Instrument.objects.filter(code="SG"),
    )
    on_list = set(
        ChecklistItem.objects.filter(principle_links__principle__instrument__code="SG").values_list("code", flat=True)
    )
    outside = ChecklistItem.objects.exclude(code__in=on_list).order_by("code").first()
    new_release(tmp_path, link=(outside.code, "SG-GP1"))

    preview = as_user(client, cast.owner).get(reverse("assessment-upgrade", args=[draft.code])).context["preview"]
    assert [i.code for i in preview.added] == [outside.code]
    assert preview.changed == [] and preview.stale == []  # a new link rewords nothing
