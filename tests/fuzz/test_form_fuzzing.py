"""Fuzzing the forms that write: answers, new assessments, invitations and imports.

Hypothesis posts arbitrary data. Whatever it sends, the app answers without a 500 (the test
client re-raises a view's exception, and every status is checked too), and the database either
stays exactly as it was or changes exactly as a successful save says: never a partial write.

Each form is fuzzed twice: as an honest client sends it (values the page offers, in any
combination: saves get through, so the checks behind the form run) and as a hostile client
sends it (junk, huge and odd text, repeated or missing fields).

All examples of one test share the test's transaction; each example runs in a savepoint that is
rolled back at its end, so examples do not see each other's writes. The smallest inputs found so
far that break an invariant are kept as plain tests at the end of the module.
"""

import contextlib
import copy
import json
import os
import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from hypothesis import HealthCheck, Phase, event, example, given, note, settings
from hypothesis import strategies as st

from assessments.exports import EXPORT_SCHEMA, EXPORT_VERSION
from assessments.models import Answer, AnswerRevision, Assessment, EvidenceFile, Invitation, Role
from assessments.selectors import assessment_record
from assessments.services import AnswerInput, answers_save
from governance.models import Instrument
from tests.assessments.helpers import form_data, items_in, section_of, section_url
from tests.cast import as_user

THEME = "T05"


def fuzz(examples):
    # Each example renders a page, so shrinking a failure can take minutes (Hypothesis allows
    # itself five): it is off unless FUZZ_SHRINK=1.
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,  # nothing written to .hypothesis/ in the repository
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
        + ([Phase.shrink] if os.environ.get("FUZZ_SHRINK") == "1" else []),
    )


# --- strategies ------------------------------------------------------------------------------

# Any character a client can send in UTF-8: everything but surrogates, so NUL, other control
# characters, bidi overrides, CJK and astral-plane characters are all in.
any_char = st.characters(blacklist_categories=("Cs",))
short_text = st.text(any_char, max_size=40)
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ request.user }}",
    "{% debug %}",
    "'; DROP TABLE assessments_answer; --",
    "../../etc/passwd",
    "\u202egnp.exe",
    "漢字かなカナ한국어",
    "人工智能治理",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07",
    "\r\n\r\n",
    "\u2028\u2029\x85",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "0",
    "-1",
    "1e309",
    "NaN",
    "9" * 30,
    " ",
    "\u00a0\u3000",
    "\ufeff",
    "%s%n%x",
    "${jndi:ldap://x}",
]
payload = st.sampled_from(PAYLOADS)
numberish = st.one_of(st.integers(), st.floats()).map(str)
huge_text = st.one_of(
    st.builds(lambda unit, n: (unit * n)[:6000], st.one_of(payload, short_text.filter(bool)), st.integers(1, 6000)),
    st.integers(4990, 5010).map(lambda n: "x" * n),  # around the justification limit
)
fuzz_text = st.one_of(
    st.just(""),
    short_text,
    payload,
    numberish,
    huge_text,
    st.lists(st.one_of(payload, short_text), min_size=2, max_size=5).map("".join),
)

MISSING = object()  # a field left out of the POST altogether
KEEP = object()  # a field left as the page sent it


def honest(valid):
    """A field's value as an honest client sends it: one the page offers."""
    return valid


def hostile(valid):
    """A field's value as a hostile client sends it: valid, junk, several values, or none."""
    one = st.one_of(valid, fuzz_text)
    return st.one_of(valid, valid, fuzz_text, st.lists(one, max_size=3), st.just(MISSING))


CLIENTS = pytest.mark.parametrize("field", [honest, hostile], ids=["honest", "hostile"])

# Answers.
CHOICES = ["yes", "partial", "no", "na", ""]
URLS = [
    "https://evidence.example/log",
    "http://intranet.example:8080/a?b=c#d",
    "https://例え.jp/パス",
    "https://evidence.example/" + "p" * 1000,
]
BAD_URLS = [
    "javascript:alert(1)",
    "file:///etc/passwd",
    "http://",
    "https://exa mple.com",
    "ftp://x.org/f",
    "//evidence.example/x",
    "https://evidence.example/\x00",
]
choice_value = st.sampled_from(CHOICES)
justification_value = st.sampled_from(
    ["Because.", "  Only for the chatbot.  ", "Ja. 因为。", "<b>b</b> & {{ x }}", "j" * 5000]
)
justification_junk = st.one_of(st.just(""), huge_text, fuzz_text)
urls_value = st.one_of(
    st.lists(st.sampled_from(URLS), max_size=3).map("\n".join),
    st.just("\n".join(f"https://evidence.example/{i}" for i in range(20))),
)
urls_junk = st.one_of(
    st.lists(st.sampled_from(URLS), max_size=3).map(lambda urls: "\n \n".join(urls) + "\n\n"),
    st.lists(st.sampled_from(URLS + BAD_URLS), max_size=4).map("\n".join),
    st.integers(18, 23).map(lambda n: "\r\n".join(f"https://evidence.example/{i}" for i in range(n))),
)
# Small versions collide with the saved ones (0, 1 and 2 in the section): conflicts and skips.
version_value = st.integers(0, 3).map(str)
version_junk = st.sampled_from(
    ["", "-1", "abc", "1.0", " 1 ", "١", "+1", "1_0", "0x1", "2.5", "-0", "9" * 25, "9" * 5000]
)

