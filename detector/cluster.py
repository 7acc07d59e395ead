"""Consolidation groups from scored pairs (connected components, split by average linkage)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

PairScorer = Callable[[Sequence[tuple[str, str]]], np.ndarray]


def _split(nodes: list[str], known: dict[frozenset, float], score: PairScorer, threshold: float) -> list[list[str]]:
    """Average-linkage clustering of one component: every group's mean pair score stays ≥ threshold,
    so one strong chain (A~B, B~C) does not glue A and C when A and C are unlike."""
    missing = [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :] if frozenset((a, b)) not in known]
    if missing:
        known = {**known, **{frozenset(p): float(s) for p, s in zip(missing, score(missing))}}
    n = len(nodes)
    dist = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            dist[i, j] = dist[j, i] = 1.0 - known[frozenset((nodes[i], nodes[j]))]
    labels = fcluster(linkage(squareform(dist, checks=False), method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[str]] = {}
    for node, label in zip(nodes, labels):
        groups.setdefault(int(label), []).append(node)
    return [sorted(g) for g in groups.values() if len(g) >= 2]


def _columns(pairs: pd.DataFrame | Sequence[tuple[str, str, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(pairs, pd.DataFrame):
        return (pairs["id_a"].to_numpy(dtype=object), pairs["id_b"].to_numpy(dtype=object),
                pairs["score"].to_numpy(dtype=float))
    a, b, s = zip(*pairs) if len(pairs) else ((), (), ())
    return np.array(a, dtype=object), np.array(b, dtype=object), np.array(s, dtype=float)


def cluster(pairs: pd.DataFrame | Sequence[tuple[str, str, float]], threshold: float,
            score: PairScorer) -> list[list[str]]:
    """Groups of ≥2 associations to consolidate, sorted by size then first id.

    ``pairs`` are the scored candidate pairs (a frame with ``id_a``, ``id_b``, ``score``, or ``(a, b, score)``
    triples): pairs scoring at least ``threshold`` join their associations into components. ``score`` scores
    any pair inside a component that blocking did not produce, so the split sees the full picture. Only the
    pairs inside components of three or more are ever held as Python objects.
    """
    a, b, s = _columns(pairs)
    strong = s >= threshold
    nodes, codes = np.unique(np.concatenate([a[strong], b[strong]]).astype(str), return_inverse=True)
    if not len(nodes):
        return []
    ca, cb = codes[: strong.sum()], codes[strong.sum() :]
    graph = sparse.coo_matrix((np.ones(len(ca)), (ca, cb)), shape=(len(nodes), len(nodes)))
    _, label = connected_components(graph, directed=False)
    size = np.bincount(label)
    # every pair (strong or not) between two nodes of one component of three or more: what the split reads
    index = pd.Index(nodes)
    ia, ib = index.get_indexer(a.astype(str)), index.get_indexer(b.astype(str))
    inside = (ia >= 0) & (ib >= 0)
    inside[inside] = (label[ia[inside]] == label[ib[inside]]) & (size[label[ia[inside]]] > 2)
    known = {frozenset((x, y)): float(v) for x, y, v in zip(a[inside], b[inside], s[inside])}
    members: dict[int, list[str]] = {}
    for node, lab in zip(nodes.tolist(), label.tolist()):
        members.setdefault(lab, []).append(node)
    groups: list[list[str]] = []
    for comp in members.values():
        groups.extend([comp] if len(comp) == 2 else _split(comp, known, score, threshold))
    return sorted(groups, key=lambda grp: (-len(grp), grp[0]))
