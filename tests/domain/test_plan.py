"""Plans as data: built-ins, user files, validation errors, question selection, timing."""

from __future__ import annotations

import pytest

from voicehire.domain.plan import PlanError, load_plan, plan_for_session


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
    scales = plan.scales()
    for q in (q for s in plan.stages for q in s.questions):
        assert q.rubric, f"{q.id} has no rubric"
        for r in q.rubric:
            assert r.indicators and r.competency in scales
        assert q.competencies == [r.competency for r in q.rubric]


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
            ["tech.frontend_performance", "bank.frontend.state", "bank.frontend.accessibility"],
        ),
        (
            "Data Analyst",
            "technical",
            ["tech.data_pipeline", "bank.data.airflow_failures", "bank.data.spark_slow"],
        ),
        ("Product Manager", "behavioral", ["tech.prioritisation", "bank.product.metrics"]),
        ("Chef", "technical", ["tech.general_tools"]),  # nothing in the bank fits
    ],
)
def test_technical_questions_are_chosen_by_role(role, itype, expected):
    plan = load_plan("full").resolve(role=role, interview_type=itype)
    technical = next(s for s in plan.stages if s.id == "technical")
    assert [q.id for q in technical.questions][: len(expected)] == expected


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
        (
            "id: x\ntitle: X\nstages: [{id: a, title: A, questions: [{id: q, text: 'Why now', "
            "rubric: [{competency: grit, indicators: [{kind: result, text: it worked}]}]}]}, "
            "{id: b, title: B, kind: closing}]",
            "competency 'grit' has no 1–5 scale",
        ),
        (
            "id: x\ntitle: X\nstages: [{id: a, title: A, questions: [{id: q, text: 'Why now', "
            "rubric: [{competency: ownership, indicators: [{kind: vibes, text: good}]}]}]}, "
            "{id: b, title: B, kind: closing}]",
            "stages.0.questions.0.rubric.0.indicators.0.kind",
        ),
        (
            "id: x\ntitle: X\ncompetencies: {grit: {label: Grit, anchors: {1: a, 2: b, 3: c}}}\n"
            "stages: [{id: a, title: A}, {id: b, title: B, kind: closing}]",
            "anchors need exactly the levels 1, 2, 3, 4 and 5",
        ),
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


def test_user_plan_with_its_own_competency_and_legacy_key_points(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "id: mine\ntitle: Mine\n"
        "competencies:\n  grit:\n    label: Grit\n"
        "    anchors: {1: gives up, 2: b, 3: c, 4: d, 5: keeps going and learns}\n"
        "stages:\n"
        "  - id: q\n    title: Q\n    questions:\n"
        "      - id: q1\n        text: Tell me about a setback.\n        rubric:\n"
        "          - competency: grit\n            indicators:\n"
        "              - {kind: situation, text: a real setback}\n"
        "      - id: q2\n        text: What is an index?\n"
        "        key_points: [a data structure that speeds up lookups]\n"
        "        competencies: [technical_accuracy]\n"
        "  - {id: bye, title: Bye, kind: closing}\n"
    )
    plan = load_plan(path)
    q1, q2 = plan.stages[0].questions
    assert plan.scales()["grit"].anchor(4.6) == "keeps going and learns"
    assert q1.competencies == ["grit"]
    assert [(c, i.kind, i.text) for c, i in q2.indicators()] == [
        ("technical_accuracy", "content", "a data structure that speeds up lookups")
    ]


def test_no_builtin_rubric_copies_a_story():
    """Indicators describe what any good answer shows; no numbers or named systems."""
    for name in ("full", "mock"):
        for s in load_plan(name).stages:
            for q in s.questions:
                for _, ind in q.indicators():
                    if ind.kind != "content":
                        assert not any(ch.isdigit() for ch in ind.text), (q.id, ind.text)
