# The verbs people expect. `make run` and `make test` work on a fresh machine with only
# Python 3.11+ installed: each creates .venv when missing and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: run test bench lint docs course venv clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Leadworks needs Python 3.11 or newer, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes (the stamp files remember the last install).
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m grader.language --check
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m grader.language --check
	@touch $@ $(VENV)/.installed-app

venv: $(VENV)/.installed-app

course: $(VENV)/.installed-app
	$(BIN)/leadworks course build

run: $(VENV)/.installed-app course
	$(BIN)/leadworks db upgrade
	$(BIN)/leadworks demo seed
	$(BIN)/leadworks serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/leadworks course build --quiet
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	LEADWORKS_BENCH=1 $(BIN)/python -m pytest tests/benchmarks -s $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check grader simulator
	$(BIN)/mypy
	$(BIN)/lint-imports

docs: $(VENV)/.installed-app
	$(BIN)/leadworks course build

clean:
	rm -rf $(VENV) course/site var/*.db var/*.db-*
