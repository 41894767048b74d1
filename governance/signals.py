"""Every write to a library model bumps ``LibraryState.revision`` (see its docstring)."""

from django.apps import apps
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from governance.models import LibraryState


def library_changed() -> None:
    """Bump the library's revision, inside the caller's transaction when there is one."""
    now = timezone.now()
    if not LibraryState.objects.filter(pk=1).update(revision=F("revision") + 1, changed_at=now):
        LibraryState.objects.get_or_create(pk=1, defaults={"revision": 1, "changed_at": now})


def _changed(sender, raw=False, **kwargs):
    if not raw:  # fixtures load as they are; load_library bumps the revision itself
        library_changed()


def library_models():
    """The models whose rows a draft's report reads: every governance model but the state."""
    return [m for m in apps.get_app_config("governance").get_models() if m is not LibraryState]


def connect():
    for model in library_models():
        uid = f"library-changed-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
