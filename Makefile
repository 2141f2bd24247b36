# ClaimTrack: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

# The embedded default for development: SQLite, tasks in-process, DEBUG on.
RUN_ENV := DEBUG=true
# Tests need a secret key (DEBUG is off there); CI passes DATABASE_URL and REDIS_URL.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-not-a-secret}

.PHONY: run test lint format migrations-check install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py loaddemo
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

migrations-check: lint

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite on the configured database; when that is not the SQLite default, the
# concurrency tests run again on SQLite so both engines are proven in one run.
test: lint
	$(TEST_ENV) $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ] && [ "$${DATABASE_URL#sqlite}" = "$$DATABASE_URL" ]; then \
		echo "== portable tests again on the SQLite default =="; \
		$(TEST_ENV) DATABASE_URL= $(BIN)/pytest -m portable; \
	fi

clean:
	rm -rf $(VENV) db.sqlite3* test-db.sqlite3* staticfiles
