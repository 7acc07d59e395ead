"""Blocking: candidate pairs from several cheap sources, never all pairs.

Sources (a bit each, so blocking recall can be reported per source):
nearest neighbours by scope/charter meaning and by name-core meaning, same region + industry,
same region + origin (异地商会), shared members (inverted index), similar name cores (rapidfuzz).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .arrays import positions
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


Pairs = tuple[np.ndarray, np.ndarray]  # (i, j) row arrays, one entry per proposed pair


_COSINE_STEP = 1e-4  # neighbours are ranked on cosines rounded to this: two partitions of the rows agree
SAMPLE = 2048  # columns whose k-th best bounds a row's k-th best from below


def _top_k(sims: np.ndarray, k: int) -> Pairs:
    """(row, column) of each row's k best columns, the set ``np.argpartition`` picks. Only the columns at least
    as good as the k-th best of the first :data:`SAMPLE` (a lower bound) are ranked; a row whose k-th and
    (k+1)-th best tie (the set is not unique) takes argpartition's own pick."""
    n_rows, n = sims.shape
    if n <= SAMPLE:
        return np.repeat(np.arange(n_rows), k), np.argpartition(-sims, k - 1, axis=1)[:, :k].ravel()
    bound = -np.partition(-sims[:, :SAMPLE], k - 1, axis=1)[:, k - 1]
    rows, cols = np.nonzero(sims >= bound[:, None])
    values = sims[rows, cols]
    order = np.lexsort((-values, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    counts = np.bincount(rows, minlength=n_rows)  # ≥ k each: the sample holds k columns at the bound or above
    starts = np.cumsum(counts) - counts
    more = np.flatnonzero(counts > k)
    tie = np.zeros(n_rows, dtype=bool)
    tie[more] = values[starts[more] + k - 1] == values[starts[more] + k]
    pick = (np.arange(len(rows)) - starts[rows] < k) & ~tie[rows]
    tied = np.flatnonzero(tie)
    top = np.argpartition(-sims[tied], k - 1, axis=1)[:, :k].ravel()
    return np.concatenate([rows[pick], np.repeat(tied, k)]), np.concatenate([cols[pick], top])


def _nearest(a: np.ndarray, b: np.ndarray, has_b: np.ndarray, k: int, floor: float) -> Pairs:
    """(row of ``a``, row of ``b``) for each query's close columns: all of them when at most ``k`` reach ``floor``,
    else its top ``k``. Cosines that differ in the last bits (a matrix product's order of summation depends on its
    shape and BLAS threads) rank alike, so every partition of the rows finds the same neighbours."""
    sims = a @ b.T
    sims[:, ~has_b] = -1.0
    np.rint(np.multiply(sims, 1 / _COSINE_STEP, out=sims), out=sims)  # in steps: last bits never rank
    close = sims >= floor
    crowded = np.flatnonzero(close.sum(axis=1) > k)
    if len(crowded) < len(sims):
        close[crowded] = False
        rows, cols = np.nonzero(close)
    else:
        rows = cols = np.zeros(0, dtype=np.int64)
    at, top = _top_k(sims if len(crowded) == len(sims) else sims[crowded], k)
    return np.concatenate([rows, crowded[at]]), np.concatenate([cols, top])


def _region_parts(left: Profiles, right: Profiles) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """(rows of ``left``, the rows of ``right`` they may pair with) per region: a region's rows with that region's
    and the regionless rows; regionless rows with every row (``None``)."""
    lr, rr = left.column("region_code"), right.column("region_code")
    index = right.derived(("region_rows",), lambda: _postings(np.arange(len(rr)), rr.astype(object)))
    blank = _holders(index, "")
    codes, uniques = pd.factorize(lr.astype(object))
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(uniques)))
    for code, rows in zip(uniques, np.split(order, bounds[:-1])):
        yield rows, (None if code == "" else np.sort(np.concatenate([_holders(index, code), blank])))


