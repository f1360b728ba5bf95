"""VoiceHire: an open-source AI voice interviewer built on LiveKit Agents."""

__version__ = "0.1.0"
