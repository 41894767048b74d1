# The two set-up commands from the README: `make run` and `make test`.
PY := .venv/bin/python
# Development serving: DEBUG on, SQLite under var/ unless DATABASE_URL says otherwise.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}
# Two worker processes (pytest-xdist): the suite is independent per test, and CI machines have
# two cores; PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n 2

.PHONY: run test lint schema serve setup-run setup-test

run: setup-run
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py createcachetable
	$(RUN_ENV) $(PY) manage.py load_library
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Production serving (gunicorn + WhiteNoise + the task worker); see docs/deploy.md.
serve: setup-run
	scripts/serve.sh

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

# Lint and formatting, as CI runs them before the tests.
lint: setup-test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# The committed OpenAPI schema of the REST API (tests/api/test_schema.py keeps it in step).
schema: setup-test
	DJANGO_DEBUG=1 $(PY) manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

setup-run:
	scripts/setup.sh run

setup-test:
	scripts/setup.sh test
