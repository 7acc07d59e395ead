"""Chinese reasons for a scored pair, derived from the features that drove it."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .features import NESTED
from .industry import BY_NAME, DIFFERENT, RELATED, SAME
from .industry import get as get_industry
from .names import kind_names
from .profiles import Profiles
from .scoring import GATE_NATURE, GATE_NESTED, GATE_ORIGIN, GATE_REGION

STRONG_TEXT = 0.80  # cosine from which a scope / name similarity is worth saying
_COLUMNS = ("region_name", "origin", "industry_key", "industry_core", "core_segment", "eff_type", "name",
            "industry_source", "industry_doubt", "kind", "kind_source", "member_industry")
_SAID_BY_STRUCTURE = {GATE_NESTED, GATE_REGION, GATE_ORIGIN}  # the structure line already names the places


def industry_name(key: str) -> str:
    """The Chinese name of an industry key ("" for none)."""
    return get_industry(key).name if key else ""


def _structure(f: Mapping[str, Any], a: dict, b: dict) -> str | None:
    region = a["region_name"] if f["region_rel"] == SAME else ""
    parts = []
    if f["region_rel"] == SAME:
        parts.append(f"同一行政区域（{region}）")
    elif f["region_rel"] == NESTED:
        parts.append(f"上下级行政区域（{a['region_name']}/{b['region_name']}），按一业一会不构成重复")
    elif f["region_rel"] == DIFFERENT:
        parts.append(f"不同行政区域（{a['region_name']}/{b['region_name']}），不构成重复")
    if f["origin_rel"] == SAME:
        parts.append(f"同一籍贯（{a['origin']}）")
    elif f["origin_rel"] in (DIFFERENT, NESTED):
        parts.append(f"名称仅差籍贯地名：{a['origin']}/{b['origin']}，籍贯不同")
    elif f["industry_rel"] == SAME:
        parts.append(f"同一行业（{industry_name(a['industry_key'])}）")
    elif f["industry_rel"] == RELATED and a["industry_key"] == b["industry_key"]:
        name = industry_name(a["industry_key"])
        parts.append(f"同属{name}行业、细分不同（{a['core_segment'] or name}/{b['core_segment'] or name}）")
    elif f["industry_rel"] == RELATED:
        parts.append(f"相关行业（{industry_name(a['industry_key'])}/{industry_name(b['industry_key'])}）")
    elif f["industry_rel"] == DIFFERENT:
        parts.append(f"行业不同（{industry_name(a['industry_key'])}/{industry_name(b['industry_key'])}）")
    return "、".join(parts) or None


def _industry_evidence(a: dict) -> str | None:
    """Where an industry the name does not give came from: 温州市瓯越联合会的行业按会员构成判断为眼镜."""
    if not a["industry_key"] or a["industry_source"] in ("", BY_NAME) and not a["industry_doubt"]:
        return None
    name = industry_name(a["industry_key"])
    if a["industry_source"] == BY_NAME:  # the name's industry stands, in doubt
        return f"{a['name']}的名称所示行业（{name}）与其业务范围或会员构成不尽相符，行业存疑"
    against = a["industry_source"].removeprefix("按")
    said = f"（名称所示为{industry_name(a['industry_doubt'])}，与{against}不符）" if a["industry_doubt"] else ""
    return f"{a['name']}的行业{a['industry_source']}判断为{name}{said}"


def industry_basis(source: str, doubt: str) -> str:
    """How an association's industry was decided, for a label: 按业务范围判断（名称所示为机械，与业务范围不符）."""
    if source == BY_NAME:
        return "按名称判断，与业务范围或会员构成不尽相符，存疑" if doubt else "按名称判断"
    said = f"（名称所示为{industry_name(doubt)}，与{source.removeprefix('按')}不符）" if doubt else ""
    return f"{source}判断{said}" if source else ""


def _nature(a: dict) -> str | None:
    if not a["kind_source"]:
        return None
    return f"{a['name']}{a['kind_source']}属{kind_names().get(a['kind'], a['kind'])}（会员以个人为主）"


def _present(x: float) -> bool:
    return x is not None and bool(pd.notna(x))


def _gate(f: Mapping[str, Any], a: dict, b: dict) -> str:
    reason = f["gate_reason"]
    if reason == GATE_NESTED:
        return f"上下级行政区域（{a['region_name']}/{b['region_name']}）"
    if reason == GATE_REGION:
        return f"不同行政区域（{a['region_name']}/{b['region_name']}）"
    if reason == GATE_ORIGIN:
        return f"异地商会籍贯不同（{a['origin']}/{b['origin']}）"
    return reason


def gate_text(f: Mapping[str, Any], left: Profiles, right: Profiles) -> str:
    """Why the policy rules a pair out as a duplicate, in Chinese with the places named; "" when it does not."""
    if not f["gate_reason"]:
        return ""
    return _gate(f, left.row(int(f["i"]), _COLUMNS), right.row(int(f["j"]), _COLUMNS))


def reasons_for(f: Mapping[str, Any], left: Profiles, right: Profiles) -> list[str]:
    """Reasons for one pair row of :func:`detector.scoring.score_pairs` output."""
    a, b = left.row(int(f["i"]), _COLUMNS), right.row(int(f["j"]), _COLUMNS)
    out = []
    structure = _structure(f, a, b)
    if structure:
        out.append(structure)
    out += [x for x in (_industry_evidence(a), _industry_evidence(b)) if x]
    if f["gate_reason"] == GATE_NATURE:
        out += [x for x in (_nature(a), _nature(b)) if x]
    if f["gate_reason"] and f["gate_reason"] not in _SAID_BY_STRUCTURE:
        out.append(f["gate_reason"])
    if a["industry_core"] and b["industry_core"] and (f["core_ratio"] >= 0.5 or f["core_cos"] >= STRONG_TEXT):
        if a["industry_core"] == b["industry_core"]:
            out.append(f"名称核心词相同：{a['industry_core']}")
        else:
            out.append(f"名称核心词相近：{a['industry_core']}/{b['industry_core']}")
    if a["eff_type"] and b["eff_type"] and a["eff_type"] != b["eff_type"] and not f["gate_reason"]:
        out.append(f"组织形式：{a['eff_type']}/{b['eff_type']}")
    if _present(f["desc_cos"]):
        out.append(f"业务范围相似度 {f['desc_cos']:.2f}")
    if _present(f["services_jacc"]) and f["services_jacc"] > 0:
        out.append(f"服务项目重合 {f['services_jacc']:.0%}")
    if f["shared_members"] > 0:
        out.append(f"共有会员 {int(f['shared_members'])} 家（占 {f['member_cont']:.0%}）")
    if a["member_industry"] and a["member_industry"] == b["member_industry"]:
        out.append(f"会员企业多属同一行业（{industry_name(a['member_industry'])}）")
    if f["shared_leaders"] > 0:
        out.append(f"共有会长/副会长 {int(f['shared_leaders'])} 人")
    return out
