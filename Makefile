# The handbook's commands. On a fresh machine `make serve` and `make test` install what they need.
#   make serve   install, build both languages, serve on http://127.0.0.1:8000/
#   make test    install (incl. Debian's chromium and nginx), lint, build, run every test
#   make lint    ruff on the Python (rules in pyproject.toml)
#   make build   write the complete site (zh at site/, en at site/en/)
#   make rules   regenerate calculators/rules.json from data/
#   make check   validate the whole of data/ and list every problem (file, line, plain words)
#   make bench   print the calculator pages' and the search's speed and size figures

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)/

.PHONY: serve build test lint rules check bench deps chromium nginx clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node_modules/.installed

chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# nginx for tests/browser/test_nginx.py (deploy/nginx.conf; core modules only: it serves the .br siblings
# itself, see the conf). RUNLEVEL=1 keeps the package from starting a system nginx: the test starts its own.
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && ! test -x /usr/sbin/nginx; then \
	  echo "Installing Debian's nginx for the deployment test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null; \
	fi

build: deps
	$(PY) -m handbook.build --site-url $(SITE_URL)

serve: build
	$(PY) -m handbook.serve --port $(PORT)

test: deps chromium nginx lint
	$(PY) -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	for f in overrides/assets/calc/*.js overrides/assets/search/*.js overrides/assets/training/*.js overrides/assets/javascripts/*.js overrides/assets/offline/*.js overrides/assets/shared/*.js handbook/runtime/*.mjs tests/js/*.mjs; do node --check "$$f" || exit 1; done

rules: $(VENV)/.installed
	$(PY) -m handbook.exports.rules_export

check: $(VENV)/.installed
	$(PY) -m handbook check

bench: deps chromium
	$(PY) bench/calculators.py
	$(PY) bench/search.py

clean:
	rm -rf site build .pytest_cache
