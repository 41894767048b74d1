"""The only way WeasyPrint may load anything while it renders a report.

WeasyPrint's default fetcher reads any file: or http(s): URL in the markup, and
``<link rel="attachment" href="file:///…">`` would embed a server file in the PDF. This fetcher
allows ``data:`` URLs and the app's own report static files, read from disk after normalising
the path, and refuses everything else: other files, every network scheme, and so redirects.
It never calls the standard library's URL openers at all.
"""

import base64
import mimetypes
import urllib.parse
from pathlib import Path

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The report's own assets live here; nothing else on disk is reachable.
ALLOWED_ROOT = (Path(settings.BASE_DIR) / "static" / "report").resolve()
BASE_URL = ALLOWED_ROOT.as_uri() + "/"


class FetchRefused(ValueError):
    pass


class SafeURLFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme == "data":
            mime, data = _decode_data_url(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime})
        if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
            path = Path(urllib.parse.unquote(parsed.path)).resolve()
            if path.is_relative_to(ALLOWED_ROOT) and path.is_file():
                mime, _ = mimetypes.guess_type(path.name)
                return URLFetcherResponse(
                    path.as_uri(), path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
                )
        raise FetchRefused(f"Report rendering does not fetch {url[:100]!r}.")


def _decode_data_url(url):
    header, _, payload = url[len("data:") :].partition(",")
    mime, *params = header.split(";")
    data = base64.b64decode(payload) if "base64" in params else urllib.parse.unquote_to_bytes(payload)
    return mime or "text/plain", data
