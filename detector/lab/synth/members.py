"""Memberships: which enterprises and individuals join each association, and their roles (bigger firms lead)."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd

from ...regions import COUNTY, PREFECTURE, PROVINCE
from .associations import Assoc
from .firms import Firms
from .geo import Geo, Place
from .slots import ACAD, GEN, IND, ORIG
from .vocab import Vocab


def _weighted_sample(rng: np.random.Generator, cand: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct items drawn with probability ∝ weight (Efraimidis–Spirakis), in draw order."""
    if k <= 0 or len(cand) == 0:
        return cand[:0]
    if k >= len(cand):
        return cand[rng.permutation(len(cand))]
    keys = np.log(rng.random(len(cand))) / np.maximum(weights, 1e-12)
    top = np.argpartition(-keys, k - 1)[:k]
    return cand[top[np.argsort(-keys[top], kind="stable")]]


def _from_units(f: Firms, ind: int, unit_w: np.ndarray, n_units: int) -> tuple[np.ndarray, np.ndarray]:
    units = np.flatnonzero(unit_w > 0)
    parts, weights = [], []
    for u in units:
        s, e = f.ind_unit_off[ind * n_units + u], f.ind_unit_off[ind * n_units + u + 1]
        if e > s:
            parts.append(f.by_ind_unit[s:e])
            weights.append(np.full(e - s, unit_w[u] / (e - s)))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(parts), np.concatenate(weights)


