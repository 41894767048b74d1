"""The language switcher in the header: a small form that posts here (no JavaScript)."""

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.language import activate_for, known_language, remember_in_session, set_language_cookie
from accounts.models import Profile


def _back(request):
    # The page the switcher was on: its form sends no address of its own (a page must not echo
    # the address it was asked for: a 404 would repeat an id), the browser's Referer says it.
    for target in (request.POST.get("next"), request.headers.get("referer")):
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return target
    return "/"


@require_POST
def set_language(request):
    """Remember the chosen language: in the cookie always, and in a signed-in user's profile.

    An unknown code is refused with a 400 and changes nothing.
    """
    code = known_language(request.POST.get("language"))
    if code is None:
        return HttpResponseBadRequest(gettext("Unknown language."), content_type="text/plain; charset=utf-8")
    if request.user.is_authenticated:
        Profile.objects.update_or_create(user=request.user, defaults={"language": code})
        remember_in_session(request, code)
    activate_for(request, code)
    response = HttpResponseRedirect(_back(request))
    set_language_cookie(response, code)
    return response
