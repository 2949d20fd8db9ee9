# AHTC: `make demo` starts the product with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/dev-lock.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test test-browser test-postgres lint check messages clean install system-check

$(STAMP): requirements/dev-lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev-lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Pango for WeasyPrint; prints the apt-get line when it is missing.
system-check:
	@$(PYTHON) scripts/check_system.py

demo: system-check $(STAMP)
	$(BIN)/ahtc demo --serve --port 8000

# SQLite: one worker per core (each has its own database and cache). The
# PostgreSQL run stays serial: its workers would share one Redis.
test: system-check $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n auto

test-browser: system-check $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m browser

test-postgres: system-check $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n auto -m "not browser"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ahtc conftest.py
	$(BIN)/python scripts/check_glossary.py

check: lint
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(STAMP)
	cd ahtc && ../$(BIN)/django-admin makemessages -l ur --no-obsolete --add-location file
	cd ahtc && ../$(BIN)/django-admin compilemessages -l ur

clean:
	rm -rf $(VENV) var
