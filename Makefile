# The README's commands. Each sets up what it needs on a bare machine by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench install lint clean

run: install
	$(BIN)/assistant ingest data/corpus
	$(BIN)/assistant sources

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/ingest.py

lint: install
	$(BIN)/ruff check .

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "Installing (the first run builds llama.cpp from source: about 15 minutes)."
	$(BIN)/python -m pip install --quiet -e '.[dev,local]'
	touch $(STAMP)

clean:
	rm -rf .store .pytest_cache .ruff_cache
