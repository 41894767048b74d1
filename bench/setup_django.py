"""Start Django for a benchmark on a throw-away SQLite database (or DATABASE_URL if set)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Production settings (DEBUG off, so templates are cached and no query log is kept), except that
# the test client speaks plain http: without these, SecurityMiddleware answers every request with
# a 301 to https and a benchmark times redirects. Static files are served from the app
# directories (no collectstatic into var/static); the manifest lookup that production adds per
# {% static %} tag is a dictionary lookup.
PLAIN_HTTP = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_HSTS_SECONDS": "0",
    "DJANGO_MANIFEST_STATIC": "0",
}


def setup():
    sys.path.insert(0, str(ROOT))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='aigov-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-7d2e9b4c1a6f3058")
    for name, value in PLAIN_HTTP.items():
        os.environ[name] = value
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # No access line per request: a benchmark makes thousands, and the table is its output.
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    assert not settings.DEBUG and not settings.SECURE_SSL_REDIRECT, "the benchmark must run without DEBUG, on http"
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
