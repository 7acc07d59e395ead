"""Merger study of a registry: consolidation groups with survivors, hubs, joint party branches, findings."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from . import regions
from .arrays import positions
from .cluster import cluster
from .explain import reasons_for
from .features import incidence
from .engine import Engine
from .layout import IndustryGaps, Layout, Liaison, MemberBurden, StrengthRanking, measure_layout
from .policy import rule_title, settings
from .profiles import Profiles
from .records import study_findings
from .rules import Finding, check_rules, filled, ordered, to_json as finding_json, unchecked
from .scoring import score_candidates

PairScoring = Callable[..., pd.DataFrame]  # (profiles, scorer=…) → the registry's scored candidate pairs


@dataclass(frozen=True)
class Group:
    ids: list[str]
    names: list[str]
    survivor: str
    score: float
    reasons: list[str]
    rationale: str
    coverage: dict  # combined after merger: members, counties covered, sales

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Hub:
    id: str
    name: str
    centrality: float
    linked_associations: int
    shared_members: int


@dataclass
class StudyResult:
    groups: list[Group]
    findings: list[Finding]
    hubs: list[Hub]
    party_branches: list[list[str]]
    pairs: pd.DataFrame = field(repr=False)  # all scored candidate pairs
    profiles: Profiles = field(repr=False)
    records: list[list[str]] = field(default_factory=list)  # ids of one body listed more than once, kept one first
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # (rule, data missing) the data did not allow
    not_compared: list[str] = field(default_factory=list)  # evidence no pair could be compared on (Chinese)
    layout: Layout = field(default_factory=Layout, repr=False)  # liaison, industry gaps, burden, strength

    @property
    def liaison(self) -> Liaison:
        return self.layout.liaison

    @property
    def industry_gaps(self) -> IndustryGaps:
        return self.layout.industry_gaps

    @property
    def burden(self) -> MemberBurden:
        return self.layout.burden

    @property
    def strength(self) -> StrengthRanking:
        return self.layout.strength

    def to_json(self) -> dict:
        """The FORMAT.md study object (``groups``, ``findings``), extended with hubs, party branches and the
        layout measures (``liaison``, ``industry_gaps``, ``member_burden``, ``strength_ranking``)."""
        return {
            "groups": [g.to_json() for g in self.groups],
            "findings": [finding_json(f) for f in self.findings],
            "hubs": [asdict(h) for h in self.hubs],
            "party_branches": self.party_branches,
            "liaison": self.liaison.to_json(),
            "industry_gaps": self.industry_gaps.to_json(),
            "member_burden": self.burden.to_json(),
            "strength_ranking": self.strength.to_json(),
            "unchecked": [{"rule": r, "title": rule_title(r), "missing": m} for r, m in self.unchecked],
            "not_compared": self.not_compared,
        }

    def linked_sets(self) -> list[list[str]]:
        """Everything the study says belongs together: each group with the extra records of its members, and the
        record-duplicate sets (what a pairwise evaluation compares with labels)."""
        g = nx.Graph()
        for ids in [grp.ids for grp in self.groups] + self.records:
            nx.add_path(g, ids)
        return sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))

    def groups_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{**g.to_json(), "size": len(g.ids)} for g in self.groups])

    def findings_frame(self) -> pd.DataFrame:
        return pd.DataFrame([finding_json(f) for f in self.findings], columns=["id", "rule", "severity", "message"])

    def liaison_frame(self) -> pd.DataFrame:
        """One row per chamber of a proposed liaison group of one province's 异地商会."""
        return self.liaison.frame()

    def industry_gaps_frame(self) -> pd.DataFrame:
        """Large industries without an association where they are concentrated, ranked."""
        return self.industry_gaps.frame()

    def burden_frame(self) -> pd.DataFrame:
        """Enterprises in more associations than ``member_burden_above``."""
        return self.burden.frame()

    def strength_frame(self) -> pd.DataFrame:
        """Every ranked association with its score, band and each component with its points."""
        return self.strength.frame()


def member_counties(profiles: Profiles) -> dict[str, set[str]]:
    """Association id → the home city's county-level units its members are registered in (those with any)."""
    if profiles.home is None:
        return {}
    units = {d.code for d in regions.county_units(profiles.home)}
    table = profiles.member_table
    covered = {aid: table.counties([aid]) & units for aid in table.associations()}
    return {aid: codes for aid, codes in covered.items() if codes}


def member_sales(profiles: Profiles) -> dict[str, float]:
    """Association id → its member sales (each member counted once; those with known sales)."""
    table = profiles.member_table
    sales = {aid: table.sales([aid])[1] for aid in table.associations()}
    return {aid: total for aid, total in sales.items() if total is not None}


def _age_years(founded: object, today: date) -> float | None:
    ts = pd.to_datetime(founded, errors="coerce")
    return None if pd.isna(ts) else (pd.Timestamp(today) - ts).days / 365.25


