"""New-economy and uncovered industries (积极培育和发展新经济领域的行业协会商会).

Industries of the city that are large — by ``industry_stats.csv`` (enterprises, sales) or, without
statistics, by the member enterprises whose names state them — but have no active industry body where they are
concentrated: in the county-level unit that holds most of their enterprises (a body there or at the city
level covers it), else at the city level. A body covers an industry of the statistics when it is of that
industry, of a broader one by GB/T 4754, or declares the statistics' own industry name (as coverage_share
matches them); member enterprises' industries, read from their names, are also covered by a body of a
related industry (光学 firms in a 眼镜 association). Ranked by size; the new-economy fields of
``models/new_economy.toml`` (with GB/T 4754 codes) are marked.
"""
from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import industry, regions
from ..errors import DetectorError
from ..names import ENTERPRISE
from ..paths import models_dir
from ..policy import INDUSTRY_TYPES, settings
from ..profiles import Profiles
from ..regions import COUNTY, Division
from ..rules import StatsIndex
from ..text import normalize_name

STATS, MEMBERS = "行业统计", "会员企业"  # what a row's size is measured by


# ---------------------------------------------------------------------------------------- new economy


@dataclass(frozen=True)
class Field:
    """A new-economy field: its GB/T 4754 codes and the classification they are taken from."""

    key: str
    name: str
    basis: str
    gbt: tuple[str, ...]
    exclude: tuple[str, ...] = ()  # codes within ``gbt`` the classification leaves out

    def contains(self, code: str) -> bool:
        """A GB/T code lies within the field."""
        return any(code.startswith(c) for c in self.gbt) and not any(code.startswith(c) for c in self.exclude)


_FIELD_KEYS = ("key", "name", "basis", "gbt", "exclude")


@lru_cache(maxsize=4)
def fields(path: str | Path | None = None) -> tuple[Field, ...]:
    """The curated new-economy fields (default ``models/new_economy.toml``); a broken file raises
    ``DetectorError`` naming the entry."""
    source = Path(path) if path is not None else models_dir() / "new_economy.toml"
    try:
        with source.open("rb") as f:
            entries = tomllib.load(f).get("field")
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise DetectorError(f"无法读取新经济领域表 {source}：{e}") from None
    if not isinstance(entries, list) or not entries:
        raise DetectorError(f"新经济领域表 {source.name} 中没有 [[field]] 条目")
    out, seen = [], set()
    for n, raw in enumerate(entries, 1):
        where = f"新经济领域表 {source.name} 第 {n} 个条目"
        if not isinstance(raw, dict) or not {"key", "name", "basis", "gbt"} <= set(raw) <= {*_FIELD_KEYS}:
            raise DetectorError(f"{where}：应有 key、name、basis、gbt 字段（可选 exclude），不能有其他字段")
        for column in ("gbt", "exclude"):
            codes = raw.get(column, [])
            if not isinstance(codes, list) or not all(isinstance(c, str) and c.isdigit() and 2 <= len(c) <= 4
                                                      for c in codes) or (column == "gbt" and not codes):
                raise DetectorError(f"{where}（{raw['key']}）：{column} 应为 2～4 位数字的 GB/T 4754 代码列表")
        if raw["key"] in seen:
            raise DetectorError(f"{where}：key {raw['key']} 重复")
        seen.add(raw["key"])
        out.append(Field(str(raw["key"]), str(raw["name"]), str(raw["basis"]), tuple(raw["gbt"]),
                         tuple(raw.get("exclude", []))))
    return tuple(out)


@lru_cache(maxsize=4096)
def fields_of(key: str) -> tuple[Field, ...]:
    """The new-economy fields an industry belongs to: one of its GB/T codes lies within a field's code."""
    if not key:
        return ()
    own = industry.get(key).gbt
    return tuple(f for f in fields() if any(f.contains(c) for c in own))


@lru_cache(maxsize=65536)
def covers(body: str, key: str, related: bool = False) -> bool:
    """An association of industry ``body`` covers industry ``key``: the same industry, one whose GB/T codes lie
    within the body's (an 服装 body covers 1811 机织服装制造), or with ``related`` a related one."""
    if body == key or (related and industry.relation(body, key) == industry.RELATED):
        return True
    inner, outer = industry.get(key).gbt, industry.get(body).gbt
    return bool(inner) and all(any(c.startswith(b) for b in outer) for c in inner)


# ------------------------------------------------------------------------------------------------ gaps


@dataclass(frozen=True)
class IndustryGap:
    rank: int
    industry: str  # as named in industry_stats.csv, else the vocabulary's name
    industry_key: str
    gbt: list[str]
    new_economy: list[str]  # names of the new-economy fields it belongs to
    basis: str  # 行业统计 / 会员企业: what its size is measured by
    units: int | None  # enterprises in the city (industry_stats.csv)
    sales: float | None  # their annual sales, 万元
    member_enterprises: int  # distinct member enterprises whose names state the industry
    share: float  # its share of the city's enterprises or sales (stats), or of the member enterprises
    expected: str  # where an association is expected: the concentrated county-level unit, or the city
    concentration: str  # the evidence, in Chinese
    existing: list[str]  # bodies covering the industry at other levels (they do not cover it there)


