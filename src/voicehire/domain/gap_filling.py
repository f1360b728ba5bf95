"""The gap-filling call as a pure state machine.

The agent calls a candidate to complete the profile fields the API lists as
``missing_required``. This object decides which field to ask next, validates each answer
(via :mod:`voicehire.domain.normalizers`), tracks re-asks, declines and read-back
confirmations, enforces the time budget, saves every accepted value at once through a
``saver`` callback, and produces the call's result.

Rules (decided here, in one place):

- **Re-asks**: "asked again, at most twice". An answer that can't be used (Invalid) is
  one failed attempt; after the 1st and 2nd the field is re-asked, the 3rd makes it
  ``unresolved``. So a field is asked at most ``1 + max_reasks`` = 3 times. A read-back
  the candidate rejects ("no, that's wrong") also counts as a failed attempt, so the call
  can't loop on one field.
- **Declines** are final for the call: the field is never offered by ``next_field``
  again. If the candidate volunteers the value later, ``record_answer`` still accepts it.
- **Confirmation**: fields whose spec says ``confirm`` (money and dates by default) are
  read back; the value is saved *before* the read-back with ``status="unconfirmed"`` so a
  dropped call loses nothing, then again as ``"filled"`` when confirmed. A rejected
  read-back saves ``status="retracted"`` (value None) so the record doesn't keep a value
  the candidate said was wrong.
- **Saving**: ``saver(update: FieldUpdate)`` is called for every status change of a field
  (``filled``, ``unconfirmed``, ``retracted``, ``declined``, ``unresolved``), in call
  order, and awaited if it returns an awaitable. If it raises, the value is kept in the
  session, the failure is logged, reported in the outcome (``save_error``) and in the
  result (``save_failures``); ``retry_failed_saves()`` tries again (e.g. at the end).
- **Time**: ``time_budget`` seconds (150 by default, "2-3 minutes") from ``start()``.
  When it runs out ``next_field`` returns None; the agent closes politely. Answers that
  arrive after that are still recorded.
- **Unknown field names** in ``missing_fields`` get a free-text fallback spec (see
  :meth:`FieldRegistry.resolve`); an unknown name in ``record_answer`` raises
  :class:`GapFillingError` naming the fields this call collects.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from voicehire.domain.fields import FieldRegistry, FieldSpec, canonical_name
from voicehire.domain.normalizers import (
    Declined,
    Invalid,
    NormalizedValue,
    normalize,
    parse_yes_no,
)

logger = logging.getLogger(__name__)

DEFAULT_TIME_BUDGET = 150.0  # seconds: "2-3 minutes"
DEFAULT_MAX_REASKS = 2

GREETING = "This is a quick call to fill in some details on your profile."  # seed 002


class GapFillingError(ValueError):
    """A request the session can't serve (e.g. a field this call doesn't collect)."""


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # value stored (and confirmed if it needed confirming)
    NEEDS_CONFIRMATION = "needs_confirmation"  # read the value back, then call confirm()
    REASK = "reask"  # answer unusable; ask again using ``say``
    UNRESOLVED = "unresolved"  # out of attempts; move on
    DECLINED = "declined"  # candidate chose not to answer; never ask again


FieldStatus = Literal["pending", "awaiting_confirmation", "filled", "declined", "unresolved"]
SaveStatus = Literal["filled", "unconfirmed", "retracted", "declined", "unresolved"]


@dataclass(frozen=True)
class FieldUpdate:
    """What the saver receives: one change to one candidate field."""

    field: str
    status: SaveStatus
    value: Any  # JSON-compatible (NormalizedValue.json_value()), None unless filled/unconfirmed
    spoken: str | None = None
    raw: str | None = None
    approximate: bool = False
    confirmed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "status": self.status,
            "value": self.value,
            "spoken": self.spoken,
            "raw": self.raw,
            "approximate": self.approximate,
            "confirmed": self.confirmed,
        }


Saver = Callable[[FieldUpdate], Awaitable[Any] | Any]


@dataclass
class FieldProgress:
    spec: FieldSpec
    status: FieldStatus = "pending"
    asks: int = 0  # times the agent asked (ask_next / mark_asked)
    failed_attempts: int = 0  # unusable answers + rejected read-backs
    answers: list[str] = field(default_factory=list)  # raw answers, in order
    value: NormalizedValue | None = None
    confirmed: bool = False
    reason: str | None = None  # last re-ask reason, or why unresolved
    save_error: str | None = None


@dataclass(frozen=True)
class AnswerOutcome:
    """What happened to one answer, and what the agent should do next."""

    field: str
    outcome: Outcome
    say: str  # a suggested line for the agent (read-back, re-ask, acknowledgement)
    value: NormalizedValue | None = None
    reason: str | None = None
    attempts_left: int = 0
    saved: bool = False
    save_error: str | None = None
    next_field: str | None = None
    done: bool = False  # nothing left to ask (all resolved or time is up)

    def message(self) -> str:
        """A compact summary for an LLM tool result."""
        parts = [f"{self.field}: {self.outcome.value}"]
        if self.value is not None:
            parts.append(f"value {self.value.spoken!r}")
        if self.reason:
            parts.append(f"reason: {self.reason}")
        if self.outcome is Outcome.REASK:
            parts.append(f"attempts left: {self.attempts_left}")
        if self.save_error:
            parts.append(f"NOT SAVED ({self.save_error}); the value is kept and retried")
        parts.append(f"say: {self.say}")
        if self.done:
            parts.append("all fields handled: thank the candidate and end the call")
        elif self.next_field and self.outcome not in (Outcome.NEEDS_CONFIRMATION, Outcome.REASK):
            parts.append(f"next field: {self.next_field}")
        return "; ".join(parts)


@dataclass(frozen=True)
class NextQuestion:
    field: str
    label: str
    text: str
    is_reask: bool
    is_confirmation: bool = False


# --- result --------------------------------------------------------------------------------


class FilledField(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    label: str
    value: Any
    spoken: str
    raw: str
    approximate: bool = False
    confirmed: bool = True
    notes: list[str] = Field(default_factory=list)


class DeclinedField(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    label: str
    raw: str = ""


class UnresolvedField(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    label: str
    reason: str  # "not asked: time ran out", the last re-ask reason, ...
    answers: list[str] = Field(default_factory=list)


class SaveFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    status: str
    error: str


class GapFillingResult(BaseModel):
    """The call's product: JSON round-trips with ``model_dump(mode="json")`` /
    ``model_validate``."""

    model_config = ConfigDict(frozen=True)

    filled: list[FilledField] = Field(default_factory=list)
    declined: list[DeclinedField] = Field(default_factory=list)
    unresolved: list[UnresolvedField] = Field(default_factory=list)
    ended_reason: str = "completed"
    duration_seconds: float = 0.0
    save_failures: list[SaveFailure] = Field(default_factory=list)
    transcript: list[Any] = Field(default_factory=list)

    def filled_values(self) -> dict[str, Any]:
        return {f.field: f.value for f in self.filled}


# --- the session ---------------------------------------------------------------------------


class GapFillingSession:
    def __init__(
        self,
        specs: FieldRegistry | Mapping[str, FieldSpec],
        missing_fields: Iterable[str],
        *,
        max_reasks: int = DEFAULT_MAX_REASKS,
        time_budget: float = DEFAULT_TIME_BUDGET,
        saver: Saver | None = None,
        today: date | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        if max_reasks < 0:
            raise ValueError("max_reasks must be 0 or more")
        if time_budget <= 0:
            raise ValueError("time_budget must be positive seconds")
        registry = specs if isinstance(specs, FieldRegistry) else FieldRegistry(specs.values())
        self.registry = registry
        self.max_reasks = max_reasks
        self.time_budget = float(time_budget)
        self.saver = saver
        self.today = today or date.today()
        self._clock = clock
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self.ended_reason: str | None = None
        self.fields: dict[str, FieldProgress] = {}
        self.fallback_fields: list[str] = []
        self._pending_saves: dict[str, FieldUpdate] = {}  # field -> latest failed update
        self._save_errors: dict[str, str] = {}
        self.updates: list[FieldUpdate] = []  # every update handed to the saver, in order
        for name in missing_fields:
            spec = registry.resolve(name)
            if spec.name in self.fields:
                continue
            if spec.fallback:
                self.fallback_fields.append(spec.name)
            self.fields[spec.name] = FieldProgress(spec)

    # --- time ------------------------------------------------------------------------------
    def start(self) -> None:
        if self.started_at is None:
            self.started_at = self._clock()

    @property
    def elapsed(self) -> float:
        if self.started_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else self._clock()
        return max(0.0, end - self.started_at)

    @property
    def time_left(self) -> float:
        return max(0.0, self.time_budget - self.elapsed)

    @property
    def time_up(self) -> bool:
        return self.started_at is not None and self.elapsed >= self.time_budget

    # --- what to ask -------------------------------------------------------------------------
    def progress(self, name: str) -> FieldProgress:
        key = self._key(name)
        if key is None:
            raise GapFillingError(
                f"field {name!r} is not collected in this call; fields: "
                f"{', '.join(self.fields) or '(none)'}"
            )
        return self.fields[key]

    def _key(self, name: str) -> str | None:
        canon = canonical_name(name)
        if canon in self.fields:
            return canon
        if name in self.registry:
            spec = self.registry[name]
            if spec.name in self.fields:
                return spec.name
        return None

    @property
    def is_complete(self) -> bool:
        """Every field is filled (and confirmed), declined or unresolved."""
        return all(p.status in ("filled", "declined", "unresolved") for p in self.fields.values())

    @property
    def should_end(self) -> bool:
        return self.ended_reason is not None or self.is_complete or self.time_up

    def next_field(self) -> FieldSpec | None:
        """The field to talk about now: a pending read-back first, then the next field not
        yet resolved, in the given order. None when done or out of time."""
        if self.ended_reason is not None or self.time_up:
            return None
        for p in self.fields.values():
            if p.status == "awaiting_confirmation":
                return p.spec
        for p in self.fields.values():
            if p.status == "pending":
                return p.spec
        return None

    def question_for(self, name: str) -> NextQuestion:
        p = self.progress(name)
        spec = p.spec
        if p.status == "awaiting_confirmation" and p.value is not None:
            return NextQuestion(spec.name, spec.label, confirmation_text(p.value), False, True)
        if p.failed_attempts and p.reason:
            return NextQuestion(spec.name, spec.label, reask_text(spec, p.reason), True)
        return NextQuestion(spec.name, spec.label, spec.ask, False)

    def mark_asked(self, name: str) -> None:
        self.start()
        self.progress(name).asks += 1

    def ask_next(self) -> NextQuestion | None:
        """The next question to say, marked as asked; None when the call should close."""
        self.start()
        spec = self.next_field()
        if spec is None:
            return None
        q = self.question_for(spec.name)
        if not q.is_confirmation:
            self.fields[spec.name].asks += 1
        return q

    # --- answers -------------------------------------------------------------------------------
    async def record_answer(self, name: str, text: str) -> AnswerOutcome:
        """Validate and store the candidate's answer for ``name`` (their words, verbatim)."""
        self.start()
        p = self.progress(name)
        spec = p.spec
        p.answers.append(text)
        result = normalize(spec, text, today=self.today)
        log_extra = {"field": spec.name, "result": type(result).__name__}
        if isinstance(result, Declined):
            p.status, p.value, p.confirmed, p.reason = "declined", None, False, "declined"
            logger.info("field declined", extra=log_extra)
            err = await self._save(FieldUpdate(spec.name, "declined", None, raw=text))
            return self._outcome(p, Outcome.DECLINED, "No problem, we can skip that.", err)
        if isinstance(result, Invalid):
            if p.status == "filled" and p.value is not None:
                # an unusable correction of a value we already have: keep the value
                return self._outcome(
                    p,
                    Outcome.REASK,
                    reask_text(spec, result.reason),
                    None,
                    saved=False,
                    reason=result.reason,
                )
            return await self._failed(p, result.reason, text)
        # accepted value
        p.value, p.reason = result, None
        logger.info("field answered", extra={**log_extra, "approximate": result.approximate})
        if result.needs_confirmation:
            p.status, p.confirmed = "awaiting_confirmation", False
            err = await self._save(_update(result, "unconfirmed", confirmed=False))
            return self._outcome(p, Outcome.NEEDS_CONFIRMATION, confirmation_text(result), err)
        p.status, p.confirmed = "filled", True
        err = await self._save(_update(result, "filled", confirmed=True))
        return self._outcome(p, Outcome.ACCEPTED, "Thank you.", err)

    async def confirm(self, name: str, confirmed: bool | str) -> AnswerOutcome:
        """The candidate's reply to a read-back: True/False, or their words ("yes, that's
        right"). A new value ("no, it's 130k") should go to ``record_answer`` instead."""
        self.start()
        p = self.progress(name)
        if p.status != "awaiting_confirmation" or p.value is None:
            raise GapFillingError(f"field {p.spec.name!r} is not waiting for a confirmation")
        answer = parse_yes_no(confirmed) if isinstance(confirmed, str) else bool(confirmed)
        if answer is None:
            return self._outcome(
                p,
                Outcome.NEEDS_CONFIRMATION,
                f"Sorry, was {p.value.spoken} right?",
                None,
                saved=False,
            )
        if answer:
            p.status, p.confirmed = "filled", True
            err = await self._save(_update(p.value, "filled", confirmed=True))
            return self._outcome(p, Outcome.ACCEPTED, "Great, thank you.", err)
        rejected = p.value
        p.value, p.confirmed = None, False
        logger.info("read-back rejected", extra={"field": p.spec.name})
        err = await self._save(FieldUpdate(p.spec.name, "retracted", None, raw=rejected.raw))
        outcome = await self._failed(p, "I must have misheard.", None)
        if err and not outcome.save_error:
            outcome = _with_error(outcome, err)
        return outcome

    async def _failed(self, p: FieldProgress, reason: str, text: str | None) -> AnswerOutcome:
        p.failed_attempts += 1
        p.reason = reason
        p.status = "pending"
        if p.failed_attempts > self.max_reasks:
            p.status = "unresolved"
            logger.info(
                "field unresolved",
                extra={"field": p.spec.name, "attempts": p.failed_attempts, "reason": reason},
            )
            err = await self._save(FieldUpdate(p.spec.name, "unresolved", None, raw=text))
            return self._outcome(
                p,
                Outcome.UNRESOLVED,
                "No problem, let's leave that one for now.",
                err,
                reason=reason,
            )
        return self._outcome(
            p, Outcome.REASK, reask_text(p.spec, reason), None, saved=False, reason=reason
        )

    def _outcome(
        self,
        p: FieldProgress,
        outcome: Outcome,
        say: str,
        save_error: str | None,
        *,
        saved: bool = True,
        reason: str | None = None,
    ) -> AnswerOutcome:
        nxt = self.next_field()
        return AnswerOutcome(
            field=p.spec.name,
            outcome=outcome,
            say=say,
            value=p.value,
            reason=reason,
            attempts_left=max(0, self.max_reasks + 1 - p.failed_attempts)
            if p.status == "pending"
            else 0,
            saved=saved and save_error is None,
            save_error=save_error,
            next_field=nxt.name if nxt else None,
            done=nxt is None,
        )

    # --- saving --------------------------------------------------------------------------------
    async def _save(self, update: FieldUpdate) -> str | None:
        self.updates.append(update)
        if self.saver is None:
            return None
        try:
            ret = self.saver(update)
            if inspect.isawaitable(ret):
                await ret
        except Exception as exc:  # the saver is outside code; report, never swallow
            error = f"{type(exc).__name__}: {exc}"
            self._pending_saves[update.field] = update
            self._save_errors[update.field] = error
            self.fields[update.field].save_error = error
            logger.warning(
                "saving field failed; value kept for retry",
                extra={"field": update.field, "status": update.status, "error": error},
            )
            return error
        self._pending_saves.pop(update.field, None)
        self._save_errors.pop(update.field, None)
        self.fields[update.field].save_error = None
        return None

    @property
    def save_failures(self) -> list[SaveFailure]:
        return [
            SaveFailure(field=f, status=u.status, error=self._save_errors[f])
            for f, u in self._pending_saves.items()
        ]

    async def retry_failed_saves(self) -> list[SaveFailure]:
        """Save again every field whose latest save failed; returns what still fails."""
        for update in list(self._pending_saves.values()):
            await self._save(update)
        return self.save_failures

    # --- end -----------------------------------------------------------------------------------
    def end(self, reason: str | None = None) -> None:
        """Close the call. Default reason: ``completed`` if everything is resolved, else
        ``time_up`` if the budget is spent, else ``ended_early`` (e.g. the candidate hung
        up). Fields never resolved become ``unresolved`` in the result."""
        if self.ended_reason is not None:
            return
        if reason is None:
            reason = (
                "completed" if self.is_complete else "time_up" if self.time_up else "ended_early"
            )
        self.ended_reason = reason
        self.ended_at = self._clock() if self.started_at is not None else None

    def result(self, transcript: Sequence[Any] = ()) -> GapFillingResult:
        """Filled, declined and unresolved fields with values and raw answers."""
        filled: list[FilledField] = []
        declined: list[DeclinedField] = []
        unresolved: list[UnresolvedField] = []
        reason = self.ended_reason or ("completed" if self.is_complete else "in_progress")
        for p in self.fields.values():
            spec = p.spec
            if p.value is not None and p.status in ("filled", "awaiting_confirmation"):
                filled.append(
                    FilledField(
                        field=spec.name,
                        label=spec.label,
                        value=p.value.json_value(),
                        spoken=p.value.spoken,
                        raw=p.value.raw,
                        approximate=p.value.approximate,
                        confirmed=p.status == "filled",
                        notes=list(p.value.notes),
                    )
                )
            elif p.status == "declined":
                declined.append(DeclinedField(field=spec.name, label=spec.label, raw=p.answers[-1]))
            else:
                if p.status == "unresolved":
                    why = p.reason or "no usable answer"
                elif not p.answers and not p.asks:
                    why = "not asked: time ran out" if reason == "time_up" else "not asked"
                else:
                    why = p.reason or "no usable answer before the call ended"
                unresolved.append(
                    UnresolvedField(
                        field=spec.name, label=spec.label, reason=why, answers=list(p.answers)
                    )
                )
        return GapFillingResult(
            filled=filled,
            declined=declined,
            unresolved=unresolved,
            ended_reason=reason,
            duration_seconds=round(self.elapsed, 3),
            save_failures=self.save_failures,
            transcript=list(transcript),
        )

    # --- what the agent says --------------------------------------------------------------------
    def greeting(self, candidate_name: str | None = None, agent_name: str | None = None) -> str:
        return greeting_text(candidate_name, agent_name, len(self.fields))

    def closing(self, candidate_name: str | None = None) -> str:
        name = f", {candidate_name}" if candidate_name else ""
        if self.is_complete or not self.time_up:
            return (
                f"That's everything I needed. Thank you for your time{name}, and have a great day!"
            )
        return (
            f"I don't want to take more of your time{name}, so I'll stop here. "
            "The recruiter may follow up on the rest. Thank you, and have a great day!"
        )


