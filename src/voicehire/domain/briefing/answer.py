"""Answering the interviewer's questions from the data only: the question is matched
to topics (salary, notice, skills, ...) whose facts are read out; a question the data
can't answer gets "I don't have information about ... in the candidate's file"."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from voicehire.domain.briefing.derive import (
    build_briefing,
    builtin_specs,
    collect_facts,
    field_label,
    mentions,
    money_text,
    tidy_number,
)
from voicehire.domain.briefing.model import (
    Briefing,
    BriefingData,
    Fact,
    GroundedAnswer,
    as_sentence,
    capitalized,
)
from voicehire.domain.fields import canonical_name

Resolver = Callable[[BriefingData, dict[str, Fact], Briefing], list[tuple[str, str]]]


def _status_lines(data: BriefingData, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """What the data says about fields with no value: declined, unresolved, missing."""
    out: list[tuple[str, str]] = []
    gap = data.gap_filling
    done: set[str] = set()
    if gap is not None:
        for d in gap.declined:
            if d.field in keys:
                out.append(
                    (
                        f"They declined to give their {d.label} on the gap-filling call.",
                        f"gap_filling.declined.{d.field}",
                    )
                )
                done.add(d.field)
        for u in gap.unresolved:
            if u.field in keys:
                out.append(
                    (
                        f"Their {u.label} is still unknown after the gap-filling call.",
                        f"gap_filling.unresolved.{u.field}",
                    )
                )
                done.add(u.field)
    for name in data.candidate.missing_required:
        key = canonical_name(name)
        spec = builtin_specs().get(key)
        key = spec.name if spec else key
        if key in keys and key not in done:
            out.append(
                (
                    f"Their {field_label(key)} is missing from the profile.",
                    "candidate.missing_required",
                )
            )
            done.add(key)
    return out


def _fact_lines(*keys: str) -> Resolver:
    def resolve(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
        out = [
            (f"{capitalized(facts[k].label)}: {facts[k].text}.", facts[k].source)
            for k in keys
            if k in facts
        ]
        return out + _status_lines(data, tuple(k for k in keys if k not in facts))

    return resolve


def _salary(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
    out = _fact_lines("expected_salary", "current_salary", "hourly_rate")(data, facts, b)
    if out and data.job is not None and data.job.salary_range is not None:
        band = data.job.salary_range
        text = money_text(band) if isinstance(band, dict) else str(band)
        out.append((f"The role's salary range is {text}.", "job.salary_range"))
    return out


def _skills(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
    out = _fact_lines("skills", "languages")(data, facts, b)
    job = data.job
    if job and job.must_haves and (data.candidate.skills or data.resume_summary):
        evidence = " | ".join([*data.candidate.skills, data.resume_summary or ""])
        have = [m for m in job.must_haves if mentions(evidence, m)]
        lacking = [m for m in job.must_haves if m not in have]
        if have:
            out.append((f"Must-haves with evidence: {', '.join(have)}.", "job.must_haves"))
        if lacking:
            out.append((f"Must-haves without evidence: {', '.join(lacking)}.", "job.must_haves"))
    return out


def _interviews(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
    out = []
    for i, r in enumerate(data.interviews):
        bits = []
        kind = f"{r.interview_type} interview" if r.interview_type else "Earlier interview"
        if r.date:
            kind += f" on {r.date}"
        if r.score is not None:
            bits.append(f"score {tidy_number(r.score)} out of {tidy_number(r.max_score)}")
        if r.recommendation and r.decided_by:
            decision = f"the hiring team's decision is {r.recommendation}"
            if r.machine_recommendation:
                decision += f" (the evaluator said {r.machine_recommendation})"
            if r.decision_note:
                decision += f", because: {r.decision_note.rstrip('.')}"
            bits.append(decision)
        elif r.recommendation:
            bits.append(f"recommendation {r.recommendation}")
        if r.strengths:
            bits.append(f"strengths: {', '.join(r.strengths)}")
        if r.concerns:
            bits.append(f"concerns: {', '.join(r.concerns)}")
        if r.summary:
            bits.append(r.summary.rstrip("."))
        if bits:
            out.append((f"{capitalized(kind)}: {'; '.join(bits)}.", f"interviews[{i}]"))
    return out


def _list_of(attr: str, title: str) -> Resolver:
    def resolve(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
        items = getattr(b, attr)
        return [(f"{title}: {'; '.join(items)}.", f"briefing.{attr}")] if items else []

    return resolve


def _notes(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
    if not data.recruiter_notes:
        return []
    return [
        (
            f"Recruiter notes: {' '.join(as_sentence(n) for n in data.recruiter_notes)}",
            "recruiter_notes",
        )
    ]


def _resume(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
    if not data.resume_summary:
        return []
    return [(f"Resume summary: {as_sentence(data.resume_summary)}", "resume_summary")]


def _job(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
    j = data.job
    if j is None:
        return []
    bits = []
    if j.title:
        bits.append(f"The role is {j.title}" + (f" in {j.department}" if j.department else ""))
    if j.location:
        bits.append(f"located in {j.location}")
    if j.must_haves:
        bits.append(f"must-haves: {', '.join(j.must_haves)}")
    if j.nice_to_haves:
        bits.append(f"nice to have: {', '.join(j.nice_to_haves)}")
    return [(as_sentence("; ".join(bits)), "job")] if bits else []


def _who(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
    return [(as_sentence(b.who), "candidate")] if facts else []


def _open(data: BriefingData, facts: dict[str, Fact], b: Briefing) -> list[tuple[str, str]]:
    out = _list_of("open_questions", "Open questions")(data, facts, b)
    out += [("Suggested openers: " + " ".join(b.opening_questions), "briefing.opening_questions")]
    return out


@dataclass(frozen=True)
class _Topic:
    name: str  # used in "I don't have information about {name}"
    pattern: re.Pattern[str]
    resolve: Resolver
    generic: bool = False  # only used when no specific topic matches


def _t(name: str, pattern: str, resolve: Resolver, generic: bool = False) -> _Topic:
    return _Topic(name, re.compile(pattern, re.IGNORECASE), resolve, generic)


TOPICS: list[_Topic] = [
    _t(
        "their salary",
        r"salar|compensation|\bpay\b|\bpaid\b|money|\bcomp\b|\bearn|"
        r"\brate\b|\bbase\b|\bOTE\b",
        _salary,
    ),
    _t(
        "their notice period or start date",
        r"notice|\bstart(ing)? date|\bstart\b(?! with)|availab|when can|\bjoin",
        _fact_lines("notice_period", "earliest_start_date"),
    ),
    _t("their experience", r"experience|how many years|senior", _fact_lines("years_of_experience")),
    _t(
        "their skills",
        r"skill|tech|stack|knowledge|language|tool|familiar|proficien|"
        r"must.?have|python|java|sql",
        _skills,
    ),
    _t(
        "their location",
        r"\bwhere\b|locat|based|\blive|city|country|relocat|remote|hybrid|"
        r"office|on.?site|travel",
        _fact_lines(
            "current_location", "willing_to_relocate", "remote_preference", "willing_to_travel"
        ),
    ),
    _t(
        "their work authorization",
        r"visa|sponsor|authori[sz]|citizen|permit|right to work|"
        r"green card|immigration",
        _fact_lines("work_authorization", "requires_sponsorship"),
    ),
    _t(
        "their quota attainment",
        r"quota|attainment|target|sales number|\bquota",
        _fact_lines("quota_attainment"),
    ),
    _t(
        "their education",
        r"educat|degree|universit|college|graduat|school|stud(y|ied)",
        _fact_lines("highest_education", "graduation_date"),
    ),
    _t(
        "their current job",
        r"current (role|job|title|employer|company|position)|"
        r"work(s|ing)? (at|for)|employer|compan|\btitle\b",
        _fact_lines("current_title", "current_company"),
    ),
    _t(
        "their management experience",
        r"manag|team size|direct reports|\blead",
        _fact_lines("team_size_managed"),
    ),
    _t(
        "their employment preferences",
        r"full.?time|part.?time|contract|employment type",
        _fact_lines("employment_type"),
    ),
    _t(
        "their strengths",
        r"strength|strong|good at|stand out|positive|\bbest\b|impress",
        _list_of("strengths", "Strengths"),
    ),
    _t(
        "concerns",
        r"concern|weak|risk|red flag|worr|issue|problem|downside|negative",
        _list_of("concerns", "Concerns"),
    ),
    _t(
        "earlier interviews",
        r"interview|score|rating|rated|feedback|recommend|previous|"
        r"earlier|last time|assess|evaluat",
        _interviews,
    ),
    _t("recruiter notes", r"\bnotes?\b|recruiter", _notes),
    _t("their resume", r"resume|résumé|\bcv\b|background|career|history|summary", _resume),
    _t(
        "open questions",
        r"open question|unknown|missing|still need|what (should|do) i ask|"
        r"what to ask|opening question|open with|start with",
        _open,
    ),
    _t("the job", r"\bjob\b|\brole\b|position|requirement|hiring for|vacancy", _job, True),
    _t(
        "the candidate",
        r"\bwho\b|\bname\b|overview|tell me about (the|this|him|her|them)|"
        r"summar",
        _who,
        True,
    ),
]

_LEADS = re.compile(
    r"^(so|ok(ay)?|and|also|hey|quick question)[, ]+|"
    r"^(can|could|would) you (tell me|say)( about)?\s+|^(do|does|did) you (know|have)( about)?\s+|"
    r"^tell me about\s+|^(what|which|how|when|where|who|why)('?s| is| are| was| were| do| does|"
    r" did| much| many)?\s+|^(is|are|was|were|do|does|did|has|have)\s+",
    re.IGNORECASE,
)


def _subject(question: str) -> str:
    """'What are their hobbies?' -> 'their hobbies'."""
    s = question.strip().rstrip("?.! ")
    for _ in range(4):
        new = _LEADS.sub("", s).strip()
        if new == s:
            break
        s = new
    s = re.sub(r"\b(the candidate'?s|candidate'?s|his|her)\b", "their", s, flags=re.IGNORECASE)
    s = re.sub(r"\s+", " ", s).strip()
    if re.match(r"(their|the|any|an?)\b", s, re.IGNORECASE) and len(s.split()) <= 6:
        return s
    return "that"


def _not_in_file(subject: str) -> str:
    return f"I don't have information about {subject} in the candidate's file."


_NOT_TERMS = {
    "i",
    "does",
    "do",
    "did",
    "is",
    "was",
    "has",
    "have",
    "what",
    "how",
    "when",
    "why",
    "who",
    "which",
    "can",
    "could",
    "would",
    "should",
    "tell",
    "any",
}


# Words that open a request rather than name a thing.
_LEAD_WORDS = {
    "give",
    "please",
    "summarise",
    "summarize",
    "list",
    "describe",
    "explain",
    "anything",
    "are",
    "were",
    "will",
    "where",
    "and",
    "so",
    "ok",
    "okay",
    "also",
    "hey",
    "quick",
    "their",
    "the",
    "she",
    "he",
    "they",
}


def _named_terms(question: str) -> list[str]:
    """Proper nouns and technical names in a question ("Kubernetes", "C++", "AWS"), which
    a topic keyword such as "experience" must not answer for."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]|[A-Za-z]", question)
    terms = []
    for i, word in enumerate(words):
        if word.lower() in _NOT_TERMS:
            continue
        technical = any(ch.isdigit() or ch in "+#" for ch in word)
        capitalised = word[0].isupper() and (i > 0 or (word.isupper() and len(word) > 1))
        if technical or capitalised:
            terms.append(word)
    return terms


