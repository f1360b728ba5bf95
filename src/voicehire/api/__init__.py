"""The control-plane HTTP API (FastAPI): ``voicehire serve``."""

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Lazy, so `voicehire --help` and other subcommands don't load FastAPI and the database.
    if name == "create_app":
        from voicehire.api.app import create_app

        return create_app
    raise AttributeError(name)
