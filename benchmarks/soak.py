"""`make soak`: a bounded chaos run on loopback (a few minutes).

N interviews run against a real `voicehire serve` process while faults are injected at
random points: the API is killed (SIGKILL) and restarted, the database is made
unavailable (SQLite: an exclusive lock held by another process; PostgreSQL with
``--postgres``: a cluster of its own stopped and started), and the agent is killed:
agent processes running an interview through the worker's code path (its M2M client
and outbox) and the worker's outbox process that delivers what jobs left behind.

Half the interviews are web interviews on the embedded default (the candidate page's
WebSocket; the interviewer runs inside `voicehire serve`), half are agent jobs (the
worker's ``run_job`` in a process of its own, reporting to the API over HTTP).

It prints interviews started, faults injected, transcripts and results stored, and
anything lost or stuck ``in_progress``. Figures are printed, not asserted.

    uv run python -m benchmarks.soak [--interviews 8] [--duration 180] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ADMIN_TOKEN = "soak-admin-token"
M2M_ID = "soak-agent"
M2M_SECRET = "soak-agent-secret-0123456789"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ANSWERS = [
    "I am a backend engineer at Acme Payments where I build ledger services in Python and "
    "Go, and I lead a small team of three engineers.",
    "Last year I moved our settlement batch to an event-driven pipeline; failures dropped "
    "by half and reconciliation takes minutes instead of hours.",
    "I would start by measuring where the time goes, then cache the hot reads and move the "
    "slow reports off the request path.",
]
INTERRUPTED = {"server_restarted", "server_shutdown"}
ROOT = Path(__file__).resolve().parent.parent


def _log_file(path: Path) -> Any:
    return path.open("ab")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Interview:
    id: str
    room: str
    kind: str  # web | agent
    ended_seen: bool = False  # the candidate (web) or the agent saw the end
    agent_killed_mid: bool = False
    told_interrupted: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class Faults:
    api_kills: int = 0
    db_outages: int = 0
    agent_kills: int = 0
    outbox_worker_kills: int = 0

    @property
    def total(self) -> int:
        return self.api_kills + self.db_outages + self.agent_kills + self.outbox_worker_kills


class Stack:
    """The API process, the database, and the processes standing in for the agent."""

    def __init__(self, workdir: Path, database_url: str, pg_cluster: tuple[str, str] | None):
        self.workdir = workdir
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.pg_cluster = pg_cluster
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "VH_ADMIN_TOKEN": ADMIN_TOKEN,
            "VH_JWT_SECRET": "soak-jwt-secret-0123456789abcdef0123",
            "VH_M2M_CLIENT_ID": M2M_ID,
            "VH_M2M_CLIENT_SECRET": M2M_SECRET,
            "VH_API_BASE_URL": self.base,
            "LLM_PROVIDER": "policy",
            "TTS_PROVIDER": "none",
            "STT_PROVIDER": "none",
            "TRANSCRIPT_DIR": str(workdir / "transcripts"),
            "REPORT_DIR": str(workdir / "reports"),
            "OUTBOX_DIR": str(workdir / "outbox"),
            "TRANSCRIPT_RETRY_DELAY": "0.2",
            "LOG_LEVEL": "WARNING",
        }
        for key in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "REDIS_URL"):
            self.env.pop(key, None)
        self.api: asyncio.subprocess.Process | None = None
        self.outbox_worker: subprocess.Popen[bytes] | None = None
        self.api_log = _log_file(workdir / "api.log")

    # --- the API -------------------------------------------------------------------------------
    async def start_api(self) -> None:
        self.api = await asyncio.create_subprocess_exec(
            *[sys.executable, "-m", "voicehire.cli", "serve", "--port", str(self.port)],
            cwd=self.workdir,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.api_log,
        )
        # `voicehire serve` needs ~10 s to start on an idle machine, a minute on a busy one
        async with httpx.AsyncClient(base_url=self.base, timeout=2) as client:
            for _ in range(3000):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/health")).status_code in (200, 503):
                        return
                if self.api.returncode is not None:
                    raise RuntimeError(f"the API exited ({self.api.returncode}); see api.log")
                await asyncio.sleep(0.1)
        raise RuntimeError("the API did not start within 300 s")

    async def kill_api(self) -> None:
        if self.api is not None and self.api.returncode is None:
            self.api.send_signal(signal.SIGKILL)
            await self.api.wait()

    # --- the worker's outbox process -------------------------------------------------------------
    def start_outbox_worker(self) -> None:
        self.outbox_worker = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.soak", "outbox-worker"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=_log_file(self.workdir / "outbox-worker.log"),
        )

    def kill_outbox_worker(self) -> None:
        if self.outbox_worker is not None and self.outbox_worker.poll() is None:
            self.outbox_worker.send_signal(signal.SIGKILL)
            self.outbox_worker.wait()

    # --- the database -----------------------------------------------------------------------------
    async def database_outage(self, seconds: float) -> str:
        if self.pg_cluster is not None:
            version, name = self.pg_cluster
            await asyncio.to_thread(
                subprocess.run, ["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True
            )
            await asyncio.sleep(seconds)
            await asyncio.to_thread(
                subprocess.run, ["pg_ctlcluster", version, name, "start"], check=True
            )
            return f"PostgreSQL stopped {seconds:.1f} s"
        path = self.database_url.split("///", 1)[1]

        def hold() -> None:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            try:
                conn.execute("BEGIN EXCLUSIVE")
                time.sleep(seconds)
                conn.execute("ROLLBACK")
            finally:
                conn.close()

        await asyncio.to_thread(hold)
        return f"SQLite locked {seconds:.1f} s"

    async def aclose(self) -> None:
        await self.kill_api()
        self.kill_outbox_worker()
        self.api_log.close()


# --- the interviews ---------------------------------------------------------------------------


async def admin(stack: Stack, method: str, path: str, **kw: Any) -> httpx.Response | None:
    """An admin call that waits out API restarts and database outages (up to 5 min)."""
    async with httpx.AsyncClient(base_url=stack.base, timeout=10, headers=ADMIN) as client:
        for _ in range(600):
            try:
                res = await client.request(method, path, **kw)
                if res.status_code < 500:
                    return res
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
    return None


async def create_interview(stack: Stack, kind: str) -> Interview | None:
    cand = await admin(stack, "POST", "/api/candidates", json={"name": f"Soak {kind}"})
    if cand is None or cand.status_code != 201:
        return None
    res = await admin(
        stack,
        "POST",
        "/api/interviews",
        json={"candidate_id": cand.json()["id"], "plan": "mock", "max_duration": 600},
    )
    if res is None or res.status_code != 201:
        return None
    body = res.json()["interview"]
    return Interview(body["id"], body["room_name"], kind)


async def run_web(stack: Stack, iv: Interview) -> None:
    """The candidate page: hello/start, answer each turn, end; reconnect after drops."""
    import websockets

    last_seq, epoch, answered, ending = 0, None, 0, False
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline and not iv.ended_seen:
        try:
            url = f"ws://127.0.0.1:{stack.port}/api/web/live/{iv.room}"
            async with websockets.connect(url, open_timeout=5, max_size=None) as ws:
                hello: dict[str, Any] = {"type": "hello", "lastSeq": last_seq}
                if epoch:
                    hello["epoch"] = epoch
                await ws.send(json.dumps(hello))
                async for raw in ws:
                    if isinstance(raw, bytes):
                        continue
                    m = json.loads(raw)
                    if m["type"] == "session":
                        if epoch and m["epoch"] != epoch:
                            last_seq = 0
                        epoch = m["epoch"]
                        if m["ended"]:
                            iv.ended_seen = True
                            break
                        if not m["started"]:
                            await ws.send(json.dumps({"type": "start"}))
                        elif m.get("yourTurn"):
                            m = {"type": "turn"}
                    if m["type"] == "error":
                        if m["code"] == "ended":
                            iv.told_interrupted = "interrupted" in m["message"]
                            iv.notes.append(m["message"][:80])
                            return
                    elif m["type"] == "data":
                        last_seq = max(last_seq, m["seq"])
                        if m["message"].get("type") == "interview_ended":
                            iv.ended_seen = True
                            break
                    if m["type"] == "turn" and not ending:
                        await asyncio.sleep(random.uniform(0.2, 1.5))
                        if answered < len(ANSWERS):
                            await ws.send(json.dumps({"type": "answer", "text": ANSWERS[answered]}))
                            answered += 1
                        else:
                            ending = True
                            await ws.send(
                                json.dumps({"type": "control", "data": {"type": "end_interview"}})
                            )
        except (OSError, websockets.WebSocketException, TimeoutError):
            await asyncio.sleep(0.5)


async def run_agent(stack: Stack, iv: Interview, kill_at: float | None, faults: Faults) -> None:
    """The worker's job in a process of its own; maybe killed at ``kill_at`` seconds."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.soak",
        "agent",
        iv.id,
        cwd=ROOT,
        env=stack.env,
        stdout=asyncio.subprocess.PIPE,
        stderr=_log_file(stack.workdir / f"agent-{iv.id}.log"),
    )
    assert proc.stdout is not None

    started = asyncio.Event()

    async def read() -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            if line.strip() == b"STARTED":
                started.set()
            if line.strip() == b"ENDED":
                iv.ended_seen = True

    reader = asyncio.create_task(read())
    try:
        with contextlib.suppress(TimeoutError):  # killed at a random point of the interview
            await asyncio.wait_for(started.wait(), timeout=300)
        await asyncio.wait_for(proc.wait(), timeout=kill_at or 300)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        if kill_at is not None:
            faults.agent_kills += 1
            iv.notes.append(f"agent killed at {kill_at:.1f} s")
            iv.agent_killed_mid = not iv.ended_seen
    await reader


