# Two commands matter: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint format typecheck bench lock services clean migration docs

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5"
	$(UV) pip sync --python $(BIN)/python requirements.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

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

run: install
	$(BIN)/transcriber serve

services:
	scripts/ensure-services.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

typecheck: install
	$(BIN)/mypy

test: install services lint typecheck
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not slow"

bench: install services
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# Rewrite the generated parts of docs/ from the code.
docs: install
	$(BIN)/python -c "import re, pathlib; from transcriber.config import settings_reference; \
	p = pathlib.Path('docs/configuration.md'); t = p.read_text(); \
	b, e = '<!-- settings:begin -->\n', '<!-- settings:end -->'; \
	p.write_text(t.split(b)[0] + b + settings_reference() + e + t.split(e)[1])"
