#!/usr/bin/env bash
# Production serving: gunicorn for the app (WhiteNoise serves static files from it) and the
# django-tasks database worker for background report rendering, each supervised on its own.
# Settings come from the environment (see .env.example and docs/deploy.md); DJANGO_SECRET_KEY
# is required.
#   scripts/serve.sh            migrate, collect static files, then run and supervise both
# Several app servers may run this against one PostgreSQL; migrations are safe to repeat.
#
# When gunicorn or the worker exits, for whatever reason, only that one is started again, after
# a pause that doubles with each quick failure (1 s up to 30 s; back to 1 s once it has run
# for a minute). SIGTERM or SIGINT stops both and then this script. Under systemd or a container
# runtime, prefer one unit or service per process instead (docs/deploy.md); this is for one
# machine without them. Every line it writes is one JSON object on stderr, like the app's.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
bind=${GUNICORN_BIND:-127.0.0.1:8000}
workers=${GUNICORN_WORKERS:-$(( $(nproc) * 2 + 1 ))}

log() {  # log LEVEL MESSAGE [KEY VALUE]...: one JSON line, as config/logging.py writes them
  local level=$1 message=$2 extra=""
  shift 2
  while [ $# -ge 2 ]; do extra+=", \"$1\": $2"; shift 2; done
  printf '{"time": "%s", "level": "%s", "logger": "serve", "message": "%s"%s}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%S.%3N+00:00)" "$level" "$message" "$extra" >&2
}

$PY manage.py migrate --noinput
$PY manage.py createcachetable
$PY manage.py collectstatic --noinput --verbosity 0
if [ "${LOAD_LIBRARY:-1}" = 1 ]; then
  $PY manage.py load_library
fi

# end_group GROUP: stop what is left of a process group whose leader has exited. A gunicorn
# master killed outright leaves its workers behind, still holding the port, so that a new master
# could not bind it; they get SIGTERM (they finish the request at hand), then SIGKILL after 30 s.
end_group() {
  local group=$1 waited=0
  kill -TERM -- "-$group" 2>/dev/null || return 0
  while kill -0 -- "-$group" 2>/dev/null && (( waited < 30 )); do
    sleep 1
    waited=$(( waited + 1 ))
  done
  kill -KILL -- "-$group" 2>/dev/null || true
}

# supervise NAME COMMAND...: run COMMAND, and run it again whenever it exits, until told to stop.
# COMMAND runs in a session (and process group) of its own, so that whatever it leaves behind can
# be found and ended before it starts again.
supervise() {
  local name=$1 child="" stopping="" pause=1 started status
  shift
  trap 'stopping=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM
  while [ -z "$stopping" ]; do
    started=$SECONDS
    # Not a group leader here, so setsid execs COMMAND in place: $! is COMMAND's pid and group.
    setsid "$@" &
    child=$!
    log INFO "$name started" process "\"$name\"" pid "$child"
    status=0
    # wait returns early when the TERM trap runs; then wait for the child to finish stopping.
    # (2>/dev/null: no "Killed" job notice from bash; the JSON line below says what happened.)
    wait "$child" 2>/dev/null || status=$?
    while kill -0 "$child" 2>/dev/null; do wait "$child" 2>/dev/null || status=$?; done
    end_group "$child"
    child=""
    [ -n "$stopping" ] && break
    if (( SECONDS - started >= 60 )); then pause=1; fi
    log WARNING "$name exited with status $status; starting it again in $pause s" \
      process "\"$name\"" status "$status" restart_in "$pause"
    sleep "$pause" &
    child=$!  # so that a TERM during the pause ends it at once
    wait "$child" || true
    child=""
    pause=$(( pause * 2 > 30 ? 30 : pause * 2 ))
  done
  log INFO "$name stopped" process "\"$name\""
}

# gunicorn's timeout bounds a stuck request; reports render in the worker, not here. Its log
# lines go through config/logging.py too (config/gunicorn.py); the app writes the access lines.
supervise web .venv/bin/gunicorn config.wsgi:application --config python:config.gunicorn \
  --bind "$bind" --workers "$workers" --timeout "${GUNICORN_TIMEOUT:-60}" \
  --graceful-timeout 30 --max-requests 2000 --max-requests-jitter 200 \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" --no-control-socket &
web=$!
supervise worker $PY manage.py db_worker --interval 2 &
worker=$!

stopping=""
stop() { kill -TERM "$web" "$worker" 2>/dev/null || true; }
trap 'stopping=1; stop' TERM INT
# Until a signal comes (the trap returns wait early) or a supervisor itself is gone, which
# never happens unless it was killed: then stop the other and exit non-zero, for whatever
# started this script to notice.
status=0
wait -n "$web" "$worker" || status=$?
stop
wait "$web" "$worker" || true
if [ -n "$stopping" ]; then
  log INFO "stopped"
  exit 0
fi
log ERROR "a supervisor exited (status $status); stopped the other" status "$status"
exit $(( status == 0 ? 1 : status ))
