"""The numpy MiniLM port behaves like the sentence-transformers model."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from voicehire.evaluation.embedding import (
    EmbeddingModelError,
    MiniLMEmbedder,
    default_model_dir,
)


def test_embeddings_are_unit_vectors_and_self_similar(embedder: MiniLMEmbedder) -> None:
    vecs = embedder.encode(["A cat sits on the mat.", "Databases store rows in tables."])
    assert vecs.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert embedder.similarity("A cat sits on the mat.", "A cat sits on the mat.") == (
        pytest.approx(1.0, abs=1e-5)
    )


def test_paraphrase_is_closer_than_unrelated_text(embedder: MiniLMEmbedder) -> None:
    q = "How do I reset my password?"
    paraphrase = embedder.similarity(q, "I forgot my password, how can I change it?")
    unrelated = embedder.similarity(q, "The weather is sunny at the beach today.")
    assert paraphrase > 0.7
    assert unrelated < 0.2


def test_padding_in_a_batch_does_not_change_an_embedding(embedder: MiniLMEmbedder) -> None:
    short = "Use an index."
    long = (
        "First I would measure latency with tracing, then look at the slowest database "
        "queries, add an index, and verify the fix with a load test."
    )
    alone = MiniLMEmbedder.encode(embedder, [short + " "])[0]  # a cache miss, batch of one
    together = embedder.encode([long + " x", short + " "])[1]
    assert np.allclose(alone, together, atol=1e-5)


def test_token_embeddings_carry_offsets_into_the_text(embedder: MiniLMEmbedder) -> None:
    text = "Caching reduces database load."
    (emb,) = embedder.token_embeddings([text])
    pieces = [text[a:b].lower() for a, b in emb.offsets]
    assert [t.removeprefix("##") for t in emb.tokens] == pieces  # word pieces, e.g. ca ##ching
    assert "".join(pieces[:-1]) == "cachingreducesdatabaseload"
    assert np.allclose(emb.sentence, embedder.encode(text), atol=1e-5)


def test_refuses_weights_that_are_not_the_pinned_file(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    shutil.copy(default_model_dir() / "tokenizer.json", model_dir / "tokenizer.json")
    (model_dir / "model.safetensors").write_bytes(b"not the real weights")
    with pytest.raises(EmbeddingModelError, match="sha256"):
        MiniLMEmbedder(model_dir)
