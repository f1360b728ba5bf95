"""Shared fixtures: the agent harness (text-only interview sessions) is a plugin."""

pytest_plugins = ["tests.harness", "tests.s3_server"]
