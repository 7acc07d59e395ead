"""The engine: a loaded registry with its profiles, member table, scorer and thresholds, built once
(and kept prepared on disk while the registry's files are unchanged, :mod:`detector.prepared`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .embed import Embedder
from .features import pair_features
from .io import Registry, load_registry
from .model import Model, shipped_model
from .prepared import Prepared, PreparedStore, registry_key
from .profiles import Profiles, build_profiles
from .rules import LeaderPosts, StatsIndex, stats_index
from .scoring import Scorer, score_pairs


@dataclass
class Engine:
    """A registry ready for screening and studies (profiles built once)."""

    registry: Registry
    embedder: Embedder
    scorer: Scorer
    thresholds: dict
    pair_model: Model | None = None  # where scorer and thresholds came from (None: given directly)
    store: PreparedStore | None = field(default=None, repr=False)  # keeps the built state (None: not kept)
    key: str | None = None  # the registry's key in ``store``
    prepared: Prepared | None = field(default=None, repr=False)  # the state read from ``store``

    @classmethod
    def load(cls, registry: str | Path | Registry, embedder: Embedder | None = None, model: Path | None = None,
             scorer: Scorer | None = None, thresholds: dict | None = None,
             pair_model: Model | None = None, cache: PreparedStore | bool = True) -> "Engine":
        """``model``: the embedding model's folder; ``pair_model``: the pair model (default: the shipped one),
        which ``scorer`` / ``thresholds`` override. ``cache``: where a registry folder's or workbook's prepared
        state is reused and kept (True: beside the embedding cache; False: nowhere); it is rebuilt whenever
        the files change."""
        embedder = embedder or Embedder(model)
        pm = pair_model or shipped_model()
        store = None if isinstance(registry, Registry) or cache is False else \
            PreparedStore.beside(embedder) if cache is True else cache
        key = registry_key(registry, embedder.model_id) if store else None
        state = store.load(key, registry) if key else None
        reg = state.registry if state else registry if isinstance(registry, Registry) else load_registry(registry)
        return cls(reg, embedder, scorer or pm.scorer, thresholds or pm.thresholds, None if scorer or thresholds else pm,
                   store if key else None, key, state)

    @cached_property
    def built(self) -> Prepared:
        """What screening and the study need of the registry: read from the store, else built (and kept)."""
        if self.prepared is not None:
            return self.prepared
        p = build_profiles(self.registry.associations, self.registry.memberships, self.embedder, self.registry.home)
        built = Prepared(self.registry, p)
        if self.store is not None and self.key is not None:
            self.store.save(self.key, built)
        return built

    @property
    def profiles(self) -> Profiles:
        return self.built.profiles

    @property
    def member_vocabulary(self) -> dict[str, str]:
        """How the registry keys its members, to key applicants' members alike when screening."""
        return self.built.vocabulary

    @property
    def leader_posts(self) -> LeaderPosts:
        """Leader posts across the registry, the context of leader_overlap when screening."""
        return self.built.posts

    @cached_property
    def stats_index(self) -> StatsIndex | None:
        """The registry's industry_stats, indexed for coverage_share."""
        return stats_index(self.registry.industry_stats, self.profiles.home)

    def score_ids(self, left: Profiles, right: Profiles, pairs: list[tuple[str, str]]) -> pd.DataFrame:
        """Score arbitrary id pairs (not only blocking candidates)."""
        i = np.array([left.row_of[a] for a, _ in pairs], dtype=int)
        j = np.array([right.row_of[b] for _, b in pairs], dtype=int)
        return score_pairs(pair_features(left, right, i, j), self.scorer)
