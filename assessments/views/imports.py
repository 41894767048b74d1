"""Starting a new draft from an earlier assessment's JSON export: upload, preview, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments import selectors
from assessments.forms import ImportForm
from assessments.imports import (
    MAX_IMPORT_BYTES,
    ImportRejected,
    import_confirm,
    import_preview,
    import_stage,
    parse_export,
    plan_import,
)


def _memberships(request):
    memberships = [m for m in selectors.memberships_for_user(request.user) if m.can_edit]
    if not memberships:
        raise PermissionDenied(gettext("Only owners and editors can import."))
    return memberships


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    memberships = _memberships(request)
    form = ImportForm(request.POST or None, request.FILES or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        try:
            data = parse_export(form.cleaned_data["file"].read(MAX_IMPORT_BYTES + 1))
        except ImportRejected as exc:
            form.add_error("file", str(exc))
        else:
            pending = import_stage(
                session=request.session,
                membership=form.cleaned_data["organisation"],
                data=data,
                title=form.cleaned_data["title"],
                scope=form.cleaned_data["scope"],
            )
            plan = plan_import(data)
            return render(
                request,
                "assessments/import_preview.html",
                {
                    "token": pending.token,
                    "plan": plan,
                    "preview": import_preview(plan),
                    "title": pending.title,
                    "scope": pending.scope,
                },
            )
    return render(request, "assessments/import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def confirm(request):
    try:
        assessment, plan = import_confirm(
            session=request.session, memberships=_memberships(request), token=request.POST.get("token", "")
        )
    except ImportRejected as exc:
        messages.error(request, str(exc))
        return redirect("import")
    request.session["organisation"] = str(assessment.organisation.code)
    messages.success(
        request,
        gettext("Created a draft with %(filled)d answers filled; %(skipped)d skipped.")
        % {"filled": len(plan.fill), "skipped": len(plan.skipped)},
    )
    return redirect("assessment", code=assessment.code)
