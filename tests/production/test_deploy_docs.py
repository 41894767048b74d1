"""docs/deploy.md stays true: every environment variable the settings read is in its table, the
systemd units it shows pass ``systemd-analyze verify``, and its compose file has the shape the
text describes (no container runtime here to run it)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "deploy.md").read_text()
# The strict helpers of config/env.py, and os.environ reads, in every settings module.
READ = re.compile(r"""(?:env_(?:str|bool|int|list|choice)\(|os\.environ(?:\.get\(|\[))\s*["']([A-Z][A-Z0-9_]*)["']""")
# Set for Django and gunicorn by the process, not by a deployment.
NOT_DEPLOYMENT = {"DJANGO_SETTINGS_MODULE"}


def fenced(language):
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)


def variables_read():
    names = set()
    for module in (ROOT / "config").glob("*.py"):
        names |= set(READ.findall(module.read_text()))
    return names - NOT_DEPLOYMENT


def documented():
    table = DOC.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    return {
        name
        for row in table.splitlines()
        if row.startswith("|")
        for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])
    }


def test_the_settings_read_the_variables_we_expect_to_find():
    """The scan itself works: it finds variables read on one line and across lines."""
    found = variables_read()
    assert {
        "DJANGO_SECRET_KEY",
        "DJANGO_SECURE_COOKIES",
        "DJANGO_EMAIL_BACKEND",
        "DJANGO_TASKS_BACKEND",
        "DJANGO_PROXY_COUNT",
        "DATABASE_URL",
        "DJANGO_LOG_LEVEL",
    } <= found


def test_every_variable_the_settings_read_is_documented():
    missing = sorted(variables_read() - documented())
    assert not missing, f"add to the table in docs/deploy.md: {missing}"


def test_the_scripts_variables_are_documented_too():
    script = (ROOT / "scripts" / "serve.sh").read_text()
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)[:}]", script))
    assert {"GUNICORN_BIND", "GUNICORN_WORKERS"} <= used
    assert not sorted(used - documented())


def units():
    """{file name: text} of the systemd units in the doc."""
    found = {}
    for block in fenced("ini"):
        first = block.splitlines()[0]
        if first.startswith("# /etc/systemd/system/"):
            found[first.rsplit("/", 1)[1]] = block
    return found


def test_the_doc_shows_a_web_and_a_worker_unit():
    found = units()
    assert set(found) == {"aigov-web.service", "aigov-worker.service"}
    assert "gunicorn config.wsgi:application --config python:config.gunicorn" in found["aigov-web.service"]
    assert "manage.py db_worker" in found["aigov-worker.service"]
    for text in found.values():
        assert "Restart=always" in text
        assert "BindsTo=" not in text and "Requires=aigov" not in text  # each restarts alone


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_units_verify(tmp_path):
    """With the checkout in /srv/aigov standing for this one, whose .venv exists."""
    env = tmp_path / "env"
    env.write_text("DJANGO_SECRET_KEY=x\n")
    paths = []
    for name, text in units().items():
        path = tmp_path / name
        path.write_text(text.replace("/srv/aigov", str(ROOT)).replace("/etc/aigov/env", str(env)))
        paths.append(str(path))
    result = subprocess.run(["systemd-analyze", "verify", *paths], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == "", result.stdout + result.stderr


def test_the_compose_file_runs_each_process_as_its_own_service():
    (block,) = [b for b in fenced("yaml") if b.startswith("# compose.yaml")]
    services = yaml.safe_load(block)["services"]
    assert set(services) == {"db", "migrate", "web", "worker"}
    assert services["web"]["command"].startswith("gunicorn config.wsgi:application --config python:config.gunicorn")
    assert services["worker"]["command"] == "python manage.py db_worker --interval 2"
    for name in ("db", "web", "worker"):
        assert services[name]["restart"] == "always", name
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        assert services[name]["environment"]["DATABASE_URL"].endswith("@db:5432/aigov")
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "migrate --noinput" in services["migrate"]["command"]
    # The port is published to the host's loopback only: the reverse proxy's side.
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