# Evidence files.
UPLOAD_NAMES = [
    "policy.pdf",
    "photo.png",
    "scan.jpg",
    "scan.jpeg",
    "notes.txt",
    "data.csv",
    "doc.docx",
    "sheet.xlsx",
    "run.exe",
    "noextension",
    ".pdf",
    "REPORT.PDF",
    "a.pdf.exe",
    "../../x.txt",
    "证据.txt",
    "x" * 300 + ".txt",
]
MAGIC = [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04", b"", b"MZ\x90\x00"]
upload_name = st.one_of(
    st.sampled_from(UPLOAD_NAMES),
    # The test client writes the name into a header unescaped: keep out what would break it.
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\/'), min_size=1, max_size=30
    ).flatmap(lambda stem: st.sampled_from(UPLOAD_NAMES).map(lambda n: stem + n[n.rfind(".") :])),
)
upload_content = st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from(MAGIC), st.binary(max_size=100)).map(lambda t: t[0] + t[1]),
    short_text.map(lambda s: s.encode("utf-8")),
)
any_upload = st.builds(SimpleUploadedFile, upload_name, upload_content)
good_upload = st.one_of(
    st.builds(SimpleUploadedFile, st.just("policy.pdf"), st.binary(max_size=50).map(lambda b: b"%PDF-1.7\n" + b)),
    st.builds(
        SimpleUploadedFile,
        st.sampled_from(["notes.txt", "证据.csv"]),
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=50).map(
            lambda s: s.encode("utf-8")
        ),
    ),
)

junk_key = st.one_of(
    st.from_regex(r"[A-Za-z0-9_\-\[\]\.]{1,30}", fullmatch=True),
    st.sampled_from(
        [
            "save_next",
            "csrfmiddlewaretoken",
            "choice",
            "version",
            "files",
            "-choice",
            "T05-choice",
            "__proto__",
            "ACC-01-choice-extra",
            "ZZZ-99-version",
        ]
    ),
)
junk_fields = st.dictionaries(junk_key, st.one_of(fuzz_text, st.lists(fuzz_text, max_size=2)), max_size=4)


def item_edits(field):
    """Edits of 1 to 3 items: which item (an index into the section), and the fields to replace.
    Half the time an item's version stays the one the page was loaded with."""
    if field is honest:
        values = {
            "choice": choice_value,
            "justification": justification_value,
            "evidence_urls": urls_value,
            "files": good_upload,
        }
        version = version_value
    else:
        values = {
            "choice": hostile(choice_value),
            "justification": hostile(st.one_of(justification_value, justification_junk)),
            "evidence_urls": hostile(st.one_of(urls_value, urls_junk)),
            "files": st.one_of(any_upload, st.lists(any_upload, min_size=1, max_size=2)),
        }
        version = hostile(st.one_of(version_value, version_junk))
    edit = st.fixed_dictionaries(
        {"index": st.integers(0, 40), "version": st.one_of(st.just(KEEP), version)}, optional=values
    )
    return st.lists(edit, min_size=1, max_size=3)


# New assessments and invitations.
instrument_id_junk = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "abc",
        "1.0",
        " 1",
        "1 ",
        "١",
        "+1",
        "01",
        "1_0",
        "99999999999999999999999",
        "9" * 5000,
        "null",
        "[1]",
        "1\x00",
    ]
)
emails = st.one_of(
    st.emails(),
    # Around the limits: the model's 254 characters and the form's 320.
    st.one_of(st.integers(1, 330), st.integers(235, 320)).map(lambda n: "a" * n + "@example.org"),
    st.sampled_from(
        [
            "a@b",
            "user@例え.jp",
            "ünïcödé@example.org",
            "user@[127.0.0.1]",
            "<script>@x.org",
            '"quoted local"@example.org',
            '"\x01"@example.org',
            "a@example.org\nBcc: x@y.org",
            " padded@example.org ",
            "a@@example.org",
            "@example.org",
            "a@example.org,b@example.org",
        ]
    ),
)

