"""The sign-up form allauth shows (ACCOUNT_FORMS): an account and the organisation it owns."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.core import context
from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.services.organisations import organisation_create_owned
from assessments.services.rules import MAX_ORGANISATION_NAME, organisation_name_clean
from config.client_ip import client_ip
from identity.services import has_mfa

# Taken usernames or addresses one client address may meet at sign-up per window.
SIGNUP_CONFLICTS = 10
SIGNUP_CONFLICT_WINDOW = 3600


class SignupForm(AllauthSignupForm):
    """Sign-up that does not say which usernames or addresses exist, and creates an organisation.

    allauth puts "A user with that username already exists." on the username field (and the like
    on the address). Here a taken username or address is a form-wide error that names no field,
    and each one counts against the client's address: after SIGNUP_CONFLICTS in an hour, sign-up
    from that address is refused whatever the details, so names cannot be tried in bulk.
    """

    organisation_name = forms.CharField(max_length=MAX_ORGANISATION_NAME, label=_("Organisation"))

    error_messages = {
        "unavailable": _(
            "We could not create an account with these details. If you have an account already, "
            "sign in or reset your password; if not, try another username."
        ),
        "throttled": _("Too many sign-up attempts from your address. Try again in an hour."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth gives its forms no request; its middleware keeps the current one.
        self._conflicts_key = f"signup-conflicts:{client_ip(context.request)}"

    def clean_organisation_name(self):
        try:
            return organisation_name_clean(self.cleaned_data["organisation_name"])
        except ValidationError as exc:
            raise ValidationError(exc.error_dict["organisation_name"][0]) from None

    def clean_username(self):
        # Validators and the blocklist, not the uniqueness check (a field error that confirms
        # the name): clean() does that.
        value = self.cleaned_data["username"]
        return get_adapter().clean_username(value, shallow=True)

    def clean_email(self):
        # Lower-cased and checked by the adapter; uniqueness in clean(), for the same reason.
        return get_adapter().clean_email(self.cleaned_data["email"].lower())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        conflicts = cache.get(self._conflicts_key, 0)
        if conflicts >= SIGNUP_CONFLICTS:
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        username, email = cleaned.get("username"), cleaned.get("email")
        users = get_user_model()._default_manager
        if users.filter(username__iexact=username).exists() or (
            EmailAddress.objects.filter(email__iexact=email).exists() or users.filter(email__iexact=email).exists()
        ):
            # add() then incr(): atomic in the database cache, so concurrent attempts all count.
            cache.add(self._conflicts_key, 0, timeout=SIGNUP_CONFLICT_WINDOW)
            cache.incr(self._conflicts_key)
            raise ValidationError(self.error_messages["unavailable"], code="unavailable")
        return cleaned

    @transaction.atomic
    def save(self, request):
        # The account and its organisation: both or neither.
        return super().save(request)

    def signup(self, request, user):
        """allauth's hook, inside save(): the organisation the new user owns."""
        organisation = organisation_create_owned(user=user, name=self.cleaned_data["organisation_name"])
        request.session["organisation"] = str(organisation.code)
        messages.success(
            request,
            gettext("Welcome. You are the owner of %(organisation)s.") % {"organisation": organisation.name},
        )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's own sign-in asks for a password only: staff who set up a second factor are
    sent to the site's sign-in, which asks for it, and reach the admin from there."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if has_mfa(user):
            raise ValidationError(
                _("You use two-factor authentication: sign in on the site's sign-in page, then open the admin."),
                code="mfa_elsewhere",
            )
