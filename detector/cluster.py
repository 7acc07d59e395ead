"""Consolidation groups from scored pairs (networkx components, split by average linkage)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import networkx as nx
import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

PairScorer = Callable[[Sequence[tuple[str, str]]], np.ndarray]


def similarity_graph(pairs: Iterable[tuple[str, str, float]], threshold: float) -> nx.Graph:
    """Graph of associations joined by pairs scoring at least ``threshold`` (edge attribute ``score``)."""
    g = nx.Graph()
    for a, b, s in pairs:
        if s >= threshold:
            g.add_edge(a, b, score=float(s))
    return g


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


def cluster(pairs: Sequence[tuple[str, str, float]], threshold: float, score: PairScorer) -> list[list[str]]:
    """Groups of ≥2 associations to consolidate, sorted by size then first id.

    ``pairs`` are the scored candidate pairs; ``score`` scores any pair inside a component that
    blocking did not produce, so the split sees the full picture.
    """
    g = similarity_graph(pairs, threshold)
    known = {frozenset((a, b)): float(s) for a, b, s in pairs}
    groups: list[list[str]] = []
    for comp in nx.connected_components(g):
        nodes = sorted(comp)
        groups.extend([nodes] if len(nodes) == 2 else _split(nodes, known, score, threshold))
    return sorted(groups, key=lambda grp: (-len(grp), grp[0]))
