"""Results lead back to the questions: every item the results page, its summary, the gaps and
the instrument drill-down name links to that item on its section page."""

import re

from django.urls import reverse

from assessments.selectors import assessment_record
from tests.cast import as_user
from tests.factories import seed_answers


def item_links(body):
    """(theme, item code) of every link to an item on a section page."""
    return set(re.findall(r'href="/assessments/[0-9a-f-]+/sections/(T\d\d)/#item-([A-Z]+-\d+)"', body))


def themes_of(assessment):
    return {item.code: item.theme.code for item in assessment_record(assessment=assessment).items}


def test_every_gap_on_the_results_page_links_to_its_item(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], choice="no")
    response = as_user(client, cast.viewer).get(reverse("results", args=[assessment.code]))
    body = response.content.decode()
    links = item_links(body)
    themes = themes_of(assessment)
    shown = list(response.context["gaps"])
    assert shown
    for gap in shown:
        assert (themes[gap.item.code], gap.item.code) in links
    # The links go to the right section: each code with its own theme.
    assert all(themes[code] == theme for theme, code in links)


def test_the_summary_links_the_items_it_names(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], choice="no")
    response = as_user(client, cast.viewer).get(reverse("results", args=[assessment.code]))
    body = response.content.decode()
    summary = body[body.index('id="summary-heading"') : body.index("</section>", body.index('id="summary-heading"'))]
    named = [gap.item.code for gap in response.context["results"].gaps[:3]]
    themes = themes_of(assessment)
    for code in named:
        assert f'sections/{themes[code]}/#item-{code}">{code}</a>' in summary


def test_summary_text_is_escaped_around_the_links(client, cast, assessment):
    from django.template import Context, Template

    item = assessment_record(assessment=assessment).items[0]
    html = Template("{% load links %}{% link_item_codes text items assessment %}").render(
        Context({"text": f"<b>{item.code}</b> and XYZ-99", "items": [item], "assessment": assessment})
    )
    assert html.startswith("&lt;b&gt;<a href=")
    assert "XYZ-99" in html and "#item-XYZ-99" not in html  # not an item of this list: plain text


def test_every_item_of_the_drilldown_links_to_its_item(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"])
    response = as_user(client, cast.viewer).get(reverse("results-instrument", args=[assessment.code, "SH"]))
    links = item_links(response.content.decode())
    themes = themes_of(assessment)
    entries = [entry.item.code for block in response.context["drill"].principles for entry in block.entries]
    assert entries
    # Also those shown in full under an earlier principle, and the gaps of the instrument.
    for code in entries + [gap.item.code for gap in response.context["gaps"]]:
        assert (themes[code], code) in links


def test_the_link_lands_on_the_item(client, cast, assessment):
    seed_answers(assessment, cast.membership(cast.owner), themes=["T05"], choice="no")
    client = as_user(client, cast.editor)
    body = client.get(reverse("results", args=[assessment.code])).content.decode()
    theme, code = sorted(item_links(body))[0]
    section = client.get(reverse("section", args=[assessment.code, theme])).content.decode()
    assert f'id="item-{code}"' in section


def test_theme_rows_link_to_their_sections(client, cast, assessment):
    body = as_user(client, cast.viewer).get(reverse("results", args=[assessment.code])).content.decode()
    assert f'href="{reverse("section", args=[assessment.code, "T05"])}"' in body
