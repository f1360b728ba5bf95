"""Interviews in Spanish and French on the embedded default: the interviewer's lines,
the stored transcript and the report are in the interview's language."""

from __future__ import annotations

import re

from tests.harness import MemoryStore, agent_lines, make_settings, wait_until
from voicehire.agent.local_run import answer, wait_for_turn
from voicehire.agent.modes.interview import resolve_plan
from voicehire.domain.config import SessionConfig
from voicehire.evaluation.report import render_html
from voicehire.evaluation.service import evaluate

# Words only English lines have: a line the interviewer says in the wrong language.
ENGLISH = re.compile(
    r"\b(?:the|thank|you|your|let's|what|tell|about|could|would|take|time)\b", re.I
)

INTRO_ES = (
    "Soy ingeniera de datos en una empresa de pagos en Madrid, donde construyo canalizaciones "
    "con Python y Airflow, y busco un puesto con más responsabilidad técnica."
)
PROJECT_ES = (
    "Lideré la migración de nuestro almacén de datos a BigQuery: diseñé el plan por fases, "
    "escribí las pruebas de calidad y redujimos el coste mensual un treinta por ciento."
)


async def _reply(run, text: str) -> str:
    before = len(agent_lines(run))
    await answer(run, text)
    await wait_until(lambda: len(agent_lines(run)) > before)
    return agent_lines(run)[-1]


def _config(language: str, **extra) -> SessionConfig:
    return SessionConfig(
        interview_id=f"t-{language}",
        candidate_name="Lucía",
        interview_type="mock",
        max_duration=600,
        language=language,
        extra=extra,
    )


async def test_a_spanish_interview_is_spoken_stored_and_reported_in_spanish(start_interview):
    settings = make_settings()
    config = _config("es-ES", job={"title": "Ingeniera de datos", "location": "Madrid"})
    store = MemoryStore()
    run = await start_interview(
        config=config, plan=resolve_plan(settings, config), settings=settings, store=store
    )
    assert await wait_for_turn(run)
    greeting, intro, question = agent_lines(run)[:3]
    assert greeting.startswith("Hola, Lucía, soy Alex.")
    assert intro == "Empecemos."
    assert question.startswith("Preséntate, por favor.")

    repeated = await _reply(run, "Perdona, ¿puedes repetir la pregunta?")
    assert repeated == "Por supuesto. " + question
    assert await wait_for_turn(run)
    clarified = await _reply(run, "¿Qué quieres decir exactamente?")
    assert clarified.startswith("Te lo planteo de otra manera: me gustaría saber")
    assert await wait_for_turn(run)
    remote = await _reply(run, "¿El puesto es en remoto?")
    assert remote.startswith("El puesto de Ingeniera de datos es con sede en Madrid.")
    assert await wait_for_turn(run)
    assert await _reply(run, "Déjame pensar un momento.") == "Claro, sin prisa."
    assert await wait_for_turn(run)
    await answer(run, INTRO_ES)
    await wait_until(lambda: run.runtime.flow.current_question_id == "mock.experience")
    assert await wait_for_turn(run)
    # Refers back to the introduction, quoting the candidate's own words.
    assert agent_lines(run)[-1].startswith("Antes mencionaste: «Soy ingeniera de datos")
    await answer(run, PROJECT_ES)
    await wait_until(lambda: run.runtime.flow.current_stage.id == "closing")
    assert await wait_for_turn(run)
    await answer(run, "No, ninguna, gracias.")
    await wait_until(run.runtime.ended.is_set)

    lines = agent_lines(run)
    assert lines[-1] == (
        "Gracias por tu tiempo hoy, Lucía. El equipo se pondrá en contacto contigo pronto. "
        "¡Hasta luego!"
    )
    assert [line for line in lines if ENGLISH.search(line)] == []

    full = store.full_doc()
    assert full["metadata"]["language"] == "es"
    assert [s["title"] for s in full["stages"]] == [
        "Saludo",
        "Presentación",
        "Experiencia anterior",
        "Cierre",
    ]
    spoken = [e["message"] for e in full["fullConversation"] if e["isAI"]]
    assert spoken == lines
    asked = [e["message"] for e in full["fullConversation"] if e.get("kind") == "question"]
    assert asked and all(not ENGLISH.search(q) for q in asked)

    result = await evaluate(full, settings=settings)
    assert result.language == "es"
    assert result.outcome_label == "Completada"
    # MiniLM (the offline scorer) reads English only: no verdict is offered as one.
    assert result.summary.needs_human_review
    assert result.summary.recommendation == "needs_review"
    assert any("MiniLM" in r and "español" in r for r in result.summary.review_reasons)
    assert " Requiere revisión humana: la entrevista fue en español" in result.summary.rationale
    html = render_html(result)
    assert '<html lang="es">' in html
    for words in (
        "Informe de entrevista: Lucía",
        "Recomendación",
        "Requiere revisión humana",
        "Puntuación global",
        "Transcripción",
        "Entrevistador:",
        "Preséntate, por favor.",
        "Completada",
    ):
        assert words in html, words
    assert "Recommendation" not in html and "Interviewer:" not in html


async def test_a_french_interview_speaks_french(start_interview):
    settings = make_settings()
    config = _config("fr")
    store = MemoryStore()
    run = await start_interview(
        config=config, plan=resolve_plan(settings, config), settings=settings, store=store
    )
    assert await wait_for_turn(run)
    greeting, intro, question = agent_lines(run)[:3]
    assert greeting.startswith("Bonjour Lucía, je suis Alex.")
    assert intro == "Commençons."
    assert question.startswith("Pouvez-vous vous présenter ?")
    assert await _reply(run, "Pardon, pouvez-vous répéter ?") == "Bien sûr. " + question
    assert await wait_for_turn(run)
    assert (await _reply(run, "Laissez-moi réfléchir une seconde.")) == (
        "Bien sûr, prenez votre temps."
    )
    assert await wait_for_turn(run)
    await answer(run, "On peut passer à la question suivante ?")
    await wait_until(lambda: run.runtime.flow.current_question_id == "mock.experience")
    assert await wait_for_turn(run)
    assert agent_lines(run)[-3:-1] == [
        "Pas de souci, passons à la suite.",
        "Parlons maintenant de votre expérience passée.",
    ]
    await answer(run, "Je voudrais arrêter l'entretien, s'il vous plaît.")
    await wait_until(run.runtime.ended.is_set)
    assert agent_lines(run)[-1] == (
        "Bien sûr, nous allons nous arrêter là. Merci pour votre temps, Lucía. Au revoir !"
    )
    assert [line for line in agent_lines(run) if ENGLISH.search(line)] == []
    assert store.full_doc()["metadata"]["language"] == "fr"
    result = await evaluate(store.full_doc(), settings=settings)
    assert result.outcome_label == "Arrêté à la demande de la personne candidate"
    assert '<html lang="fr">' in render_html(result)
