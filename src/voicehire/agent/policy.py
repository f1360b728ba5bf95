"""The embedded default's interviewer: a deterministic policy behind the LLM interface.

It reads the conversation the way a model would (the chat context and the tools the
current stage offers) plus the read-only interview flow, and answers with speech and
tool calls: it acknowledges answers, asks the plan's questions through ``next_question``,
uses a follow-up hint when an answer is short, refers back to earlier answers where the
plan says so, moves stages with ``transition_to_stage`` and closes with
``end_interview``. It never changes state itself; only the tools do.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from livekit.agents import llm

from voicehire.agent.local_llm import LocalLLM, Reply, tool_names
from voicehire.domain import prompts
from voicehire.domain.flow import word_count
from voicehire.domain.intents import clarification, classify, intent_line

if TYPE_CHECKING:
    from voicehire.agent.modes.interview import InterviewRuntime

# An answer shorter than this (all turns for the question together) gets a follow-up.
FOLLOW_UP_BELOW_WORDS = 15

_NO_QUESTIONS = re.compile(r"^\s*(no|nope|nothing|not really|none|i'?m good|all good)\b", re.I)
_PRONOUNS = [
    (r"\bI am\b", "you are"),
    (r"\bI'm\b", "you're"),
    (r"\bI've\b", "you've"),
    (r"\bI'd\b", "you'd"),
    (r"\bI'll\b", "you'll"),
    (r"\bI was\b", "you were"),
    (r"\bmyself\b", "yourself"),
    (r"\bmy\b", "your"),
    (r"\bme\b", "you"),
    (r"\bmine\b", "yours"),
    (r"\bI\b", "you"),
    (r"\bam\b", "are"),
    (r"\bwe\b", "your team"),
    (r"\bour\b", "your team's"),
]


def second_person(text: str) -> str:
    """Turn the candidate's own words into a line the interviewer can say back."""
    for pattern, repl in _PRONOUNS:
        text = re.sub(pattern, repl, text, flags=re.I)
    return text


def first_clause(text: str, max_words: int = 14) -> str:
    sentence = re.split(r"(?<=[.!?])\s+", text.strip())[0].rstrip(".!?")
    sentence = re.sub(r"^(hi|hello|hey|so|well|okay|ok|um|uh)[,!.]?\s+", "", sentence, flags=re.I)
    # Prefer a whole clause: cut at the first comma/semicolon/dash after a few words.
    for match in re.finditer(r"[,;:]| - | and ", sentence):
        head = sentence[: match.start()].strip()
        if len(head.split()) >= 4:
            sentence = head
            break
    words = sentence.split()
    return " ".join(words[:max_words])


class InterviewerPolicy(LocalLLM):
    def __init__(self) -> None:
        super().__init__(model_name="interviewer-policy")
        self._runtime: InterviewRuntime | None = None

    def bind(self, runtime: InterviewRuntime) -> None:
        self._runtime = runtime

    def decide(self, chat_ctx: llm.ChatContext, tools: list[Any]) -> Reply:
        rt = self._runtime
        if rt is None or rt.flow.state != "in_progress" or not chat_ctx.items:
            return Reply()
        names = tool_names(tools)
        flow = rt.flow
        stage = flow.current_stage
        last = chat_ctx.items[-1]

        if last.type == "message" and last.role in ("system", "developer"):
            text = last.text_content or ""
            if text.startswith("[stage:") and "next_question" in names:
                return Reply(prompts.stage_intro(stage.id, stage.title), [("next_question", {})])
            return Reply()

        if last.type == "function_call_output":
            if last.name == "next_question" and not last.is_error:
                qs = flow.current_question
                if qs is None or qs.question.text not in (last.output or ""):
                    return self._leave_stage(names, "")
                return Reply(self._question_line(rt))
            return Reply()

        if not (last.type == "message" and last.role == "user"):
            return Reply()
        said = last.text_content or ""
        n_user = sum(1 for i in chat_ctx.items if i.type == "message" and i.role == "user")
        ack = prompts.lines("acknowledgements")[n_user % len(prompts.lines("acknowledgements"))]

        intent = classify(said)
        if intent.kind == "stop" and "end_interview" in names:
            return Reply(
                rt.render("candidate_request"), [("end_interview", {"reason": "candidate_request"})]
            )
        if stage.kind == "closing":
            text = rt.render("goodbye")
            if intent.kind == "role_question":
                role = rt.role_answer(intent.topic or "other")
                text = f"{role.fact or prompts.render('closing_reply')} {text}"
            elif not _NO_QUESTIONS.search(said):
                text = f"{prompts.render('closing_reply')} {text}"
            return Reply(text, [("end_interview", {"reason": "completed"})])
        if stage.kind != "questions":
            return Reply()

        qs = flow.current_question
        # Not an answer: handle it and stay on the question (nothing here is scored).
        if qs is not None and intent.kind == "repeat":
            return Reply(prompts.render("repeat_prefix") + qs.question.text)
        if qs is not None and intent.kind == "clarify":
            return Reply(clarification(qs.question))
        if intent.kind == "thinking":
            return Reply(intent_line("thinking"))
        if qs is not None and intent.kind == "role_question":
            return Reply(f"{rt.role_answer(intent.topic or 'other').text} {qs.question.text}")
        if qs is not None and intent.kind in ("off_topic", "prompt_request", "injection"):
            return Reply(f"{intent_line(intent.kind)} {qs.question.text}")
        if intent.kind == "skip":
            if flow.remaining_questions() and "next_question" in names:
                return Reply(intent_line("skip"), [("next_question", {})])
            return self._leave_stage(names, intent_line("skip"))
        if qs is not None:
            answers = _user_turns_since_question(chat_ctx)
            used = len(answers) - 1
            if sum(word_count(a) for a in answers) < FOLLOW_UP_BELOW_WORDS and used < len(
                qs.question.follow_ups
            ):
                return Reply(f"{ack} {qs.question.follow_ups[used]}")
        if flow.remaining_questions() and "next_question" in names:
            return Reply(ack, [("next_question", {})])
        return self._leave_stage(names, ack)

    def _leave_stage(self, names: set[str], text: str) -> Reply:
        rt = self._runtime
        assert rt is not None
        nxt = rt.flow.next_stage
        if nxt is None or "transition_to_stage" not in names:
            return Reply(text)
        return Reply(
            text, [("transition_to_stage", {"target_stage": nxt.id, "reason": "questions_done"})]
        )

    def _question_line(self, rt: InterviewRuntime) -> str:
        qs = rt.flow.current_question
        assert qs is not None
        q = qs.question
        if q.refer_back_to:
            earlier = rt.flow.earlier_answers(q.refer_back_to)
            if earlier:
                return (
                    prompts.render("refer_back", earlier=second_person(first_clause(earlier[0])))
                    + " "
                    + q.text
                )
        return q.text


def _user_turns_since_question(chat_ctx: llm.ChatContext) -> list[str]:
    turns: list[str] = []
    for item in reversed(chat_ctx.items):
        if item.type == "function_call_output" and item.name == "next_question":
            break
        if item.type == "message" and item.role == "user":
            turns.append(item.text_content or "")
    return list(reversed(turns))
