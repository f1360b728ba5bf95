# VoiceHire developer commands. `make demo` and `make test` are the README quick start.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
DEMO_ANSWERS ?= examples/answers/software_engineer.yaml

.PHONY: setup system-deps web web-test demo interview test lint format bench clean

setup: system-deps ## Install uv, espeak-ng (if root) and the locked Python environment
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --extra speech
	@$(MAKE) --no-print-directory web

web: ## Build the web app (web/ -> src/voicehire/web/static) with npm, when Node.js is installed
	@if command -v npm >/dev/null 2>&1; then \
	  cd web && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } \
	  && npm run build --silent >/dev/null && echo "web app built into src/voicehire/web/static"; \
	else \
	  echo "note: npm not found, so the web app is not built; install Node.js 20+ and npm, then run 'make web' (the API works without it)"; \
	fi

web-test: web ## The web app's unit tests (vitest); the browser tests are in tests/web (pytest)
	cd web && npm test --silent

system-deps: ## espeak-ng (offline speech) and PortAudio (for `voicehire agent console`)
	@missing=""; \
	command -v espeak-ng >/dev/null 2>&1 || missing="espeak-ng"; \
	ldconfig -p 2>/dev/null | grep -q libportaudio || missing="$$missing libportaudio2"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing"; \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null)) || \
	     echo "warning: could not install$$missing; without espeak-ng the agent runs text-only"; \
	  else \
	    echo "note: not root, so not installing:$$missing (apt install$$missing). Without espeak-ng the agent runs text-only."; \
	  fi; \
	fi

demo: setup ## Run a whole interview on the embedded default with a scripted candidate
	$(UV) run voicehire interview --answers $(DEMO_ANSWERS)

interview: setup ## Run an interview in the terminal; type your answers
	$(UV) run voicehire interview

test: setup ## Run the test suite
	$(UV) run pytest

lint: ## ruff, format check, mypy (strict for the domain and storage), import layers; web: eslint, tsc, generated types
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy
	$(UV) run lint-imports
	@if [ -d web/node_modules ]; then cd web && npm run --silent lint; \
	else echo "note: web/node_modules missing, so the web app is not linted; run 'make web' first"; fi

format:
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

bench: setup ## Print latency and scoring benchmarks
	$(UV) run python -m benchmarks.run

clean:
	rm -rf .pytest_cache .ruff_cache transcripts reports logs test-output
