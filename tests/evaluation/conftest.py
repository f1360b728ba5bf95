"""Shared fixtures: the embedding model loads once per test session."""

from __future__ import annotations

import pytest

from voicehire.evaluation.embedding import MiniLMEmbedder, get_embedder
from voicehire.evaluation.offline import OfflineScorer


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    return get_embedder()


@pytest.fixture(scope="session")
def offline_scorer(embedder: MiniLMEmbedder) -> OfflineScorer:
    return OfflineScorer(embedder)
