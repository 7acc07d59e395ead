"""View models: what the pages show, as plain data (labels, highlighted texts, side-by-side comparisons).

Pure functions; the request handlers are in :mod:`.pages` and :mod:`.api`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from ..engine import Engine
from ..industry import get as get_industry
from ..io import Association
from ..members import member_table
from ..names import ParsedName, parse_name
from ..regions import LEVEL_ZH, Division
from ..text import normalize_name, normalize_text
from ..tokens import tokenize
SOURCES = {"form": "表单", "api": "接口", "upload": "上传批次"}
FIELD_LABELS = {
    "id": "编号", "name": "名称", "region": "登记区域", "type": "类型", "industry": "行业", "scope": "业务范围",
    "purpose": "章程宗旨", "services": "服务项目", "founded": "成立日期", "status": "状态",
    "staff_fulltime": "专职人员", "has_office": "固定办公场所", "funding": "经费来源", "last_election": "上次换届",
    "term_years": "任期（年）", "inspection": "年检结果", "party_members": "党员人数",
    "former_names": "曾用名",
}
MIN_PHRASE = 2  # characters
# Words in nearly every scope of an association: marking them would hide the telling overlaps.
GENERIC_WORDS = frozenset({"行业", "企业", "会员", "协会", "商会", "发展", "单位"})
DASH = "—"


def text(value: Any) -> str:
    """A cell for display: missing → "", booleans 是/否, dates YYYY-MM-DD, lists joined with ；."""
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (list, tuple)):
        return "；".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def place(name: str | None, level: str | None, province: str | None = None) -> str:
    """鹿城区（县级）, 福鼎市（县级，福建省）; — when no place."""
    if not name:
        return DASH
    detail = "，".join(x for x in (LEVEL_ZH.get(level or "", ""), province if province != name else None) if x)
    return f"{name}（{detail}）" if detail else name


def parsed_rows(p: ParsedName) -> list[tuple[str, str]]:
    """The parts of a parsed name, labelled."""
    industry = get_industry(p.industry).name if p.industry else ""
    return [
        ("名称中的地域", place(p.region, p.region_level)),
        ("行业核心词", f"{p.industry_core}（{industry}）" if p.industry_core and industry else p.industry_core or DASH),
        ("组织形式", p.org_form or DASH),
        ("类型（按名称）", p.type or DASH),
        ("籍贯（异地商会）", place(p.origin, p.origin_level, p.origin_province)),
    ]


def common_phrases(a: str, b: str) -> set[str]:
    """Words (jieba tokens; stop words and generic words dropped) of at least two characters in both texts."""

    def words(value: str) -> set[str]:
        return {t for t in tokenize(value) if len(t) >= MIN_PHRASE and t not in GENERIC_WORDS}

    return words(a) & words(b)


def highlight(value: str, phrases: Iterable[str]) -> Markup:
    """``value`` escaped, every occurrence of a phrase wrapped in ``<mark>`` (adjacent ones merged)."""
    words = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not value or not words:
        return escape(value)
    marked = [False] * len(value)
    for m in re.finditer("|".join(map(re.escape, words)), value):
        marked[m.start():m.end()] = [True] * (m.end() - m.start())
    out, start = [], 0
    for k in range(1, len(value) + 1):
        if k == len(value) or marked[k] != marked[start]:
            piece = escape(value[start:k])
            out.append(Markup("<mark>{}</mark>").format(piece) if marked[start] else piece)
            start = k
    return Markup("").join(out)


def shared_members(members: list[Mapping[str, Any]], engine: Engine, association_id: str) -> list[str]:
    """Names of an application's ``members`` that are members of a registered association (same credit
    code, else same normalised name, keyed as the registry keys them: as the scorer counts them)."""
    theirs = set(engine.profiles.member_table.key_sets([association_id])[0])
    if not members or not theirs:
        return []
    columns = ("member_name", "member_id")
    frame = pd.DataFrame([{c: text(m.get(c)) for c in columns} for m in members], columns=list(columns))
    mine = member_table(frame.assign(association_id=""), engine.profiles.home, engine.member_vocabulary)
    return list(dict.fromkeys(n for n, k in zip(mine.name.tolist(), mine.key.tolist(), strict=True) if k in theirs))


@dataclass(frozen=True)
class Side:
    """One organisation in a comparison: its form fields, parsed name and member count."""

    fields: dict[str, str]
    parsed: ParsedName
    members: int


COMPARED = ("name", "region", "type", "industry", "scope", "purpose", "services")
HIGHLIGHTED = ("scope", "purpose", "services")


def application_side(app: Mapping[str, Any], home: Division | None) -> Side:
    fields = {c: text(app.get(c)) for c in COMPARED}
    return Side(fields, parse_name(fields["name"], home), len(app.get("members") or []))


def association_side(a: Association, members: int, home: Division | None) -> Side:
    fields = {c: text(getattr(a, c)) for c in COMPARED}
    return Side(fields, parse_name(a.name, home), members)


@dataclass(frozen=True)
class Comparison:
    """An application next to one matched association: labelled rows (left, right), shared members."""

    match: dict  # the match object of the screen result
    found: bool  # the association is in the loaded registry
    rows: list[tuple[str, Markup, Markup]]
    shared: list[str]


def _rows(left: Side, right: Side) -> list[tuple[str, Markup, Markup]]:
    phrases = common_phrases(" ".join(left.fields[c] for c in HIGHLIGHTED),
                             " ".join(right.fields[c] for c in HIGHLIGHTED))
    rows = [(FIELD_LABELS["name"], escape(left.fields["name"]), escape(right.fields["name"]))]
    pairs = zip(parsed_rows(left.parsed), parsed_rows(right.parsed), strict=True)
    rows += [(label, escape(a), escape(b)) for (label, a), (_, b) in pairs]
    for c in COMPARED[1:]:
        if c in HIGHLIGHTED:
            rows.append((FIELD_LABELS[c], highlight(left.fields[c], phrases), highlight(right.fields[c], phrases)))
        else:
            rows.append((FIELD_LABELS[c], escape(left.fields[c] or DASH), escape(right.fields[c] or DASH)))
    rows.append(("会员数", escape(str(left.members)), escape(str(right.members))))
    return rows


def compare(app: Mapping[str, Any], match: dict, engine: Engine) -> Comparison:
    """The application beside the matched existing association ``match["id"]``."""
    try:
        other = engine.registry.get(match["id"])
    except KeyError:  # a stored result from a server started with another registry
        return Comparison(match, False, [], [])
    home = engine.profiles.home
    n_members = len(engine.profiles.members[engine.profiles.row_of[other.id]])
    left = application_side(app, home)
    right = association_side(other, n_members, home)
    return Comparison(match, True, _rows(left, right), shared_members(app.get("members") or [], engine, other.id))


def search(frame: pd.DataFrame, query: str = "", region: str = "", type_: str = "", status: str = "") -> pd.DataFrame:
    """Associations whose normalised name, industry or region contains ``query``, filtered by the exact
    region, type and status when given; in registry order."""
    keep = pd.Series(True, index=frame.index)
    if query.strip():
        needle = normalize_name(query) or normalize_text(query)
        haystacks = (frame["name_norm"], frame["industry"].map(normalize_name), frame["region"])
        keep &= pd.concat([h.str.contains(needle, regex=False) for h in haystacks], axis=1).any(axis=1)
    for column, value in (("region", region), ("type", type_), ("status", status)):
        if value:
            keep &= frame[column] == value
    return frame[keep]


@dataclass(frozen=True)
class Endpoint:
    """One API operation as the local docs page shows it."""

    method: str
    path: str
    summary: str
    description: str
    parameters: list[tuple[str, str, bool, str]]  # name, where, required, description
    body: list[tuple[str, str, bool, str]]  # field, type, required, description


def _schema_type(schema: dict) -> str:
    if "anyOf" in schema:
        return " / ".join(dict.fromkeys(_schema_type(s) for s in schema["anyOf"]))
    if "$ref" in schema:
        return "对象 " + schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"数组（{_schema_type(schema.get('items', {}))}）"
    return {"string": "文本", "integer": "整数", "number": "数字", "boolean": "是/否", "null": "空",
            "object": "对象"}.get(schema.get("type", ""), "任意")


def _body_fields(operation: dict, spec: dict) -> list[tuple[str, str, bool, str]]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    schema = spec.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    required = set(schema.get("required", ()))
    return [(name, _schema_type(s), name in required, s.get("description", ""))
            for name, s in schema.get("properties", {}).items()]


def endpoints(spec: dict) -> list[Endpoint]:
    """The operations of an OpenAPI document, in path order."""
    out = []
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            params = [(p["name"], p["in"], bool(p.get("required")), p.get("description", ""))
                      for p in op.get("parameters", [])]
            out.append(Endpoint(method.upper(), path, op.get("summary", ""), op.get("description", ""), params,
                                _body_fields(op, spec)))
    return out
