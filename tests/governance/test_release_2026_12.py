"""Release 2026.12 loads over 2026.11, and a draft created on 2026.11 previews the upgrade: the
reworded PRI-06 as a changed item with a stale answer, the new EDU-07 as an added item.

The 2026.11 library is rebuilt from the shipped files by undoing the two item changes of 2026.12
(the rest of 2026.12 only adds links and corrects instrument facts, which create no revisions)."""

import io

import yaml
from django.conf import settings
from django.core.management import call_command

from assessments.selectors import upgrade_preview
from assessments.services import AnswerInput, answers_save, assessment_create
from governance.models import ChecklistItem, Instrument, ItemRevision, LibraryRelease

PRI06_2026_11 = (
    "Has the organisation ruled out using AI to monitor, profile or score people (customers, staff or the "
    "public) beyond what is lawful, necessary and disclosed, and does it check proposed uses such as biometric "
    "identification, emotion recognition or workplace monitoring against that rule?"
)


def write_release_2026_11(directory):
    """The shipped files as they were at 2026.11: no 2026.12 record, no EDU-07, the old PRI-06 wording."""
    for path in sorted(settings.LIBRARY_DIR.rglob("*.yaml")):
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        kept = []
        for record in records:
            fields = record["fields"]
            if fields.get("version") == "2026.12" or fields.get("code") == "EDU-07":
                continue
            if fields.get("code") == "PRI-06":
                fields["question"] = PRI06_2026_11
            kept.append(record)
        target = directory / path.relative_to(settings.LIBRARY_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    return directory


def load(*paths):
    call_command("load_library", *map(str, paths), stdout=io.StringIO())


def test_a_draft_on_2026_11_sees_stale_answers_and_new_items(cast, empty_library, tmp_path):
    # cast first: its library fixture would otherwise reload the shipped files after empty_library
    load(write_release_2026_11(tmp_path / "2026.11"))
    assert list(LibraryRelease.objects.values_list("version", flat=True)) == ["2026.11"]

    membership = cast.membership(cast.owner)
    draft = assessment_create(
        membership=membership,
        title="Chatbot",
        scope="Support chatbot",
        description="",
        instruments=Instrument.objects.filter(code__in=["UN", "AS"]),
    )
    assert draft.release.version == "2026.11"
    answered = ChecklistItem.objects.filter(code__in=["PRI-06", "SAF-01"])
    answers_save(
        assessment=draft,
        membership=membership,
        inputs=[AnswerInput(item.id, item.code, "yes", "Written rule in force.", [], 0) for item in answered],
    )

    load(settings.LIBRARY_DIR)  # the shipped 2026.12 files, over 2026.11

    assert ItemRevision.objects.get(item__code="EDU-07").release.version == "2026.12"
    assert [
        r.release.version for r in ItemRevision.objects.filter(item__code="PRI-06").order_by("recorded_at", "id")
    ] == ["2026.11", "2026.12"]
    preview = upgrade_preview(draft)
    assert (preview.pinned.version, preview.current.version, preview.needed) == ("2026.11", "2026.12", True)
    assert [i.code for i in preview.changed] == ["PRI-06"]
    assert [i.code for i in preview.stale] == ["PRI-06"]  # SAF-01 was not reworded
    assert "EDU-07" in [i.code for i in preview.added]  # serves AS-2
    assert preview.removed == []
