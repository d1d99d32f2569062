# Passerelle: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# `make run PORT=8000` serves on another port.
PORT ?= 5000

.PHONY: run test install install-test frontend messages lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml examples/volunteers/pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet -e examples/volunteers  # the example module, tested with the rest (opt-in: off unless named)
	touch $@ $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

install: $(VENV)/.installed frontend
install-test: $(VENV)/.installed-test frontend
frontend: node_modules/.package-lock.json

run: install
	$(BIN)/passerelle serve --port $(PORT)

test: install-test
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "=== again on PostgreSQL ($$TEST_DATABASE_URL) ==="; \
		env -u DATABASE_URL $(BIN)/pytest --database-url "$$TEST_DATABASE_URL" $(PYTEST_ARGS); \
	else echo "TEST_DATABASE_URL is not set: the PostgreSQL run is skipped."; fi

# Extract the messages of the kernel (with the theme) and of every installed plugin, update their
# French catalogues (no fuzzy matching) and compile them: `passerelle translations update NAME` does one.
messages: install
	$(BIN)/passerelle translations update --all

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules .pytest_cache
