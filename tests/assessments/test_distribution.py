"""The distribution marking an owner sets for the organisation's reports."""

import pytest
from django.urls import reverse

from assessments.models import Organisation
from tests.cast import as_user

URL = reverse("distribution")


def marking(cast):
    return Organisation.objects.get(pk=cast.organisation.pk).distribution


def test_internal_by_default_and_an_owner_sets_it(client, cast):
    assert marking(cast) == "internal"
    response = as_user(client, cast.owner).post(URL, {"distribution": "confidential"})
    assert response.status_code == 302 and response["Location"] == reverse("members")
    assert marking(cast) == "confidential"
    page = as_user(client, cast.owner).get(reverse("members")).content.decode()
    assert '<option value="confidential" selected>' in page


def test_it_sets_only_the_owners_own_organisation(client, cast):
    as_user(client, cast.outsider).post(URL, {"distribution": "public"})
    assert marking(cast) == "internal"


def test_without_an_organisation_it_is_404(client, django_user_model):
    user = django_user_model.objects.create_user("lonely", password="x")
    client.force_login(user)
    assert client.post(URL, {"distribution": "public"}).status_code == 404


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners(client, cast, role):
    assert as_user(client, getattr(cast, role)).post(URL, {"distribution": "public"}).status_code == 403
    assert marking(cast) == "internal"


def test_get_is_405(client, cast):
    assert as_user(client, cast.owner).get(URL).status_code == 405


@pytest.mark.parametrize("value", ["secret", "", "PUBLIC", "x" * 500])
def test_bad_input_is_400_and_changes_nothing(client, cast, value):
    response = as_user(client, cast.owner).post(URL, {"distribution": value})
    assert response.status_code == 400
    assert "Choose Confidential, Internal or Public." in response.content.decode()
    assert marking(cast) == "internal"
