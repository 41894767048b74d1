"""The curl example in docs/api.md works: run as written against a live server, with a real
token and assessment put in for the placeholders."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.api.helpers import make_token
from tests.assessments.helpers import answers_of

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


def example() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- The block below is run by tests/api/test_docs_example.py[^>]*-->\n```sh\n(.*?)```", text, re.S
    )
    assert match, "docs/api.md lost its tested example"
    return match.group(1)


def test_the_example_names_its_placeholders():
    script = example()
    for name in ("AIGOV", "TOKEN", "ASSESSMENT"):
        assert re.search(rf"^{name}=", script, re.M), name
    assert script.count("curl ") == 3


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_example_runs_against_a_live_server(live_server, cast, assessment):
    token = make_token(cast.membership(cast.editor))
    script = example()
    script = re.sub(r"^AIGOV=.*$", f"AIGOV={live_server.url}", script, flags=re.M)
    script = re.sub(r"^TOKEN=.*$", f"TOKEN={token}", script, flags=re.M)
    script = re.sub(r"^ASSESSMENT=.*$", f"ASSESSMENT={assessment.code}", script, flags=re.M)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"name":"Acme Robotics"' in done.stdout and '"saved":["ACC-01"]' in done.stdout
    assert answers_of(assessment)["ACC-01"] == (
        "partial",
        "Logs are kept for the chatbot only.",
        ("https://intranet.example/logging",),
        1,
    )
