"""Files of cached draft reports go when their row goes (a newer render, or the assessment
deleted), after the commit, so that a rolled-back delete keeps its file."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from assessments.models import DraftReport


@receiver(post_delete, sender=DraftReport, dispatch_uid="draft-report-file")
def _delete_draft_report_file(sender, instance, **kwargs):
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
