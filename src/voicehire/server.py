"""The composition root of what ``voicehire serve`` runs: the control-plane API with the
web app (pages and the local WebSocket transport) mounted on it. The API never imports
the web app; this module puts them together."""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from fastapi import FastAPI

from voicehire.api.app import create_app as create_api
from voicehire.api.commands import prepare_serve_settings
from voicehire.logging_setup import configure_logging, stop_logging
from voicehire.settings import Settings, load_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API and the web app, one ASGI application."""
    from voicehire import web

    app = create_api(settings)
    web.mount(app)
    return app


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = subparsers.add_parser(
        "serve",
        help="run the VoiceHire API (FastAPI) and web app",
        description="Run the control-plane API and the web app. Migrations are applied on "
        "start. Docs at /docs. Without VH_ADMIN_TOKEN, management endpoints accept requests "
        "from this machine only; binding to a non-loopback address without it generates an "
        "admin token for the run and writes it to VH_ADMIN_TOKEN_FILE (default ./admin-token, "
        "mode 0600): the path is printed, never the token.",
    )
    s.add_argument("--host", help="bind address (default VH_API_HOST, 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default VH_API_PORT, 8000)")
    s.set_defaults(func=_serve)


def _serve(args: argparse.Namespace, _rest: list[str]) -> int:
    import uvicorn

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format, settings.log_file)
    host = args.host or settings.vh_api_host
    port = args.port if args.port is not None else settings.vh_api_port
    settings, note = prepare_serve_settings(settings, host)

    class AnnouncingServer(uvicorn.Server):
        """Says where it is only once its socket accepts connections (after migrations
        and the app's startup; with --port 0, the port the system chose)."""

        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if not self.started:
                return
            bound = next((s.getsockname() for srv in self.servers for s in srv.sockets), None)
            where = f"http://{host}:{bound[1] if bound else port}/"
            print(f"VoiceHire on {where} (app: /app, docs: /docs)", file=sys.stderr)
            print(note, file=sys.stderr, flush=True)

    def terminated(signum: int, _frame: Any) -> None:
        # uvicorn shuts down gracefully on SIGTERM, restores this handler and raises the
        # signal again, which would end the process before atexit: write the queued log
        # lines ("Application shutdown complete") first, then die by the signal as expected.
        stop_logging()
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)

    signal.signal(signal.SIGTERM, terminated)
    try:
        AnnouncingServer(
            uvicorn.Config(
                create_app(settings),
                host=host,
                port=port,
                log_config=None,
                log_level=settings.log_level.lower(),
                access_log=False,
                # The socket peer is the client: X-Forwarded-For is never trusted (a proxy
                # in front would otherwise make every request look local).
                proxy_headers=False,
            )
        ).run()
    finally:
        stop_logging()  # write what is still queued
    return 0