async def agent_main(interview_id: str) -> int:
    """One worker job for ``interview_id`` (run by :func:`run_agent` in its own process)."""
    from livekit import rtc
    from livekit.agents.testing import fake_job_context

    from voicehire.agent import worker
    from voicehire.agent.messages import ControlMessage
    from voicehire.platform_client import PlatformClient
    from voicehire.settings import load_settings

    settings = load_settings()
    platform = PlatformClient.from_settings(settings, retry_delay=0.2)
    assert platform is not None
    meta = json.dumps({"interviewId": interview_id})
    with fake_job_context(job_metadata=meta, room=rtc.Room()) as ctx:
        runtime = None
        for _ in range(60):  # the API may be restarting: as a dispatch would be retried
            runtime = await worker.run_job(ctx, settings, platform)
            if runtime is not None:
                break
            await asyncio.sleep(1)
        if runtime is None:
            return 1
        print("STARTED", flush=True)
        for answer in ANSWERS:
            while not runtime.awaiting_answer and not runtime.ended.is_set():  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            await asyncio.sleep(random.uniform(0.2, 1.0))
            await ctx.primary_session.run(user_input=answer)
        await runtime.handle_control(ControlMessage(type="end_interview", data={}))
        await runtime.ended.wait()
        print("ENDED", flush=True)
        # what the job process does as it shuts down: wait for the result, retry the
        # end's writes until stored (the fake job context only collects the callbacks)
        for callback in list(ctx._shutdown_callbacks):
            await callback("session ended")
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ctx.primary_session.aclose(), timeout=10)
    await platform.aclose()
    return 0