def _knn(left: Profiles, right: Profiles, attr: str, cfg: BlockingConfig, same: bool, local: bool) -> Iterator[Pairs]:
    """Exact top-k by cosine in chunks of queries (vectors are normalised; zero rows never match); ``local``: each
    row's neighbours are sought among the rows of its own region only (:func:`_region_parts`)."""
    a, b = getattr(left, attr), getattr(right, attr)
    if not len(a) or not len(b):
        return
    has_right = right.nonzero_rows(attr)
    floor = np.rint(cfg.min_cosine / _COSINE_STEP)
    parts = _region_parts(left, right) if local else [(np.arange(len(a)), None)]
    for rows, cols in parts:
        bb, has = (b, has_right) if cols is None else (b[cols], has_right[cols])
        k = min(cfg.k + (1 if same else 0), len(bb))
        if not k:
            continue
        for start in range(0, len(rows), cfg.chunk):
            q = rows[start : start + cfg.chunk]
            r, c = _nearest(a[q], bb, has, k, floor)
            i, j = q[r], (c if cols is None else cols[c])
            yield (i[i != j], j[i != j]) if same else (i, j)


@dataclass(frozen=True)
class _Postings:
    """An inverted index as arrays: the rows holding each key, grouped by key (``keys[c]`` is code ``c``)."""

    keys: pd.Index
    rows: np.ndarray  # rows sorted by key code
    starts: np.ndarray  # per code: where its rows start in ``rows``
    counts: np.ndarray  # per code: how many rows hold it


def _postings(rows: np.ndarray, keys: np.ndarray) -> _Postings:
    # codes in order of first appearance: sorting 300,000 member keys took 0.4 s of a screening, and the pairs
    # a join gives follow the probing rows and each key's rows, never the codes' order
    codes, uniques = pd.factorize(keys)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(uniques))
    return _Postings(pd.Index(uniques), rows[order], np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)


def _holders(index: _Postings, key: str) -> np.ndarray:
    """The rows holding ``key`` (none if no row does)."""
    at = index.keys.get_indexer([key])[0]
    return index.rows[index.starts[at] : index.starts[at] + index.counts[at]] if at >= 0 else index.rows[:0]


def _join(rows: np.ndarray, keys: np.ndarray, index: _Postings, max_holders: int, same: bool) -> Pairs:
    """Pairs (``rows[n]``, a row of ``index`` holding ``keys[n]``) for keys held by at most ``max_holders`` rows
    (vectorised: a ragged repeat, no Python loop over pairs); ``same``: not a row with itself."""
    codes = positions(index.keys, keys)
    found = codes >= 0
    rows, codes = rows[found], codes[found]
    n = index.counts[codes]
    small = n <= max_holders
    rows, codes, n = rows[small], codes[small], n[small]
    i = np.repeat(rows, n)
    offset = np.arange(len(i)) - np.repeat(np.cumsum(n) - n, n)
    j = index.rows[np.repeat(index.starts[codes], n) + offset]
    if same:
        i, j = i[i != j], j[i != j]
    return i, j


