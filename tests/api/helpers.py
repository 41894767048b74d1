"""Tokens and requests for the API tests."""

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone

from api.models import Scope
from api.services import token_create

TOMORROW_PLUS = dt.timedelta(days=30)


def make_token(membership, scope=Scope.WRITE, *, name="Script"):
    """A token string for ``membership`` (a viewer's write request is refused by the service)."""
    _, raw = token_create(
        membership=membership, name=name, scope=scope, expires_on=timezone.localdate() + TOMORROW_PLUS
    )
    return raw


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def api(client, method, url, body=None, token=None):
    """A request as a script sends it: JSON in, JSON out, the token in the header."""
    headers = bearer(token) if token else {}
    if body is None:
        return client.generic(method, url, **headers)
    return client.generic(method, url, json.dumps(body), content_type="application/json", **headers)


def url(route, **kwargs):
    return reverse(f"api:{route}", kwargs=kwargs)
