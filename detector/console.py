"""Plain-text rendering for the terminal (Chinese, for reviewers and analysts)."""
from __future__ import annotations

from .explain import industry_basis, industry_name
from .industry import BY_NAME
from .names import ORIGIN_GROUP, ParsedName
from .policy import (ALL_RULES, MEASURE_TITLES, PROBABILITY_ZH, RECORD_DUPLICATE, RECTIFY, RELATED_ONLY, RELATION_ZH,
                     SEVERITY_ZH, SUPPORT, VERDICT_ZH, match_figure, percent, rule_title)
from .regions import COUNTY, LEVEL_ZH, PREFECTURE, by_code, undivided
from .rules import unchecked_text

_DASH = "—"


def _place(name: str | None, level: str | None, province: str | None = None) -> str:
    if not name:
        return _DASH
    detail = {**LEVEL_ZH, ORIGIN_GROUP: "籍贯群体"}.get(level or "", "")
    if province and province != name:
        detail = f"{detail}，{province}" if detail else province
    return f"{name}（{detail}）" if detail else name


def format_parsed(p: ParsedName) -> str:
    from .industry import get

    industry = get(p.industry).name if p.industry else _DASH
    lines = [
        p.raw if p.raw == p.normalized else f"{p.raw}  →  {p.normalized}",
        f"  地域：{_place(p.region, p.region_level)}",
        f"  行业核心词：{p.industry_core or _DASH}（{'行业' if p.kind in ('trade', '') else '领域'}：{industry}）",
        f"  组织形式：{p.org_form or _DASH}    类型：{p.type or _DASH}",
    ]
    if p.kind_name:
        lines.append(f"  社会团体类别：{p.kind_name}")
    if p.town:
        lines.append(f"  乡镇（街道）：{p.town}（{_town_note(p)}）")
    if p.origin:
        lines.append(f"  籍贯（异地商会）：{_place(p.origin, p.origin_level, p.origin_province)}")
    for written in p.former:
        lines.append(f"  旧区划：{_former(written)}")
    if p.branch_of:
        lines.append(f"  分支机构：隶属「{p.branch_of}」（不是独立组织，不与其上级组织构成重复）")
    return "\n".join(lines)


def _town_note(p: ParsedName) -> str:
    if p.region_level == COUNTY:
        return f"{p.region}下辖，一业一会范围为本乡镇（街道），与县级组织不构成重复"
    if p.region_level == PREFECTURE:  # a city without counties (东莞市), or a town no county's list has
        return "不设区县的地级市下辖，属本市组织" if undivided(by_code(p.region_code)) else "所属区县未能确定"
    return "所属区县未能确定"


def _former(written: str) -> str:
    """萧山市 → 萧山市（2001 年撤市设区，今杭州市萧山区）."""
    from .regions import former

    f = former(written)
    if f is None:
        return written
    today = f.current.name if f.current.prefecture in (None, f.current.name) else f.current.prefecture + f.current.name
    when = f"{f.year} 年{f.change}，" if f.year else f"{f.change}，"
    return f"{written}（{when}今{today}）"


def _counts(d: dict[str, int], limit: int = 15) -> str:
    items = sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = "，".join(f"{k} {v}" for k, v in items[:limit])
    return shown + (f"，…（共 {len(items)} 项）" if len(items) > limit else "")


def format_prepared(engine, fresh: bool, seconds: float) -> str:
    """What ``detector prepare`` prints: what was prepared, in how long, and where it is kept."""
    reg = engine.registry
    what = f"协会商会 {len(reg)} 家、会员记录 {len(reg.memberships)} 条（{seconds:.1f} 秒）"
    if engine.store is None:
        return f"已预处理{what}，但未保存：预处理缓存已用 --no-cache 关闭，或向量缓存不可用"
    path = engine.store.path(engine.key)
    if not path.is_dir():
        return f"已预处理{what}，但未能保存（见上方警告）"
    size = sum(f.stat().st_size for f in path.iterdir()) / 2**20
    head = "已预处理" if fresh else "预处理结果已是最新，已直接读取："
    return f"{head}{what}\n保存在 {path}（{size:.0f} MB）；登记数据文件改动后，下次使用时自动重新预处理。"


