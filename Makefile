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

CHROMIUM := /usr/lib/chromium/chromium

.PHONY: run test lint format migrations-check install clean chromium

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

# The browser tests drive Debian's chromium; Playwright never downloads a browser. Installed
# here when missing and apt-get is usable (root, or sudo without a password); otherwise the
# browser tests say what is missing (skipped locally, failed in CI).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
		echo "== installing Debian's chromium for the browser tests =="; \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
			|| echo "could not install chromium: the browser tests cannot run"; \
	fi

# The whole suite on the configured database; when that is not the SQLite default, the
# concurrency tests run again on SQLite so both engines are proven in one run.
test: lint chromium
	$(TEST_ENV) $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ] && [ "$${DATABASE_URL#sqlite}" = "$$DATABASE_URL" ]; then \
		echo "== portable tests again on the SQLite default =="; \
		$(TEST_ENV) DATABASE_URL= $(BIN)/pytest -m portable; \
	fi

clean:
	rm -rf $(VENV) db.sqlite3* test-db*.sqlite3* staticfiles
