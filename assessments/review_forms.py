"""Forms of the review's pages. They parse; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import MAX_COMMENT, ActionStatus, EventKind, Membership
from assessments.services.review import MAX_REASON


class ApproveForm(forms.Form):
    attest = forms.BooleanField(label=_("I make this attestation."), required=True)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it returned? What should be fixed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON,
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_COMMENT)


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.username} ({obj.get_role_display()})"


def _members(organisation, *, answering=False):
    members = Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__username")
    if answering:
        members = members.filter(role__in=["owner", "editor"])
    return members


class AssignmentForm(forms.Form):
    target = forms.CharField(label=_("Section or item code"), max_length=40)
    assignee = _MemberChoice(label=_("Assign to"), queryset=Membership.objects.none())
    due = forms.DateField(
        label=_("Due date (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _members(organisation, answering=True)


class ActionForm(forms.Form):
    """One gap's action. ``members`` (the organisation's, read once for the page) are the owner's
    choices: a page holds one form per gap, and a queryset would be read again by each."""

    item = forms.CharField(widget=forms.HiddenInput, max_length=40)
    owner = forms.TypedChoiceField(
        label=_("Owner"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    due = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    # No max_length: its maxlength attribute would cut a paste; the rule says how long it is.
    response = forms.CharField(
        label=_("Management response"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        self.fields["owner"].choices = [("", "—")] + [
            (m.pk, f"{m.user.username} ({m.get_role_display()})") for m in members
        ]

    def clean_owner(self):
        pk = self.cleaned_data["owner"]
        return self.members.get(pk) if pk is not None else None


def organisation_members(organisation) -> list[Membership]:
    return list(_members(organisation))


class LogFilterForm(forms.Form):
    """The log page's filters, from the query string. A value that does not parse (not a code,
    NUL characters, an unknown action) is dropped, and the log shows unfiltered on that field."""

    assessment = forms.UUIDField(required=False)
    person = forms.CharField(required=False, max_length=150)
    kind = forms.ChoiceField(required=False, choices=EventKind.choices)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "assessment": str(data["assessment"]) if data.get("assessment") else "",
            "person": data.get("person", ""),
            "kind": data.get("kind", ""),
        }
