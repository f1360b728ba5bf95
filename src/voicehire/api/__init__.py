"""The control-plane HTTP API (FastAPI): ``voicehire serve``."""

from voicehire.api.app import create_app

__all__ = ["create_app"]
