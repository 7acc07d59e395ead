"""Policy rules of 温州市推进行业协会商会优化布局 (一业一会): findings on associations or applications.

:func:`check_rules` runs every rule on a profiled frame (:attr:`detector.profiles.Profiles.frame`) and
its memberships; thresholds come from ``models/policy.toml``. A rule whose data is absent (no
memberships, no industry_stats, a missing or entirely empty column) is skipped, never guessed;
注销/撤销 associations get no findings. Rule codes are those of FORMAT.md.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pandas as pd

from . import industry, regions
from .errors import DetectorError
from .io import ENTERPRISE, guess_member_kind
from .names import OUT_OF_TOWN
from .profiles import INACTIVE, RESEARCH_TYPES, policy, resolve_region
from .regions import COUNTY, LEVEL_ZH, PREFECTURE, Division
from .text import normalize_name, normalize_text

ERROR, WARNING, INFO = "error", "warning", "info"
EXIT_RULES = ("exit_election_overdue", "exit_no_staff", "exit_no_office", "exit_no_funding", "exit_inspection",
              "exit_no_party")
RULES = ("county_chamber_at_city", "coverage_counties", "coverage_share", "member_outside_region",
         "non_industry_member", "leader_overlap", "research_enterprise_share", *EXIT_RULES)
# county_chamber_at_city forbids; layout rules ask for review; 退出机制 signals inform.
SEVERITY = {**dict.fromkeys(RULES, WARNING), "county_chamber_at_city": ERROR, **dict.fromkeys(EXIT_RULES, INFO)}
INDUSTRY_TYPES = frozenset({"行业协会", "商会", "联合会", "促进会"})  # bodies of one industry (not 异地商会/研究会/学会)
FAILED_INSPECTIONS = frozenset({"不合格", "未参检"})
_FALSE = frozenset({"否", "无", "n", "no", "false", "0"})  # a flag cell meaning "no" (bools print as False)
SHOWN = 5  # examples named in a message


@dataclass(frozen=True)
class Finding:
    id: str  # association (or application) id
    rule: str  # FORMAT.md code
    severity: str  # error / warning / info
    message: str  # Chinese, naming the evidence
    evidence: dict  # machine-readable details, JSON-serialisable


def to_json(finding: Finding, *, evidence: bool = False) -> dict:
    """The FORMAT.md output object: id, rule, severity, message (+ evidence when asked)."""
    out = {"id": finding.id, "rule": finding.rule, "severity": finding.severity, "message": finding.message}
    return out | {"evidence": finding.evidence} if evidence else out


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per finding: id, rule, severity, message, evidence."""
    return pd.DataFrame([asdict(f) for f in findings], columns=["id", "rule", "severity", "message", "evidence"])


# ------------------------------------------------------------------------------------------- cells


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped strings; missing → ""."""
    return values.astype("str").fillna("").str.strip()


def _numbers(values: pd.Series) -> pd.Series:
    """Int64 / float / numeric text → float; empty or invalid → NaN."""
    return pd.to_numeric(_text(values).str.replace(",", "", regex=False), errors="coerce")


def _dates(values: pd.Series) -> pd.Series:
    """Timestamps or YYYY-MM-DD text → datetime64; empty or invalid → NaT."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(_text(values).replace("", None), errors="coerce", format="mixed")


def _map_unique(values: pd.Series, fn: Callable[[Any], object]) -> pd.Series:
    """``values.map(fn)`` (object dtype), calling ``fn`` once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(u) for u in uniques]
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _map_pairs(a: pd.Series, b: pd.Series, fn: Callable[[str, str], bool]) -> np.ndarray:
    """``fn(a[i], b[i])`` for two aligned text columns, once per distinct pair; a boolean array."""
    sep = "\x1f"
    return _map_unique(a.astype("str") + sep + b.astype("str"), lambda k: fn(*k.split(sep))).to_numpy(dtype=bool)


def _has(frame: pd.DataFrame, *columns: str) -> bool:
    return all(c in frame.columns for c in columns)


def _col(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column; empty strings when absent."""
    return _text(frame[column]) if column in frame.columns else pd.Series("", index=frame.index, dtype="str")


def _filled(frame: pd.DataFrame, column: str) -> bool:
    """The column exists and is not entirely empty (an all-empty column counts as absent)."""
    return column in frame.columns and bool((_text(frame[column]) != "").any())


