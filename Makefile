# Two commands matter: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed

WEB := frontend
WEB_DEPS := $(WEB)/node_modules/.package-lock.json
WEB_BUILD := $(WEB)/dist/index.html
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) $(WEB)/index.html \
	$(WEB)/vite.config.ts $(WEB)/package-lock.json

.PHONY: install run test test-fast test-python test-web lint format typecheck bench lock \
	services clean migration docs web diarization speech-tools

install: $(STAMP) $(WEB_BUILD)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5"
	$(UV) pip sync --python $(BIN)/python requirements.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	$(MAKE) --no-print-directory diarization
	touch $(STAMP)

# The `diarization` extra, with plain pip after every locked sync (which removes it): pip takes
# the CPU build of torch that lies on this machine's disk, where uv would download a CUDA build
# of several GB (docs/decisions/0120-diarization-with-resemblyzer.md).
DIARIZATION_PACKAGES := torch==2.13.0 'resemblyzer==0.1.4' 'scikit-learn==1.9.1' \
	'setuptools==80.10.2'
diarization:
	$(BIN)/pip install --quiet --disable-pip-version-check $(DIARIZATION_PACKAGES)

# Re-resolve the pinned dependencies after editing pyproject.toml.
lock:
	$(UV) pip compile pyproject.toml --extra dev --extra base --python-version 3.11 \
		--quiet -o requirements.lock

# A new Alembic revision from the difference between the models and the database.
migration: install
	$(BIN)/python -c "import sys; from alembic import command; \
	from transcriber.config import get_settings; from transcriber.kit.migrate import alembic_config; \
	command.revision(alembic_config(get_settings().resolved_database_url), message=sys.argv[1], \
	autogenerate=True)" "$(m)"

$(WEB_DEPS): $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $(WEB_DEPS)

# The web app is built once and served by the API on the same port.
$(WEB_BUILD): $(WEB_DEPS) $(WEB_SOURCES)
	cd $(WEB) && npm run build

web: $(WEB_BUILD)

run: install
	$(BIN)/transcriber serve

services:
	scripts/ensure-services.sh

# espeak-ng and sox make the two-voice recording of the diarization tests.
speech-tools:
	scripts/ensure-speech-tools.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	cd $(WEB) && npm run lint && npm run check:api

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

typecheck: install
	$(BIN)/mypy

test: install services lint typecheck test-python test-web

test-python: install services speech-tools
	$(BIN)/pytest

test-web: install
	scripts/ensure-chromium.sh
	cd $(WEB) && npm test && npm run e2e

test-fast: install speech-tools
	$(BIN)/pytest -m "not slow"

bench: install services
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(WEB)/node_modules $(WEB)/dist

# Rewrite the generated parts of docs/ from the code.
docs: install
	$(BIN)/python -c "import re, pathlib; from transcriber.config import settings_reference; \
	p = pathlib.Path('docs/configuration.md'); t = p.read_text(); \
	b, e = '<!-- settings:begin -->\n', '<!-- settings:end -->'; \
	p.write_text(t.split(b)[0] + b + settings_reference() + e + t.split(e)[1])"