async def outbox_worker_main() -> int:
    """What `voicehire agent start` runs beside its jobs: the outbox, delivered forever."""
    from voicehire.agent.platform_sync import platform_deliverer
    from voicehire.platform_client import PlatformClient
    from voicehire.settings import load_settings
    from voicehire.storage.outbox import Outbox

    settings = load_settings()
    platform = PlatformClient.from_settings(settings, retry_delay=0.2)
    assert platform is not None
    await Outbox(settings.outbox_dir / "agent", max_delay=5.0).run(
        platform_deliverer(platform), idle_poll=1.0
    )
    return 0


# --- the run ----------------------------------------------------------------------------------


async def inject_faults(stack: Stack, faults: Faults, until: float, log: list[str]) -> None:
    await asyncio.sleep(random.uniform(5, 12))
    while time.monotonic() < until:
        kind = random.choice(["api", "api", "db", "db", "outbox"])
        t = time.monotonic()
        if kind == "api":
            await stack.kill_api()
            faults.api_kills += 1
            await asyncio.sleep(random.uniform(0.5, 3))
            await stack.start_api()
            log.append(f"API killed and restarted ({time.monotonic() - t:.1f} s down)")
        elif kind == "db":
            what = await stack.database_outage(random.uniform(2, 8))
            faults.db_outages += 1
            log.append(what)
        else:
            stack.kill_outbox_worker()
            faults.outbox_worker_kills += 1
            await asyncio.sleep(random.uniform(1, 4))
            stack.start_outbox_worker()
            log.append("worker outbox process killed and restarted")
        await asyncio.sleep(random.uniform(6, 15))


