"""HTTP and WebSocket routes of the web app.

* ``GET /app`` — the recruiter dashboard; ``GET /join/{room}`` — the candidate's page
  (the invite link the API hands out). Both are built by ``make setup`` (``web/``).
* ``GET /api/web/config`` — what the pages need to know about this server.
* ``GET /api/web/join/{room}`` — the candidate page's view of its interview (the room
  name in the invite link is the credential: 144 random bits), with a LiveKit token when
  LiveKit is configured.
* ``WS /api/web/live/{room}`` — the local transport (embedded default, no LiveKit).
* ``POST /api/web/interviews/{id}/override`` and ``GET .../report.html`` — admin.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from voicehire.agent.modes import mode_names
from voicehire.api import auth, services, webhooks_out
from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ID_PATTERN, ROOM_PATTERN
from voicehire.domain.outcome import interview_outcome
from voicehire.domain.plan import BUILTIN_PLANS, load_plan
from voicehire.storage import repositories as repo
from voicehire.web.local.protocol import serve_socket
from voicehire.web.local.session import LiveSessionManager

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
RoomName = Annotated[str, PathParam(pattern=ROOM_PATTERN)]
InterviewId = Annotated[str, PathParam(pattern=ID_PATTERN)]

router = APIRouter(tags=["web app"])

MISSING_BUILD = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>VoiceHire — web app not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;
color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>The VoiceHire web app is not built</h1>
<p>This server could not find the web app's files in <code>{where}</code>.</p>
<p>Build them with <code>make setup</code> (needs Node.js 20+ and npm), or by hand:
<code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>. Then reload this page.</p>
<p>The API itself works: see <a href="/docs">/docs</a>.</p></body></html>"""


def _page(name: str) -> FileResponse | HTMLResponse:
    path = STATIC_DIR / name
    if not path.is_file():
        return HTMLResponse(MISSING_BUILD.replace("{where}", str(STATIC_DIR)), status_code=503)
    return FileResponse(path, media_type="text/html", headers={"Cache-Control": "no-cache"})


def root_page(request: Request) -> RedirectResponse | None:
    """``GET /`` from a browser (it asks for HTML) opens the app; API clients keep the
    JSON status the API's own ``/`` answers."""
    accept = request.headers.get("accept", "")
    if "text/html" in accept:
        return RedirectResponse("/app", status_code=307)
    return None


@router.get("/app", include_in_schema=False)
@router.get("/app/", include_in_schema=False)
async def dashboard_page():
    return _page("app.html")


@router.get("/join/{room}", include_in_schema=False)
async def candidate_page(room: RoomName):
    return _page("join.html")


@router.get("/brief/{room}", include_in_schema=False)
async def briefing_page(room: RoomName):
    """The recruiter's voice briefing (the same page bundle; no candidate consent)."""
    return _page("join.html")


def manager_of(app: Any) -> LiveSessionManager:
    return app.state.vh_web


@router.get("/api/web/config")
async def web_config(request: Request, state: StateDep) -> dict[str, Any]:
    """What the pages need: whether an admin token is needed from this browser, whether
    LiveKit and email (SMTP, for invites) are configured, the plans and the session types
    the agent can run."""
    open_admin = auth.check_admin_token(state, None, request) is not None
    plans = []
    for name in BUILTIN_PLANS:
        plan = load_plan(name)
        plans.append({"id": name, "title": plan.title, "stages": len(plan.stages)})
    from voicehire.evaluation.labels import all_labels

    return {
        "adminTokenRequired": not open_admin,
        "livekit": state.gateway is not None,
        "email": bool(state.settings.smtp_host),
        "plans": plans,
        "sessionTypes": list(mode_names()),
        # Words for the ids the dashboard would otherwise show (stages, questions, ...)
        "labels": all_labels(),
    }


