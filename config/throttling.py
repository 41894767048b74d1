"""Who a sign-in attempt is counted against, for django-axes (see AXES_* in settings)."""

from django.urls import reverse


def lockout_username(request, credentials):
    """The username, prefixed for attempts at the admin's sign-in page.

    The admin and the normal sign-in keep separate failure counts, so that failed admin
    sign-ins never lock a user out of the app, nor the other way round. ":" cannot occur in
    a Django username, so "admin:ann" names no real account.
    """
    if credentials:
        username = credentials.get("username")
    else:
        # The admin's form posts "username"; allauth's sign-in form posts "login".
        username = request.POST.get("username", request.POST.get("login"))
    if username is not None and request.path_info.startswith(reverse("admin:index")):
        return f"admin:{username}"
    return username
