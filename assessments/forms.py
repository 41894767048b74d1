import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.answer_parts import AnswerParts, answer_parts
from assessments.models import Choice, Role
from assessments.record.types import TemplateLookup
from assessments.services.rules import (
    MAX_DESCRIPTION,
    MAX_EMAIL,
    MAX_ID,
    MAX_ORGANISATION_NAME,
    MAX_SCOPE,
    MAX_TITLE,
    answer_clean,
    assessment_fields_clean,
    instruments_clean,
)
from assessments.services.staging import staged_resolve
from assessments.uploads import UploadRejected, check_upload
from governance.models import Instrument

DEFAULT_INSTRUMENT_CODES = ("SH", "CF", "GA", "HL", "IC")
# Taken usernames one client address may meet at sign-up per window (see SignupForm).
SIGNUP_CONFLICTS = 10
SIGNUP_CONFLICT_WINDOW = 3600


class SignupForm(UserCreationForm):
    """Sign-up that does not say which usernames exist.

    Django's form puts "A user with that username already exists." on the username field. Here
    a taken username is a form-wide error that names no field, and each one counts against the
    client's address: after SIGNUP_CONFLICTS taken names in an hour, sign-up from that address is
    refused whatever the name, so names cannot be tried in bulk. (While people choose their
    username and an account opens at once, a sign-up cannot hide a taken name completely; an
    e-mail-confirmed sign-up, planned with django-allauth, can.)
    """

    email = forms.EmailField(label=_("Email address"))
    organisation_name = forms.CharField(max_length=MAX_ORGANISATION_NAME, label=_("Organisation"))

    error_messages = {
        **UserCreationForm.error_messages,
        "unavailable": _(
            "We could not create an account with these details. If you have an account already, "
            "sign in or reset your password; if not, try another username."
        ),
        "throttled": _("Too many sign-up attempts from your address. Try again in an hour."),
    }

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, client: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._conflicts_key = f"signup-conflicts:{client}"

    def clean_username(self):
        # Not UserCreationForm's (a field error that confirms the name): see clean().
        return self.cleaned_data.get("username")

    def validate_unique(self):
        """The model's unique check would say the same on the field; clean() has done it."""

    def clean(self):
        cleaned = super().clean()
        conflicts = cache.get(self._conflicts_key, 0)
        if conflicts >= SIGNUP_CONFLICTS:
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        username = cleaned.get("username")
        if username and self._meta.model.objects.filter(username__iexact=username).exists():
            # add() then incr(): atomic in the database cache, so concurrent attempts all count.
            cache.add(self._conflicts_key, 0, timeout=SIGNUP_CONFLICT_WINDOW)
            cache.incr(self._conflicts_key)
            raise ValidationError(self.error_messages["unavailable"], code="unavailable")
        return cleaned


class InvitedSignupForm(SignupForm):
    """Sign-up from an invitation: no organisation (the account joins the inviting one), and
    the invited address, which the person cannot change."""

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, initial={"email": invitation.email}, **kwargs)
        del self.fields["organisation_name"]
        email = self.fields["email"]
        email.disabled = True  # the posted value is ignored: the invited address is used
        email.required = False  # nothing to fill in
        email.help_text = _("The address the invitation was sent to.")


class BoundedIdsChoiceField(forms.ModelMultipleChoiceField):
    """Rejects ids outside the database's integer range as invalid choices.

    Django catches ValueError and TypeError from the lookup of each posted id, but a 40-digit
    id makes SQLite raise OverflowError (PostgreSQL a DataError), which would be a 500.
    """

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: Django reports it as an invalid choice
            if not -MAX_ID <= number <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super().clean(value)