def _block_keys(p: Profiles, cols: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose two block columns are both given, and their block key."""
    a, b = p.column(cols[0]).astype(str), p.column(cols[1]).astype(str)
    rows = np.flatnonzero((a != "") & (b != ""))
    return rows, np.char.add(np.char.add(a[rows], "\x1f"), b[rows]).astype(object)


def _blocks(left: Profiles, right: Profiles, cols: tuple[str, str], cfg: BlockingConfig, same: bool) -> Iterator[Pairs]:
    """Pairs sharing a block key, e.g. (region, industry); oversized blocks are left to other sources."""
    index = right.derived(("block", cols), lambda: _postings(*_block_keys(right, cols)))
    yield _join(*_block_keys(left, cols), index, cfg.max_block, same)


def _member_rows(p: Profiles) -> tuple[np.ndarray, np.ndarray]:
    """(row, member key) for every member of every row (the member table's first row of each)."""
    t = p.member_table
    rows = positions(pd.Index(p.frame["id"]), t.aid)
    keep = t.first_rows & (rows >= 0) if len(t) else rows >= 0
    return rows[keep], t.key[keep]


def _shared_members(left: Profiles, right: Profiles, cfg: BlockingConfig, same: bool) -> Iterator[Pairs]:
    index = right.derived(("members",), lambda: _postings(*_member_rows(right)))
    yield _join(*_member_rows(left), index, cfg.max_member_df, same)


def _by_region(p: Profiles) -> dict[str, tuple[np.ndarray, list[str]]]:
    def build() -> dict[str, tuple[np.ndarray, list[str]]]:
        rows: dict[str, list[int]] = defaultdict(list)
        for j, code in enumerate(p.frame["region_code"]):
            if code:
                rows[code].append(j)
        cores = p.frame["core_text"].tolist()
        return {code: (np.array(js), [cores[j] for j in js]) for code, js in rows.items()}

    return p.derived(("by_region",), build)


def _name_cores(left: Profiles, right: Profiles, cfg: BlockingConfig, same: bool) -> Iterator[Pairs]:
    """Similar name cores within the same region (rapidfuzz, vectorised per region)."""
    right_regions = _by_region(right)
    for code, (rows, a) in _by_region(left).items():
        if code not in right_regions:
            continue
        cols, b = right_regions[code]
        r, c = np.nonzero(process.cdist(a, b, scorer=fuzz.ratio, score_cutoff=cfg.min_core_ratio, workers=-1))
        i, j = rows[r], cols[c]
        yield (i[i != j], j[i != j]) if same else (i, j)


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs as arrays, sorted by ``(i, j)``: ``sources`` is the bitmask of the sources that proposed each."""

    i: np.ndarray
    j: np.ndarray
    sources: np.ndarray


def candidates(left: Profiles, right: Profiles | None = None, cfg: BlockingConfig = BlockingConfig(),
               local: bool | None = None) -> Candidates:
    """Candidate pairs ``(i, j)`` with the sources that proposed them.

    With ``right`` omitted, pairs within ``left`` (deduplication, ``i < j``), kept only inside one
    region (一业一会 never pairs two regions); otherwise ``i`` indexes ``left`` and ``j`` indexes
    ``right`` (screening applications against a registry), where other regions stay in so that
    the same industry at the other level can be shown as related. ``local`` (default: when deduplicating) seeks
    meaning neighbours within each row's region only, so the work grows with the regions' sizes, not the registry's.
    """
    same = right is None
    local = same if local is None else local
    right = left if right is None else right
    meaning = [_knn(left, right, "desc_vec", cfg, same, local), _knn(left, right, "core_vec", cfg, same, local)]
    if not same:
        # screening: a few queries against every vector of the registry, a product bound by memory reads (the
        # 100,000 × 512 floats of each kind): the two run side by side
        with ThreadPoolExecutor(2) as pool:
            meaning = list(pool.map(list, meaning))
    sources = [
        (meaning[0], KNN_DESC),
        (meaning[1], KNN_CORE),
        (_blocks(left, right, ("region_code", "block_industry"), cfg, same), SAME_INDUSTRY),
        (_blocks(left, right, ("region_code", "origin_code"), cfg, same), SAME_ORIGIN),
        (_shared_members(left, right, cfg, same), SHARED_MEMBERS),
        (_name_cores(left, right, cfg, same), NAME_CORE),
    ]
    # each source's pairs as keys i·n + j, its own repeats dropped as they come (a pair per shared member): never
    # all sources' raw pairs at once
    keys, bits = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.uint8)]
    lr, rr = left.column("region_code"), right.column("region_code")
    for pairs, bit in sources:
        for i, j in pairs:
            i, j = i.astype(np.int64), j.astype(np.int64)
            if same:
                i, j = np.minimum(i, j), np.maximum(i, j)
                keep = (lr[i] == rr[j]) | (lr[i] == "") | (rr[j] == "")
                i, j = i[keep], j[keep]
            keys.append(np.unique(i * len(right) + j))
            bits.append(np.full(len(keys[-1]), bit, dtype=np.uint8))
    return merge_pairs(np.concatenate(keys), np.concatenate(bits), len(right))


def merge_pairs(keys: np.ndarray, bits: np.ndarray, n: int) -> Candidates:
    """One candidate per pair key (``i * n + j``), sorted by key, with the sources of all its proposals OR-ed."""
    order = np.argsort(keys, kind="stable")
    keys, bits = keys[order], bits[order]
    if not len(keys):
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, empty)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    uniq = keys[starts]
    return Candidates(uniq // n, uniq % n, np.bitwise_or.reduceat(bits, starts).astype(np.int64))


def candidate_pairs(left: Profiles, right: Profiles | None = None,
                    cfg: BlockingConfig = BlockingConfig()) -> dict[tuple[int, int], int]:
    """:func:`candidates` as a mapping ``(i, j)`` → sources (small sets: tests, inspection)."""
    c = candidates(left, right, cfg)
    return dict(zip(zip(c.i.tolist(), c.j.tolist()), c.sources.tolist()))
