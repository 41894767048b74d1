import pytest

from api.models import Scope
from tests.api.helpers import make_token
from tests.factories import seed_answers

THEME = "T05"


@pytest.fixture
def tokens(cast):
    """A token of each member of Acme (read and write where the role allows), and the outsider's."""
    m = cast.membership
    from assessments.models import Membership

    outsider = Membership.objects.get(user=cast.outsider)
    return {
        "owner": make_token(m(cast.owner)),
        "editor": make_token(m(cast.editor)),
        "editor-read": make_token(m(cast.editor), Scope.READ),
        "viewer": make_token(m(cast.viewer), Scope.READ),
        "outsider": make_token(outsider),
    }


@pytest.fixture
def answered(cast, assessment):
    """The assessment with two answers in section T05; returns their codes."""
    return seed_answers(assessment, cast.membership(cast.owner), themes=[THEME], limit=2)