@dataclass
class IndustryGaps:
    basis: str = ""  # what the list is based on, in Chinese
    rows: list[IndustryGap] = field(default_factory=list)  # uncovered, ranked
    checked: int = 0  # industries large enough to check
    covered: int = 0
    unmatched: list[str] = field(default_factory=list)  # industry_stats labels the vocabulary cannot place
    fields: list[dict] = field(default_factory=list)  # per new-economy field: bodies, enterprises, sales

    def to_json(self) -> dict:
        return {"basis": self.basis, "checked": self.checked, "covered": self.covered,
                "rows": [asdict(r) for r in self.rows], "unmatched": self.unmatched, "fields": self.fields}

    def frame(self) -> pd.DataFrame:
        columns = list(IndustryGap.__dataclass_fields__)
        return pd.DataFrame([asdict(r) for r in self.rows], columns=columns)


@dataclass
class _Size:
    """One industry's size in the city and its county distribution."""

    label: str
    key: str
    basis: str
    units: float | None = None
    sales: float | None = None
    counties: dict[str, float] = field(default_factory=dict)  # county adcode → enterprises


def _stats_sizes(stats: StatsIndex | None, home: Division | None) -> tuple[list[_Size], list[str]]:
    """Per industry_stats label: the city's enterprises and sales (its city row, else the sum of its
    county rows) and its county rows; labels the vocabulary cannot place apart."""
    if stats is None:
        return [], []
    sizes: dict[str, _Size] = {}
    city: dict[str, tuple[float, float]] = {}
    county_sales: Counter[str] = Counter()
    unmatched: dict[str, None] = {}
    for row in stats.by_text.values():
        if not row["key"]:
            unmatched.setdefault(row["label"], None)
            continue
        d = regions.by_code(row["region_code"])
        if d is None or (home is not None and not regions.contains(home, d)):
            continue
        s = sizes.setdefault(row["label"], _Size(row["label"], row["key"], STATS))
        if home is not None and d.code == home.code:
            city[row["label"]] = (row["units"], row["sales"])
        elif d.level == COUNTY:
            s.counties[d.code] = s.counties.get(d.code, 0.0) + row["units"]
            county_sales[row["label"]] += row["sales"]
    for label, s in sizes.items():
        s.units, s.sales = city.get(label, (sum(s.counties.values()), county_sales[label]))
    return [s for s in sizes.values() if s.units], list(unmatched)


def _member_industries(p: Profiles) -> list[tuple[str, str]]:
    """(stated industry (best), county) of each distinct enterprise member of an active association."""
    t = p.member_table
    active = p.frame.loc[p.frame["active"], "id"].astype(str).to_numpy()
    rows = np.flatnonzero((t.kind == ENTERPRISE) & t.of(active))
    first = rows[~pd.Series(t.key[rows], dtype=object).duplicated().to_numpy()]
    best = {n: keys[0] for n, keys in t.stated.items() if keys}
    return list(zip([best.get(n, "") for n in t.norm[first].tolist()], t.county[first].tolist()))


def _member_sizes(members: list[tuple[str, str]], skip: set[str]) -> list[_Size]:
    """Per stated industry not in ``skip``: its member enterprises and their counties."""
    sizes: dict[str, _Size] = {}
    for key, county in members:
        if not key or key in skip:
            continue
        s = sizes.get(key) or sizes.setdefault(key, _Size(industry.get(key).name, key, MEMBERS, 0.0))
        s.units += 1
        if county:
            s.counties[county] = s.counties.get(county, 0.0) + 1
    return [sizes[k] for k in sorted(sizes)]


def _where(code: str, home: Division | None) -> str:
    if home is not None and code == home.code:
        return f"{home.name}（市本级）"
    d = regions.by_code(code)
    return d.name if d else code


def _basis(stats: list[_Size], has_members: bool, n_enterprises: int) -> str:
    """What the list is based on, as a phrase: 本表依据：…"""
    if stats and has_members:
        return (f"行业统计（industry_stats.csv，{len(stats)} 个行业）的企业数与销售额；统计未列的行业按会员企业名称所示的"
                f"行业补充（{n_enterprises:,} 户会员企业，只含已入会企业）")
    if stats:
        return f"行业统计（industry_stats.csv，{len(stats)} 个行业）的企业数与销售额"
    if has_members:
        return (f"会员企业名称所示的行业（{n_enterprises:,} 户会员企业）：未提供行业统计（industry_stats.csv），只反映已入会的"
                "企业，未入会的企业不在其中，规模以会员企业数计")
    return "无：既无行业统计（industry_stats.csv）也无会员数据，无法识别未覆盖的行业"


