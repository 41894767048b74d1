import io

from django.core.management import CommandError, call_command

from governance.models import ChecklistItem, ItemPrinciple
from tests.library_files import minimal, write_library


def check(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_library", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue() + err.getvalue() + str(exc)
    return True, out.getvalue()


def test_shipped_library_passes():
    ok, output = check()
    assert ok, output
    assert "Library OK: 1 releases, 14 themes, 19 instruments, 197 principles" in output


def test_loaded_library_passes(library):
    ok, output = check("--database")
    assert ok, output


def test_principle_without_item_is_an_error(tmp_path):
    records = minimal()
    records["instruments/XA.yaml"].append(
        {
            "model": "governance.principle",
            "fields": {
                "code": "XA-2",
                "instrument": "XA",
                "position": 2,
                "label": "2.",
                "heading_en": "Orphan",
                "summary": "Nobody serves it.",
                "themes": ["T01"],
                "confidence": "verified",
            },
        }
    )
    ok, output = check(str(write_library(tmp_path, records)))
    assert not ok
    assert "ERROR principle XA-2: no active checklist item serves it" in output


def test_inactive_items_do_not_count(tmp_path):
    records = minimal()
    records["items/T05.yaml"][0]["fields"]["active"] = False
    ok, output = check(str(write_library(tmp_path, records)))
    assert "ERROR principle XA-1: no active checklist item serves it" in output


def test_dangling_key_in_files_is_an_error(tmp_path):
    records = minimal()
    records["items/T05.yaml"][0]["fields"]["principles"][0]["principle"] = "SH-6"
    ok, output = check(str(write_library(tmp_path, records)))
    # Files are checked on their own: SH-6 is not in them, whatever the database holds.
    assert not ok
    assert "dangling key: principle 'SH-6' does not exist" in output


def test_empty_required_text_is_an_error(tmp_path):
    records = minimal()
    records["items/T05.yaml"][0]["fields"]["recommendation"] = ""
    ok, output = check(str(write_library(tmp_path, records)))
    assert not ok
    assert "required field 'recommendation' is empty" in output


def test_item_without_principle_in_database_is_an_error(library):
    item = ChecklistItem.objects.get(code="ACC-01")
    ItemPrinciple.objects.filter(item=item).delete()
    ok, output = check("--database")
    assert not ok
    assert "ERROR item ACC-01: serves no principle" in output


def test_empty_required_text_in_database_is_an_error(library):
    # The admin's forms prevent this; a raw SQL edit or a migration could not.
    ChecklistItem.objects.filter(code="ACC-01").update(guidance="")
    ok, output = check("--database")
    assert not ok
    assert "governance.checklistitem ACC-01: required field 'guidance' is empty" in output
