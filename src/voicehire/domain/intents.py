"""What a candidate's turn *is*, before anyone treats it as an answer.

Candidates do more than answer: they ask to hear the question again, ask what it means,
skip it, ask about the role, ask to stop, think aloud, wander off, ask for the rubric or
try to instruct the machine. :func:`classify` names the intent of one utterance; only
``answer`` is ever scored. The interviewer (offline policy and LLM path) reacts to the
intent, and the evaluation skips non-answers and lists role questions and flags for the
recruiter.

The classifier is rules over normalised text, written as families of phrasings rather
than fixed sentences (so "could you say that once more" and "sorry, didn't catch that"
are both a repeat). An utterance that carries an intent *and* a real answer ("let me
think... the hardest problem was X") is an answer: intents only claim turns whose words
are mostly the intent. Injection attempts are the exception: they are flagged wherever
they appear.

Pure Python, no framework: the agent and the evaluation both import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from voicehire.domain.plan import Question

IntentKind = Literal[
    "answer",
    "repeat",
    "clarify",
    "skip",
    "role_question",
    "stop",
    "thinking",
    "off_topic",
    "prompt_request",
    "injection",
]
RoleTopic = Literal[
    "location", "salary", "process", "team", "benefits", "company", "role", "start", "other"
]
ROLE_TOPICS: tuple[str, ...] = RoleTopic.__args__  # type: ignore[attr-defined]
# Intents a report shows to the recruiter as flags (declined politely in the interview).
FLAGGED: frozenset[str] = frozenset({"off_topic", "prompt_request", "injection"})
# How many content words beyond the intent phrase make a turn an answer after all.
ANSWER_WORDS = 9

_FILLER = r"(?:um+|uh+|erm+|er|hmm+|ah+|oh|okay|ok|so|well|sorry|yeah|yes|right|actually|honestly)"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


# Sentences addressed to a machine grader or meant to override the interviewer.
INJECTION = _rx(
    r"""
    \b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|everything\s+)?(?:of\s+)?
        (?:your|the|previous|prior|above|earlier|these|those|my|its|all)\b[^.!?\n]{0,30}?
        \b(?:instructions?|prompts?|rubric|guidelines|rules|scoring|programming|system)\b
    | \b(?:rate|score|grade|mark|evaluate|rank)\s+(?:me|this|my\s+answers?|the\s+candidate|
        (?:this|the|that)\s+answer|him|her|them)\b[^.!?\n]{0,40}
        (?:\d+\s*(?:/|out\s+of)\s*\d+|full|max|maximum|perfect|high|highly|top|ten|hire)
    | \b(?:give|award|assign)\s+(?:me|the\s+candidate|this\s+answer|my\s+answers?)\s+(?:a\s+|
        the\s+)?
        (?:\d+\s*(?:/|out\s+of)\s*\d+|full|perfect|maximum|top|highest|10|ten)
    | \bfull\s+marks\b
    | \b(?:mark|record|flag|put)\s+(?:me|this\s+candidate|
        the\s+candidate)\s+(?:down\s+)?as\s+(?:a\s+)?
        (?:strong\s+)?(?:hire|pass|passed|excellent)
    | \b(?:recommend|tell\s+them\s+to)\s+hir(?:e|ing)\s+me\b
    | (?:^|[\s"'(\[])(?:system|assistant|developer)\s*(?:prompt)?\s*:
    | \byou\s+are\s+now\b
    | \b(?:new|updated)\s+(?:instructions|rules|system\s+prompt)\b
    | \b(?:act|behave|pretend|roleplay)\s+(?:as|like|to\s+be)\s+(?:a|an|my|the)?\s*
        (?:different|new|unrestricted|evil|dan|jailbroken|grader|judge|recruiter|hiring)
    | \b(?:developer|god|debug|admin)\s+mode\b
    | \bjailbreak
    | </?\s*(?:system|instructions?|candidate_answer|transcript|prompt)\s*>
    """
)

_PROMPT_REQUEST = _rx(
    r"""
    \b(?:show|tell|give|send|read|share|reveal|print|repeat|paste|leak)\s+(?:me\s+|us\s+)?
        (?:what\s+(?:is\s+|are\s+)?)?(?:your|the)\s+(?:full\s+|exact\s+|original\s+|hidden\s+)?
        (?:system\s+)?(?:prompt|instructions|rubric|scoring|criteria|grading|marking\s+scheme|
        evaluation|guidelines|script|notes|answer\s+key|model\s+answers?|key\s+points)
    | \bwhat(?:'s|\s+is|\s+are)\s+(?:in\s+)?(?:your|the)\s+(?:system\s+)?(?:prompt|
        instructions|rubric|
        scoring\s+(?:criteria|rubric|guide)|grading\s+criteria|evaluation\s+criteria|answer\s+key)
    | \bhow\s+(?:am\s+i|are\s+you|will\s+i|is\s+this|are\s+candidates|do\s+you)\s+(?:being\s+|
        be\s+)?
        (?:scored|graded|rated|evaluated|marked|scoring|grading|judging|judged|ranking)
    | \bhow\s+(?:am\s+i|did\s+i|was\s+i)\s+do(?:ing|ne)?\b
    | \bhow\s+did\s+i\s+do\b
    | \bwhat\s+(?:score|rating|grade|mark)s?\s+(?:did|do|will|would|have)\s+(?:i|you)\b
    | \b(?:am\s+i|did\s+i|will\s+i)\s+(?:going\s+to\s+)?(?:pass|get\s+the\s+job|get\s+hired|
        be\s+hired|fail)
    | \bwhat(?:'s|\s+is|\s+was|\s+would\s+be)\s+(?:the|a)\s+(?:right|correct|ideal|perfect|
        best|model|
        expected)\s+answer
    | \bwhat\s+(?:are\s+you|do\s+you)\s+(?:looking|listening)\s+for\s+in\s+(?:an?|my|the)\s+answer
    | \bwhat\s+(?:do\s+you\s+want|should\s+i)\s+(?:me\s+)?to\s+say\b
    """
)

_STOP = _rx(
    r"""
    \b(?:i(?:'d|\s+would)\s+(?:like|prefer|rather)|i\s+want|i\s+need|i\s+have|i've\s+got|i\s+gotta|
        can\s+we|could\s+we|let's|let\s+us|we\s+(?:can|should)|please|i'm\s+going)\s+(?:to\s+)?
        (?:just\s+)?(?:stop|end|finish|quit|leave|go|cut\s+(?:it|this)\s+short|wrap\s+(?:it\s+|this\s+)?up|
        call\s+it\s+(?:a\s+day|here|quits)|hang\s+up|drop\s+off|withdraw|pause|terminate|cancel)
        (?!\s+(?:on|with|to|the\s+(?:question|service|process|server|job|project|test)))
    | \b(?:stop|end|finish|terminate|cancel|abort)\s+(?:the|this)\s+(?:interview|call|session|
        conversation|meeting)
    | \bi(?:'m|\s+am)\s+(?:done|finished)\s+(?:here|with\s+(?:this|the)\s+(?:interview|call))
    | \bi(?:'m|\s+am)\s+(?:no\s+longer|not)\s+(?:interested|comfortable\s+continuing|
        going\s+to\s+continue)
    | \bi\s+(?:don't|do\s+not)\s+want\s+to\s+(?:continue|go\s+on|do\s+this)(?:\s+anymore)?
    | \b(?:withdraw|pull\s+out)\s+(?:my\s+application|from\s+(?:the|this)\s+process)
    | \bthat's\s+(?:enough|it)\s+for\s+(?:me|today)
    | ^\s*(?:stop|end\s+it|quit|enough)\s*[.!]*\s*$
    | \bsomething(?:'s|\s+has)\s+come\s+up\b.*\b(?:go|leave|stop)
    """
)

_SKIP = _rx(
    r"""
    \b(?:skip|pass\s+on|pass)\s+(?:this|that|it|the|for\s+now|this\s+one)\b
    | \b(?:can|could|may|shall)\s+(?:we|i)\s+(?:just\s+)?(?:skip|pass|move\s+on|
        go\s+to\s+the\s+next|
        come\s+back\s+to)
    | \b(?:let's|let\s+us|i'll|i\s+will|i'd\s+like\s+to|i\s+want\s+to)\s+(?:just\s+)?(?:skip|pass|
        move\s+on(?:\s+to\s+the\s+next)?|come\s+back\s+to\s+(?:it|this|that))
    | \b(?:next|another|a\s+different)\s+question(?:\s+please)?\b
    | \b(?:i'd|i\s+would)\s+(?:rather|prefer)\s+not\s+(?:to\s+)?(?:answer|say|talk\s+about|
        go\s+into)
    | \bi\s+(?:don't|do\s+not|can't|cannot)\s+(?:really\s+)?(?:have|think\s+of|
        come\s+up\s+with|recall|
        remember)\s+(?:an?\s+|any\s+)?(?:answer|example|one|good\s+example|anything|situation|story)
    | \b(?:no\s+idea|not\s+a\s+clue|no\s+clue)\b
    | ^\s*(?:i\s+)?(?:don't|do\s+not|dunno)\s+know\W*$
    | ^\s*(?:i\s+)?(?:honestly\s+)?(?:don't|do\s+not)\s+know\s+(?:the\s+answer|how\s+to\s+answer|
        what\s+to\s+say)
    | \bnot\s+(?:something\s+i\s+can|able\s+to)\s+answer
    | \bpass\W*$
    """
)

_REPEAT = _rx(
    r"""
    \b(?:repeat|reread|re-read)\b
    | \b(?:say|said|saying|ask|asking|read|reading|go\s+over|going\s+over)\s+(?:that|it|this|
        the\s+question)
        (?:\s+one)?\s+(?:again|once\s+more|one\s+more\s+time)
    | \b(?:come\s+again|pardon|beg\s+your\s+pardon|excuse\s+me\s*\?)
    | \b(?:didn't|did\s+not|couldn't|could\s+not|can't|cannot)\s+(?:quite\s+)?(?:catch|hear|get)\s+
        (?:that|it|what\s+you|the\s+(?:question|last\s+part|end))
    | \b(?:missed|lost)\s+(?:that|it|the\s+(?:question|last\s+part|end|first\s+part))
    | \bwhat\s+(?:was|is)\s+the\s+question
    | \bone\s+more\s+time\b
    | \b(?:you\s+)?(?:broke|cut)\s+(?:up|out)\b
    | \b(?:again|once\s+more),?\s+please\b
    | ^\s*(?:sorry|what|huh|pardon|eh)\s*\?+\s*$
    """
)

_CLARIFY = _rx(
    r"""
    \b(?:rephrase|reword|paraphrase)\b
    | \b(?:put|say|phrase|ask)\s+(?:it|that|the\s+question)\s+(?:another|a\s+different|other)\s+way
    | \b(?:say|ask|explain)\s+(?:it|that)\s+differently
    | \bin\s+other\s+words\s*\?
    | \bwhat\s+(?:do|did)\s+you\s+mean\b
    | \bwhat\s+(?:does|did)\s+(?:that|this|it|the\s+question)\s+mean
    | \bwhat\s+(?:exactly\s+)?(?:are|were)\s+you\s+asking
    | \b(?:i'm|i\s+am)\s+not\s+(?:sure|clear)\s+(?:what|how|which|if)\b.*\b(?:mean|ask|asking|
        want|looking\s+for)
    | \b(?:i\s+)?(?:don't|do\s+not)\s+(?:quite\s+|really\s+|fully\s+)?(?:understand|get|follow)\s+
        (?:the\s+question|what\s+you|your\s+question|what\s+(?:is|you're)\s+(?:being\s+)?ask|that|it)
    | \b(?:could|can|would)\s+you\s+(?:please\s+)?(?:clarify|explain|elaborate|be\s+more\s+specific|
        give\s+(?:me\s+)?an?\s+example|unpack)
    | \bclarif(?:y|ication)\b
    | \b(?:do|did)\s+you\s+mean\b
    | \b(?:by|with)\s+\w+(?:\s+\w+)?,?\s+(?:do\s+you\s+mean|you\s+mean)\b
    | \b(?:as\s+in|meaning)\s*\?
    | \bwhich\s+(?:kind|type|sort)\s+of\b[^?]*\?
    | \bshould\s+i\s+(?:talk|focus|answer)\s+(?:about|on)\b[^?]*\?
    """
)

_QUESTION_FORM = _rx(
    r"""
    \?\s*$
    | ^\s*(?:(?:and|so|also|just|oh|okay|ok|sorry|quick\s+question|one\s+question)[,\s]+)*
        (?:is|are|was|were|does|do|did|will|would|can|could|should|how|what|when|where|who|whom|which|why)\b
    | \b(?:i\s+(?:was|am)\s+wondering|i'd\s+(?:like|love)\s+to\s+know|i\s+want\s+to\s+know|
        can\s+you\s+tell\s+me|could\s+you\s+tell\s+me|i'm\s+curious|curious\s+(?:about|whether|if)|
        quick\s+question|may\s+i\s+ask|can\s+i\s+ask|before\s+we\s+(?:go\s+on|continue))
    """
)

_ROLE_TOPICS: list[tuple[RoleTopic, re.Pattern[str]]] = [
    (
        "salary",
        _rx(
            r"\b(?:salary|salaries|pay|paid|compensation|comp|band|pay\s+range|salary\s+range|"
            r"equity|stock|options|bonus|how\s+much\s+(?:does|would|will|is)|money|wage|rate)\b"
        ),
    ),
    (
        "location",
        _rx(
            r"\b(?:remote|remotely|hybrid|on-?site|in\s+the\s+office|office|location|located|based|"
            r"relocat\w*|work\s+from\s+home|wfh|commute|time\s*zones?|where\s+(?:is|would|will)|"
            r"come\s+in|days\s+a\s+week|travel)\b"
        ),
    ),
    (
        "process",
        _rx(
            r"\b(?:next\s+steps?|process|rounds?|stages?|timeline|hear\s+back|get\s+back\s+to\s+me|"
            r"decision|feedback|how\s+long\s+(?:will|does)|after\s+this\s+(?:interview|call)|"
            r"who\s+(?:else\s+)?will\s+i\s+(?:meet|talk)|final\s+interview|offer)\b"
        ),
    ),
    (
        "team",
        _rx(
            r"\b(?:team|teams|manager|report\s+to|reporting|colleagues|co-?workers|who\s+(?:would|will)\s+i\s+"
            r"work|how\s+(?:big|large)|headcount|org|department)\b"
        ),
    ),
    (
        "benefits",
        _rx(
            r"\b(?:benefits?|holiday|vacation|pto|leave|insurance|health|pension|401k|perks|"
            r"parental|learning\s+budget|visa|sponsor\w*)\b"
        ),
    ),
    ("start", _rx(r"\b(?:start\s+date|when\s+(?:would|could|do)\s+i\s+start|notice|join\s+by)\b")),
    (
        "role",
        _rx(
            r"\b(?:role|position|job|responsibilit\w*|day[\s-]to[\s-]day|typical\s+day|tech\s+stack|"
            r"stack|tools\s+do\s+you|on-?call|hours|working\s+hours|expectations|work\s+on|projects?)\b"
        ),
    ),
    (
        "company",
        _rx(
            r"\b(?:company|companies|business|product|customers|culture|mission|funding|growth|"
            r"startup|you\s+guys|your\s+(?:firm|organisation|organization))\b"
        ),
    ),
]

_OFF_TOPIC = _rx(
    r"""
    \b(?:tell|sing|write|give|read|recite|compose)\s+(?:me\s+|us\s+)?(?:a|an|some|another)\s+
        (?:joke|poem|song|story|riddle|haiku|limerick|recipe|essay|letter|cover\s+letter|email)
    | \bwhat(?:'s|\s+is)\s+the\s+(?:weather|time|date|score|capital|meaning\s+of\s+life)
    | \b(?:weather|football|soccer|basketball|baseball|cricket|election|politics|recipe|movie|
        netflix|horoscope|lottery|bitcoin\s+price|stock\s+tips)\b
    | \b(?:write|debug|fix|solve|do|finish)\s+(?:me\s+)?(?:my|this|some|a|the)\s+
        (?:homework|assignment|code|script|program|function|essay|math)(?:\s+\w+)?\s+for\s+me
    | \bhelp\s+me\s+(?:with\s+my|write\s+my|do\s+my|cheat)
    | \b(?:are\s+you|is\s+this)\s+(?:a\s+)?(?:robot|bot|human|real\s+person|an?\s+ai|chatgpt|gpt)\b
    | \bwhat\s+(?:model|llm|ai)\s+are\s+you
    | \bwho\s+(?:made|built|created|programmed|trained)\s+you
    | \bwhat(?:'s|\s+is)\s+your\s+(?:favou?rite|opinion|name|age)\b
    | \bhow\s+old\s+are\s+you
    | \bdo\s+you\s+(?:like|love|have\s+(?:feelings|a\s+(?:girlfriend|boyfriend|family)))
    | \bwhat\s+do\s+you\s+think\s+(?:about|of)\s+
        (?:politics|the\s+election|religion|the\s+president|crypto)
    | \btranslate\s+(?:this|that|something)
    | \blet's\s+talk\s+about\s+something\s+else
    | \b(?:book|order|buy|find|search\s+for|google|look\s+up|reserve|get)\s+(?:me\s+)?
        (?:a|an|some|the)?\s*(?:flight|hotel|restaurant|table|pizza|taxi|cab|uber|ticket|tickets|news)\b
    """
)

_THINKING = _rx(
    r"""
    \blet\s+me\s+(?:just\s+)?(?:think|see|consider|gather|collect|get\s+my\s+thoughts|reflect|recall|
        remember|organi[sz]e\s+my\s+thoughts)
    | \b(?:give|allow)\s+me\s+(?:a|one|just\s+a)\s+(?:second|sec|moment|minute|min|bit)
    | \b(?:one|just\s+a|a)\s+(?:second|sec|moment|minute|tick)\b
    | \b(?:hold|hang)\s+on\b
    | \bbear\s+with\s+me
    | \b(?:i'm|i\s+am|still)\s+thinking
    | \bi\s+need\s+(?:a\s+)?(?:moment|second|minute|to\s+think)
    | \bthat's\s+a\s+(?:good|great|tough|hard|tricky|big)\s+(?:one|question)
    | \bgood\s+question
    | \bwhere\s+do\s+i\s+(?:start|begin)
    | \bhow\s+(?:do|should|can)\s+i\s+put\s+(?:this|it)
    | ^\s*(?:"""
    + _FILLER
    + r"""[\s,.!…-]*)+$
    """
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOPWORDS = frozenset(
    """a an the of to in on for and or is are was were be been it its this that with as by at
    from so can could would should will do does did has have had not no but if i me my we you
    your our they them he she um uh er hmm like just really okay ok yeah well sorry please
    oh actually maybe bit little about what how""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Intent:
    """The intent of one candidate turn."""

    kind: IntentKind
    topic: RoleTopic | None = None  # for role_question
    matched: str = ""  # the words that carried the intent
    injection: bool = False  # an injection attempt appears anywhere in the turn

    @property
    def is_answer(self) -> bool:
        return self.kind == "answer"

    @property
    def flagged(self) -> bool:
        return self.kind in FLAGGED or self.injection


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("…", "...")
    return re.sub(r"\s+", " ", text).strip()


def _content_words(text: str) -> int:
    return sum(1 for w in _WORD.findall(text.lower()) if w not in _STOPWORDS)


def _leftover(text: str, match: re.Match[str]) -> int:
    """Content words outside the matched intent phrase."""
    return _content_words(text[: match.start()] + " " + text[match.end() :])


def role_topic(text: str) -> RoleTopic:
    for topic, pattern in _ROLE_TOPICS:
        if pattern.search(text):
            return topic
    return "other"


def _is_role_question(text: str) -> re.Match[str] | None:
    form = _QUESTION_FORM.search(text)
    if not form:
        return None
    for _topic, pattern in _ROLE_TOPICS:
        m = pattern.search(text)
        if m:
            return m
    return None


def classify(text: str) -> Intent:
    """The intent of one candidate utterance (``answer`` unless the turn is mostly an
    intent phrase). Deterministic, no I/O."""
    t = _normalise(text)
    if not t:
        return Intent("thinking", matched="")
    low = t.lower()
    injection = INJECTION.search(low)
    words = _content_words(low)
    if injection and _leftover(low, injection) < 2 * ANSWER_WORDS:
        return Intent("injection", matched=t[injection.start() : injection.end()], injection=True)
    checks: list[tuple[IntentKind, re.Pattern[str]]] = [
        ("prompt_request", _PROMPT_REQUEST),
        ("stop", _STOP),
        ("skip", _SKIP),
        ("repeat", _REPEAT),
        ("clarify", _CLARIFY),
    ]
    for kind, pattern in checks:
        m = pattern.search(low)
        if m and _leftover(low, m) < ANSWER_WORDS:
            return Intent(kind, matched=t[m.start() : m.end()], injection=bool(injection))
    role = _is_role_question(low)
    # A question about the job ends the turn with a question, and is short.
    if role and words <= 2 * ANSWER_WORDS and ("?" in low or words <= ANSWER_WORDS + 4):
        return Intent("role_question", topic=role_topic(low), matched=t, injection=bool(injection))
    off = _OFF_TOPIC.search(low)
    if off and _leftover(low, off) < ANSWER_WORDS:
        return Intent("off_topic", matched=t[off.start() : off.end()], injection=bool(injection))
    think = _THINKING.search(low)
    if think and _leftover(low, think) < 4:
        return Intent("thinking", matched=t[think.start() : think.end()])
    return Intent("answer", injection=bool(injection))


# --- answering a role question from the job record -------------------------------------


@dataclass
class RoleAnswer:
    """What the interviewer says to a question about the role, and whether it had to be
    deferred to the hiring team (then it is listed in the report)."""

    topic: RoleTopic
    text: str
    deferred: bool
    facts: dict[str, Any] = field(default_factory=dict)
    fact: str = ""  # the answer alone (no "let's continue"), empty when deferred


def _salary_text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict) and value.get("min") is not None and value.get("max") is not None:
        cur = value.get("currency") or ""
        period = value.get("period") or "year"
        return f"{int(value['min']):,} to {int(value['max']):,} {cur} a {period}".replace("  ", " ")
    return None


def answer_role_question(topic: RoleTopic, job: dict[str, Any] | None) -> RoleAnswer:
    """Answer from the job record only; anything it does not hold is deferred honestly.

    ``job`` is a plain mapping (title, location, remote_policy, salary_range, department,
    team, process, description, ...); nothing is invented.
    """
    job = job or {}
    title = job.get("title") or "this role"
    facts: dict[str, Any] = {}
    text: str | None = None
    if topic == "location":
        loc, remote = job.get("location"), job.get("remote_policy")
        if loc or remote:
            facts = {k: v for k, v in (("location", loc), ("remote_policy", remote)) if v}
            parts = [p for p in (f"based in {loc}" if loc else "", str(remote or "")) if p]
            text = f"The {title} role is " + ", ".join(parts) + "."
    elif topic == "salary":
        band = _salary_text(job.get("salary_range"))
        if band:
            facts = {"salary_range": job.get("salary_range")}
            text = f"The salary range for {title} is {band}."
    elif topic == "team":
        team = job.get("team") or job.get("department")
        if team:
            facts = {"team": team}
            text = f"The role sits in {team}."
    elif topic == "process":
        process = job.get("process")
        if process:
            facts = {"process": process}
            text = str(process)
    if text:
        line = f"{text} {intent_line('role_answered_suffix')}"
        return RoleAnswer(topic, line, False, facts, fact=text)
    return RoleAnswer(topic, intent_line("role_deferred"), True)


def clarification(question: Question, *, most: int = 4) -> str:
    """The question put another way, for a candidate who asks what it means: what any
    good answer to it covers, in the candidate's terms, taken from the kinds of the
    question's indicators (never the indicators' text, which would give the rubric away)."""
    from voicehire.domain.prompts import clarify_asks

    asks_by_kind = clarify_asks()
    order = list(asks_by_kind)  # the order a person would ask in
    kinds = {i.kind for r in question.rubric for i in r.indicators} or {"content"}
    asks = [asks_by_kind[k] for k in sorted(kinds, key=order.index)][:most]
    joined = asks[0] if len(asks) == 1 else ", ".join(asks[:-1]) + " and " + asks[-1]
    return intent_line("clarify").format(asks=joined)


def intent_line(key: str) -> str:
    """The interviewer's fixed line for an intent (``intent_lines`` in prompts.yaml)."""
    from voicehire.domain.prompts import intent_lines

    return intent_lines()[key]