async def account(stack: Stack, interviews: list[Interview], wait: float) -> dict[str, Any]:
    """Wait for the outboxes to drain, then read every interview back from the API."""
    deadline = time.monotonic() + wait
    outbox = stack.workdir / "outbox"
    while time.monotonic() < deadline and _queued(outbox):  # noqa: ASYNC110
        await asyncio.sleep(1)
    rows = []
    for iv in interviews:
        got = await admin(stack, "GET", f"/api/interviews/{iv.id}")
        ts = await admin(stack, "GET", f"/api/interviews/{iv.id}/transcripts")
        res = await admin(stack, "GET", f"/api/interviews/{iv.id}/result")
        body = got.json() if got is not None else {}
        full = ts is not None and any(t["kind"] == "full" for t in ts.json())
        rows.append(
            {
                "iv": iv,
                "status": body.get("status"),
                "end_reason": body.get("end_reason"),
                "stuck": body.get("stuck"),
                "transcript": full,
                "result": res is not None and res.status_code == 200,
            }
        )
    return {"rows": rows, "outbox_left": _queued(outbox)}


def _queued(outbox: Path) -> int:
    return len(list(outbox.glob("*/*.json")))


async def soak(args: argparse.Namespace) -> int:
    random.seed(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="vh-soak-"))
    pg_cluster = None
    if args.postgres:
        pg_cluster, database_url = _postgres_cluster()
    else:
        database_url = f"sqlite+aiosqlite:///{workdir / 'soak.db'}"
    stack = Stack(workdir, database_url, pg_cluster)
    print(f"soak: {args.interviews} interviews, {args.duration:.0f} s of faults, in {workdir}")
    print(f"database: {'PostgreSQL (own cluster)' if pg_cluster else 'SQLite'}", flush=True)
    faults, fault_log = Faults(), []
    interviews: list[Interview] = []
    started = time.monotonic()
    try:
        await stack.start_api()
        stack.start_outbox_worker()
        until = time.monotonic() + args.duration
        chaos = asyncio.create_task(inject_faults(stack, faults, until, fault_log))
        sem = asyncio.Semaphore(args.concurrency)

        async def one(i: int) -> None:
            async with sem:
                kind = "web" if i % 2 == 0 else "agent"
                iv = await create_interview(stack, kind)
                if iv is None:
                    print(f"interview {i}: could not be created")
                    return
                interviews.append(iv)
                if kind == "web":
                    await run_web(stack, iv)
                else:
                    kill_at = random.uniform(1, 20) if random.random() < 0.5 else None
                    await run_agent(stack, iv, kill_at, faults)

        async def stagger(i: int) -> None:
            await asyncio.sleep(i * args.duration / max(1, args.interviews))
            await one(i)

        await asyncio.gather(*(stagger(i) for i in range(args.interviews)))
        await chaos
        if stack.api is None or stack.api.returncode is not None:
            await stack.start_api()
        if stack.outbox_worker is None or stack.outbox_worker.poll() is not None:
            stack.start_outbox_worker()
        report = await account(stack, interviews, wait=90)
    finally:
        await stack.aclose()
        if pg_cluster is not None:
            await asyncio.to_thread(
                subprocess.run, ["pg_dropcluster", "--stop", *pg_cluster], check=False
            )
    _print(report, faults, fault_log, time.monotonic() - started, workdir)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _print(report: dict[str, Any], faults: Faults, fault_log: list[str], took: float, workdir):
    rows = report["rows"]
    print("\nfaults injected:", faults.total)
    print(
        f"  API killed {faults.api_kills}, database outages {faults.db_outages}, "
        f"agent jobs killed {faults.agent_kills}, worker outbox killed "
        f"{faults.outbox_worker_kills}"
    )
    for line in fault_log:
        print("   -", line)
    ended = [r for r in rows if r["iv"].ended_seen]
    stored = [r for r in ended if r["status"] in ("completed", "error") and r["transcript"]]
    with_result = [r for r in ended if r["result"]]
    interrupted = [r for r in rows if r["end_reason"] in INTERRUPTED]
    told = [r for r in interrupted if r["iv"].kind == "web" and r["iv"].told_interrupted]
    agent_dead = [r for r in rows if r["iv"].agent_killed_mid]
    lost = [
        r
        for r in ended
        if r["status"] not in ("completed", "error", "cancelled")
        or not r["transcript"]
        or (r["status"] == "completed" and not r["result"])
    ]
    stuck = [r for r in rows if r["status"] == "in_progress" and not r["iv"].agent_killed_mid]
    print(f"\ninterviews started: {len(rows)} ({sum(r['iv'].kind == 'web' for r in rows)} web)")
    print(f"ended as seen by the candidate/agent: {len(ended)}")
    print(f"  end status + full transcript stored: {len(stored)}/{len(ended)}")
    print(f"  results stored: {len(with_result)}/{len(ended)}")
    print(
        f"interrupted by an API restart mid-interview: {len(interrupted)} "
        f"(web candidates told so: {len(told)})"
    )
    print(
        f"agent killed mid-interview (in_progress until flagged stuck after max duration): "
        f"{len(agent_dead)}"
    )
    print(f"LOST (ended, but status/transcript/result missing): {len(lost)}")
    print(f"STUCK in_progress with no explanation: {len(stuck)}")
    print(f"outbox entries left undelivered: {report['outbox_left']}")
    for r in lost + stuck:
        iv = r["iv"]
        print(
            f"   {iv.kind} {iv.id}: status={r['status']} reason={r['end_reason']} "
            f"transcript={r['transcript']} result={r['result']} {iv.notes}"
        )
    print(f"took {took:.0f} s (logs in {workdir})")