def _update(value: NormalizedValue, status: SaveStatus, *, confirmed: bool) -> FieldUpdate:
    return FieldUpdate(
        field=value.field,
        status=status,
        value=value.json_value(),
        spoken=value.spoken,
        raw=value.raw,
        approximate=value.approximate,
        confirmed=confirmed,
    )


def _with_error(outcome: AnswerOutcome, error: str) -> AnswerOutcome:
    return replace(outcome, save_error=error, saved=False)


def greeting_text(
    candidate_name: str | None = None, agent_name: str | None = None, n_fields: int = 0
) -> str:
    hello = f"Hello {candidate_name}!" if candidate_name else "Hello!"
    me = f" I'm {agent_name}, calling on behalf of the recruiting team." if agent_name else ""
    count = (
        f" I have {n_fields} quick question{'s' if n_fields != 1 else ''}"
        " and it'll only take a couple of minutes."
        if n_fields
        else ""
    )
    return f"{hello}{me} {GREETING}{count}"


def confirmation_text(value: NormalizedValue) -> str:
    return f"Just to confirm: {value.spoken}. Is that right?"


def reask_text(spec: FieldSpec, reason: str) -> str:
    reason = reason.strip()
    if reason.endswith("?"):
        return reason
    return f"{reason} {spec.ask}"


