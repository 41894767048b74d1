"""load_library rejects bad input: it names the file and the record, exits non-zero, and
leaves the database exactly as it was."""

import io

import pytest
from django.core.management import CommandError, call_command

from governance.models import ChecklistItem, Instrument, ItemPrinciple, LibraryRelease, Principle, PrincipleTheme, Theme
from governance.selectors import library_data
from tests.library_files import minimal, write_library

MODELS = [LibraryRelease, Theme, Instrument, Principle, PrincipleTheme, ChecklistItem, ItemPrinciple]


def snapshot():
    return library_data().records, [m.objects.count() for m in MODELS]


def load_expecting_error(*paths):
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_library", *map(str, paths), stderr=err, stdout=io.StringIO())
    assert "database is unchanged" in str(excinfo.value)
    return err.getvalue()


def principle_fields(records):
    return records["instruments/XA.yaml"][1]["fields"]


def item_fields(records):
    return records["items/T05.yaml"][0]["fields"]


def _retire_instrument_and_add_principle(r):
    r["instruments/XA.yaml"][0]["fields"]["retired"] = True


CASES = {
    "invalid-yaml": (lambda r: r.update({"items/T05.yaml": "- model: [unclosed\n"}), "items/T05.yaml", "invalid YAML"),
    "invalid-json": (
        lambda r: r.update({"extra.json": '[{"model": "governance.theme",'}),
        "extra.json",
        "invalid JSON",
    ),
    "not-a-list": (lambda r: r.update({"extra.yaml": "model: governance.theme\n"}), "extra.yaml", "list of records"),
    "unknown-model": (
        lambda r: r["themes.yaml"].append({"model": "governance.banana", "fields": {"code": "B"}}),
        "themes.yaml: record 3",
        "unknown model 'governance.banana'",
    ),
    "unknown-field": (
        lambda r: item_fields(r).update({"colour": "red"}),
        "items/T05.yaml: record 1 (governance.checklistitem ACC-91)",
        "unknown field 'colour'",
    ),
    "missing-required-field": (
        lambda r: item_fields(r).pop("question"),
        "items/T05.yaml: record 1 (governance.checklistitem ACC-91)",
        "missing required field 'question'",
    ),
    "empty-required-field": (
        lambda r: item_fields(r).update({"guidance": "   "}),
        "items/T05.yaml: record 1",
        "required field 'guidance' is empty",
    ),
    "duplicate-code": (
        lambda r: r["themes.yaml"].append(
            {"model": "governance.theme", "fields": {"code": "T01", "name": "Again", "description": "Dup."}}
        ),
        "themes.yaml: record 3 (governance.theme T01)",
        "duplicate code 'T01' (first defined at",
    ),
    "dangling-instrument": (
        lambda r: principle_fields(r).update({"instrument": "ZZ", "code": "ZZ-1"}),
        "instruments/XA.yaml: record 2 (governance.principle ZZ-1)",
        "dangling key: instrument 'ZZ'",
    ),
    "dangling-theme": (
        lambda r: item_fields(r).update({"theme": "T99"}),
        "items/T05.yaml: record 1 (governance.checklistitem ACC-91)",
        "dangling key: theme 'T99'",
    ),
    "dangling-principle": (
        lambda r: item_fields(r)["principles"].append({"principle": "XA-404", "relevance": "core"}),
        "items/T05.yaml: record 1",
        "dangling key: principle 'XA-404'",
    ),
    "principle-of-retired-instrument": (
        _retire_instrument_and_add_principle,
        "instruments/XA.yaml: record 2 (governance.principle XA-1)",
        "principle added to retired instrument 'XA'",
    ),
    "empty-quoted-text": (
        lambda r: principle_fields(r).update({"quoted_text": ""}),
        "instruments/XA.yaml: record 2 (governance.principle XA-1)",
        "quoted_text is empty",
    ),
    "quote-without-citation": (
        lambda r: principle_fields(r).pop("quote_citation"),
        "instruments/XA.yaml: record 2",
        "quoted_text needs a quote_citation",
    ),
    "bad-relevance": (
        lambda r: item_fields(r)["principles"][0].update({"relevance": "essential"}),
        "items/T05.yaml: record 1",
        "relevance 'essential'; it must be 'core' or 'supporting'",
    ),
    "weight-out-of-range": (
        lambda r: item_fields(r).update({"weight": 7}),
        "items/T05.yaml: record 1",
        "weight 7 is outside 1–3",
    ),
    "weight-not-a-number": (
        lambda r: item_fields(r).update({"weight": True}),
        "items/T05.yaml: record 1",
        "field 'weight' must be a whole number",
    ),
    "bad-choice": (
        lambda r: r["instruments/XA.yaml"][0]["fields"].update({"kind": "manifesto"}),
        "instruments/XA.yaml: record 1 (governance.instrument XA)",
        "field 'kind' is 'manifesto'",
    ),
    "bad-date": (
        lambda r: r["instruments/XA.yaml"][0]["fields"].update({"official_date": "May 2020"}),
        "instruments/XA.yaml: record 1",
        "not an ISO date",
    ),
    "bad-url": (
        lambda r: r["instruments/XA.yaml"][0]["fields"].update({"source_url": "file:///etc/passwd"}),
        "instruments/XA.yaml: record 1",
        "not an http(s) URL",
    ),
    "item-without-principles": (
        lambda r: item_fields(r).update({"principles": []}),
        "items/T05.yaml: record 1",
        "must list at least one principle",
    ),
    "record-not-a-mapping": (
        lambda r: r["themes.yaml"].append("T03"),
        "themes.yaml: record 3",
        "exactly the keys 'model' and 'fields'",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_library_input_is_rejected_and_changes_nothing(case, library, tmp_path):
    mutate, where, what = CASES[case]
    records = minimal()
    mutate(records)
    write_library(tmp_path, records)
    before = snapshot()

    errors = load_expecting_error(tmp_path)

    assert what in errors
    assert str(tmp_path / where.split(":")[0]) + where[len(where.split(":")[0]) :] in errors
    assert snapshot() == before


def test_file_over_20_mb_is_rejected(library, tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("w") as f:
        f.write("# padding\n")
        f.truncate(20 * 1024 * 1024 + 1)
    before = snapshot()

    errors = load_expecting_error(big)

    assert f"{big}: file is 20,971,521 bytes, over the 20,971,520-byte limit" in errors
    assert snapshot() == before


def test_error_in_a_later_file_keeps_earlier_valid_files_out(library, tmp_path):
    records = minimal()
    records["zz-broken.yaml"] = [{"model": "governance.theme", "fields": {"code": "T77"}}]
    write_library(tmp_path, records)
    before = snapshot()

    errors = load_expecting_error(tmp_path)

    assert "missing required field 'name'" in errors
    assert snapshot() == before
    assert not Instrument.objects.filter(code="XA").exists()


def test_every_problem_is_reported_at_once(library, tmp_path):
    records = minimal()
    item_fields(records).update({"colour": "red", "weight": 9})
    principle_fields(records).update({"quoted_text": ""})
    write_library(tmp_path, records)

    errors = load_expecting_error(tmp_path)

    assert "unknown field 'colour'" in errors
    assert "quoted_text is empty" in errors


def test_missing_path_is_reported(library, tmp_path):
    before = snapshot()
    errors = load_expecting_error(tmp_path / "nope.yaml")
    assert "nope.yaml: cannot read file" in errors
    assert snapshot() == before


def test_yaml_cannot_construct_python_objects(db, tmp_path):
    write_library(tmp_path, {"evil.yaml": "- !!python/object/apply:os.system ['true']\n"})
    errors = load_expecting_error(tmp_path)
    assert "evil.yaml: invalid YAML" in errors