# Import files: arbitrary JSON values, export-shaped documents, real exports with changes, and
# bytes that are hard on a JSON parser.
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), fuzz_text)
json_value = st.recursive(
    json_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(short_text, st.sampled_from(["schema", "code", "answer", "items"])), children, max_size=4
        ),
    ),
    max_leaves=15,
)
EXPORT_KEYS = ["schema", "schema_version", "assessment", "instruments", "items"]


def encode_json(value, ascii_only=True):
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")


def export_documents(item_codes, instrument_codes, field):
    """Documents with the fields the import reads. From an honest client they are what an
    export could hold; from a hostile one, any of them may be any JSON value."""

    def value(good):
        return good if field is honest else st.one_of(good, good, good, json_value)

    item = st.fixed_dictionaries(
        {"code": value(st.sampled_from(item_codes))},
        optional={
            "answer": value(choice_value),
            # Any text the import accepts: at most 5000 characters, not blank.
            "justification": value(
                st.one_of(justification_value, fuzz_text.map(lambda t: t[:5000] if t.strip() else "x"))
            ),
            "evidence_urls": value(st.lists(st.sampled_from(URLS if field is honest else URLS + BAD_URLS), max_size=3)),
        },
    )
    document = st.fixed_dictionaries(
        {
            "schema": value(st.just(EXPORT_SCHEMA)),
            "schema_version": value(
                st.just(EXPORT_VERSION) if field is honest else st.sampled_from([1, 1.0, True, "1"])
            ),
            "assessment": value(st.fixed_dictionaries({}, optional={"title": value(fuzz_text)})),
            "instruments": value(
                st.lists(st.fixed_dictionaries({"code": value(st.sampled_from(instrument_codes))}), max_size=6)
            ),
            "items": value(st.lists(item, max_size=8, unique_by=lambda i: str(i.get("code"))[:16])),
        }
    )
    return st.tuples(document, st.booleans()).map(lambda t: encode_json(*t))


@st.composite
def mutated_exports(draw, base):
    """A real export with a few of its values replaced, removed or duplicated."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(["top", "assessment", "instrument", "item", "item", "item"]))
        if where == "top":
            parent, key = doc, draw(st.sampled_from(EXPORT_KEYS))
            new = json_value
        elif where == "assessment" and isinstance(doc.get("assessment"), dict):
            parent, key = doc["assessment"], draw(st.sampled_from(["title", "scope", "id"]))
            new = st.one_of(fuzz_text, json_value)
        elif where == "instrument" and isinstance(doc.get("instruments"), list) and doc["instruments"]:
            parent, key = draw(st.sampled_from(doc["instruments"])), "code"
            new = st.one_of(st.sampled_from(["SH", "CF", "XX", "", "sh"]), json_value)
        elif isinstance(doc.get("items"), list) and doc["items"]:
            parent = draw(st.sampled_from(doc["items"]))
            key = draw(st.sampled_from(["code", "answer", "justification", "evidence_urls", "links"]))
            new = {
                "code": st.one_of(
                    st.sampled_from([i.get("code") for i in doc["items"] if isinstance(i, dict)]), fuzz_text, json_value
                ),
                "answer": st.one_of(choice_value, choice_value, json_value),
                "justification": st.one_of(fuzz_text, fuzz_text, json_value),
                "evidence_urls": st.one_of(
                    st.lists(st.sampled_from(URLS), max_size=21),
                    st.lists(st.sampled_from(URLS + BAD_URLS), max_size=3),
                    json_value,
                ),
                "links": json_value,
            }[key]
        else:
            continue
        if not isinstance(parent, dict):
            continue
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "duplicate"]))
        if action == "delete":
            parent.pop(key, None)
        elif action == "duplicate" and isinstance(doc.get("items"), list):
            doc["items"].append(copy.deepcopy(parent))
        else:
            parent[key] = draw(new)
    return encode_json(doc, draw(st.booleans()))


hard_bytes = st.one_of(
    st.binary(max_size=500),
    json_value.map(encode_json),
    st.one_of(st.integers(1, 100_000), st.sampled_from([999, 1000, 5000])).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 20_000).map(lambda n: b'{"a": ' * n + b"1" + b"}" * n),
    st.one_of(st.integers(1, 6000), st.integers(4290, 4310)).map(lambda n: b'{"schema": ' + b"9" * n + b"}"),
    st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf{}",
            b"\xff\xfe{\x00}\x00",
            b"null",
            b"NaN",
            b"[Infinity]",
            b"-0",
            b'{"schema": "aigov.assessment-export"}',
            b"\x00" * 10,
            b'"' + b"a" * 10_000 + b'"',
            b'{"schema": "aigov.assessment-export", "schema_version": 1e400}',
        ]
    ),
)


# --- helpers ---------------------------------------------------------------------------------


@contextlib.contextmanager
def rolled_back():
    """Run one example in a savepoint that is rolled back at its end, whatever happens."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def signed_in(client, user):
    """A fresh session for each example: the last one's was rolled back with its savepoint."""
    client.cookies.clear()
    return as_user(client, user)


