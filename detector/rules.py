"""Policy rules of 温州市推进行业协会商会优化布局 (一业一会): findings on associations or applications.

:func:`check_rules` runs every rule on a profiled frame (:attr:`detector.profiles.Profiles.frame`) and
its memberships; thresholds come from ``models/policy.toml``. A rule whose data is absent (no
memberships, no industry_stats, a missing or entirely empty column) is skipped, never guessed;
注销/撤销 associations get no findings. Rule codes are those of FORMAT.md.
"""
from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pandas as pd

from . import industry, regions
from .arrays import per_distinct, positions
from .errors import DetectorError
from .io import ENTERPRISE, records
from .members import MemberTable, Post, member_table
from .names import OUT_OF_TOWN
from .policy import INACTIVE, INDUSTRY_TYPES, LEADER_NAMESAKE, RESEARCH_TYPES, RULES, SEVERITY, rule_title, settings
from .regions import COUNTY, LEVEL_ZH, PREFECTURE, Division, region_code
from .text import cell, normalize_name, normalize_text

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
# Rules work on plain records (one dict per association) and on the member table's column arrays (never one
# object per membership): a screened application costs microseconds, not the fixed overhead of pandas
# operations on a one-row frame, and a 300,000-membership registry is a few vectorised passes.


def _number(value: object) -> float:
    """A number, numeric text (thousands separators allowed) → float; empty or invalid → NaN."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(cell(value).replace(",", ""))
    except ValueError:
        return float("nan")


def _date(value: object) -> date | None:
    """A date, timestamp or date text (YYYY-MM-DD or another common form) → date; empty or invalid → None."""
    if isinstance(value, datetime):
        return None if value is pd.NaT else value.date()
    if isinstance(value, date):
        return value
    text = cell(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        parsed = pd.to_datetime(text, errors="coerce")
        return None if pd.isna(parsed) else parsed.date()


def _memo(fn: Callable[[str], Any]) -> Callable[[str], Any]:
    """``fn`` computed once per distinct argument during one check (member names repeat across a registry)."""
    return lru_cache(maxsize=None)(fn)


def _is_active(record: dict) -> bool:
    """The profiles' ``active`` flag, else status not 注销/撤销; unknown → active."""
    if "active" in record:
        return cell(record["active"]).lower() not in _FALSE
    return normalize_text(cell(record.get("status"))) not in INACTIVE


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _amount(x: float) -> str:
    return f"{x:,.0f}"


# ------------------------------------------------------------------------------------------ places


@lru_cache(maxsize=4096)
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

ROW_COLUMNS = ("id", "name", "active", "status", "region_level", "region_code", "region_name", "eff_type", "origin",
               "origin_level", "origin_province", "industry", "industry_key", "last_election", "term_years",
               "staff_fulltime", "has_office", "funding", "inspection", "party_members")


def _active_rows(frame: pd.DataFrame) -> list[dict]:
    """The active rows of ``frame`` as dicts of the columns rules read, ``id`` as text."""
    rows = [r for r in records(frame, ROW_COLUMNS) if _is_active(r)]
    for r in rows:
        r["id"] = cell(r["id"])
    return rows


@dataclass(frozen=True)
class _Members:
    """The distinct members of the input's associations as arrays, never one object per row: ``rows`` of the
    member table (the first row of each member), grouped by association in input order, ``owner`` the
    position in ``ids`` of each row's association."""

    ids: pd.Index
    rows: np.ndarray
    owner: np.ndarray

    def count(self, mask: np.ndarray) -> dict[str, int]:
        """Association id → its rows where ``mask`` (one flag per row of ``rows``)."""
        return dict(zip(self.ids, np.bincount(self.owner[mask], minlength=len(self.ids)).tolist()))

    def first(self, mask: np.ndarray, n: int) -> dict[str, np.ndarray]:
        """Association id → its first ``n`` member-table rows where ``mask`` (associations with any)."""
        rows, owner = self.rows[mask], self.owner[mask]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else np.array([], dtype=int)
        rank = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))
        keep = rank < n
        rows, owner = rows[keep], owner[keep]
        cut = np.flatnonzero(owner[1:] != owner[:-1]) + 1
        return dict(zip(self.ids[owner[np.r_[0, cut]]] if len(owner) else [], np.split(rows, cut)))


