"""The study as report tables: summary figures, group members, findings, hubs, party branches (Chinese labels).

One place for what the HTML report and the Excel workbook both show.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from ..io import Registry, summary
from ..policy import RULES, SEVERITY, SEVERITY_ZH, rule_title
from ..rules import unchecked_text
from ..study import Group, StudyResult



def title(result: StudyResult) -> str:
    home = result.profiles.home
    return f"{home.name if home else ''}行业协会商会合并研究报告"


def names_by_id(result: StudyResult) -> dict[str, str]:
    frame = result.profiles.frame
    return dict(zip(frame["id"].astype(str), frame["name"].astype(str)))


def severity_counts(result: StudyResult) -> dict[str, int]:
    """Findings per severity (error, warning, info), every severity present."""
    counts = Counter(f.severity for f in result.findings)
    return {s: counts.get(s, 0) for s in SEVERITY_ZH}


def summary_items(result: StudyResult, registry: Registry | None = None) -> list[tuple[str, str]]:
    """The headline figures as (label, value) rows; data source and member counts need the ``registry``."""
    p = result.profiles
    items = [("数据来源", registry.source)] if registry is not None else []
    items += [
        ("所在城市", p.home.name if p.home else "未能从名称推断"),
        ("协会商会", f"{len(p)} 家"),
        ("其中正常状态", f"{int(p.frame['active'].sum())} 家"),
    ]
    if registry is not None:
        s = summary(registry)
        items.append(("会员记录", f"{s['memberships']} 条（不同会员 {s['distinct_members']} 个）"
                      if s["memberships"] else "无会员数据"))
    items += [
        ("建议合并", f"{len(result.groups)} 组"),
        ("涉及组织", f"{sum(len(g.ids) for g in result.groups)} 家"),
        ("政策规则提示", "，".join(f"{SEVERITY_ZH[k]} {v} 条" for k, v in severity_counts(result).items())),
        ("枢纽型组织", f"{len(result.hubs)} 家"),
        ("建议联合党支部", f"{len(result.party_branches)} 个"),
    ]
    if registry is not None and registry.names_only:
        items.append(("说明", "仅有名称数据：只按名称结构与语义比对，覆盖面与多数规则无法检查"))
    if result.records:
        items.append(("重复记录", f"{sum(len(ids) - 1 for ids in result.records)} 条（同一组织登记多次，不作为合并建议）"))
    if result.not_compared:
        items.append(("合并比对未能使用", "、".join(result.not_compared)))
    if result.unchecked:
        items.append(("未能检查的规则", unchecked_text(result.unchecked)))
    return items


def coverage_text(group: Group) -> str:
    """Combined coverage after the merger, one line."""
    c = group.coverage
    parts = [f"会员 {c['members']} 家"]
    if c.get("county_units"):
        parts.append(f"覆盖 {c['counties']}/{c['county_units']} 个县级单位")
    if c.get("sales"):
        parts.append(f"会员年销售额 {c['sales']:,.0f} 万元")
    return "，".join(parts)


def group_members_frame(result: StudyResult) -> pd.DataFrame:
    """One row per association in a proposed group (groups numbered from 1)."""
    rows = [{"组号": k, "组织名称": name, "统一社会信用代码/编号": aid, "建议保留": "是" if aid == g.survivor else "",
             "组内得分": g.score, "合并理由": "；".join(g.reasons), "保留理由": g.rationale,
             "合并后会员数": g.coverage["members"], "合并后覆盖县级单位": g.coverage["counties"],
             "县级单位总数": g.coverage["county_units"], "合并后会员年销售额（万元）": g.coverage["sales"]}
            for k, g in enumerate(result.groups, 1) for aid, name in zip(g.ids, g.names, strict=True)]
    return pd.DataFrame(rows, columns=["组号", "组织名称", "统一社会信用代码/编号", "建议保留", "组内得分", "合并理由",
                                       "保留理由", "合并后会员数", "合并后覆盖县级单位", "县级单位总数",
                                       "合并后会员年销售额（万元）"])


def findings_table(result: StudyResult) -> pd.DataFrame:
    """One row per finding, with the association's name and the rule's Chinese title."""
    names = names_by_id(result)
    rows = [{"规则代码": f.rule, "规则": rule_title(f.rule), "级别": SEVERITY_ZH.get(f.severity, f.severity),
             "组织名称": names.get(f.id, ""), "统一社会信用代码/编号": f.id, "说明": f.message}
            for f in result.findings]
    return pd.DataFrame(rows, columns=["规则代码", "规则", "级别", "组织名称", "统一社会信用代码/编号", "说明"])


def rule_counts(result: StudyResult) -> list[dict]:
    """Every rule with at least one finding, in the order of FORMAT.md: code, title, severity, count."""
    counts = Counter(f.rule for f in result.findings)
    return [{"rule": r, "title": rule_title(r), "severity": SEVERITY_ZH[SEVERITY[r]], "count": counts[r]}
            for r in RULES if counts[r]]


def hubs_frame(result: StudyResult) -> pd.DataFrame:
    rows = [{"组织名称": h.name, "统一社会信用代码/编号": h.id, "中心度（PageRank）": h.centrality,
             "关联组织数": h.linked_associations, "共有会员（家次）": h.shared_members} for h in result.hubs]
    return pd.DataFrame(rows, columns=["组织名称", "统一社会信用代码/编号", "中心度（PageRank）", "关联组织数", "共有会员（家次）"])


def party_branches_frame(result: StudyResult) -> pd.DataFrame:
    """One row per association in a proposed joint party branch (branches numbered from 1)."""
    names = names_by_id(result)
    rows = [{"支部编号": k, "组织名称": names.get(aid, ""), "统一社会信用代码/编号": aid}
            for k, ids in enumerate(result.party_branches, 1) for aid in ids]
    return pd.DataFrame(rows, columns=["支部编号", "组织名称", "统一社会信用代码/编号"])


def drawn_groups(result: StudyResult, max_groups: int) -> list[tuple[int, Group]]:
    """The groups a figure draws with their number in the report: at most ``max_groups``, the largest and
    best-scored, in report order."""
    numbered = list(enumerate(result.groups, 1))
    top = sorted(numbered, key=lambda kg: (-len(kg[1].ids), -kg[1].score, kg[0]))[:max_groups]
    return sorted(top, key=lambda kg: kg[0])
