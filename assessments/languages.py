"""The language a download is made in: the ``lang`` parameter, else the active language."""

from django.conf import settings
from django.utils.translation import get_language


class UnknownLanguage(ValueError):
    pass


def codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def download_language(request) -> str:
    """``?lang=`` when given (one of settings.LANGUAGES, else ``UnknownLanguage``), otherwise the
    language the page is shown in."""
    wanted = request.GET.get("lang")
    if wanted is None or wanted == "":
        active = (get_language() or settings.LANGUAGE_CODE).lower()
        return active if active in codes() else settings.LANGUAGE_CODE
    wanted = wanted.strip().lower()
    if wanted not in codes():
        raise UnknownLanguage(wanted)
    return wanted
