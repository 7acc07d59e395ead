"""Blocking: candidate pairs from several cheap sources, never all pairs.

Sources (a bit each, so blocking recall can be reported per source):
nearest neighbours by scope/charter meaning and by name-core meaning, same region + industry,
same region + origin (异地商会), shared members (inverted index), similar name cores (rapidfuzz).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .profiles import Profiles

KNN_DESC, KNN_CORE, SAME_INDUSTRY, SAME_ORIGIN, SHARED_MEMBERS, NAME_CORE = (1, 2, 4, 8, 16, 32)
SOURCE_NAMES = {
    KNN_DESC: "业务范围语义近邻",
    KNN_CORE: "名称语义近邻",
    SAME_INDUSTRY: "同区域同行业",
    SAME_ORIGIN: "同区域同籍贯",
    SHARED_MEMBERS: "共有会员",
    NAME_CORE: "名称核心词相近",
}


@dataclass(frozen=True)
class BlockingConfig:
    k: int = 12  # neighbours per record and embedding
    min_cosine: float = 0.55
    max_block: int = 400  # larger (region, industry) blocks rely on the other sources
    max_member_df: int = 40  # members in more associations than this are too common to block on
    min_core_ratio: float = 60.0
    chunk: int = 2048


def _knn(left: np.ndarray, right: np.ndarray, cfg: BlockingConfig, same: bool) -> Iterable[tuple[int, int]]:
    """Exact top-k by cosine, in chunks (vectors are normalised; zero rows never match)."""
    if not len(left) or not len(right):
        return
    k = min(cfg.k + (1 if same else 0), len(right))
    has_right = np.abs(right).sum(axis=1) > 0
    for start in range(0, len(left), cfg.chunk):
        sims = left[start : start + cfg.chunk] @ right.T
        sims[:, ~has_right] = -1.0
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, cols in enumerate(top):
            i = start + r
            for j in cols:
                if sims[r, j] >= cfg.min_cosine and not (same and i == j):
                    yield i, int(j)


def _blocks(left_keys: list[tuple], right_keys: list[tuple], cfg: BlockingConfig, same: bool):
    index: dict[tuple, list[int]] = defaultdict(list)
    for j, key in enumerate(right_keys):
        if all(key):
            index[key].append(j)
    for i, key in enumerate(left_keys):
        block = index.get(key) if all(key) else None
        if block and len(block) <= cfg.max_block:
            for j in block:
                if not (same and i == j):
                    yield i, j


def _shared_members(left: Profiles, right: Profiles, cfg: BlockingConfig, same: bool):
    index: dict[str, list[int]] = defaultdict(list)
    for j, keys in enumerate(right.members):
        for key in keys:
            index[key].append(j)
    for i, keys in enumerate(left.members):
        for key in keys:
            holders = index.get(key)
            if holders and len(holders) <= cfg.max_member_df:
                for j in holders:
                    if not (same and i == j):
                        yield i, j


def _name_cores(left: Profiles, right: Profiles, cfg: BlockingConfig, same: bool):
    """Similar name cores within the same region (rapidfuzz, vectorised per region)."""
    lf, rf = left.frame, right.frame
    by_region: dict[str, list[int]] = defaultdict(list)
    for j, code in enumerate(rf["region_code"]):
        by_region[code].append(j)
    left_by_region: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(lf["region_code"]):
        left_by_region[code].append(i)
    for code, rows in left_by_region.items():
        cols = by_region.get(code)
        if not code or not cols:
            continue
        a = [lf["industry_core"].iat[i] or lf["name_norm"].iat[i] for i in rows]
        b = [rf["industry_core"].iat[j] or rf["name_norm"].iat[j] for j in cols]
        scores = process.cdist(a, b, scorer=fuzz.ratio, score_cutoff=cfg.min_core_ratio, workers=-1)
        for r, c in zip(*np.nonzero(scores)):
            i, j = rows[r], cols[c]
            if not (same and i == j):
                yield i, j


def candidate_pairs(left: Profiles, right: Profiles | None = None,
                    cfg: BlockingConfig = BlockingConfig()) -> dict[tuple[int, int], int]:
    """Candidate pairs ``(i, j)`` → bitmask of the sources that proposed them.

    With ``right`` omitted, pairs within ``left`` (deduplication, ``i < j``); otherwise ``i`` indexes
    ``left`` and ``j`` indexes ``right`` (screening applications against a registry).
    """
    same = right is None
    right = left if right is None else right
    lf, rf = left.frame, right.frame
    out: dict[tuple[int, int], int] = {}

    def add(pairs: Iterable[tuple[int, int]], bit: int) -> None:
        for i, j in pairs:
            key = (min(i, j), max(i, j)) if same else (i, j)
            out[key] = out.get(key, 0) | bit

    add(_knn(left.desc_vec, right.desc_vec, cfg, same), KNN_DESC)
    add(_knn(left.core_vec, right.core_vec, cfg, same), KNN_CORE)
    add(_blocks(list(zip(lf["region_code"], lf["industry_key"])), list(zip(rf["region_code"], rf["industry_key"])),
                cfg, same), SAME_INDUSTRY)
    add(_blocks(list(zip(lf["region_code"], lf["origin_code"])), list(zip(rf["region_code"], rf["origin_code"])),
                cfg, same), SAME_ORIGIN)
    add(_shared_members(left, right, cfg, same), SHARED_MEMBERS)
    add(_name_cores(left, right, cfg, same), NAME_CORE)
    return out
