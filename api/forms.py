import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import Scope
from api.services import MAX_NAME

DEFAULT_DAYS = 90


class TokenForm(forms.Form):
    """A new token. Its rules (name, scope for the role, expiry) are the service's; this only
    turns posted text into values."""

    name = forms.CharField(max_length=MAX_NAME, label=_("Name"), help_text=_("What the token is for, e.g. “GRC sync”."))
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect, label=_("Access"))
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working after this day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("expires_on", timezone.localdate() + dt.timedelta(days=DEFAULT_DAYS))
        self.helper = FormHelper()
        self.helper.form_tag = False
