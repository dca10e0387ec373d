# Two commands: `make demo` (set up and serve the demo) and `make test` (every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: install demo serve test lint bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/safeguarding migrate --noinput
	$(BIN)/safeguarding demo
	@echo "Serving on http://127.0.0.1:8000/ with a task worker beside it (Ctrl+C stops both)"
	$(BIN)/safeguarding db_worker & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	SAFEGUARDING_DEMO=1 $(BIN)/safeguarding runserver 127.0.0.1:8000

serve: install
	$(BIN)/safeguarding runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check safeguarding tests bench conftest.py
	$(BIN)/pytest -q -n auto -m "not browser"
	$(BIN)/pytest -q -m browser

lint: install
	$(BIN)/ruff check safeguarding tests bench conftest.py
	$(BIN)/ruff format --check safeguarding tests bench

# Pages under load (SQLite and PostgreSQL), figures and imports; writes docs/performance.md.
bench: install
	$(BIN)/python -m bench.run
