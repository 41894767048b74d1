"""Evidence files, served only to members of the assessment's organisation."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from assessments.attachments import file_attachment, private_download
from assessments.models import EvidenceFile


@login_required
@require_safe
@private_download
def download(request, code):
    evidence = (
        EvidenceFile.objects.filter(code=code, answer__assessment__organisation__memberships__user=request.user)
        .select_related("answer")
        .first()
    )
    if evidence is None:
        raise Http404("No such file.")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = file_attachment(evidence.original_name, f"evidence-{evidence.code.hex[:8]}")
    # Never let a browser sniff an uploaded file into something it may run.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
