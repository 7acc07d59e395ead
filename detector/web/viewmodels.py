"""View models: what the pages show, as plain data (labels, highlighted texts, side-by-side comparisons).

Pure functions; the request handlers are in :mod:`.pages` and :mod:`.api`.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from ..engine import Engine
from ..explain import industry_basis, industry_name
from ..errors import InputError, InputWarning
from ..industry import classify, match_core
from ..industry import get as get_industry
from ..io import ASSOCIATIONS, COLUMNS, Association, column_label
from ..members import member_table
from ..names import ParsedName, parse_name
from ..policy import DUPLICATE, PROBABILITY_ZH, percent
from ..study import StudyResult
from ..regions import LEVEL_ZH, Division
from ..text import normalize_name, normalize_text
from ..tokens import tokenize
SOURCES = {"form": "表单", "api": "接口", "upload": "上传批次"}
FIELD_LABELS = {c: column_label(c) for c in COLUMNS[ASSOCIATIONS]}  # associations.csv column → Chinese label
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


def any_column_label(column: str) -> str:
    """The Chinese label of a column of any input table (the column itself when it has none)."""
    for table, columns in COLUMNS.items():
        if column in columns:
            return column_label(column, table)
    return column


def located(problem: InputError | InputWarning) -> str:
    """An input error or warning for a page, columns by their Chinese names:
    ``文件 申请.xlsx，第 2 行，列 登记区域：登记区域 为空，已根据名称推断``."""
    column = problem.column or ""
    label = any_column_label(column) if column else ""
    message = problem.message
    if message.startswith(f"{column} ") and label:
        message = label + message[len(column):]
    return str(InputError(message, problem.file, problem.row, label or None))


def place(name: str | None, level: str | None, province: str | None = None) -> str:
    """鹿城区（县级）, 福鼎市（县级，福建省）; — when no place."""
    if not name:
        return DASH
    detail = "，".join(x for x in (LEVEL_ZH.get(level or "", ""), province if province != name else None) if x)
    return f"{name}（{detail}）" if detail else name


def parsed_rows(p: ParsedName) -> list[tuple[str, str]]:
    """The parts of a parsed name, labelled."""
    return [
        ("名称中的地域", place(p.region, p.region_level)),
        ("行业核心词", core_text(p)),
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
    """One organisation in a comparison: its form fields, parsed name, member count, and which of region
    and type were inferred from the name rather than given."""

    fields: dict[str, str]
    parsed: ParsedName
    members: int
    inferred: frozenset[str] = frozenset()


COMPARED = ("name", "region", "type", "industry", "scope", "purpose", "services")
HIGHLIGHTED = ("scope", "purpose", "services")


def application_side(app: Mapping[str, Any], home: Division | None) -> Side:
    fields = {c: text(app.get(c)) for c in COMPARED}
    parsed = parse_name(fields["name"], home)
    inferred = set()
    for column, guess in (("region", parsed.region), ("type", parsed.type)):
        if not fields[column] and guess:
            fields[column], inferred = guess, inferred | {column}
    return Side(fields, parsed, len(app.get("members") or []), frozenset(inferred))


def association_side(a: Association, members: int, home: Division | None,
                     inferred: Iterable[str] = ()) -> Side:
    fields = {c: text(getattr(a, c)) for c in COMPARED}
    return Side(fields, parse_name(a.name, home), members, frozenset(inferred))


@dataclass(frozen=True)
class Comparison:
    """An application next to one matched association: labelled rows (left, right), shared members."""

    match: dict  # the match object of the screen result
    found: bool  # the association is in the loaded registry
    rows: list[tuple[str, Markup, Markup]]
    shared: list[str]


def core_text(p: ParsedName) -> str:
    """The industry core of a name with its industry, once: 鞋类（鞋业）, 打火机 (not 打火机（打火机）)."""
    industry = industry_name(p.industry or "")
    if not p.industry_core:
        return industry or DASH
    return f"{p.industry_core}（{industry}）" if industry and industry != p.industry_core else p.industry_core


def _value(side: Side, column: str) -> Markup:
    value = escape(side.fields[column] or DASH)
    return Markup('{} <span class="inferred">（{}）</span>').format(value, INFERRED) if column in side.inferred else value


def _rows(left: Side, right: Side) -> list[tuple[str, Markup, Markup]]:
    phrases = common_phrases(" ".join(left.fields[c] for c in HIGHLIGHTED),
                             " ".join(right.fields[c] for c in HIGHLIGHTED))
    rows = [(FIELD_LABELS[c], _value(left, c), _value(right, c)) for c in ("name", "region", "type")]
    rows.append(("行业核心词", escape(core_text(left.parsed)), escape(core_text(right.parsed))))
    if left.parsed.origin or right.parsed.origin:
        rows.append(("籍贯（异地商会）", escape(place(left.parsed.origin, left.parsed.origin_level, left.parsed.origin_province)),
                     escape(place(right.parsed.origin, right.parsed.origin_level, right.parsed.origin_province))))
    rows.append(("申报行业", _value(left, "industry"), _value(right, "industry")))
    rows += [(FIELD_LABELS[c], highlight(left.fields[c], phrases), highlight(right.fields[c], phrases)) for c in HIGHLIGHTED]
    rows.append(("会员数", escape(str(left.members)), escape(str(right.members))))
    return rows


def compare(app: Mapping[str, Any], match: dict, engine: Engine) -> Comparison:
    """The application beside the matched existing association ``match["id"]``."""
    try:
        other = engine.registry.get(match["id"])
    except KeyError:  # a stored result from a server started with another registry
        return Comparison(match, False, [], [])
    home = engine.profiles.home
    row = engine.profiles.row_of[other.id]
    frame = engine.profiles.frame
    inferred = [c for c in ("region", "type") if bool(frame[f"{c}_inferred"].iat[row])]
    left = application_side(app, home)
    right = association_side(other, len(engine.profiles.members[row]), home, inferred)
    return Comparison(match, True, _rows(left, right), shared_members(app.get("members") or [], engine, other.id))


# How a search hit was found, strongest first: (weight, label).
_NAME_EXACT, _NAME, _CORE, _INDUSTRY, _ORIGIN, _REGION, _DECLARED, _RELATED, _SCOPE = (
    (100, "名称"), (60, "名称"), (50, "名称核心词"), (40, "行业"), (40, "籍贯"), (30, "区域"), (30, "申报行业"),
    (10, "相关行业"), (5, "业务范围"))


def query_industries(query: str) -> tuple[set[str], set[str]]:
    """The industries a search text names through the vocabulary (aliases, synonyms, keywords), and
    their related industries."""
    keys = {m.industry.key for m in classify(name=query)}
    core = match_core(query)
    if core is not None:
        keys.add(core.key)
    keys = {k for k in keys if not get_industry(k).umbrella}
    related = {r for k in keys for r in get_industry(k).related} - keys
    return keys, related


def _contains(values: pd.Series, needle: str) -> np.ndarray:
    return values.astype(str).str.contains(needle, regex=False).to_numpy()


def search(frame: pd.DataFrame, query: str = "", region: str = "", type_: str = "", status: str = "",
           industry: str = "") -> list[tuple[int, str]]:
    """Registry rows matching ``query`` as screening reads names, best first: (position, how found).

    ``frame`` is the engine's profiles frame (parsed name parts, industry keys). The query is matched against
    the name, the parsed name parts (industry core, origin, region) and, through the industry vocabulary,
    the industry (制鞋 finds every 鞋业 body, 融资担保 the 担保 ones); filters are exact: declared region,
    type (declared, else as the name says), industry key and status. Ties keep registry order.
    """
    n = len(frame)
    keep = np.ones(n, dtype=bool)
    for column, value in (("region", region), ("eff_type", type_), ("industry_key", industry), ("status", status)):
        if value:
            keep &= (frame[column] == value).to_numpy()
    weight = np.zeros(n)
    how = np.full(n, "", dtype=object)
    needle = normalize_name(query) or normalize_text(query)
    if needle:
        keys, related = query_industries(query)
        tests = [
            (_NAME_EXACT, (frame["name_norm"] == needle).to_numpy()),
            (_NAME, _contains(frame["name_norm"], needle)),
            (_CORE, _contains(frame["industry_core"], needle) | frame["industry_core"].map(
                lambda c: bool(c) and c in needle).to_numpy()),
            (_INDUSTRY, frame["industry_key"].isin(keys).to_numpy()),
            (_ORIGIN, _contains(frame["origin"], needle)),
            (_REGION, _contains(frame["region_name"], needle) | _contains(frame["region"], needle)),
            (_DECLARED, _contains(frame["industry"].map(normalize_name), needle)),
            (_RELATED, frame["industry_key"].isin(related).to_numpy()),
            (_SCOPE, _contains(frame["scope"], needle)),
        ]
        for (w, label), hit in tests:
            better = hit & (weight < w)
            how[better] = label
            weight += np.where(hit, w, 0)
        keep &= weight > 0
    positions = np.flatnonzero(keep)
    order = positions[np.argsort(-weight[positions], kind="stable")]
    return [(int(k), how[k]) for k in order]


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


# ------------------------------------------------------------------------------------- screening pages


def best_target(targets: list[dict]) -> str:
    """The association a "建议加入" decision proposes by default: the best duplicate match, else none."""
    return next((t["id"] for t in targets if t["relation"] == DUPLICATE), "")


@dataclass(frozen=True)
class Fact:
    """One labelled value of an application; ``note``: where it came from when the application did not say it
    (按名称推断, 按业务范围判断 …)."""

    label: str
    value: str
    note: str = ""


INFERRED = "按名称推断"


def _industry_fact(decided: Mapping[str, Any] | None) -> Fact | None:
    """The industry screening decided from all the application's evidence (none for results saved before)."""
    if decided is None:
        return None
    if not decided.get("key"):
        return Fact("判定行业", "未能判断", "名称、业务范围与会员均未显示所属行业")
    return Fact("判定行业", industry_name(decided["key"]), industry_basis(decided["source"], decided["doubt"]))


