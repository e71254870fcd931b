# make run   : set up a virtualenv, index the shipped knowledge, start the assistant
# make test  : set up (with test extras) and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
export OMP_WAIT_POLICY := PASSIVE
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test lint bench eval mutate setup setup-dev browser office

$(PY):
	python3 -m venv $(VENV)

$(VENV)/.core: pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PIP) install -e '.[st,dev]'
	touch $(VENV)/.core $@

setup: $(VENV)/.core
setup-dev: $(VENV)/.dev

run: setup
	$(PY) app.py

# Browser tests need Debian's Chromium; installed when running as root (CI), else those tests skip.
browser:
	@command -v chromedriver >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; } || \
		echo "Chromium not installed (Debian packages chromium chromium-driver fonts-noto-cjk): browser tests will be skipped"

# PDF copies need LibreOffice (Writer, no GUI); the PDF tests read them with poppler's tools. Installed when
# running as root (CI): adds about 25 s and 200 MB (61 packages) to a clean run; else those tests skip.
office:
	@{ command -v soffice && command -v pdftoppm; } >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui poppler-utils fonts-noto-cjk >/dev/null; } || \
		echo "LibreOffice not installed (Debian packages libreoffice-writer-nogui poppler-utils fonts-noto-cjk): PDF tests will be skipped"

test: setup-dev browser office
	$(PY) -m pytest
	$(VENV)/bin/assistant eval run --goldens evals/goldens/ --report out/eval

lint: setup-dev
	$(VENV)/bin/ruff check assistant tests evals benchmarks app.py
	$(VENV)/bin/ruff format --check assistant tests evals benchmarks app.py
	$(VENV)/bin/mypy assistant

bench: setup-dev
	$(PY) -m benchmarks

eval: setup
	$(VENV)/bin/assistant eval run --goldens evals/goldens/ --report out/eval

# Mutation check of the evaluation (not part of `make test`; ~15 min): see evals/README.md.
mutate: setup-dev
	$(PY) evals/mutate.py