def _topic_word(term: str) -> bool:
    """A capitalised word that names a topic the file has ("Salary?", "Notice period?")."""
    return any(t.pattern.search(term) for t in TOPICS)


def _sentences(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"(?<=[.!?])\s+|\n+", text) if p.strip()]


def _term_lines(data: BriefingData, terms: list[str]) -> list[tuple[str, str]]:
    """What the file says about named things ("Kubernetes"): skills that name them, the
    candidate's interview answers that mention them, resume and job lines."""
    terms = [t for t in terms if not _topic_word(t)]
    if not terms:
        return []

    def hit(text: str) -> bool:
        return any(mentions(text, t) for t in terms)

    out: list[tuple[str, str]] = []
    skills = [s for s in data.candidate.skills if hit(s)]
    if skills:
        out.append((f"Listed skills: {', '.join(skills)}.", "candidate.skills"))
    for i, r in enumerate(data.interviews):
        quotes = [e for e in r.evidence if hit(e.quote)][:2]
        for e in quotes:
            where = f'Asked "{e.question.rstrip("?.")}?"' if e.question else "In the interview"
            out.append(
                (f'{where}, they said: "{_clip_words(e.quote, 45)}"', f"interviews[{i}].evidence")
            )
        for s in [*r.strengths, *r.concerns]:
            if hit(s):
                out.append((as_sentence(s), f"interviews[{i}]"))
    if data.resume_summary:
        for sentence in _sentences(data.resume_summary):
            if hit(sentence):
                out.append((f"Resume: {as_sentence(sentence)}", "resume_summary"))
    if data.job is not None:
        must = [m for m in data.job.must_haves if hit(m)]
        if must:
            out.append((f"The role lists {', '.join(must)} as a must-have.", "job.must_haves"))
    return out


