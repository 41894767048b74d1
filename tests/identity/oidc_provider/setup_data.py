"""Creates the provider's user and the app's client registration (run under the provider settings)."""

import os
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

email, password, redirect_uri, client_id, secret = sys.argv[1:6]
for username, address, last_name in (
    ("alice", email, ""),
    ("mallory", os.environ["OIDC_TEST_UNVERIFIED"], "unverified"),
):
    get_user_model().objects.create_user(username, email=address, password=password, last_name=last_name)
Application.objects.create(
    name="AIGov",
    client_id=client_id,
    client_secret=secret,
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=redirect_uri,
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=True,
)
