"""Briefing mode: the agent briefs the human interviewer before an interview.

It delivers a concise spoken briefing (who, strengths, concerns, open questions, 2-3
suggested opening questions), then answers the interviewer's questions grounded only in
the candidate's data (profile, resume summary, recruiter notes, job, earlier interview
and gap-filling results); asked about something the data doesn't hold, it says so.

It is read-only by construction: :class:`BriefingRuntime` has no saver and no client,
and :class:`BriefingAgent` has no tool that writes (only ``end_call``). The call's
transcript is stored like any other call's; the candidate record is never touched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from livekit.agents import Agent, RunContext, function_tool, llm

from voicehire.agent.launch import Mode, SessionRequest
from voicehire.agent.local_llm import LocalLLM, Reply
from voicehire.agent.modes.call import DEFAULT_AGENT_NAME, CallAgent, CallRuntime, conversation
from voicehire.agent.modes.records import (
    briefing_data,
    is_gap_filling_result,
    load_candidate,
    load_interviews,
    load_job,
)
from voicehire.agent.runtime import RuntimeOptions, runtime_options
from voicehire.domain.briefing import (
    BriefingData,
    answer_question,
    briefing_instructions,
    build_briefing,
)
from voicehire.domain.config import SessionConfig
from voicehire.domain.outcome import SessionOutcome
from voicehire.settings import Settings

logger = logging.getLogger(__name__)

END_TOOL = "end_call"
OPENING_TAG = "[briefing:deliver]"
GREETING = "I'm here to brief you on your upcoming interview."  # seed 002

_DONE = re.compile(
    r"^\W*(no|nope|nothing( else)?|that'?s (all|it|everything)|i'?m (good|done|all set)|"
    r"all (good|set)|no more questions|thanks?,?( you)?( very much)?[.!]*\s*(bye|goodbye)?)\W*$"
    r"|\b(bye|goodbye|that'?s all|no more questions|end the (call|briefing))\b",
    re.I,
)
_REPEAT = re.compile(
    r"\b(repeat|say (that|it) again|again from the (start|top)|the briefing again|pardon)\b", re.I
)


class BriefingAgent(CallAgent):
    def __init__(self, runtime: BriefingRuntime) -> None:
        super().__init__(id="briefing", instructions=runtime.instructions())

    @function_tool()
    async def end_call(self, context: RunContext[BriefingRuntime], reason: str) -> None:
        """End the briefing and hang up. Call it in the same turn as your goodbye, when the
        interviewer says they have no more questions or asks to stop.

        Args:
            reason: "completed".
        """
        context.userdata.tool_end_call("completed")


class BriefingRuntime(CallRuntime):
    mode = "briefing"
    title = "Interviewer briefing"
    human_role = "interviewer"

    def __init__(
        self,
        *,
        config: SessionConfig,
        data: BriefingData,
        interviewer_name: str | None = None,
        options: RuntimeOptions | None = None,
    ) -> None:
        super().__init__(config=config, options=options)
        self.data = data
        self.briefing = build_briefing(data)
        self.interviewer_name = interviewer_name
        self.person_name = interviewer_name or "Interviewer"

    @property
    def candidate_label(self) -> str:
        return self.data.candidate.name or "the candidate"

    def instructions(self) -> str:
        return (
            briefing_instructions(self.data, agent_name=self.options.agent_name)
            + f"\nWhen the interviewer has no more questions, say goodbye and call {END_TOOL} "
            "in the same turn.\n"
        )

    def opening_instruction(self) -> str:
        return f"{OPENING_TAG} Greet the interviewer and deliver the spoken briefing now."

    def opening_line(self) -> str:
        hello = f"Hello {self.interviewer_name}!" if self.interviewer_name else "Hello!"
        return (
            f"{hello} {GREETING} {self.briefing.spoken_text()} "
            f"What would you like to know about {self.candidate_label}?"
        )

    def closing_line(self) -> str:
        return "Good luck with the interview. Goodbye!"

    def nudge_line(self) -> str:
        return f"Is there anything else you'd like to know about {self.candidate_label}?"

    async def on_silent_again(self) -> None:
        await self.end(
            "completed", line="I'll let you get ready. Good luck with the interview. Goodbye!"
        )

    def header(self) -> str:
        job = self.data.job
        role = f" for {job.title}" if job and job.title else ""
        return f"VoiceHire interviewer briefing — {self.candidate_label}{role}"

    def summary_lines(
        self, outcome: SessionOutcome, result: dict[str, Any], settings: Settings
    ) -> list[str]:
        lines = [f"questions answered: {len(result.get('questions', []))}"]
        return [*lines, *super().summary_lines(outcome, result, settings)]

    def make_agent(self) -> Agent:
        return BriefingAgent(self)

    def make_policy(self) -> LocalLLM:
        policy = BriefingPolicy()
        policy.bind(self)
        return policy

    def transcript_metadata(self) -> dict[str, Any]:
        return {"briefing": self._briefing_doc()}

    def _briefing_doc(self) -> dict[str, Any]:
        b = self.briefing
        return {
            "candidate": self.data.candidate.name,
            "spoken": b.spoken_text(),
            "who": b.who,
            "result": b.result,
            "strengths": b.strengths,
            "concerns": b.concerns,
            "open_questions": b.open_questions,
            "opening_questions": b.opening_questions,
        }

    def result(self, transcript: dict[str, Any] | None) -> dict[str, Any]:
        turns = conversation(transcript)
        qa = []
        for i, u in enumerate(turns):
            if u.get("isAI"):
                continue
            reply = next((t["message"] for t in turns[i + 1 :] if t.get("isAI")), None)
            if reply is not None and reply.endswith(self.closing_line()):
                continue  # "that's all, thanks" / goodbye
            qa.append({"question": u["message"], "answer": reply})
        return {
            "mode": self.mode,
            "call_id": self.call_id,
            "briefing": self._briefing_doc(),
            "questions": qa,
            "transcript": turns,
        }


class BriefingPolicy(LocalLLM):
    """The embedded default's briefer: says the derived briefing, answers each question
    with :func:`answer_question` (which says so when the data has nothing on it), and
    says goodbye with ``end_call`` when the interviewer is done."""

    def __init__(self) -> None:
        super().__init__(model_name="briefing-policy")
        self._runtime: BriefingRuntime | None = None

    def bind(self, runtime: BriefingRuntime) -> None:
        self._runtime = runtime

    def decide(self, chat_ctx: llm.ChatContext, tools: list[Any]) -> Reply:
        rt = self._runtime
        if rt is None or rt.ending or not chat_ctx.items:
            return Reply()
        last = chat_ctx.items[-1]
        if last.type == "message" and last.role in ("system", "developer"):
            if (last.text_content or "").startswith(OPENING_TAG):
                return Reply(rt.opening_line())
            return Reply()
        if not (last.type == "message" and last.role == "user"):
            return Reply()
        said = (last.text_content or "").strip()
        if _DONE.search(said):
            return Reply(rt.closing_line(), [(END_TOOL, {"reason": "completed"})])
        if _REPEAT.search(said):
            return Reply(f"Sure. {rt.briefing.spoken_text()}")
        return Reply(answer_question(rt.data, said).text)


def briefing_runtime(
    settings: Settings,
    config: SessionConfig,
    candidate: Mapping[str, Any],
    *,
    job: Mapping[str, Any] | None = None,
    interviews: list[Any] | None = None,
    gap_filling: Mapping[str, Any] | None = None,
    interviewer_name: str | None = None,
    options: RuntimeOptions | None = None,
) -> BriefingRuntime:
    """A briefing about ``candidate`` from the given data only."""
    data = briefing_data(candidate, job=job, interviews=interviews or [], gap_filling=gap_filling)
    return BriefingRuntime(
        config=config,
        data=data,
        interviewer_name=interviewer_name,
        options=options or runtime_options(settings, agent_name=DEFAULT_AGENT_NAME),
    )


async def build(request: SessionRequest) -> BriefingRuntime:
    """The candidate (API or metadata), the job (metadata ``job`` or the API interview's),
    earlier results (metadata ``interviews``, else the candidate's finished interviews
    from the API) and gap-filling results (metadata
    ``gapFilling``, else what a gap-filling call saved in the record). Writes nothing."""
    config = request.config
    meta, problems = config.call_metadata()
    request.problems.extend(problems)
    candidate, _ = await load_candidate(config, meta, request.platform)
    return briefing_runtime(
        request.settings,
        config,
        candidate,
        job=await load_job(meta, request.platform, request.interview_id),
        interviews=await load_interviews(config, meta, request.platform),
        gap_filling=meta.gap_filling if is_gap_filling_result(meta.gap_filling) else None,
        interviewer_name=meta.interviewer_name,
        options=request.options(DEFAULT_AGENT_NAME),
    )


MODE = Mode(name="briefing", label="Interviewer briefing", build=build, hears_in_browser=False)