def _survivor(ids: list[str], p: Profiles, counties: dict, sales: dict, problems: dict, n_units: int,
              today: date) -> tuple[str, str]:
    """The association to keep: most members, widest county coverage, largest sales, oldest, healthiest."""
    founded = p.column("founded") if "founded" in p.frame else None
    rows = {i: {"name": p.column("name")[p.row_of[i]],
                "founded": founded[p.row_of[i]] if founded is not None else None} for i in ids}

    def key(i: str) -> tuple:
        age = _age_years(rows[i]["founded"], today) or 0.0
        return (-len(p.members[p.row_of[i]]), -len(counties.get(i, ())), -sales.get(i, 0.0),
                problems.get(i, 0), -age, i)

    best = min(ids, key=key)
    r = rows[best]
    parts = [f"会员 {len(p.members[p.row_of[best]])} 家"]
    if n_units and counties:
        parts.append(f"覆盖 {len(counties.get(best, ()))}/{n_units} 个县级单位")
    if sales:
        parts.append(f"会员年销售额 {sales.get(best, 0.0):,.0f} 万元")
    age = _age_years(r["founded"], today)
    if age is not None:
        parts.append(f"成立 {age:.0f} 年")
    parts.append(f"退出机制问题 {problems.get(best, 0)} 项")
    return best, f"建议保留「{r['name']}」：" + "、".join(parts) + "（在本组中综合最优）"


def _combined(ids: list[str], p: Profiles, units: set[str], n_units: int) -> dict:
    """The group after the merger: its distinct members, the home city's county ``units`` they cover, their sales."""
    members = frozenset().union(*(p.members[p.row_of[i]] for i in ids))
    return {"members": len(members), "counties": len(p.member_table.counties(ids) & units), "county_units": n_units,
            "sales": round(p.member_table.sales(ids)[1] or 0.0, 2)}


def hubs(p: Profiles, top: int = 10, min_shared: int = 2) -> list[Hub]:
    """枢纽型 associations: PageRank in the graph of associations linked by ≥ ``min_shared`` common members."""
    inc, _ = incidence(p, "members")
    if not inc.nnz:
        return []
    shared = (inc @ inc.T).tocsr()
    shared.data[shared.data < min_shared] = 0  # pairs with one common member never link: dropped before the copies
    shared.eliminate_zeros()
    overlap = sparse.triu(shared, k=1).tocoo()
    active = p.column("active").astype(bool)
    keep = active[overlap.row] & active[overlap.col]
    g = nx.Graph()
    g.add_weighted_edges_from(zip(overlap.row[keep].tolist(), overlap.col[keep].tolist(),
                                  overlap.data[keep].astype(float).tolist()))
    if not g:
        return []
    rank = nx.pagerank(g, weight="weight")
    best = sorted(rank, key=lambda n: (-rank[n], n))[:top]
    ids, names = p.column("id"), p.column("name")
    return [Hub(ids[n], names[n], round(rank[n], 5), g.degree(n), int(g.degree(n, weight="weight"))) for n in best]


def _industry_order(key: str) -> str:
    """Sort key placing similar industries next to each other (GB/T 4754 code; unknown last)."""
    from .industry import get

    gbt = get(key).gbt if key else ()
    return gbt[0] if gbt else "~"


def party_branches(p: Profiles) -> list[list[str]]:
    """Joint party branches: associations with too few party members, by region and similar industry,
    at most ``party_branch_max_size`` each (GB/T-ordered industries keep similar ones together)."""
    if "party_members" not in p.frame:
        return []
    members = pd.to_numeric(p.frame["party_members"], errors="coerce")
    small = p.frame[(members < settings()["party_branch_below"]) & p.frame["active"]]
    size = settings()["party_branch_max_size"]
    out = []
    for _, block in small.groupby("region_code", sort=True):
        order = sorted(block.index, key=lambda r: (_industry_order(block.at[r, "industry_key"]), block.at[r, "id"]))
        for start in range(0, len(order), size):
            chunk = [p.frame["id"].iat[r] for r in order[start : start + size]]
            if len(chunk) >= 2:
                out.append(chunk)
    return out


def fold_records(pairs: pd.DataFrame, records: list[list[str]]) -> pd.DataFrame:
    """Scored pairs with every extra record replaced by the record kept for its body (best pair kept): the merger
    study groups bodies, not records, so one body listed twice never forms a group with itself. Only the pairs
    of the records' bodies are touched; the frame is copied once."""
    alias = {other: ids[0] for ids in records for other in ids[1:]}
    if not alias:
        return pairs
    bodies = set(alias) | set(alias.values())
    near = (pairs["id_a"].isin(bodies) | pairs["id_b"].isin(bodies)).to_numpy()
    sub = pairs.loc[near, ["id_a", "id_b", "score"]]
    a, b = sub["id_a"].map(alias).fillna(sub["id_a"]), sub["id_b"].map(alias).fillna(sub["id_b"])
    sub = sub.assign(id_a=np.minimum(a, b), id_b=np.maximum(a, b))[a != b]
    kept = sub.sort_values("score", ascending=False, kind="stable").drop_duplicates(["id_a", "id_b"])
    out = pairs.drop(index=pairs.index[near].difference(kept.index))
    out.loc[kept.index, ["id_a", "id_b"]] = kept[["id_a", "id_b"]]
    return out


