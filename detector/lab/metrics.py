"""Evaluation metrics for duplicate groups: pairwise precision/recall/F1 and B-cubed."""
from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from ..accuracy import PRF, prf

__all__ = ["PRF", "bcubed", "group_pairs", "pairwise", "prf"]


def group_pairs(groups: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    """All unordered pairs inside each group."""
    return {frozenset(p) for g in groups for p in combinations(sorted(set(g)), 2)}


def pairwise(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> PRF:
    """Precision / recall / F1 over pairs of associations said to be duplicates."""
    tp = len(predicted & truth)
    return prf(tp, len(predicted - truth), len(truth - predicted))


def bcubed(predicted: Iterable[Iterable[str]], truth: Iterable[Iterable[str]], items: Iterable[str]) -> PRF:
    """B-cubed precision/recall/F1 over ``items``; an item in no group is a singleton."""
    def membership(groups: Iterable[Iterable[str]]) -> dict[str, frozenset[str]]:
        out = {}
        for g in groups:
            g = frozenset(g)
            for x in g:
                out[x] = g
        return out

    pred, gold = membership(predicted), membership(truth)
    items = list(items)
    if not items:
        return PRF(1.0, 1.0, 1.0)
    p_sum = r_sum = 0.0
    for x in items:
        px, gx = pred.get(x, frozenset((x,))), gold.get(x, frozenset((x,)))
        common = len(px & gx)
        p_sum += common / len(px)
        r_sum += common / len(gx)
    p, r = p_sum / len(items), r_sum / len(items)
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)
