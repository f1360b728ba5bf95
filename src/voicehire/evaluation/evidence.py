"""How the offline scorer recognises rubric indicators that are about *how* an answer is
told rather than *what* it says.

A concrete situation, the candidate's own part, reasoning, a result, a lesson: these
look alike in every field ("last spring our nightly jobs...", "I profiled...",
"because...", "dropped from four hours to fifty minutes", "since then I..."), so they
are recognised by the way people say them, sentence by sentence, and every match
carries the sentence as its evidence. Subject-matter (``content``) indicators are
matched by meaning instead (see :mod:`voicehire.evaluation.offline`).

Each detector returns a strength 0–1 and the sentence that shows it best; 1 is a clear,
specific instance (a measured result, an "I" action), about 0.5 a weak one (an outcome
without a number, only "we").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]?")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|half|dozen|a\s+few|several)"
)
_NUMBER = _rx(rf"\b(?:\d[\d,.]*\s*(?:%|k\b|x\b|ms\b)?|{NUMBER_WORDS})\b")
_MEASURE = _rx(
    rf"""
    (?:\d[\d,.]*|{NUMBER_WORDS})\s*(?:%|percent|per\s*cent|x\b|times|fold|points?|hours?|hrs|
        minutes?|mins|seconds?|secs|ms|milliseconds|days?|weeks?|months?|quarters?|years?|users|
        customers|clients|tickets|deals|accounts|requests|dollars|euros|pounds|k\b|million|
        thousand|stars|engineers|people)
    | \bfrom\s+\S+(?:\s+\S+)?\s+(?:down\s+|up\s+)?to\s+\S+
    | \b(?:halved|doubled|tripled|zero\s+\w+)\b
    | [$€£]\s*\d
    """
)
_OUTCOME = _rx(
    r"""
    \b(?:reduc\w+|cut|cutting|drop(?:ped)?|fell|fallen|decreas\w+|increas\w+|gr[eo]w\w*|improv\w+|
    sav(?:ed|ing)|rais\w+|lower\w*|boost\w*|shipped|launched|delivered|released|won|closed|
    resolved|solved|fixed|went\s+(?:up|down|from)|as\s+a\s+result|in\s+the\s+end|ended\s+up|
    outcome|result(?:ed)?|turned\s+out|succeeded|success(?:ful)?|achiev\w+|hit\s+(?:our|the|my)|
    beat|exceeded|renewed|retained|adopted|never\s+(?:happened|recurred)|haven't\s+\w+\s+since|
    stopped\s+(?:happening|failing)|no\s+longer|went\s+live|signed|converted|recovered|passed)\b
    """
)
_SITUATION_CONTEXT = _rx(
    rf"""
    \b(?:at\s+my\s+(?:last|previous|current|old|first)\s+(?:job|company|role|team|employer|startup)
    | in\s+my\s+(?:last|previous|current|first|old)\s+(?:role|job|position|team|company)
    | at\s+(?:[A-Z]\w+|a\s+\w+(?:\s+\w+)?\s+(?:company|startup|firm|agency|bank|retailer|hospital|
        school|shop|store|client))
    | last\s+(?:year|month|quarter|spring|summer|autumn|fall|winter|week|sprint|release)
    | (?:a|one|{NUMBER_WORDS}|\d+)\s+(?:years?|months?|weeks?|quarters?)\s+ago
    | in\s+(?:19|20)\d\d | back\s+in | when\s+i\s+(?:was|joined|worked|started)
    | once | recently | earlier\s+this\s+year | during\s+(?:my|our|the|a)
    | on\s+(?:a|one|our|my|the)\s+(?:project|team|launch|migration|account)
    | our\s+(?:team|company|product|service|app|client|customer|platform|pipeline|system|site|store)
    | we\s+(?:had|were|needed|ran|used|faced|got)
    | there\s+was | the\s+(?:problem|issue|challenge|situation|goal|task)\s+was)\b
    """
)
_PAST = _rx(
    r"\b(?:was|were|had|did|went|got|made|took|found|built|led|ran|wrote|chose|saw|knew|"
    r"began|came|gave|kept|left|lost|met|paid|said|sent|spent|thought|told|won|\w{3,}ed)\b"
)
_I_ACTION = _rx(
    r"""
    \bi\s+(?:also\s+|then\s+|personally\s+|first\s+|quickly\s+|eventually\s+|just\s+|finally\s+)?
    (?!(?:think|thought|guess|mean|feel|felt|believe|hope|wish|would|could|should|might|was|am|
        don't|didn't|do|can't|cannot|wasn't|need|needed|like|liked|love|loved|want|wanted|know|
        knew)\b)
    (?:\w{3,}ed|built|wrote|led|ran|made|took|found|chose|set|put|drove|did|got|sat|spoke|
        brought|began|started|proposed|designed|owned|decided|pushed|moved|rewrote|caught|dug|
        went|gave|held|kept|met|paired|read|sent|split|taught|told|won|broke|fixed|shipped|
        added|asked|called|wrote|cut|opened|mapped|pulled|traced|sketched|drew|stood|hired|
        negotiated|pitched|sold|closed|coached|mentored|reviewed|tested|tracked|prototyped|
        interviewed|analysed|analyzed|documented|automated|migrated|reproduced|profiled|
        rolled|escalated|apologised|apologized|listened|explained|walked|showed|suggested|
        offered|agreed|admitted|owned|flagged|told|'ll|will|start|check|ask|write|look|use|
        measure|talk|set|make|build|run|add|run|map|profile|trace|review|test|sketch|split|
        prioritise|prioritize|define|pick|choose|start|listen|acknowledge|apologise|apologize|
        focus|gather|reproduce|escalate|follow|document|track|break|identify|compare|look)\b
    | \bmy\s+(?:part|role|job|responsibility|task|contribution)\s+(?:was|is|there|in)
    | \bi\s+was\s+(?:responsible|in\s+charge|the\s+one|accountable|tasked|leading|running|
        building|owning)
    | \bi\s+took\s+(?:ownership|charge|the\s+lead|it\s+on)
    | \bi'd\s+(?:start|first|begin|check|look|ask|measure|add|use|run|write|split|define|talk|
        set|put|profile|trace|build|map|pick|choose|compare|want|make|go|review|test|sketch|
        break|identify|gather|follow|listen|acknowledge|apologise|apologize|escalate|focus|
        prioritise|prioritize|reproduce|document|track)\b
    """
)
_WE_ACTION = _rx(r"\bwe\s+(?:\w{3,}ed|built|made|took|found|chose|ran|wrote|did|got|set|put)\b")
_REASONING = _rx(
    r"""
    \b(?:because|since\s+(?!then)|so\s+that|in\s+order\s+to|trade-?offs?|instead\s+of|rather\s+than|
    alternatives?|options?|weigh(?:ed|ing)?|pros\s+and\s+cons|downside|upside|the\s+risk|risky|
    would\s+have|but\s+that|the\s+reason|which\s+meant|that\s+meant|chose|choose|decided|
    opted|prioriti[sz]\w+|compared|versus|vs\.?|cost(?:s|ly)?|cheaper|simpler|safer|faster\s+to|
    at\s+the\s+expense|on\s+the\s+other\s+hand|whereas|the\s+catch|worth\s+it|not\s+worth|
    depends\s+on|it\s+depends|depending\s+on|if\s+\w+(?:\s+\w+)?\s+then|if\s+it's|if\s+it\s+is|
    if\s+the|if\s+that|otherwise|unless|so\s+i|so\s+we|that's\s+why|
    why\s+i|criteria|evidence|data\s+showed|the\s+data)\b
    """
)
_LEARNING = _rx(
    r"""
    \b(?:learn(?:ed|t|ing)?|taught\s+me|lessons?|since\s+then|ever\s+since|from\s+then\s+on|
    now\s+i|these\s+days\s+i|today\s+i|next\s+time|do\s+(?:it\s+)?differently|took\s+away|
    takeaway|take-?away|changed\s+(?:how|the\s+way)|i\s+started|i\s+now|i\s+always|going\s+forward|
    reali[sz]ed|in\s+hindsight|looking\s+back|made\s+me|showed\s+me|stuck\s+with\s+me|
    i've\s+(?:kept|used|applied|made)|habit|i\s+still|prevent\w*|never\s+again|
    (?:could|would|will|can)\s+never\s+(?:happen|recur|go\s+unnoticed)|so\s+it\s+(?:doesn't|won't)|
    (?:doesn't|won't|wouldn't)\s+happen\s+again)\b
    """
)
_CURRENT_ROLE = _rx(
    r"""
    \b(?:i'?m|i\s+am)\s+(?:currently\s+|now\s+|a\s+|an\s+|the\s+)?(?:[\w,]+\s+){0,4}?
        (?:engineer|developer|designer|manager|analyst|scientist|lead|consultant|specialist|
        representative|rep|executive|architect|administrator|admin|student|graduate|tester|
        researcher|owner|director|head|agent|officer|founder|freelancer|associate|intern|
        coordinator|strategist|marketer|writer|technician)
    | \bi\s+(?:currently\s+)?(?:work|worked)\s+(?:as|at|for|on|in)\b
    | \bi\s+(?:lead|run|manage|own|build|design|support|sell|look\s+after|handle|maintain|teach)\b
    | \b(?:currently|right\s+now|at\s+the\s+moment|these\s+days|today)\b
    | \bmy\s+(?:current\s+)?(?:role|job|title|position)\b
    | \bi've\s+been\s+(?:working|at|with|building|leading|running|doing)\b
    """
)
_EXPERIENCE = _rx(
    rf"""
    \b(?:\d+|{NUMBER_WORDS})\+?\s+(?:or\s+so\s+)?years?\b
    | \bsince\s+(?:19|20)\d\d
    | \b(?:before\s+that|previously|prior\s+to|earlier\s+in\s+my\s+career|
        started\s+(?:my\s+career|out)|
        background\s+in|studied|degree|graduated|bootcamp|my\s+career|worked\s+(?:at|for|on|in)|
        spent\s+\w+\s+(?:years?|months?))
    """
)
_MOTIVATION = _rx(
    r"""
    \b(?:looking\s+for|hoping|hope\s+to|want\s+to|i'd\s+like|would\s+like|interested\s+in|excited|
    drawn\s+to|next\s+(?:role|step|job|challenge)|why\s+i\s+applied|appeals?\s+to\s+me|passionate|
    keen|love\s+to|i\s+enjoy|motivat\w+|ready\s+for|want\s+more|grow\s+into|career\s+goal|
    aspire|the\s+reason\s+i'm\s+here|attracted)\b
    """
)
# Named things: a capitalised word not at a sentence start, an acronym, a version number,
# or a technical compound (CI/CD, A/B, e2e).
_SPECIFIC = re.compile(
    r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z0-9+#.]*[a-z0-9+#][a-zA-Z0-9+#]*\b|\b[A-Z]{2,}[a-z]?s?\b"
    r"|\b\w+/\w+\b|\b\d[\d,.]*\b"
)


@dataclass(frozen=True)
class Detection:
    strength: float  # 0..1
    sentence: tuple[int, int] | None  # span of the best sentence in the text


def sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _best(text: str, spans: list[tuple[int, int]], rate: Callable[[str], float]) -> Detection:
    best = Detection(0.0, None)
    for a, b in spans:
        s = rate(text[a:b])
        if s > best.strength:
            best = Detection(s, (a, b))
    return best


def _situation(s: str) -> float:
    context = bool(_SITUATION_CONTEXT.search(s))
    past = len(_PAST.findall(s))
    if context and past:
        return 1.0
    if context or past >= 2:
        return 0.5
    return 0.0


def _own_part(s: str) -> float:
    if _I_ACTION.search(s):
        return 1.0
    return 0.4 if _WE_ACTION.search(s) else 0.0


def _reasoning(s: str) -> float:
    hits = {m.group(0).lower() for m in _REASONING.finditer(s)}
    return 1.0 if len(hits) >= 2 else 0.6 if hits else 0.0


def _result(s: str) -> float:
    outcome = bool(_OUTCOME.search(s))
    measured = bool(_MEASURE.search(s))
    if outcome and measured:
        return 1.0
    if measured and _NUMBER.search(s):
        return 0.6
    return 0.5 if outcome else 0.0


def _learning(s: str) -> float:
    return 1.0 if _LEARNING.search(s) else 0.0


def _current_role(s: str) -> float:
    return 1.0 if _CURRENT_ROLE.search(s) else 0.0


def _experience(s: str) -> float:
    return 1.0 if _EXPERIENCE.search(s) else 0.0


def _motivation(s: str) -> float:
    return 1.0 if _MOTIVATION.search(s) else 0.0


def _specifics_count(s: str) -> int:
    return len({m.group(0).lower() for m in _SPECIFIC.finditer(s)})


DETECTORS: dict[str, Callable[[str], float]] = {
    "situation": _situation,
    "own_part": _own_part,
    "reasoning": _reasoning,
    "result": _result,
    "learning": _learning,
    "current_role": _current_role,
    "experience": _experience,
    "motivation": _motivation,
}


def detect(kind: str, text: str, spans: list[tuple[int, int]] | None = None) -> Detection:
    """How clearly ``text`` shows an indicator of ``kind`` (not ``content``)."""
    spans = sentences(text) if spans is None else spans
    if kind == "specifics":
        best = _best(text, spans, lambda s: float(_specifics_count(s)))
        total = _specifics_count(text)
        return Detection(min(1.0, total / 3.0), best.sentence if total else None)
    return _best(text, spans, DETECTORS[kind])