class AssessmentForm(forms.Form):
    """A new assessment, or (with ``assessment``) a draft's details and instruments.

    Whether the values make a valid assessment is decided by the service rules
    (``assessment_fields_clean``, ``instruments_clean``), so the form and the service agree.
    """

    title = forms.CharField(max_length=MAX_TITLE, label=_("Title"))
    scope = forms.CharField(max_length=MAX_SCOPE, label=_("AI system or scope"), help_text=_("What is being assessed."))
    # No max_length: browsers send line breaks as two characters, and the rule counts them as
    # one; the attribute keeps the browser's own limit in step.
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_DESCRIPTION}), required=False, label=_("Description")
    )
    instruments = BoundedIdsChoiceField(
        queryset=Instrument.objects.filter(retired=False),
        widget=forms.CheckboxSelectMultiple,
        label=_("Instruments"),
        help_text=_("The checklist is every item that serves a principle of these instruments."),
    )

    def __init__(self, *args, assessment=None, **kwargs):
        self.assessment = assessment
        self.kept = []
        if assessment is not None:
            self.kept = list(assessment.instruments.all())
            kwargs.setdefault(
                "initial",
                {
                    "title": assessment.title,
                    "scope": assessment.scope,
                    "description": assessment.description,
                    "instruments": self.kept,
                },
            )
        super().__init__(*args, **kwargs)
        if assessment is not None:
            # A retired instrument the draft already covers stays on offer, so that editing the
            # title does not drop it unasked.
            self.fields["instruments"].queryset = Instrument.objects.filter(
                Q(retired=False) | Q(pk__in=[i.pk for i in self.kept])
            )
        if not self.is_bound and "instruments" not in self.initial:
            self.initial["instruments"] = list(Instrument.objects.filter(code__in=DEFAULT_INSTRUMENT_CODES))
        self.fields["instruments"].label_from_instance = _instrument_label
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if {"title", "scope", "description"} <= data.keys():
            try:
                fields = assessment_fields_clean(
                    title=data["title"], scope=data["scope"], description=data["description"]
                )
            except ValidationError as exc:
                self.add_error(None, exc)
            else:
                data.update(title=fields.title, scope=fields.scope, description=fields.description)
        if "instruments" in data:
            try:
                data["instruments"] = instruments_clean(data["instruments"], kept=self.kept)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


def _instrument_label(i) -> str:
    label = f"{i.code} — {i.local.title}" + (f" · {i.title_original}" if i.title_original else "")
    return gettext("%(instrument)s (retired)") % {"instrument": label} if i.retired else label


