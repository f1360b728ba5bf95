"""The web app (candidate page and recruiter dashboard), served by `voicehire serve`."""

from __future__ import annotations

from typing import Any


def mount(app: Any) -> None:
    """Attach the web app's routes and static assets to the FastAPI ``app``."""
    return None