def application_facts(app: Mapping[str, Any], home: Division | None,
                      industry: Mapping[str, Any] | None = None) -> list[Fact]:
    """What an application says, with the region and type the name implies where it gave none, and the industry
    screening decided (``industry``: the result's decision)."""
    parsed = parse_name(text(app.get("name")), home)
    facts = [Fact(FIELD_LABELS["name"], text(app.get("name")))]
    for column, guess in (("region", parsed.region), ("type", parsed.type)):
        given = text(app.get(column))
        facts.append(Fact(FIELD_LABELS[column], given or guess or DASH, INFERRED if not given and guess else ""))
    facts.append(Fact("行业核心词", core_text(parsed)))
    facts += [f for f in [_industry_fact(industry)] if f]
    if parsed.origin:
        facts.append(Fact("籍贯（异地商会）", place(parsed.origin, parsed.origin_level, parsed.origin_province)))
    facts += [Fact(FIELD_LABELS.get(k, k), text(v)) for k, v in app.items()
              if k not in ("id", "name", "region", "type", "members") and text(v)]
    facts.append(Fact("会员", f"{len(app.get('members') or [])} 家"))
    return facts


# ------------------------------------------------------------------------------------------ study page


@dataclass(frozen=True)
class GroupView:
    number: int
    survivor: str  # name
    members: list[tuple[str, str, str, bool]]  # id, name, region, survivor
    score: float
    reasons: list[str]
    rationale: str
    coverage: str


