"""Shared fixtures: the agent harness (text-only interview sessions) is a plugin."""

import voicehire  # noqa: F401  (first: its process setup, e.g. one OpenBLAS thread, before numpy)

pytest_plugins = ["tests.harness", "tests.s3_server"]
