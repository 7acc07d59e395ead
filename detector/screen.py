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
from .industry import RELATED, SAME, IndustryDecision
from .io import Registry, records
from .engine import Engine
from .profiles import Profiles, build_profiles
from .policy import CLEAR, DUPLICATE, ERROR, PROBABILITY_ZH, RECORD_DUPLICATE, RELATED_ONLY, REJECT, REVIEW, percent
from .records import Link, application_findings, links_across, links_within, reason
from .rules import Finding, check_rules, ordered, to_json as finding_json
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
    industry: IndustryDecision | None = None  # the application's own, from all its evidence

    def to_json(self) -> dict:
        """The FORMAT.md screen object, extended with ``batch_matches``, a one-line ``summary`` and the application's
        ``industry`` decision (key, confidence, source, doubt)."""
        return {
            "id": self.id,
            "name": self.name,
            "verdict": self.verdict,
            "matches": [asdict(m) for m in self.matches],
            "findings": [finding_json(f) for f in self.findings],
            "batch_matches": [asdict(m) for m in self.batch_matches],
            "summary": self.summary,
            "industry": asdict(self.industry) if self.industry else None,
        }


def _crossover(f: Mapping[str, Any]) -> bool:
    """业务交叉 in the same region: the same industry (一业一会: a person looks, whatever the names say), a related
    one, or many shared members."""
    if f["gate_reason"]:
        return False
    return f["industry_rel"] == RELATED or f["industry_rel"] == SAME and f["region_rel"] == SAME \
        or many_shared_members(f["shared_members"], f["member_cont"])


# what :func:`relation` reads of a scored pair
_RELATION_COLUMNS = ("score", "model_p", "gate_reason", "industry_rel", "region_rel", "shared_members", "member_cont")


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
    for at, f in enumerate(records(mine, _RELATION_COLUMNS)):
        how = relation(f, thresholds)
        if how:
            found.append(({DUPLICATE: 0, REVIEW: 1}.get(how, 2), -f["score"], -f["model_p"], how, at))
    ranked = sorted(found, key=lambda x: x[:3])[:limit]  # whole rows and reasons only for what is shown
    shown = records(mine.iloc[[at for *_, at in ranked]])
    return [Match(right.frame["id"].iat[int(f["j"])], right.frame["name"].iat[int(f["j"])], round(float(f["score"]), 4),
                  reasons_for(f, left, right), round(float(f["model_p"]), 4), how, gate_text(f, left, right))
            for (*_, how, _), f in zip(ranked, shown)]


def _record_matches(engine: Engine, pairs: pd.DataFrame, left: Profiles, right: Profiles, row: int,
                    links: list[Link], found: list[Match], same: bool = False) -> list[Match]:
    """``found`` with the records of the same body (``links`` of application ``row``) shown first among their
    relation: a certain one is a duplicate (the body is registered, or applies twice), a likely one a review.
    Their score is the evidence before the 一业一会 gates, which do not apply to one body recorded twice."""
    if not links:
        return found
    ids = left.frame["id"]
    out = []
    for link in links:
        other = link.b if link.a == row else link.a
        mine = pairs[((pairs["i"] == row) & (pairs["j"] == other)) | ((pairs["i"] == other) & (pairs["j"] == row))] \
            if same else pairs[(pairs["i"] == row) & (pairs["j"] == other)]
        f = records(mine)[0] if len(mine) else records(engine.score_ids(left, right, [(ids.iat[row],
                                                                                      right.frame["id"].iat[other])]))[0]
        f["i"], f["j"] = row, other
        why, _ = reason(left, row, right, other, link)
        out.append(Match(right.frame["id"].iat[other], right.frame["name"].iat[other],
                         round(max(float(f["score"]), float(f["model_p"])), 4), [f"同一组织：{why}", *reasons_for(f, left, right)],
                         round(float(f["model_p"]), 4), DUPLICATE if link.certain else REVIEW))
    shown = {m.id for m in out}
    rank = {DUPLICATE: 0, REVIEW: 1}
    merged = out + [m for m in found if m.id not in shown]
    return sorted(merged, key=lambda m: (rank.get(m.relation, 2), m.id not in shown))[:MAX_MATCHES]