def _concentration(s: _Size, home: Division | None, needed: float) -> tuple[str, set[str] | None, str]:
    """Where an association is expected (in words), the region codes whose bodies cover it there (None: any
    body), and the evidence: the county-level unit holding ``needed`` of the enterprises, else the city."""
    top = max(s.counties, key=lambda c: (s.counties[c], c)) if s.counties else ""
    top_share = s.counties[top] / s.units if top else 0.0
    unit = "家企业" if s.basis == STATS else "家会员企业"
    if top and top_share >= needed:
        expected = _where(top, home)
        places = {top} | ({home.code} if home is not None else set())
        return expected, places, f"{top_share:.0%} 的企业在{expected}（{s.counties[top]:,.0f}/{s.units:,.0f} {unit}）"
    spread = f"，最多的{_where(top, home)}占 {top_share:.0%}" if top else ""
    evidence = f"分布于 {len(s.counties)} 个县级单位{spread}（共 {s.units:,.0f} {unit}）"
    if home is None:
        return "本地", None, evidence
    return _where(home.code, home), {home.code}, evidence


def industry_gaps(p: Profiles, stats: StatsIndex | None) -> IndustryGaps:
    """Large industries of the city without an active industry body where they are concentrated."""
    cfg = settings()
    home = p.home
    f = p.frame
    active = f[f["active"] & f["eff_type"].isin(INDUSTRY_TYPES) & (f["industry_key"] != "")]
    bodies: dict[str, list[tuple[str, str]]] = {}  # industry key → (region code, name) of its bodies
    declared: dict[str, list[tuple[str, str]]] = {}  # declared industry (normalised) → its bodies
    texts = active["industry"] if "industry" in active.columns else pd.Series("", index=active.index)
    for key, text, region, name in zip(active["industry_key"], texts, active["region_code"], active["name"]):
        bodies.setdefault(key, []).append((region, name))
        declared.setdefault(normalize_name(text), []).append((region, name))
    stat_sizes, unmatched = _stats_sizes(stats, home)
    members = _member_industries(p)
    has_members = bool(len(members))
    sizes = stat_sizes + _member_sizes(members, {s.key for s in stat_sizes})
    member_count = Counter(key for key, _ in members)
    all_units = sum(s.units for s in stat_sizes) or 1.0
    all_sales = sum(s.sales or 0.0 for s in stat_sizes) or 1.0
    all_members = max(1, len(members))
    rows, checked, covered = [], 0, 0
    for s in sizes:
        if s.basis == STATS:
            share = max(s.units / all_units, (s.sales or 0.0) / all_sales)
            large = s.units >= cfg["industry_gap_min_units"] or \
                (s.sales or 0.0) / all_sales >= cfg["industry_gap_min_sales_share"]
        else:
            share = s.units / all_members
            large = s.units >= cfg["industry_gap_min_members"]
        if not large:
            continue
        checked += 1
        expected, places, evidence = _concentration(s, home, cfg["industry_gap_concentration_share"])
        own = [body for k in bodies if covers(k, s.key, s.basis == MEMBERS) for body in bodies[k]]
        own += [body for body in declared.get(normalize_name(s.label), []) if s.basis == STATS and body not in own]
        if any(places is None or r in places for r, _ in own):
            covered += 1
            continue
        rows.append(IndustryGap(
            rank=0, industry=s.label, industry_key=s.key, gbt=list(industry.get(s.key).gbt),
            new_economy=[x.name for x in fields_of(s.key)], basis=s.basis,
            units=int(s.units) if s.basis == STATS else None,
            sales=round(float(s.sales), 1) if s.basis == STATS and s.sales is not None else None,
            member_enterprises=int(member_count.get(s.key, 0)), share=round(float(share), 4), expected=expected,
            concentration=evidence, existing=[n for _, n in own]))
    rows.sort(key=lambda r: (r.basis != STATS, -r.share, r.industry))
    rows = [replace(r, rank=k) for k, r in enumerate(rows, 1)]
    return IndustryGaps(basis=_basis(stat_sizes, has_members, len(members)), rows=rows, checked=checked,
                        covered=covered, unmatched=unmatched,
                        fields=_field_summary(bodies, stat_sizes, member_count))


def _field_summary(bodies: dict[str, list[tuple[str, str]]], stats: list[_Size], member_count: Counter) -> list[dict]:
    """Per new-economy field: its associations, enterprises and sales (stats) and member enterprises."""
    out = []
    for fld in fields():
        names = [n for k in bodies if fld in fields_of(k) for _, n in bodies[k]]
        inside = [s for s in stats if fld in fields_of(s.key)]
        out.append({"key": fld.key, "name": fld.name, "basis": fld.basis, "gbt": list(fld.gbt),
                    "associations": names,
                    "units": int(sum(s.units for s in inside)) if inside else None,
                    "sales": round(float(sum(s.sales or 0.0 for s in inside)), 1) if inside else None,
                    "member_enterprises": int(sum(n for k, n in member_count.items() if k and fld in fields_of(k)))})
    return out