def _active(frame: pd.DataFrame) -> pd.Series:
    """The profiles' ``active`` flag, else status not 注销/撤销; unknown → active."""
    if "active" in frame.columns:
        return ~_text(frame["active"]).str.lower().isin(_FALSE)
    if "status" in frame.columns:
        return ~_map_unique(_text(frame["status"]), normalize_text).isin(INACTIVE)
    return pd.Series(True, index=frame.index)


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _amount(x: float) -> str:
    return f"{x:,.0f}"


# ------------------------------------------------------------------------------------------ places


@lru_cache(maxsize=4096)
@lru_cache(maxsize=1024)
def _division(code: str) -> Division | None:
    return regions.by_code(code) if code else None


@lru_cache(maxsize=64)
def _units(city_code: str) -> tuple[Division, ...]:
    city = _division(city_code)
    return tuple(regions.county_units(city)) if city is not None and city.level == PREFECTURE else ()


def _disjoint(a: Division, b: Division) -> bool:
    """Neither contains the other: a member in 浙江省 is not outside a 温州市 association."""
    return not regions.contains(a, b) and not regions.contains(b, a)


def _short(code: str, name: str) -> str:
    d = _division(code) or regions.lookup(name)
    return d.short if d is not None else name


# ------------------------------------------------------------------------------------------- inputs


@dataclass
class _Input:
    rows: pd.DataFrame  # active rows of ``frame``, ``id`` as text
    members: pd.DataFrame  # their memberships: aid, name, norm, kind (+ region, role, person, sales when known)
    stats: pd.DataFrame | StatsIndex | None
    home: Division | None
    cfg: dict
    as_of: date
    context: LeaderPosts | None

    @cached_property
    def distinct(self) -> pd.DataFrame:
        """One membership row per (association, member)."""
        return self.members.drop_duplicates(["aid", "norm"])

    def column(self, name: str) -> pd.Series:
        """A text column of ``rows`` indexed by id (empty strings when absent)."""
        return pd.Series(_col(self.rows, name).to_numpy(dtype=object), index=self.rows["id"].to_numpy())


def _members(memberships: pd.DataFrame | None, ids: Iterable[str]) -> pd.DataFrame:
    """Membership rows of ``ids`` in one shape; optional columns absent from the input stay absent."""
    if memberships is None or not _has(memberships, "association_id", "member_name"):
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ("aid", "name", "norm", "kind")})
    aid = _text(memberships["association_id"])
    keep = aid.isin(set(ids)).to_numpy()
    m = memberships[keep]
    out = pd.DataFrame({"aid": aid[keep], "name": _text(m["member_name"])})
    out["norm"] = _text(m["member_norm"]) if "member_norm" in m else _map_unique(out["name"], normalize_name)
    kind = _text(m["member_kind"]) if "member_kind" in m else pd.Series("", index=m.index, dtype="str")
    empty = kind == ""  # FORMAT: 企业 when the name looks like an enterprise
    out["kind"] = kind.mask(empty, _map_unique(out.loc[empty, "name"], guess_member_kind))
    for src, dst in (("member_region", "region"), ("role", "role"), ("person", "person")):
        if src in m:
            out[dst] = _text(m[src])
    if "annual_sales" in m:
        out["sales"] = _numbers(m["annual_sales"])
    return out.reset_index(drop=True)


def _finding(aid: str, rule: str, message: str, **evidence: object) -> Finding:
    return Finding(aid, rule, SEVERITY[rule], message, evidence)


def _examples(names: list[str], total: int) -> str:
    return "、".join(names[:SHOWN]) + (" 等" if total > SHOWN else "")


# -------------------------------------------------------------------------------------- layout rules


def _county_chamber_at_city(inp: _Input) -> list[Finding]:
    """市本级不再新成立在温县级异地商会: a city-level 异地商会 whose origin is a county-level place."""
    rows = inp.rows
    if not _has(rows, "region_level", "eff_type", "origin", "origin_level"):
        return []
    city_level = (rows["region_level"] == PREFECTURE) & (rows["eff_type"] == OUT_OF_TOWN)
    hit = rows[city_level & (rows["origin_level"] == COUNTY)]
    columns = ("id", "origin", "region_code", "region_name", "origin_province")
    out = []
    for aid, origin, code, city, province in zip(*(_col(hit, c) for c in columns), strict=True):
        where = f"{LEVEL_ZH[COUNTY]}，{province}" if province else LEVEL_ZH[COUNTY]
        out.append(_finding(aid, "county_chamber_at_city",
                            f"市本级不再新成立在{_short(code, city)}的县级异地商会：籍贯 {origin}（{where}）",
                            origin=origin, origin_level=COUNTY, origin_province=province))
    return out


