import io

from django.conf import settings
from django.core.management import call_command

from governance.library.files import layout
from governance.models import (
    ChecklistItem,
    Instrument,
    ItemPrinciple,
    LibraryRelease,
    Principle,
    PrincipleTheme,
    Theme,
)
from governance.selectors import library_data
from tests.library_files import minimal, write_library


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_loads_the_shipped_library(empty_library):
    output = run("load_library")

    assert "Library loaded." in output
    codes = list(Instrument.objects.values_list("code", flat=True))
    assert codes[:5] == ["SH", "CF", "GA", "HL", "IC"]  # the seed instruments come first
    assert len(codes) == 19
    assert Theme.objects.count() == 14
    assert Principle.objects.filter(instrument__code__in=codes[:5]).count() == 42
    assert Principle.objects.count() == 198
    assert ChecklistItem.objects.count() >= 84
    sh6 = Principle.objects.get(code="SH-6")
    assert sh6.instrument.code == "SH"
    assert [link.theme.code for link in sh6.theme_links.all()] == ["T04", "T05", "T13"]
    assert sh6.theme_links.get(is_primary=True).theme.code == "T04"


def test_loading_twice_changes_nothing(empty_library):
    run("load_library")
    before = library_data().records
    link_ids = list(ItemPrinciple.objects.order_by("id").values_list("id", flat=True))
    theme_link_ids = list(PrincipleTheme.objects.order_by("id").values_list("id", flat=True))

    output = run("load_library")

    assert "Library already up to date." in output
    assert "created" not in output and "updated" not in output
    assert library_data().records == before
    # Links were left alone, not deleted and recreated.
    assert list(ItemPrinciple.objects.order_by("id").values_list("id", flat=True)) == link_ids
    assert list(PrincipleTheme.objects.order_by("id").values_list("id", flat=True)) == theme_link_ids


def test_loading_updates_changed_records_and_links(empty_library, tmp_path):
    records = minimal()
    write_library(tmp_path, records)
    run("load_library", str(tmp_path))

    item = records["items/T05.yaml"][0]["fields"]
    item["question"] = "Is a named owner accountable for the system?"
    item["principles"][0]["relevance"] = "supporting"
    records["instruments/XA.yaml"][1]["fields"]["themes"] = ["T01"]
    write_library(tmp_path, records)
    output = run("load_library", str(tmp_path))

    assert "updated: 1 item links, 1 items, 1 principle themes" in output
    changed = ChecklistItem.objects.get(code="ACC-91")
    assert changed.question == "Is a named owner accountable for the system?"
    assert changed.principle_links.get().relevance == "supporting"
    assert [t.theme.code for t in Principle.objects.get(code="XA-1").theme_links.all()] == ["T01"]


def test_files_may_refer_to_records_already_loaded(empty_library, tmp_path):
    write_library(tmp_path / "base", minimal())
    run("load_library", str(tmp_path / "base"))
    extra = {
        "more.yaml": [
            {
                "model": "governance.checklistitem",
                "fields": {
                    "code": "ACC-92",
                    "title": "Audit log",
                    "theme": "T05",
                    "question": "Is there an audit log?",
                    "guidance": "Keep logs.",
                    "evidence_hint": "The log.",
                    "recommendation": "Start logging.",
                    "weight": 1,
                    "principles": [{"principle": "XA-1", "relevance": "supporting"}],
                },
            }
        ]
    }
    write_library(tmp_path / "extra", extra)

    run("load_library", str(tmp_path / "extra"))

    assert ChecklistItem.objects.get(code="ACC-92").principles.get().code == "XA-1"


def test_export_load_export_gives_identical_files(library, tmp_path):
    run("export_library", str(tmp_path / "first"))

    # Load the export into an empty library, then export again.
    for model in (ItemPrinciple, ChecklistItem, PrincipleTheme, Principle, Instrument, Theme, LibraryRelease):
        model.objects.all().delete()
    run("load_library", str(tmp_path / "first"))
    run("export_library", str(tmp_path / "second"))

    first = {p.relative_to(tmp_path / "first"): p.read_bytes() for p in (tmp_path / "first").rglob("*.yaml")}
    second = {p.relative_to(tmp_path / "second"): p.read_bytes() for p in (tmp_path / "second").rglob("*.yaml")}
    assert first and first == second


def test_shipped_files_are_in_canonical_export_form(library):
    """The shipped library is kept exactly as export_library writes it, so that a curator's
    export after admin edits diffs cleanly against the repository."""
    shipped = {
        str(p.relative_to(settings.LIBRARY_DIR)): p.read_text(encoding="utf-8")
        for p in settings.LIBRARY_DIR.rglob("*.yaml")
    }
    assert layout(library_data()) == shipped


def test_every_library_model_has_a_natural_key(library):
    from governance.signals import library_models  # every governance model but LibraryState

    for model in library_models():
        obj = model.objects.first()
        assert obj is not None, model
        key = obj.natural_key()
        assert model.objects.get_by_natural_key(*key) == obj


def test_migrations_are_complete(db):
    """A model change without its migration would pass the suite and break a deployment."""
    from django.core.management import call_command as run_command

    run_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_loading_an_instrument_file_alone_warns_that_its_principles_are_unserved(empty_library, tmp_path):
    """In the shipped layout an instrument's items live in the theme files: loading the
    instrument's file alone succeeds but leaves its principles without any item."""
    directory = write_library(tmp_path, minimal())
    run("load_library", str(directory / "release.yaml"), str(directory / "themes.yaml"))
    out, err = io.StringIO(), io.StringIO()
    call_command("load_library", str(directory / "instruments" / "XA.yaml"), stdout=out, stderr=err)
    assert "Library loaded." in out.getvalue()
    assert "WARNING principle XA-1: no active checklist item serves it" in err.getvalue()
    assert "run a plain `load_library`" in err.getvalue()

    # With the items' file too, nothing is left unserved.
    err = io.StringIO()
    call_command("load_library", str(directory), stdout=io.StringIO(), stderr=err)
    assert "WARNING" not in err.getvalue()


def test_the_shipped_library_loads_without_warnings(empty_library):
    err = io.StringIO()
    call_command("load_library", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
