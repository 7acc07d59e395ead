"""The city's geography as the generator writes it: registration regions, member places and the origins of
异地商会, each origin written so that it names exactly one place; which origins are easily mixed up.
"""
from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ... import regions
from ...errors import DetectorError
from ...regions import COUNTY, PREFECTURE, PROVINCE, Division


@dataclass(frozen=True)
class Place:
    """A possible origin of a 异地商会 and the ways it is written in names."""

    division: Division
    texts: tuple[str, ...]  # 安徽 / 江西上饶, 上饶 / 福建福鼎, 福鼎
    abbr: str  # 皖 for province origins, else ""
    short: str  # the division's short name (安徽, 上饶, 福鼎)

    @property
    def code(self) -> int:
        return int(self.division.code)

    @property
    def level(self) -> str:
        return self.division.level


@dataclass(frozen=True)
class Geo:
    city: Division
    counties: tuple[Division, ...]
    origins: tuple[Place, ...]
    outside: tuple[Division, ...]  # county-level places outside the city (member_region)
    province_twins: tuple[tuple[Place, Place], ...]  # 江西/江苏, 湖南/湖北 …
    prefecture_twins: tuple[tuple[Place, Place], ...]  # 南昌/南充 …

    @property
    def regions(self) -> tuple[Division, ...]:
        """Registration regions: index 0 is the city (市本级), then its county-level units."""
        return (self.city,) + self.counties

    @property
    def units(self) -> tuple[Division, ...]:
        """Where members are registered: the county-level units (the city itself if it has none)."""
        return self.counties or (self.city,)


def _is_outside(d: Division, city: Division) -> bool:
    return d.code[:4] != city.code[:4] and d.code[:2] not in ("71", "81", "82")


@lru_cache(maxsize=1)
def _written_forms() -> tuple[dict[tuple[str, str], tuple[Division, ...]], frozenset[str]]:
    """Divisions by (province code, name or short form), and the short forms of provinces."""
    by_form: dict[tuple[str, str], list[Division]] = {}
    for d in regions.divisions():
        for s in {d.name, d.short}:
            by_form.setdefault((d.code[:2], s), []).append(d)
    provinces = frozenset(d.short for d in regions.divisions() if d.level == PROVINCE)
    return {k: tuple(v) for k, v in by_form.items()}, provinces


@lru_cache(maxsize=4096)
def short_is_unambiguous(d: Division) -> bool:
    """May ``d.short`` stand for ``d`` in a name, a region cell or a member's region (瑞安 for 瑞安市)?

    Not when another division of the same province is written the same (湘潭县 → 湘潭 reads as
    湘潭市; 伊宁 is 伊宁市 and 伊宁县), nor when it is a province's short form (吉林 for 吉林市).
    A prefecture-level city keeps its short form when only its own counties share it: a bare
    湘潭 reads as the city, as people write it and as readers resolve it.
    """
    if len(d.short) < 2 or d.short == d.name:
        return False
    by_form, provinces = _written_forms()
    others = [x for x in by_form.get((d.code[:2], d.short), ()) if x.code != d.code
              and not (x.name == d.name and {x.level, d.level} == {PROVINCE, PREFECTURE})]  # 北京市 twice
    if d.level == PREFECTURE:
        province_twin = d.short in provinces and d.name != d.province
        return not province_twin and all(x.level == COUNTY and x.code[:4] == d.code[:4] for x in others)
    return not others and d.short not in provinces


@lru_cache(maxsize=32)
def city_geo(city_name: str) -> Geo:
    city = regions.lookup(city_name)
    if city is None or city.level != PREFECTURE:
        raise DetectorError(f"未找到地级市 {city_name!r}（请写全称，如 温州市、湘潭市）")
    divs = regions.divisions()
    counts: Counter[str] = Counter()
    for d in divs:
        for s in {d.name, d.short}:
            counts[s] += 1
    prov_short = {d.code[:2]: d.short for d in divs if d.level == PROVINCE}
    province_shorts = set(prov_short.values())
    abbr: dict[str, str] = {}
    for a, d in regions.province_abbreviations().items():
        abbr.setdefault(d.code[:2], a)
    origins: list[Place] = []
    for d in divs:
        if not _is_outside(d, city) or len(d.short) < 2:
            continue
        ps = prov_short.get(d.code[:2], "")
        if d.level == PROVINCE:
            if d.code[:2] == city.code[:2]:
                continue
            origins.append(Place(d, (d.short,), abbr.get(d.code[:2], ""), d.short))
        elif d.level == PREFECTURE:
            if d.name == d.province or d.short in province_shorts:
                continue  # municipalities (their province row is the origin) and 吉林市
            texts = (ps + d.short,) + ((d.short,) if counts[d.short] == 1 else ())
            origins.append(Place(d, texts, "", d.short))
        elif d.name.endswith(("县", "市")) and d.short not in province_shorts:
            texts = (ps + d.short,) + ((d.short,) if counts[d.short] == 1 else ())
            origins.append(Place(d, texts, "", d.short))
    origins = _unambiguous_origins(origins, prov_short)
    outside = tuple(
        d for d in divs
        if d.level == COUNTY and _is_outside(d, city) and counts[d.name] == 1 and d.name.endswith(("县", "市", "区"))
    )
    return Geo(city, tuple(regions.county_units(city)), tuple(origins), outside,
               tuple(_one_char_pairs([p for p in origins if p.level == PROVINCE])),
               tuple(_one_char_pairs([p for p in origins if p.level == PREFECTURE])))