def _county_code(value: str, home: Division | None) -> str:
    d = resolve_region(value, home)
    return d.code if d is not None and d.level == COUNTY else ""


def _covered(m: pd.DataFrame, home: Division | None) -> pd.Series:
    """Association id → codes of the county-level units its members are registered in."""
    m = m[m["region"] != ""]
    county = _map_unique(m["region"], lambda v: _county_code(v, home))
    return county[county != ""].groupby(m["aid"]).agg(set)


def member_counties(memberships: pd.DataFrame | None, ids: Iterable[str], home: Division | None) -> dict[str, set[str]]:
    """County-level units (adcodes) covered by the members of each association in ``ids``."""
    m = _members(memberships, ids)
    return _covered(m, home).to_dict() if "region" in m else {}


def _coverage_counties(inp: _Input) -> list[Finding]:
    """A city-level industry body whose members cover no more than the policy share of the city's county units."""
    rows, m = inp.rows, inp.members
    if "region" not in m or not _has(rows, "region_level", "region_code", "eff_type"):
        return []
    rows = rows[(rows["region_level"] == PREFECTURE) & rows["eff_type"].isin(INDUSTRY_TYPES)]
    m = m[(m["region"] != "") & m["aid"].isin(rows["id"])]
    covered = _covered(m, inp.home)
    share = inp.cfg["coverage_counties_share"]
    rows = rows[rows["id"].isin(m["aid"])]
    out = []
    for aid, city in zip(rows["id"], rows["region_code"], strict=True):
        units = _units(city)
        codes = covered.get(aid, set())
        got = [u.name for u in units if u.code in codes]
        if not units or len(got) / len(units) > share:
            continue
        missing = [u.name for u in units if u.code not in codes]
        shown = f"（{'、'.join(got)}）" if got else ""
        out.append(_finding(aid, "coverage_counties",
                            f"会员仅覆盖 {len(got)}/{len(units)} 个县级单位{shown}，未超过 {share:.0%}；"
                            f"未覆盖：{'、'.join(missing)}",
                            covered=got, missing=missing, units=len(units), share=share))
    return out


def _stat_key(text: str) -> str:
    matches = industry.classify(declared=text)
    return matches[0].industry.key if matches else ""


def _stats(stats: pd.DataFrame | None, home: Division | None) -> pd.DataFrame | None:
    """industry_stats rows with label, text (normalised), key (industry), region, region_code, units, sales."""
    if stats is None or not len(stats) or not _has(stats, "industry", "region", "units", "sales"):
        return None
    label, region = _text(stats["industry"]), _text(stats["region"])
    out = pd.DataFrame({
        "label": label,
        "text": _map_unique(label, normalize_name),
        "key": _map_unique(label, _stat_key),
        "region": region,
        "region_code": _map_unique(region, lambda v: getattr(resolve_region(v, home), "code", "")),
        "units": _numbers(stats["units"]),
        "sales": _numbers(stats["sales"]),
    })
    return out[(out["region_code"] != "") & (out["units"] > 0) & (out["sales"] > 0)]


def _stat_row(declared: str, key: str, region_code: str, by_text: dict, by_key: dict) -> dict | None:
    """An association's stats row: by its declared industry text, else the one row of its industry key."""
    hit = by_text.get((normalize_name(declared), region_code))
    if hit is not None:
        return hit
    same_key = by_key.get((key, region_code), [])
    return same_key[0] if len(same_key) == 1 else None


@dataclass(frozen=True)
class StatsIndex:
    """industry_stats rows looked up by (declared industry text, region) and (industry key, region).
    Build it once per registry with :func:`stats_index`."""

    by_text: dict
    by_key: dict


def stats_index(stats: pd.DataFrame | None, home: Division | None) -> StatsIndex | None:
    """The lookup tables of an industry_stats frame (None when there are no usable stats)."""
    table = _stats(stats, home)
    if table is None:
        return None
    by_text: dict = {}
    by_key: dict = {}
    for s in table.to_dict("records"):
        by_text.setdefault((s["text"], s["region_code"]), s)
        if s["key"]:
            by_key.setdefault((s["key"], s["region_code"]), []).append(s)
    return StatsIndex(by_text, by_key)