def _distinct_members(table: MemberTable, ids: list[str]) -> _Members:
    index = pd.Index(ids, dtype=object)
    index = index[~index.duplicated()]
    rows = np.flatnonzero(table.first_rows & table.of(index))
    owner = positions(index, table.aid[rows])
    order = np.argsort(owner, kind="stable")
    return _Members(index, rows[order], owner[order])


@dataclass
class _Input:
    rows: list[dict]  # active associations, frame order
    table: MemberTable  # their memberships
    stats: StatsIndex | None
    home: Division | None
    cfg: dict
    as_of: date
    context: LeaderPosts | None

    @cached_property
    def members(self) -> _Members:
        """Each distinct member of the associations once (its first row), as arrays, for all the rules."""
        return _distinct_members(self.table, [r["id"] for r in self.rows])

    def column(self, name: str) -> np.ndarray:
        """A member-table column at the rows of :attr:`members`."""
        return getattr(self.table, name)[self.members.rows]


def _has(frame: pd.DataFrame, *columns: str) -> bool:
    return all(c in frame.columns for c in columns)


def _finding(aid: str, rule: str, message: str, **evidence: object) -> Finding:
    return Finding(aid, rule, SEVERITY[rule], message, evidence)


def _examples(names: list[str], total: int) -> str:
    return "、".join(names[:SHOWN]) + (" 等" if total > SHOWN else "")


# -------------------------------------------------------------------------------------- layout rules


def _county_chamber_at_city(inp: _Input) -> list[Finding]:
    """市本级不再新成立在温县级异地商会: a city-level 异地商会 whose origin is a county-level place."""
    out = []
    for r in inp.rows:
        if not (r.get("region_level") == PREFECTURE and r.get("eff_type") == OUT_OF_TOWN
                and r.get("origin_level") == COUNTY):
            continue
        origin, province = cell(r.get("origin")), cell(r.get("origin_province"))
        where = f"{LEVEL_ZH[COUNTY]}，{province}" if province else LEVEL_ZH[COUNTY]
        place = _short(cell(r.get("region_code")), cell(r.get("region_name")))
        out.append(_finding(r["id"], "county_chamber_at_city",
                            f"市本级不再新成立在{place}的县级异地商会：籍贯 {origin}（{where}）",
                            origin=origin, origin_level=COUNTY, origin_province=province))
    return out


def _coverage_counties(inp: _Input) -> list[Finding]:
    """A city-level industry body whose members cover no more than the policy share of the city's county units."""
    share = inp.cfg["coverage_counties_share"]
    with_region: dict[str, int] | None = None
    out = []
    for r in inp.rows:
        if r.get("region_level") != PREFECTURE or r.get("eff_type") not in INDUSTRY_TYPES:
            continue
        units = _units(cell(r.get("region_code")))
        if units and with_region is None:
            with_region = inp.members.count(inp.column("region") != "")
        if not units or not with_region.get(r["id"]):
            continue
        codes = inp.table.counties([r["id"]])
        got = [u.name for u in units if u.code in codes]
        if len(got) / len(units) > share:
            continue
        missing = [u.name for u in units if u.code not in codes]
        shown = f"（{'、'.join(got)}）" if got else ""
        out.append(_finding(r["id"], "coverage_counties",
                            f"会员仅覆盖 {len(got)}/{len(units)} 个县级单位{shown}，未超过 {share:.0%}；"
                            f"未覆盖：{'、'.join(missing)}",
                            covered=got, missing=missing, units=len(units), share=share))
    return out


def _stat_key(text: str) -> str:
    matches = industry.classify(declared=text)
    return matches[0].industry.key if matches else ""


@dataclass(frozen=True)
class StatsIndex:
    """industry_stats rows looked up by (declared industry text, region) and (industry key, region).
    Build it once per registry with :func:`stats_index`."""

    by_text: dict
    by_key: dict