def _verdict(matches: list[Match], batch: list[Match], findings: list[Finding]) -> str:
    """reject (a rule forbids) > duplicate (一业一会, or the same body already registered) > review (业务交叉, a
    likely record of the same body, or a look-alike in the batch) > clear."""
    if any(f.severity == ERROR for f in findings):
        return REJECT
    if matches and matches[0].relation == DUPLICATE:
        return DUPLICATE
    if (matches and matches[0].relation == REVIEW) or any(m.relation == DUPLICATE for m in batch) \
            or any(f.rule == RECORD_DUPLICATE for f in findings):
        return REVIEW
    return CLEAR


def _summary(verdict: str, matches: list[Match], batch: list[Match], findings: list[Finding]) -> str:
    same_body = {f.evidence["same_as"]: f for f in findings if f.rule == RECORD_DUPLICATE}
    if verdict == REJECT:
        return "不予登记：" + "；".join(f.message for f in findings if f.severity == ERROR)
    if verdict == DUPLICATE:
        if matches[0].id in same_body:
            return f"与已登记的「{matches[0].name}」为同一组织，属再次申请登记，不应重复登记（如需更名或变更，请办理变更登记）"
        return (f"与已登记的「{matches[0].name}」重复（{PROBABILITY_ZH} {percent(matches[0].score)}），"
                "按一业一会宜引导加入现有组织")
    if verdict == REVIEW:
        if matches and matches[0].relation == REVIEW:
            if matches[0].id in same_body:
                return f"可能与已登记的「{matches[0].name}」为同一组织（{same_body[matches[0].id].evidence['note']}），需人工核实"
            return f"与已登记的「{matches[0].name}」存在业务交叉或部分重叠，需人工复核"
        other = next(m for m in batch if m.relation == DUPLICATE or m.id in same_body)
        if other.id in same_body:
            sure = "为" if same_body[other.id].evidence["certain"] else "可能为"
            return f"与同批申请「{other.name}」{sure}同一组织，重复申请，需人工协调"
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


def warm_up(engine: Engine) -> None:
    """Screen the registry's first association as an application, once: what screening builds on first use
    (the registry's blocking and record indexes, the tokenizer) then exists before the first real application
    (a server's start). Its texts are the registry's own, embedded already."""
    reg = engine.registry
    if not len(reg):
        return
    first = reg.associations.iloc[:1].reset_index(drop=True)
    members = reg.memberships[reg.memberships["association_id"] == first["id"].iat[0]].reset_index(drop=True)
    screen_applications(engine, Registry(first, members, None, [], "warm-up", "applications", reg.present_columns, reg.home))


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
    registered, twice = links_across(app_p, reg_p), links_within(app_p)
    same_body = application_findings(app_p, reg_p, registered, twice)
    by_id: dict[str, list[Finding]] = {}
    for f in ordered(findings + [f for fs in same_body.values() for f in fs], app_p.frame["id"]):
        by_id.setdefault(f.id, []).append(f)
    in_batch: dict[int, list[Link]] = {}
    for link in twice:
        in_batch.setdefault(link.a, []).append(link)
        in_batch.setdefault(link.b, []).append(link)
    results = []
    decided = [IndustryDecision(k, float(c), s, d) for k, c, s, d in
               app_p.frame[["industry_key", "industry_conf", "industry_source", "industry_doubt"]].itertuples(index=False)]
    for row, (aid, name) in enumerate(zip(app_p.frame["id"], app_p.frame["name"])):
        matches = _record_matches(engine, vs_registry, app_p, reg_p, row, registered.get(row, []),
                                  matches_of(vs_registry, app_p, reg_p, row, engine.thresholds))
        batch = _record_matches(engine, within, app_p, app_p, row, in_batch.get(row, []),
                                matches_of(within, app_p, app_p, row, engine.thresholds, same=True), same=True)
        mine = by_id.get(aid, [])
        verdict = _verdict(matches, batch, mine)
        results.append(ScreenResult(aid, name, verdict, matches, mine, batch, _summary(verdict, matches, batch, mine),
                                    decided[row]))
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
