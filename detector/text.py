"""Chinese text normalisation and tokenisation (OpenCC + jieba)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
import pandas as pd

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


def cell(value: object) -> str:
    """A table cell as stripped text; missing (None, NaN, NA, NaT) → ""."""
    if isinstance(value, str):
        return value.strip()
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()