def _postgres_cluster() -> tuple[tuple[str, str], str]:
    """A throwaway PostgreSQL cluster of this run's own (root, Debian's pg_* tools)."""
    version = sorted(
        os.listdir("/usr/lib/postgresql"), key=lambda v: [int(x) for x in v.split(".")]
    )[-1]
    name, port = f"soak{os.getpid()}", _free_port()
    subprocess.run(
        ["pg_createcluster", version, name, "-p", str(port), "--start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    sql = "CREATE ROLE soak LOGIN PASSWORD 'soak'; CREATE DATABASE soak OWNER soak;"
    for statement in sql.split("; "):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "psql", "-p", str(port), "-qc", statement],
            check=True,
        )
    return (version, name), f"postgresql+asyncpg://soak:soak@127.0.0.1:{port}/soak"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "role", nargs="?", default="soak", choices=["soak", "agent", "outbox-worker"]
    )
    parser.add_argument("interview_id", nargs="?")
    parser.add_argument("--interviews", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of faults")
    parser.add_argument("--postgres", action="store_true", help="a PostgreSQL cluster (root)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    args = parser.parse_args(argv)
    if args.role == "agent":
        return asyncio.run(agent_main(args.interview_id))
    if args.role == "outbox-worker":
        return asyncio.run(outbox_worker_main())
    return asyncio.run(soak(args))


if __name__ == "__main__":
    sys.exit(main())