def _unambiguous_origins(origins: list[Place], prov_short: dict[str, str]) -> list[Place]:
    """Every written origin names exactly one place, so a 异地商会's label is readable from its name.

    A prefecture and a county of its own can share a short form (湖南湘潭 = 湘潭市 and 湘潭县,
    云南大理 = 大理白族自治州 and 大理市): the bare form stays with the prefecture (as people
    write it, and as readers resolve it) and the county is written in full (湖南湘潭县, 云南大理市).
    Any other shared form (伊宁市 / 伊宁县; 黔西市 / 黔西南州, whose cut-down short form is 黔西)
    is dropped by every place sharing it, which then use their full names. A place that still
    cannot be written unambiguously is not an origin.
    """
    writers: dict[str, list[Place]] = {}
    for p in origins:
        for t in p.texts:
            writers.setdefault(t, []).append(p)

    def keeps(p: Place, t: str) -> bool:
        sharing = writers[t]
        if len(sharing) == 1:
            return True
        prefectures = [q for q in sharing if q.level == PREFECTURE]
        return (p.level == PREFECTURE and len(prefectures) == 1
                and all(q is p or (q.level == COUNTY and q.division.code[:4] == p.division.code[:4]) for q in sharing))

    redone = []
    for p in origins:
        texts = tuple(t for t in p.texts if keeps(p, t))
        if not texts:
            texts = (prov_short.get(p.division.code[:2], "") + p.division.name,)
        redone.append(Place(p.division, texts, p.abbr, p.short))
    used = Counter(t for p in redone for t in p.texts)
    out = []
    for p in redone:
        texts = tuple(t for t in p.texts if used[t] == 1)
        if texts:
            out.append(Place(p.division, texts, p.abbr, p.short))
    return out


def _one_char_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and a != b and sum(x != y for x, y in zip(a, b)) == 1


def wildcards(short: str) -> list[str]:
    return [f"{short[:k]}*{short[k + 1:]}" for k in range(len(short))]


def _one_char_pairs(places: list[Place]) -> list[tuple[Place, Place]]:
    """Pairs of places whose short names differ in exactly one character (bucketed)."""
    buckets: dict[str, list[Place]] = {}
    for p in places:
        for w in wildcards(p.short):
            buckets.setdefault(w, []).append(p)
    out: dict[tuple[int, int], tuple[Place, Place]] = {}
    for group in buckets.values():
        for a, b in itertools.combinations(group, 2):
            if a.short != b.short:
                out.setdefault((min(a.code, b.code), max(a.code, b.code)), (a, b))
    return [out[k] for k in sorted(out)]


def ancestors(p: Place) -> tuple[int, ...]:
    """Adcodes of the province and prefecture containing a place (excluding itself)."""
    return tuple(c for c in (p.code // 10000 * 10000, p.code // 100 * 100) if c != p.code)


def _origin_contains(outer: Place, inner: Place) -> bool:
    return outer.code in ancestors(inner)


def confusable(a: Place, b: Place) -> bool:
    """Different origins whose names are easily mixed up: 江西/江苏, 福建/福州, 福建/福建福鼎."""
    return _origin_contains(a, b) or _origin_contains(b, a) or _one_char_apart(a.short, b.short)


class ConfusableIndex:
    """Answers "is this origin confusable with any origin already here?" without a scan."""

    def __init__(self, places: list[Place]):
        self.codes = {p.code for p in places}
        self.ancestors = {c for p in places for c in ancestors(p)}
        self.shorts: dict[str, set[str]] = {}
        for p in places:
            for w in wildcards(p.short):
                self.shorts.setdefault(w, set()).add(p.short)

    def hit(self, p: Place) -> bool:
        if p.code in self.ancestors or any(c in self.codes for c in ancestors(p)):
            return True
        return any(self.shorts.get(w, set()) - {p.short} for w in wildcards(p.short))