def not_compared(p: Profiles) -> list[str]:
    """The evidence the registry gives no pair to compare on (a names-only list: all but the names), in Chinese."""
    kinds = (("业务范围与章程宗旨", ("scope", "purpose")), ("服务项目", ("services",)))
    out = [label for label, columns in kinds if not any(c in p.frame.columns and filled(p.frame[c]) for c in columns)]
    return out + ([] if len(p.member_table) else ["会员（共有会员、共同负责人）"])


def _within(pairs: pd.DataFrame, groups: list[list[str]]) -> list[np.ndarray]:
    """Per group, the positions in ``pairs`` of its scored pairs (both ends in the group), in the order of the
    group's ids (first end, then second)."""
    if not groups:
        return []
    index = pd.Index([i for g in groups for i in g])
    group = np.array([k for k, g in enumerate(groups) for _ in g], dtype=np.int64)
    position = np.array([n for g in groups for n in range(len(g))], dtype=np.int64)
    a, b = positions(index, pairs["id_a"]), positions(index, pairs["id_b"])
    rows = np.flatnonzero((a >= 0) & (b >= 0))
    rows = rows[group[a[rows]] == group[b[rows]]]
    pa, pb, ga = position[a[rows]], position[b[rows]], group[a[rows]]
    order = np.lexsort((np.maximum(pa, pb), np.minimum(pa, pb), ga))
    rows, ga = rows[order], ga[order]
    return np.split(rows, np.searchsorted(ga, np.arange(1, len(groups))))


def _certainty(within: pd.DataFrame | dict[str, np.ndarray]) -> tuple[float, float]:
    """Sort key putting the most certain groups first: the score band of the weakest pair (tenths), then how
    alike the names' cores are (a names-only registry scores most groups near 1: the names then decide)."""
    return -np.floor(float(within["score"].min()) * 10) / 10, -float(within["core_ratio"].mean())


def run_study(engine: Engine, today: date | None = None, score: PairScoring | None = None) -> StudyResult:
    """Find the records listed twice, score the registry's candidate pairs, cluster them into groups (of bodies,
    most certain first) and check the policy rules. ``score``: how the candidate pairs are scored (default
    :func:`~detector.scoring.score_candidates` in this process; :meth:`detector.distributed.Cluster.score` on a
    cluster, with the same result)."""
    today = today or date.today()
    p = engine.profiles
    scored = (score or score_candidates)(p, scorer=engine.scorer)
    record_findings, record_sets = study_findings(p)
    # what grouping reads (ids, score, core ratio), not every feature: the folded copy stays small
    pairs = fold_records(scored[["id_a", "id_b", "score", "core_ratio"]], record_sets)
    threshold = engine.thresholds["group"]

    def rescore(missing: list[tuple[str, str]]) -> np.ndarray:
        return engine.score_ids(p, p, missing)["score"].to_numpy()

    id_groups = cluster(pairs, threshold, rescore)
    findings = check_rules(p.frame, p.member_table, engine.stats_index, p.home, as_of=today)
    problems: dict[str, int] = {}
    for f in findings:
        problems[f.id] = problems.get(f.id, 0) + 1
    findings = ordered(findings + record_findings, p.frame["id"])
    counties = member_counties(p)
    sales = member_sales(p)
    n_units = len(regions.county_units(p.home)) if p.home is not None else 0
    units = {d.code for d in regions.county_units(p.home)} if p.home is not None else set()
    within = _within(pairs, id_groups)
    score, core = pairs["score"].to_numpy(dtype=float), pairs["core_ratio"].to_numpy(dtype=float)
    top = [rows[np.argmax(score[rows])] for rows in within]
    best = scored.loc[pairs.index[top]].assign(id_a=pairs["id_a"].iloc[top].to_numpy(),
                                               id_b=pairs["id_b"].iloc[top].to_numpy()).to_dict("records")
    names = p.column("name")
    groups, certainty = [], {}
    for ids, rows, top in zip(id_groups, within, best):
        survivor, rationale = _survivor(ids, p, counties, sales, problems, n_units, today)
        groups.append(Group(
            ids=ids,
            names=[names[p.row_of[i]] for i in ids],
            survivor=survivor,
            score=round(float(score[rows].mean()), 4),
            reasons=reasons_for(top, p, p),
            rationale=rationale,
            coverage=_combined(ids, p, units, n_units),
        ))
        certainty[ids[0]] = _certainty({"score": score[rows], "core_ratio": core[rows]})
    groups.sort(key=lambda g: (*certainty[g.ids[0]], g.ids[0]))
    layout = measure_layout(p, findings, engine.stats_index, counties, n_units)
    findings = findings + layout.burden.findings()
    return StudyResult(groups, findings, hubs(p), party_branches(p), scored, p, records=record_sets,
                       unchecked=unchecked(p.frame, p.member_table, engine.stats_index), not_compared=not_compared(p),
                       layout=layout)


def study_groups(registry_dir: str | Path) -> list[list[str]]:
    """What the study puts together: groups and record duplicates (used by the peer benchmark)."""
    return run_study(Engine.load(registry_dir)).linked_sets()
