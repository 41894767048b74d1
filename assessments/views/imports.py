"""Starting a new draft from an earlier assessment's JSON export: upload, preview, confirm."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments import selectors
from assessments.forms import ImportForm
from assessments.imports import (
    MAX_IMPORT_BYTES,
    ImportData,
    ImportedAnswer,
    ImportRejected,
    import_apply,
    parse_export,
    plan_import,
)

SESSION_KEY = "imports"


def _memberships(request):
    memberships = [m for m in selectors.memberships_for_user(request.user) if m.can_edit]
    if not memberships:
        raise PermissionDenied("Only owners and editors can import.")
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
            token = str(uuid.uuid4())
            # Keep only the checked answers, not the upload, until the user confirms.
            request.session[SESSION_KEY] = {
                token: {
                    "title": form.cleaned_data["title"] or f"{data.title} (imported)"[:200],
                    "scope": form.cleaned_data["scope"],
                    "organisation": str(form.cleaned_data["organisation"].organisation.code),
                    "instruments": data.instruments,
                    "answers": [a.__dict__ for a in data.answers],
                }
            }
            return render(
                request,
                "assessments/import_preview.html",
                {"token": token, "plan": plan_import(data), **request.session[SESSION_KEY][token]},
            )
    return render(request, "assessments/import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def confirm(request):
    pending = request.session.get(SESSION_KEY, {}).get(request.POST.get("token", ""))
    if pending is None:
        messages.error(request, "That import has expired or was already used. Upload the file again.")
        return redirect("import")
    membership = next((m for m in _memberships(request) if str(m.organisation.code) == pending["organisation"]), None)
    if membership is None:
        raise PermissionDenied("You can no longer create assessments in that organisation.")
    data = ImportData(pending["title"], pending["instruments"], [ImportedAnswer(**a) for a in pending["answers"]])
    plan = plan_import(data)  # again: the library may have changed since the preview
    try:
        assessment = import_apply(membership=membership, plan=plan, title=pending["title"], scope=pending["scope"])
    except ImportRejected as exc:
        messages.error(request, str(exc))
        return redirect("import")
    del request.session[SESSION_KEY]
    request.session["organisation"] = pending["organisation"]
    messages.success(request, f"Created a draft with {len(plan.fill)} answers filled; {len(plan.skipped)} skipped.")
    return redirect("assessment", code=assessment.code)
