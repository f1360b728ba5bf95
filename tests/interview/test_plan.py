"""Plans as data: built-ins, user files, validation errors, question selection, timing."""

from __future__ import annotations

import pytest

from voicehire.interview.plan import PlanError, load_plan, plan_for_session


def test_full_plan_has_the_six_stages_in_order():
    plan = load_plan("full")
    assert [s.id for s in plan.stages] == [
        "greeting",
        "self_introduction",
        "experience",
        "technical",
        "behavioral",
        "closing",
    ]
    for q in (q for s in plan.stages for q in s.questions):
        assert q.key_points, f"{q.id} has no rubric key points"


def test_mock_plan_uses_the_seed_timeouts():
    plan = load_plan("mock").resolve(
        role="Software Engineer",
        interview_type="mock",
        timing={"self_intro_timeout": 12, "past_experience_timeout": 34},
    )
    assert plan.stage_ids() == ["greeting", "self_introduction", "past_experience", "closing"]
    budgets = {s.id: s.time_budget for s in plan.stages}
    assert budgets["self_introduction"] == 12 and budgets["past_experience"] == 34


@pytest.mark.parametrize(
    ("role", "itype", "expected"),
    [
        (
            "Software Engineer",
            "technical",
            ["tech.http_api_design", "tech.scaling", "tech.testing"],
        ),
        (
            "Frontend Developer",
            "technical",
            ["tech.testing", "tech.frontend_performance", "tech.general_tools"],
        ),
        ("Data Analyst", "technical", ["tech.data_pipeline", "tech.general_tools"]),
        ("Product Manager", "behavioral", ["tech.prioritisation", "tech.general_tools"]),
        ("Chef", "technical", ["tech.general_tools"]),
    ],
)
def test_questions_are_chosen_by_role_and_type(role, itype, expected):
    plan = load_plan("full").resolve(role=role, interview_type=itype)
    technical = next(s for s in plan.stages if s.id == "technical")
    assert [q.id for q in technical.questions] == expected


def test_plan_for_session():
    assert plan_for_session(None, "mock") == "mock"
    assert plan_for_session(None, "technical") == "full"
    assert plan_for_session("custom.yaml", "mock") == "custom.yaml"


def test_user_plan_file(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "id: mine\ntitle: Mine\nstages:\n"
        "  - {id: hello, title: Hi, kind: greeting, opening: Hi}\n"
        "  - id: q\n    title: Q\n    questions: [{id: q1, text: 'Why us?'}]\n"
        "  - {id: bye, title: Bye, kind: closing}\n"
    )
    plan = load_plan(path)
    assert [s.id for s in plan.stages] == ["hello", "q", "bye"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "id: x\ntitle: X\nstages: [{id: a, title: A}, {id: b, title: B}]",
            "the last stage must have kind: closing",
        ),
        (
            "id: x\ntitle: X\nstages: [{id: a, title: A, kind: closing}]",
            "stages: List should have at least 2 items",
        ),
        (
            "id: x\ntitle: X\nstages: [{id: a, title: A}, {id: a, title: B, kind: closing}]",
            "stage ids must be unique",
        ),
        (
            "id: x\ntitle: X\nstages: [{id: a, title: A, time_budget: -1}, "
            "{id: b, title: B, kind: closing}]",
            "stages.0.time_budget",
        ),
        (
            "id: x\ntitle: X\nstages: [{id: a, title: A, colour: red}, "
            "{id: b, title: B, kind: closing}]",
            "stages.0.colour: Extra inputs are not permitted",
        ),
        ("- just\n- a list", "a plan must be a YAML mapping"),
        ("id: [unclosed", "not valid YAML"),
    ],
)
def test_bad_plan_files_say_what_is_wrong(tmp_path, text, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert fragment in str(err.value)
    assert str(path) in str(err.value)


def test_unknown_plan_name():
    with pytest.raises(PlanError, match="neither a built-in plan"):
        load_plan("nope")