class InvitationForm(forms.Form):
    email = forms.EmailField(max_length=MAX_EMAIL, label=_("Email address"))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR, label=_("Role"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ValuesField(forms.Field):
    """Every posted value of a repeated field (checkboxes), as a list of strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(v) for v in values]


class UUIDsField(ValuesField):
    def to_python(self, value):
        try:
            return [uuid.UUID(v) for v in super().to_python(value)]
        except ValueError:
            raise ValidationError(_("A file to remove is not one of this answer's files: reload the page.")) from None


class AnswerForm(forms.Form):
    """One checklist item's answer. The prefix is the item's code.

    The form turns posted text into values (URLs one per line); whether they make a valid answer
    is decided by ``assessments.services.rules.answer_clean``, the same rule the save applies.
    It is rendered by templates/jinja2/assessments/answer_cards.jinja from ``parts()``: plain values,
    ids and messages, so that a section of hundreds of items renders without a widget template
    per field.
    """

    choice = forms.ChoiceField(choices=Choice.choices, widget=forms.RadioSelect, required=False, label=_("Answer"))
    # No max_length, here or in the page: browsers send line breaks as two characters, so the
    # rule counts the length after normalising them, and a maxlength attribute would cut a long
    # paste without a word. The page counts characters as they are typed instead.
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Justification"),
        help_text=_("Required for Partially and Not applicable."),
    )
    evidence_urls = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Evidence URLs"),
        help_text=_("One per line."),
    )
    evidence_valid_until = forms.DateField(
        required=False,
        label=gettext_lazy("Evidence valid until"),
        help_text=gettext_lazy("Optional. After this date the evidence no longer counts in the evidenced score."),
    )
    files = MultipleFileField(
        required=False,
        label=_("Evidence files"),
        help_text=_("PDF, PNG, JPEG, DOCX, XLSX, CSV or TXT, at most 10 MB each."),
    )
    # Files kept from a refused save (signed tokens, see assessments.services.staging).
    staged = ValuesField(required=False)
    remove_files = UUIDsField(required=False)
    clear = forms.BooleanField(required=False, label=_("Clear this answer"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ID)

    def __init__(self, *args, item, staging=None, **kwargs):
        """``item``: the ItemRecord answered (its saved answer and files show in the form), or
        an ItemKey when saving; ``staging``: (assessment, membership), to check kept files."""
        kwargs.setdefault("prefix", item.code)
        super().__init__(*args, **kwargs)
        self.item, self.staging = item, staging
        self.kept = []  # StagedFile: files kept from a refused save, offered again

    def clean_evidence_urls(self):
        return [line.strip() for line in self.cleaned_data["evidence_urls"].splitlines() if line.strip()]

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            try:
                check_upload(upload)
            except UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from None
        return files

    def clean_staged(self):
        tokens = list(dict.fromkeys(self.cleaned_data["staged"]))
        if tokens and self.staging is None:
            raise ValidationError(_("A file kept from your last attempt is no longer available: choose it again."))
        kept, errors = [], []
        for token in tokens:
            assessment, membership = self.staging
            try:
                kept.append(
                    staged_resolve(token=token, assessment=assessment, membership=membership, item_code=self.item.code)
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
        self.kept = kept
        if errors:
            raise ValidationError(errors)
        return tokens

    def clean(self):
        data = super().clean()
        if "version" in self.errors:
            # The version is hidden: a bad one means a damaged or forged form, not a typo.
            self.add_error(None, _("This form is damaged or out of date: reload the page and enter the answer again."))
        if data.get("clear"):
            if data.get("files") or data.get("staged"):
                self.add_error("clear", _("Clear the answer or add files to it, not both in one save."))
            else:
                data.update(choice="", justification="", evidence_urls=[], evidence_valid_until=None)
        elif {"choice", "justification", "evidence_urls"} <= data.keys():
            try:
                clean = answer_clean(
                    choice=data["choice"],
                    justification=data["justification"],
                    evidence_urls=data["evidence_urls"],
                    evidence_valid_until=data.get("evidence_valid_until"),
                )
            except ValidationError as exc:
                self.add_error(None, exc)
            else:
                data.update(choice=clean.choice, justification=clean.justification, evidence_urls=clean.evidence_urls)
        return data

    def parts(self) -> AnswerParts:
        """What the template shows: each control's name, id, value and messages."""
        return answer_parts(self)


class _SharedFields(dict):
    """A form's fields, shared by all its instances instead of deep-copied into each.

    Django copies every field of a form when the form is made, so that one instance may change
    its own fields. ``AnswerForm`` never changes them, and a section's save makes one form per
    item: the copying was a third of the save's time (bench/pages.py, save-20). So it must never
    change them: a change to ``self.fields[...]`` (choices, widget attrs) in one form would apply
    to every form, in every thread. tests/assessments/test_answer_form.py checks they stay as
    declared after a form is validated.
    """

    def __deepcopy__(self, memo):
        return dict(self)


AnswerForm.base_fields = _SharedFields(AnswerForm.base_fields)


class ShownAnswer(TemplateLookup):
    """An item's answer form as a page first shows it: what an unbound ``AnswerForm`` renders,
    built without one. A bound form's machinery (its fields, bound fields and cleaning) is of
    no use to a page that only shows the answers, and nothing here is ever validated."""

    __slots__ = ("item", "prefix", "initial")
    is_bound = False
    errors = {}  # never written: an unbound form has no errors
    data = {}
    kept = ()

    def __init__(self, item):
        self.item, self.prefix = item, item.code
        answer = item.answer
        self.initial = (
            {"version": 0}
            if answer is None
            else {
                "choice": answer.choice,
                "justification": answer.justification,
                "evidence_urls": "\n".join(answer.evidence_urls),
                "evidence_valid_until": answer.evidence_valid_until,
                "version": answer.version,
            }
        )

    def parts(self) -> AnswerParts:
        return answer_parts(self)


class ImportForm(forms.Form):
    """Upload an assessment export to start a new draft from its answers."""

    file = forms.FileField(
        label=_("Assessment export (JSON)"), help_text=_("The export.json of an earlier assessment.")
    )
    organisation = forms.ChoiceField(label=_("Create the draft in"))
    title = forms.CharField(
        max_length=200, required=False, label=_("Title"), help_text=_("Leave empty to reuse the exported title.")
    )
    scope = forms.CharField(max_length=300, label=_("AI system or scope"))

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {str(m.organisation.code): m for m in memberships if m.can_edit}
        self.fields["organisation"].choices = [(code, m.organisation.name) for code, m in self.memberships.items()]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_organisation(self):
        return self.memberships[self.cleaned_data["organisation"]]
