"""Meaning beyond shared words: static word embeddings, when the package is installed.

A learner who writes "we dropped the ball, that's on us" shares no content word with
"The cancellation was our mistake", yet means it. Static embeddings (WordLlama: a token
embedding table and an average, no neural network at run time) bring such replies
together in about a millisecond.

WordLlama ships its model inside its wheel, so nothing is downloaded: the table and the
tokenizer are read from the package folder directly, with ``tokenizers`` and
``safetensors`` (WordLlama's own dependencies), and no network client is ever imported.
Without the package the matcher uses words and stance alone (see ``roleplay.core.matching``).
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol


class Embedder(Protocol):
    """Turns texts into unit-length vectors; similar meanings have a high dot product."""

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class StaticEmbedder:
    """A token embedding table averaged over a text's tokens, then made unit length: what
    WordLlama computes, done here with its files but without importing its package (whose
    import configures the root logger and pulls in an HTTP client that probes sockets)."""

    def __init__(self, table: Any, tokenizer: Any) -> None:
        self._table = table
        self._tokenizer = tokenizer
        self._np = importlib.import_module("numpy")

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        np = self._np
        out: list[list[float]] = []
        for encoding in self._tokenizer.encode_batch(list(texts), add_special_tokens=False):
            ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, len(self._table) - 1)
            if len(ids) == 0:
                out.append([0.0] * self._table.shape[1])
                continue
            vector = self._table[ids].mean(axis=0)
            norm = float(np.linalg.norm(vector))
            out.append([float(x) / norm for x in vector] if norm > 0 else [0.0] * len(vector))
        return out


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Dot product of two unit vectors (clamped: rounding can step past 1)."""
    dot = math.fsum(x * y for x, y in zip(a, b, strict=True))
    return max(-1.0, min(1.0, dot))


_MODEL = "l2_supercat"
_DIM = 256


@cache
def default_embedder() -> Embedder | None:
    """WordLlama's bundled model, or None when the package is not installed or its files
    do not load (the matcher then works on words and stance alone). Set
    ``ROLEPLAY_MATCHER=words`` to leave it out on purpose."""
    if os.environ.get("ROLEPLAY_MATCHER", "").strip().lower() == "words":
        return None
    spec = importlib.util.find_spec("wordllama")  # finds the folder; runs none of its code
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        tokenizers = importlib.import_module("tokenizers")
        safetensors = importlib.import_module("safetensors")
        tokenizer = tokenizers.Tokenizer.from_file(
            str(folder / "tokenizers" / f"{_MODEL}_tokenizer_config.json")
        )
        tokenizer.no_padding()
        tokenizer.no_truncation()
        weights = folder / "weights" / f"{_MODEL}_{_DIM}.safetensors"
        with safetensors.safe_open(str(weights), framework="np", device="cpu") as f:
            table = f.get_tensor("embedding.weight").astype("float32")
    except Exception:  # a broken install must not stop a learner typing
        return None
    return StaticEmbedder(table, tokenizer)
