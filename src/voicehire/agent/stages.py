"""One LiveKit ``Agent`` per interview stage, built from the plan.

The tools are the only way the conversation changes state: ``next_question`` opens the
stage's next planned question, ``transition_to_stage`` hands off to another stage's agent
(validated by the flow), ``end_interview`` ends the call. Their docstrings are what the
LLM reads, so they say exactly when to call them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from livekit.agents import NOT_GIVEN, Agent, RunContext, StopResponse, function_tool, llm
from livekit.agents.voice.turn import EndpointingOptions

from voicehire.domain.plan import Stage

if TYPE_CHECKING:
    from voicehire.agent.modes.interview import InterviewRuntime

    Context = RunContext[InterviewRuntime]
else:
    Context = RunContext


class StageAgent(Agent):
    """Greeting and closing stages: fixed lines plus the ``end_interview`` tool. The
    interview's state is the session's userdata (an ``InterviewRuntime``)."""

    def __init__(
        self,
        stage: Stage,
        *,
        instructions: str,
        chat_ctx: llm.ChatContext | None = None,
        endpointing: EndpointingOptions | None = None,
    ) -> None:
        self.stage = stage
        super().__init__(
            id=f"stage_{stage.id}",
            instructions=instructions,
            chat_ctx=chat_ctx,
            # how long this stage waits after the candidate stops (its answers' style)
            turn_handling={"endpointing": endpointing} if endpointing else NOT_GIVEN,
        )

    async def on_enter(self) -> None:
        runtime: InterviewRuntime = self.session.userdata
        await runtime.on_stage_entered(self)

    @function_tool()
    async def end_interview(self, context: Context, reason: str) -> None:
        """End the interview and hang up. Call it in the closing stage right after saying
        goodbye, or earlier only if the candidate clearly asks to stop the interview.

        Args:
            reason: "completed" when the interview finished normally, "candidate_request"
                when the candidate asked to stop.
        """
        context.userdata.tool_end_interview(reason)

    @function_tool()
    async def answer_role_question(self, context: Context, topic: str) -> str:
        """Look up the answer to a question the candidate asked about the role or the
        company. Call it whenever they ask about location or remote work, salary, the team,
        the hiring process, benefits or the role itself, then say the returned line in
        your own words and continue the interview. Never answer such questions from your
        own knowledge: only this tool knows the job.

        Args:
            topic: one of "location", "salary", "team", "process", "benefits", "company",
                "role", "start" or "other".
        """
        answer = context.userdata.role_answer(topic)
        if answer.deferred:
            return (
                "The job record does not say. Tell the candidate you don't have that detail "
                f"and the hiring team will follow up, then continue: {answer.text}"
            )
        return f"From the job record: {answer.text}"


class QuestionStageAgent(StageAgent):
    """A stage that asks planned questions (self-introduction, experience, technical, ...)."""

    @function_tool()
    async def next_question(self, context: Context) -> str:
        """Get the next planned question of this stage. Call it at the start of the stage and
        each time the candidate has finished answering the current question (after at most
        one or two follow-ups). Then ask the returned question in your own words, one
        question only. If it reports that there are no more questions, call
        transition_to_stage instead of asking anything."""
        return context.userdata.tool_next_question()

    @function_tool()
    async def transition_to_stage(self, context: Context, target_stage: str, reason: str) -> Agent:
        """Move the interview to another stage. Call it when next_question reports that this
        stage has no more questions (target the next stage), or target the closing stage
        when the interview must wrap up early. Do not say anything in the same turn; the
        next stage opens itself.

        Args:
            target_stage: the id of the stage to move to, e.g. "technical" or "closing".
            reason: a short reason, e.g. "questions_done".
        """
        return context.userdata.tool_transition(target_stage, reason)


class LobbyAgent(Agent):
    """Holds the room until a ``start_interview`` message arrives (``waitForStart``)."""

    def __init__(self) -> None:
        super().__init__(
            id="lobby",
            instructions="The interview has not started yet. Stay silent.",
        )

    async def on_user_turn_completed(
        self, turn_ctx: llm.ChatContext, new_message: llm.ChatMessage
    ) -> None:
        raise StopResponse()
