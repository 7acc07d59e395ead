"""CSV bytes → text. The encodings a Chinese registry comes in, and nothing else: UTF-8 (BOM or not),
UTF-16 with a BOM (Excel's “Unicode 文本”), else GB18030/GBK or Big5 as charset-normalizer detects them,
accepted only when the decoded text reads as Chinese. When unsure the file is refused, never guessed.

Reading as Chinese: most non-ASCII characters are common hanzi or Chinese punctuation, and much of the
hanzi falls into words of jieba's dictionary. Text decoded with the wrong encoding fails one or both
(Big5 read as GB18030 gives rare hanzi and kana; Cyrillic read as GB18030 gives common hanzi in no word).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import charset_normalizer
import jieba

from ..errors import InputError
from ..text import to_simplified

LEGACY = ("gb18030", "big5")  # the legacy encodings of Chinese text that detection may choose between
COMMON_SHARE = 0.8  # of the non-ASCII characters, at least this share must be common Chinese characters
WORD_SHARE = 0.4  # of the hanzi, at least this share must fall in dictionary words (real registries: ≥ 0.85)
SAMPLE_CHARS = 50_000  # plausibility is judged on the start of the text
_HANZI = re.compile(r"[\u4e00-\u9fff]+")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_XLSX = b"PK\x03\x04"


@lru_cache(maxsize=1)
def common_chinese() -> frozenset[str]:
    """Characters of everyday Chinese text: the hanzi and punctuation of GB2312 (simplified) and the
    common hanzi and symbols of Big5 (traditional). Text decoded with the wrong encoding is mostly other
    characters (rare hanzi, kana, box drawing)."""
    def decoded(encoding: str, codes: range) -> set[str]:
        out = set()
        for code in codes:
            try:
                out.add(code.to_bytes(2, "big").decode(encoding))
            except UnicodeDecodeError:
                pass
        return out

    gb2312 = [range(hi << 8 | 0xA1, hi << 8 | 0xFF) for hi in (0xA1, 0xA3, *range(0xB0, 0xF8))]
    chars = set().union(*(decoded("gb2312", r) for r in gb2312))
    chars |= decoded("big5", range(0xA140, 0xA3C0)) | decoded("big5", range(0xA440, 0xC67F))
    return frozenset(chars)


def chinese_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese characters (1.0 when none)."""
    counts = Counter(ch for ch in text if ch > "\x7f")
    total = sum(counts.values())
    common = common_chinese()
    return sum(n for ch, n in counts.items() if ch in common) / total if total else 1.0


def word_share(text: str) -> float:
    """Share of the hanzi of ``text`` (made simplified) inside words of two or more characters of jieba's
    dictionary (1.0 when there is no hanzi)."""
    runs = _HANZI.findall(to_simplified(text))
    total = sum(map(len, runs))
    in_words = sum(len(w) for run in runs for w in jieba.cut(run, HMM=False) if len(w) > 1)
    return in_words / total if total else 1.0


def _plausibility(text: str) -> float | None:
    """How well ``text`` reads as Chinese (its word share), None when it does not."""
    sample = text[:SAMPLE_CHARS]
    if chinese_share(sample) < COMMON_SHARE:
        return None
    words = word_share(sample)
    return words if words >= WORD_SHARE else None


def _bad_utf8_line(data: bytes) -> int | None:
    """The first line that is not UTF-8 when most lines with non-ASCII bytes are: a UTF-8 file with a
    damaged row (1-based line number), else None (the file is in another encoding)."""
    good, first_bad, bad = 0, None, 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
            first_bad = first_bad or number
    return first_bad if good and bad <= good else None


def _legacy(data: bytes) -> str | None:
    """The text in the one legacy Chinese encoding that charset-normalizer proposes and that reads as
    Chinese; None when there is none, or more than one reads equally well."""
    readings = []
    for match in charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY)):
        try:
            text = data.decode(match.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        share = _plausibility(text)
        if share is not None:
            readings.append((share, text))
    readings.sort(key=lambda r: -r[0])
    if not readings or (len(readings) > 1 and readings[1][0] >= readings[0][0] - 0.05 and readings[1][1] != readings[0][1]):
        return None
    return readings[0][1]


def decode_csv(data: bytes, file: str) -> str:
    """CSV bytes → text (``file`` names it in errors); refuses binary content, NUL bytes and unsure encodings."""
    if not data.strip():
        raise InputError("文件为空", file)
    if data.startswith(_UTF16_BOMS):  # Excel's “Unicode 文本” export
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("无法按 UTF-16 解码文件", file) from exc
        if "\x00" in text:
            raise InputError("不是 CSV 文本文件（含 NUL 空字符）", file)
        return text
    if data.startswith(_XLSX):
        raise InputError("这是 Excel 工作簿而不是 CSV：请另存为 CSV，或直接传入 .xlsx 文件", file)
    if b"\x00" in data:
        raise InputError("不是 CSV 文本文件（含二进制内容或 NUL 空字符；UTF-16 文本须带 BOM，建议另存为 UTF-8）", file)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if (line := _bad_utf8_line(data)) is not None:
        raise InputError("该行不是有效的 UTF-8 文本（文件其余部分是 UTF-8）：请修正该行的字符后重新保存为 UTF-8", file, line)
    text = _legacy(data)
    if text is None:
        raise InputError("无法可靠识别文件编码（不是 UTF-8，也不像 GB18030/GBK 或 Big5 编码的中文）："
                         "请另存为 UTF-8 编码的 CSV", file)
    return text
