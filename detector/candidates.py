"""Blocking: candidate pairs from several cheap sources, never all pairs.

Sources (a bit each, so blocking recall can be reported per source):
nearest neighbours by scope/charter meaning and by name-core meaning, same region + industry,
same region + origin (异地商会), shared members (inverted index), similar name cores (rapidfuzz).
"""
from __future__ import annotations

from collections import defaultdict
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
    max_block: int = 150  # larger (region, industry) blocks rely on the other sources
    max_member_df: int = 40  # members in more associations than this are too common to block on
    min_core_ratio: float = 60.0
    chunk: int = 2048


def _cached(p: Profiles, key: tuple, build):
    """A lookup table derived from ``p``, built once (a registry is screened against many times)."""
    if key not in p.cache:
        p.cache[key] = build()
    return p.cache[key]


def _nonzero_rows(p: Profiles, attr: str) -> np.ndarray:
    return _cached(p, ("nonzero", attr), lambda: np.abs(getattr(p, attr)).sum(axis=1) > 0)


def _knn(left: Profiles, right: Profiles, attr: str, cfg: BlockingConfig, same: bool):
    """Exact top-k by cosine, in chunks (vectors are normalised; zero rows never match)."""
    a, b = getattr(left, attr), getattr(right, attr)
    if not len(a) or not len(b):
        return
    k = min(cfg.k + (1 if same else 0), len(b))
    has_right = _nonzero_rows(right, attr)
    for start in range(0, len(a), cfg.chunk):
        sims = a[start : start + cfg.chunk] @ b.T
        sims[:, ~has_right] = -1.0
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        rows = np.repeat(np.arange(len(top)), k)
        cols = top.ravel()
        keep = sims[rows, cols] >= cfg.min_cosine
        rows, cols = rows[keep] + start, cols[keep]
        if same:
            rows, cols = rows[rows != cols], cols[rows != cols]
        yield from zip(rows.tolist(), cols.tolist())


def _keys(p: Profiles, cols: tuple[str, str]) -> list[tuple]:
    return list(zip(p.frame[cols[0]], p.frame[cols[1]]))


def _block_index(p: Profiles, cols: tuple[str, str]) -> dict[tuple, list[int]]:
    def build() -> dict[tuple, list[int]]:
        index: dict[tuple, list[int]] = defaultdict(list)
        for j, key in enumerate(_keys(p, cols)):
            if all(key):
                index[key].append(j)
        return dict(index)

    return _cached(p, ("block", cols), build)


def _blocks(left: Profiles, right: Profiles, cols: tuple[str, str], cfg: BlockingConfig, same: bool):
    """Pairs sharing a block key, e.g. (region, industry); oversized blocks are left to other sources."""
    index = _block_index(right, cols)
    for i, key in enumerate(_keys(left, cols)):
        block = index.get(key) if all(key) else None
        if block and len(block) <= cfg.max_block:
            for j in block:
                if not (same and i == j):
                    yield i, j


def _member_index(p: Profiles) -> dict[str, list[int]]:
    def build() -> dict[str, list[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for j, keys in enumerate(p.members):
            for key in keys:
                index[key].append(j)
        return dict(index)

    return _cached(p, ("members",), build)


def _shared_members(left: Profiles, right: Profiles, cfg: BlockingConfig, same: bool):
    index = _member_index(right)
    for i, keys in enumerate(left.members):
        for key in keys:
            holders = index.get(key)
            if holders and len(holders) <= cfg.max_member_df:
                for j in holders:
                    if not (same and i == j):
                        yield i, j


def _by_region(p: Profiles) -> dict[str, tuple[list[int], list[str]]]:
    def build() -> dict[str, tuple[list[int], list[str]]]:
        rows: dict[str, list[int]] = defaultdict(list)
        for j, code in enumerate(p.frame["region_code"]):
            if code:
                rows[code].append(j)
        cores = p.frame["core_text"].tolist()
        return {code: (js, [cores[j] for j in js]) for code, js in rows.items()}

    return _cached(p, ("by_region",), build)


def _name_cores(left: Profiles, right: Profiles, cfg: BlockingConfig, same: bool):
    """Similar name cores within the same region (rapidfuzz, vectorised per region)."""
    right_regions = _by_region(right)
    for code, (rows, a) in _by_region(left).items():
        if code not in right_regions:
            continue
        cols, b = right_regions[code]
        scores = process.cdist(a, b, scorer=fuzz.ratio, score_cutoff=cfg.min_core_ratio, workers=-1)
        for r, c in zip(*np.nonzero(scores)):
            i, j = rows[r], cols[c]
            if not (same and i == j):
                yield i, j


def candidate_pairs(left: Profiles, right: Profiles | None = None,
                    cfg: BlockingConfig = BlockingConfig()) -> dict[tuple[int, int], int]:
    """Candidate pairs ``(i, j)`` → bitmask of the sources that proposed them.

    With ``right`` omitted, pairs within ``left`` (deduplication, ``i < j``), kept only inside one
    region (一业一会 never pairs two regions); otherwise ``i`` indexes ``left`` and ``j`` indexes
    ``right`` (screening applications against a registry), where other regions stay in so that
    the same industry at the other level can be shown as related.
    """
    same = right is None
    right = left if right is None else right
    sources = [
        (_knn(left, right, "desc_vec", cfg, same), KNN_DESC),
        (_knn(left, right, "core_vec", cfg, same), KNN_CORE),
        (_blocks(left, right, ("region_code", "block_industry"), cfg, same), SAME_INDUSTRY),
        (_blocks(left, right, ("region_code", "origin_code"), cfg, same), SAME_ORIGIN),
        (_shared_members(left, right, cfg, same), SHARED_MEMBERS),
        (_name_cores(left, right, cfg, same), NAME_CORE),
    ]
    parts_i, parts_j, parts_bit = [], [], []
    for pairs, bit in sources:
        ij = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
        parts_i.append(ij[:, 0])
        parts_j.append(ij[:, 1])
        parts_bit.append(np.full(len(ij), bit, dtype=np.int64))
    i, j, bits = (np.concatenate(x) for x in (parts_i, parts_j, parts_bit))
    if same:
        i, j = np.minimum(i, j), np.maximum(i, j)
        lr, rr = left.frame["region_code"].to_numpy(dtype=object), right.frame["region_code"].to_numpy(dtype=object)
        keep = (lr[i] == rr[j]) | (lr[i] == "") | (rr[j] == "")
        i, j, bits = i[keep], j[keep], bits[keep]
    keys = i * len(right) + j
    order = np.argsort(keys, kind="stable")
    keys, bits = keys[order], bits[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    merged = np.bitwise_or.reduceat(bits, starts) if len(keys) else bits
    uniq = keys[starts] if len(keys) else keys
    return dict(zip(zip((uniq // len(right)).tolist(), (uniq % len(right)).tolist()), merged.tolist()))
