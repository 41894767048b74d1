"""The section page's answer form: written by hand (no crispy-forms per field), with the same
names, ids, labels, help and errors, and accessible: a fieldset and legend for the choice,
aria-describedby for help, counts and errors, aria-invalid on fields in error; justifications of
any length reach the server (no maxlength) and a too-long one is named as such; the keyboard
reaches the answers quickly; the last section leads on to the overview."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.selectors import assessment_outline
from tests.assessments.helpers import answers_of, form_data, items_in, section_url
from tests.cast import as_user

THEME = "T05"


def fields_of(body, code):
    """The HTML of item ``code``'s card."""
    return body.split(f'id="item-{code}"')[1].split("</section>")[0]


def test_the_form_is_not_rendered_by_crispy_forms(client, cast, assessment, monkeypatch):
    from assessments import answer_cards

    rendered = []
    monkeypatch.setattr(answer_cards, "cards_html", lambda **kw: rendered.append(kw) or "")
    response = as_user(client, cast.editor).get(section_url(assessment, THEME))
    names = {t.name for t in response.templates if t.name}
    # The cards come from the Jinja2 template of assessments/answer_cards.py, no widget templates.
    assert [len(kw["rows"]) for kw in rendered] == [len(items_in(assessment, THEME))]
    assert not [n for n in names if n.startswith(("bootstrap5/", "django/forms/"))], names


