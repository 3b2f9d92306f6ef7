# The two promises: `make run` (site with demo data) and `make test` (whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-one test-sqlite test-postgresql lint format install messages totp audit-deps bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Links in emails point at the address `make run` serves, and Django accepts its host
# (PORTAL_BASE_URL and ALLOWED_HOSTS from the environment win when set).
RUN_ENV = DJANGO_DEBUG=1 \
	PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,$(HOST)}"

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py sync_schedules
	$(PY) manage.py seed_demo
	@echo
	@echo "  Portal: http://$(HOST):$(PORT)/   (Ctrl-C stops the web server and the worker)"
	@echo "  Current TOTP code for staff demo accounts: $$($(PY) manage.py demo_totp)  (new code: make totp)"
	@echo "  Emails (sign-in codes) are printed below by the worker."
	@echo
	@$(RUN_ENV) bash -c 'trap "kill 0" INT TERM EXIT; \
		$(PY) manage.py qcluster & \
		$(PY) manage.py runserver $(HOST):$(PORT) & \
		wait'

# The whole suite: on SQLite, then on a throwaway PostgreSQL cluster. With
# DATABASE_URL set, only on that database.
test: install
	@if [ -n "$$DATABASE_URL" ]; then \
		$(MAKE) --no-print-directory test-one; \
	else \
		$(MAKE) --no-print-directory test-sqlite && $(MAKE) --no-print-directory test-postgresql; \
	fi

test-one:
	$(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: install
	@echo "== Test suite on SQLite =="
	DATABASE_URL= $(PY) -m pytest $(PYTEST_ARGS)

test-postgresql: install
	@echo "== Test suite on PostgreSQL (throwaway cluster) =="
	.ci/with-postgres $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy appeals portal
	$(VENV)/bin/bandit -q -r appeals portal -x appeals/migrations

# The benchmark of docs/performance.md (not part of `make test`): a million open
# appeals on a throwaway PostgreSQL cluster (synchronous commits on), served by
# gunicorn and driven by wrk beside two reference pages. About 15 minutes.
# BENCH_ARGS="--open 100000 --seconds 5" for a quicker look.
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get install -y -q --no-install-recommends wrk >/dev/null; \
		else echo "make bench needs wrk: apt-get install wrk"; exit 2; fi; }
	PG_THROWAWAY_DURABLE=1 .ci/with-postgres $(PY) -m portal.benchmark.run $(BENCH_ARGS)

# Release time only: needs the network (PyPI's advisory data). See docs/security.md.
audit-deps: install
	$(PY) -m pip install --quiet pip-audit
	$(VENV)/bin/pip-audit --local --skip-editable --desc on --strict

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l fr -l de --ignore=.venv --ignore=var --ignore=tests --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

totp: install
	@$(PY) manage.py demo_totp

clean:
	rm -rf var/static var/test-portal.sqlite3*
