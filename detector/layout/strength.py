"""The 515 plan's strength ranking (扶持培育50家以上综合实力雄厚、运转管理规范、功能作用突出的协会商会).

A transparent composite: every component lies in [0, 1] and is shown with its evidence; an
association's score (0–100) is the weighted mean of the components that apply to it (weights in
``models/policy.toml`` [strength_weights]), so its contributions add up to the score. The top
``strength_top`` are candidates for support, the bottom ``strength_bottom`` for 整改.

行业协会商会 and 异地商会 are scored on different components (a 异地商会 has no industry to cover), so their
scores do not compare: the support and 整改 places are shared out between the two groups in proportion to
their size, and each group's best (worst) by score take them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ..policy import EXIT_RULES, INDUSTRY_TYPES, RECTIFY, RULES, STRENGTH_COMPONENTS, SUPPORT, rule_title, settings
from ..names import OUT_OF_TOWN
from ..profiles import Profiles
from ..regions import PREFECTURE
from ..rules import Finding, StatsIndex, stat_row
from ..text import cell

# Layout-rule findings (warnings, errors) the compliance component counts: not the coverage rules, whose
# measures are components of their own (counties, industry_units, industry_sales).
COMPLIANCE_RULES = tuple(r for r in RULES if r not in EXIT_RULES and r not in ("coverage_counties", "coverage_share"))
RANKED_TYPES = INDUSTRY_TYPES | {OUT_OF_TOWN}  # 行业协会商会 and 异地商会 (not 学会/研究会 or other social groups)
TRADE_GROUP, OUT_OF_TOWN_GROUP = "行业协会商会", OUT_OF_TOWN  # the two groups places are shared out between


@dataclass(frozen=True)
class StrengthRow:
    rank: int
    id: str
    name: str
    region: str
    type: str
    score: float  # 0–100: the sum of ``contributions``
    group: str  # 行业协会商会 / 异地商会
    group_rank: int  # rank within its group
    band: str  # support / rectify / ""
    components: dict[str, float | None]  # each in [0, 1]; None where it does not apply
    contributions: dict[str, float]  # points each applying component adds to the score
    evidence: dict[str, str]  # per component, in Chinese


@dataclass
class StrengthRanking:
    weights: dict[str, float] = field(default_factory=dict)
    top: int = 0
    bottom: int = 0
    places: dict[str, list[int]] = field(default_factory=dict)  # group → [support places, 整改 places]
    rows: list[StrengthRow] = field(default_factory=list)  # every ranked association, best first

    def to_json(self) -> dict:
        return {"weights": self.weights, "top": self.top, "bottom": self.bottom, "places": self.places,
                "rows": [asdict(r) for r in self.rows]}

    def frame(self) -> pd.DataFrame:
        """One row per association: rank, score, band, then each component and its contribution."""
        records = []
        for r in self.rows:
            row = {"rank": r.rank, "id": r.id, "name": r.name, "region": r.region, "type": r.type, "score": r.score,
                   "group": r.group, "group_rank": r.group_rank, "band": r.band}
            for c in STRENGTH_COMPONENTS:
                row[c] = r.components[c]
                row[f"{c}_points"] = r.contributions.get(c, 0.0)
            records.append(row)
        columns = ["rank", "id", "name", "region", "type", "score", "group", "group_rank", "band",
                   *(x for c in STRENGTH_COMPONENTS for x in (c, f"{c}_points"))]
        return pd.DataFrame(records, columns=columns)

    def band(self, band: str) -> list[StrengthRow]:
        """The support (best first) or 整改 (worst first) candidates."""
        rows = [r for r in self.rows if r.band == band]
        return rows if band == SUPPORT else rows[::-1]


def _places(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """``total`` places shared out in proportion to ``sizes`` (largest remainders), none beyond a group's size."""
    n = sum(sizes.values())
    total = min(total, n)
    if not total:
        return dict.fromkeys(sizes, 0)
    exact = {g: total * k / n for g, k in sizes.items()}
    out = {g: int(x) for g, x in exact.items()}
    for g in sorted(exact, key=lambda g: (-(exact[g] - out[g]), g))[: total - sum(out.values())]:
        out[g] += 1
    return out


def _member_percentiles(n: np.ndarray) -> np.ndarray:
    """Share of the other ranked associations with fewer members (the largest 1, the smallest 0)."""
    if len(n) < 2:
        return np.ones(len(n))
    fewer = np.searchsorted(np.sort(n), n, side="left")
    return fewer / (len(n) - 1)


def _industry_shares(aid: str, row: dict, p: Profiles, stats: StatsIndex | None) -> tuple:
    """The members' shares of the industry's enterprises and sales (industry_stats.csv) and that row; Nones
    without one (sales share None when member sales are unknown)."""
    if stats is None or row["eff_type"] not in INDUSTRY_TYPES:
        return None, None, None
    s = stat_row(cell(row.get("industry")), row["industry_key"], row["region_code"], stats)
    if s is None:
        return None, None, None
    n, total = p.member_table.sales([aid])
    return n / s["units"], (total / s["sales"] if total is not None else None), s


