"""End-to-end fixtures: ``voicehire serve``'s app on a loopback port (in a thread of this
process, so a test can give the local transport a test STT) and headless Chromium (the
Debian package, driven by Playwright; no browser download)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("VH_CHROMIUM", "/usr/bin/chromium"))
STATIC = Path(__file__).resolve().parents[2] / "src" / "voicehire" / "web" / "static"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
ADMIN_TOKEN = "e2e-admin-token-5b1f"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not (STATIC / "join.html").is_file():
        return "the web app is not built (make setup, or cd web && npm ci && npm run build)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Playwright Python client is not installed (uv sync)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _skip_reason()
    for item in items:
        path = str(item.fspath).replace(os.sep, "/")
        if "tests/web/test_e2e_" in path:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The API and web app served by uvicorn on a loopback port, in a background thread."""

    def __init__(self, tmp: Path, **overrides: Any) -> None:
        import uvicorn

        from tests.harness import make_settings
        from voicehire.server import create_app

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = make_settings(
            database_url=f"sqlite+aiosqlite:///{tmp / 'web.db'}",
            transcript_dir=tmp / "transcripts",
            recording_dir=tmp / "recordings",
            vh_admin_token=ADMIN_TOKEN,
            tts_provider="espeak" if shutil.which("espeak-ng") else "none",
            livekit_url=None,
            livekit_api_key=None,
            livekit_api_secret=None,
            **overrides,
        )
        self.app = create_app(self.settings)
        self.server = uvicorn.Server(
            uvicorn.Config(
                self.app, host="127.0.0.1", port=self.port, log_config=None, lifespan="on"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def manager(self) -> Any:
        return self.app.state.vh_web

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def call(self, coro: Any, timeout: float = 10) -> Any:
        """Run a coroutine on the server's event loop (e.g. drop a browser's socket)."""
        loop = self.manager.loop
        assert loop is not None, "no web session has started yet"
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        import httpx

        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        r = httpx.request(method, self.url + path, headers=headers, timeout=30, **kwargs)
        r.raise_for_status()
        return r.json()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("web-e2e"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")  # stopped before other modules' asyncio tests run
def playwright_driver() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def launch(playwright: Any, user_data_dir: Path, extra_args: list[str] | None = None) -> Any:
    """A fresh Chromium profile (persistent context = its own --user-data-dir)."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS + (extra_args or []),
        viewport={"width": 1280, "height": 900},
        permissions=["microphone", "clipboard-read", "clipboard-write"],
    )


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Any:
    """``shots(page, "name")`` saves test-output/screenshots/<test>/<n>-<name>.png."""
    folder = SCREENSHOTS / request.node.name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    counter = iter(range(1, 100))

    def take(page: Any, name: str, full_page: bool = True) -> Path:
        path = folder / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# --- a strict Content-Security-Policy for the pages (test_e2e_csp, test_e2e_hostile_strings)
CSP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; media-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CSP_WATCH = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`));
"""


def _with_policy(route: Any) -> None:
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": CSP_POLICY}
    route.fulfill(response=response, headers=headers)


def open_with_policy(page: Any, url: str) -> None:
    """Load the page with the policy (only its document request is intercepted, once;
    the policy stays with the document through hash navigation)."""
    page.route(url.split("#")[0], _with_policy, times=1)
    page.goto(url)


def csp_violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.cspViolations")
    return found


# A document Playwright fulfils has no known address, so Chromium's local-network checks
# would refuse its WebSocket to 127.0.0.1; a page the server serves has no such problem.
FULFILLED_PAGE_ARGS = ["--disable-features=LocalNetworkAccessChecks"]


def policy_settings(tmp_path: Path, **overrides: Any) -> Any:
    """Settings for the embedded default's interviewer with no speech engines."""
    from tests.api.support import make_settings

    return make_settings(
        tmp_path,
        transcript_dir=tmp_path / "transcripts",
        llm_provider="policy",
        tts_provider="none",
        stt_provider="none",
        openai_api_key=None,
        openai_base_url=None,
        **overrides,
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Any]:
    """The app with the embedded default's interviewer (no speech engines), through
    Starlette's test client: the local WebSocket transport's tests use it."""
    from fastapi.testclient import TestClient

    from voicehire.server import create_app

    with TestClient(create_app(policy_settings(tmp_path)), base_url="http://127.0.0.1:8000") as c:
        yield c
