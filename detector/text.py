"""Chinese text normalisation and tokenisation (OpenCC + jieba)."""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import jieba
import opencc

jieba.setLogLevel(logging.WARNING)

_SPACE = re.compile(r"\s+")
# Brackets and separators that carry no meaning inside an organisation name.
_NAME_PUNCT = re.compile(r"[\s()\[\]{}<>《》〈〉「」『』【】〔〕\"'`·•・.,，。;；:：!！?？、/\\|_~\-—–]+")
# Annotations appended to names of organisations being set up: 温州市鞋业协会（筹）.
_NAME_ANNOTATION = re.compile(r"[(（]\s*(筹|筹备|筹备组|拟|拟设|暂定名|暂名)\s*[)）]")
_SEPARATORS = re.compile(r"[;；\n]+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese."""
    return _t2s().convert(text)


def normalize_text(text: object) -> str:
    """Full-width → half-width (NFKC), traditional → simplified, whitespace collapsed.

    For free text such as business scopes: punctuation is kept (it separates phrases).
    """
    if text is None:
        return ""
    s = str(text)
    if not s or s.lower() == "nan":
        return ""
    s = unicodedata.normalize("NFKC", s)
    s = to_simplified(s)
    s = s.replace("\u3000", " ")
    return _SPACE.sub(" ", s).strip()


def normalize_name(name: object) -> str:
    """An organisation name in canonical form: ``溫州市 汽摩配（行業）協會`` → ``温州市汽摩配行业协会``.

    Bracket characters, punctuation and spaces are removed (their content is kept), set-up
    annotations such as ``（筹）`` are dropped, Latin letters are upper-cased.
    """
    s = normalize_text(name)
    s = _NAME_ANNOTATION.sub("", s)
    s = _NAME_PUNCT.sub("", s)
    return s.upper()


def split_items(text: object) -> list[str]:
    """Split a ``；``/``;``-separated list (services) into normalised, non-empty items."""
    return [item for item in (normalize_text(p) for p in _SEPARATORS.split(normalize_text(text))) if item]


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer with the industry vocabulary, region names and organisation forms added."""
    from .industry import jieba_words  # the taxonomy lives in models/, loaded lazily

    tok = jieba.Tokenizer()
    tok.initialize()
    for word, freq in jieba_words():
        tok.add_word(word, freq=freq)
    return tok


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