def last(value):
    """What a form sees for a field: the last of several values; None when it was not sent."""
    if value is MISSING:
        return None
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def clean_int(value):
    """forms.IntegerField's reading of a value, or None when it refuses it."""
    if value is None or value == "":
        return None
    try:
        return int(re.sub(r"\.0*\s*$", "", str(value)))
    except ValueError:
        return None


def without_missing(data):
    return {k: v for k, v in data.items() if v is not MISSING}


def shown(data):
    return {k: v[:200] + "…" if isinstance(v, str) and len(v) > 200 else v for k, v in data.items()}


def database_state(assessment):
    """Everything a section save can write: answers, revisions and evidence files."""
    answers = {
        a.item.code: (a.choice, a.justification, tuple(a.evidence_urls), a.version)
        for a in Answer.objects.filter(assessment=assessment).select_related("item")
    }
    revisions = sorted(
        (code, version, json.dumps(before, sort_keys=True), json.dumps(after, sort_keys=True))
        for code, version, before, after in AnswerRevision.objects.values_list(
            "answer__item__code", "version", "before", "after"
        )
    )
    files = sorted(EvidenceFile.objects.values_list("answer__item__code", "original_name", "size", "content_type"))
    return {
        "answers": answers,
        "revisions": revisions,
        "files": files,
        "counts": (Answer.objects.count(), AnswerRevision.objects.count(), EvidenceFile.objects.count()),
    }


def seed_answers(assessment, membership):
    """Two answers already saved (at versions 1 and 2), so that versions and conflicts are in play."""
    first, second = section_of(assessment, THEME).items[:2]
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(first.id, first.code, "yes", "", [], 0),
            AnswerInput(second.id, second.code, "no", "", [], 0),
        ],
    )
    answers_save(
        assessment=assessment,
        membership=membership,
        inputs=[
            AnswerInput(second.id, second.code, "partial", "Only in production.", [URLS[0]], 1),
        ],
    )


def intended_answer(data, code):
    """What a successful save must store for ``code``, read from the posted data: the answer,
    the version it was edited from, and the number of files attached."""
    choice = last(data.get(f"{code}-choice", MISSING)) or ""
    justification = (last(data.get(f"{code}-justification", MISSING)) or "").strip()
    urls = last(data.get(f"{code}-evidence_urls", MISSING)) or ""
    lines = tuple(line.strip() for line in urls.strip().splitlines() if line.strip())
    version = clean_int(last(data.get(f"{code}-version", MISSING)))
    files = data.get(f"{code}-files", [])
    files = [f for f in (files if isinstance(files, list) else [files]) if isinstance(f, SimpleUploadedFile)]
    return (choice, justification, lines), version, len(files)


# --- the answer form -------------------------------------------------------------------------


def check_section_post(client, cast, assessment, edits, junk):
    url = section_url(assessment, THEME)
    codes = [i.code for i in section_of(assessment, THEME).items]
    data = form_data(assessment, THEME)
    for edit in edits:
        code = codes[edit["index"] % len(codes)]
        for field, value in edit.items():
            if field != "index" and value is not KEEP:
                data[f"{code}-{field}"] = value
    data.update(junk)
    data = without_missing(data)
    note(f"posted: {shown(data)}")

    before = database_state(assessment)
    response = signed_in(client, cast.editor).post(url, data)
    after = database_state(assessment)
    event(f"section: {response.status_code}")

    assert response.status_code < 500
    assert response.status_code in (302, 400, 409)
    if response.status_code != 302:
        # Refused: nothing at all was written.
        assert after == before
        if response.status_code == 409:
            # A conflict needs an item posted from a version other than the saved one.
            assert any(intended_answer(data, c)[1] != before["answers"].get(c, (0, 0, 0, 0))[3] for c in codes)
        return

    themes = [s.theme.code for s in assessment_record(assessment=assessment).sections]
    here = themes.index(THEME)
    assert response["Location"] in {section_url(assessment, t) for t in themes[here : here + 2]}
    for code in set(before["answers"]) | set(after["answers"]):
        if code not in codes:
            assert after["answers"].get(code) == before["answers"].get(code)  # other sections untouched
    assert set(before["revisions"]) <= set(after["revisions"]) and set(before["files"]) <= set(after["files"])
    new_revisions = [r for r in after["revisions"] if r not in before["revisions"]]
    new_files = [f for f in after["files"] if f not in before["files"]]
    changed = []
    for code in codes:
        old, new = before["answers"].get(code), after["answers"].get(code)
        old_state, old_version = (old[:3], old[3]) if old else (("", "", ()), 0)
        state, version, files = intended_answer(data, code)
        if old == new and not [f for f in new_files if f[0] == code]:
            # Not saved: right only when nothing was changed, or when it was posted from another
            # version (then it is someone else's change that this form did not touch).
            assert version != old_version or (state == old_state and not files), f"{code}: change dropped"
            assert not [r for r in new_revisions if r[0] == code]
            continue
        changed.append(code)
        assert version == old_version, f"{code}: saved over a version it was not edited from"
        assert new[:3] == state, f"{code}: stored {new[:3]!r}, posted {state!r}"
        assert new[3] == old_version + 1
        assert [r[1] for r in new_revisions if r[0] == code] == [old_version + 1]
        assert len([f for f in new_files if f[0] == code]) == files
    assert after["counts"][1] == before["counts"][1] + len(changed) == len(before["revisions"]) + len(new_revisions)
    assert after["counts"][2] == before["counts"][2] + len(new_files)


