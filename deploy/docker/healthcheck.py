"""The image's HEALTHCHECK: asks the role running in this container whether it is healthy.

``serve``: ``GET /health`` on the API answers 200 (the database is reachable).
``agent``: the LiveKit Agents worker's own health server (``GET /`` on port
``AGENT_HEALTH_PORT``, 8081 in production mode) answers 200 (connected to LiveKit).
Standard library only, so it runs in the image without anything else installed.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path


def _role() -> str:
    path = Path(
        os.environ.get("VH_ROLE_FILE") or Path(os.environ.get("TMPDIR", "/tmp")) / "voicehire-role"
    )
    try:
        return path.read_text().strip()
    except OSError:
        return "serve"


def _url(role: str) -> str:
    if role == "agent":
        return f"http://127.0.0.1:{os.environ.get('AGENT_HEALTH_PORT', '8081')}/"
    return f"http://127.0.0.1:{os.environ.get('VH_API_PORT', '8000')}/health"


def main() -> int:
    role = _role()
    url = _url(role)
    try:
        with urllib.request.urlopen(
            url, timeout=float(os.environ.get("VH_HEALTH_TIMEOUT", "4"))
        ) as r:
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        print(f"{role}: {url} unreachable: {exc}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"{role}: {url} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