def stats_index(stats: pd.DataFrame | None, home: Division | None) -> StatsIndex | None:
    """The lookup tables of an industry_stats frame (None when there are no usable stats)."""
    if stats is None or not len(stats) or not _has(stats, "industry", "region", "units", "sales"):
        return None
    by_text: dict = {}
    by_key: dict = {}
    key_of, text_of = _memo(_stat_key), _memo(normalize_name)
    code_of = _memo(lambda v: region_code(v, home))
    for label, region, units, sales in stats[["industry", "region", "units", "sales"]].itertuples(index=False):
        label, region = cell(label), cell(region)
        row = {"label": label, "region": region, "units": _number(units), "sales": _number(sales),
               "key": key_of(label), "region_code": code_of(region)}
        if not (row["region_code"] and row["units"] > 0 and row["sales"] > 0):
            continue
        by_text.setdefault((text_of(label), row["region_code"]), row)
        if row["key"]:
            by_key.setdefault((row["key"], row["region_code"]), []).append(row)
    return StatsIndex(by_text, by_key) if by_text else None


def stat_row(declared: str, key: str, region_code: str, index: StatsIndex) -> dict | None:
    """An association's stats row: by its declared industry text, else the one row of its industry key."""
    hit = index.by_text.get((normalize_name(declared), region_code))
    if hit is not None:
        return hit
    same_key = index.by_key.get((key, region_code), [])
    return same_key[0] if len(same_key) == 1 else None


def _coverage_share(inp: _Input) -> list[Finding]:
    """Members below the policy share of the industry's units AND of its sales (industry_stats)."""
    if inp.stats is None:
        return []
    units_share, sales_share = inp.cfg["coverage_units_share"], inp.cfg["coverage_sales_share"]
    out = []
    for r in inp.rows:
        if r.get("eff_type") not in INDUSTRY_TYPES:
            continue
        n, total = inp.table.sales([r["id"]])
        if total is None:  # unknown sales: no claim
            continue
        s = stat_row(cell(r.get("industry")), cell(r.get("industry_key")), cell(r.get("region_code")), inp.stats)
        if s is None:
            continue
        u, v = n / s["units"], total / s["sales"]
        if u >= units_share or v >= sales_share:
            continue
        out.append(_finding(r["id"], "coverage_share",
                            f"会员企业 {n} 家，仅占{s['region']}{s['label']}行业企业 {int(s['units'])} 家的 {_pct(u)}"
                            f"（应不低于 {units_share:.0%}）；会员销售额 {_amount(total)} 万元，仅占该行业销售额 "
                            f"{_amount(s['sales'])} 万元的 {_pct(v)}（应不低于 {sales_share:.0%}）",
                            industry=s["label"], region=s["region"], members=n, units=int(s["units"]),
                            member_sales=round(total, 1), sales=round(float(s["sales"]), 1),
                            units_share=round(u, 4), sales_share=round(v, 4)))
    return out


def _member_outside_region(inp: _Input) -> list[Finding]:
    """Enterprise members registered outside the association's region (a county body: other counties or
    outside the city; a city body: outside the city). Individual members are not registered anywhere."""
    own = {r["id"]: cell(r.get("region_code")) for r in inp.rows}
    m = inp.members
    place = inp.column("place")
    placed = (place != "") & (inp.column("kind") == ENTERPRISE)
    home = np.array([own.get(aid, "") for aid in m.ids], dtype=object)[m.owner]
    outside = placed & (home != "")
    outside[outside] = per_distinct(lambda a, b: _disjoint(_division(a), _division(b)), home[outside],
                                    place[outside]).astype(bool)
    n_placed, n_outside, shown_rows = m.count(placed), m.count(outside), m.first(outside, SHOWN)
    t = inp.table
    out = []
    for r in inp.rows:
        code = own[r["id"]]
        total = n_outside.get(r["id"], 0)
        if not code or not total:
            continue
        region = cell(r.get("region_name")) or _division(code).name
        examples = [{"name": t.name[k], "region": t.region[k]} for k in shown_rows[r["id"]].tolist()]
        shown = [f"{x['name']}（{x['region']}）" for x in examples]
        out.append(_finding(r["id"], "member_outside_region",
                            f"{total} 家会员企业的登记地不在本会所在行政区域（{region}）内"
                            f"（共 {n_placed[r['id']]} 家有登记地）：{_examples(shown, total)}",
                            region=region, outside=total, with_region=n_placed[r["id"]], examples=examples))
    return out


def _industry_kind(key: str) -> str:
    try:
        return industry.get(key).kind if key else ""
    except DetectorError:
        return ""


