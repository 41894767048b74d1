"""The client's address, as the proxies in front of the app saw it.

Behind N proxies that each append the address of their peer to X-Forwarded-For (nginx's
``$proxy_add_x_forwarded_for``), the last N - 1 entries are proxies and the one before them is
the client; REMOTE_ADDR is the last proxy. Everything further left came from the client and is
not trusted. django-ipware finds that position; its ``proxy_count`` counts the proxies that
appear *in* the header, which is one fewer than the proxies in front of the app.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    """The address that the first trusted proxy saw (or the peer's, without a proxy)."""
    peer = request.META.get("REMOTE_ADDR")
    proxies = settings.PROXY_COUNT
    if proxies == 0:
        # Straight from the client, X-Forwarded-For is whatever the client chose to send.
        return peer
    ip, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        # Not strict: entries left of the trusted position (a client's own X-Forwarded-For,
        # or junk) are ignored rather than making ipware distrust the whole header.
        strict=False,
    )
    # A header shorter than our proxies write means the request did not pass them all:
    # only the connection's own address is known then.
    return ip or peer
