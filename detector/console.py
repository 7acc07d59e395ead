"""Plain-text rendering for the terminal (Chinese, for reviewers and analysts)."""
from __future__ import annotations

from .names import ParsedName
from .regions import LEVEL_ZH

_DASH = "—"


def _place(name: str | None, level: str | None, province: str | None = None) -> str:
    if not name:
        return _DASH
    detail = LEVEL_ZH.get(level or "", "")
    if province and province != name:
        detail = f"{detail}，{province}" if detail else province
    return f"{name}（{detail}）" if detail else name


def format_parsed(p: ParsedName) -> str:
    from .industry import get

    industry = get(p.industry).name if p.industry else _DASH
    lines = [
        p.raw if p.raw == p.normalized else f"{p.raw}  →  {p.normalized}",
        f"  地域：{_place(p.region, p.region_level)}",
        f"  行业核心词：{p.industry_core or _DASH}（行业：{industry}）",
        f"  组织形式：{p.org_form or _DASH}    类型：{p.type or _DASH}",
    ]
    if p.origin:
        lines.append(f"  籍贯（异地商会）：{_place(p.origin, p.origin_level, p.origin_province)}")
    return "\n".join(lines)


def _counts(d: dict[str, int], limit: int = 15) -> str:
    items = sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = "，".join(f"{k} {v}" for k, v in items[:limit])
    return shown + (f"，…（共 {len(items)} 项）" if len(items) > limit else "")


def format_summary(registry) -> str:
    """What ``detector validate`` prints: counts, then every warning."""
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
    lines.append(f"警告 {s['warnings']} 条" + ("：" if s["warnings"] else "。"))
    lines.extend(f"  - {w}" for w in registry.warnings)
    lines.append("结论：数据可用。")
    return "\n".join(lines)
