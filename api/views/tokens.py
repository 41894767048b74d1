"""The settings page where a member makes, sees and revokes their personal access tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import TokenForm
from api.models import AccessToken
from api.selectors import tokens_of
from api.services import token_create, token_revoke
from assessments import selectors


def _membership(request):
    membership, _ = selectors.current_membership(request)
    if membership is None:
        raise Http404("You are not a member of any organisation.")
    return membership


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    membership = _membership(request)
    form = TokenForm(request.POST or None)
    created = raw = None
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = token_create(membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {"membership": membership, "form": form, "tokens": tokens_of(membership), "created": created, "raw": raw},
        status=400 if form.errors else 200,
    )
    if raw:
        # The page holds a secret: keep it out of every cache.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request, code):
    membership = _membership(request)
    token = AccessToken.objects.filter(code=code, membership=membership).first()
    if token is None:
        raise Http404("No such token.")
    token_revoke(membership=membership, token=token)
    messages.success(
        request,
        gettext("The token “%(name)s” (%(prefix)s…) is revoked and no longer works.")
        % {"name": token.name, "prefix": token.prefix},
    )
    return redirect("api:tokens")
