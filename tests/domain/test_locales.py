"""Every interview language has every fixed line, with the same placeholders, and the
built-in plans' text; the candidate's intents are recognised in each language."""

from __future__ import annotations

import string
from typing import Any

import pytest

from voicehire.domain import prompts
from voicehire.domain.intents import answer_role_question, clarification, classify
from voicehire.domain.plan import BUILTIN_PLANS, builtin_plan_path, load_plan, locale_overlay
from voicehire.evaluation.words import report_words

OTHERS = [lang for lang in prompts.LANGUAGES if lang != "en"]


def _shape(value: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of a template document: its path and its placeholders."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out |= _shape(v, f"{path}.{k}")
        return out
    if isinstance(value, list):
        return {path: len(value)}  # a list of lines: the same number of variants
    names = {n for _, n, _, _ in string.Formatter().parse(str(value)) if n}
    return {path: names}


@pytest.mark.parametrize("lang", OTHERS)
def test_every_prompt_exists_in_every_language_with_the_same_placeholders(lang):
    english = prompts._read("prompts.yaml")
    other = prompts._read(f"prompts.{lang}.yaml")
    assert set(other) == set(english)
    assert _shape(other) == _shape(english)


@pytest.mark.parametrize("lang", OTHERS)
def test_every_report_word_exists_in_every_language(lang):
    english, other = report_words("en"), report_words(lang)
    assert _shape(other) == _shape(english)
    assert other["html_lang"] == lang


def test_language_tags_fall_back_to_a_supported_locale():
    assert prompts.locale("es-MX") == "es"
    assert prompts.locale("fr_CA") == "fr"
    assert prompts.locale("de") == "en"
    assert prompts.render("goodbye", lang="de", candidate_name="Jo").startswith("Thank you")


@pytest.mark.parametrize("lang", OTHERS)
@pytest.mark.parametrize("name", BUILTIN_PLANS)
def test_the_built_in_plans_are_translated_stage_by_stage_and_question_by_question(lang, name):
    english, other = load_plan(name), load_plan(name, lang)
    overlay = locale_overlay(lang)
    assert set(overlay["plans"][name]["stages"]) == {s.id for s in english.stages}
    assert other.title != english.title
    for s_en, s_other in zip(english.stages, other.stages, strict=True):
        assert (s_other.id, s_other.kind, s_other.time_budget) == (
            s_en.id,
            s_en.kind,
            s_en.time_budget,
        )
        assert s_other.title != s_en.title
        assert bool(s_other.opening) == bool(s_en.opening)
        assert s_other.opening != s_en.opening or not s_en.opening
        for q_en, q_other in zip(s_en.questions, s_other.questions, strict=True):
            assert q_other.id == q_en.id and q_other.rubric == q_en.rubric
            assert q_other.text != q_en.text
            assert len(q_other.follow_ups) == len(q_en.follow_ups)
            assert not set(q_other.follow_ups) & set(q_en.follow_ups)


def test_a_plan_file_is_used_as_written_whatever_the_language():
    path = builtin_plan_path("mock")
    assert load_plan(path, "es").stages[0].title == "Greeting"


def test_the_bank_is_left_out_of_a_non_english_interview():
    job = {"title": "Backend Engineer", "required_skills": ["Python", "SQL"]}
    from voicehire.domain.question_bank import JobProfile

    profile = JobProfile.model_validate(job)
    en = load_plan("full").resolve(role="Backend Engineer", interview_type="technical", job=profile)
    es = load_plan("full", "es").resolve(
        role="Backend Engineer", interview_type="technical", job=profile, language="es"
    )
    assert any(q.source == "bank" for q in en.plan.stage("technical").questions)
    assert [q.id for q in es.plan.stage("technical").questions] == ["tech.general_tools"]


PHRASINGS: dict[str, dict[str, list[str]]] = {
    "es": {
        "repeat": [
            "¿Puedes repetir la pregunta?",
            "Perdona, no te he oído bien.",
            "¿Me la repites, por favor?",
            "¿Cuál era la pregunta?",
            "¿Cómo?",
        ],
        "clarify": [
            "¿Qué quieres decir?",
            "No entiendo bien la pregunta.",
            "¿Podrías explicarlo de otra manera?",
            "¿A qué te refieres exactamente?",
        ],
        "skip": [
            "¿Podemos pasar a la siguiente?",
            "Prefiero no responder a esa.",
            "No se me ocurre ningún ejemplo.",
            "Paso de esta pregunta.",
            "Ni idea, la verdad.",
        ],
        "stop": [
            "Quiero terminar la entrevista.",
            "Me gustaría dejarlo aquí, por favor.",
            "Paremos aquí.",
            "No quiero seguir.",
        ],
        "thinking": [
            "Déjame pensar un momento.",
            "Un segundo, por favor.",
            "Mmm, buena pregunta.",
            "Estoy pensando...",
        ],
        "role_question": [
            "¿El puesto es en remoto?",
            "¿Cuál es el salario?",
            "¿Cuáles son los siguientes pasos del proceso?",
            "¿Con qué equipo trabajaría?",
        ],
    },
    "fr": {
        "repeat": [
            "Pouvez-vous répéter la question ?",
            "Pardon ?",
            "Je n'ai pas bien entendu.",
            "Vous pouvez redire ça ?",
            "Quelle était la question ?",
        ],
        "clarify": [
            "Qu'est-ce que vous voulez dire ?",
            "Je ne comprends pas bien la question.",
            "Pourriez-vous reformuler ?",
            "C'est-à-dire ?",
        ],
        "skip": [
            "On peut passer à la question suivante ?",
            "Je préfère ne pas répondre.",
            "Je n'ai pas d'exemple en tête.",
            "Je passe.",
            "Aucune idée.",
        ],
        "stop": [
            "Je voudrais arrêter l'entretien.",
            "On peut en rester là ?",
            "Je ne souhaite plus continuer.",
            "Arrêtons-nous là, s'il vous plaît.",
        ],
        "thinking": [
            "Laissez-moi réfléchir.",
            "Une seconde, s'il vous plaît.",
            "Euh... bonne question.",
            "Je réfléchis.",
        ],
        "role_question": [
            "Le poste est-il en télétravail ?",
            "Quel est le salaire ?",
            "Quelles sont les prochaines étapes ?",
            "Avec quelle équipe est-ce que je travaillerais ?",
        ],
    },
}


@pytest.mark.parametrize(
    ("lang", "kind", "text"),
    [
        (lang, kind, t)
        for lang, kinds in PHRASINGS.items()
        for kind, ts in kinds.items()
        for t in ts
    ],
)
def test_intents_are_recognised_in_each_language(lang, kind, text):
    assert classify(text, lang).kind == kind


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "es",
            "Repetí el análisis con datos nuevos y el modelo mejoró un veinte por ciento "
            "frente a la versión anterior que teníamos en producción.",
        ),
        ("es", "En mi equipo actual somos cinco personas y yo lidero la parte de datos."),
        (
            "fr",
            "J'ai dû répéter les tests de charge trois fois avant de trouver la fuite "
            "mémoire dans le service de paiement.",
        ),
        ("fr", "Dans mon équipe, je m'occupe de la migration vers Kubernetes depuis un an."),
    ],
)
def test_answers_with_intent_words_are_still_answers(lang, text):
    assert classify(text, lang).kind == "answer"


def test_role_answers_and_clarifications_are_in_the_language():
    job = {
        "title": "Ingeniera de datos",
        "location": "Madrid",
        "salary_range": {"min": 40000, "max": 50000, "currency": "EUR", "period": "year"},
    }
    pay = answer_role_question("salary", job, "es")
    assert pay.text == (
        "La banda salarial para Ingeniera de datos es de 40,000 a 50,000 EUR al año. "
        "Sigamos con la entrevista."
    )
    assert answer_role_question("team", job, "fr").text.startswith("C'est une bonne question")
    question = load_plan("mock", "fr").stages[2].questions[0]
    assert clarification(question, language="fr") == (
        "Je vais formuler autrement : j'aimerais savoir un moment précis que vous avez vécu, "
        "ce que vous avez fait vous-même, pourquoi vous vous y êtes pris de cette façon et "
        "comment cela s'est terminé."
    )
