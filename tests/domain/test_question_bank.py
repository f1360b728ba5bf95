"""The question bank: every area, rubrics on every question, questions chosen by the job."""

from __future__ import annotations

import pytest

from voicehire.domain.plan import Question, builtin_competency_scales
from voicehire.domain.question_bank import JobProfile, level_of, load_bank, questions_for_job

AREAS = {
    "backend", "frontend", "mobile", "data", "ml", "devops", "security", "qa",
    "product", "design", "sales", "support",
}  # fmt: skip


def test_every_area_has_at_least_three_questions_with_rubrics():
    bank = {a.area: a for a in load_bank()}
    assert set(bank) >= AREAS
    scales = builtin_competency_scales()
    ids = [q.id for a in bank.values() for q in a.questions]
    assert len(ids) == len(set(ids))
    for area in bank.values():
        assert len(area.questions) >= 3, area.area
        for q in area.questions:
            assert q.rubric and all(r.competency in scales for r in q.rubric), q.id
            assert q.skills and q.levels, q.id


def test_a_data_engineer_is_asked_about_their_required_skills():
    job = JobProfile(title="Data Engineer", required_skills=["Python", "SQL", "Airflow", "Spark"])
    chosen = questions_for_job(job, limit=3)
    text = " ".join(q.text + " " + " ".join(q.key_points) for q in chosen).lower()
    for skill in ("sql", "airflow", "spark"):
        assert skill in text, skill
    assert "tech.testing" not in [q.id for q in chosen]
    assert all(q.source == "bank" for q in chosen)


@pytest.mark.parametrize(
    ("title", "skills", "area_prefix"),
    [
        ("Senior Site Reliability Engineer", ["Kubernetes"], "bank.devops"),
        ("Customer Success Manager", [], "bank.support"),
        ("Android Developer", ["Kotlin"], "bank.mobile"),
        ("Application Security Engineer", [], "bank.security"),
        ("Machine Learning Engineer", [], "bank.ml"),
        ("UX Designer", [], "bank.design"),
        ("Account Executive", [], "bank.sales"),
        ("QA Engineer", [], "bank.qa"),
    ],
)
def test_the_title_chooses_the_area(title, skills, area_prefix):
    first = questions_for_job(JobProfile(title=title, required_skills=skills), limit=3)[0]
    assert first.id.startswith(area_prefix)


def test_the_description_and_level_count_too():
    job = JobProfile(
        title="Engineer",
        level="junior",
        description="You will keep our Spark jobs fast and our SQL models clean.",
    )
    ids = [q.id for q in questions_for_job(job, limit=5)]
    assert "bank.data.spark_slow" in ids or "bank.data.sql_dedupe" in ids
    assert ids.index("bank.data.sql_dedupe") < ids.index("bank.data.spark_slow")  # junior fit
    assert level_of("Staff Data Engineer") == "senior" and level_of("Graduate analyst") == "junior"


def test_custom_and_generated_questions_come_first():
    custom = Question.model_validate(
        {
            "id": "custom.kafka",
            "text": "How do you handle a poison message in Kafka?",
            "rubric": [
                {
                    "competency": "technical_accuracy",
                    "indicators": [{"kind": "content", "text": "dead letter queue"}],
                }
            ],
        }
    )
    job = JobProfile(title="Data Engineer", custom_questions=[custom])
    chosen = questions_for_job(job, limit=3)
    assert chosen[0].id == "custom.kafka" and chosen[0].source == "custom"
    assert len(chosen) == 3


def test_skills_given_as_text_are_split():
    assert JobProfile(required_skills="Python, SQL; Airflow").required_skills == [
        "Python", "SQL", "Airflow",
    ]  # fmt: skip