def _coverage_share(inp: _Input) -> list[Finding]:
    """Members below the policy share of the industry's units AND of its sales (industry_stats)."""
    index = inp.stats if isinstance(inp.stats, StatsIndex) else stats_index(inp.stats, inp.home)
    rows, m = inp.rows, inp.distinct
    if index is None or "sales" not in m or not _has(rows, "eff_type", "region_code", "industry_key"):
        return []
    by_text, by_key = index.by_text, index.by_key
    firms = m[m["kind"] == ENTERPRISE]
    count = firms.groupby("aid").size()
    sales = firms.groupby("aid")["sales"].sum(min_count=1).dropna()  # unknown sales: no claim
    rows = rows[rows["eff_type"].isin(INDUSTRY_TYPES) & rows["id"].isin(sales.index)]
    declared = _col(rows, "industry")
    units_share, sales_share = inp.cfg["coverage_units_share"], inp.cfg["coverage_sales_share"]
    out = []
    for aid, text, key, code in zip(rows["id"], declared, rows["industry_key"], rows["region_code"], strict=True):
        s = _stat_row(text, key, code, by_text, by_key)
        if s is None:
            continue
        n, total = int(count[aid]), float(sales[aid])
        u, v = n / s["units"], total / s["sales"]
        if u >= units_share or v >= sales_share:
            continue
        out.append(_finding(aid, "coverage_share",
                            f"会员企业 {n} 家，仅占{s['region']}{s['label']}行业企业 {int(s['units'])} 家的 {_pct(u)}"
                            f"（应不低于 {units_share:.0%}）；会员销售额 {_amount(total)} 万元，仅占该行业销售额 "
                            f"{_amount(s['sales'])} 万元的 {_pct(v)}（应不低于 {sales_share:.0%}）",
                            industry=s["label"], region=s["region"], members=n, units=int(s["units"]),
                            member_sales=round(total, 1), sales=round(float(s["sales"]), 1),
                            units_share=round(u, 4), sales_share=round(v, 4)))
    return out


