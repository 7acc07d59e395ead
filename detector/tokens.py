"""Tokenisation with jieba and the domain vocabulary (industry words), for TF-IDF and highlighting.

The vocabulary comes from ``models/industries.toml``; :func:`vocabulary_hash` names it, so that cached
tokens (see :class:`detector.embed.EmbeddingCache`) are never reused after the vocabulary changes.
"""
from __future__ import annotations

import hashlib
import logging
from functools import lru_cache

import jieba

from .industry import jieba_words
from .text import normalize_text

jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer with the industry vocabulary added."""
    tok = jieba.Tokenizer()
    tok.initialize()
    for word, freq in jieba_words():
        tok.add_word(word, freq=freq)
    return tok


@lru_cache(maxsize=1)
def vocabulary_hash() -> str:
    """A short hash of the words added to jieba (and jieba's version): part of every token cache key."""
    words = "\n".join(f"{w}\t{f}" for w, f in jieba_words())
    return hashlib.sha1(f"{jieba.__version__}\n{words}".encode()).hexdigest()[:16]


_STOP = frozenset(
    "的 和 与 及 或 等 其 为 对 在 以 从 向 并 各 有关 相关 开展 提供 组织 进行 推动 促进 加强 "
    "服务 活动 工作 事项 业务 其他 依法 须经 批准 项目 经 相关 部门 后方 可 开展经营活动".split()
)


def tokenize(text: object, *, keep_stopwords: bool = False) -> list[str]:
    """Normalise and segment text with jieba; drops punctuation, digits and (by default) stop words."""
    s = normalize_text(text)
    out = []
    for tok in tokenizer().lcut(s, HMM=False):  # dictionary words only: fast and deterministic
        tok = tok.strip()
        if not tok or not any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in tok):
            continue
        if not keep_stopwords and tok in _STOP:
            continue
        out.append(tok)
    return out
