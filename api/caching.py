"""Organisation data from the API is private, as the pages' downloads are
(``assessments.attachments.private_download``): no shared cache (a proxy, a CDN) may keep it,
and no client may store it. Django's ``cache_control`` decorator wants a Django request, and a
DRF view receives DRF's, so the header is set here."""

import functools

from django.utils.cache import patch_cache_control


def private(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper
