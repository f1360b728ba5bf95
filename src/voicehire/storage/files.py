"""Atomic file writes that leave nothing behind when they fail (a full disk included)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write_text(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` all or nothing: a temporary file in the same directory,
    fsynced, then renamed over the target. On any failure (ENOSPC, EIO, ...) the temporary
    file is removed and the error raised; the target keeps its previous content."""
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")  # encoding errors surface before anything is created
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
