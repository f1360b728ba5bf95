from datetime import date

import pytest

from voicehire.domain.fields import load_field_specs
from voicehire.domain.gap_filling import (
    FieldUpdate,
    GapFillingError,
    GapFillingResult,
    GapFillingSession,
    Outcome,
    gap_filling_instructions,
)

TODAY = date(2026, 11, 21)
SPECS = load_field_specs()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    def __init__(self, fail_on: set[str] | None = None, is_async: bool = True):
        self.updates: list[FieldUpdate] = []
        self.fail_on = fail_on or set()
        self.is_async = is_async

    def _record(self, update: FieldUpdate) -> None:
        if update.field in self.fail_on:
            raise ConnectionError("candidate API unreachable")
        self.updates.append(update)

    def __call__(self, update: FieldUpdate):
        if not self.is_async:
            return self._record(update)

        async def save() -> None:
            self._record(update)

        return save()


def session(fields, **kw) -> GapFillingSession:
    kw.setdefault("today", TODAY)
    return GapFillingSession(SPECS, fields, **kw)


async def test_fields_are_asked_in_order_and_skipped_once_resolved():
    s = session(["years_of_experience", "willing_to_relocate", "notice_period"])
    q = s.ask_next()
    assert q is not None and q.field == "years_of_experience"
    assert q.text == SPECS["years_of_experience"].ask
    out = await s.record_answer("years_of_experience", "about six years")
    assert out.outcome is Outcome.ACCEPTED
    assert out.value is not None and out.value.value == 6
    assert out.next_field == "willing_to_relocate"
    assert s.next_field().name == "willing_to_relocate"
    await s.record_answer("willing_to_relocate", "yep")
    await s.record_answer("notice_period", "two weeks")
    assert s.next_field() is None
    assert s.is_complete and s.should_end
    result = s.result()
    assert result.filled_values() == {
        "years_of_experience": 6,
        "willing_to_relocate": True,
        "notice_period": 14,
    }
    assert result.declined == [] and result.unresolved == []
    assert result.ended_reason == "completed"


async def test_accepted_values_are_saved_immediately_and_in_order():
    saver = Recorder()
    s = session(["years_of_experience", "willing_to_relocate", "notice_period"], saver=saver)
    await s.record_answer("years_of_experience", "six")
    assert [(u.field, u.status, u.value) for u in saver.updates] == [
        ("years_of_experience", "filled", 6)
    ]
    await s.record_answer("notice_period", "a month")
    await s.record_answer("willing_to_relocate", "no")
    assert [(u.field, u.value) for u in saver.updates] == [
        ("years_of_experience", 6),
        ("notice_period", 30),
        ("willing_to_relocate", False),
    ]
    assert all(u.confirmed for u in saver.updates)


async def test_sync_saver_is_supported():
    saver = Recorder(is_async=False)
    s = session(["years_of_experience"], saver=saver)
    out = await s.record_answer("years_of_experience", "6")
    assert out.saved is True
    assert [u.value for u in saver.updates] == [6]


async def test_invalid_answer_is_reasked_twice_then_unresolved():
    saver = Recorder()
    s = session(["years_of_experience", "notice_period"], saver=saver)
    first = await s.record_answer("years_of_experience", "banana")
    assert first.outcome is Outcome.REASK
    assert first.attempts_left == 2
    assert first.reason and "number" in first.reason
    assert first.say.endswith(SPECS["years_of_experience"].ask)
    assert first.next_field == "years_of_experience"
    q = s.ask_next()
    assert q is not None and q.is_reask and q.field == "years_of_experience"
    second = await s.record_answer("years_of_experience", "-3 years")
    assert second.outcome is Outcome.REASK
    assert second.attempts_left == 1
    third = await s.record_answer("years_of_experience", "a lot")
    assert third.outcome is Outcome.UNRESOLVED
    assert third.next_field == "notice_period"
    assert s.next_field().name == "notice_period"
    assert [(u.field, u.status) for u in saver.updates] == [("years_of_experience", "unresolved")]
    result = s.result()
    assert result.ended_reason == "in_progress"
    assert [(f.field, f.reason) for f in result.unresolved] == [
        ("years_of_experience", third.reason),
        ("notice_period", "not asked"),
    ]
    assert result.unresolved[0].answers == ["banana", "-3 years", "a lot"]


async def test_max_reasks_is_configurable():
    s = session(["years_of_experience"], max_reasks=0)
    out = await s.record_answer("years_of_experience", "banana")
    assert out.outcome is Outcome.UNRESOLVED


async def test_valid_answer_after_a_reask_is_accepted():
    s = session(["notice_period"])
    assert (await s.record_answer("notice_period", "thirty")).outcome is Outcome.REASK
    out = await s.record_answer("notice_period", "thirty days")
    assert out.outcome is Outcome.ACCEPTED
    assert s.result().filled[0].value == 30


