# Two commands: `make demo` (set up and serve the demo) and `make test` (every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed
# The port of `make demo` and `make serve` (make demo PORT=8001). Links in emails follow it,
# unless SAFEGUARDING_SITE_URL is set.
PORT ?= 8000
SAFEGUARDING_SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo prints every email (the console backend) in this terminal: those the server
# sends, and those queued for the task worker (django-tasks), which runs beside it.
DEMO_ENV = SAFEGUARDING_DEMO=1 SAFEGUARDING_SITE_URL='$(SAFEGUARDING_SITE_URL)' \
	SAFEGUARDING_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

.PHONY: install demo serve test lint bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/safeguarding migrate --noinput
	$(DEMO_ENV) $(BIN)/safeguarding demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a task worker beside it; emails print here (Ctrl+C stops both)"
	$(DEMO_ENV) $(BIN)/safeguarding db_worker & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/safeguarding runserver 127.0.0.1:$(PORT)

serve: install
	SAFEGUARDING_SITE_URL='$(SAFEGUARDING_SITE_URL)' $(BIN)/safeguarding runserver 127.0.0.1:$(PORT)

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