def study_groups(result: StudyResult) -> list[GroupView]:
    from ..report.tables import coverage_text  # the report package draws with matplotlib: loaded on demand

    regions = dict(zip(result.profiles.frame["id"], result.profiles.frame["region"], strict=True))
    return [GroupView(k, g.names[g.ids.index(g.survivor)],
                      [(i, n, regions.get(i, ""), i == g.survivor) for i, n in zip(g.ids, g.names, strict=True)],
                      g.score, g.reasons, g.rationale, coverage_text(g))
            for k, g in enumerate(result.groups, 1)]


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    label: str  # short
    title: str  # full name · region · 建议保留 (shown on hover)
    survivor: bool
    anchor: str  # start / middle / end
    dx: float  # label offset from the node
    dy: float


@dataclass(frozen=True)
class Cell:
    number: int
    x: float
    y: float
    nodes: list[Node]
    edges: list[tuple[float, float, float, float, float, str]]  # x1, y1, x2, y2, width, title


@dataclass(frozen=True)
class Network:
    width: int
    height: int
    cells: list[Cell]


NET_COLUMNS, NET_W, NET_H = 4, 270, 190  # cells per row, cell size (px)


def network(result: StudyResult) -> Network:
    """The proposed groups as an SVG drawing: one cell per group, associations on a ring (the survivor
    outlined), lines for scored pairs; every node and line names itself on hover (``<title>``)."""
    from ..report.plots import short_name

    home = result.profiles.home
    regions = dict(zip(result.profiles.frame["id"], result.profiles.frame["region"], strict=True))
    grouped = {i for g in result.groups for i in g.ids}
    pairs = result.pairs
    inner = pairs[pairs["id_a"].isin(grouped) & pairs["id_b"].isin(grouped) & (pairs["score"] > 0)]
    scores = {(a, b): float(s) for a, b, s in zip(inner["id_a"], inner["id_b"], inner["score"], strict=True)}
    cells = []
    for k, g in enumerate(result.groups):
        x0, y0 = (k % NET_COLUMNS) * NET_W, (k // NET_COLUMNS) * NET_H
        cx, cy, radius = x0 + NET_W / 2, y0 + NET_H / 2 + 10, min(62.0, 38.0 + 4 * max(0, len(g.ids) - 3))
        pos = {}
        nodes = []
        for n, (aid, name) in enumerate(zip(g.ids, g.names, strict=True)):
            angle = math.pi / 2 + 2 * math.pi * n / len(g.ids)
            dx, dy = math.cos(angle), -math.sin(angle)
            pos[aid] = (cx + radius * dx, cy + radius * dy)
            keep = aid == g.survivor
            title = "　".join(x for x in (name, regions.get(aid, ""), "建议保留" if keep else "") if x)
            side = 1 if dx > 0.3 else -1 if dx < -0.3 else 0
            nodes.append(Node(round(pos[aid][0], 1), round(pos[aid][1], 1),
                              short_name(name, home, 8 if side == 0 and len(g.ids) <= 4 else 6), title, keep,
                              {1: "start", -1: "end", 0: "middle"}[side], 12 * side,
                              -12 if dy < -0.3 else 20 if dy > 0.3 else 4))
        edges = []
        names = dict(zip(g.ids, g.names, strict=True))
        for (a, b), score in scores.items():
            if a in pos and b in pos:
                (x1, y1), (x2, y2) = pos[a], pos[b]
                edges.append((round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1), round(1 + 4 * score, 1),
                              f"{names[a]} — {names[b]}：{PROBABILITY_ZH} {percent(score)}"))
        cells.append(Cell(k + 1, x0, y0, nodes, edges))
    rows = math.ceil(len(result.groups) / NET_COLUMNS)
    return Network(NET_COLUMNS * NET_W if len(result.groups) >= NET_COLUMNS else len(result.groups) * NET_W,
                   rows * NET_H, cells)


# Where each layout measure sits in the study report (report.html.j2's section ids), in layout_summary's order.
LAYOUT_ANCHORS = ("liaison", "gaps", "burden", "strength")


def layout_measures(result: StudyResult) -> list[tuple[str, str, str]]:
    """The four layout measures as (title, headline, anchor in the study report), as the report summarises them."""
    from ..report.tables import layout_summary  # the report package draws with matplotlib: loaded on demand

    return [(title, text, anchor) for (title, text), anchor in zip(layout_summary(result), LAYOUT_ANCHORS, strict=True)]
