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
from typing import Any

from livekit.agents import Agent, function_tool, llm

from voicehire.agent.local_llm import LocalLLM, Reply
from voicehire.agent.modes.base import ModeRuntime, conversation
from voicehire.agent.runtime import RuntimeOptions
from voicehire.interview.briefing import (
    BriefingData,
    answer_question,
    briefing_instructions,
    build_briefing,
)
from voicehire.interview.config import SessionConfig

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


class BriefingAgent(Agent):
    def __init__(self, runtime: BriefingRuntime) -> None:
        self.runtime = runtime
        super().__init__(id="briefing", instructions=runtime.instructions())

    async def on_enter(self) -> None:
        await self.runtime.on_enter()

    @function_tool()
    async def end_call(self, reason: str) -> None:
        """End the briefing and hang up. Call it in the same turn as your goodbye, when the
        interviewer says they have no more questions or asks to stop.

        Args:
            reason: "completed".
        """
        self.runtime.tool_end_call("completed")


class BriefingRuntime(ModeRuntime):
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
        self.participant_name = interviewer_name or "Interviewer"

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

    def silence_end(self) -> tuple[str, str]:
        return "completed", "I'll let you get ready. Good luck with the interview. Goodbye!"

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
