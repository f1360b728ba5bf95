"""Briefing the human interviewer: a short spoken summary of the candidate, then answers
to the interviewer's questions grounded only in the candidate's data.

Everything here is deterministic and read-only:

- :class:`BriefingData` holds what is known (profile, resume summary, recruiter notes,
  job, earlier interview results, gap-filling results); every part is optional and the
  model is frozen. Nothing here writes to the candidate record or mutates the input.
- :func:`build_briefing` derives who / strengths / concerns / open questions / 2-3
  opening questions from the data alone (rules below).
- :func:`answer_question` answers by matching the question to topics (salary, notice,
  experience, skills, location, ...) and reading the matching facts; when the data has
  nothing on the topic it says so ("I don't have information about their hobbies in the
  candidate's file.") and returns ``grounded=False``. It never invents.
- :func:`briefing_instructions` is the system prompt for a real LLM: the data in a
  delimited block marked as data (not instructions), and grounding-only rules.

Derivation rules of the briefing:

- strengths: must-haves found in the skills or resume; earlier interview strengths; an
  earlier overall score of at least 75% of the scale; quota attainment of 100% or more;
  recruiter note lines that start with "+" or "strength:".
- concerns: must-haves not found in the skills or resume (only when there are skills or
  a resume to look in); earlier interview concerns; an earlier score below 50% or a
  "no hire" recommendation; expected salary above the job's range; a notice period over
  60 days; visa sponsorship needed when the job says it doesn't sponsor; recruiter note
  lines that start with "-" or "concern:".
- open questions: missing required fields not filled since, fields declined or left
  unresolved in the gap-filling call, values read back but not confirmed, must-haves
  that can't be checked, sponsorship when the job doesn't say.

The package: ``model`` (the data and the results), ``derive`` (facts and the briefing),
``answer`` (grounded answers), ``prompt`` (the LLM system prompt). Import from here.
"""

from voicehire.domain.briefing.answer import TOPICS, answer_question
from voicehire.domain.briefing.derive import build_briefing, collect_facts
from voicehire.domain.briefing.model import (
    LONG_NOTICE_DAYS,
    MAX_SPOKEN_WORDS,
    Briefing,
    BriefingData,
    CandidateProfile,
    Fact,
    GroundedAnswer,
    InterviewResult,
    JobInfo,
)
from voicehire.domain.briefing.prompt import briefing_instructions

__all__ = [
    "LONG_NOTICE_DAYS",
    "MAX_SPOKEN_WORDS",
    "TOPICS",
    "Briefing",
    "BriefingData",
    "CandidateProfile",
    "Fact",
    "GroundedAnswer",
    "InterviewResult",
    "JobInfo",
    "answer_question",
    "briefing_instructions",
    "build_briefing",
    "collect_facts",
]