def test_the_form_has_the_same_names_ids_labels_and_help(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    body = as_user(client, cast.editor).get(section_url(assessment, THEME)).content.decode()
    card = fields_of(body, code)
    # The choice: a fieldset with a legend, one radio per answer with its label.
    assert re.search(rf'<fieldset[^>]*id="answer-{code}"', card)
    assert '<legend class="fs-6 form-label">Answer</legend>' in card
    for n, (value, label) in enumerate(
        [("yes", "Yes"), ("partial", "Partially"), ("no", "No"), ("na", "Not applicable")]
    ):
        assert f'name="{code}-choice" value="{value}" id="id_{code}-choice_{n}"' in card
        assert f'<label class="form-check-label" for="id_{code}-choice_{n}">{label}</label>' in card
    # Text fields: label, id, help text pointed at by aria-describedby.
    assert f'<label for="id_{code}-justification" class="form-label">Justification</label>' in card
    assert f'aria-describedby="id_{code}-justification_count id_{code}-justification_helptext"' in card
    assert f'id="id_{code}-justification_helptext" class="form-text">Required for Partially and Not applicable.' in card
    assert f'aria-describedby="id_{code}-evidence_urls_helptext"' in card and "One per line." in card
    assert f'type="file" name="{code}-files" id="id_{code}-files" multiple' in card
    assert f'<input type="hidden" name="{code}-version" value="0" id="id_{code}-version">' in card
    assert "aria-invalid" not in card


def test_errors_are_tied_to_their_fields(client, cast, assessment):
    first, second = items_in(assessment, THEME)[:2]
    data = form_data(
        assessment, THEME, **{first: {"choice": "na"}, second: {"choice": "yes", "evidence_urls": "ftp://x.org/f"}}
    )
    body = as_user(client, cast.editor).post(section_url(assessment, THEME), data).content.decode()
    card = fields_of(body, first)
    assert re.search(
        rf'id="id_{first}-justification"[^>]*aria-describedby="id_{first}-justification_error '
        rf'id_{first}-justification_count id_{first}-justification_helptext" aria-invalid="true"',
        card,
    )
    assert f'id="id_{first}-justification_error">Say why: a justification is required' in card
    card = fields_of(body, second)
    assert (
        f'aria-describedby="id_{second}-evidence_urls_error id_{second}-evidence_urls_helptext" aria-invalid="true"'
        in card
    )
    assert "Not an http(s) URL: ftp://x.org/f" in card


def test_a_damaged_form_says_so_above_the_item(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    data = form_data(assessment, THEME, **{code: {"version": "abc"}})
    body = as_user(client, cast.editor).post(section_url(assessment, THEME), data).content.decode()
    card = fields_of(body, code)
    assert f'id="id_{code}-errors"' in card and "This form is damaged or out of date" in card
    assert f'aria-describedby="id_{code}-errors"' in card  # the choice's fieldset points at it


# --- long justifications ---------------------------------------------------------------------


def test_no_maxlength_cuts_a_paste_and_a_count_shows_under_the_justification(client, cast, assessment):
    body = as_user(client, cast.editor).get(section_url(assessment, THEME)).content.decode()
    assert "maxlength" not in body
    code = items_in(assessment, THEME)[0]
    assert f'id="id_{code}-justification_count" data-limit="5000"><span data-count-text>0 / 5,000</span>' in body
    assert "js/char-count.js" in body


def test_a_full_justification_with_crlf_line_breaks_saves_through_the_page(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    lines = ["x" * 99] * 50  # 50 lines of 99 characters and 49 line breaks: 4,999 as typed
    text = "\r\n".join(lines) + "y"
    assert len(text.replace("\r\n", "\n")) == 5000 and len(text) == 5049
    data = form_data(assessment, THEME, **{code: {"choice": "partial", "justification": text}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 302
    saved = answers_of(assessment)[code][1]
    assert len(saved) == 5000 and "\r" not in saved
    page = client.get(section_url(assessment, THEME)).content.decode()
    assert "5,000 / 5,000" in page


@pytest.mark.parametrize("choice", ["partial", "na", "yes"])
def test_a_too_long_justification_is_named_as_too_long_with_its_count(client, cast, assessment, choice):
    code = items_in(assessment, THEME)[0]
    text = "\r\n".join(["y" * 100] * 60)  # 6,059 characters as typed, 6,118 as sent
    data = form_data(assessment, THEME, **{code: {"choice": choice, "justification": text}})
    response = as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The justification may be at most 5,000 characters; this one has 6,059." in body
    assert "a justification is required" not in body
    # What was typed comes back whole, and the count says by how much it is over.
    assert "6,059 / 5,000: 1,059 too many" in body
    assert body.count("y" * 100) == 60
    assert answers_of(assessment) == {}


# --- keyboard, icons, next steps -------------------------------------------------------------


def test_skip_link_and_the_principle_badges_come_after_the_answer(client, cast, assessment):
    body = as_user(client, cast.editor).get(section_url(assessment, THEME)).content.decode()
    first = items_in(assessment, THEME)[0]
    skip = body.index(f'href="#answer-{first}">Skip to answers</a>')
    assert skip < body.index('<nav class="navbar')
    card = fields_of(body, first)
    assert card.index('name="' + first + '-choice"') < card.index("/library/principles/")
    # The answers come before the list of sections.
    assert body.index(f'id="item-{first}"') < body.index('aria-label="Sections"')


def test_evidence_files_have_an_icon_that_needs_no_emoji_font(client, cast, assessment):
    code = items_in(assessment, THEME)[0]
    data = form_data(assessment, THEME, **{code: {"choice": "yes", "files": SimpleUploadedFile("a.txt", b"text")}})
    as_user(client, cast.editor).post(section_url(assessment, THEME), data)
    for user in (cast.editor, cast.viewer):
        body = as_user(client, user).get(section_url(assessment, THEME)).content.decode()
        assert "a.txt" in body and "📎" not in body
        assert '<svg class="icon-clip' in body and 'aria-hidden="true"' in body


def test_the_last_section_saves_and_leads_to_the_overview(client, cast, assessment):
    last = assessment_outline(assessment=assessment).sections[-1].theme.code
    url = section_url(assessment, last)
    page = as_user(client, cast.owner).get(url).content.decode()
    assert 'name="save_review"' in page and "Save and next section" not in page
    assert "is where you send the assessment for review" in page
    editor_page = as_user(client, cast.editor).get(url).content.decode()
    assert "is where you send the assessment for review" in editor_page

    code = items_in(assessment, last)[0]
    data = form_data(assessment, last, **{code: {"choice": "yes"}})
    data["save_review"] = ""
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("assessment", args=[assessment.code])
    assert answers_of(assessment)[code][0] == "yes"
    # Other sections do not offer it.
    assert 'name="save_review"' not in client.get(section_url(assessment, THEME)).content.decode()


def test_a_read_only_last_section_links_back_to_the_overview(client, cast, assessment):
    last = assessment_outline(assessment=assessment).sections[-1].theme.code
    page = as_user(client, cast.viewer).get(section_url(assessment, last)).content.decode()
    assert f'href="{reverse("assessment", args=[assessment.code])}">Back to the overview</a>' in page


def test_principle_badges_are_escaped_and_follow_the_words():
    from assessments.record.types import InstrumentRecord, LinkRecord, PrincipleRecord
    from assessments.templatetags.answers import badge_html

    def principle_badge(link):
        return badge_html(link, None, "/")

    def link(heading, relevance="core"):
        instrument = InstrumentRecord(
            "ZZ", "Z <b>instrument</b>", "", "en", "", "", None, "", "", "", None, "", "", "", ""
        )
        principle = PrincipleRecord("ZZ-1", instrument, 1, "1.", "", heading, "", "", "", "", "")
        return LinkRecord(principle, relevance)

    badge = principle_badge(link('Say "no" & <mean> it'))
    assert badge == (
        '<a class="code-badge badge text-bg-primary text-decoration-none" href="/library/principles/ZZ-1/" '
        'title="Z &lt;b&gt;instrument&lt;/b&gt;: Say &quot;no&quot; &amp; &lt;mean&gt; it (core)">ZZ-1</a>'
    )
    assert "Reworded" in principle_badge(link("Reworded"))
    assert "text-bg-light border" in principle_badge(link("Reworded", "supporting"))
    assert "(supporting)" in principle_badge(link("Reworded", "supporting"))


def test_a_shown_answer_is_what_an_unbound_form_shows(cast, assessment):
    """The page's forms are built without a Django Form (ShownAnswer); they give the same parts,
    answered or not, in each language."""
    from django.utils import translation

    from assessments.forms import AnswerForm, ShownAnswer
    from assessments.selectors import assessment_record
    from assessments.services import AnswerInput, answers_save

    first, second = items_in(assessment, THEME)[:2]
    record = assessment_record(assessment=assessment, section=THEME)
    item = next(i for i in record.section(THEME).items if i.code == first)
    answers_save(
        assessment=assessment,
        membership=cast.membership(cast.owner),
        inputs=[AnswerInput(item.id, first, "partial", "Because.", ["https://e.example/a"], 0)],
    )
    record = assessment_record(assessment=assessment, section=THEME)
    for item in [i for i in record.section(THEME).items if i.code in (first, second)]:
        answer = item.answer
        initial = (
            {
                "choice": answer.choice,
                "justification": answer.justification,
                "evidence_urls": "\n".join(answer.evidence_urls),
                "evidence_valid_until": answer.evidence_valid_until,
                "version": answer.version,
            }
            if answer
            else {"version": 0}
        )
        for language in ("en", "fr", "zh-hans"):
            with translation.override(language):
                assert ShownAnswer(item).parts() == AnswerForm(item=item, initial=initial).parts()


@pytest.mark.parametrize("code", ["ACC-01", "odd code", "a+b&c", "ü-1"])
def test_urls_filled_from_one_pattern_are_those_reverse_gives(code):
    from assessments.templatetags.answers import url_pattern, with_code

    assessment = "0b9f1c3e-3f6a-4d34-9d7e-2f1b4f8a6c11"
    assert with_code(url_pattern("library:item-detail"), code) == reverse("library:item-detail", args=[code])
    pattern = url_pattern("answer-history", assessment)
    assert with_code(pattern, code) == reverse("answer-history", args=[assessment, code])


def test_forms_share_their_fields_and_keep_their_own_data_and_errors(cast, assessment):
    from assessments.forms import AnswerForm
    from assessments.record.types import ItemKey

    def declared():
        return {
            name: (f.required, f.label, dict(f.widget.attrs), list(getattr(f, "choices", [])))
            for name, f in AnswerForm.base_fields.items()
        }

    before = declared()
    first, second = (ItemKey(n, code) for n, code in enumerate(items_in(assessment, THEME)[:2]))
    bad = AnswerForm({f"{first.code}-choice": "maybe", f"{first.code}-version": "0"}, item=first)
    good = AnswerForm({f"{second.code}-choice": "yes", f"{second.code}-version": "0"}, item=second)
    assert bad.fields["choice"] is good.fields["choice"]  # not copied per form (AnswerForm's base_fields)
    assert bad.fields is not good.fields  # each form's own mapping
    assert not bad.is_valid() and "choice" in bad.errors
    assert good.is_valid() and good.errors == {} and good.cleaned_data["choice"] == "yes"
    assert bad.errors["choice"] and not bad.is_valid()
    assert declared() == before  # validating changed none of the shared fields
