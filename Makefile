# sddcase: `make run` starts the demo, `make test` runs the tests. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CLIENTS ?= 3000
PYTEST_ARGS ?=

.PHONY: run test lint bench browser-deps pdf-deps migrate demo worker beat clean check-deploy audit

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) ontbreekt: installeer Python 3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --clients $(DEMO_CLIENTS)
	$(PY) manage.py run_signal_checks --verbosity 0
	$(PY) manage.py refresh_monitor --verbosity 0

# The logins come last, right before the server starts, so they do not scroll away. Only the demo on
# the embedded default (no DATABASE_URL) logs in without a second factor (accounts.E001 refuses it elsewhere).
run: pdf-deps demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(PY) manage.py demo_logins
	@echo "sddcase draait op http://$(HOST):$(PORT)/ (stoppen met Ctrl-C)"
	$(if $(DATABASE_URL),,SDDCASE_OTP_REQUIRED=false) $(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's chromium through Playwright; install it when we can.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null \
	    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null; }; \
	  else echo "chromium ontbreekt: installeer het Debian-pakket 'chromium' (sudo apt-get install chromium)"; exit 1; fi; \
	fi

# The letters' PDFs (WeasyPrint) need Pango and a font from Debian, and the PDF tests poppler's pdftoppm.
pdf-deps:
	@if ! ldconfig -p | grep -q libpangoft2-1.0 || ! command -v pdftoppm >/dev/null || [ ! -d /usr/share/fonts/truetype/dejavu ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 poppler-utils fonts-dejavu-core >/dev/null \
	    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 poppler-utils fonts-dejavu-core >/dev/null; }; \
	  else echo "Pango of pdftoppm ontbreekt: installeer libpango-1.0-0 libpangoft2-1.0-0 poppler-utils fonts-dejavu-core (sudo apt-get install ...)"; exit 1; fi; \
	fi

test: $(VENV)/.installed browser-deps pdf-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff format --check: the code is formatted as `ruff format .` writes it (run that before committing).
# lint-imports: the layers of the apps in pyproject.toml ([tool.importlinter], docs/architecture.md).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(PY) manage.py makemigrations --check --dry-run

# The deployment check as production runs it: DEBUG off, a random key of its own, a shared (Redis) cache,
# https behind a TLS-terminating proxy. Any warning fails (CI runs this before the tests).
check-deploy: $(VENV)/.installed
	DEBUG=false SDDCASE_INSTALLATION=production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=wmo.example.nl CSRF_TRUSTED_ORIGINS=https://wmo.example.nl \
	CACHE_URL=redis://127.0.0.1:6379/2 TRUSTED_PROXIES=127.0.0.1 SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https \
	$(PY) manage.py check --deploy --fail-level WARNING

# Known vulnerabilities of the pinned requirements (pip-audit): fails on one that has a fixed version.
# Offline it lists what it could not audit and passes; AUDIT_REQUIRE_SERVICE=1 makes that fail too.
audit: $(VENV)/.installed
	$(PY) .ci/audit_dependencies.py

bench: $(VENV)/.installed
	$(PY) bench/run.py

# Every queue (CELERY_QUEUES_BY_KIND): one worker for all, as in development; production runs one per queue (deploy/).
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A sddcase worker -Q celery,signals,monitor,delivery,letters --loglevel=info

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A sddcase beat --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
