"""gunicorn settings that scripts/serve.sh loads (--config python:config.gunicorn); the rest
are on its command line, where they can be read at a glance."""

import os

from config.logging import gunicorn_logging

# gunicorn's own lines (start, workers booting, a worker killed) as JSON on stderr, like the
# app's; no access log of its own (the app writes that, with the request id).
logconfig_dict = gunicorn_logging(os.environ.get("DJANGO_LOG_LEVEL") or "INFO")
