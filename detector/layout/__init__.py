"""The policy's layout measures beyond the rules (温州市推进行业协会商会优化布局), computed by the study:

- :mod:`.liaison` — liaison groups of the 异地商会 of one province (never merger groups);
- :mod:`.industries` — new-economy and uncovered industries (``models/new_economy.toml``);
- :mod:`.burden` — enterprises' membership burden (the ``member_burden`` finding);
- :mod:`.strength` — the 515 plan's strength ranking (weights in ``models/policy.toml``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..profiles import Profiles
from ..rules import Finding, StatsIndex
from .burden import EnterpriseBurden, MemberBurden, member_burden
from .industries import IndustryGap, IndustryGaps, fields as new_economy_fields, fields_of, industry_gaps
from .liaison import ApartChamber, Liaison, LiaisonGroup, liaison
from .strength import StrengthRanking, StrengthRow, strength_ranking


@dataclass
class Layout:
    liaison: Liaison = field(default_factory=Liaison)
    industry_gaps: IndustryGaps = field(default_factory=IndustryGaps)
    burden: MemberBurden = field(default_factory=MemberBurden)
    strength: StrengthRanking = field(default_factory=StrengthRanking)


def measure_layout(p: Profiles, findings: list[Finding], stats: StatsIndex | None,
                   counties: dict[str, set[str]], n_units: int) -> Layout:
    """The four measures of a profiled registry, given its rule findings, indexed industry statistics and
    member county coverage (association id → county units; ``n_units`` of the home city)."""
    return Layout(liaison(p), industry_gaps(p, stats), member_burden(p),
                  strength_ranking(p, findings, stats, counties, n_units))


__all__ = ["ApartChamber", "EnterpriseBurden", "IndustryGap", "IndustryGaps", "Layout", "Liaison", "LiaisonGroup",
           "MemberBurden", "StrengthRanking", "StrengthRow", "fields_of", "industry_gaps", "liaison",
           "measure_layout", "member_burden", "new_economy_fields", "strength_ranking"]