@CLIENTS
def test_answer_form_fuzz(client, cast, assessment, field):
    seed_answers(assessment, cast.membership(cast.owner))
    extra = junk_fields if field is hostile else st.sampled_from([{}, {"save_next": "1"}])

    @fuzz(40)
    @given(edits=item_edits(field), junk=extra)
    @example(edits=[{"index": 2, "choice": "yes", "evidence_urls": URLS[0]}], junk={})  # a plain save
    @example(edits=[{"index": 3, "choice": "na"}, {"index": 4, "choice": "no"}], junk={})  # one bad item
    @example(edits=[{"index": 0, "choice": "no", "version": "0"}], junk={})  # stale: a conflict
    @example(edits=[{"index": 2, "choice": "yes", "files": SimpleUploadedFile("a.txt", b"text")}], junk={})
    def run(edits, junk):
        with rolled_back():
            check_section_post(client, cast, assessment, edits, junk)

    run()


# --- the new-assessment form -----------------------------------------------------------------


def char_field_ok(value, max_length, required=True):
    """Whether a forms.CharField accepts ``value`` (None: not sent)."""
    if value is None:
        return not required
    value = value.strip()
    return (bool(value) or not required) and len(value) <= max_length and "\x00" not in value


@CLIENTS
def test_assessment_create_form_fuzz(client, cast, field):
    ids = [str(pk) for pk in Instrument.objects.filter(retired=False).values_list("pk", flat=True)]
    instruments = st.lists(st.sampled_from(ids), min_size=1, max_size=5)
    if field is hostile:
        instruments = st.one_of(
            instruments,
            st.lists(st.one_of(st.sampled_from(ids), instrument_id_junk, fuzz_text), max_size=6),
            st.tuples(st.sampled_from(ids), st.integers(0, 1200)).map(lambda t: [t[0]] * t[1]),  # huge lists
            st.just(MISSING),
        )
    forms = st.fixed_dictionaries(
        {
            "title": field(st.sampled_from(["Chatbot 2027", "人工智能", " padded ", "<script>x</script>", "t" * 200])),
            "scope": field(st.sampled_from(["Customer chatbot", "{{ 7|add:7 }}", "s" * 300])),
            "description": field(
                st.one_of(st.just(""), huge_text.filter(lambda t: "\x00" not in t).map(lambda t: t[:5000]))
            ),
            "instruments": instruments,
        }
    )

    @fuzz(40)
    @given(form=forms)
    @example(form={"title": "Chatbot 2027", "scope": "Customer chatbot", "description": "", "instruments": ids[:2]})
    @example(
        form={"title": "Chatbot 2027", "scope": "Customer chatbot", "description": "", "instruments": [ids[0], "nope"]}
    )
    # Found by this test: an id beyond 64 bits made SQLite raise OverflowError, a 500.
    @example(
        form={
            "title": "Chatbot 2027",
            "scope": "Customer chatbot",
            "description": "",
            "instruments": ["-47901943735279481951587794490545405952", ids[0]],
        }
    )
    @example(
        form={
            "title": "Chatbot 2027",
            "scope": "Customer chatbot",
            "description": "",
            "instruments": [str(2**40), ids[0]],
        }
    )
    # Found by this test: single-line fields had their line breaks normalised as textareas do.
    @example(form={"title": "Two\r\nlines", "scope": "A\rB", "description": "", "instruments": ids[:1]})
    def run(form):
        with rolled_back():
            check_create(client, cast, ids, **form)

    run()


