# The two commands: `make run` and `make test`. Both work on a machine with only Python:
# uv is installed if missing, and an embedded PostgreSQL and Redis are started when
# DATABASE_URL / REDIS_URL are unset (scripts/devservers.py).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
DEVSERVERS := $(PY) scripts/devservers.py run --
PYTEST_ARGS ?= -n 2 --dist worksteal

.PHONY: install run test lint migrate seed reliability bench clean _run _test

$(UV):
	$(PYTHON) -m venv .tools && .tools/bin/pip install --quiet uv

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python 3.11 || $(UV) sync --frozen
	touch $@

install: .venv/.installed

run: install
	@$(DEVSERVERS) $(MAKE) --no-print-directory _run

_run:
	DEBUG=true $(PY) manage.py migrate_schemas -v0
	DEBUG=true $(PY) manage.py setup_platform
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) scripts/run_all.py

test: install
	@$(DEVSERVERS) $(MAKE) --no-print-directory _test

_test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy

migrate: install
	@$(DEVSERVERS) bash -c 'DEBUG=true $(PY) manage.py migrate_schemas && DEBUG=true $(PY) manage.py setup_platform'

bench: install
	@$(DEVSERVERS) bash -c 'for b in bench/*.py; do $(PY) $$b || exit 1; done'

clean:
	$(PY) scripts/devservers.py clean || true
	rm -rf .data
