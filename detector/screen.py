"""Screening new applications against the registry (and against each other in the batch)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from .explain import gate_text, reasons_for
from .features import many_shared_members
from .industry import RELATED
from .io import Registry, records
from .engine import Engine
from .profiles import Profiles, build_profiles
from .policy import CLEAR, DUPLICATE, ERROR, PROBABILITY_ZH, RELATED_ONLY, REJECT, REVIEW, percent
from .rules import Finding, check_rules, to_json as finding_json
from .scoring import score_candidates

MAX_MATCHES = 5


@dataclass(frozen=True)
class Match:
    id: str
    name: str
    score: float  # probability of being a duplicate under 一业一会 (0 when policy rules it out)
    reasons: list[str]
    similarity: float  # evidence alone, before policy gates (a related association scores here)
    relation: str  # duplicate / review / related
    gate: str = ""  # why the policy rules it out as a duplicate (a related match), in Chinese; else ""


@dataclass
class ScreenResult:
    id: str
    name: str
    verdict: str
    matches: list[Match]
    findings: list[Finding]
    batch_matches: list[Match] = field(default_factory=list)  # other applications in the same batch
    summary: str = ""

    def to_json(self) -> dict:
        """The FORMAT.md screen object, extended with ``batch_matches`` and a one-line ``summary``."""
        return {
            "id": self.id,
            "name": self.name,
            "verdict": self.verdict,
            "matches": [asdict(m) for m in self.matches],
            "findings": [finding_json(f) for f in self.findings],
            "batch_matches": [asdict(m) for m in self.batch_matches],
            "summary": self.summary,
        }


def _crossover(f: Mapping[str, Any]) -> bool:
    """业务交叉 in the same region: a related industry, or many shared members."""
    if f["gate_reason"]:
        return False
    return f["industry_rel"] == RELATED or many_shared_members(f["shared_members"], f["member_cont"])


def relation(f: Mapping[str, Any], thresholds: dict) -> str | None:
    """How a scored pair relates: duplicate / review (业务交叉) / related (similar, ruled out by policy) / None."""
    if f["score"] >= thresholds["duplicate"]:
        return DUPLICATE
    if f["score"] >= thresholds["review"] or _crossover(f):
        return REVIEW
    return RELATED_ONLY if f["model_p"] >= thresholds["duplicate"] else None


def matches_of(pairs: pd.DataFrame, left: Profiles, right: Profiles, row: int, thresholds: dict,
               same: bool = False, limit: int = MAX_MATCHES) -> list[Match]:
    """Matches of ``left`` row ``row``, best first: duplicates, reviews, then related (policy-gated) ones.
    The one definition of "similar associations" (screening, and the workbench's association pages).

    ``same``: ``pairs`` are within one table (``i < j``), so ``row`` may stand on either side.
    """
    mine = pairs[(pairs["i"] == row) | (pairs["j"] == row)].copy() if same else pairs[pairs["i"] == row]
    if same:
        flip = (mine["j"] == row).to_numpy()
        mine["i"], mine["j"] = np.where(flip, mine["j"], mine["i"]), np.where(flip, mine["i"], mine["j"])
    found = []
    for f in records(mine):
        how = relation(f, thresholds)
        if how:
            found.append(({DUPLICATE: 0, REVIEW: 1}.get(how, 2), -f["score"], -f["model_p"], how, f))
    ranked = sorted(found, key=lambda x: x[:3])[:limit]  # reasons only for what is shown
    return [Match(right.frame["id"].iat[int(f["j"])], right.frame["name"].iat[int(f["j"])], round(float(f["score"]), 4),
                  reasons_for(f, left, right), round(float(f["model_p"]), 4), how, gate_text(f, left, right))
            for *_, how, f in ranked]


def _verdict(matches: list[Match], batch: list[Match], findings: list[Finding]) -> str:
    if any(f.severity == ERROR for f in findings):
        return REJECT
    if matches and matches[0].relation == DUPLICATE:
        return DUPLICATE
    if (matches and matches[0].relation == REVIEW) or any(m.relation == DUPLICATE for m in batch):
        return REVIEW
    return CLEAR


def _summary(verdict: str, matches: list[Match], batch: list[Match], findings: list[Finding]) -> str:
    if verdict == REJECT:
        return "不予登记：" + "；".join(f.message for f in findings if f.severity == ERROR)
    if verdict == DUPLICATE:
        return (f"与已登记的「{matches[0].name}」重复（{PROBABILITY_ZH} {percent(matches[0].score)}），"
                "按一业一会宜引导加入现有组织")
    if verdict == REVIEW:
        if matches and matches[0].relation == REVIEW:
            return f"与已登记的「{matches[0].name}」存在业务交叉或部分重叠，需人工复核"
        other = next(m for m in batch if m.relation == DUPLICATE)
        return f"与同批申请「{other.name}」可能重复或交叉（{PROBABILITY_ZH} {percent(other.score)}），需人工协调"
    related = sum(m.relation == RELATED_ONLY for m in matches)
    return f"未发现重复的已登记组织；{related} 家相似的组织按一业一会不构成重复（见理由）" if related else "未发现重复的已登记组织"


def screen_applications(engine: Engine, apps: Registry, today: date | None = None) -> list[ScreenResult]:
    """Verdict, matches and rule findings for every application in ``apps``."""
    reg_p = engine.profiles  # built before limiting threads: profiling a registry is heavy work
    # Screening multiplies small matrices: one BLAS thread is as fast, and idle BLAS threads spinning
    # beside the embedding model's own threads would halve its speed on a 2-core machine.
    with _threadpools().limit(limits=1, user_api="blas"):
        return _screen(engine, reg_p, apps, today)


@lru_cache(maxsize=1)
def _threadpools() -> ThreadpoolController:
    """The process's thread pools, found once (finding them reads the loaded libraries' files)."""
    return ThreadpoolController()


def _screen(engine: Engine, reg_p: Profiles, apps: Registry, today: date | None) -> list[ScreenResult]:
    app_p = build_profiles(apps.associations, apps.memberships, engine.embedder, home=reg_p.home,
                           vectorizer=reg_p.vectorizer, known_members=engine.member_vocabulary)
    vs_registry = score_candidates(app_p, reg_p, scorer=engine.scorer)
    within = score_candidates(app_p, scorer=engine.scorer) if len(app_p) > 1 else vs_registry.iloc[0:0]
    findings = check_rules(app_p.frame, app_p.member_table, engine.stats_index, reg_p.home, as_of=today or date.today(),
                           context=engine.leader_posts)
    by_id: dict[str, list[Finding]] = {}
    for f in findings:
        by_id.setdefault(f.id, []).append(f)
    results = []
    for row, (aid, name) in enumerate(zip(app_p.frame["id"], app_p.frame["name"])):
        matches = matches_of(vs_registry, app_p, reg_p, row, engine.thresholds)
        batch = matches_of(within, app_p, app_p, row, engine.thresholds, same=True)
        mine = by_id.get(aid, [])
        verdict = _verdict(matches, batch, mine)
        results.append(ScreenResult(aid, name, verdict, matches, mine, batch, _summary(verdict, matches, batch, mine)))
    return results


def results_frame(results: list[ScreenResult]) -> pd.DataFrame:
    """One row per application: verdict, best match, its score and reasons, rule codes."""
    return pd.DataFrame([{
        "id": r.id,
        "name": r.name,
        "verdict": r.verdict,
        "best_match": r.matches[0].name if r.matches else "",
        "best_match_id": r.matches[0].id if r.matches else "",
        "score": r.matches[0].score if r.matches else 0.0,
        "reasons": "；".join(r.matches[0].reasons) if r.matches else "",
        "rules": ",".join(f.rule for f in r.findings),
        "summary": r.summary,
    } for r in results])