def check_create(client, cast, ids, title, scope, description, instruments):
    data = without_missing({"title": title, "scope": scope, "description": description, "instruments": instruments})
    note(f"posted: {shown(data)}")
    fields = sum(len(v) if isinstance(v, list) else 1 for v in data.values())
    values = instruments if isinstance(instruments, list) else [] if instruments is MISSING else [instruments]
    valid = (
        char_field_ok(last(title), 200)
        and char_field_ok(last(scope), 300)
        and char_field_ok(last(description), 5000, required=False)
        and bool(values)
        and all(v in ids for v in values)
        and fields <= django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS  # raised for large sections
    )
    existing = set(Assessment.objects.values_list("pk", flat=True))
    response = signed_in(client, cast.editor).post(reverse("assessment-create"), data)
    new = Assessment.objects.exclude(pk__in=existing)
    event(f"create: {response.status_code}")

    assert response.status_code < 500
    if not fields:
        assert response.status_code == 200 and not new.exists()  # an empty POST shows the empty form
    elif valid:
        assert response.status_code == 302
        created = new.get()
        assert response["Location"] == reverse("assessment", args=[created.code])
        assert created.organisation == cast.organisation
        assert (created.title, created.scope) == (last(title).strip(), last(scope).strip())
        assert set(created.instruments.values_list("pk", flat=True)) == {int(v) for v in values}
    else:
        assert response.status_code == 400
        assert not new.exists()


# --- the edit form ---------------------------------------------------------------------------


@CLIENTS
def test_assessment_edit_form_fuzz(client, cast, assessment, field):
    """The edit page's save (POST with the confirmation) changes the draft exactly when the
    input is valid, and never gives a 500; the review (without it) never writes."""
    ids = [str(pk) for pk in Instrument.objects.filter(retired=False).values_list("pk", flat=True)]
    instruments = st.lists(st.sampled_from(ids), min_size=1, max_size=5)
    if field is hostile:
        instruments = st.one_of(
            instruments,
            st.lists(st.one_of(st.sampled_from(ids), instrument_id_junk, fuzz_text), max_size=6),
            st.just(MISSING),
        )
    forms = st.fixed_dictionaries(
        {
            "title": field(st.sampled_from(["Chatbot 2027", "人工智能", " padded ", "<script>x</script>", "t" * 200])),
            "scope": field(st.sampled_from(["Customer chatbot", "{{ 7|add:7 }}", "s" * 300])),
            "description": field(
                st.one_of(st.just(""), huge_text.filter(lambda t: "\x00" not in t).map(lambda t: t[:5000]))
            ),
            "instruments": instruments,
            "confirm": st.sampled_from(["yes", MISSING]),
        }
    )

    @fuzz(40)
    @given(form=forms)
    @example(form={"title": "Renamed", "scope": "S", "description": "", "instruments": ids[:1], "confirm": "yes"})
    @example(form={"title": "Renamed", "scope": "S", "description": "", "instruments": ids[:1], "confirm": MISSING})
    def run(form):
        with rolled_back():
            check_edit(client, cast, assessment, ids, **form)

    run()


def check_edit(client, cast, assessment, ids, title, scope, description, instruments, confirm):
    data = without_missing(
        {"title": title, "scope": scope, "description": description, "instruments": instruments, "confirm": confirm}
    )
    note(f"posted: {shown(data)}")
    values = instruments if isinstance(instruments, list) else [] if instruments is MISSING else [instruments]
    valid = (
        char_field_ok(last(title), 200)
        and char_field_ok(last(scope), 300)
        and char_field_ok(last(description), 5000, required=False)
        and bool(values)
        and all(v in ids for v in values)
    )
    before = Assessment.objects.values_list("title", "scope", "description", "updated").get(pk=assessment.pk)
    response = signed_in(client, cast.editor).post(reverse("assessment-edit", args=[assessment.code]), data)
    after = Assessment.objects.get(pk=assessment.pk)
    event(f"edit: {response.status_code}")

    assert response.status_code < 500
    if valid and confirm == "yes":
        assert response.status_code == 302
        assert (after.title, after.scope) == (last(title).strip(), last(scope).strip())
        assert set(after.instruments.values_list("pk", flat=True)) == {int(v) for v in values}
    else:
        assert response.status_code == (200 if valid else 400)
        assert (after.title, after.scope, after.description, after.updated) == before


# --- the invitation form ---------------------------------------------------------------------


@CLIENTS
def test_invitation_form_fuzz(client, cast, field):
    forms = st.fixed_dictionaries(
        {
            "email": emails if field is honest else hostile(st.one_of(emails, fuzz_text)),
            "role": field(st.sampled_from(Role.values)),
        }
    )

    @fuzz(40)
    @given(form=forms)
    @example(form={"email": "new.member@example.org", "role": "viewer"})
    @example(form={"email": "not an email", "role": "editor"})
    @example(form={"email": "new.member@example.org", "role": "admin"})
    def run(form):
        with rolled_back():
            check_invite(client, cast, **form)

    run()


