"""Consolidation groups from scored pairs (connected components, split by average linkage)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components

from .arrays import positions

PairScorer = Callable[[Sequence[tuple[str, str]]], np.ndarray]


def _split(nodes: list[str], upper: np.ndarray, score: PairScorer, threshold: float) -> list[list[str]]:
    """Average-linkage clustering of one component: every group's mean pair score stays ≥ threshold,
    so one strong chain (A~B, B~C) does not glue A and C when A and C are unlike. ``upper``: the scores of
    the component's scored pairs above the diagonal (NaN where blocking gave none: those are scored here)."""
    i, j = np.triu_indices(len(nodes), k=1)
    known = upper[i, j]
    missing = np.flatnonzero(np.isnan(known))
    if len(missing):
        known[missing] = score([(nodes[a], nodes[b]) for a, b in zip(i[missing].tolist(), j[missing].tolist())])
    labels = fcluster(linkage(1.0 - known, method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[str]] = {}
    for node, label in zip(nodes, labels):
        groups.setdefault(int(label), []).append(node)
    return [sorted(g) for g in groups.values() if len(g) >= 2]


def _frame(pairs: pd.DataFrame | Sequence[tuple[str, str, float]]) -> pd.DataFrame:
    if isinstance(pairs, pd.DataFrame):
        return pairs
    return pd.DataFrame(list(pairs), columns=["id_a", "id_b", "score"]).astype({"score": float})


def cluster(pairs: pd.DataFrame | Sequence[tuple[str, str, float]], threshold: float,
            score: PairScorer) -> list[list[str]]:
    """Groups of ≥2 associations to consolidate, sorted by size then first id.

    ``pairs`` are the scored candidate pairs (a frame with ``id_a``, ``id_b``, ``score``, or ``(a, b, score)``
    triples): pairs scoring at least ``threshold`` join their associations into components. ``score`` scores
    any pair inside a component that blocking did not produce, so the split sees the full picture. Pairs are
    never held as Python objects: each component of three or more reads its pairs' scores into a matrix.
    """
    frame = _frame(pairs)
    s = frame["score"].to_numpy(dtype=float)
    strong = s >= threshold
    # the strong pairs' ends, coded in sorted order (np.unique's) without a Python string per end
    codes, nodes = pd.factorize(pd.concat([frame["id_a"][strong], frame["id_b"][strong]], ignore_index=True), sort=True)
    nodes = np.asarray(nodes, dtype=object)
    if not len(nodes):
        return []
    ca, cb = codes[: strong.sum()], codes[strong.sum() :]
    graph = sparse.coo_matrix((np.ones(len(ca)), (ca, cb)), shape=(len(nodes), len(nodes)))
    _, label = connected_components(graph, directed=False)
    size = np.bincount(label)
    # every pair (strong or not) between two nodes of one component of three or more: what the split reads
    index = pd.Index(nodes)
    ia, ib = positions(index, frame["id_a"]), positions(index, frame["id_b"])
    inside = (ia >= 0) & (ib >= 0)
    inside[inside] = (label[ia[inside]] == label[ib[inside]]) & (size[label[ia[inside]]] > 2)
    by_node = np.argsort(label, kind="stable")  # the nodes of each component, in node order
    first = np.r_[0, np.cumsum(size)[:-1]]
    local = np.empty(len(nodes), dtype=np.int64)
    local[by_node] = np.arange(len(nodes)) - first[label[by_node]]
    pa, pb, ps = ia[inside], ib[inside], s[inside]
    by_pair = np.argsort(label[pa], kind="stable")  # each component's pairs, in input order
    pair_first = np.searchsorted(label[pa][by_pair], np.arange(len(size)))
    groups: list[list[str]] = []
    for lab in range(len(size)):
        comp = nodes[by_node[first[lab] : first[lab] + size[lab]]].tolist()
        if len(comp) == 2:
            groups.append(comp)
            continue
        mine = by_pair[pair_first[lab] : pair_first[lab + 1] if lab + 1 < len(size) else len(by_pair)]
        la, lb = local[pa[mine]], local[pb[mine]]
        upper = np.full((len(comp), len(comp)), np.nan)
        upper[np.minimum(la, lb), np.maximum(la, lb)] = ps[mine]  # a pair listed twice: its last score
        groups.extend(_split(comp, upper, score, threshold))
    return sorted(groups, key=lambda grp: (-len(grp), grp[0]))
