"""The ``voicehire`` command. Each layer contributes its subcommands from a ``commands``
module exposing ``register(subparsers)``; this file only assembles them."""

from __future__ import annotations

import argparse
import importlib
import sys

from voicehire import __version__
from voicehire.settings import SettingsError

# Each module adds its subcommands; order is the order of `voicehire --help`.
COMMAND_MODULES = (
    "voicehire.agent.commands",
    "voicehire.server",
    "voicehire.api.commands",
    "voicehire.storage.commands",
    "voicehire.evaluation.commands",
    "voicehire.storage.commands",
    "voicehire.devstack",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voicehire",
        description="VoiceHire: an open-source AI voice interviewer on LiveKit Agents.",
    )
    parser.add_argument("--version", action="version", version=f"voicehire {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if rest and not getattr(args, "accepts_extra_args", False):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return int(args.func(args, rest) or 0)
    except SettingsError as exc:
        print(f"voicehire: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
