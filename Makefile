# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Local work: debug on, SQLite and in-process Celery unless the environment says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-true}
# `make run PORT=8001` serves on another port.
PORT ?= 8000
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-make-test-only-secret-key-not-for-any-deployment-0123456789}
# Tests run in one process per core (pytest-xdist). Each process takes whole files in
# the order pytest-django sorts them (transactional tests last), which also keeps the
# Redis tests, sharing one Redis database, in one process. TEST_WORKERS=0: one process.
TEST_WORKERS ?= auto
PLOTLY_JS := static/vendor/plotly/plotly.min.js
PLOTLY_LOCALE_ES := static/vendor/plotly/locale-es.js
# Translations: the .po is ours and committed; the .mo is built here by Babel (PyPI),
# so a machine with only Python needs no GNU gettext.
MESSAGES_MO := locale/es/LC_MESSAGES/django.mo

.PHONY: install run test lint format migrations-check worker beat data backup restore bench

install: $(VENV)/.installed $(PLOTLY_JS) $(PLOTLY_LOCALE_ES) $(MESSAGES_MO) .env

$(MESSAGES_MO): locale/es/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --directory locale --locale es --statistics

# plotly.js's Spanish month names and separators: npm's plotly.js-locales (a CommonJS
# module, wrapped to register itself); without npm, the same built from Babel's CLDR data.
$(PLOTLY_LOCALE_ES): $(PLOTLY_JS)
	if [ -f node_modules/plotly.js-locales/es.js ]; then \
		{ echo '(function () { var module = {};'; cat node_modules/plotly.js-locales/es.js; \
		  echo '; if (window.Plotly) { window.Plotly.register(module.exports); } })();'; } > $@; \
	else \
		$(BIN)/python scripts/plotly_locale.py es > $@; \
	fi

# Development settings for commands run by hand (`.venv/bin/python manage.py ...`).
# Only manage.py reads this file; an existing .env is never overwritten.
.env:
	printf '%s\n' '# Local development only: read by manage.py, never by gunicorn, Celery or the image.' \
		'DEBUG=true' > $@

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The geo partial bundle from npm when npm is here; otherwise the plotly package's own
# full bundle (same plotly.js version, heavier). Nothing third-party is committed.
$(PLOTLY_JS): package.json package-lock.json $(VENV)/.installed
	mkdir -p $(dir $@)
	if command -v npm >/dev/null 2>&1 && npm ci --silent --no-audit --no-fund; then \
		cp node_modules/plotly.js-geo-dist-min/plotly-geo.min.js $@; \
	else \
		echo "npm unavailable: serving the plotly package's full plotly.min.js"; \
		cp "$$($(BIN)/python -c 'import plotly,os;print(os.path.join(os.path.dirname(plotly.__file__),"package_data","plotly.min.js"))')" $@; \
	fi

# `make data` brings the database to the dataset release in fixtures/ (rows from the
# dataset take the CSV's values again); `make run` imports only into an empty
# database, so restarting the site never undoes an editor's correction.
IMPORT_FLAGS ?=
data: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py import_dataset fixtures/ --verbosity 0 $(IMPORT_FLAGS)
	$(RUN_ENV) $(BIN)/python manage.py refresh_statistics

run: install
	$(MAKE) data IMPORT_FLAGS=--if-empty
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# Every table, history included, to BACKUP_DIR (default backups/); see README "Backups".
backup: install
	$(RUN_ENV) $(BIN)/python manage.py backup_database

# make restore FILE=backups/<file>: replaces the whole database, then refreshes the
# statistics so pages get new ETags. FILE given on the command line is the confirmation.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file> (replaces the whole database)" >&2; exit 2; }
	$(RUN_ENV) $(BIN)/python manage.py restore_database "$(FILE)" --yes
	$(RUN_ENV) $(BIN)/python manage.py refresh_statistics

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-celerybeat-schedule}

# Load benchmark (README "Benchmarks"): gunicorn on a scratch PostgreSQL database,
# wrk against each public page and a trivial view. `make bench SIZE=small` or
# SIZE=full adds synthetic rows; BENCH_ARGS='--duration 5' passes other options.
SIZE ?= real
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_load
bench: install
	$(BIN)/python bench/load.py --size $(SIZE) --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)
