"""The study as report tables: summary figures, group members, findings, hubs, party branches (Chinese labels).

One place for what the HTML report and the Excel workbook both show.
"""
from __future__ import annotations

from collections import Counter

from ..io import Registry, summary
from ..policy import RULES, SEVERITY, SEVERITY_ZH, rule_title
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


def rule_counts(result: StudyResult) -> list[dict]:
    """Every rule with at least one finding, in the order of FORMAT.md: code, title, severity, count."""
    counts = Counter(f.rule for f in result.findings)
    return [{"rule": r, "title": rule_title(r), "severity": SEVERITY_ZH[SEVERITY[r]], "count": counts[r]}
            for r in RULES if counts[r]]


def drawn_groups(result: StudyResult, max_groups: int) -> list[tuple[int, Group]]:
    """The groups a figure draws with their number in the report: at most ``max_groups``, the largest and
    best-scored, in report order."""
    numbered = list(enumerate(result.groups, 1))
    top = sorted(numbered, key=lambda kg: (-len(kg[1].ids), -kg[1].score, kg[0]))[:max_groups]
    return sorted(top, key=lambda kg: kg[0])
