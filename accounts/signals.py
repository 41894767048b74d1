"""At sign-in, the profile's language goes into the new session (accounts/language.py)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.language import activate_for, known_language, remember_in_session
from accounts.models import Profile


@receiver(user_logged_in, dispatch_uid="accounts.profile_language")
def profile_language_on_sign_in(sender, request, user, **kwargs):
    if request is None:
        return
    code = known_language(Profile.objects.filter(user=user).values_list("language", flat=True).first())
    if code:
        remember_in_session(request, code)
        # The page after the sign-in redirect reads the session; this response (the redirect, or
        # a page rendered at once) is already in the chosen language too.
        activate_for(request, code)
