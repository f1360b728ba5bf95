# VoiceHire developer commands. `make demo` and `make test` are the README quick start.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
DEMO_ANSWERS ?= examples/answers/software_engineer.yaml

.PHONY: setup system-deps demo interview test lint format bench clean

setup: system-deps ## Install uv, espeak-ng (if root) and the locked Python environment
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen

system-deps:
	@if ! command -v espeak-ng >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing espeak-ng (offline text-to-speech)"; \
	    (apt-get install -y -qq espeak-ng >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq espeak-ng >/dev/null)) || \
	     echo "warning: could not install espeak-ng; the agent will run text-only"; \
	  else \
	    echo "note: espeak-ng not found and not root; install it (apt install espeak-ng) for offline speech, running text-only otherwise"; \
	  fi; \
	fi

demo: setup ## Run a whole interview on the embedded default with a scripted candidate
	$(UV) run voicehire interview --answers $(DEMO_ANSWERS)

interview: setup ## Run an interview in the terminal; type your answers
	$(UV) run voicehire interview

test: setup ## Run the test suite
	$(UV) run pytest

lint:
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format:
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

bench: setup ## Print latency and scoring benchmarks
	$(UV) run python -m benchmarks.run

clean:
	rm -rf .pytest_cache .ruff_cache transcripts reports logs test-output
