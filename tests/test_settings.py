"""Settings come from the environment through strict helpers."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list


def settings_import(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = settings_import(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_debug_runs_without_a_secret_key_on_sqlite():
    result = settings_import(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


GOOD_KEY = "kq2V7-hZp0_rN4sT9wYbE1cX6mA3uJ8dL5fG0iO2pQ7zR4vB1nM"  # 51 characters, varied


def test_database_url_selects_postgresql():
    result = settings_import(DJANGO_SECRET_KEY=GOOD_KEY, DATABASE_URL="postgres://u:p@127.0.0.1:5432/db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    "key",
    [
        "short",  # 5 characters: what the probe found accepted with a warning
        GOOD_KEY[:49],  # one short of Django's 50
        "abcd" * 20,  # long, but four different characters
        "django-insecure-" + GOOD_KEY,  # what startproject writes
    ],
)
def test_a_weak_secret_key_stops_start_up_when_debug_is_off(key):
    result = settings_import(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak for DJANGO_DEBUG off" in result.stderr
    assert key not in result.stderr  # the key itself is never printed


def test_a_strong_secret_key_starts():
    result = settings_import(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr


def test_debug_accepts_a_short_key():
    assert settings_import(DJANGO_DEBUG="1", DJANGO_SECRET_KEY="short").returncode == 0


def test_a_weak_key_also_stops_the_web_server_and_the_worker():
    """Settings refuse it as they load, so every process does: gunicorn, db_worker, manage.py."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "short"},
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_a_typo_in_a_boolean_stops_start_up():
    result = settings_import(DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


@pytest.mark.parametrize("value,expected", [("1", True), ("off", False), ("YES", True), ("", False)])
def test_env_bool(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert env_bool("FLAG", default=not expected) is expected


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)


def test_env_list(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
