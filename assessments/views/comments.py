"""Comments on an item: add one to its thread, or mark one resolved."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors
from assessments.models import Comment
from assessments.permissions import require_commenter
from assessments.review_forms import CommentForm
from assessments.services import TransitionRefused
from assessments.services.comments import comment_add, comment_resolve
from assessments.views.errors import conflict

THEME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _back(assessment, request, item):
    """The section page the comment was written on (its ``theme`` field), at the item."""
    theme = request.POST.get("theme", "")
    if THEME.match(theme):
        return reverse("section", args=[assessment.code, theme]) + f"#item-{item}"
    return reverse("assessment", args=[assessment.code])


def refused(request, errors, back, status=400):
    return render(request, "assessments/refused.html", {"errors": errors, "back": back}, status=status)


@login_required
@require_POST
def add(request, code, item):
    assessment, membership = selectors.assessment_for_member(request.user, code)
    require_commenter(membership)
    back = _back(assessment, request, item)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return refused(request, [e for errors in form.errors.values() for e in errors], back)
    try:
        comment_add(assessment=assessment, membership=membership, item=item, body=form.cleaned_data["body"])
    except ValidationError as exc:
        return refused(request, exc.messages, back)
    except TransitionRefused as exc:
        return conflict(request, exc, assessment)
    messages.success(request, _("Comment added to %(item)s.") % {"item": item})
    return redirect(back)


@login_required
@require_POST
def resolve(request, code):
    comment = Comment.objects.select_related("assessment__organisation").filter(code=code).first()
    if comment is None:
        raise Http404("No such comment.")
    assessment, membership = selectors.assessment_for_member(request.user, comment.assessment.code)
    try:
        comment_resolve(comment=comment, membership=membership)
    except TransitionRefused as exc:
        return conflict(request, exc, assessment)
    messages.success(request, _("Comment on %(item)s marked resolved.") % {"item": comment.item})
    return redirect(_back(assessment, request, comment.item))