@router.get("/api/web/join/{room}")
async def join_info(room: RoomName, state: StateDep, session: SessionDep) -> dict[str, Any]:
    """The candidate page's view of its interview (no scores, no notes)."""
    interview = await repo.get_interview_by_room(session, room)
    if interview is None:
        raise ApiError(
            404,
            "this interview link is not valid; ask the hiring team for a new one",
            code="unknown_room",
        )
    meta = interview.room_metadata or {}
    invite_until = services.invite_expiry(meta)
    if (
        interview.status == "scheduled"
        and invite_until is not None
        and invite_until < datetime.now(UTC)
    ):
        raise ApiError(
            410,
            f"this invite link expired on {invite_until:%d %B %Y, %H:%M} UTC; "
            "ask the hiring team to send it again",
            code="invite_expired",
        )
    try:
        plan = load_plan(interview.plan)
        stages = [{"id": s.id, "title": s.title} for s in plan.stages]
        plan_title = plan.title
    except Exception:
        stages, plan_title = [], interview.plan
    if interview.mode != "ai_interview":  # a call is one stage named after its mode
        title = {"gap_filling": "Gap-filling call", "briefing": "Voice briefing"}
        stages = [{"id": interview.mode, "title": title.get(interview.mode, interview.mode)}]
        plan_title = stages[0]["title"]
    body: dict[str, Any] = {
        "interviewId": interview.id,
        "room": interview.room_name,
        "status": interview.status,
        "mode": interview.mode,
        "candidateName": meta.get("candidateName") or "Candidate",
        "role": meta.get("interviewRole") or "",
        "interviewType": interview.interview_type,
        "planTitle": plan_title,
        "interviewerName": getattr(plan, "interviewer_name", "Interviewer") if stages else "",
        "stages": stages,
        "maxDuration": meta.get("maxDuration"),
        "transport": "livekit" if state.gateway is not None else "local",
        "sessionTypes": list(mode_names()),
        # RECORDING_NOTICE, shown on the consent page when the audio is recorded
        "recordingNotice": state.settings.recording_notice if meta.get("enableRecording") else None,
    }
    if repo.is_terminal(interview):  # no token: the link no longer opens a session
        if interview_outcome(interview.status, interview.end_reason) == "no_show":
            body["message"] = (
                "This interview link expired before the interview was started; "
                "ask the hiring team for a new one."
            )
        elif interview.status == "cancelled":
            body["message"] = (
                "This interview was cancelled by the hiring team; this link no longer works."
            )
        else:
            body["message"] = (
                f"This interview has ended ({interview.status}); this link no longer works."
            )
    elif state.gateway is not None:
        candidate = (
            await repo.get_candidate(session, interview.candidate_id)
            if interview.candidate_id
            else None
        )
        identity_prefix = "interviewer-" if interview.mode == "briefing" else None
        kwargs = {"identity_prefix": identity_prefix} if identity_prefix else {}
        token, identity, expires = services.issue_token(
            state, interview, candidate, dispatch=bool(interview.dispatch_id), **kwargs
        )
        body.update(
            livekitUrl=state.gateway.client_url,
            token=token,
            identity=identity,
            expiresAt=expires,
        )
    return body


class OverrideIn(BaseModel):
    recommendation: Literal["hire", "maybe", "no_hire"]
    note: str = Field(min_length=1, max_length=5000)
    by: str = Field("", max_length=200)


@router.post("/api/web/interviews/{interview_id}/override")
async def set_override(
    interview_id: InterviewId, body: OverrideIn, state: StateDep, session: SessionDep, _: AdminDep
) -> dict[str, Any]:
    """A person's recommendation, stored next to (never replacing) the machine's."""
    interview, result = await services.load_evaluation(
        session,
        interview_id,
        missing=ApiError(409, f"interview {interview_id!r} has no evaluation yet to override"),
    )
    updated = result.with_override(body.recommendation, body.note.strip(), by=body.by.strip())
    doc = updated.model_dump(mode="json")
    await repo.put_result(session, interview_id, doc)
    await services.emit(
        state,
        session,
        webhooks_out.INTERVIEW_OVERRIDDEN,
        {
            "interview": services.interview_data(interview),
            "override": doc.get("override"),
            "machineRecommendation": (doc.get("summary") or {}).get("recommendation"),
        },
    )
    await session.commit()
    return {"interview_id": interview_id, "result": doc}


@router.get("/api/web/interviews/{interview_id}/report.html", response_class=HTMLResponse)
async def report_html(interview_id: InterviewId, session: SessionDep, _: AdminDep):
    """The standalone HTML report of an evaluated interview."""
    from voicehire.evaluation.report import render_html

    _interview, result = await services.load_evaluation(
        session,
        interview_id,
        missing=ApiError(404, f"interview {interview_id!r} has no result yet"),
        not_evaluation=ApiError(409, "this result is not an evaluation report"),
    )
    return HTMLResponse(render_html(result))


# --- the local transport ------------------------------------------------------------------


def _same_origin(ws: WebSocket) -> bool:
    origin = ws.headers.get("origin")
    if not origin:
        return True  # not a browser
    host = ws.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


@router.websocket("/api/web/live/{room}")
async def live_socket(ws: WebSocket, room: str) -> None:
    from voicehire.web.results import ended_message, mark_interrupted, mark_started

    manager = manager_of(ws.app)
    state = ws.app.state.vh
    if not _same_origin(ws):
        await ws.close(code=4403, reason="cross-origin connections are refused")
        return
    if room in manager.blocked_rooms:
        await ws.close(code=1013, reason="try again later")
        return
    await state.start()
    async with state.db.sessionmaker() as session:
        interview = await repo.get_interview_by_room(session, room)
    if interview is None:
        await ws.close(code=4404, reason="unknown interview link")
        return
    await ws.accept()
    live = manager.sessions.get(room)
    if live is None and repo.is_terminal(interview):
        message = ended_message(interview.status, interview.end_reason)
        await ws.send_json({"type": "error", "code": "ended", "message": message})
        await ws.close()
        return
    if state.gateway is not None:
        await ws.send_json(
            {
                "type": "error",
                "code": "use_livekit",
                "message": "This server runs interviews through LiveKit.",
            }
        )
        await ws.close()
        return
    if live is None and interview.status == "in_progress":
        # started by an earlier run of this server, whose session is gone: the page is
        # told so, and nothing starts again from the greeting under the old question
        message = await mark_interrupted(state, interview.id)
        await ws.send_json({"type": "error", "code": "ended", "message": message})
        await ws.close()
        return
    live = manager.get_or_create(room, interview.id)

    async def started() -> None:
        await mark_started(state, interview.id)

    with contextlib.suppress(WebSocketDisconnect):
        await serve_socket(
            ws,
            live,
            metadata=interview.room_metadata or {},
            plan=interview.plan,
            on_started=started,
        )
