"""The study as report tables: summary figures, group members, findings, hubs, party branches (Chinese labels).

One place for what the HTML report and the Excel workbook both show.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from ..io import Registry, summary
from ..policy import (ALL_RULES, BAND_ZH, MEASURE_TITLES, RECTIFY, SEVERITY, SEVERITY_ZH, STRENGTH_COMPONENTS, SUPPORT,
                      rule_title)
from ..regions import LEVEL_ZH
from ..rules import Finding
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
        *layout_summary(result),
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


def layout_summary(result: StudyResult) -> list[tuple[str, str]]:
    """One headline per layout measure."""
    li, gaps, burden, strength = result.liaison, result.industry_gaps, result.burden, result.strength
    apart = f"；港澳台及籍贯不明的 {len(li.apart)} 家不纳入" if li.apart else ""
    new = sum(bool(r.new_economy) for r in gaps.rows)
    most = f"，最多的加入 {burden.above[0].associations} 家" if burden.above else ""
    return [
        (MEASURE_TITLES["liaison"], f"建议 {len(li.groups)} 个联络组（涉及 {sum(len(g.ids) for g in li.groups)} 家异地商会）"
                                    + apart),
        (MEASURE_TITLES["industry_gaps"], f"{len(gaps.rows)} 个行业在集中地没有协会商会（其中新经济领域 {new} 个）；"
                                          f"依据：{gaps.basis}"),
        (MEASURE_TITLES["member_burden"], f"加入超过 {burden.threshold} 家协会商会的企业 {len(burden.above)} 户"
                                          f"（企业会员共 {burden.enterprises:,} 户{most}）"),
        (MEASURE_TITLES["strength_ranking"], f"参评 {len(strength.rows)} 家；扶持培育候选 {len(strength.band(SUPPORT))} 家、"
                                             f"整改候选 {len(strength.band(RECTIFY))} 家（扶持 / 整改名额："
                                             f"{strength_places_text(result)}）"),
    ]


def subject_name(finding: Finding, names: dict[str, str]) -> str:
    """The name of what a finding is on: the association, or the enterprise of a member finding."""
    return names.get(finding.id) or str(finding.evidence.get("member", ""))


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
            for r in ALL_RULES if counts[r]]


def drawn_groups(result: StudyResult, max_groups: int) -> list[tuple[int, Group]]:
    """The groups a figure draws with their number in the report: at most ``max_groups``, the largest and
    best-scored, in report order."""
    numbered = list(enumerate(result.groups, 1))
    top = sorted(numbered, key=lambda kg: (-len(kg[1].ids), -kg[1].score, kg[0]))[:max_groups]
    return sorted(top, key=lambda kg: kg[0])


# ------------------------------------------------------------------------------------ layout measures

ID = "统一社会信用代码/编号"


def liaison_table(result: StudyResult) -> pd.DataFrame:
    """One row per chamber of a liaison group, then the chambers kept apart (联络组 不纳入)."""
    rows = []
    for k, g in enumerate(result.liaison.groups, 1):
        leaders = "、".join(x["person"] for x in g.shared_leaders)
        for n, aid in enumerate(g.ids):
            rows.append({"联络组": k, "省份": g.province, "组织名称": g.names[n], ID: aid, "籍贯": g.origins[n],
                         "籍贯级别": LEVEL_ZH.get(g.origin_levels[n], ""), "登记区域": g.regions[n],
                         "会员数": g.members[n], "牵头商会": "是" if aid == g.convener else "",
                         "与组内其他商会共有会员（家）": g.shared[n],
                         "说明": g.convener_reason if aid == g.convener else "",
                         "组内共同负责人": leaders if aid == g.convener else ""})
    for a in result.liaison.apart:
        rows.append({"联络组": "不纳入", "省份": "", "组织名称": a.name, ID: a.id, "籍贯": a.origin, "说明": a.reason})
    return pd.DataFrame(rows, columns=["联络组", "省份", "组织名称", ID, "籍贯", "籍贯级别", "登记区域", "会员数", "牵头商会",
                                       "与组内其他商会共有会员（家）", "说明", "组内共同负责人"])


def industry_gaps_table(result: StudyResult) -> pd.DataFrame:
    """The uncovered industries, ranked, with their evidence."""
    rows = [{"排名": r.rank, "行业": r.industry, "GB/T 4754": "、".join(r.gbt), "新经济领域": "、".join(r.new_economy),
             "规模依据": r.basis, "企业数": r.units, "销售额（万元）": r.sales, "会员企业数": r.member_enterprises,
             "规模占比": r.share, "应设立层级": r.expected, "集中情况": r.concentration,
             "其他层级已有组织": "、".join(r.existing)} for r in result.industry_gaps.rows]
    return pd.DataFrame(rows, columns=["排名", "行业", "GB/T 4754", "新经济领域", "规模依据", "企业数", "销售额（万元）",
                                       "会员企业数", "规模占比", "应设立层级", "集中情况", "其他层级已有组织"])


def new_economy_table(result: StudyResult) -> pd.DataFrame:
    """Per new-economy field: its GB/T codes, the classification they follow, existing bodies and size."""
    rows = [{"新经济领域": f["name"], "GB/T 4754": "、".join(f["gbt"]), "分类依据": f["basis"],
             "现有协会商会（家）": len(f["associations"]), "现有协会商会": "、".join(f["associations"]),
             "统计企业数": f["units"], "统计销售额（万元）": f["sales"], "会员企业数": f["member_enterprises"]}
            for f in result.industry_gaps.fields]
    return pd.DataFrame(rows, columns=["新经济领域", "GB/T 4754", "分类依据", "现有协会商会（家）", "现有协会商会",
                                       "统计企业数", "统计销售额（万元）", "会员企业数"])


def burden_table(result: StudyResult) -> pd.DataFrame:
    """Enterprises above the member_burden threshold, most associations first."""
    rows = [{"企业名称": e.name, "统一社会信用代码": e.member_id, "加入协会商会（家）": e.associations,
             "任副会长及以上职务（家）": e.posts,
             "所加入的协会商会（职务）": "、".join(f"{h['name']}（{h['role']}）" for h in e.held)}
            for e in result.burden.above]
    return pd.DataFrame(rows, columns=["企业名称", "统一社会信用代码", "加入协会商会（家）", "任副会长及以上职务（家）",
                                       "所加入的协会商会（职务）"])


def burden_distribution_text(result: StudyResult) -> str:
    """加入 1 家 4,473 户，2 家 953 户 …"""
    return "，".join(f"{k} 家 {v:,} 户" for k, v in result.burden.distribution.items())


def strength_table(result: StudyResult) -> pd.DataFrame:
    """Every ranked association: rank, score, band, and per component its value, points and evidence."""
    rows = []
    for r in result.strength.rows:
        row = {"排名": r.rank, "组织名称": r.name, ID: r.id, "登记区域": r.region, "类型": r.type, "综合得分": r.score,
               "类别": r.group, "类别内排名": r.group_rank, "建议": BAND_ZH.get(r.band, "")}
        for c, label in STRENGTH_COMPONENTS.items():
            value = r.components[c]
            row[f"{label}（分项）"] = round(value, 3) if value is not None else "不适用"
            row[f"{label}（得分）"] = r.contributions.get(c, 0.0)
            row[f"{label}（依据）"] = r.evidence.get(c, "")
        rows.append(row)
    columns = ["排名", "组织名称", ID, "登记区域", "类型", "综合得分", "类别", "类别内排名", "建议",
               *(f"{label}（{x}）" for label in STRENGTH_COMPONENTS.values() for x in ("分项", "得分", "依据"))]
    return pd.DataFrame(rows, columns=columns)


def strength_weights_text(result: StudyResult) -> str:
    return "，".join(f"{STRENGTH_COMPONENTS[c]} {w:.0%}" for c, w in result.strength.weights.items())


def strength_places_text(result: StudyResult) -> str:
    """行业协会商会 17 / 8 名，异地商会 33 / 17 名 (support / 整改 places per group)."""
    return "，".join(f"{g} {s} / {r} 名" for g, (s, r) in result.strength.places.items())
