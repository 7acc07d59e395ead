"""What to generate: variation profiles (structure and noise rates) and :class:`SynthConfig`; what comes out:
:class:`SynthData`.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from ...errors import DetectorError


@dataclass(frozen=True)
class Rates:
    """Structure and noise rates of one variation profile."""

    dup_group_rate: float  # share of slots that hold a duplicate group (2–4 associations)
    near_miss_rate: float  # planted hard-negative structures per association and kind
    inactive_rate: float  # share of associations that are 注销/撤销
    missing_column_prob: float  # each optional column is dropped with this probability
    traditional_rate: float  # names / texts written in traditional characters
    fullwidth_rate: float  # names with spaces and (全角) brackets: 温州市 汽摩配（行业）协会
    short_city_rate: float  # 温州 instead of 温州市, 瑞安 instead of 瑞安市
    typo_rate: float  # a homophone typo or dropped character in scope / purpose
    blank_region_rate: float  # empty region cell (infer it from the name)
    blank_type_rate: float  # empty type cell
    shuffle_scope_rate: float  # scope phrases in another order with other separators
    declared_variant_rate: float  # industry column uses a variant (鞋业 instead of 鞋革)
    # planted structures per association where names are silent or mislead and scope and members decide
    # (issue 16): a duplicate with a brand-like, broad or misleading name, a look-alike named like another
    # trade, a trade-named club or professional body of individuals
    silent_rate: float = 0.0


VARIATIONS: dict[str, Rates] = {
    "clean": Rates(0.14, 0.012, 0.02, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "standard": Rates(0.14, 0.015, 0.025, 0.08, 0.01, 0.03, 0.06, 0.02, 0.03, 0.05, 0.10, 0.15),
    "noisy": Rates(0.16, 0.02, 0.03, 0.35, 0.15, 0.15, 0.25, 0.10, 0.20, 0.25, 0.30, 0.35),
    # standard noise plus the structures where names are silent or misleading
    "silent": Rates(0.14, 0.015, 0.025, 0.08, 0.01, 0.03, 0.06, 0.02, 0.03, 0.05, 0.10, 0.15, 0.025),
}


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. Rate fields left at ``None`` take the variation profile's value."""

    seed: int
    city: str = "温州市"
    n_associations: int = 300
    members_per_association: tuple[int, int] = (10, 60)
    variation: str = "standard"
    n_applications: int = 40
    city_level_share: float = 0.4
    as_of: str = "2024-12-31"
    dup_group_rate: float | None = None
    near_miss_rate: float | None = None
    inactive_rate: float | None = None
    missing_column_prob: float | None = None
    traditional_rate: float | None = None
    fullwidth_rate: float | None = None
    short_city_rate: float | None = None
    typo_rate: float | None = None
    blank_region_rate: float | None = None
    blank_type_rate: float | None = None
    shuffle_scope_rate: float | None = None
    declared_variant_rate: float | None = None
    silent_rate: float | None = None

    def __post_init__(self) -> None:
        if self.variation not in VARIATIONS:
            raise DetectorError(f"未知的变化程度 {self.variation!r}：可选 {' / '.join(VARIATIONS)}")
        if self.seed < 0:
            raise DetectorError("seed 须为非负整数")
        if self.n_associations < 1 or self.n_applications < 0:
            raise DetectorError("n_associations 须 ≥ 1，n_applications 须 ≥ 0")
        lo, hi = self.members_per_association
        if not 1 <= lo <= hi:
            raise DetectorError("members_per_association 须满足 1 ≤ 下限 ≤ 上限")

    def rates(self) -> Rates:
        base = VARIATIONS[self.variation]
        values = {f.name: getattr(self, f.name) for f in fields(Rates)}
        return Rates(**{k: (getattr(base, k) if v is None else float(v)) for k, v in values.items()})


# How the bundled demo (models/demo) was generated: `detector generate models/demo --seed 7 --n 300`.
DEMO_CONFIG = SynthConfig(seed=7, city="温州市", n_associations=300, variation="standard")


@dataclass
class SynthData:
    """A generated registry, application batch and their truth labels (all pandas frames)."""

    config: SynthConfig
    associations: pd.DataFrame
    memberships: pd.DataFrame
    industry_stats: pd.DataFrame
    applications: pd.DataFrame
    application_members: pd.DataFrame
    groups: pd.DataFrame  # id, group
    pairs: pd.DataFrame  # id_a, id_b, label, kind
    screen_labels: pd.DataFrame  # id, verdict, expected_match, kind
