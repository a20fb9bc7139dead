# Amorce — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install system-packages demo test lint lock bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(BIN)/amorce: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

install: $(BIN)/amorce system-packages ## virtual environment with pinned dependencies and the `amorce` command

# Debian packages the app needs: Pango and fonts for WeasyPrint's PDFs, and Chromium for
# the browser tests (tests/browser drive Debian's Chromium, never a downloaded browser), and
# poppler-utils, whose pdftotext lets the tests read the PDFs they produce.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
system-packages:
	@missing=""; for package in $(SYSTEM_PACKAGES); do 	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; 	if [ -n "$$missing" ]; then 	  command -v apt-get >/dev/null || { 	    echo "Paquets système requis :$$missing (apt-get est absent : installez-les)."; 	    echo "System packages required:$$missing (apt-get is missing: install them)."; 	    exit 1; }; 	  echo "Installation des paquets Debian :$$missing"; 	  apt-get update && apt-get install -y $$missing; 	fi

# The demo is served as in production (DEBUG off: the French error pages, static files by
# WhiteNoise after collectstatic), but over plain http on this machine only.
DEMO_SERVE := DEBUG=0 SECRET_KEY=amorce-demo-local-only ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SECURE_COOKIES=0

demo: install ## migrate, load demo data, print logins, serve on http://127.0.0.1:8000 with the worker
	@mkdir -p var
	$(BIN)/amorce migrate --no-input
	$(BIN)/amorce demo
	$(DEMO_SERVE) $(BIN)/amorce collectstatic --no-input --verbosity 0
	@# The background worker (e-mails, reminders) runs beside the server and stops with it.
	$(DEMO_SERVE) $(BIN)/amorce worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_SERVE) $(BIN)/amorce runserver 127.0.0.1:8000

test: install ## the whole suite (SQLite unless DATABASE_URL says otherwise)
	$(BIN)/ruff check .
	$(BIN)/amorce makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock: $(BIN)/python ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev --output-file requirements.lock pyproject.toml

# `make bench`: a small generated network (a few minutes) on SQLite, then on PostgreSQL
# (database amorce_bench on 127.0.0.1:5432, user postgres, created if missing); `make bench
# SCALE=1` the full national size, with 20 s per HTTP measure and the 10-minute mixed load;
# BENCH_KEEP=1 keeps a network generated today by the same generator (benchmarks/generate.py).
SCALE ?= 0.02
BENCH_FULL := $(if $(filter 0 0.%,$(SCALE)),,1)
BENCH_SECONDS ?= $(if $(BENCH_FULL),20,5)
BENCH_SOAK ?= $(if $(BENCH_FULL),600,30)
BENCH_DATABASES ?= sqlite postgresql
BENCH_SQLITE := sqlite:///$(CURDIR)/var/bench.sqlite3
BENCH_POSTGRESQL := postgres://postgres@127.0.0.1:5432/amorce_bench
# PostgreSQL as the README advises for production on SSD or in RAM: random_page_cost 1.1.
# VACUUM after generating: autovacuum (off on this machine's cluster) would have set the
# visibility map a production database's index-only scans rely on.
bench: install ## measure speed on large data (not part of make test)
	@mkdir -p var
	@set -e; for database in $(BENCH_DATABASES); do \
	  echo "== $$database =="; \
	  if [ $$database = postgresql ]; then \
	    psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'amorce_bench'" \
	      | grep -q 1 || createdb -h 127.0.0.1 -U postgres amorce_bench; \
	    psql -h 127.0.0.1 -U postgres -qc "ALTER DATABASE amorce_bench SET random_page_cost = 1.1"; \
	    export DATABASE_URL=$(BENCH_POSTGRESQL); \
	  else export DATABASE_URL=$(BENCH_SQLITE); fi; \
	  export PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=benchmarks.settings; \
	  $(BIN)/amorce migrate --no-input -v0; \
	  $(BIN)/python benchmarks/qpv_lookup.py -n 20000; \
	  $(BIN)/python benchmarks/generate.py $(if $(BENCH_KEEP),--keep,--reset) --scale $(SCALE); \
	  if [ $$database = postgresql ]; then \
	    psql -h 127.0.0.1 -U postgres -qc "VACUUM (ANALYZE)" amorce_bench; fi; \
	  $(BIN)/python benchmarks/report.py --repeat 3; \
	  $(BIN)/python benchmarks/run.py --seconds $(BENCH_SECONDS) --soak $(BENCH_SOAK); \
	done
	@$(BIN)/python benchmarks/summary.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
