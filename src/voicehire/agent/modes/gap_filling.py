"""Gap-filling mode: the agent calls a candidate to complete the profile fields the API
lists as ``missing_required``.

The call's rules (validation, re-asks, declines, read-backs, time budget, saving) are
the domain's :class:`~voicehire.domain.gap_filling.GapFillingSession`; this module
connects it to a LiveKit ``AgentSession``:

- :class:`GapFillingAgent` offers the LLM three tools: ``update_candidate_field``,
  ``confirm_candidate_field`` and ``end_call``.
- :class:`GapFillingRuntime` greets (seed 002), saves every accepted value at once
  through the saver (API or local record), closes politely when every field is resolved
  or the time budget is spent, and produces the result: fields filled, declined and
  unresolved, with the transcript.
- :class:`GapFillingPolicy` is the embedded default's deterministic caller.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from livekit.agents import Agent, RunContext, ToolError, function_tool, llm

from voicehire.agent.launch import Mode, SessionRequest
from voicehire.agent.local_llm import LocalLLM, Reply, tool_names
from voicehire.agent.modes.call import DEFAULT_AGENT_NAME, CallAgent, CallRuntime, conversation
from voicehire.agent.modes.records import (
    PlatformCandidateSaver,
    candidate_name,
    field_registry,
    load_candidate,
    local_store_for,
    missing_fields,
)
from voicehire.agent.runtime import RuntimeOptions, runtime_options
from voicehire.domain.config import SessionConfig
from voicehire.domain.fields import FieldRegistry, FieldSpec, FieldSpecError
from voicehire.domain.gap_filling import (
    AnswerOutcome,
    GapFillingError,
    GapFillingSession,
    Outcome,
    Saver,
    gap_filling_instructions,
)
from voicehire.domain.messages import FieldUpdateMessage
from voicehire.domain.normalizers import NormalizedValue, normalize, parse_yes_no
from voicehire.domain.outcome import SessionOutcome
from voicehire.settings import Settings

logger = logging.getLogger(__name__)

UPDATE_TOOL = "update_candidate_field"
CONFIRM_TOOL = "confirm_candidate_field"
END_TOOL = "end_call"
OPENING_TAG = "[gap_filling:ask_first_field]"

_STOP = re.compile(
    r"\b(stop|end|finish|hang up)\b.{0,20}\b(call|this|now|here)\b|"
    r"\b(not a good time|bad time|call (me )?back later|have to go|got to go|gotta go)\b",
    re.I,
)
_REPEAT = re.compile(
    r"\b(repeat|say (that|it) again|didn'?t (catch|hear|get) (that|it|you)|pardon|come again)\b",
    re.I,
)

END_REASONS = ("completed", "candidate_request")


class GapFillingAgent(CallAgent):
    def __init__(self, runtime: GapFillingRuntime) -> None:
        super().__init__(id="gap_filling", instructions=runtime.instructions())

    @function_tool()
    async def update_candidate_field(
        self, context: RunContext[GapFillingRuntime], field: str, answer: str
    ) -> str:
        """Record the candidate's answer about one profile field. Call it after every
        answer about a field (also a refusal like "I'd rather not say"), passing their own
        words verbatim; never convert, round or guess the value yourself. The result says
        what to do next: "needs_confirmation" (read the value back exactly as given and ask
        if it is right), "reask" (ask again with the given wording), "accepted",
        "declined" or "unresolved" (move on to the next field it names).

        Args:
            field: the field's name as listed in your instructions, e.g. "expected_salary".
            answer: the candidate's answer, verbatim.
        """
        return await context.userdata.tool_update(context.function_call.call_id, field, answer)

    @function_tool()
    async def confirm_candidate_field(
        self, context: RunContext[GapFillingRuntime], field: str, reply: str
    ) -> str:
        """Record the candidate's reply after you read a value back to them ("yes, that's
        right" / "no"). If their reply gives a different value instead ("no, it's 130k"),
        call update_candidate_field with that reply instead of this tool.

        Args:
            field: the field whose value you read back.
            reply: the candidate's reply, verbatim.
        """
        return await context.userdata.tool_confirm(context.function_call.call_id, field, reply)

    @function_tool()
    async def end_call(self, context: RunContext[GapFillingRuntime], reason: str) -> None:
        """End the call and hang up. Call it in the same turn as your goodbye: when a tool
        result says all fields are handled or time is up, or when the candidate asks to stop.

        Args:
            reason: "completed" when the fields are handled (or time is up),
                "candidate_request" when the candidate asked to stop.
        """
        context.userdata.tool_end_call(reason if reason in END_REASONS else "completed")


class GapFillingRuntime(CallRuntime):
    mode = "gap_filling"
    title = "Gap-filling call"

    def __init__(
        self,
        *,
        config: SessionConfig,
        registry: FieldRegistry,
        missing: list[str],
        saver: Saver | None,
        time_budget: float,
        max_reasks: int = 2,
        options: RuntimeOptions | None = None,
        today: date | None = None,
        saved_to: str | None = None,
    ) -> None:
        super().__init__(config=config, options=options)
        self.gap = GapFillingSession(
            registry,
            missing,
            max_reasks=max_reasks,
            time_budget=time_budget,
            saver=saver,
            today=today,
        )
        self.saved_to = saved_to
        # tool call id -> what the tool did (read by the policy; written only by tools)
        self.outcomes: dict[str, AnswerOutcome] = {}
        self._asked: set[tuple[str, int]] = set()
        self.last_asked: str | None = None

    # --- lines ---------------------------------------------------------------------------------
    @property
    def candidate_name(self) -> str | None:
        name = self.person_name
        return None if not name or name == "Candidate" else name

    def instructions(self) -> str:
        return (
            gap_filling_instructions(
                self.gap,
                candidate_name=self.candidate_name,
                agent_name=self.options.agent_name,
                tool_name=UPDATE_TOOL,
                confirm_tool_name=CONFIRM_TOOL,
            )
            + "\nYour greeting has already been said. To end the call, say goodbye and call "
            f'{END_TOOL} in the same turn (reason "completed", or "candidate_request" if the '
            "candidate asks to stop).\n"
        )

    def opening_instruction(self) -> str:
        spec = self.gap.next_field()
        if spec is None:
            return f"{OPENING_TAG} There is nothing to ask. Thank the candidate and end the call."
        return (
            f"{OPENING_TAG} You have greeted the candidate. Now ask about the first field, "
            f'{spec.name}: "{spec.ask}"'
        )

    def start(self) -> Agent:
        self.gap.start()  # the time budget counts from here, like the runtime's timer
        return super().start()

    async def greet(self) -> None:
        await self.say(
            self.gap.greeting(self.candidate_name, self.options.agent_name), kind="greeting"
        )

    def closing_line(self) -> str:
        return self.gap.closing(self.candidate_name)

    def stop_line(self) -> str:
        name = f", {self.candidate_name}" if self.candidate_name else ""
        return (
            f"Of course{name}. I've saved what you told me, and the recruiter can follow up "
            "on the rest. Thank you, and goodbye!"
        )

    def nudge_line(self) -> str:
        spec = self.gap.next_field()
        again = f" {self.gap.question_for(spec.name).text}" if spec else ""
        return f"Are you still there?{again}"

    async def on_silent_again(self) -> None:
        await self.end(
            "candidate_unresponsive",
            line="It seems I've lost you. I've saved what you told me; the recruiter may "
            "follow up on the rest. Goodbye!",
        )

    def time_budget(self) -> float:
        return self.gap.time_budget

    def open_field(self) -> FieldSpec | None:
        """The field the conversation is about: the next one to ask, or, once time is up,
        the last one asked if it is still open (a late answer is still recorded)."""
        spec = self.gap.next_field()
        if spec is None and self.gap.time_up and self.last_asked:
            p = self.gap.fields[self.last_asked]
            if p.status in ("pending", "awaiting_confirmation"):
                return p.spec
        return spec

    def question_id(self) -> str | None:
        spec = self.open_field()
        return spec.name if spec else None

    def agent_line_kind(self, text: str) -> str:
        spec = self.gap.next_field()
        if spec is not None and "?" in text:
            p = self.gap.fields[spec.name]
            if p.status == "awaiting_confirmation":
                return "confirmation"
            key = (spec.name, len(p.answers))
            if key not in self._asked:  # one ask per field per answer so far
                self._asked.add(key)
                self.gap.mark_asked(spec.name)
            self.last_asked = spec.name
            return "reask" if p.failed_attempts else "question"
        return "speech"

    def header(self) -> str:
        fields = ", ".join(self.gap.fields)
        return (
            f"VoiceHire gap-filling call — {self.candidate_name or 'candidate'}, "
            f"{len(self.gap.fields)} field(s): {fields}; time budget {self.gap.time_budget:g}s"
        )

    def summary_lines(
        self, outcome: SessionOutcome, result: dict[str, Any], settings: Settings
    ) -> list[str]:
        lines = []
        for f in result.get("filled", []):
            note = "" if f.get("confirmed") else " (not confirmed)"
            lines.append(f"filled:        {f['field']} = {f['spoken']}{note}")
        for f in result.get("declined", []):
            lines.append(f"declined:      {f['field']}")
        for f in result.get("unresolved", []):
            lines.append(f"unresolved:    {f['field']} ({f['reason']})")
        for f in result.get("save_failures", []):
            lines.append(f"NOT SAVED:     {f['field']} ({f['error']})")
        if self.saved_to:
            lines.append(f"candidate record: {self.saved_to}")
        return [*lines, *super().summary_lines(outcome, result, settings)]

    def make_agent(self) -> Agent:
        return GapFillingAgent(self)

    def make_policy(self) -> LocalLLM:
        policy = GapFillingPolicy()
        policy.bind(self)
        return policy

    # --- tools ---------------------------------------------------------------------------------
    async def tool_update(self, call_id: str, field: str, answer: str) -> str:
        if self._ending:
            raise ToolError("the call is ending; nothing more is recorded")
        try:
            outcome = await self.gap.record_answer(field, answer)
        except GapFillingError as exc:
            raise ToolError(str(exc)) from None
        return self._after_tool(call_id, outcome)

    async def tool_confirm(self, call_id: str, field: str, reply: str) -> str:
        if self._ending:
            raise ToolError("the call is ending; nothing more is recorded")
        try:
            outcome = await self.gap.confirm(field, reply)
        except GapFillingError as exc:
            raise ToolError(
                f"{exc}. If the candidate gave a value, call {UPDATE_TOOL} with it."
            ) from None
        return self._after_tool(call_id, outcome)

    def _after_tool(self, call_id: str, outcome: AnswerOutcome) -> str:
        self.outcomes[call_id] = outcome
        p = self.gap.fields[outcome.field]
        self.publish(
            FieldUpdateMessage(
                field=outcome.field,
                label=p.spec.label,
                outcome=outcome.outcome.value,
                status=p.status,
                value=outcome.value.json_value() if outcome.value is not None else None,
                spoken=outcome.value.spoken if outcome.value is not None else None,
                saved=outcome.saved,
                save_error=outcome.save_error,
            )
        )
        message = outcome.message()
        if self.gap.time_up and not outcome.done:
            message += "; time is up: thank the candidate and end the call"
        return message

    # --- end -----------------------------------------------------------------------------------
    async def finalize(self, reason: str) -> str:
        # "completed" is checked, not taken on trust (an LLM may end with fields open)
        self.gap.end(None if reason == "completed" else reason)
        failures = await self.gap.retry_failed_saves()
        if failures:
            logger.error(
                "some fields could not be saved",
                extra={"fields": [f.field for f in failures], "call_id": self.call_id},
            )
        return self.gap.ended_reason or reason

    def transcript_metadata(self) -> dict[str, Any]:
        return {"gapFilling": self.gap.result().model_dump(mode="json", exclude={"transcript"})}

    def result(self, transcript: dict[str, Any] | None) -> dict[str, Any]:
        doc = self.gap.result(transcript=conversation(transcript)).model_dump(mode="json")
        doc["mode"] = self.mode
        doc["call_id"] = self.call_id
        if self.saved_to:
            doc["saved_to"] = self.saved_to
        return doc


class GapFillingPolicy(LocalLLM):
    """The embedded default's caller: asks each field in order, passes every answer to
    ``update_candidate_field`` verbatim, reads back what the tool asks to confirm, follows
    the tool's re-ask wording, and says goodbye with ``end_call`` once the tool reports
    the fields handled. It only reads the runtime; the tools change it."""

    def __init__(self) -> None:
        super().__init__(model_name="gap-filling-policy")
        self._runtime: GapFillingRuntime | None = None

    def bind(self, runtime: GapFillingRuntime) -> None:
        self._runtime = runtime

    def decide(self, chat_ctx: llm.ChatContext, tools: list[Any]) -> Reply:
        rt = self._runtime
        if rt is None or rt.ending or not chat_ctx.items:
            return Reply()
        names = tool_names(tools)
        gap = rt.gap
        last = chat_ctx.items[-1]
        goodbye = Reply(rt.closing_line(), [(END_TOOL, {"reason": "completed"})])

        if last.type == "message" and last.role in ("system", "developer"):
            if not (last.text_content or "").startswith(OPENING_TAG):
                return Reply()
            spec = gap.next_field()
            return goodbye if spec is None else Reply(gap.question_for(spec.name).text)

        if last.type == "function_call_output":
            if last.name not in (UPDATE_TOOL, CONFIRM_TOOL):
                return Reply()
            spec = gap.next_field()
            if last.is_error:
                if spec is None:
                    return goodbye
                return Reply(f"Sorry, let me ask that again. {gap.question_for(spec.name).text}")
            outcome = rt.outcomes.get(last.call_id)
            if outcome is None:
                return Reply()
            if outcome.outcome is Outcome.NEEDS_CONFIRMATION or (
                outcome.outcome is Outcome.REASK and not gap.time_up
            ):
                return Reply(outcome.say)
            lead = "" if outcome.outcome is Outcome.REASK else f"{outcome.say} "
            if spec is None:
                return Reply(f"{lead}{rt.closing_line()}", goodbye.tool_calls)
            return Reply(f"{lead}{gap.question_for(spec.name).text}")

        if not (last.type == "message" and last.role == "user"):
            return Reply()
        said = (last.text_content or "").strip()
        if _STOP.search(said):
            return Reply(rt.stop_line(), [(END_TOOL, {"reason": "candidate_request"})])
        spec = rt.open_field()
        if spec is None:
            return goodbye
        if _REPEAT.search(said):
            return Reply(f"Of course. {gap.question_for(spec.name).text}")
        p = gap.fields[spec.name]
        if p.status == "awaiting_confirmation" and p.value is not None and CONFIRM_TOOL in names:
            if parse_yes_no(said) is not True:
                new = normalize(spec, said, today=gap.today)
                if isinstance(new, NormalizedValue) and new.json_value() != p.value.json_value():
                    return Reply("", [(UPDATE_TOOL, {"field": spec.name, "answer": said})])
            return Reply("", [(CONFIRM_TOOL, {"field": spec.name, "reply": said})])
        return Reply("", [(UPDATE_TOOL, {"field": spec.name, "answer": said})])


def gap_filling_runtime(
    settings: Settings,
    config: SessionConfig,
    candidate: Mapping[str, Any],
    *,
    saver: Saver | None,
    registry: FieldRegistry | None = None,
    missing: list[str] | None = None,
    time_budget: float | None = None,
    today: date | None = None,
    saved_to: str | None = None,
    options: RuntimeOptions | None = None,
) -> GapFillingRuntime:
    """A gap-filling call about ``candidate``'s missing fields, saving through ``saver``."""
    name = candidate_name(candidate)
    if name and config.candidate_name == "Candidate":
        config = config.updated(candidate_name=name)
    return GapFillingRuntime(
        config=config,
        registry=registry or field_registry(settings.field_spec_paths),
        missing=missing if missing is not None else missing_fields(candidate),
        saver=saver,
        time_budget=time_budget or settings.gap_filling_time_budget,
        today=today,
        saved_to=saved_to,
        options=options or runtime_options(settings, agent_name=DEFAULT_AGENT_NAME),
    )


