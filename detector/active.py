"""Active learning (``detector label``): the pairs whose labels would teach the model most.

Among the registry's candidate pairs that the policy gates leave open (a gate decides the others, and no
label overturns it), a pair teaches the most when the model could be wrong about it: its probability is
near the group threshold *given how much the registry may differ from the shipped model*. That spread is
the posterior of the learned coefficients (prior: the shipped model, strength ``l2``; updated by the labels
already given), so a confident pair whose evidence the labels have not covered yet (say, a 商会 against a
行业协会 of one industry) still comes up, and a pair like one just labelled does not. Picks are made one
by one, each lowering the spread of pairs like it, spread over pair kinds, regions and industries, and
alternating between pairs the model calls duplicates and pairs it does not (duplicates are rare among
candidates; without them a label set cannot show what a change costs).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import logit
from scipy.stats import norm

from .features import many_shared_members
from .industry import DIFFERENT, RELATED, SAME, get as get_industry
from .profiles import Profiles
from .scoring import Scorer, design_matrix

INDUSTRY_ZH = {SAME: "同行业", RELATED: "相关行业", DIFFERENT: "不同行业"}
LABEL_INFORMATION = 0.25  # the Fisher information of one label at p = 1/2: what a pick teaches, at most


def pair_kind(f: dict) -> str:
    """What kind of pair this is, in Chinese: industry relation (or same-origin 异地商会) × organisation
    types × many shared members; policy-gated pairs are named by their gate."""
    if f.get("gate_reason"):
        return f"政策规则：{f['gate_reason']}"
    subject = "同籍贯异地商会" if f.get("origin_rel") == SAME else INDUSTRY_ZH.get(f.get("industry_rel"), "行业不明")
    parts = [subject, "同类型" if f.get("type_same") else "类型不同"]
    if many_shared_members(float(f.get("shared_members", 0) or 0), float(f.get("member_cont", np.nan))):
        parts.append("共有会员多")
    return "·".join(parts)


def pair_kinds(f: pd.DataFrame) -> list[str]:
    columns = [c for c in ("gate_reason", "origin_rel", "industry_rel", "type_same", "shared_members", "member_cont")
               if c in f.columns]
    return [pair_kind(dict(zip(columns, row))) for row in zip(*(f[c].to_numpy(dtype=object) for c in columns))]


def _augmented(scorer: Scorer, f: pd.DataFrame) -> np.ndarray:
    """Standardised design matrix with a column of ones (the intercept is learned too)."""
    z = scorer.standardise(design_matrix(f)) if len(f) else np.zeros((0, len(scorer.features)))
    return np.column_stack([z, np.ones(len(z))])


def posterior_covariance(scorer: Scorer, labelled: pd.DataFrame, l2: float) -> np.ndarray:
    """Laplace approximation: (l2 · I + Σ p(1−p) z zᵀ)⁻¹ over the labelled gate-open pairs."""
    z = _augmented(scorer, labelled)
    p = scorer.probability(design_matrix(labelled)) if len(labelled) else np.zeros(0)
    h = l2 * np.eye(z.shape[1]) + (z * (p * (1 - p))[:, None]).T @ z
    return np.linalg.inv(h)


@dataclass(frozen=True)
class Pick:
    row: int  # position in the candidate frame
    probability: float
    uncertainty: float  # the chance that the model is on the wrong side of the threshold
    kind: str


def select(candidates: pd.DataFrame, scorer: Scorer, threshold: float, n: int, labelled: pd.DataFrame | None = None,
           l2: float = 1.0, exclude: set[frozenset[str]] | None = None) -> list[Pick]:
    """Up to ``n`` gate-open candidate pairs to label, most informative first (see the module docstring).

    ``candidates``: scored pairs (pair features, ``gate_reason``); ``labelled``: the gate-open pairs already
    labelled (their features); ``exclude``: pairs not to ask again (``frozenset({id_a, id_b})``).
    """
    exclude = exclude or set()
    keys = [frozenset(p) for p in zip(candidates["id_a"], candidates["id_b"])]
    ok = (candidates["gate_reason"].to_numpy() == "") & np.array([k not in exclude for k in keys], dtype=bool)
    rows = np.flatnonzero(ok)
    if not len(rows) or n <= 0:
        return []
    pool = candidates.iloc[rows]
    z = _augmented(scorer, pool)
    p = np.clip(scorer.probability(design_matrix(pool)), 1e-12, 1 - 1e-12)
    margin = np.abs(logit(p) - logit(np.clip(threshold, 1e-6, 1 - 1e-6)))
    cov = posterior_covariance(scorer, labelled if labelled is not None else pool.iloc[0:0], l2)
    kinds = pair_kinds(pool)
    strata = {"kind": kinds, "region": _region(pool), "industry": _industry(pool)}
    seen: dict[str, dict[str, int]] = {name: {} for name in strata}
    chosen: list[Pick] = []
    taken = np.zeros(len(pool), dtype=bool)
    positive = p >= threshold
    n_positive = 0
    for _ in range(min(n, len(pool))):
        spread = np.einsum("ij,jk,ik->i", z, cov, z)
        u = norm.cdf(-margin / np.sqrt(1.0 + spread))
        crowd = np.array([1.0 + seen["kind"].get(k, 0) + 0.5 * (seen["region"].get(r, 0) + seen["industry"].get(i, 0))
                          for k, r, i in zip(strata["kind"], strata["region"], strata["industry"])])
        value = np.where(taken, -1.0, u / crowd)
        side = positive if 2 * n_positive <= len(chosen) else ~positive  # alternate the two sides
        if (side & ~taken).any():
            value = np.where(side, value, -1.0)
        best = int(np.argmax(value))
        taken[best] = True
        chosen.append(Pick(int(rows[best]), float(p[best]), float(u[best]), kinds[best]))
        n_positive += bool(positive[best])
        for name, values in strata.items():
            seen[name][values[best]] = seen[name].get(values[best], 0) + 1
        zb = z[best]
        cz = cov @ zb
        cov = cov - np.outer(cz, cz) * LABEL_INFORMATION / (1.0 + LABEL_INFORMATION * zb @ cz)
    return chosen


def _region(f: pd.DataFrame) -> list[str]:
    return [str(a) for a in f["region_code_a"]] if "region_code_a" in f.columns else [""] * len(f)


def _industry(f: pd.DataFrame) -> list[str]:
    return [str(a or b) for a, b in zip(f["industry_a"], f["industry_b"])]


# The queue file: FORMAT.md's id_a, id_b, name_a, name_b, score, label first (label empty, to fill in).
QUEUE_COLUMNS = ("id_a", "id_b", "name_a", "name_b", "score", "label", "kind", "region_a", "region_b", "type_a",
                 "type_b", "industry_a", "industry_b", "scope_a", "scope_b", "shared_members", "reviewer", "note")


def with_regions(pairs: pd.DataFrame, p: Profiles) -> pd.DataFrame:
    """Pairs within one registry with the region code of their first side (for spreading the queue)."""
    return pairs.assign(region_code_a=p.column("region_code")[pairs["i"].to_numpy(dtype=int)])


def queue(p: Profiles, pairs: pd.DataFrame, scorer: Scorer, threshold: float, n: int,
          labelled: pd.DataFrame | None = None, l2: float = 1.0, skip: set[frozenset[str]] | None = None) -> pd.DataFrame:
    """The labelling queue of a registry (profiles ``p``, its scored candidate ``pairs``): ``n`` pairs as
    :data:`QUEUE_COLUMNS`. Labelled pairs (``labelled``: their features) and ``skip`` pairs (answered
    不确定) are left out."""
    labelled = labelled if labelled is not None else pairs.iloc[0:0]
    exclude = {frozenset(k) for k in zip(labelled["id_a"], labelled["id_b"])} | (skip or set())
    open_labelled = labelled[labelled["gate_reason"] == ""] if len(labelled) else labelled
    picks = select(with_regions(pairs, p), scorer, threshold, n, open_labelled, l2, exclude)
    chosen = pairs.iloc[[k.row for k in picks]]
    i, j = chosen["i"].to_numpy(dtype=int), chosen["j"].to_numpy(dtype=int)

    def col(name: str, rows: np.ndarray) -> np.ndarray:
        return p.column(name)[rows] if name in p.frame.columns else np.full(len(rows), "", dtype=object)

    industry = {key: get_industry(key).name for key in set(col("industry_key", i)) | set(col("industry_key", j)) if key}
    return pd.DataFrame({
        "id_a": col("id", i), "id_b": col("id", j), "name_a": col("name", i), "name_b": col("name", j),
        "score": [round(k.probability, 4) for k in picks], "label": "", "kind": [k.kind for k in picks],
        "region_a": col("region_name", i), "region_b": col("region_name", j),
        "type_a": col("eff_type", i), "type_b": col("eff_type", j),
        "industry_a": [industry.get(k, "") for k in col("industry_key", i)],
        "industry_b": [industry.get(k, "") for k in col("industry_key", j)],
        "scope_a": col("scope", i), "scope_b": col("scope", j),
        "shared_members": chosen["shared_members"].astype(int).to_numpy(), "reviewer": "", "note": "",
    }, columns=list(QUEUE_COLUMNS))