def format_summary(registry, show_warnings: bool = True) -> str:
    """What ``detector validate`` prints: counts, then every warning (or just their number)."""
    from .io import summary

    s = summary(registry)
    lines = [
        f"数据：{s['source']}",
        f"  所在城市：{s['home'] or '未能从名称推断'}",
        f"  协会商会 {s['associations']} 家（正常 {s['active']} 家）",
        f"  按区域：{_counts(s['by_region'])}",
        f"  按类型：{_counts(s['by_type'])}",
    ]
    if s["names_only"]:
        lines.append("  仅有名称数据：将只按名称结构与语义比对")
    else:
        lines.append(f"  会员记录 {s['memberships']} 条，不同会员 {s['distinct_members']} 个，"
                     f"有会员数据的协会 {s['associations_with_members']} 家")
    if s["industry_stats"] is not None:
        lines.append(f"  行业统计 {s['industry_stats']} 行")
    lines.append(f"警告 {s['warnings']} 条" + ("：" if s["warnings"] and show_warnings else "。"))
    if show_warnings:
        lines.extend(f"  - {w}" for w in registry.warnings)
    lines.append("结论：数据可用。")
    return "\n".join(lines)


def _match_line(m, batch: bool = False) -> str:
    """· name  [重复] 重复可能性 87%：reasons; a related match: [不构成重复：its policy reason], no number."""
    head = f"同批申请 {m.name}" if batch else m.name
    figure = match_figure(m.relation, m.score, m.gate)
    label = f"[{figure}]" if m.relation == RELATED_ONLY else f"[{RELATION_ZH[m.relation]}] {figure}"
    return f"    · {head}  {label}：{'；'.join(m.reasons)}"


def format_screen(results) -> str:
    """One block per application: verdict, best matches with reasons, rule findings."""
    lines = []
    for r in results:
        lines.append(f"【{VERDICT_ZH[r.verdict]}】{r.name}（{r.id}）：{r.summary}")
        if r.industry and r.industry.key and (r.industry.source != BY_NAME or r.industry.doubt):
            lines.append(f"    判定行业：{industry_name(r.industry.key)}（{industry_basis(r.industry.source, r.industry.doubt)}）")
        lines += [_match_line(m) for m in r.matches[:3]]
        lines += [_match_line(m, batch=True) for m in r.batch_matches[:2]]
        for f in r.findings:
            lines.append(f"    ! {SEVERITY_ZH.get(f.severity, f.severity)} {rule_title(f.rule)}：{f.message}")
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICT_ZH}
    lines.append("合计：" + "，".join(f"{VERDICT_ZH[v]} {n}" for v, n in counts.items()) + f"（共 {len(results)} 件）")
    return "\n".join(lines)