def _grouped(flagged: pd.DataFrame, detail: str) -> dict[str, tuple[list[str], list[str]]]:
    """Per association (first-seen order): the flagged members' names and their ``detail`` values."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for aid, name, value in zip(*(flagged[c].to_numpy(dtype=object) for c in ("aid", "name", detail)), strict=True):
        names, values = out.setdefault(aid, ([], []))
        names.append(name)
        values.append(value)
    return out


def _member_outside_region(inp: _Input) -> list[Finding]:
    """Enterprise members registered outside the association's region (a county body: other counties or
    outside the city; a city body: outside the city). Individual members are not registered anywhere."""
    m = inp.distinct
    if "region" not in m or "region_code" not in inp.rows:
        return []
    region_of = inp.column("region_code")
    m = m[(m["region"] != "") & (m["kind"] == ENTERPRISE)]
    own = m["aid"].map(region_of).fillna("")
    place = _map_unique(m["region"], lambda v: getattr(resolve_region(v, inp.home), "code", ""))
    known = ((own != "") & (place != "")).to_numpy(dtype=bool)
    m = m[known]
    outside = _map_pairs(own[known], place[known], lambda a, b: _disjoint(_division(a), _division(b)))
    total = m.groupby("aid").size().to_dict()
    region_names = inp.column("region_name").to_dict()
    out = []
    for aid, (names, places) in _grouped(m[outside], "region").items():
        region = region_names[aid] or _division(region_of[aid]).name
        shown = [f"{name}（{r}）" for name, r in zip(names, places, strict=True)]
        out.append(_finding(aid, "member_outside_region",
                            f"{len(names)} 家会员企业的登记地不在本会所在行政区域（{region}）内"
                            f"（共 {total[aid]} 家有登记地）：{_examples(shown, len(names))}",
                            region=region, outside=len(names), with_region=int(total[aid]),
                            examples=[{"name": n, "region": r} for n, r in zip(names[:SHOWN], places[:SHOWN])]))
    return out


def _stated_industries(name: str, confidence: float, ignore: frozenset[str]) -> tuple[str, ...]:
    """The industries an enterprise name clearly states: its best match is sure, of kind industry and not
    only a vague word (``ignore``); all its industry matches, best first. Empty when unclear."""
    matches = industry.classify(name=name)
    if not matches:
        return ()
    top = matches[0]
    if top.confidence < confidence or top.industry.kind != industry.INDUSTRY or set(top.evidence) <= ignore:
        return ()
    return tuple(x.industry.key for x in matches if x.industry.kind == industry.INDUSTRY)


def _name_industries(norms: pd.Series, confidence: float, ignore: frozenset[str]) -> pd.Series:
    """:func:`_stated_industries` of normalised names. ``classify(name=…)`` depends only on the lexicon
    words found in the name, so one name per distinct word sequence is classified."""
    lexicon = industry.taxonomy().lexicon
    words = _map_unique(norms, lambda n: "\x1f".join(lexicon.scan(n)))
    first = pd.Series(norms.to_numpy(dtype=object), index=words.to_numpy()).groupby(level=0).first()
    stated = {w: _stated_industries(n, confidence, ignore) if w else () for w, n in first.items()}
    return words.map(stated)


def _industry_kind(key: str) -> str:
    try:
        return industry.get(key).kind if key else ""
    except DetectorError:
        return ""


def _non_industry_member(inp: _Input) -> list[Finding]:
    """Enterprise members whose names clearly state an industry unrelated to the association's."""
    rows, m = inp.rows, inp.distinct
    if not len(m) or not _has(rows, "eff_type", "industry_key"):
        return []
    keep = rows["eff_type"].isin(INDUSTRY_TYPES)
    keep &= _map_unique(rows["industry_key"], _industry_kind) == industry.INDUSTRY
    if "origin" in rows:  # a 行业协会 named after a place of origin is a 异地商会 in disguise
        keep &= _text(rows["origin"]) == ""
    key_of = inp.column("industry_key")[rows.loc[keep, "id"]]
    m = m[(m["kind"] == ENTERPRISE) & m["aid"].isin(key_of.index)]
    cfg = inp.cfg
    ignore = frozenset(normalize_name(w) for w in cfg["non_industry_member_ignore"])
    keys = _name_industries(m["norm"], cfg["non_industry_member_confidence"], ignore)
    stated = (keys.map(len) > 0).to_numpy(dtype=bool)
    m, keys = m[stated], keys[stated]
    unrelated = _map_pairs(m["aid"].map(key_of), _map_unique(keys, ",".join),
                           lambda a, b: all(industry.relation(a, k) == industry.DIFFERENT for k in b.split(",")))
    flagged = m[unrelated].assign(label=_map_unique(keys[unrelated], lambda ks: industry.get(ks[0]).name))
    out = []
    for aid, (names, labels) in _grouped(flagged, "label").items():
        own = industry.get(key_of[aid]).name
        shown = [f"{name}（{label}）" for name, label in zip(names, labels, strict=True)]
        out.append(_finding(aid, "non_industry_member",
                            f"{len(names)} 家会员企业的名称显示其主营与本会行业（{own}）无关：{_examples(shown, len(names))}",
                            industry=own, count=len(names),
                            examples=[{"name": n, "industry": lab} for n, lab in zip(names[:SHOWN], labels[:SHOWN])]))
    return out


def _leaders(members: pd.DataFrame, roles: list[str]) -> pd.DataFrame:
    """(aid, person, rank) of 副会长-or-above posts; rank = position of the role in ``roles``."""
    if not _has(members, "role", "person"):
        return pd.DataFrame({"aid": pd.Series(dtype="str"), "person": pd.Series(dtype=object),
                             "rank": pd.Series(dtype="int64")})
    lead = members[members["role"].isin(roles) & (members["person"] != "")]
    return pd.DataFrame({"aid": lead["aid"], "person": _map_unique(lead["person"], normalize_name),
                         "rank": lead["role"].map({r: i for i, r in enumerate(roles)})})


@dataclass(frozen=True)
class LeaderPosts:
    """副会长-or-above posts held in a registry's active associations: the context that lets
    leader_overlap count posts across the registry and an application batch. Build it once per
    registry with :func:`leader_posts` (it reads every membership)."""

    posts: pd.DataFrame  # aid, person, rank
    names: dict[str, str]  # aid → association name


