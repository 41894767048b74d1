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
    assert "Library OK: 2 releases, 14 themes, 19 instruments, 198 principles, 84 items" in output


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


# --- near duplicates --------------------------------------------------------------------------


def with_second_item(question):
    records = minimal()
    second = {**records["items/T05.yaml"][0]["fields"], "code": "ACC-92", "question": question}
    records["items/T05.yaml"].append({"model": "governance.checklistitem", "fields": second})
    return records


def check_with_warnings(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("check_library", *args, stdout=out, stderr=err)  # warnings never fail the check
    return out.getvalue(), err.getvalue()


def test_a_near_duplicate_question_is_warned_about(tmp_path):
    # ACC-91 asks "Is an owner named for the system?"
    records = with_second_item("Is an owner named for each system?")
    out, err = check_with_warnings(str(write_library(tmp_path, records)))
    assert "Library OK" in out
    assert "WARNING items ACC-91 and ACC-92 ask nearly the same question (similarity 0.86" in err


def test_case_and_punctuation_do_not_hide_a_duplicate(tmp_path):
    records = with_second_item("IS AN OWNER NAMED, FOR THE SYSTEM")
    _, err = check_with_warnings(str(write_library(tmp_path, records)))
    assert "ACC-91 and ACC-92 ask nearly the same question (similarity 1.00" in err


def test_a_different_question_is_not_a_duplicate(tmp_path):
    records = with_second_item("Are the training data documented with their sources and licences?")
    _, err = check_with_warnings(str(write_library(tmp_path, records)))
    assert "nearly the same question" not in err  # (the test library's missing translations warn too)


def test_retired_items_are_not_compared(tmp_path):
    records = with_second_item("Is an owner named for each system?")
    records["items/T05.yaml"][1]["fields"]["active"] = False
    _, err = check_with_warnings(str(write_library(tmp_path, records)))
    assert "nearly the same question" not in err  # (the test library's missing translations warn too)


def test_the_shipped_library_has_no_near_duplicates():
    _, err = check_with_warnings()
    assert "WARNING" not in err


def test_the_threshold_sits_between_the_shipped_library_and_a_light_rewording():
    from django.conf import settings

    from governance.library.checks import SIMILAR_FROM, near_duplicates
    from governance.library.files import read_records
    from governance.library.validate import validate_records

    shipped = validate_records(read_records([settings.LIBRARY_DIR]))
    closest = near_duplicates(shipped, threshold=0.0)[0]
    assert closest.similarity < SIMILAR_FROM - 0.3  # the shipped library's closest pair: 0.36


def test_the_database_is_checked_for_near_duplicates_too(library):
    item = ChecklistItem.objects.get(code="ACC-02")
    item.question = ChecklistItem.objects.get(code="ACC-01").question.replace("later review", "review later")
    item.save()
    _, err = check_with_warnings("--database")
    assert "WARNING items ACC-01 and ACC-02 ask nearly the same question" in err