async def test_declined_field_is_recorded_and_never_asked_again():
    saver = Recorder()
    s = session(["expected_salary", "notice_period"], saver=saver)
    out = await s.record_answer("expected_salary", "I'd rather not say")
    assert out.outcome is Outcome.DECLINED
    assert out.next_field == "notice_period"
    assert s.next_field().name == "notice_period"
    await s.record_answer("notice_period", "two weeks")
    assert s.next_field() is None
    assert s.ask_next() is None
    result = s.result()
    assert [(d.field, d.raw) for d in result.declined] == [
        ("expected_salary", "I'd rather not say")
    ]
    assert [(u.field, u.status) for u in saver.updates] == [
        ("expected_salary", "declined"),
        ("notice_period", "filled"),
    ]


async def test_declined_then_volunteered_value_is_accepted():
    s = session(["willing_to_relocate"])
    await s.record_answer("willing_to_relocate", "pass")
    out = await s.record_answer("willing_to_relocate", "actually, yes I would")
    assert out.outcome is Outcome.ACCEPTED
    assert s.result().filled_values() == {"willing_to_relocate": True}


async def test_money_is_read_back_saved_unconfirmed_then_confirmed():
    saver = Recorder()
    s = session(["expected_salary", "notice_period"], saver=saver)
    out = await s.record_answer("expected_salary", "a hundred and twenty k")
    assert out.outcome is Outcome.NEEDS_CONFIRMATION
    assert out.say == (
        "Just to confirm: one hundred twenty thousand US dollars per year. Is that right?"
    )
    # saved at once, marked unconfirmed: a dropped call loses nothing
    assert [(u.status, u.confirmed) for u in saver.updates] == [("unconfirmed", False)]
    assert saver.updates[0].value == {"amount": 120000, "currency": "USD", "period": "year"}
    # the read-back is what the agent must do next
    assert s.next_field().name == "expected_salary"
    q = s.ask_next()
    assert q is not None and q.is_confirmation
    done = await s.confirm("expected_salary", "yes, that's right")
    assert done.outcome is Outcome.ACCEPTED
    assert [(u.status, u.confirmed) for u in saver.updates] == [
        ("unconfirmed", False),
        ("filled", True),
    ]
    assert s.next_field().name == "notice_period"
    assert s.result().filled[0].confirmed is True


async def test_rejected_read_back_retracts_and_counts_as_an_attempt():
    saver = Recorder()
    s = session(["earliest_start_date"], saver=saver)
    await s.record_answer("earliest_start_date", "the first of June")
    out = await s.confirm("earliest_start_date", False)
    assert out.outcome is Outcome.REASK
    assert out.attempts_left == 2
    assert [u.status for u in saver.updates] == ["unconfirmed", "retracted"]
    assert saver.updates[1].value is None
    # correction accepted
    again = await s.record_answer("earliest_start_date", "the first of July")
    assert again.outcome is Outcome.NEEDS_CONFIRMATION
    await s.confirm("earliest_start_date", True)
    assert s.result().filled_values() == {"earliest_start_date": "2027-07-01"}


async def test_three_rejected_read_backs_make_the_field_unresolved():
    s = session(["expected_salary"])
    outcomes = []
    for _ in range(3):
        await s.record_answer("expected_salary", "120k")
        outcomes.append((await s.confirm("expected_salary", "no")).outcome)
    assert outcomes == [Outcome.REASK, Outcome.REASK, Outcome.UNRESOLVED]
    assert s.is_complete
    assert s.result().filled == []


async def test_unclear_confirmation_reply_asks_again_without_counting():
    s = session(["expected_salary"])
    await s.record_answer("expected_salary", "120k")
    out = await s.confirm("expected_salary", "hmm, well")
    assert out.outcome is Outcome.NEEDS_CONFIRMATION
    assert s.fields["expected_salary"].failed_attempts == 0
    assert "one hundred twenty thousand" in out.say


async def test_confirm_without_pending_read_back_is_an_error():
    s = session(["years_of_experience"])
    with pytest.raises(GapFillingError, match="not waiting"):
        await s.confirm("years_of_experience", True)


async def test_unconfirmed_value_at_call_end_is_reported_as_unconfirmed():
    s = session(["expected_salary"])
    await s.record_answer("expected_salary", "120k")
    s.end("ended_early")
    result = s.result()
    assert result.filled[0].confirmed is False
    assert result.ended_reason == "ended_early"


async def test_failing_saver_keeps_the_value_and_reports_the_failure(caplog):
    saver = Recorder(fail_on={"notice_period"})
    s = session(["notice_period", "years_of_experience"], saver=saver)
    with caplog.at_level("WARNING"):
        out = await s.record_answer("notice_period", "two weeks")
    assert out.outcome is Outcome.ACCEPTED
    assert out.saved is False
    assert out.save_error == "ConnectionError: candidate API unreachable"
    assert "NOT SAVED" in out.message()
    assert "saving field failed" in caplog.text
    ok = await s.record_answer("years_of_experience", "6")
    assert ok.saved is True and ok.save_error is None
    result = s.result()
    assert result.filled_values() == {"notice_period": 14, "years_of_experience": 6}
    assert [(f.field, f.status) for f in result.save_failures] == [("notice_period", "filled")]
    # retry once the API is back
    saver.fail_on.clear()
    assert await s.retry_failed_saves() == []
    assert s.result().save_failures == []
    assert [(u.field, u.value) for u in saver.updates] == [
        ("years_of_experience", 6),
        ("notice_period", 14),
    ]


