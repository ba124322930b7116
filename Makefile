# Sidekem — two commands on a fresh machine:
#   make run    install, migrate, load the demo district and serve http://localhost:8000
#   make test   run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python site/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint bench bench-lighthouse clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
	$(MANAGE) compile_translations

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --port $(PORT)
	@echo "District portal: http://localhost:$(PORT)/   Kreo: http://kreo.localhost:$(PORT)/ (English: /en/)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(MANAGE) makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/bench_sites.py
	$(BIN)/python bench/bench_content.py
	$(BIN)/python bench/bench_http.py

# Lighthouse 12 (npm, tools/lighthouse) with Debian's chromium on the demo's public pages.
bench-lighthouse: install
	cd tools/lighthouse && npm ci --no-audit --no-fund --silent
	$(BIN)/python bench/bench_lighthouse.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles var build *.egg-info
