"""Randomness: one reproducible stream per generation stage, and the registry-wide :class:`Style` drawn from
the seed.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from ...regions import COUNTY, PREFECTURE, PROVINCE
from .config import SynthConfig
from .geo import Geo
from .vocab import Vocab


def streams(seed: int, stage: int) -> tuple[np.random.Generator, random.Random]:
    """Independent, reproducible generators for one stage (numpy for arrays, Random for scalars)."""
    ss = np.random.SeedSequence([seed, stage])
    return np.random.default_rng(ss), random.Random(int(ss.generate_state(1, dtype=np.uint64)[0]))


def pick(rnd: random.Random, items: list | tuple, weights: list[float] | tuple[float, ...] | None = None):
    if weights is None:
        return items[rnd.randrange(len(items))]
    return rnd.choices(items, weights=weights, k=1)[0]


@dataclass(frozen=True)
class Style:
    """Registry-wide habits drawn from the seed: which aliases, forms and wordings are popular."""

    core_weights: dict[str, tuple[float, ...]]
    form_weights: tuple[float, ...]
    origin_form_weights: tuple[float, ...]
    industry_weights: tuple[float, ...]
    unit_weights: np.ndarray  # registration weight of each county-level unit
    concentration: np.ndarray  # industries × units: where each industry's enterprises are
    origin_weights: dict[str, list[float]]  # per level
    group_sizes: tuple[float, float, float]  # P(size 2, 3, 4)
    similarity: tuple[float, float, float]  # P(strong, medium, weak) wording of duplicates
    overlap: tuple[float, float, float]  # P(strong, partial, little) member overlap of duplicates
    separators: tuple[float, float, float]  # P(、 ； ，) between scope phrases
    scope_len: tuple[int, int]
    member_median: float
    member_sigma: float
    kind_mix: tuple[float, float, float, float]  # P(industry, academic, origin, general)


def draw_style(rng: np.random.Generator, vocab: Vocab, geo: Geo, config: SynthConfig) -> Style:
    lo, hi = config.members_per_association
    n_units = len(geo.units)
    levels = {PROVINCE: [], PREFECTURE: [], COUNTY: []}
    for p in geo.origins:
        w = float(rng.lognormal(0.0, 1.0))
        if p.division.code[:2] == geo.city.code[:2]:
            w *= 0.25  # same-province chambers exist but are rarer
        levels[p.level].append(w)
    return Style(
        core_weights={i.key: tuple(rng.dirichlet(np.full(len(i.cores), 1.2)) + 0.05) for i in vocab.industries},
        form_weights=tuple(np.array([w for _, w in vocab.industry_forms]) * rng.lognormal(0, 0.6, len(vocab.industry_forms))),
        origin_form_weights=tuple(np.array([w for _, w in vocab.origin_forms]) * rng.lognormal(0, 0.5, len(vocab.origin_forms))),
        industry_weights=tuple(np.array([i.weight for i in vocab.industries]) * rng.lognormal(0, 0.5, len(vocab.industries))),
        unit_weights=rng.dirichlet(np.full(n_units, 2.0)),
        concentration=rng.dirichlet(np.full(n_units, 0.6), size=len(vocab.industries)),
        origin_weights=levels,
        group_sizes=tuple(rng.dirichlet([6.0, 3.0, 1.0])),
        similarity=tuple(rng.dirichlet([3.0, 4.0, 3.0])),
        overlap=tuple(rng.dirichlet([3.0, 4.0, 3.0])),
        separators=tuple(rng.dirichlet([4.0, 2.0, 2.0])),
        scope_len=(int(rng.integers(2, 4)), int(rng.integers(5, 8))),
        member_median=float(math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * rng.uniform(0.4, 0.6))),
        member_sigma=float(rng.uniform(0.4, 0.7)),
        kind_mix=tuple(rng.dirichlet([70.0, 5.0, 19.0, 6.0])),
    )
