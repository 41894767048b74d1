"""The API docs page renders under the site's CSP: its assets come from the sidecar package,
served by the app itself, and it has no inline script or style."""

import re

from django.contrib.staticfiles import finders


def test_the_docs_page_needs_no_inline_code_and_no_other_origin(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    page = response.content.decode()
    assert "<style" not in page and " style=" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="/' in attrs for attrs in scripts)
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', page)
    assert not [a for a in assets if a.startswith("//")]
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
            assert client.get(asset).status_code == 200, asset


def test_the_start_up_script_is_a_file(client, db):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content and b"/api/schema/" in response.content
