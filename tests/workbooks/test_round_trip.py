"""The spreadsheet round trip: download, fill in with openpyxl, upload, preview, confirm."""

from django.urls import reverse

from assessments.models import AnswerRevision
from assessments.selectors import assessment_record
from assessments.workbooks import layout
from tests.assessments.helpers import answers_of
from tests.cast import as_user
from tests.factories import approve, seed_answers
from tests.workbooks.helpers import confirm, download, open_book, row_of, save_book, upload


def test_the_workbook_reads_well(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], limit=1, justification="=cmd|' /C calc'!A0")
    book = open_book(download(client, cast.viewer, assessment))
    record = assessment_record(assessment=assessment)
    assert book.sheetnames[0] == layout.ABOUT_SHEET and book.sheetnames[-2:] == [
        layout.RESULTS_SHEET,
        layout.META_SHEET,
    ]
    assert len(book.sheetnames) == len(record.sections) + 3
    assert book[layout.META_SHEET].sheet_state == "hidden"
    sheet = book[layout.sheet_name("T05", record.section("T05").theme.name)]
    assert [c.value for c in sheet[1]] == layout.HEADER
    first = record.section("T05").items[0]
    row = sheet[2]
    assert (row[0].value, row[1].value, row[2].value, row[3].value) == (
        first.code,
        first.question,
        first.guidance,
        "Yes",
    )
    # Formula injection: the justification is text, not a formula.
    assert row[4].value == "=cmd|' /C calc'!A0" and row[4].data_type == "s"
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"Yes,Partially,No,Not applicable"'
    assert str(validation.sqref) == f"D2:D{1 + len(record.section('T05').items)}"
    results = book[layout.RESULTS_SHEET]
    assert [r[0].value for r in results.iter_rows(min_row=2, max_row=6)] == ["SH", "CF", "GA", "HL", "IC"]
    meta = {r[0]: r[1] for r in book[layout.META_SHEET].iter_rows(values_only=True)}
    assert meta["assessment"] == str(assessment.code) and meta["library release"] == record.release


def test_round_trip_gives_identical_answers(client, cast, assessment):
    owner = cast.membership(cast.owner)
    seed_answers(assessment, owner, themes=["T05"], limit=2)
    book = open_book(download(client, cast.editor, assessment))
    record = assessment_record(assessment=assessment)
    wanted = {}
    for n, item in enumerate(record.items[:12]):
        row = row_of(book, item.code)
        choice = ["yes", "partial", "no", "na"][n % 4]
        row[3].value = {"yes": "Yes", "partial": "Partially", "no": "no", "na": "Not applicable"}[choice]
        row[4].value = f"Offline reason {n}." if choice != "yes" else "=1+1"  # a formula, kept as text
        row[5].value = f"https://evidence.example/{n}\nhttps://evidence.example/{n}b"
        wanted[item.code] = (
            choice,
            row[4].value,
            (f"https://evidence.example/{n}", f"https://evidence.example/{n}b"),
        )
    preview = upload(client, cast.editor, assessment, save_book(book))
    assert preview.status_code == 200, preview.content.decode()[:2000]
    plan = preview.context["plan"]
    assert {c.row.code for c in plan.changes} == set(wanted) and not plan.conflicts
    assert answers_of(assessment) == {k: v for k, v in answers_of(assessment).items()}  # nothing saved yet
    revisions = AnswerRevision.objects.count()
    done = confirm(client, assessment, preview.context["token"])
    assert done.status_code == 302 and done["Location"] == reverse("assessment", args=[assessment.code])
    stored = answers_of(assessment)
    assert {code: stored[code][:3] for code in wanted} == wanted
    assert AnswerRevision.objects.count() == revisions + len(wanted)

    # Download again, upload unchanged: nothing changes.
    again = open_book(download(client, cast.editor, assessment))
    assert row_of(again, record.items[0].code)[4].value == wanted[record.items[0].code][1]
    preview = upload(client, cast.editor, assessment, save_book(again))
    assert preview.status_code == 200 and not preview.context["plan"].changes


def test_an_answer_saved_online_since_is_a_conflict(client, cast, assessment):
    raw = download(client, cast.editor, assessment)
    [code] = seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], limit=1, choice="no")
    book = open_book(raw)
    row_of(book, code)[3].value = "Yes"
    preview = upload(client, cast.editor, assessment, save_book(book))
    [change] = preview.context["plan"].conflicts
    assert change.before["choice"] == "no" and change.row.choice == "yes"
    assert "Changed online" in preview.content.decode()
    before = answers_of(assessment)
    refused = confirm(client, assessment, preview.context["token"])
    assert refused.status_code == 302 and refused["Location"] == reverse("workbook-upload", args=[assessment.code])
    assert answers_of(assessment) == before
    # Choosing to replace theirs saves it.
    preview = upload(client, cast.editor, assessment, save_book(book))
    assert confirm(client, assessment, preview.context["token"], replace=True).status_code == 302
    assert answers_of(assessment)[code][0] == "yes"


def test_an_answer_untouched_offline_keeps_the_newer_online_one(client, cast, assessment):
    raw = download(client, cast.editor, assessment)
    [code] = seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], limit=1, choice="no")
    preview = upload(client, cast.editor, assessment, raw)
    assert preview.status_code == 200 and not preview.context["plan"].changes
    assert answers_of(assessment)[code][0] == "no"


def test_a_confirmation_works_once(client, cast, assessment):
    book = open_book(download(client, cast.editor, assessment))
    code = assessment_record(assessment=assessment).items[0].code
    row_of(book, code)[3].value = "Yes"
    preview = upload(client, cast.editor, assessment, save_book(book))
    token = preview.context["token"]
    assert confirm(client, assessment, token).status_code == 302
    second = confirm(client, assessment, token)
    assert second["Location"] == reverse("workbook-upload", args=[assessment.code])
    assert answers_of(assessment)[code][3] == 1


def test_access(client, cast, assessment):
    raw = download(client, cast.viewer, assessment)
    assert upload(client, cast.viewer, assessment, raw).status_code == 403
    assert as_user(client, cast.viewer).get(reverse("workbook-upload", args=[assessment.code])).status_code == 403
    assert as_user(client, cast.outsider).get(reverse("workbook", args=[assessment.code])).status_code == 404
    assert upload(client, cast.outsider, assessment, raw).status_code == 404
    client.logout()
    assert client.get(reverse("workbook", args=[assessment.code])).status_code == 302
    assert as_user(client, cast.editor).get(reverse("workbook-confirm", args=[assessment.code])).status_code == 405
    assert as_user(client, cast.editor).get(reverse("workbook-upload", args=[assessment.code])).status_code == 200


def test_a_submitted_assessment_downloads_but_takes_no_upload(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], limit=1)
    raw = download(client, cast.editor, assessment)
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    assert open_book(download(client, cast.viewer, assessment))[layout.RESULTS_SHEET] is not None
    assert upload(client, cast.editor, assessment, raw).status_code == 403


def test_the_upload_page_has_one_form_that_a_browser_can_submit(client, cast, assessment):
    """Found by looking at the page: crispy's own <form> tag nested inside the page's made the
    button submit nothing in a browser, though the test client's posts worked."""
    page = as_user(client, cast.editor).get(reverse("workbook-upload", args=[assessment.code])).content.decode()
    main = page[page.index('<main id="main"') :]
    assert main.count("<form") == 1 and 'enctype="multipart/form-data"' in main