def strength_ranking(p: Profiles, findings: list[Finding], stats: StatsIndex | None,
                     counties: dict[str, set[str]], n_units: int) -> StrengthRanking:
    """Rank the active 行业协会商会 and 异地商会 by the composite."""
    cfg = settings()
    weights = {c: float(cfg["strength_weights"][c]) for c in STRENGTH_COMPONENTS}
    units_target, sales_target = float(cfg["coverage_units_share"]), float(cfg["coverage_sales_share"])
    f = p.frame
    ranked = f[f["active"] & f["eligible"] & f["eff_type"].isin(RANKED_TYPES)]
    if not len(ranked):
        return StrengthRanking(weights, int(cfg["strength_top"]), int(cfg["strength_bottom"]))
    exits: dict[str, list[str]] = {}
    layout: Counter[str] = Counter()
    for x in findings:
        if x.rule in EXIT_RULES:
            exits.setdefault(x.id, []).append(rule_title(x.rule))
        elif x.rule in COMPLIANCE_RULES:
            layout[x.id] += 1
    has_members = len(p.member_table) > 0
    has_regions = has_members and bool((p.member_table.region != "").any())
    sizes = ranked["n_members"].to_numpy(dtype=int)
    percentile = _member_percentiles(sizes)
    columns = ["id", "name", "region_name", "region_level", "region_code", "eff_type", "industry_key"]
    columns += ["industry"] if "industry" in f.columns else []
    at = ranked.index.to_numpy()  # profiles frames have a RangeIndex: positions
    records = [dict(zip(columns, values)) for values in zip(*(p.column(c)[at].tolist() for c in columns))]
    scored = []
    for k, row in enumerate(records):
        aid = str(row["id"])
        comp: dict[str, float | None] = dict.fromkeys(STRENGTH_COMPONENTS)
        ev: dict[str, str] = {}
        if has_regions and n_units and row["region_level"] == PREFECTURE:
            got = len(counties.get(aid, ()))
            comp["counties"] = got / n_units
            ev["counties"] = f"会员覆盖 {got}/{n_units} 个县级单位"
        units, sales, s = _industry_shares(aid, row, p, stats)
        if s is not None:  # the policy's shares (coverage_share) earn full marks
            comp["industry_units"] = min(1.0, units / units_target)
            ev["industry_units"] = (f"会员企业占{s['region']}{s['label']}行业企业 {int(s['units'])} 家的 {units:.1%}"
                                    f"（{units_target:.0%} 得满分）")
            if sales is not None:
                comp["industry_sales"] = min(1.0, sales / sales_target)
                ev["industry_sales"] = f"会员销售额占该行业销售额 {s['sales']:,.0f} 万元的 {sales:.1%}（{sales_target:.0%} 得满分）"
        if has_members:
            comp["members"] = float(percentile[k])
            ev["members"] = f"会员 {sizes[k]} 家，多于 {percentile[k]:.0%} 的参评组织"
        signals = exits.get(aid, [])
        comp["governance"] = 1 - len(signals) / len(EXIT_RULES)
        ev["governance"] = f"退出机制信号 {len(signals)} 项" + (f"（{'、'.join(signals)}）" if signals else "")
        comp["compliance"] = 1 / (1 + layout[aid])
        ev["compliance"] = f"其他布局规则提示 {layout[aid]} 条" if layout[aid] else "无其他布局规则提示"
        applying = {c: v for c, v in comp.items() if v is not None}
        total = sum(weights[c] for c in applying) or 1.0
        points = {c: 100 * weights[c] / total * v for c, v in applying.items()}
        scored.append((aid, row, comp, points, ev, sum(points.values()), int(sizes[k])))
    scored.sort(key=lambda x: (-x[5], -x[6], x[0]))
    top, bottom = int(cfg["strength_top"]), int(cfg["strength_bottom"])
    group_of = [OUT_OF_TOWN_GROUP if row["eff_type"] == OUT_OF_TOWN else TRADE_GROUP for _, row, *_ in scored]
    sizes = Counter(group_of)
    support = _places(top, sizes)
    rectify = _places(bottom, {g: k - support[g] for g, k in sizes.items()})
    seen: Counter[str] = Counter()
    rows = []
    for rank, ((aid, row, comp, points, ev, score, _), group) in enumerate(zip(scored, group_of), 1):
        seen[group] += 1
        k = seen[group]
        band = SUPPORT if k <= support[group] else RECTIFY if k > sizes[group] - rectify[group] else ""
        points = {c: round(v, 2) for c, v in points.items()}
        rows.append(StrengthRow(rank, aid, str(row["name"]), str(row["region_name"]), str(row["eff_type"]),
                                round(sum(points.values()), 2), group, k, band,
                                {c: (round(v, 4) if v is not None else None) for c, v in comp.items()}, points, ev))
    places = {g: [support[g], rectify[g]] for g in (TRADE_GROUP, OUT_OF_TOWN_GROUP) if g in sizes}
    return StrengthRanking(weights, top, bottom, places, rows)