def leader_posts(frame: pd.DataFrame, memberships: pd.DataFrame | None) -> LeaderPosts:
    """The posts of ``frame``'s active associations (a profiled frame or a raw associations frame)."""
    roles = list(policy()["leader_roles"])
    if "id" not in frame:
        return LeaderPosts(_leaders(pd.DataFrame(), roles), {})
    ids = _text(frame["id"])
    keep = _active(frame).to_numpy(dtype=bool)
    names = dict(zip(ids[keep], _text(frame.loc[keep, "name"]), strict=True)) if "name" in frame else {}
    return LeaderPosts(_leaders(_members(memberships, ids[keep]), roles), names)


def _context_leaders(inp: _Input, persons: Iterable[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Posts of ``persons`` in the context's associations that are not in ``frame``, and their names."""
    if inp.context is None:
        return _leaders(pd.DataFrame(), list(inp.cfg["leader_roles"])), {}
    posts = inp.context.posts
    return posts[~posts["aid"].isin(set(inp.rows["id"])) & posts["person"].isin(set(persons))], inp.context.names


def _leader_overlap(inp: _Input) -> list[Finding]:
    """One person in 副会长-or-above posts of ≥ leader_overlap_max active associations (frame + context)."""
    roles, limit = list(inp.cfg["leader_roles"]), int(inp.cfg["leader_overlap_max"])
    own = _leaders(inp.members, roles)
    if not len(own):
        return []
    other, other_names = _context_leaders(inp, own["person"])
    names = {**dict(zip(inp.rows["id"], inp.column("name"), strict=True)), **other_names}
    order = {aid: i for i, aid in enumerate(names)}
    lead = pd.concat([own, other], ignore_index=True).sort_values("rank", kind="stable")
    lead = lead.drop_duplicates(["person", "aid"])
    lead = lead[lead.groupby("person")["aid"].transform("size") >= limit]
    posts = {p: sorted(zip(g["aid"], g["rank"], strict=True), key=lambda x: (order.get(x[0], len(order)), x[0]))
             for p, g in lead.groupby("person", sort=True)}
    people_of: dict[str, list[str]] = {}
    for p, items in posts.items():
        for aid, _ in items:
            people_of.setdefault(aid, []).append(p)
    out = []
    for aid in inp.rows["id"]:
        if aid not in people_of:
            continue
        texts, evidence = [], []
        for p in people_of[aid]:
            held = [{"id": a, "name": names.get(a) or a, "role": roles[int(r)]} for a, r in posts[p]]
            texts.append(f"{p} 在 {len(held)} 家协会商会担任副会长及以上职务（达到 {limit} 家即提示）："
                         + "、".join(f"{h['name']}（{h['role']}）" for h in held))
            evidence.append({"person": p, "associations": held})
        out.append(_finding(aid, "leader_overlap", "；".join(texts), limit=limit, persons=evidence))
    return out


def _research_enterprise_share(inp: _Input) -> list[Finding]:
    """A 研究会/学会 whose enterprise members exceed the policy share of its members."""
    rows, m = inp.rows, inp.distinct
    if "eff_type" not in rows or not len(m):
        return []
    research = rows.loc[rows["eff_type"].isin(RESEARCH_TYPES), "id"]
    m = m[m["aid"].isin(research)]
    total = m.groupby("aid").size()
    firms = m[m["kind"] == ENTERPRISE].groupby("aid").size().reindex(total.index, fill_value=0)
    limit = inp.cfg["research_enterprise_share"]
    types = inp.column("eff_type")
    out = []
    for aid in research[research.isin(total.index)]:
        n, k = int(total[aid]), int(firms[aid])
        if k / n <= limit:
            continue
        out.append(_finding(aid, "research_enterprise_share",
                            f"企业会员 {k}/{n} 家（{_pct(k / n)}），超过{types[aid]}企业会员不超过 {limit:.0%} 的要求",
                            enterprises=k, members=n, share=round(k / n, 4), limit=limit))
    return out


# ---------------------------------------------------------------------------------------- exit signals


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _exit_election_overdue(inp: _Input) -> list[Finding]:
    """last_election + term_years (+ grace days) lies before ``as_of``."""
    rows = inp.rows
    if "last_election" not in rows:
        return []
    last = _dates(rows["last_election"])
    default = int(inp.cfg["default_term_years"])
    term = _numbers(rows["term_years"]) if "term_years" in rows else pd.Series(float("nan"), index=rows.index)
    term = term.fillna(default)
    grace = timedelta(days=int(inp.cfg["exit_election_grace_days"]))
    known = last.notna().to_numpy(dtype=bool)
    out = []
    for aid, when, years in zip(rows["id"][known], last[known], term[known], strict=True):
        due = _add_years(when.date(), int(years))
        if due + grace >= inp.as_of:
            continue
        late = (inp.as_of - due).days
        out.append(_finding(aid, "exit_election_overdue",
                            f"上次换届 {when:%Y-%m-%d}，任期 {int(years)} 年，应于 {due} 前换届，已逾期 {late} 天",
                            last_election=f"{when:%Y-%m-%d}", term_years=int(years), due=due.isoformat(),
                            days_overdue=late))
    return out


def _exit_no_staff(inp: _Input) -> list[Finding]:
    if "staff_fulltime" not in inp.rows:
        return []
    hit = (_numbers(inp.rows["staff_fulltime"]) == 0).to_numpy(dtype=bool)
    return [_finding(aid, "exit_no_staff", "无专职工作人员（专职人员 0 名）", staff_fulltime=0)
            for aid in inp.rows["id"][hit]]


def _exit_no_office(inp: _Input) -> list[Finding]:
    if "has_office" not in inp.rows:
        return []
    hit = _text(inp.rows["has_office"]).str.lower().isin(_FALSE).to_numpy(dtype=bool)
    return [_finding(aid, "exit_no_office", "无固定办公场所", has_office=False) for aid in inp.rows["id"][hit]]


def _exit_no_funding(inp: _Input) -> list[Finding]:
    """Empty funding, when the column is given (an all-empty column counts as absent)."""
    if not _filled(inp.rows, "funding"):
        return []
    hit = (_text(inp.rows["funding"]) == "").to_numpy(dtype=bool)
    return [_finding(aid, "exit_no_funding", "无经费来源（funding 为空）", funding="") for aid in inp.rows["id"][hit]]


def _exit_inspection(inp: _Input) -> list[Finding]:
    if "inspection" not in inp.rows:
        return []
    result = _map_unique(_text(inp.rows["inspection"]), normalize_text)
    hit = result.isin(FAILED_INSPECTIONS).to_numpy(dtype=bool)
    return [_finding(aid, "exit_inspection", f"上次年检结果：{r}", inspection=r)
            for aid, r in zip(inp.rows["id"][hit], result[hit], strict=True)]


def _exit_no_party(inp: _Input) -> list[Finding]:
    """Fewer party members than exit_party_min: no party organisation of its own."""
    if "party_members" not in inp.rows:
        return []
    least = int(inp.cfg["exit_party_min"])
    party = _numbers(inp.rows["party_members"])
    hit = (party < least).to_numpy(dtype=bool)
    return [_finding(aid, "exit_no_party", f"党员 {int(n)} 名，不足 {least} 名，无法单独建立党组织",
                     party_members=int(n), minimum=least)
            for aid, n in zip(inp.rows["id"][hit], party[hit], strict=True)]


_CHECKS: tuple[Callable[[_Input], list[Finding]], ...] = (
    _county_chamber_at_city, _coverage_counties, _coverage_share, _member_outside_region, _non_industry_member,
    _leader_overlap, _research_enterprise_share, _exit_election_overdue, _exit_no_staff, _exit_no_office,
    _exit_no_funding, _exit_inspection, _exit_no_party,
)


def check_rules(frame: pd.DataFrame, memberships: pd.DataFrame | None,
                industry_stats: pd.DataFrame | StatsIndex | None,
                home: Division | None, *, as_of: date | None = None,
                context: LeaderPosts | None = None) -> list[Finding]:
    """Policy findings for the active rows of ``frame`` (a profiled frame), in frame order, then rule order.

    ``context``: the existing registry's :func:`leader_posts` when ``frame`` holds applications, so that
    leader_overlap counts posts across both. ``as_of`` (default today) dates the election check.
    """
    if "id" not in frame.columns or not len(frame):
        return []
    rows = frame[_active(frame)].assign(id=lambda f: _text(f["id"]))
    inp = _Input(rows=rows, members=_members(memberships, rows["id"]), stats=industry_stats, home=home,
                 cfg=policy(), as_of=as_of or date.today(), context=context)
    position = {aid: i for i, aid in enumerate(rows["id"])}
    rank = {rule: i for i, rule in enumerate(RULES)}
    findings = [f for check in _CHECKS for f in check(inp)]
    return sorted(findings, key=lambda f: (position[f.id], rank[f.rule]))