def check_invite(client, cast, email, role):
    data = without_missing({"email": email, "role": role})
    note(f"posted: {shown(data)}")
    existing = set(Invitation.objects.values_list("pk", flat=True))
    sent = len(mail.outbox)
    # The mail goes after the commit: run the commit's callbacks as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = signed_in(client, cast.owner).post(reverse("invite"), data)
    new = Invitation.objects.exclude(pk__in=existing)
    event(f"invite: {response.status_code}")

    assert response.status_code < 500
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert not new.exists() and len(mail.outbox) == sent
        return
    invitation = new.get()
    assert last(role) in Role.values and invitation.role == last(role)
    assert invitation.email == last(email).strip() and invitation.organisation == cast.organisation
    # What is stored must fit its column: PostgreSQL refuses a longer value (a 500 there).
    assert len(invitation.email) <= Invitation._meta.get_field("email").max_length
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == [invitation.email]


# --- the import ------------------------------------------------------------------------------


def export_of(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner))
    raw = signed_in(client, cast.owner).get(reverse("export-json", args=[assessment.code])).content
    return json.loads(raw)


def check_import(client, cast, raw, organisation, title, scope):
    data = without_missing({"organisation": organisation, "title": title, "scope": scope})
    note(f"posted: {shown(data)}; file: {raw[:300]!r}{'…' if len(raw) > 300 else ''} ({len(raw)} bytes)")
    data["file"] = SimpleUploadedFile("export.json", raw, content_type="application/json")
    count = Assessment.objects.count()
    client = signed_in(client, cast.owner)
    response = client.post(reverse("import"), data)
    event(f"import upload: {response.status_code}")

    assert response.status_code < 500
    assert response.status_code in (200, 400)
    assert Assessment.objects.count() == count  # the upload step writes no assessment
    if response.status_code == 400:
        assert not client.session.get("imports")
        return
    token, plan = response.context["token"], response.context["plan"]
    pending = client.session["imports"][token]
    assert 0 < len(pending["title"]) <= 200 and 0 < len(pending["scope"]) <= 300

    confirm = client.post(reverse("import-confirm"), {"token": token})
    event(f"import confirm: {confirm.status_code}")
    assert confirm.status_code == 302
    if Assessment.objects.count() == count:
        assert confirm["Location"] == reverse("import")
        assert not plan.instruments  # the one reason to refuse after a preview
        return
    assert Assessment.objects.count() == count + 1
    created = Assessment.objects.order_by("-pk").first()
    assert confirm["Location"] == reverse("assessment", args=[created.code])
    assert created.organisation == cast.organisation
    assert (created.title, created.scope) == (pending["title"], pending["scope"])
    assert set(created.instruments.all()) == set(plan.instruments)
    stored = {
        a.item.code: (a.choice, a.justification, list(a.evidence_urls), a.version)
        for a in created.answers.select_related("item")
    }
    assert stored == {a.code: (a.choice, a.justification, a.evidence_urls, 1) for a in plan.fill}
    # The forms refuse NUL; PostgreSQL cannot store it in text or JSON (a 500 there).
    texts = [
        created.title,
        created.scope,
        *(a[1] for a in stored.values()),
        *(url for a in stored.values() for url in a[2]),
    ]
    assert not [text for text in texts if "\x00" in text]


@pytest.mark.parametrize("kind", ["export-like", "hard-bytes", "hostile-form"])
def test_import_fuzz(client, cast, assessment, kind):
    base = export_of(client, cast, assessment)
    item_codes = [i["code"] for i in base["items"]]
    instrument_codes = [i["code"] for i in base["instruments"]]
    org = str(cast.organisation.code)
    field = hostile if kind == "hostile-form" else honest
    forms = st.fixed_dictionaries(
        {
            "organisation": hostile(st.sampled_from([org, org, org, str(cast.other_organisation.code)]))
            if field is hostile
            else st.just(org),
            "title": field(st.sampled_from(["", "Next year", "  ", "导入"])),
            "scope": field(st.sampled_from(["Chatbot v2", "s" * 300])),
        }
    )
    files = {
        "export-like": st.one_of(
            export_documents(item_codes, instrument_codes, honest),
            export_documents(item_codes, instrument_codes, hostile),
            mutated_exports(base),
        ),
        "hard-bytes": hard_bytes,
        "hostile-form": st.one_of(
            hard_bytes, export_documents(item_codes, instrument_codes, hostile), mutated_exports(base)
        ),
    }[kind]

    @fuzz(40)
    @given(raw=files, form=forms)
    @example(raw=encode_json(base), form={"organisation": org, "title": "", "scope": "Chatbot v2"})
    @example(raw=b"{not json", form={"organisation": org, "title": "", "scope": "Chatbot v2"})
    def run(raw, form):
        with rolled_back():
            check_import(client, cast, raw, **form)

    run()


# --- found by fuzzing ------------------------------------------------------------------------
# The smallest inputs found so far that break the invariants above, as plain tests. Each fails
# until the app is fixed; none is skipped or marked as expected to fail.


