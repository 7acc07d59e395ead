"""The data contract of FORMAT.md in code: tables, columns, allowed values, and the loaded :class:`Registry`."""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputWarning
from ..names import ENTERPRISE, PERSON
from ..regions import Division
from ..text import split_items

ASSOCIATIONS, MEMBERSHIPS, INDUSTRY_STATS = "associations", "memberships", "industry_stats"

COLUMNS: dict[str, tuple[str, ...]] = {
    ASSOCIATIONS: ("id", "name", "region", "type", "industry", "scope", "purpose", "services", "founded",
                   "status", "staff_fulltime", "has_office", "funding", "last_election", "term_years",
                   "inspection", "party_members", "former_names"),
    MEMBERSHIPS: ("association_id", "member_name", "member_id", "member_kind", "member_region", "role",
                  "person", "annual_sales", "person_id"),
    INDUSTRY_STATS: ("industry", "region", "units", "sales"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    ASSOCIATIONS: ("id", "name"),
    MEMBERSHIPS: ("association_id", "member_name"),
    INDUSTRY_STATS: ("industry", "region"),
}
# What a names-only registry has: names (current and former) and at most region and type.
NAME_COLUMNS = frozenset({"id", "name", "region", "type", "former_names"})
# Columns added by loading; never written back.
DERIVED = ("source_row", "name_norm", "region_inferred", "type_inferred", "member_norm", "member_kind_inferred")

TYPES = ("行业协会", "商会", "异地商会", "联合会", "促进会", "研究会", "学会")
ACTIVE = "正常"
STATUSES = (ACTIVE, "注销", "撤销")
INSPECTIONS = ("合格", "基本合格", "不合格", "未参检")
ROLES = ("会长", "常务副会长", "副会长", "监事长", "秘书长", "理事", "会员")
DEFAULT_ROLE = "会员"
MEMBER_KINDS = (ENTERPRISE, PERSON)  # the values live with the name heuristic that guesses them

# Plausible values: anything outside is refused with a message naming file, row and column.
EARLIEST_YEAR = 1900  # founded and last_election lie between 1 January of this year and today
MAXIMA: dict[str, float] = {"staff_fulltime": 100_000, "party_members": 1_000_000, "term_years": 10,
                            "units": 100_000_000, "annual_sales": 1e12, "sales": 1e13}  # sales in 万元
LONG_TEXT = ("scope", "purpose", "services")  # free text: up to MAX_TEXT_CHARS, like extra columns
MAX_TEXT_CHARS = 10_000
MAX_CELL_CHARS = 200  # every other FORMAT column (ids, names, regions, codes, …)


@dataclass(frozen=True)
class Association:
    """One row of ``associations`` as Python values (what a page shows about one association)."""

    id: str
    name: str
    region: str = ""
    type: str = ""
    industry: str = ""
    scope: str = ""
    purpose: str = ""
    services: tuple[str, ...] = ()
    founded: date | None = None
    status: str = ACTIVE
    staff_fulltime: int | None = None
    has_office: bool | None = None
    funding: str = ""
    last_election: date | None = None
    term_years: int | None = None  # blank: the policy's default_term_years
    inspection: str = ""
    party_members: int | None = None
    former_names: tuple[str, ...] = ()  # 曾用名
    extra: dict[str, str] = field(default_factory=dict, hash=False)  # unknown columns, as read


def _scalar(value: Any) -> Any:
    """A frame cell as a plain Python value; missing → None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _association(row: Mapping[str, Any]) -> Association:
    """An :class:`Association` from a frame row; missing cells take the field default."""
    fixed = {"services": tuple(split_items(row.get("services"))),
             "former_names": tuple(split_items(row.get("former_names"))),
             "extra": {k: v for k, v in row.items() if k not in COLUMNS[ASSOCIATIONS] and k not in DERIVED}}
    values = {f.name: _scalar(row.get(f.name)) for f in dataclasses.fields(Association) if f.name not in fixed}
    return Association(**{k: v for k, v in values.items() if v is not None}, **fixed)


@dataclass
class Registry:
    """A loaded registry or application batch. Frames are read-only by convention.

    Every FORMAT.md column is in the frames (absent ones empty); ``present_columns`` tells which
    columns each file really had (absent files have no key).
    """

    associations: pd.DataFrame
    memberships: pd.DataFrame
    industry_stats: pd.DataFrame | None
    warnings: list[InputWarning]
    source: str
    kind: str = "registry"
    present_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    home: Division | None = None  # the registry's city, used to infer regions from names

    def __post_init__(self) -> None:
        if not self.present_columns:
            frames = {ASSOCIATIONS: self.associations, MEMBERSHIPS: self.memberships if len(self.memberships) else None,
                      INDUSTRY_STATS: self.industry_stats}
            self.present_columns = {name: tuple(c for c in frame.columns if c not in DERIVED)
                                    for name, frame in frames.items() if frame is not None}

    def __len__(self) -> int:
        return len(self.associations)

    @property
    def has_memberships(self) -> bool:
        return MEMBERSHIPS in self.present_columns

    @property
    def names_only(self) -> bool:
        """Only names (and at most region/type) are known: no descriptions, no members."""
        return not self.has_memberships and set(self.present_columns[ASSOCIATIONS]) <= NAME_COLUMNS

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {id_: i for i, id_ in enumerate(self.associations["id"])}

    @cached_property
    def _members_by_association(self) -> tuple[pd.DataFrame, dict[str, slice]]:
        """Memberships stably sorted by association, and each association's slice of them."""
        keys = self.memberships["association_id"].to_numpy(dtype=object)
        order = np.argsort(keys, kind="stable")
        ids, starts, counts = np.unique(keys[order], return_index=True, return_counts=True)
        ends = starts + counts
        slices = {key: slice(lo, hi) for key, lo, hi in zip(ids.tolist(), starts.tolist(), ends.tolist(), strict=True)}
        return self.memberships.iloc[order], slices

    def get(self, association_id: str) -> Association:
        """The association with this id (KeyError when unknown)."""
        return _association(self.associations.iloc[self._positions[association_id]].to_dict())

    def members_of(self, association_id: str) -> pd.DataFrame:
        """Membership rows of one association (empty frame when it has none)."""
        frame, slices = self._members_by_association
        return frame.iloc[slices.get(association_id, slice(0, 0))]


# ------------------------------------------------------------------------------- Chinese names (FORMAT.md)

# Chinese headers accepted for each column, per table (FORMAT.md, "Chinese column names"); the first is the
# column's label (templates, messages).
CHINESE_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    ASSOCIATIONS: {
        "id": ("编号", "统一社会信用代码"), "name": ("名称", "社会组织名称"), "region": ("登记区域", "所属区域"),
        "type": ("类型", "组织类型"), "industry": ("行业", "所属行业"), "scope": ("业务范围",),
        "purpose": ("章程宗旨", "宗旨"), "services": ("服务项目",), "founded": ("成立日期", "成立时间"),
        "status": ("状态", "登记状态"), "staff_fulltime": ("专职人员", "专职人员数"),
        "has_office": ("固定办公场所", "办公场所"), "funding": ("经费来源",), "last_election": ("上次换届", "换届日期"),
        "term_years": ("任期（年）", "任期"), "inspection": ("年检结果", "年检"), "party_members": ("党员人数",),
        "former_names": ("曾用名",),
    },
    MEMBERSHIPS: {
        "association_id": ("所属协会编号", "协会统一社会信用代码"), "member_name": ("会员名称",),
        "member_id": ("会员统一社会信用代码", "统一社会信用代码"), "member_kind": ("会员类型",),
        "member_region": ("会员所在地", "所在地区"), "role": ("职务",), "person": ("负责人", "姓名"),
        "annual_sales": ("年销售额（万元）", "年销售额"), "person_id": ("负责人编号", "身份证号"),
    },
    INDUSTRY_STATS: {
        "industry": ("行业",), "region": ("地区", "区域"), "units": ("企业数", "企业数量"),
        "sales": ("销售额（万元）", "销售额"),
    },
}
SHEET_NAMES = {ASSOCIATIONS: "协会商会", MEMBERSHIPS: "会员", INDUSTRY_STATS: "行业统计"}  # Chinese sheet names


def header_key(text: str) -> str:
    """A header as compared: half-width (NFKC), lower case, without blanks, ``-`` as ``_``."""
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", text).strip().lower())


@cache
def _by_header(table: str) -> dict[str, str]:
    names = {header_key(c): c for c in COLUMNS[table]}
    names.update({header_key(zh): c for c, zhs in CHINESE_COLUMNS[table].items() if c in COLUMNS[table] for zh in zhs})
    return names


_UNIT = re.compile(r"_?\([^()]*\)$")  # a trailing note or unit: 年销售额（万元）, 名称（必填）


def canonical_column(header: object, table: str) -> str | None:
    """The FORMAT column a header names (English, any case or width, or a Chinese name, with or without a
    trailing note in brackets), else None."""
    key = header_key(str(header))
    names = _by_header(table)
    return names.get(key) or names.get(_UNIT.sub("", key))


def column_label(column: str, table: str = ASSOCIATIONS) -> str:
    """A column's Chinese label (the column name itself when it has none)."""
    return CHINESE_COLUMNS.get(table, {}).get(column, (column,))[0]
