"""The answer cards of a section page, rendered by Jinja2 (assessments/answer_cards.py): every
value put into them is escaped, as in Django's templates, and their words are translated."""

from django.urls import reverse

from assessments.services.comments import comment_add
from governance.models import ChecklistItem
from tests.assessments.helpers import items_in, section_url
from tests.cast import as_user
from tests.factories import seed_answers

THEME = "T05"
SCRIPT = "<script>alert(1)</script>"


def _answered(cast, assessment):
    owner = cast.membership(cast.owner)
    [code] = seed_answers(
        assessment,
        owner,
        themes=[THEME],
        limit=1,
        answer=lambda n, item: ("partial", f"Because {SCRIPT}", [f"https://e.example/?q={SCRIPT}"]),
    )
    comment_add(assessment=assessment, membership=owner, item=code, body=f"See {SCRIPT}")
    return code


def test_values_in_the_cards_are_escaped(client, cast, assessment):
    _answered(cast, assessment)
    item = ChecklistItem.objects.get(code=items_in(assessment, THEME)[1])
    item.question = f"Is {SCRIPT} shown as text?"
    item.save()
    for user in (cast.editor, cast.viewer):  # the form, and the read-only answer
        body = as_user(client, user).get(section_url(assessment, THEME)).content.decode()
        assert SCRIPT not in body
        assert "Because &lt;script&gt;alert(1)&lt;/script&gt;" in body  # the justification
        assert "See &lt;script&gt;alert(1)&lt;/script&gt;" in body  # the comment
        assert "Is &lt;script&gt;alert(1)&lt;/script&gt; shown as text?" in body  # the library's words
        assert "https://e.example/?q=&lt;script&gt;" in body  # the evidence URL


def test_the_cards_words_are_translated(client, cast, assessment):
    code = _answered(cast, assessment)
    editor = as_user(client, cast.editor)
    editor.cookies["django_language"] = "fr"
    body = editor.get(reverse("section", args=[assessment.code, THEME])).content.decode()
    card = body.split(f'id="item-{code}"')[1].split("</section>")[0]
    for words in ("Conseils et éléments de preuve", "1 commentaire", "Dernier enregistrement le", "Justification"):
        assert words in card, words
    assert "Last saved" not in card and "Guidance and evidence" not in card