def _any_in_units(f: Firms, unit_w: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k enterprises of any industry (with repeats) registered in units drawn by weight."""
    sizes = np.diff(f.unit_off).astype(float)
    w = unit_w * (sizes > 0)
    if k <= 0 or w.sum() <= 0:
        return np.zeros(0, dtype=np.int64)
    u = rng.choice(len(w), size=k, p=w / w.sum())
    return f.by_unit[f.unit_off[u] + (rng.random(k) * sizes[u]).astype(np.int64)]


def _roles(rng: np.random.Generator, rnd: random.Random, scores: np.ndarray) -> np.ndarray:
    """Role codes (index into :data:`detector.io.ROLES`) by rank of a noisy size score: bigger firms lead."""
    m = len(scores)
    order = np.argsort(-(scores + rng.gumbel(0, 1.0, size=m)), kind="stable")
    roles = np.full(m, 6, dtype=np.int8)
    if m == 0:
        return roles
    seq = [0]
    if m >= 8:
        seq += [1] * rnd.randint(0, 2)
    seq += [2] * max(1, min(12, round(m * rnd.uniform(0.06, 0.16))))
    if m >= 6:
        seq += [3]
    seq += [5] * round(m * rnd.uniform(0.1, 0.3))
    seq = seq[:m]
    roles[order[: len(seq)]] = seq
    rest = order[len(seq):]
    if len(rest):
        roles[rest[rnd.randrange(len(rest))]] = 4  # 秘书长
    return roles


def _sample_members(a: Assoc, f: Firms, members: list[np.ndarray], n_units: int, ind_index: dict[str, int],
                    related_idx: dict[str, list[int]], places: dict[str, Place], rng: np.random.Generator) -> np.ndarray:
    """Member references of one association (enterprise ≥ 0, individual = -1 - person)."""
    m = a.m
    picks: list[np.ndarray] = []
    if a.overlap_src >= 0 and a.overlap > 0:
        src = members[a.overlap_src]
        if a.kind != ACAD:
            src = src[src >= 0]
        k = min(len(src), round(a.overlap * m))
        picks.append(src[rng.permutation(len(src))[:k]])
    have = sum(len(p) for p in picks)
    n_person = int(rng.binomial(m, a.person_rate))
    n_out = int(rng.binomial(m, a.outside_rate))
    n_non = int(rng.binomial(m, a.nonind_rate))
    n_rel = int(rng.binomial(m, a.related_rate)) if related_idx.get(a.subject) else 0
    n_main = max(0, m - have - n_person - n_out - n_non - n_rel)
    unit_w = a.unit_w
    if a.kind in (IND, ACAD):
        ind = ind_index[a.subject]
        cand, w = _from_units(f, ind, unit_w, n_units)
        picks.append(_weighted_sample(rng, cand, w, n_main + 4))
        for _ in range(n_rel):
            cand, w = _from_units(f, related_idx[a.subject][rng.integers(len(related_idx[a.subject]))], unit_w, n_units)
            picks.append(_weighted_sample(rng, cand, w, 1))
    elif a.kind == ORIG:
        place = places[a.subject]
        div = {PROVINCE: 10000, PREFECTURE: 100, COUNTY: 1}[place.level]
        lo = (place.code // div) * div
        s, e = np.searchsorted(f.origin_sorted, [lo, lo + div])
        cand = f.by_origin[s:e]
        cand = cand[unit_w[f.unit[cand]] > 0] if len(cand) else cand
        picks.append(_weighted_sample(rng, cand, unit_w[f.unit[cand]] * 0 + 1.0, n_main + 4))
    if a.kind == GEN or (a.kind == ORIG and len(picks[-1]) < n_main):
        cand = _any_in_units(f, unit_w, 3 * (n_main + 4), rng)  # bigger firms join general bodies
        picks.append(_weighted_sample(rng, cand, np.log1p(f.sales[cand]), n_main + 4))
    if n_non:
        picks.append(_any_in_units(f, unit_w, n_non, rng))
    if n_out and len(f.outside_idx):
        picks.append(f.outside_idx[rng.integers(0, len(f.outside_idx), size=n_out)])
    refs = np.asarray(pd.unique(np.concatenate(picks)), dtype=np.int64) if picks else np.zeros(0, dtype=np.int64)
    ent = refs[refs >= 0][: max(0, m - n_person)]
    shared_people = -1 - refs[refs < 0]
    n_new = max(0, n_person - len(shared_people))
    pool = f.individuals
    people = pool[rng.integers(0, len(pool), size=n_new)] if n_new else np.zeros(0, dtype=np.int64)
    people = np.asarray(pd.unique(np.concatenate([shared_people, people])), dtype=np.int64)
    return np.concatenate([ent, -1 - people])


def draw_memberships(assocs: list[Assoc], f: Firms, vocab: Vocab, geo: Geo, rng: np.random.Generator,
                 rnd: random.Random) -> tuple[list[np.ndarray], list[np.ndarray]]:
    n_units = len(geo.units)
    ind_index = {ind.key: i for i, ind in enumerate(vocab.industries)}
    related_idx = {ind.key: [ind_index[r] for r in ind.related] for ind in vocab.industries}
    places = {str(p.code): p for p in geo.origins}
    members: list[np.ndarray] = []
    roles: list[np.ndarray] = []
    log_sales = np.log1p(f.sales)
    for a in assocs:
        refs = _sample_members(a, f, members, n_units, ind_index, related_idx, places, rng)
        if a.kind != ACAD and rnd.random() < 0.5 and len(refs) > 3:  # a full-time 秘书长 as individual member
            extra = f.individuals[rng.integers(0, len(f.individuals))]
            if -1 - extra not in refs:
                refs = np.append(refs, -1 - extra)
        scores = np.where(refs >= 0, log_sales[np.maximum(refs, 0)], rng.uniform(3, 6, size=len(refs)))
        r = _roles(rng, rnd, scores)
        if a.kind != ACAD and len(refs) and refs[-1] < 0 and r[-1] == 6 and 4 in r:
            r[r == 4], r[-1] = 6, 4  # the appended individual is the 秘书长
        order = np.argsort(r, kind="stable")
        members.append(refs[order])
        roles.append(r[order])
    return members, roles


def plant_leaders(assocs: list[Assoc], members: list[np.ndarray], roles: list[np.ndarray], f: Firms,
                   rnd: random.Random) -> None:
    """A few persons hold 副会长-or-above posts in 3–5 associations (leader_overlap)."""
    n = sum(1 for a in assocs if not a.app)
    k = max(2, n // 80)
    eligible = [i for i in range(n) if assocs[i].active and any((roles[i] <= 2) & (members[i] >= 0))]
    spare = list(range(len(f.person) + len(f.individuals), len(f.persons)))  # persons nobody else uses
    for j in range(min(k, len(spare))):
        if len(eligible) < 3:
            break
        chosen = rnd.sample(eligible, rnd.randint(3, min(5, len(eligible))))
        for i in chosen:
            rows = np.flatnonzero((roles[i] <= 2) & (members[i] >= 0))
            f.person[members[i][rows[rnd.randrange(len(rows))]]] = spare[j]
