"""`voicehire interview` and `voicehire agent` (filled in with the agent core)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    return None