async def test_time_budget_ends_asking_and_marks_the_rest_not_asked():
    clock = Clock()
    s = session(
        ["years_of_experience", "notice_period", "willing_to_relocate"],
        time_budget=120,
        clock=clock,
    )
    s.start()
    await s.record_answer("years_of_experience", "6")
    clock.now += 60
    assert s.time_left == 60
    assert s.next_field().name == "notice_period"
    s.mark_asked("notice_period")
    clock.now += 61
    assert s.time_up and s.should_end
    assert s.next_field() is None
    assert s.ask_next() is None
    # a late answer still counts
    late = await s.record_answer("notice_period", "a month")
    assert late.outcome is Outcome.ACCEPTED and late.done
    s.end()
    result = s.result(transcript=[{"role": "agent", "text": "hi"}])
    assert result.ended_reason == "time_up"
    assert result.duration_seconds == 121
    assert result.filled_values() == {"years_of_experience": 6, "notice_period": 30}
    assert [(u.field, u.reason) for u in result.unresolved] == [
        ("willing_to_relocate", "not asked: time ran out")
    ]
    assert result.transcript == [{"role": "agent", "text": "hi"}]
    assert "stop here" in s.closing("Sam")


async def test_end_defaults():
    s = session(["years_of_experience"])
    s.end()
    assert s.ended_reason == "ended_early"
    assert s.next_field() is None
    done = session(["years_of_experience"])
    await done.record_answer("years_of_experience", "6")
    done.end()
    assert done.ended_reason == "completed"
    assert "That's everything" in done.closing("Sam")


async def test_field_names_are_matched_loosely_and_deduplicated():
    s = session(["yearsOfExperience", "years_of_experience", "salary_expectations"])
    assert list(s.fields) == ["years_of_experience", "expected_salary"]
    out = await s.record_answer("Years of experience", "6")
    assert out.field == "years_of_experience"
    out = await s.record_answer("desired_salary", "120k")
    assert out.field == "expected_salary"


async def test_unknown_missing_field_gets_a_free_text_fallback():
    s = session(["portfolio_url", "years_of_experience"])
    assert s.fallback_fields == ["portfolio_url"]
    q = s.ask_next()
    assert q is not None and q.text == "Could you tell me your portfolio url?"
    out = await s.record_answer("portfolio_url", "github dot com slash sam")
    assert out.outcome is Outcome.ACCEPTED
    assert s.result().filled_values()["portfolio_url"] == "github dot com slash sam"


async def test_answer_for_a_field_not_in_this_call_is_rejected():
    s = session(["years_of_experience"])
    with pytest.raises(GapFillingError) as info:
        await s.record_answer("expected_salary", "120k")
    assert "years_of_experience" in str(info.value)


async def test_invalid_correction_of_a_filled_value_keeps_it():
    s = session(["years_of_experience"])
    await s.record_answer("years_of_experience", "6")
    out = await s.record_answer("years_of_experience", "banana")
    assert out.outcome is Outcome.REASK
    assert s.result().filled_values() == {"years_of_experience": 6}
    fixed = await s.record_answer("years_of_experience", "7")
    assert fixed.outcome is Outcome.ACCEPTED
    assert s.result().filled_values() == {"years_of_experience": 7}


async def test_result_round_trips_as_json():
    s = session(["years_of_experience", "expected_salary", "notice_period"])
    await s.record_answer("years_of_experience", "about 6 years")
    await s.record_answer("expected_salary", "skip that")
    s.end()
    doc = s.result().model_dump(mode="json")
    again = GapFillingResult.model_validate(doc)
    assert again == s.result()
    assert doc["filled"][0]["approximate"] is True
    assert doc["declined"][0]["field"] == "expected_salary"
    assert doc["unresolved"][0]["field"] == "notice_period"


def test_greeting_and_instructions():
    s = session(["years_of_experience", "work_authorization"])
    hello = s.greeting("Sam", "Alex")
    assert hello.startswith("Hello Sam! I'm Alex")
    assert "fill in some details on your profile" in hello
    assert "2 quick questions" in hello
    prompt = gap_filling_instructions(s, candidate_name="Sam")
    assert "update_candidate_field" in prompt
    assert "years_of_experience" in prompt and "work_authorization" in prompt
    assert "needs visa sponsorship" in prompt  # choice labels listed
    assert "never ask about" in prompt


def test_constructor_validation():
    with pytest.raises(ValueError):
        session(["years_of_experience"], max_reasks=-1)
    with pytest.raises(ValueError):
        session(["years_of_experience"], time_budget=0)