def gap_filling_instructions(
    session: GapFillingSession,
    *,
    candidate_name: str | None = None,
    agent_name: str = "Alex",
    tool_name: str = "update_candidate_field",
    confirm_tool_name: str = "confirm_candidate_field",
) -> str:
    """A system prompt for an LLM running the call with the session's tools."""
    lines = []
    for p in session.fields.values():
        s = p.spec
        extra = f" Examples: {'; '.join(s.examples)}." if s.examples else ""
        if s.type == "choice":
            extra += " Options: " + ", ".join(c.label for c in s.choices) + "."
        lines.append(f'- {s.name} ({s.label}, {s.type}): ask "{s.ask}"{extra}')
    who = candidate_name or "the candidate"
    minutes = max(1, round(session.time_budget / 60))
    return f"""You are {agent_name}, a friendly recruiting assistant on a short phone call
with {who}. Purpose: {GREETING} Keep the whole call to about {minutes} minutes.

Fields to collect, in this order:
{chr(10).join(lines)}

Rules:
1. Greet {who}, say who you are and why you are calling, then ask about one field at a time.
2. After each answer call {tool_name}(field, answer) with the candidate's own words, verbatim.
   Do not convert or guess values yourself; the tool validates and normalises them.
3. Follow the tool result: if it says needs_confirmation, read the value back exactly as
   given and call {confirm_tool_name}(field, confirmed) with the candidate's reply; if it
   says reask, ask again using its wording; if unresolved or declined, move on politely.
4. If the candidate prefers not to answer, accept that without pressure and never ask about
   that field again.
5. Do not ask about anything not listed. Do not discuss the role, salary bands or
   decisions; say the recruiter will follow up.
6. When the tool says all fields are handled, or time is up, thank {who} and end the call.
"""
