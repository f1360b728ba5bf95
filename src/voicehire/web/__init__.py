"""The web app (candidate page and recruiter dashboard), served by `voicehire serve`.

The pages are built from ``web/`` (``make setup`` runs ``npm ci && npm run build``) into
``src/voicehire/web/static/`` and served from the API's own origin; nothing is loaded
from a CDN. Without LiveKit, the candidate page talks to an agent session running inside
this process over a WebSocket (:mod:`voicehire.web.local`).
"""

from __future__ import annotations

import asyncio
from typing import Any


def mount(app: Any) -> None:
    """Attach the web app's routes, static assets and local transport to ``app``."""
    from starlette.staticfiles import StaticFiles

    from voicehire.web import results
    from voicehire.web.local.session import LiveSessionManager
    from voicehire.web.routes import STATIC_DIR, root_page, router

    state = app.state.vh
    manager = LiveSessionManager(state.settings)
    manager.end_hooks.append(lambda live, outcome: results.store_outcome(state, live, outcome))
    manager.platform = results.InProcessPlatform(state)
    app.state.vh_web = manager
    state.live_session_enders.append(manager.cancel)  # cancelling ends the page's session
    state.live_session_watchers.append(manager.watch)  # the dashboard's live view
    state.live_session_stoppers.append(manager.end)  # its "End interview"
    app.include_router(router)
    _open_app_at_root(app, root_page)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="web-static")

    # Close running web sessions when the server stops (after the API's own lifespan).
    inner = app.router.lifespan_context

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(a: Any):
        async with inner(a) as value:
            # sessions' ends left in the outbox (the database was down) are stored now
            outbox = asyncio.create_task(results.deliver_outbox(state))
            try:
                yield value
            finally:
                outbox.cancel()
                await manager.aclose()

    app.router.lifespan_context = lifespan


def _open_app_at_root(app: Any, page: Any) -> None:
    """Browsers asking for ``/`` get the app; everything else gets the API's ``/``
    (a route of its own, put first so it answers before the API's)."""
    from starlette.routing import Route

    from voicehire.api.routes.system import root as api_root

    async def root(request: Any) -> Any:
        from fastapi.responses import JSONResponse

        return page(request) or JSONResponse(await api_root())

    app.router.routes.insert(0, Route("/", root, methods=["GET", "HEAD"], include_in_schema=False))