def _clip_words(text: str, n: int) -> str:
    words = text.split()
    return text.strip() if len(words) <= n else " ".join(words[:n]) + "..."


def _data_text(data: BriefingData, facts: dict[str, Fact]) -> str:
    parts = [f.text for f in facts.values()]
    parts.append(data.model_dump_json())
    return " ".join(parts).lower()


def answer_question(data: BriefingData, question: str) -> GroundedAnswer:
    """Answer from the data only; say plainly when the data doesn't contain the answer."""
    q = question.strip()
    if not q:
        return GroundedAnswer("Sorry, I didn't catch the question.", False, [])
    facts = collect_facts(data)
    briefing = build_briefing(data)
    haystack = _data_text(data, facts)
    unknown = [t for t in _named_terms(q) if t.lower() not in haystack and not _topic_word(t)]
    if unknown:
        # "Does she have Kubernetes experience?" is about Kubernetes, which the file
        # never mentions; years of general experience would not answer it.
        return GroundedAnswer(_not_in_file(" or ".join(unknown)), False, [])
    named = _named_terms(q)
    first = re.match(r"\s*([A-Z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#])", q)
    if first and first.group(1).lower() not in _NOT_TERMS | _LEAD_WORDS:
        named = [first.group(1), *named]  # "Kubernetes experience?"
    about_terms = _term_lines(data, named) if named else []
    if about_terms:
        # "Kubernetes experience?" is answered by what the candidate said about
        # Kubernetes (and the skills that name it), not by their years of experience.
        return GroundedAnswer(
            " ".join(text for text, _ in about_terms), True, sorted({s for _, s in about_terms})
        )
    matched = [t for t in TOPICS if t.pattern.search(q)]
    specific = [t for t in matched if not t.generic]
    topics = specific or matched
    lines: list[tuple[str, str]] = []
    missing: list[str] = []
    for topic in topics:
        found = topic.resolve(data, facts, briefing)
        if found:
            lines.extend(found)
        else:
            missing.append(topic.name)
    # custom fields nobody built a topic for: match their labels
    covered = {src for _, src in lines}
    for fact in facts.values():
        words = [w for w in re.findall(r"[a-z]+", fact.label.lower()) if len(w) > 2]
        if (
            words
            and all(re.search(rf"\b{w}", q.lower()) for w in words)
            and fact.source not in covered
        ):
            lines.append((f"{capitalized(fact.label)}: {fact.text}.", fact.source))
            covered.add(fact.source)
    if not lines:
        subject = missing[0] if missing else _subject(q)
        return GroundedAnswer(_not_in_file(subject), False, [])
    seen: set[str] = set()
    texts: list[str] = []
    sources: list[str] = []
    for text, src in lines:
        if text not in seen:
            seen.add(text)
            texts.append(text)
        if src not in sources:
            sources.append(src)
    if missing and specific:
        texts.append(f"I don't have information about {' or '.join(missing)} in the file.")
    return GroundedAnswer(" ".join(texts), True, sources)
