"""The curating guide (docs/curating.md) and its worked example
(fixtures/examples/acme-ai-charter.yaml): the example loads on top of the shipped library, and
the commands and pages the guide shows behave as it says."""

import io
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands
from django.urls import reverse

from governance.models import ChecklistItem, Instrument, Principle
from governance.selectors import library_data

BASE = Path(settings.BASE_DIR)
GUIDE = BASE / "docs" / "curating.md"
EXAMPLE = BASE / "fixtures" / "examples" / "acme-ai-charter.yaml"
LIBRARY = BASE / "fixtures" / "library"

ACME_PRINCIPLES = {
    "ACME-1": "A named owner for every AI system",
    "ACME-2": "A yearly check against this charter",
    "ACME-3": "Open about the results",
}
ACME_ITEMS = {"ACC-90": ("T05", "OE24-1.5"), "TRN-90": ("T04", "SH-6")}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*map(str, args), stdout=out, stderr=err)
    return out.getvalue()


def check(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_library", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue() + err.getvalue() + str(exc)
    return True, out.getvalue()


def load_example():
    return run("load_library", EXAMPLE)


# --- loading the example -----------------------------------------------------------------------


def test_example_loads_on_top_of_the_shipped_library(library):
    before = library_data().records

    output = load_example()

    assert "created: 1 instruments, 2 item revisions, 2 items, 3 principles" in output
    assert "Library loaded." in output
    acme = Instrument.objects.get(code="ACME")
    assert acme.title_en == "Acme Responsible AI Charter"
    assert (acme.kind, acme.language, acme.position, acme.confidence) == ("report_code", "en", 90, "verified")
    assert acme.source_url.startswith("https://example.com/")
    assert not acme.retired

    principles = {p.code: p for p in Principle.objects.filter(instrument=acme)}
    assert {code: p.heading_en for code, p in principles.items()} == ACME_PRINCIPLES
    quoted = [p for p in principles.values() if p.quoted_text]
    assert [p.code for p in quoted] == ["ACME-1"]
    assert quoted[0].quote_citation.startswith("Acme Responsible AI Charter")

    for code, (theme, shipped) in ACME_ITEMS.items():
        item = ChecklistItem.objects.get(code=code)
        assert item.theme.code == theme and item.active
        links = {link.principle.code: link.relevance for link in item.principle_links.select_related("principle")}
        # Each new item reuses exactly one shipped principle, as supporting.
        assert {c: r for c, r in links.items() if not c.startswith("ACME-")} == {shipped: "supporting"}
    for principle in principles.values():
        assert principle.items.filter(active=True).exists(), f"{principle.code} is served by no item"

    # Nothing that was already loaded changed.
    after = library_data().records
    for model, records in before.items():
        assert {key: after[model][key] for key in records} == records


def test_loading_the_example_twice_is_idempotent(library):
    load_example()
    before = library_data().records

    output = load_example()

    assert "Library already up to date." in output
    assert "created" not in output and "updated" not in output
    assert library_data().records == before


def test_public_instrument_page_shows_the_example(client, library):
    load_example()
    url = reverse("library:instrument-detail", args=["ACME"])
    assert url == "/library/instruments/ACME/"

    response = client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Acme Responsible AI Charter" in body
    for heading in ACME_PRINCIPLES.values():
        assert heading in body
    assert Principle.objects.get(code="ACME-1").quoted_text in body
    for code in ACME_ITEMS:
        assert reverse("library:item-detail", args=[code]) in body
    assert "No item serves this principle yet." not in body


def test_crosswalk_has_an_acme_column(client, library):
    load_example()
    response = client.get(reverse("library:crosswalk"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{reverse("library:instrument-detail", args=["ACME"])}"' in body
    assert 'class="primary" title="A named owner for every AI system">ACME-1</a>' in body


# --- checking the example ----------------------------------------------------------------------


def test_check_example_with_the_shipped_library_passes():
    ok, shipped = check(LIBRARY)
    assert ok, shipped
    ok, combined = check(LIBRARY, EXAMPLE)
    assert ok, combined

    def counts(output):
        return {label: int(n) for n, label in re.findall(r"(\d+) (\w+)", output)}

    added = {k: counts(combined)[k] - counts(shipped)[k] for k in ("instruments", "principles", "items")}
    assert added == {"instruments": 1, "principles": 3, "items": 2}


def test_check_example_alone_fails_with_dangling_keys():
    ok, output = check(EXAMPLE)
    assert not ok
    assert (
        f"ERROR {EXAMPLE}: record 2 (governance.principle ACME-1): dangling key: theme 'T05' does not exist" in output
    )
    assert "dangling key: principle 'SH-6' does not exist" in output
    assert "dangling key: principle 'OE24-1.5' does not exist" in output


# --- the guide's commands and pages -----------------------------------------------------------

COMMAND = re.compile(r"^(?:\.venv/bin/python\s+)?manage\.py\s+(?P<rest>.*)$")


def guide_commands():
    """``(name, args, expect_failure)`` for each manage.py line in the guide's ```sh blocks."""
    text = GUIDE.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S):
        for line in block.splitlines():
            match = COMMAND.match(line.strip())
            if not match:
                continue
            command, _, comment = match["rest"].partition(" #")
            name, *args = shlex.split(command)
            commands.append((name, args, "fails" in comment))
    return commands


def test_guide_commands_exist():
    commands = guide_commands()
    names = {name for name, _, _ in commands}
    assert {"check_library", "load_library", "export_library"} <= names
    assert names <= set(get_commands()), names - set(get_commands())


def test_guide_commands_run_as_documented(library, tmp_path):
    """Run every command in the guide, in order, against the test database. Repository paths
    are resolved from BASE_DIR; export_library writes to a temporary directory instead."""
    ran = set()
    for name, args, expect_failure in guide_commands():
        if name == "export_library":
            args = [str(tmp_path)]
        else:
            args = [a if a.startswith("-") else str(BASE / a) for a in args]
        if expect_failure:
            with pytest.raises(CommandError):
                run(name, *args)
        else:
            run(name, *args)
        ran.add(name)
    assert {"check_library", "load_library", "export_library"} <= ran
    assert Instrument.objects.filter(code="ACME").exists()
    exported = (tmp_path / "instruments" / "ACME.yaml").read_text(encoding="utf-8")
    assert "code: ACME-3" in exported


def test_guide_output_matches_the_commands(library):
    text = GUIDE.read_text(encoding="utf-8")
    output = load_example()
    for line in (
        "created: 1 instruments, 2 item revisions, 2 items, 3 principles",
        "updated: 2 item links, 3 principle themes",
    ):
        assert line in output and line in text
    ok, errors = check(EXAMPLE)
    count = re.search(r"CommandError: (\d+) problem\(s\)", text)
    assert count and f"{count[1]} problem(s) in the library." in errors


def test_guide_pages_exist(client, library):
    load_example()
    paths = set(re.findall(r"`(/library/[^`\s]*)`", GUIDE.read_text(encoding="utf-8")))
    assert "/library/instruments/ACME/" in paths and "/library/crosswalk/" in paths
    for path in sorted(paths):
        assert client.get(path).status_code == 200, path


def test_guide_shows_the_warnings_as_the_commands_print_them(library, tmp_path):
    from governance.library.checks import NearDuplicate

    text = GUIDE.read_text(encoding="utf-8")
    assert f"WARNING {NearDuplicate('ACC-01', 'ACC-90', 0.86).message()}" in text
    # The instrument's file alone, in the shipped layout: its principles are left unserved.
    records = [r for r in yaml.safe_load(EXAMPLE.read_text()) if r["model"] != "governance.checklistitem"]
    alone = tmp_path / "instruments" / "ACME.yaml"
    alone.parent.mkdir()
    alone.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    err = io.StringIO()
    call_command("load_library", str(alone), stdout=io.StringIO(), stderr=err)
    first = err.getvalue().splitlines()[0]
    assert first == "WARNING principle ACME-1: no active checklist item serves it"
    assert f"`{first}`" in text
