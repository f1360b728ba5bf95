"""API load benchmark: requests per second and latency percentiles of the VoiceHire API.

A ``voicehire serve`` process runs on 127.0.0.1 (SQLite in a temporary directory, one
uvicorn worker); this process drives it with httpx over loopback. LiveKit calls go to a
local fake of the LiveKit server API (Twirp over HTTP, in this process), so creating an
interview includes its real room-creation and dispatch round trips.

Measured: ``POST /api/interviews`` (record + room + dispatch + candidate token),
``POST /api/interviews/{id}/token`` (a fresh candidate token) and ``POST /oauth/token``.
Each phase stops at ``--requests`` requests or ``--max-seconds``, whichever comes first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ADMIN_TOKEN = "bench-admin-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


async def _phase(
    name: str,
    request: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    client: httpx.AsyncClient,
    *,
    total: int,
    concurrency: int,
    max_seconds: float,
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.perf_counter() + max_seconds

    async def worker() -> None:
        nonlocal issued, errors
        while issued < total and time.perf_counter() < deadline:
            i = issued
            issued += 1
            t0 = time.perf_counter()
            res = await request(client, i)
            latencies.append(time.perf_counter() - t0)
            if res.status_code >= 400:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    stats = {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": _percentile(latencies, 50) * 1000,
        "p99_ms": _percentile(latencies, 99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }
    print(
        f"{name:<34} {stats['requests']:>6} req  {stats['rps']:>8.1f} req/s  "
        f"p50 {stats['p50_ms']:>7.1f} ms  p99 {stats['p99_ms']:>7.1f} ms  "
        f"errors {stats['errors']}",
        flush=True,
    )
    return stats


async def _run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    from tests.fakes.livekit_server import FakeLiveKitServer

    fake = await FakeLiveKitServer().start()
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="vh-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database or f"sqlite+aiosqlite:///{workdir / 'bench.db'}",
        "VH_ADMIN_TOKEN": ADMIN_TOKEN,
        "VH_JWT_SECRET": "bench-jwt-secret-0123456789abcdef0123",
        "VH_M2M_CLIENT_ID": "bench-agent",
        "VH_M2M_CLIENT_SECRET": "bench-agent-secret",
        "VH_TOKEN_RATE_LIMIT": "0",  # this measures throughput, not the rate limit
        "LIVEKIT_URL": fake.url,
        "LIVEKIT_API_KEY": fake.api_key,
        "LIVEKIT_API_SECRET": fake.api_secret,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    log_path = workdir / "server.log"
    log = log_path.open("wb")
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "voicehire.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    try:
        async with httpx.AsyncClient(
            base_url=base,
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            limits=limits,
            timeout=30,
        ) as client:
            for _ in range(300):
                if server.returncode is not None:
                    print("server exited:", log_path.read_text(errors="replace")[-2000:])
                    return 1
                try:
                    if (await client.get("/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                print("server did not become ready within 30 s")
                return 1

            cand = (await client.post("/api/candidates", json={"name": "Bench"})).json()
            job = (await client.post("/api/jobs", json={"title": "Engineer"})).json()
            body = {"candidate_id": cand["id"], "job_id": job["id"]}
            interview_ids: list[str] = []

            async def create(c: httpx.AsyncClient, _i: int) -> httpx.Response:
                res = await c.post("/api/interviews", json=body)
                if res.status_code == 201:
                    interview_ids.append(res.json()["interview"]["id"])
                return res

            async def token(c: httpx.AsyncClient, i: int) -> httpx.Response:
                return await c.post(
                    f"/api/interviews/{interview_ids[i % len(interview_ids)]}/token"
                )

            async def m2m(c: httpx.AsyncClient, _i: int) -> httpx.Response:
                return await c.post(
                    "/oauth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": "bench-agent",
                        "client_secret": "bench-agent-secret",
                    },
                    headers={"Authorization": ""},
                )

            # Warm up connections, imports and the SQLite file.
            for i in range(10):
                await create(client, i)

            print(
                f"API at {base} (SQLite, 1 uvicorn worker), fake LiveKit at {fake.url}; "
                f"concurrency {args.concurrency}",
                flush=True,
            )
            common = {
                "total": args.requests,
                "concurrency": args.concurrency,
                "max_seconds": args.max_seconds,
            }
            results = {
                "create": await _phase("POST /api/interviews (create)", create, client, **common),
                "token": await _phase("POST /api/interviews/{id}/token", token, client, **common),
                "m2m": await _phase("POST /oauth/token (M2M)", m2m, client, **common),
            }
        failed = sum(r["errors"] for r in results.values())
        return 1 if failed else 0
    finally:
        if server.returncode is None:
            server.terminate()
            try:
                await asyncio.wait_for(server.wait(), 10)
            except TimeoutError:
                server.kill()
                await server.wait()
        log.close()
        await fake.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per phase")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--max-seconds", type=float, default=20.0, help="time cap per phase")
    parser.add_argument("--database", help="DATABASE_URL for the server (default: temp SQLite)")
    args = parser.parse_args(argv or [])
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