async def build(request: SessionRequest) -> GapFillingRuntime:
    """The candidate from the API (answers saved there as they are given) or from the
    metadata / command line (saved as ``CANDIDATE_DIR/{id}.json``); field specs from
    ``FIELD_SPEC_FILES`` and the metadata's ``fieldSpecs``; the time budget from the
    metadata's ``timeBudget``, else ``GAP_FILLING_TIME_BUDGET``."""
    settings, config = request.settings, request.config
    meta, problems = config.call_metadata()
    request.problems.extend(problems)
    candidate, from_api = await load_candidate(config, meta, request.platform)
    try:
        registry = field_registry(settings.field_spec_paths, meta.field_specs)
    except FieldSpecError as exc:
        if not request.lenient:
            raise
        logger.error("field specs unusable; using the built-in ones", extra={"error": str(exc)})
        registry = field_registry()
    saver: Any
    if from_api and request.platform is not None and config.candidate_id:
        saver = PlatformCandidateSaver(request.platform, config.candidate_id, candidate)
    else:
        saver = local_store_for(settings, candidate, request.candidate_source)
    return gap_filling_runtime(
        settings,
        config,
        candidate,
        saver=saver,
        registry=registry,
        time_budget=meta.time_budget,
        saved_to=saver.describe(),
        options=request.options(DEFAULT_AGENT_NAME),
    )


MODE = Mode(name="gap_filling", label="Gap-filling call", build=build, hears_in_browser=False)