def _non_industry_member(inp: _Input) -> list[Finding]:
    """Enterprise members whose names clearly state an industry unrelated to the association's."""
    stated = inp.table.stated
    unrelated = _memo(lambda own, keys: all(industry.relation(own, k) == industry.DIFFERENT for k in keys))
    checked = {r["id"]: cell(r.get("industry_key")) for r in inp.rows
               if r.get("eff_type") in INDUSTRY_TYPES and _industry_kind(cell(r.get("industry_key"))) == industry.INDUSTRY
               and not cell(r.get("origin"))}  # a 行业协会 named after a place of origin is a 异地商会 in disguise
    if not checked:
        return []
    m = inp.members
    own = np.array([checked.get(aid, "") for aid in m.ids], dtype=object)[m.owner]
    norm = inp.column("norm")
    flagged = (own != "") & (inp.column("kind") == ENTERPRISE)
    flagged[flagged] = per_distinct(lambda o, n: bool(stated.get(n, ())) and unrelated(o, stated[n]), own[flagged],
                                    norm[flagged]).astype(bool)
    count, first = m.count(flagged), m.first(flagged, SHOWN)
    t = inp.table
    out = []
    for r in inp.rows:
        total = count.get(r["id"], 0) if r["id"] in checked else 0
        if not total:
            continue
        examples = [{"name": t.name[k], "industry": industry.get(stated[t.norm[k]][0]).name}
                    for k in first[r["id"]].tolist()]
        own_name = industry.get(checked[r["id"]]).name
        shown = [f"{x['name']}（{x['industry']}）" for x in examples]
        out.append(_finding(r["id"], "non_industry_member",
                            f"{total} 家会员企业的名称显示其主营与本会行业（{own_name}）无关："
                            f"{_examples(shown, total)}",
                            industry=own_name, count=total, examples=examples))
    return out


@dataclass(frozen=True)
class LeaderPosts:
    """副会长-or-above posts held in a registry's active associations: the context that lets
    leader_overlap count posts across the registry and an application batch. Build it once per
    registry with :func:`leader_posts` (it reads every membership)."""

    by_holder: dict[str, list[Post]]  # holder identity → the posts it holds
    by_name: dict[str, list[Post]]  # holder's name → the posts held under it (all identities, and none)
    names: dict[str, str]  # association id → name, registry order

    @cached_property
    def position(self) -> dict[str, int]:
        return {aid: i for i, aid in enumerate(self.names)}


def _table(members: MemberTable | pd.DataFrame | None, home: Division | None) -> MemberTable:
    return members if isinstance(members, MemberTable) else member_table(members, home)


def _grouped(posts: Iterable[Post], field: str) -> dict[str, list[Post]]:
    """Posts by ``holder`` or ``person`` (posts without a holder are left out of the holders)."""
    out: dict[str, list[Post]] = {}
    for post in posts:
        if getattr(post, field):
            out.setdefault(getattr(post, field), []).append(post)
    return out


def leader_posts(frame: pd.DataFrame, members: MemberTable | pd.DataFrame | None,
                 home: Division | None = None) -> LeaderPosts:
    """The posts of ``frame``'s active associations (a profiled frame or a raw associations frame)."""
    rows = _active_rows(frame) if "id" in frame.columns else []
    posts = _table(members, home).posts([r["id"] for r in rows])
    return LeaderPosts(_grouped(posts, "holder"), _grouped(posts, "person"), {r["id"]: cell(r.get("name")) for r in rows})


def _best(posts: Iterable[Post]) -> dict[str, Post]:
    """Association id → the highest post among ``posts``."""
    out: dict[str, Post] = {}
    for post in posts:
        if post.aid not in out or post.rank < out[post.aid].rank:
            out[post.aid] = post
    return out


def _basis(holder: str, post: Post) -> str:
    return f"人员编号 {holder.removeprefix('pid:')}" if holder.startswith("pid:") else f"代表{post.member}"


