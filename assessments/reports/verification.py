"""The report's verification URL and its QR code, drawn as SVG here (segno), never fetched.

The URL carries the report id and the data hash, so that scanning it opens the service's
``/verify/`` page already filled in: the reader sees at once whether the service issued a report
with this id over exactly this data.
"""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse


def verification_url(report_id: str | None, digest: str) -> str:
    """``SITE_URL/verify/?report=…&hash=…``; the path alone when SITE_URL is unset."""
    query = {"report": report_id, "hash": digest} if report_id else {"hash": digest}
    return f"{settings.SITE_URL}{reverse('verify')}?{urlencode(query)}"


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url``: medium error correction, quiet zone kept, no XML prolog,
    sized by the stylesheet. Only ``url`` (built above from a UUID and hex digits) goes in."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True)
