"""Accuracy arithmetic: precision / recall / F1 with 95% Wilson intervals, calibration (reliability curve,
expected calibration error, Brier score) and the precision/recall curve over a threshold.

Pure functions on arrays; what is measured (a registry's labels, generated truth) is the caller's business.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054
ECE_BINS = 10


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    tp: int = 0
    fp: int = 0
    fn: int = 0


def prf(tp: int, fp: int, fn: int) -> PRF:
    """Precision / recall / F1 from counts (1.0 when nothing was predicted, or nothing was there to find)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(p, r, f, tp, fp, fn)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default); (0, 1) when ``n`` is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    """A measured proportion with its 95% Wilson interval."""

    hits: int
    n: int

    @property
    def value(self) -> float | None:
        return self.hits / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.hits, self.n)

    def text(self) -> str:
        """87.5%（7/8，95% 区间 52.9%–97.8%）; 无数据 when there is nothing to measure."""
        if not self.n:
            return "无数据"
        lo, hi = self.interval
        return f"{self.value:.1%}（{self.hits}/{self.n}，95% 区间 {lo:.1%}–{hi:.1%}）"

    def to_json(self) -> dict:
        lo, hi = self.interval
        return {"value": None if self.value is None else round(self.value, 4), "hits": self.hits, "n": self.n,
                "ci95": [round(lo, 4), round(hi, 4)]}


@dataclass(frozen=True)
class Confusion:
    """Predicted duplicate (``pred``) against labelled duplicate (``label``) over labelled pairs."""

    tp: int
    fp: int
    fn: int
    tn: int

    @classmethod
    def of(cls, pred: np.ndarray, label: np.ndarray) -> "Confusion":
        pred, label = np.asarray(pred, dtype=bool), np.asarray(label, dtype=bool)
        return cls(int((pred & label).sum()), int((pred & ~label).sum()), int((~pred & label).sum()),
                   int((~pred & ~label).sum()))

    @property
    def precision(self) -> Rate:
        return Rate(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> Rate:
        return Rate(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return prf(self.tp, self.fp, self.fn).f1

    @property
    def errors(self) -> int:
        return self.fp + self.fn

    def to_json(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "precision": self.precision.to_json(),
                "recall": self.recall.to_json(), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class Reliability:
    """The reliability curve: per probability bin, the number of pairs, their mean probability and the
    share that are duplicates; the expected calibration error (ECE) and the Brier score."""

    edges: np.ndarray
    count: np.ndarray
    mean_p: np.ndarray  # NaN for an empty bin
    observed: np.ndarray  # NaN for an empty bin
    ece: float
    brier: float
    n: int

    def to_json(self) -> dict:
        def clean(values: np.ndarray) -> list:
            return [None if np.isnan(v) else round(float(v), 4) for v in values]

        return {"bins": [round(float(e), 4) for e in self.edges], "count": self.count.astype(int).tolist(),
                "mean_p": clean(self.mean_p), "observed": clean(self.observed), "ece": round(self.ece, 4),
                "brier": round(self.brier, 4), "n": self.n}


def reliability(p: np.ndarray, y: np.ndarray, bins: int = ECE_BINS) -> Reliability:
    """Equal-width bins over [0, 1]; ECE = Σ (bin share) × |mean probability − observed share|."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip((p * bins).astype(int), 0, bins - 1)
    count = np.bincount(which, minlength=bins).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(which, weights=p, minlength=bins) / count
        observed = np.bincount(which, weights=y, minlength=bins) / count
    used = count > 0
    n = len(p)
    ece = float((count[used] / n * np.abs(mean_p[used] - observed[used])).sum()) if n else 0.0
    brier = float(np.mean((p - y) ** 2)) if n else 0.0
    return Reliability(edges, count, mean_p, observed, ece, brier, n)


def log_loss(p: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> float:
    """Mean negative log-likelihood, probabilities clipped to [eps, 1 − eps] (one certain mistake stays finite)."""
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))) if len(p) else 0.0


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    precision: float | None  # None when nothing scores at or above the threshold
    recall: float | None  # None when no pair is labelled a duplicate
    predicted: int


def pr_curve(scores: np.ndarray, y: np.ndarray, thresholds: np.ndarray | None = None) -> list[CurvePoint]:
    """Precision and recall of "score ≥ t" on labelled pairs, for each threshold ``t`` (default 0.05 … 0.95)."""
    scores, y = np.asarray(scores, dtype=float), np.asarray(y, dtype=bool)
    grid = np.round(np.linspace(0.05, 0.95, 19), 2) if thresholds is None else thresholds
    out = []
    for t in grid:
        pred = scores >= t
        tp = int((pred & y).sum())
        out.append(CurvePoint(float(t), tp / pred.sum() if pred.any() else None, tp / y.sum() if y.any() else None,
                              int(pred.sum())))
    return out
