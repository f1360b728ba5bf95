"""The briefing from a finished, scored interview: results and the human decision in
plain words, topics answered from the interview's evidence, no internal ids aloud."""

from __future__ import annotations

import re

from voicehire.domain.briefing import BriefingData, answer_question, build_briefing

EVALUATION = {
    "interview_id": "iv_1",
    "interview_type": "technical",
    "plan_id": "full",
    "summary": {
        "overall_score": 7.4,
        "recommendation": "no_hire",
        "strengths": ["intro.about_you: Clear, structured self-introduction"],
        "areas_for_improvement": ["system_design.scaling: Little detail on capacity planning"],
    },
    "answers": [
        {
            "question_id": "tech.infra",
            "stage": "technical",
            "question_text": "How do you deploy your services?",
            "answer_text": "We run everything on Kubernetes; I wrote our Helm charts and "
            "moved forty services off VMs.",
            "evidence": ["I wrote our Helm charts and moved forty services onto Kubernetes"],
            "key_points": [],
        },
        {
            "question_id": "intro.about_you",
            "stage": "intro",
            "question_text": "Tell me about yourself.",
            "answer_text": "Backend engineer, six years, mostly Python.",
            "evidence": [],
        },
    ],
    "override": {"recommendation": "hire", "note": "Strong references", "by": "Dana"},
}


def _data() -> BriefingData:
    return BriefingData.model_validate(
        {
            "candidate": {
                "name": "Priya Shah",
                "skills": ["Python"],
                "extracted_data": {"years_of_experience": 6},
            },
            "interviews": [EVALUATION],
        }
    )


def test_kubernetes_is_answered_from_the_interview_evidence_not_years():
    ans = answer_question(_data(), "Kubernetes experience?")
    assert ans.grounded
    assert "Helm charts" in ans.text and "How do you deploy your services?" in ans.text
    assert "six years" not in ans.text and "Years of experience" not in ans.text


def test_the_human_decision_and_the_results_are_in_plain_words():
    ans = answer_question(_data(), "How did the earlier interview go?")
    assert "score 7.4 out of 10" in ans.text
    assert "the hiring team's decision is hire" in ans.text
    assert "the evaluator said no hire" in ans.text and "Strong references" in ans.text
    spoken = build_briefing(_data()).spoken_text()
    assert "structured self-introduction" in spoken
    assert "They scored 7.4 out of 10 in the technical interview" in spoken
    assert "the hiring team's decision is hire, overriding the evaluator's no hire" in spoken


def test_no_internal_ids_are_read_aloud():
    data = _data()
    texts = [
        build_briefing(data).spoken_text(),
        answer_question(data, "What are their strengths?").text,
        answer_question(data, "Any concerns?").text,
        answer_question(data, "How did the earlier interview go?").text,
    ]
    ids = re.compile(r"\b[a-z]+(?:[._][a-z]+)+\b")
    for text in texts:
        assert not ids.search(text), text
