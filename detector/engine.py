"""The engine: a loaded registry with its profiles, member table, scorer and thresholds, built once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .embed import Embedder
from .features import pair_features
from .io import Registry, load_registry
from .members import vocabulary
from .model import Model, shipped_model
from .profiles import Profiles, build_profiles
from .rules import LeaderPosts, StatsIndex, leader_posts, stats_index
from .scoring import Scorer, score_pairs


@dataclass
class Engine:
    """A registry ready for screening and studies (profiles built once)."""

    registry: Registry
    embedder: Embedder
    scorer: Scorer
    thresholds: dict
    pair_model: Model | None = None  # where scorer and thresholds came from (None: given directly)

    @classmethod
    def load(cls, registry: str | Path | Registry, embedder: Embedder | None = None, model: Path | None = None,
             scorer: Scorer | None = None, thresholds: dict | None = None,
             pair_model: Model | None = None) -> "Engine":
        """``model``: the embedding model's folder; ``pair_model``: the pair model (default: the shipped one),
        which ``scorer`` / ``thresholds`` override."""
        reg = registry if isinstance(registry, Registry) else load_registry(registry)
        pm = pair_model or shipped_model()
        return cls(reg, embedder or Embedder(model), scorer or pm.scorer, thresholds or pm.thresholds,
                   None if scorer or thresholds else pm)

    @cached_property
    def profiles(self) -> Profiles:
        return build_profiles(self.registry.associations, self.registry.memberships, self.embedder, self.registry.home)

    @cached_property
    def member_vocabulary(self) -> dict[str, str]:
        """How the registry keys its members, to key applicants' members alike when screening."""
        return vocabulary(self.profiles.member_table)

    @cached_property
    def leader_posts(self) -> LeaderPosts:
        """Leader posts across the registry, the context of leader_overlap when screening."""
        return leader_posts(self.profiles.frame, self.profiles.member_table)

    @cached_property
    def stats_index(self) -> StatsIndex | None:
        """The registry's industry_stats, indexed for coverage_share."""
        return stats_index(self.registry.industry_stats, self.profiles.home)

    def score_ids(self, left: Profiles, right: Profiles, pairs: list[tuple[str, str]]) -> pd.DataFrame:
        """Score arbitrary id pairs (not only blocking candidates)."""
        i = np.array([left.row_of[a] for a, _ in pairs], dtype=int)
        j = np.array([right.row_of[b] for _, b in pairs], dtype=int)
        return score_pairs(pair_features(left, right, i, j), self.scorer)
