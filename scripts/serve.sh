#!/usr/bin/env bash
# Production serving: gunicorn for the app (WhiteNoise serves static files from it) and the
# django-tasks database worker for background report rendering. Settings come from the
# environment (see .env.example and docs/deploy.md); DJANGO_SECRET_KEY is required.
#   scripts/serve.sh            migrate, collect static files, start the worker and gunicorn
# Several app servers may run this against one PostgreSQL; migrations are safe to repeat.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
bind=${GUNICORN_BIND:-127.0.0.1:8000}
workers=${GUNICORN_WORKERS:-$(( $(nproc) * 2 + 1 ))}

$PY manage.py migrate --noinput
$PY manage.py createcachetable
$PY manage.py collectstatic --noinput --verbosity 0
if [ "${LOAD_LIBRARY:-1}" = 1 ]; then
  $PY manage.py load_library
fi

$PY manage.py db_worker --interval 2 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

# gunicorn's timeout bounds a stuck request; reports render in the worker, not here.
.venv/bin/gunicorn config.wsgi:application \
  --bind "$bind" --workers "$workers" --timeout "${GUNICORN_TIMEOUT:-60}" \
  --graceful-timeout 30 --max-requests 2000 --max-requests-jitter 200 \
  --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" --no-control-socket &
server=$!
trap 'kill "$server" "$worker" 2>/dev/null || true' EXIT INT TERM
wait -n "$server" "$worker"