def test_a_forged_version_on_an_unanswered_item_is_refused_not_a_500(client, cast, assessment):
    """answers_save treats a base version other than 0 on an item with no answer as a possible
    conflict and reads ``answer.revisions`` of ``None``: AttributeError, a 500."""
    code = items_in(assessment, THEME)[0]
    data = form_data(assessment, THEME, **{code: {"choice": "yes", "version": "1"}})
    before = database_state(assessment)
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code in (400, 409)
    assert database_state(assessment) == before


def test_a_file_posted_with_a_forged_version_on_an_unanswered_item_is_refused_not_a_500(client, cast, assessment):
    """The same with an evidence file and no other change: the conflict it builds reads
    ``answer.updated_by`` of ``None``: AttributeError, a 500."""
    code = items_in(assessment, THEME)[0]
    data = form_data(assessment, THEME, **{code: {"version": "1", "files": SimpleUploadedFile("a.txt", b"x")}})
    before = database_state(assessment)
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code in (400, 409)
    assert database_state(assessment) == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply-nested"),  # RecursionError
        pytest.param(b"[" + b"9" * 4301 + b"]", id="integer-over-4300-digits"),  # ValueError
    ],
)
def test_json_that_python_refuses_to_parse_is_a_bad_file_not_a_500(client, cast, raw):
    """parse_export catches only UnicodeDecodeError and JSONDecodeError; json.loads also raises
    RecursionError for deep nesting and ValueError for integers over Python's 4300 digits."""
    response = as_user(client, cast.owner).post(
        reverse("import"),
        {
            "file": SimpleUploadedFile("export.json", raw, content_type="application/json"),
            "organisation": str(cast.organisation.code),
            "title": "",
            "scope": "Chatbot v2",
        },
    )
    assert response.status_code == 400
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("where", ["title", "justification", "evidence_url"])
def test_an_import_does_not_store_nul_characters(client, cast, assessment, where):
    """The forms refuse NUL (U+0000), but the import copies the export's title, justifications
    and evidence URLs as they are. SQLite stores them; PostgreSQL (the deployment database, which
    CI runs) refuses them, so confirming the import is a 500 there (DataError). Either step may
    refuse the file; nothing stored may contain NUL."""
    base = export_of(client, cast, assessment)
    if where == "title":
        base["assessment"]["title"] = "a\x00b"
    elif where == "justification":
        base["items"][0].update(answer="yes", justification="a\x00b")
    else:
        base["items"][0].update(answer="yes", evidence_urls=["https://evidence.example/a\x00b"])
    client = signed_in(client, cast.owner)
    preview = client.post(
        reverse("import"),
        {
            "file": SimpleUploadedFile("export.json", encode_json(base), content_type="application/json"),
            "organisation": str(cast.organisation.code),
            "title": "",
            "scope": "Chatbot v2",
        },
    )
    assert preview.status_code in (200, 400)
    if preview.status_code == 200:
        client.post(reverse("import-confirm"), {"token": preview.context["token"]})
    stored = [
        *Assessment.objects.values_list("title", flat=True),
        *Answer.objects.values_list("justification", flat=True),
        *(u for urls in Answer.objects.values_list("evidence_urls", flat=True) for u in urls),
    ]
    assert not [text for text in stored if "\x00" in text]


def test_an_invitation_email_longer_than_its_column_is_refused(client, cast):
    """forms.EmailField accepts up to 320 characters, Invitation.email holds 254: SQLite stores
    the rest anyway; PostgreSQL raises DataError (value too long for character varying(254)),
    a 500."""
    email = "a" * 243 + "@example.org"  # 255 characters
    response = as_user(client, cast.owner).post(reverse("invite"), {"email": email, "role": "viewer"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_an_imported_title_cut_at_its_limit_is_shown_as_the_draft_holds_it(client, cast, assessment):
    """The preview cut the title to 200 characters after stripping it, so a cut that ended in
    whitespace kept it, while the service strips again: the draft's title differed from the
    preview's (found by test_import_fuzz)."""
    base = export_of(client, cast, assessment)
    base["assessment"]["title"] = "a" * 199 + " b"  # "… (imported)" is appended, then cut at 200: "a…a "
    client = signed_in(client, cast.owner)
    preview = client.post(
        reverse("import"),
        {
            "file": SimpleUploadedFile("export.json", encode_json(base), content_type="application/json"),
            "organisation": str(cast.organisation.code),
            "title": "",
            "scope": "Chatbot v2",
        },
    )
    pending = client.session["imports"][preview.context["token"]]
    client.post(reverse("import-confirm"), {"token": preview.context["token"]})
    assert Assessment.objects.order_by("-pk").first().title == pending["title"]
