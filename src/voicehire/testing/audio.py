"""Audio stand-ins for tests and benchmarks.

- :class:`PacedAudioInput` (re-exported from ``agent.audio_io``) feeds audio frames to the
  session in real time, the way a microphone would.
- :class:`ScriptedSTT` is a speech-to-text engine that returns prepared transcripts, one
  per recognised utterance, to exercise the real VAD → STT → LLM → TTS pipeline with
  known text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from livekit.agents import LanguageCode, stt, utils
from livekit.agents.types import NOT_GIVEN, APIConnectOptions, NotGivenOr

from voicehire.agent.audio_io import PacedAudioInput, read_wav

__all__ = ["PacedAudioInput", "ScriptedSTT", "read_wav"]


class ScriptedSTT(stt.STT[Any]):
    """Returns the next prepared transcript for each utterance the VAD cuts out."""

    def __init__(self, transcripts: Iterable[str]) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self._transcripts = list(transcripts)
        self.calls = 0

    @property
    def model(self) -> str:
        return "scripted"

    @property
    def provider(self) -> str:
        return "voicehire-test"

    async def _recognize_impl(
        self,
        buffer: utils.AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        text = self._transcripts[self.calls] if self.calls < len(self._transcripts) else ""
        self.calls += 1
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            alternatives=[stt.SpeechData(language=LanguageCode("en"), text=text)],
        )