def _leader_overlap(inp: _Input) -> list[Finding]:
    """One person in 副会长-or-above posts of ≥ leader_overlap_max active associations (frame + context).

    A person is one identity (person_id, else name + the enterprise represented, see :mod:`detector.members`).
    Posts that only a name links — a common name in many associations, one name for several enterprises —
    are never asserted to be one person: they become ``leader_overlap_unverified`` (同名待核实). Linear in the
    posts: each identity's and each name's posts are grouped once, and a namesake finding shows a few
    examples, not all of them.
    """
    roles, limit = list(inp.cfg["leader_roles"]), int(inp.cfg["leader_overlap_max"])
    here = {r["id"]: i for i, r in enumerate(inp.rows)}
    own = inp.table.posts(list(here))
    if not own:
        return []
    by_holder, by_name = _grouped(own, "holder"), _grouped(own, "person")
    names: Mapping[str, str] = {r["id"]: cell(r.get("name")) for r in inp.rows}
    there: dict[str, int] = {}
    if inp.context is not None:
        there = inp.context.position
        for mine, theirs in ((by_holder, inp.context.by_holder), (by_name, inp.context.by_name)):
            for key, posts in mine.items():
                posts += [q for q in theirs.get(key, []) if q.aid not in here]
        names = ChainMap(inp.context.names, names)  # the registry's names, never copied (100,000 of them)

    def order(aid: str) -> tuple:  # the screened rows first, then the registry, in their order
        return (0, here[aid], aid) if aid in here else (1, there.get(aid, len(there)), aid)

    def shown(posts: Iterable[Post], with_member: bool) -> list[dict]:
        return [{"id": q.aid, "name": names.get(q.aid) or q.aid, "role": roles[q.rank]}
                | ({"member": q.member} if with_member else {}) for q in sorted(posts, key=lambda q: order(q.aid))]

    verified: dict[str, list[tuple[str, dict]]] = {}  # aid → (message part, evidence)
    sure: set[tuple[str, str]] = set()  # (association, name) of the posts of an identified person
    for holder in sorted(by_holder):
        held = _best(by_holder[holder])
        if len(held) < limit:
            continue
        first = next(iter(held.values()))
        listed = shown(held.values(), False)
        text = (f"{first.person}（{_basis(holder, first)}）在 {len(listed)} 家协会商会担任副会长及以上职务"
                f"（达到 {limit} 家即提示）：" + "、".join(f"{x['name']}（{x['role']}）" for x in listed))
        for aid, q in held.items():
            sure.add((aid, q.person))
            if aid in here:
                verified.setdefault(aid, []).append((text, {"person": q.person, "holder": holder,
                                                            "associations": listed}))

    def example(x: dict) -> tuple[dict, str]:  # a namesake's post: evidence and its words in the message
        return x, f"{x['name']}（{x['role']}，{x['member']}）"

    namesakes: dict[str, list[tuple[str, dict]]] = {}
    for person in sorted(by_name):
        ranked = sorted(_best(by_name[person]).values(), key=lambda q: order(q.aid))
        if len(ranked) < limit:
            continue
        # the first posts, shown in every finding of the name: made once (a common name has thousands)
        first = {q.aid: example(x) for q, x in zip(ranked, shown(ranked[:SHOWN], True))}
        head = (f"同名待核实：{person} 在 {len(ranked)} 家协会商会担任副会长及以上职务（达到 {limit} 家即提示），"
                "但这些职务只能按姓名关联（代表的企业不同或不明），未必是同一人：")
        tail = " 等" if len(ranked) > SHOWN else ""
        for q in ranked:
            if q.aid not in here or (q.aid, person) in sure:
                continue
            own = first.get(q.aid) or example(shown([q], True)[0])
            listed = [own, *[e for aid, e in first.items() if aid != q.aid][: SHOWN - 1]]
            examples = [x for x, _ in listed]
            text = head + "、".join(t for _, t in listed) + tail
            namesakes.setdefault(q.aid, []).append((text, {"person": person, "count": len(ranked),
                                                           "examples": examples}))
    return [_finding(aid, rule, "；".join(t for t, _ in found), limit=limit, persons=[e for _, e in found])
            for rule, parts in (("leader_overlap", verified), (LEADER_NAMESAKE, namesakes))
            for aid, found in parts.items()]