def format_study(result, limit: int = 15) -> str:
    """Groups with survivors and rationale, hubs, party branches, findings by rule and the layout measures."""
    from collections import Counter

    lines = [f"建议合并 {len(result.groups)} 组（涉及 {sum(len(g.ids) for g in result.groups)} 家）："]
    for k, g in enumerate(result.groups[:limit], 1):
        lines.append(f"  {k}. {' / '.join(g.names)}（组内平均{PROBABILITY_ZH} {percent(g.score)}）")
        lines.append(f"     理由：{'；'.join(g.reasons)}")
        lines.append(f"     {g.rationale}")
        c = g.coverage
        cov = f"，覆盖 {c['counties']}/{c['county_units']} 个县级单位" if c.get("county_units") else ""
        if len(result.profiles.member_table):  # a registry without member data has nothing to combine
            lines.append(f"     合并后：会员 {c['members']} 家{cov}")
    if len(result.groups) > limit:
        lines.append(f"  …另有 {len(result.groups) - limit} 组，见输出文件")
    records = [f for f in result.findings if f.rule == RECORD_DUPLICATE]
    if records:
        lines.append(f"重复记录（同一组织登记多次，不作为合并建议）{len(records)} 条：")
        lines.extend(f"  · {result.profiles.frame['name'].iat[result.profiles.row_of[f.id]]}：{f.message}"
                     for f in records[:limit])
        if len(records) > limit:
            lines.append(f"  …另有 {len(records) - limit} 条，见输出文件")
    if result.hubs:
        lines.append("枢纽型组织（会员交叉网络中心度最高）：" + "、".join(h.name for h in result.hubs[:5]))
    if result.party_branches:
        lines.append(f"建议联合党支部 {len(result.party_branches)} 个（党员不足 3 人的组织按区域、行业相近组合）")
    by_rule = Counter(f.rule for f in result.findings)
    lines.append("政策规则提示：" + ("，".join(f"{rule_title(r)} {by_rule[r]}" for r in ALL_RULES if by_rule[r]) or "无"))
    lines.extend(format_limits(result))
    lines += _layout_lines(result)
    return "\n".join(lines)


def format_limits(result) -> list[str]:
    """What the data did not allow: evidence no pair was compared on, rules not checked."""
    lines = []
    if result.not_compared:
        lines.append("合并比对未能使用：" + "、".join(result.not_compared)
                     + "（数据中没有）；建议按确定程度排列，须人工核实")
    if result.unchecked:
        lines.append("未能检查的规则：" + unchecked_text(result.unchecked))
    return lines


def _layout_lines(result, shown: int = 5) -> list[str]:
    """The four layout measures: liaison groups, uncovered industries, membership burden, strength ranking."""
    li, gaps, burden, strength = result.liaison, result.industry_gaps, result.burden, result.strength
    lines = [f"{MEASURE_TITLES['liaison']}：建议 {len(li.groups)} 个联络组（不是合并）"
             + ("：" + "；".join(f"{g.province} {len(g.ids)} 家，{g.names[0]} 牵头，共有会员 {g.n_shared_members} 家"
                               for g in li.groups[:shown]) if li.groups else "")
             + (f"；…另有 {len(li.groups) - shown} 组" if len(li.groups) > shown else "")]
    if li.apart:
        lines.append(f"  不纳入：{'、'.join(a.name for a in li.apart[:shown])}{' 等' if len(li.apart) > shown else ''}"
                     f"（港澳台商会或籍贯不是一个省份）")
    lines.append(f"{MEASURE_TITLES['industry_gaps']}：{len(gaps.rows)} 个行业在集中地没有协会商会（依据：{gaps.basis}）")
    for r in gaps.rows[:shown]:
        size = f"企业 {r.units:,} 家" if r.units is not None else f"会员企业 {r.member_enterprises} 家"
        new = f"，新经济：{'、'.join(r.new_economy)}" if r.new_economy else ""
        lines.append(f"  {r.rank}. {r.industry}（{size}，应在{r.expected}{new}）：{r.concentration}")
    most = f"，最多 {burden.above[0].name} {burden.above[0].associations} 家" if burden.above else ""
    lines.append(f"{MEASURE_TITLES['member_burden']}：{len(burden.above)} 户企业加入超过 {burden.threshold} 家协会商会"
                 f"（企业会员 {burden.enterprises:,} 户{most}）")
    support, rectify = strength.band(SUPPORT), strength.band(RECTIFY)
    lines.append(f"{MEASURE_TITLES['strength_ranking']}：参评 {len(strength.rows)} 家，扶持培育候选 {len(support)} 家、"
                 f"整改候选 {len(rectify)} 家")
    if support:
        lines.append("  前列：" + "、".join(f"{r.name}（{r.score:.1f}）" for r in support[:shown]))
    if rectify:
        lines.append("  末位：" + "、".join(f"{r.name}（{r.score:.1f}）" for r in rectify[:shown]))
    return lines
