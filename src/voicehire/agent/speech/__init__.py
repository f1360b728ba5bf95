"""Offline speech for the embedded default: Whisper speech recognition, a Piper neural
voice and end-of-turn configuration. Every model comes from a pinned package (the
``speech`` extra); nothing is downloaded at run time."""
