"""Every private download (JSON and CSV exports, PDF reports, evidence files) is marked
``Cache-Control: private, no-store``, and is named by one helper (assessments/downloads.py):
an ASCII name for every client, the full Unicode name beside it (RFC 6266), and a name made of
the assessment's short id when the title leaves nothing in ASCII."""

from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.attachments import assessment_attachment, file_attachment
from assessments.models import EvidenceFile, Organisation
from tests.assessments.helpers import form_data, items_in, section_url
from tests.cast import as_user
from tests.factories import approve

THEME = "T05"


def evidence_of(client, cast, assessment, name="a.txt"):
    code = items_in(assessment, THEME)[0]
    data = form_data(assessment, THEME, **{code: {"choice": "yes", "files": SimpleUploadedFile(name, b"evidence")}})
    assert as_user(client, cast.editor).post(section_url(assessment, THEME), data).status_code == 302
    return EvidenceFile.objects.get(original_name=name)


def downloads(client, cast, assessment):
    """(label, response) of every kind of private download, for a draft and a submitted report."""
    evidence = evidence_of(client, cast, assessment)
    client = as_user(client, cast.viewer)
    got = [
        ("export.json", client.get(reverse("export-json", args=[assessment.code]))),
        ("export.csv", client.get(reverse("export-csv", args=[assessment.code]))),
        # An editor starts a draft's render (viewers download what editors prepared).
        ("draft report", as_user(client, cast.editor).get(reverse("report-pdf", args=[assessment.code]))),
        ("evidence", client.get(reverse("evidence", args=[evidence.code]))),
    ]
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    client = as_user(client, cast.viewer)
    got.append(("issued report", client.get(reverse("report-pdf", args=[assessment.code]))))
    return got


def test_every_private_download_is_not_cached(client, cast, assessment):
    for label, response in downloads(client, cast, assessment):
        assert response.status_code == 200, label
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (label, response["Cache-Control"])
        assert "public" not in directives and not any(
            d.startswith("max-age") and d != "max-age=0" for d in directives
        ), label


def test_a_report_being_prepared_is_not_cached_either(client, cast, assessment, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    approve(assessment=assessment, membership=cast.membership(cast.owner))
    response = as_user(client, cast.viewer).get(reverse("report-pdf", args=[assessment.code]))
    assert response.status_code == 202
    assert "no-store" in response["Cache-Control"]


def names(header):
    """(filename, decoded filename*) of a Content-Disposition value."""
    assert header.startswith("attachment; ")
    params = dict(part.split("=", 1) for part in header.removeprefix("attachment; ").split("; "))
    star = params.get("filename*")
    assert star is None or star.startswith("UTF-8''")
    return params["filename"].strip('"'), unquote(star.removeprefix("UTF-8''")) if star else None


@pytest.fixture
def chinese(cast, assessment):
    Organisation.objects.filter(pk=cast.organisation.pk).update(name="人工智能公司")
    assessment.title = "治理评估"
    assessment.save(update_fields=["title"])
    return assessment


def test_a_chinese_only_title_falls_back_to_the_short_id_and_keeps_the_real_name_beside(client, cast, chinese):
    short = chinese.code.hex[:8]
    for label, response in downloads(client, cast, chinese)[:3]:
        ascii_name, unicode_name = names(response["Content-Disposition"])
        extension = {"export.json": "json", "export.csv": "csv", "draft report": "pdf"}[label]
        assert ascii_name.startswith(f"assessment-{short}") and ascii_name.endswith(f".{extension}"), label
        assert unicode_name.startswith("人工智能公司-治理评估") and unicode_name.endswith(f".{extension}"), label
        assert not ascii_name.startswith("-")


def test_download_names_of_mixed_titles():
    class Named:
        def __init__(self, org, title):
            self.organisation = type("Org", (), {"name": org})()
            self.title = title
            self.code = type("Code", (), {"hex": "0123456789abcdef"})()

    assert names(assessment_attachment(Named("Acme Robotics", "Chatbot 2026"), "csv")) == (
        "acme-robotics-chatbot-2026.csv",
        None,
    )
    assert names(assessment_attachment(Named("Acme Robotics", "人工智能"), "json")) == (
        "acme-robotics-assessment-01234567.json",
        "acme-robotics-人工智能.json",
    )
    assert names(assessment_attachment(Named("Acme", "Déjà vu"), "csv")) == ("acme-deja-vu.csv", "acme-déjà-vu.csv")
    assert names(assessment_attachment(Named("😀", "!!!"), "csv")) == ("assessment-01234567.csv", None)
    long = names(assessment_attachment(Named("o" * 200, "t" * 200), "pdf"))[0]
    assert len(long) <= 140 and long.endswith(".pdf")
    # Nothing a title holds can break out of the header.
    assert names(assessment_attachment(Named('a"b', "c\\d\r\nX-Evil: 1;e=f"), "csv")) == ("ab-cd-x-evil-1ef.csv", None)


def test_evidence_keeps_its_uploaded_name():
    assert file_attachment("a.txt", "evidence-01234567") == 'attachment; filename="a.txt"'
    assert file_attachment('policy "v2".pdf', "evidence-01234567") == r'attachment; filename="policy \"v2\".pdf"'
    assert names(file_attachment("证据.txt", "evidence-01234567")) == ("evidence-01234567.txt", "证据.txt")
    assert names(file_attachment("Übersicht.pdf", "evidence-01234567")) == ("ubersicht.pdf", "Übersicht.pdf")


def test_a_chinese_evidence_name_downloads_with_a_fallback(client, cast, assessment):
    evidence = evidence_of(client, cast, assessment, name="证据.txt")
    response = as_user(client, cast.viewer).get(reverse("evidence", args=[evidence.code]))
    assert names(response["Content-Disposition"]) == (f"evidence-{evidence.code.hex[:8]}.txt", "证据.txt")