def _research_enterprise_share(inp: _Input) -> list[Finding]:
    """A 研究会/学会 whose enterprise members exceed the policy share of its members."""
    limit = inp.cfg["research_enterprise_share"]
    research = [r for r in inp.rows if r.get("eff_type") in RESEARCH_TYPES]
    if not research:
        return []
    every = np.ones(len(inp.members.rows), dtype=bool)
    members, firms = inp.members.count(every), inp.members.count(inp.column("kind") == ENTERPRISE)
    out = []
    for r in research:
        n, k = members.get(r["id"], 0), firms.get(r["id"], 0)
        if not n or k / n <= limit:
            continue
        out.append(_finding(r["id"], "research_enterprise_share",
                            f"企业会员 {k}/{n} 家（{_pct(k / n)}），超过{r['eff_type']}企业会员不超过 {limit:.0%} 的要求",
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
    default = int(inp.cfg["default_term_years"])
    grace = timedelta(days=int(inp.cfg["exit_election_grace_days"]))
    out = []
    for r in inp.rows:
        when = _date(r.get("last_election"))
        if when is None:
            continue
        term = _number(r.get("term_years"))
        years = int(term) if term == term else default
        due = _add_years(when, years)
        if due + grace >= inp.as_of:
            continue
        late = (inp.as_of - due).days
        out.append(_finding(r["id"], "exit_election_overdue",
                            f"上次换届 {when:%Y-%m-%d}，任期 {years} 年，应于 {due} 前换届，已逾期 {late} 天",
                            last_election=f"{when:%Y-%m-%d}", term_years=years, due=due.isoformat(),
                            days_overdue=late))
    return out


def _exit_no_staff(inp: _Input) -> list[Finding]:
    return [_finding(r["id"], "exit_no_staff", "无专职工作人员（专职人员 0 名）", staff_fulltime=0)
            for r in inp.rows if _number(r.get("staff_fulltime")) == 0]


def _exit_no_office(inp: _Input) -> list[Finding]:
    return [_finding(r["id"], "exit_no_office", "无固定办公场所", has_office=False)
            for r in inp.rows if cell(r.get("has_office")).lower() in _FALSE]


def _exit_no_funding(inp: _Input) -> list[Finding]:
    """Empty funding, when the column is given (an all-empty column counts as absent)."""
    if not any(cell(r.get("funding")) for r in inp.rows):
        return []
    return [_finding(r["id"], "exit_no_funding", "无经费来源（经费来源未填写）", funding="")
            for r in inp.rows if not cell(r.get("funding"))]


def _exit_inspection(inp: _Input) -> list[Finding]:
    out = []
    for r in inp.rows:
        result = normalize_text(cell(r.get("inspection")))
        if result in FAILED_INSPECTIONS:
            out.append(_finding(r["id"], "exit_inspection", f"上次年检结果：{result}", inspection=result))
    return out


def _exit_no_party(inp: _Input) -> list[Finding]:
    """Fewer party members than exit_party_min: no party organisation of its own."""
    least = int(inp.cfg["exit_party_min"])
    out = []
    for r in inp.rows:
        n = _number(r.get("party_members"))
        if n < least:  # NaN (unknown) never is
            out.append(_finding(r["id"], "exit_no_party", f"党员 {int(n)} 名，不足 {least} 名，无法单独建立党组织",
                                party_members=int(n), minimum=least))
    return out


_CHECKS: tuple[Callable[[_Input], list[Finding]], ...] = (
    _county_chamber_at_city, _coverage_counties, _coverage_share, _member_outside_region, _non_industry_member,
    _leader_overlap, _research_enterprise_share, _exit_election_overdue, _exit_no_staff, _exit_no_office,
    _exit_no_funding, _exit_inspection, _exit_no_party,
)


# What each rule reads beyond names (Chinese, for "未能检查"): (table, column) pairs; "memberships" alone = any row.
_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "coverage_counties": (("memberships", "member_region"),),
    "coverage_share": (("industry_stats", ""), ("memberships", "annual_sales")),
    "member_outside_region": (("memberships", "member_region"),),
    "non_industry_member": (("memberships", ""),),
    "leader_overlap": (("memberships", "person"),),
    LEADER_NAMESAKE: (("memberships", "person"),),
    "research_enterprise_share": (("memberships", ""),),
    "exit_election_overdue": (("associations", "last_election"),),
    "exit_no_staff": (("associations", "staff_fulltime"),),
    "exit_no_office": (("associations", "has_office"),),
    "exit_no_funding": (("associations", "funding"),),
    "exit_inspection": (("associations", "inspection"),),
    "exit_no_party": (("associations", "party_members"),),
}
_DATA_ZH = {("memberships", ""): "会员数据（memberships.csv）", ("industry_stats", ""): "行业统计（industry_stats.csv）",
            ("memberships", "member_region"): "会员所在地（member_region）",
            ("memberships", "annual_sales"): "会员年销售额（annual_sales）",
            ("memberships", "person"): "会员负责人（person）", ("associations", "last_election"): "上次换届日期（last_election）",
            ("associations", "staff_fulltime"): "专职人员数（staff_fulltime）",
            ("associations", "has_office"): "固定办公场所（has_office）", ("associations", "funding"): "经费来源（funding）",
            ("associations", "inspection"): "年检结果（inspection）", ("associations", "party_members"): "党员人数（party_members）"}


def filled(values: pd.Series | np.ndarray) -> bool:
    """Any cell with a value (False / 0 count; empty text, None and NaN do not)."""
    return any(cell(v) for v in pd.Series(values).dropna().tolist())


def unchecked(frame: pd.DataFrame, members: MemberTable | pd.DataFrame | None,
              industry_stats: pd.DataFrame | StatsIndex | None) -> list[tuple[str, str]]:
    """The rules the data does not allow to check, in rule order: (code, the data missing, in Chinese).

    A rule is skipped, never guessed, when a table or column it reads is absent or entirely empty.
    """
    table = _table(members, None)
    has = {("memberships", ""): len(table) > 0,
           ("industry_stats", ""): industry_stats is not None and len(getattr(industry_stats, "by_text", industry_stats)) > 0,
           ("memberships", "member_region"): bool((table.region != "").any()),  # stripped texts, "" when none
           ("memberships", "annual_sales"): bool((~np.isnan(table.sales_column)).any()) if len(table) else False,
           ("memberships", "person"): bool((table.person != "").any())}
    out = []
    for rule in RULES:
        missing = [need for need in _NEEDS.get(rule, ())
                   if not (has[need] if need in has else need[1] in frame.columns and filled(frame[need[1]]))]
        if not has[("memberships", "")]:  # no member data at all: say that, not which of its columns
            missing = list(dict.fromkeys(("memberships", "") if m[0] == "memberships" else m for m in missing))
        if missing:
            out.append((rule, "、".join(_DATA_ZH[m] for m in missing)))
    return out


def unchecked_text(items: Iterable[tuple[str, str]]) -> str:
    """Rules not checked, grouped by the data they lack: 缺会员数据（…）：规则甲、规则乙；缺…"""
    by_missing: dict[str, list[str]] = {}
    for rule, missing in items:
        by_missing.setdefault(missing, []).append(rule_title(rule))
    return "；".join(f"缺{m}：{'、'.join(titles)}" for m, titles in by_missing.items())


def check_rules(frame: pd.DataFrame, members: MemberTable | pd.DataFrame | None,
                industry_stats: pd.DataFrame | StatsIndex | None,
                home: Division | None, *, as_of: date | None = None,
                context: LeaderPosts | None = None) -> list[Finding]:
    """Policy findings for the active rows of ``frame`` (a profiled frame), in frame order, then rule order.

    ``members``: their :class:`~detector.members.MemberTable` (or a raw memberships frame).
    ``context``: the existing registry's :func:`leader_posts` when ``frame`` holds applications, so that
    leader_overlap counts posts across both. ``as_of`` (default today) dates the election check.
    """
    if "id" not in frame.columns or not len(frame):
        return []
    rows = _active_rows(frame)
    stats = industry_stats if isinstance(industry_stats, StatsIndex) or industry_stats is None \
        else stats_index(industry_stats, home)
    inp = _Input(rows=rows, table=_table(members, home), stats=stats, home=home,
                 cfg=settings(), as_of=as_of or date.today(), context=context)
    return ordered([f for check in _CHECKS for f in check(inp)], [r["id"] for r in rows])


def ordered(findings: Iterable[Finding], ids: Iterable[str]) -> list[Finding]:
    """Findings in the order of ``ids`` (frame order), then in rule order (:data:`~detector.policy.RULES`)."""
    position = {aid: i for i, aid in enumerate(ids)}
    rank = {rule: i for i, rule in enumerate(RULES)}
    return sorted(findings, key=lambda f: (position.get(f.id, len(position)), rank.get(f.rule, len(rank))))
