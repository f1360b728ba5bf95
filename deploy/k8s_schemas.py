"""Make the Kubernetes JSON Schemas that the ``kubernetes-validate`` package ships usable
by kubeconform offline: drop each file's ``$id`` (a kubernetes.io URL, which would send
every ``$ref`` to the network) and point the refs at the ``_definitions.json`` beside it.

    python deploy/k8s_schemas.py SOURCE_DIR TARGET_DIR      (run by `make deploy-tools`)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REMOTE_DEFINITIONS = "/api/_definitions.json"


def localize(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REMOTE_DEFINITIONS):
                value = "_definitions.json" + value[len(REMOTE_DEFINITIONS) :]
            out[key] = localize(value)
        return out
    if isinstance(node, list):
        return [localize(v) for v in node]
    return node


def main(source: Path, target: Path) -> int:
    files = sorted(source.glob("*.json"))
    if not files:
        print(f"no JSON schemas in {source}", file=sys.stderr)
        return 1
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        schema = json.loads(path.read_text())
        if isinstance(schema, dict):
            schema.pop("$id", None)
        (target / path.name).write_text(json.dumps(localize(schema)))
    print(f"{len(files)} Kubernetes schemas ready in {target}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
