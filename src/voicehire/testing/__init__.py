"""Helpers for tests and benchmarks only (production code never imports this package):
a scripted speech-to-text engine, paced microphone audio, dropping a browser's
connection as a network failure would."""
