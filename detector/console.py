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
