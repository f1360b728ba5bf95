"""JSON Schemas of the domain's contracts, one file per contract.

``python -m voicehire.domain.schemas OUT_DIR`` writes ``OUT_DIR/<name>.schema.json``
for every entry of :data:`CONTRACTS`; the web app generates its TypeScript types from
them. Documents the agent writes are described as written (``serialization``); documents
other systems send as accepted (``validation``: every accepted spelling is the first
alias of a field).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter

from voicehire.domain.candidate import CandidateRecord
from voicehire.domain.config import SessionMetadata
from voicehire.domain.messages import BrowserFrame, ControlMessage, DataMessage, ServerFrame
from voicehire.domain.outcome import SessionOutcome
from voicehire.domain.transcript import FullTranscript, StageDocument, Utterance

Mode = Literal["validation", "serialization"]


@dataclass(frozen=True)
class Contract:
    name: str
    title: str
    type: Any  # a pydantic model or an annotated union
    mode: Mode

    def schema(self) -> dict[str, Any]:
        doc = TypeAdapter(self.type).json_schema(mode=self.mode, by_alias=True)
        doc.setdefault("title", self.title)
        if self.mode == "serialization":
            for obj in [doc, *doc.get("$defs", {}).values()]:
                _written_fields_required(obj)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **doc}


def _nullable(prop: dict[str, Any]) -> bool:
    options = prop.get("anyOf", [prop])
    return not prop or any(o.get("type") == "null" for o in options)  # {} is any value


def _written_fields_required(obj: dict[str, Any]) -> None:
    """A written document always holds a field that can't be null (a field with a default
    is written too), so the generated types need not mark it optional; a nullable one may
    be left out (``exclude_none``)."""
    props = obj.get("properties")
    if not isinstance(props, dict):
        return
    required = list(obj.get("required", []))
    required += [k for k, v in props.items() if k not in required and not _nullable(v)]
    obj["required"] = required


CONTRACTS: tuple[Contract, ...] = (
    Contract("data-message", "DataMessage", DataMessage, "serialization"),
    Contract("control-message", "ControlMessage", ControlMessage, "validation"),
    Contract("server-frame", "ServerFrame", ServerFrame, "serialization"),
    Contract("browser-frame", "BrowserFrame", BrowserFrame, "validation"),
    Contract("session-outcome", "SessionOutcome", SessionOutcome, "serialization"),
    Contract("session-metadata", "SessionMetadata", SessionMetadata, "validation"),
    Contract("full-transcript", "FullTranscript", FullTranscript, "serialization"),
    Contract("stage-transcript", "StageDocument", StageDocument, "serialization"),
    Contract("utterance", "Utterance", Utterance, "serialization"),
    Contract("candidate-record", "CandidateRecord", CandidateRecord, "validation"),
)


def write_schemas(out_dir: Path, contracts: tuple[Contract, ...] = CONTRACTS) -> list[Path]:
    """Write every contract's schema into ``out_dir`` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for contract in contracts:
        path = out_dir / f"{contract.name}.schema.json"
        text = json.dumps(contract.schema(), indent=2, ensure_ascii=False, sort_keys=False)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None, out: Callable[[str], Any] = print) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m voicehire.domain.schemas",
        description="Write one JSON Schema file per domain contract into OUT_DIR.",
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    args = parser.parse_args(argv)
    try:
        paths = write_schemas(args.out_dir)
    except OSError as exc:
        parser.exit(2, f"cannot write schemas to {args.out_dir}: {exc}\n")
    for path in paths:
        out(str(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
