"""Build full-transcript documents the way the agent's recorder writes them."""

from __future__ import annotations

from typing import Any

from voicehire.domain.plan import load_plan
from voicehire.domain.transcript import (
    AskedQuestion,
    SessionInfo,
    StageTranscript,
    Utterance,
    full_document,
)

ROLE = "Backend Software Engineer"

GOOD_SCALING = (
    "First I would measure before changing anything: look at latency and error metrics, "
    "then profile and use distributed tracing to find where the time goes. Usually the "
    "bottleneck is the database, so I check slow queries and add an index, or add caching "
    "with Redis. If CPU is saturated I scale horizontally behind the load balancer or move "
    "slow work to a queue. Then I verify the fix with a load test before and after."
)
WEAK_SCALING = "I would restart the server and hope it gets better. Maybe buy a bigger machine."
GOOD_TESTING = (
    "I write unit tests for the logic, integration tests for the database and API "
    "boundaries, and a few end-to-end tests for the main user flows. I test behaviour and "
    "edge cases rather than implementation details, prioritise by risk, and run "
    "everything automatically in continuous integration on every pull request."
)
GOOD_INTRO = (
    "I'm a backend engineer at a logistics company, where I build the order APIs in Python. "
    "I studied computer science, and I'm looking for a role with more ownership of "
    "distributed systems, which is why this position appeals to me."
)


def build_transcript(
    answers: dict[str, str | list[str]],
    *,
    name: str = "Jordan Lee",
    interview_id: str = "iv-1",
    embed_plan: bool = True,
    start_ms: int = 1_700_000_000_000,
    duration_s: int = 1500,
) -> dict[str, Any]:
    """A full transcript where every question of the resolved plan is asked, and the
    candidate answers the ones in ``answers`` (question id -> words)."""
    plan = load_plan("full").resolve(role=ROLE, interview_type="technical").plan
    info = SessionInfo(
        interview_id=interview_id,
        participant_name=name,
        room_name=f"room-{interview_id}",
        plan_id="full",
        role=ROLE,
        interview_type="technical",
        started_at=start_ms,
        ended_at=start_ms + duration_s * 1000,
        end_reason="completed",
    )
    t = start_ms
    stages = []
    for stage in plan.stages:
        st = StageTranscript(stage=stage.id, title=stage.title, started_at=t)
        for q in stage.questions:
            t += 1000
            st.questions.append(AskedQuestion(q.id, q.text, t))
            st.conversation.append(
                Utterance("agent", "agent", "Alex", q.text, t, stage.id, q.id, "question")
            )
            said = answers.get(q.id, [])
            for line in [said] if isinstance(said, str) else said:
                t += 5000
                st.conversation.append(
                    Utterance("candidate", "cand", name, line, t, stage.id, q.id, "speech")
                )
        st.ended_at = t
        st.end_reason = "completed"
        stages.append(st)
    extra = {"plan": plan.model_dump(mode="json")} if embed_plan else {}
    return full_document(info, stages, extra)
