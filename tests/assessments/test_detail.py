from django.urls import reverse

from tests.cast import as_user


def test_overview_shows_sections_and_progress(client, cast, assessment):
    response = as_user(client, cast.viewer).get(reverse("assessment", args=[assessment.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chatbot 2026" in body and "Customer chatbot" in body
    assert "人工智能安全发展上海倡议" in body
    assert reverse("section", args=[assessment.code, "T05"]) in body
    assert "Submit and lock" not in body  # viewers see no owner actions


def test_owner_sees_actions(client, cast, assessment):
    body = as_user(client, cast.owner).get(reverse("assessment", args=[assessment.code])).content.decode()
    assert "Send for review" in body and "Delete draft" in body


def test_outsider_anonymous_bad_id_and_wrong_method(client, cast, assessment):
    url = reverse("assessment", args=[assessment.code])
    assert client.get(url).status_code == 302
    client = as_user(client, cast.outsider)
    assert client.get(url).status_code == 404
    assert client.get("/assessments/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/assessments/12/").status_code == 404
    as_user(client, cast.owner)
    assert client.post(url).status_code == 405
