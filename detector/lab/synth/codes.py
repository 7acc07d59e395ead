"""Unified social credit codes (GB 32100-2015) with a valid organisation code (GB 11714) inside."""
from __future__ import annotations

import numpy as np
import pandas as pd

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 character set (no I O Z S V)
_CODE_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)  # GB 11714 organisation code


def _org_value(chars: np.ndarray) -> np.ndarray:
    """GB 11714 values of ASCII codes: digits as is, letters A=10 … Z=35."""
    return np.where(chars <= ord("9"), chars - ord("0"), chars - ord("A") + 10)


def make_credit_codes(rng: np.random.Generator, kind: str, admin: np.ndarray, ma_share: float = 0.0) -> np.ndarray:
    """Valid 18-character codes: ``kind`` (``51`` social organisation, ``91`` enterprise) +
    six-digit admin code + nine-character organisation code (own GB 11714 check) + check char."""
    n = len(admin)
    out = np.zeros((n, 18), dtype=np.uint8)
    out[:, 0], out[:, 1] = ord(kind[0]), ord(kind[1])
    out[:, 2:8] = np.frombuffer("".join(admin).encode("ascii"), dtype=np.uint8).reshape(n, 6) if n else 0
    digits = np.frombuffer(b"0123456789", dtype=np.uint8)
    body = digits[rng.integers(0, 10, size=(n, 8))]
    if kind == "51":
        body[:, 0], body[:, 1] = ord("5"), ord("0")
    ma = rng.random(n) < ma_share
    if ma.any():  # post-2015 codes: MA + six characters from the code set
        letters = np.frombuffer(CODE_CHARS.encode("ascii"), dtype=np.uint8)
        body[ma, 0], body[ma, 1] = ord("M"), ord("A")
        body[ma, 2:] = letters[rng.integers(0, 31, size=(int(ma.sum()), 6))]
    c9 = 11 - (_org_value(body.astype(np.int64)) @ _ORG_WEIGHTS) % 11
    out[:, 8:16] = body
    out[:, 16] = np.where(c9 == 10, ord("X"), np.where(c9 == 11, ord("0"), ord("0") + c9 % 10))
    lut = np.full(128, -1, dtype=np.int64)
    for i, ch in enumerate(CODE_CHARS):
        lut[ord(ch)] = i
    s = lut[out[:, :17]] @ _CODE_WEIGHTS
    check = np.frombuffer(CODE_CHARS.encode("ascii"), dtype=np.uint8)[(31 - s % 31) % 31]
    out[:, 17] = check
    return np.array(out.view("S18").ravel().astype(str), dtype=object)


def unique_codes(rng: np.random.Generator, kind: str, admin: np.ndarray, ma_share: float = 0.0) -> np.ndarray:
    codes = make_credit_codes(rng, kind, admin, ma_share)
    for _ in range(20):
        dup = pd.Series(codes).duplicated().to_numpy()
        if not dup.any():
            break
        codes[dup] = make_credit_codes(rng, kind, admin[dup], ma_share)
    return codes
