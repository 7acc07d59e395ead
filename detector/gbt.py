"""GB/T 4754-2017 (国民经济行业分类): the national classification table in ``models/`` and the words
its names give.

The table has one row per section (门类), division (大类, 2 digits), group (中类, 3 digits) and
class (小类, 4 digits). :func:`load_units` reads and checks it; :func:`name_words` derives the
words registries use for a unit from its official name (金属表面处理及热处理加工 → 金属表面处理,
热处理; 足浴服务 → 足浴). ``detector.industry`` turns the units into vocabulary entries.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import DetectorError
from .text import normalize_name

DIVISION, GROUP, CLASS = "division", "group", "class"
_LEVELS = {"2": DIVISION, "3": GROUP, "4": CLASS}
_CODE_LENGTH = {DIVISION: 2, GROUP: 3, CLASS: 4}
_COLUMNS = ("level", "section", "division", "group", "class", "name")

# Activity words closing a unit's name (longest first): what is left is the trade's object
# (蔬菜种植 → 蔬菜, 足浴服务 → 足浴, 钢压延加工 → 钢).
_ACTIVITIES = tuple(sorted((
    "种植", "饲养", "养殖", "捕捞", "采运", "采集", "采选", "开采", "开采洗选", "洗选", "加工", "精加工", "初加工",
    "制造", "制品制造", "制作", "生产", "生产和供应", "批发", "零售", "专门零售", "服务", "活动", "管理", "管理服务",
    "运输", "修理与维护", "修理", "维修", "经营租赁", "租赁", "出租", "施工", "工程施工", "工程建筑", "建筑", "安装",
    "冶炼", "压延加工", "培训", "制造业", "服务业", "加工业",
), key=len, reverse=True))
# Activities on goods made by others: the object alone names the goods, not this trade (日用电器修理:
# 日用电器 is made by 家用电力器具制造; 鞋帽批发: 鞋帽 by 制鞋业).
_ON_GOODS = frozenset(("批发", "零售", "专门零售", "修理", "修理与维护", "维修", "租赁", "经营租赁", "出租"))
# Separators between the items of a name (豆类、油料和薯类种植). 及/和/与 only between two items of two
# characters or more, so words containing them (普及, 和平) are not split.
_SPLIT = re.compile(r"[、，,/]|(?<=[\u4e00-\u9fff]{2})(?:及|和|与|或|以及)(?=[\u4e00-\u9fff]{2})")
_OTHER = re.compile(r"^其[他它]|未列明|未包括")


@dataclass(frozen=True)
class Unit:
    """One division, group or class of the standard."""

    code: str
    level: str  # division / group / class
    title: str  # the official name as written (豆类、油料和薯类种植)
    parent: str | None  # code of the enclosing division or group (None for a division)

    @cached_property
    def name(self) -> str:
        """The normalised name (豆类油料和薯类种植)."""
        return normalize_name(self.title)

    @cached_property
    def items(self) -> tuple[str, ...]:
        """The trades the name lists, normalised: 豆类、油料和薯类种植 → 豆类, 油料, 薯类种植."""
        return tuple(w for w in (normalize_name(p) for p in _SPLIT.split(self.title)) if w)

    @property
    def residual(self) -> bool:
        """A catch-all unit (其他…, …未列明…): its name names no trade of its own."""
        return bool(_OTHER.search(self.title))


def _where(path: Path, line: int) -> str:
    return f"行业分类表 {path.name} 第 {line} 行"


def load_units(path: Path) -> tuple[Unit, ...]:
    """Every division, group and class of the table, in file order (sections are skipped).

    A missing file, a missing column, a wrong level or code, or a code given twice raises
    ``DetectorError`` naming the file and line.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise DetectorError(f"行业分类表 {path.name} 缺少列：{'、'.join(missing)}")
            rows = list(enumerate(reader, 2))
    except FileNotFoundError:
        raise DetectorError(f"找不到行业分类表 {path}") from None
    units: dict[str, Unit] = {}
    for line, row in rows:
        level = _LEVELS.get((row["level"] or "").strip())
        if (row["level"] or "").strip() == "1":
            continue
        if level is None:
            raise DetectorError(f"{_where(path, line)}：level 应为 1～4，而不是 {row['level']!r}")
        code = (row[level] or "").strip()
        if not re.fullmatch(rf"\d{{{_CODE_LENGTH[level]}}}", code):
            raise DetectorError(f"{_where(path, line)}：{level} 列应为 {_CODE_LENGTH[level]} 位数字代码，而不是 {code!r}")
        if code in units:
            raise DetectorError(f"{_where(path, line)}：代码 {code} 重复")
        title = (row["name"] or "").strip()
        if len(normalize_name(title)) < 2:
            raise DetectorError(f"{_where(path, line)}：name 缺失")
        parent = None
        if level != DIVISION:
            group = (row["group"] or "").strip()
            # a class that is its group's only one (0190 其他农业) comes without a group row
            parent = group if level == CLASS and group in units else code[:2]
            if level == CLASS and group and not code.startswith(group):
                raise DetectorError(f"{_where(path, line)}：小类 {code} 不属于中类 {group}")
            if parent not in units:
                raise DetectorError(f"{_where(path, line)}：{code} 的上级 {parent} 未在它之前出现")
        units[code] = Unit(code, level, title, parent)
    return tuple(units.values())


def _object(item: str) -> str:
    """An item without the activity word closing it: 足浴服务 → 足浴, 牛的饲养 → 牛 (the item itself when none)."""
    for word in _ACTIVITIES:
        if item.endswith(word) and len(item) - len(word) >= 2:
            return item[: -len(word)].removesuffix("的")
    return item


def name_words(unit: Unit) -> tuple[str, ...]:
    """Words a registry may use for ``unit``, from its name: the name, each listed item and each
    item without its activity word (糕点、面包制造 → 糕点面包制造, 糕点, 面包制造, 面包; 住宿业 → 住宿).
    An earlier item much shorter than the last one qualifies it rather than naming a trade
    (交通及公共管理用金属标牌制造: 交通 is no trade), a short last item after a long one continues it
    (金属包装容器及材料制造: 材料 is no trade); both are left out, as are items opening with 其
    (其他, 其制品), and the bare goods of a sale, repair or rental (日用电器修理 gives no 日用电器). A catch-all unit (其他谷物种植) gives only its name. Words have two characters or more."""
    raw = unit.name
    if unit.residual:
        return (raw,)
    *first, last = unit.items
    tail = _object(last)
    activity = last[len(tail):] if last.startswith(tail) else ""
    # 豆类、油料和薯类种植: the closing activity word belongs to every item (豆类种植, 油料种植)
    first = [i for i in first if len(i) >= 2 and len(i) >= len(tail) - 1 and not i.startswith("其")]
    own = activity not in _ON_GOODS  # the object alone names this trade, not goods others make
    words = [raw, *(i + activity for i in first if activity and _object(i) == i), *first,
             *(_object(i) for i in first if own)]
    # …及材料制造, …及附件制造: a short last item after a long one continues it (金属包装容器及材料)
    continues = bool(first) and len(tail) <= 2 and max(map(len, first)) >= len(tail) + 2
    if not last.startswith("其") and not continues:
        words += [last, tail] if own else [last]
    if not first and raw.endswith("业") and len(raw) >= 3 and raw == last == tail:
        words.append(raw[:-1])  # 住宿业 → 住宿
    return tuple(w for w in dict.fromkeys(words) if len(w) >= 2 and w not in _ACTIVITIES)


__all__ = ["Unit", "load_units", "name_words", "DIVISION", "GROUP", "CLASS"]
