"""Seeded generator of realistic, labelled registries of industry associations (一业一会).

``generate(SynthConfig(seed=7))`` returns a :class:`SynthData`: a registry and an application
batch in the FORMAT.md layout plus the truth (duplicate groups, labelled pairs including hard
negatives, and expected screening verdicts). ``write(data, folder)`` stores it as CSV files.

The vocabulary (``synth_vocab.toml``) is independent of the detector's own taxonomy so that a
scorer trained on this data is not simply learning the detector's word lists back.

Truth model: every registry association belongs to a *slot* (kind, subject, region), where kind
is industry / academic (学会、研究会) / origin (异地商会) / general (企业家协会 …) and subject is
the industry key, the origin's adcode or the general body's key. Active associations sharing a
slot are duplicates (same region, same industry or same origin); everything else is not.

What a reader sees must carry the label, so the noise never hides it:

* Every body whose name is built from an origin place (…商会, …企业家联合会, …企业联合会,
  …商业联合会, …总商会, …籍企业家商会, 皖商联合会) is a 异地商会 in the slot of that origin: two of
  them are duplicates exactly when origin and region are the same. Each written origin names one
  place (湖南湘潭 is 湘潭市; 湘潭县 is written 湖南湘潭县), so different origins never look alike.
  No other body reads as one: origin and general bodies never take a name modifier, and no
  modifier is a place (温州市新兴企业家联合会 would be a chamber of 新兴县).
* General bodies: 企业家协会 and 企业家联合会 of one region share a slot (duplicates), as do the
  two names of every other general key; 青年企业家协会/商会 and 女企业家协会/商会 serve their own
  group of people and are distinct slots from the plain 企业家协会 and from each other.
* Region names are shortened (湘潭 for 湘潭市, 瑞安 for 瑞安市) only when the short form is
  unambiguous (:func:`short_is_unambiguous`): never 湘潭县 → 湘潭, which reads as the city.
* The registry always keeps its ``status`` column (other optional columns may be dropped).
* Industry aliases denote one industry each and never another's (``synth_vocab.toml``).

Label files:

* ``labels/groups.csv`` (id, group): every registry row in exactly one group; 注销/撤销 rows alone.
* ``labels/pairs.csv`` (id_a, id_b, label, kind): ``duplicate`` (label 1, all within-group pairs)
  and label-0 samples: ``near_origin`` (江西/江苏, 福建/福州, 福建/福建福鼎 商会 in one region),
  ``near_level`` (city vs county, same subject), ``near_region`` (two counties, same subject),
  ``near_form`` (协会 vs 学会/研究会 of one field), ``near_industry`` (related industries, one
  region), ``shared_members`` (unrelated industries, many common members), ``inactive`` (a
  dissolved body of the same slot), ``random``.
* ``labels/applications.csv`` (id, verdict, expected_match, kind): verdict duplicate / review /
  clear / reject; expected_match is the registry id an application duplicates (or overlaps, for
  ``member_overlap``), or for ``duplicate_in_batch`` the other application's id. A city-level
  异地商会 of a county-level origin is ``reject`` (rule county_chamber_at_city) even when it also
  duplicates a registered chamber (kind ``duplicate_origin``): reject outranks duplicate, and
  expected_match still names the duplicated chamber.
"""
from __future__ import annotations

import itertools
import math
import os
import random
import tomllib
from collections import Counter
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import regions
from ..errors import DetectorError
from ..regions import COUNTY, PREFECTURE, PROVINCE, Division

IND, ACAD, ORIG, GEN = "industry", "academic", "origin", "general"

ASSOCIATION_COLUMNS = (
    "id", "name", "region", "type", "industry", "scope", "purpose", "services", "founded", "status",
    "staff_fulltime", "has_office", "funding", "last_election", "term_years", "inspection", "party_members",
)
MEMBERSHIP_COLUMNS = (
    "association_id", "member_name", "member_id", "member_kind", "member_region", "role", "person", "annual_sales",
)
STATS_COLUMNS = ("industry", "region", "units", "sales")
REQUIRED_ASSOCIATION = ("id", "name")
# The missing-columns noise never drops these from the registry: status is how a registry marks
# 注销/撤销 bodies, and without it a dissolved body would read as an active duplicate.
KEPT_REGISTRY_COLUMNS = REQUIRED_ASSOCIATION + ("status",)
REQUIRED_MEMBERSHIP = ("association_id", "member_name")

PAIR_KINDS = ("duplicate", "near_origin", "near_level", "near_region", "near_form", "near_industry",
              "shared_members", "inactive", "random")
VERDICTS = ("duplicate", "review", "clear", "reject")
ROLES = ("会长", "常务副会长", "副会长", "监事长", "秘书长", "理事", "会员")
LEADER_ROLES = ("会长", "常务副会长", "副会长")

FILES = {
    "registry/associations.csv": "associations",
    "registry/memberships.csv": "memberships",
    "registry/industry_stats.csv": "industry_stats",
    "applications/associations.csv": "applications",
    "applications/memberships.csv": "application_members",
    "labels/groups.csv": "groups",
    "labels/pairs.csv": "pairs",
    "labels/applications.csv": "screen_labels",
}


# ---------------------------------------------------------------------------------- config


@dataclass(frozen=True)
class Rates:
    """Structure and noise rates of one variation profile."""

    dup_group_rate: float  # share of slots that hold a duplicate group (2–4 associations)
    near_miss_rate: float  # planted hard-negative structures per association and kind
    inactive_rate: float  # share of associations that are 注销/撤销
    missing_column_prob: float  # each optional column is dropped with this probability
    traditional_rate: float  # names / texts written in traditional characters
    fullwidth_rate: float  # names with spaces and (全角) brackets: 温州市 汽摩配（行业）协会
    short_city_rate: float  # 温州 instead of 温州市, 瑞安 instead of 瑞安市
    typo_rate: float  # a homophone typo or dropped character in scope / purpose
    blank_region_rate: float  # empty region cell (infer it from the name)
    blank_type_rate: float  # empty type cell
    shuffle_scope_rate: float  # scope phrases in another order with other separators
    declared_variant_rate: float  # industry column uses a variant (鞋业 instead of 鞋革)


VARIATIONS: dict[str, Rates] = {
    "clean": Rates(0.14, 0.012, 0.02, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "standard": Rates(0.14, 0.015, 0.025, 0.08, 0.01, 0.03, 0.06, 0.02, 0.03, 0.05, 0.10, 0.15),
    "noisy": Rates(0.16, 0.02, 0.03, 0.35, 0.15, 0.15, 0.25, 0.10, 0.20, 0.25, 0.30, 0.35),
}


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. Rate fields left at ``None`` take the variation profile's value."""

    seed: int
    city: str = "温州市"
    n_associations: int = 300
    members_per_association: tuple[int, int] = (10, 60)
    variation: str = "standard"
    n_applications: int = 40
    city_level_share: float = 0.4
    as_of: str = "2024-12-31"
    dup_group_rate: float | None = None
    near_miss_rate: float | None = None
    inactive_rate: float | None = None
    missing_column_prob: float | None = None
    traditional_rate: float | None = None
    fullwidth_rate: float | None = None
    short_city_rate: float | None = None
    typo_rate: float | None = None
    blank_region_rate: float | None = None
    blank_type_rate: float | None = None
    shuffle_scope_rate: float | None = None
    declared_variant_rate: float | None = None

    def __post_init__(self) -> None:
        if self.variation not in VARIATIONS:
            raise DetectorError(f"未知的变化程度 {self.variation!r}：可选 {' / '.join(VARIATIONS)}")
        if self.seed < 0:
            raise DetectorError("seed 须为非负整数")
        if self.n_associations < 1 or self.n_applications < 0:
            raise DetectorError("n_associations 须 ≥ 1，n_applications 须 ≥ 0")
        lo, hi = self.members_per_association
        if not 1 <= lo <= hi:
            raise DetectorError("members_per_association 须满足 1 ≤ 下限 ≤ 上限")

    def rates(self) -> Rates:
        base = VARIATIONS[self.variation]
        values = {f.name: getattr(self, f.name) for f in fields(Rates)}
        return Rates(**{k: (getattr(base, k) if v is None else float(v)) for k, v in values.items()})


# How the bundled demo (models/demo) was generated: `detector generate models/demo --seed 7 --n 300`.
DEMO_CONFIG = SynthConfig(seed=7, city="温州市", n_associations=300, variation="standard")


@dataclass
class SynthData:
    """A generated registry, application batch and their truth labels (all pandas frames)."""

    config: SynthConfig
    associations: pd.DataFrame
    memberships: pd.DataFrame
    industry_stats: pd.DataFrame
    applications: pd.DataFrame
    application_members: pd.DataFrame
    groups: pd.DataFrame  # id, group
    pairs: pd.DataFrame  # id_a, id_b, label, kind
    screen_labels: pd.DataFrame  # id, verdict, expected_match, kind


# ---------------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Industry:
    key: str
    label: str
    declared: tuple[str, ...]
    cores: tuple[str, ...]
    field: str
    products: tuple[str, ...]
    firm: tuple[str, ...]
    services: tuple[str, ...]
    related: tuple[str, ...]
    academic: tuple[str, ...]
    weight: float
    firm_kind: str  # goods / service / finance: which enterprise name endings fit


@dataclass(frozen=True)
class Vocab:
    industries: tuple[Industry, ...]
    general: tuple[tuple[str, tuple[str, ...]], ...]
    industry_forms: tuple[tuple[str, float], ...]
    origin_forms: tuple[tuple[str, float], ...]
    modifiers: tuple[str, ...]
    brand_chars: str
    enterprise_suffixes: tuple[tuple[str, float], ...]
    surnames: tuple[tuple[str, float], ...]
    given_chars: str
    homophones: dict[str, str]
    concepts: dict[str, tuple[tuple[str, ...], ...]]  # pool → concepts → paraphrases
    openings: dict[str, tuple[str, ...]]
    services: dict[str, tuple[str, ...]]
    funding: tuple[str, ...]

    @property
    def by_key(self) -> dict[str, Industry]:
        return {ind.key: ind for ind in self.industries}


def _chars(text: str) -> str:
    return "".join(dict.fromkeys(c for c in text if not c.isspace()))


def _pairs(rows: list) -> tuple[tuple[str, float], ...]:
    return tuple((str(a), float(b)) for a, b in rows)


def _concepts(rows: list) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(r) for r in rows)


@lru_cache(maxsize=4)
def load_vocab(path: str | None = None) -> Vocab:
    """The generator's vocabulary (``synth_vocab.toml`` next to this module by default)."""
    p = Path(path) if path else Path(__file__).with_name("synth_vocab.toml")
    with p.open("rb") as f:
        t = tomllib.load(f)
    keys = {row["key"] for row in t["industry"]}
    related: dict[str, list[str]] = {k: [] for k in sorted(keys)}
    for row in t["industry"]:  # symmetric relation
        for other in row.get("related", []):
            if other not in keys:
                raise DetectorError(f"synth_vocab.toml：{row['key']} 的相关行业 {other} 不存在")
            for a, b in ((row["key"], other), (other, row["key"])):
                if b not in related[a]:
                    related[a].append(b)
    for mod in t["forms"]["modifiers"]:
        if regions.lookup(mod) is not None:  # 新兴 is 新兴县: the name would read as a 异地商会
            raise DetectorError(f"synth_vocab.toml：修饰词 {mod} 是地名")
    industries = tuple(
        Industry(
            key=row["key"], label=row["label"], declared=tuple(row["declared"]), cores=tuple(row["cores"]),
            field=row["field"], products=tuple(row["products"]), firm=tuple(row["firm"]),
            services=tuple(row.get("services", [])), related=tuple(sorted(related[row["key"]])),
            academic=tuple(row.get("academic", [])), weight=float(row.get("weight", 1.0)),
            firm_kind=row.get("firm_kind", "goods"),
        )
        for row in t["industry"]
    )
    c, pu = t["concepts"], t["purpose"]
    concepts = {name: _concepts(c[name]) for name in ("generic", "academic", "origin", "general")}
    for row in t["industry"]:
        concepts["ind:" + row["key"]] = _concepts(row["scope"])
    for name in ("common", "industry", "academic", "origin", "general"):
        concepts["p_" + name] = _concepts(pu[name])
    openings = {k: tuple(pu["openings_" + k]) for k in ("industry", "academic", "origin", "general")}
    return Vocab(
        industries=industries,
        general=tuple((row["key"], tuple(row["names"])) for row in t["general"]),
        industry_forms=_pairs(t["forms"]["industry"]),
        origin_forms=_pairs(t["forms"]["origin"]),
        modifiers=tuple(t["forms"]["modifiers"]),
        brand_chars=_chars(t["enterprise"]["brand_chars"]),
        enterprise_suffixes=_pairs(t["enterprise"]["suffixes"]),
        surnames=_pairs(t["persons"]["surnames"]),
        given_chars=_chars(t["persons"]["given_chars"]),
        homophones={a: b for a, b in t["noise"]["homophones"]},
        concepts=concepts,
        openings=openings,
        services={k: tuple(v) for k, v in t["services"].items()},
        funding=tuple(t["funding"]["values"]),
    )


# ---------------------------------------------------------------------------------- credit codes

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 character set (no I O Z S V)
_CODE_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)  # GB 11714 organisation code


def _org_value(chars: np.ndarray) -> np.ndarray:
    """GB 11714 values of ASCII codes: digits as is, letters A=10 … Z=35."""
    return np.where(chars <= ord("9"), chars - ord("0"), chars - ord("A") + 10)


def make_credit_codes(rng: np.random.Generator, kind: str, admin: np.ndarray, ma_share: float = 0.0) -> np.ndarray:
    """Valid 18-character codes: ``kind`` (``51`` social organisation, ``91`` enterprise) +
    six-digit admin code + nine-character organisation code (own GB 11714 check) + check char."""
    n = len(admin)
    out = np.zeros((n, 18), dtype=np.uint8)
    out[:, 0], out[:, 1] = ord(kind[0]), ord(kind[1])
    out[:, 2:8] = np.frombuffer("".join(admin).encode("ascii"), dtype=np.uint8).reshape(n, 6) if n else 0
    digits = np.frombuffer(b"0123456789", dtype=np.uint8)
    body = digits[rng.integers(0, 10, size=(n, 8))]
    if kind == "51":
        body[:, 0], body[:, 1] = ord("5"), ord("0")
    ma = rng.random(n) < ma_share
    if ma.any():  # post-2015 codes: MA + six characters from the code set
        letters = np.frombuffer(CODE_CHARS.encode("ascii"), dtype=np.uint8)
        body[ma, 0], body[ma, 1] = ord("M"), ord("A")
        body[ma, 2:] = letters[rng.integers(0, 31, size=(int(ma.sum()), 6))]
    c9 = 11 - (_org_value(body.astype(np.int64)) @ _ORG_WEIGHTS) % 11
    out[:, 8:16] = body
    out[:, 16] = np.where(c9 == 10, ord("X"), np.where(c9 == 11, ord("0"), ord("0") + c9 % 10))
    lut = np.full(128, -1, dtype=np.int64)
    for i, ch in enumerate(CODE_CHARS):
        lut[ord(ch)] = i
    s = lut[out[:, :17]] @ _CODE_WEIGHTS
    check = np.frombuffer(CODE_CHARS.encode("ascii"), dtype=np.uint8)[(31 - s % 31) % 31]
    out[:, 17] = check
    return np.array(out.view("S18").ravel().astype(str), dtype=object)


def _unique_codes(rng: np.random.Generator, kind: str, admin: np.ndarray, ma_share: float = 0.0) -> np.ndarray:
    codes = make_credit_codes(rng, kind, admin, ma_share)
    for _ in range(20):
        dup = pd.Series(codes).duplicated().to_numpy()
        if not dup.any():
            break
        codes[dup] = make_credit_codes(rng, kind, admin[dup], ma_share)
    return codes


# ---------------------------------------------------------------------------------- geography


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
def _geo(city_name: str) -> Geo:
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


def _wildcards(short: str) -> list[str]:
    return [f"{short[:k]}*{short[k + 1:]}" for k in range(len(short))]


def _one_char_pairs(places: list[Place]) -> list[tuple[Place, Place]]:
    """Pairs of places whose short names differ in exactly one character (bucketed)."""
    buckets: dict[str, list[Place]] = {}
    for p in places:
        for w in _wildcards(p.short):
            buckets.setdefault(w, []).append(p)
    out: dict[tuple[int, int], tuple[Place, Place]] = {}
    for group in buckets.values():
        for a, b in itertools.combinations(group, 2):
            if a.short != b.short:
                out.setdefault((min(a.code, b.code), max(a.code, b.code)), (a, b))
    return [out[k] for k in sorted(out)]


def _ancestors(p: Place) -> tuple[int, ...]:
    """Adcodes of the province and prefecture containing a place (excluding itself)."""
    return tuple(c for c in (p.code // 10000 * 10000, p.code // 100 * 100) if c != p.code)


def _origin_contains(outer: Place, inner: Place) -> bool:
    return outer.code in _ancestors(inner)


def _confusable(a: Place, b: Place) -> bool:
    """Different origins whose names are easily mixed up: 江西/江苏, 福建/福州, 福建/福建福鼎."""
    return _origin_contains(a, b) or _origin_contains(b, a) or _one_char_apart(a.short, b.short)


class _ConfusableIndex:
    """Answers "is this origin confusable with any origin already here?" without a scan."""

    def __init__(self, places: list[Place]):
        self.codes = {p.code for p in places}
        self.ancestors = {c for p in places for c in _ancestors(p)}
        self.shorts: dict[str, set[str]] = {}
        for p in places:
            for w in _wildcards(p.short):
                self.shorts.setdefault(w, set()).add(p.short)

    def hit(self, p: Place) -> bool:
        if p.code in self.ancestors or any(c in self.codes for c in _ancestors(p)):
            return True
        return any(self.shorts.get(w, set()) - {p.short} for w in _wildcards(p.short))


# ---------------------------------------------------------------------------------- randomness


def _streams(seed: int, stage: int) -> tuple[np.random.Generator, random.Random]:
    """Independent, reproducible generators for one stage (numpy for arrays, Random for scalars)."""
    ss = np.random.SeedSequence([seed, stage])
    return np.random.default_rng(ss), random.Random(int(ss.generate_state(1, dtype=np.uint64)[0]))


def _pick(rnd: random.Random, items: list | tuple, weights: list[float] | tuple[float, ...] | None = None):
    if weights is None:
        return items[rnd.randrange(len(items))]
    return rnd.choices(items, weights=weights, k=1)[0]


@dataclass(frozen=True)
class Style:
    """Registry-wide habits drawn from the seed: which aliases, forms and wordings are popular."""

    core_weights: dict[str, tuple[float, ...]]
    form_weights: tuple[float, ...]
    origin_form_weights: tuple[float, ...]
    industry_weights: tuple[float, ...]
    unit_weights: np.ndarray  # registration weight of each county-level unit
    concentration: np.ndarray  # industries × units: where each industry's enterprises are
    origin_weights: dict[str, list[float]]  # per level
    group_sizes: tuple[float, float, float]  # P(size 2, 3, 4)
    similarity: tuple[float, float, float]  # P(strong, medium, weak) wording of duplicates
    overlap: tuple[float, float, float]  # P(strong, partial, little) member overlap of duplicates
    separators: tuple[float, float, float]  # P(、 ； ，) between scope phrases
    scope_len: tuple[int, int]
    member_median: float
    member_sigma: float
    kind_mix: tuple[float, float, float, float]  # P(industry, academic, origin, general)


def _style(rng: np.random.Generator, vocab: Vocab, geo: Geo, config: SynthConfig) -> Style:
    lo, hi = config.members_per_association
    n_units = len(geo.units)
    levels = {PROVINCE: [], PREFECTURE: [], COUNTY: []}
    for p in geo.origins:
        w = float(rng.lognormal(0.0, 1.0))
        if p.division.code[:2] == geo.city.code[:2]:
            w *= 0.25  # same-province chambers exist but are rarer
        levels[p.level].append(w)
    return Style(
        core_weights={i.key: tuple(rng.dirichlet(np.full(len(i.cores), 1.2)) + 0.05) for i in vocab.industries},
        form_weights=tuple(np.array([w for _, w in vocab.industry_forms]) * rng.lognormal(0, 0.6, len(vocab.industry_forms))),
        origin_form_weights=tuple(np.array([w for _, w in vocab.origin_forms]) * rng.lognormal(0, 0.5, len(vocab.origin_forms))),
        industry_weights=tuple(np.array([i.weight for i in vocab.industries]) * rng.lognormal(0, 0.5, len(vocab.industries))),
        unit_weights=rng.dirichlet(np.full(n_units, 2.0)),
        concentration=rng.dirichlet(np.full(n_units, 0.6), size=len(vocab.industries)),
        origin_weights=levels,
        group_sizes=tuple(rng.dirichlet([6.0, 3.0, 1.0])),
        similarity=tuple(rng.dirichlet([3.0, 4.0, 3.0])),
        overlap=tuple(rng.dirichlet([3.0, 4.0, 3.0])),
        separators=tuple(rng.dirichlet([4.0, 2.0, 2.0])),
        scope_len=(int(rng.integers(2, 4)), int(rng.integers(5, 8))),
        member_median=float(math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * rng.uniform(0.4, 0.6))),
        member_sigma=float(rng.uniform(0.4, 0.7)),
        kind_mix=tuple(rng.dirichlet([70.0, 5.0, 19.0, 6.0])),
    )


# ---------------------------------------------------------------------------------- slots


@dataclass
class Slot:
    """One (kind, subject, region) with the number of registry associations it holds."""

    kind: str
    subject: str
    region: int  # index into Geo.regions: 0 = the city
    size: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.kind, self.subject, self.region)


@dataclass
class Plan:
    slots: list[Slot]
    shared: list[tuple[int, int]]  # slot index pairs whose members are forced to overlap
    inactive_slots: list[int]  # slots of size ≥ 2 where one association is dissolved
    research_rule: list[int]  # academic slots with a high share of enterprise members
    narrow: list[int]  # city-level industry slots whose members cover ≤ half of the counties


class _Planner:
    """Draws slots: planted hard-negative structures first, then a weighted random fill."""

    def __init__(self, vocab: Vocab, geo: Geo, style: Style, config: SynthConfig, rates: Rates, rnd: random.Random):
        self.vocab, self.geo, self.style, self.config, self.rates, self.rnd = vocab, geo, style, config, rates, rnd
        self.slots: dict[tuple[str, str, int], Slot] = {}
        self.index: dict[tuple[str, str, int], int] = {}
        self.total = 0
        self.keys = [i.key for i in vocab.industries]
        self.by_key = vocab.by_key
        self.places = {str(p.code): p for p in geo.origins}
        self.by_level = {lvl: [p for p in geo.origins if p.level == lvl] for lvl in (PROVINCE, PREFECTURE, COUNTY)}
        self.inside: dict[int, list[Place]] = {p.code: [] for p in self.by_level[PROVINCE]}
        for p in geo.origins:
            if p.level != PROVINCE and p.code // 10000 * 10000 in self.inside:
                self.inside[p.code // 10000 * 10000].append(p)

    # -- draws
    def industry(self, academic: bool = False) -> str:
        keys, w = self.keys, list(self.style.industry_weights)
        if academic:
            pairs = [(k, x) for k, x in zip(keys, w) if self.by_key[k].academic]
            keys, w = [p[0] for p in pairs], [p[1] for p in pairs]
        return _pick(self.rnd, keys, w)

    def county(self) -> int:
        if not self.geo.counties:
            return 0
        return 1 + _pick(self.rnd, range(len(self.geo.counties)), list(self.style.unit_weights))

    def region(self, city_share: float) -> int:
        return 0 if (not self.geo.counties or self.rnd.random() < city_share) else self.county()

    def origin(self, level: str | None = None) -> Place:
        if level is None:
            level = _pick(self.rnd, [PROVINCE, PREFECTURE, COUNTY], [0.45, 0.42, 0.13])
        places = self.by_level[level]
        return _pick(self.rnd, places, self.style.origin_weights[level])

    def group_size(self) -> int:
        if self.rnd.random() >= self.rates.dup_group_rate:
            return 1
        return _pick(self.rnd, [2, 3, 4], list(self.style.group_sizes))

    # -- bookkeeping
    def add(self, kind: str, subject: str, region: int, size: int | None = None) -> int:
        key = (kind, subject, region)
        if key not in self.slots:
            s = self.group_size() if size is None else size
            if kind == GEN:  # 企业家协会 / 企业家联合会: no more duplicates than plain names
                s = min(s, len(dict(self.vocab.general)[subject]))
            self.index[key] = len(self.slots)
            self.slots[key] = Slot(kind, subject, region, s)
            self.total += s
        return self.index[key]

    def random_slot(self) -> tuple[str, str, int]:
        kind = _pick(self.rnd, [IND, ACAD, ORIG, GEN], list(self.style.kind_mix))
        if kind == IND:
            return IND, self.industry(), self.region(self.config.city_level_share)
        if kind == ACAD:
            return ACAD, self.industry(academic=True), self.region(0.8)
        if kind == ORIG:
            return self.origin_slot()
        return GEN, _pick(self.rnd, [g[0] for g in self.vocab.general]), self.region(0.5)

    def origin_slot(self) -> tuple[str, str, int]:
        region = self.region(0.75)
        place = self.origin()
        if region == 0 and place.level == COUNTY and self.rnd.random() < 0.7:
            place = self.origin(PREFECTURE)  # county-level origins at city level are the rare rule case
        return ORIG, str(place.code), region

    # -- planted structures
    def unrelated_pair(self) -> tuple[str, str]:
        while True:
            a, b = self.industry(), self.industry()
            if a != b and b not in self.by_key[a].related:
                return a, b

    def confusable_origins(self, one_char: bool) -> tuple[Place, Place] | None:
        if one_char:
            cands = self.geo.province_twins if self.rnd.random() < 0.7 else self.geo.prefecture_twins
            cands = cands or self.geo.province_twins
            return _pick(self.rnd, cands) if cands else None
        outer = self.origin(PROVINCE)
        inner = self.inside[outer.code]
        if not inner:
            return None
        inner_place = _pick(self.rnd, inner)
        return outer, inner_place

    def plan(self) -> Plan:
        n = self.config.n_associations
        k = max(1, round(n * self.rates.near_miss_rate))
        shared, inactive, research, narrow = [], [], [], []
        has_counties = bool(self.geo.counties)
        for i in range(k):
            ind = self.industry()
            if has_counties:  # city vs county, county vs county
                self.add(IND, ind, 0)
                self.add(IND, ind, self.county())
                if i % 2 == 0:
                    self.add(IND, ind, self.county())
            a = self.industry()
            related = self.by_key[a].related
            if related:
                r = self.region(self.config.city_level_share)
                self.add(IND, a, r)
                self.add(IND, _pick(self.rnd, related), r)
            ac = self.industry(academic=True)
            r = self.region(0.8)
            self.add(IND, ac, r)
            self.add(ACAD, ac, r)
            pair = self.confusable_origins(one_char=(i % 2 == 0))
            if pair:
                for p in pair:
                    self.add(ORIG, str(p.code), 0)
            if has_counties:
                p = self.origin(PROVINCE)
                self.add(ORIG, str(p.code), 0)
                self.add(ORIG, str(p.code), self.county())
            for _ in range(2):
                a, b = self.unrelated_pair()
                r = self.region(self.config.city_level_share)
                shared.append((self.add(IND, a, r), self.add(IND, b, r)))
            self.add(ORIG, str(self.origin(COUNTY).code), 0)  # county_chamber_at_city
            inactive.append(self.add(IND, self.industry(), self.region(0.5), size=2))
            research.append(self.add(ACAD, self.industry(academic=True), 0))
            narrow.append(self.add(IND, self.industry(), 0))
        tries = 0
        while self.total < n:
            key = self.random_slot()
            if key in self.slots:
                tries += 1
                if tries < 6:
                    continue
                # industries are saturated (very large n): 异地商会 have thousands of origins
                key = self.origin_slot()
                if key in self.slots:
                    slot = _pick(self.rnd, list(self.slots.values()))
                    slot.size += 1  # everything is saturated: an existing group grows
                    self.total += 1
                    tries = 0
                    continue
            self.add(*key)
            tries = 0
        slots = list(self.slots.values())
        excess = self.total - n
        for s in reversed(slots):  # trim to exactly n, from the randomly filled end
            if excess <= 0:
                break
            cut = min(excess, s.size)
            s.size -= cut
            excess -= cut
        keep = [i for i, s in enumerate(slots) if s.size > 0]
        remap = {old: new for new, old in enumerate(keep)}
        slots = [slots[i] for i in keep]
        if not any(s.size >= 2 for s in slots) and len(slots) >= 2:
            slots[0].size += slots[-1].size
            slots.pop()

        def alive(ids: list[int]) -> list[int]:
            return [remap[i] for i in ids if i in remap and remap[i] < len(slots)]

        shared_ok = [(remap[a], remap[b]) for a, b in shared
                     if a in remap and b in remap and max(remap[a], remap[b]) < len(slots)]
        inactive_ok = [i for i in alive(inactive) if slots[i].size >= 2]
        return Plan(slots, shared_ok, inactive_ok, alive(research), alive(narrow))


# ---------------------------------------------------------------------------------- associations


@dataclass
class Assoc:
    """One generated association (registry row or application) before noise."""

    kind: str
    subject: str
    region: int
    slot: int  # registry slot, -1 for applications
    body: str  # name between region and form: core (with modifier) or origin text
    form: str  # organisation form: 行业协会 / 商会 / 研究会 …
    type: str
    industry: str
    plan: list[tuple[str, int, int]]  # scope concepts: (pool, concept, paraphrase)
    purpose_plan: tuple[int, int, list[tuple[str, int, int]]]  # (opening, template, clauses)
    services: list[str]
    scope_style: tuple[str, str, str]  # prefix, separator, ending
    origin_text: str = ""
    active: bool = True
    status: str = "正常"
    app: bool = False
    m: int = 0
    overlap_src: int = -1
    overlap: float = 0.0
    unit_w: np.ndarray | None = None
    nonind_rate: float = 0.0
    outside_rate: float = 0.0
    person_rate: float = 0.0
    related_rate: float = 0.0
    id: str = ""


_FORM_TYPES = (("研究会", "研究会"), ("学会", "学会"), ("促进会", "促进会"), ("联合会", "联合会"),
               ("商会", "商会"), ("协会", "行业协会"))


def type_of(kind: str, form: str) -> str:
    """FORMAT.md type implied by an organisation form."""
    if kind == ORIG:
        return "异地商会"
    for suffix, t in _FORM_TYPES:
        if form.endswith(suffix):
            return t
    return "行业协会"


def _split_form(name: str) -> tuple[str, str]:
    """Split a body+form string (眼视光学会, 企业家联合会) at its organisation form."""
    for suffix in ("研究会", "学会", "促进会", "联合会", "商会", "协会"):
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


class _Builder:
    """Turns slots and application specs into :class:`Assoc` records (names, texts, settings)."""

    def __init__(self, vocab: Vocab, geo: Geo, style: Style, config: SynthConfig, rates: Rates,
                 rnd: random.Random):
        self.vocab, self.geo, self.style, self.config, self.rates, self.rnd = vocab, geo, style, config, rates, rnd
        self.by_key = vocab.by_key
        self.places = {str(p.code): p for p in geo.origins}
        self.names: set[str] = set()
        self.ind_index = {ind.key: i for i, ind in enumerate(vocab.industries)}

    # -- names
    def region_text(self, region: int) -> str:
        return self.geo.regions[region].name

    def name_options(self, kind: str, subject: str) -> list[tuple[str, str, float]]:
        """(body, form, weight) candidates for a slot."""
        if kind == IND:
            ind = self.by_key[subject]
            out = []
            for core, cw in zip(ind.cores, self.style.core_weights[subject]):
                for (form, _), fw in zip(self.vocab.industry_forms, self.style.form_weights):
                    if core.endswith("商") and form.startswith("商"):
                        continue
                    if core.endswith("业") and form.startswith("产业"):
                        continue  # 化学工业产业协会
                    if core.endswith("业") and form.startswith("行业"):
                        fw *= 0.15
                    out.append((core, form, cw * fw))
            return out
        if kind == ACAD:
            ind = self.by_key[subject]
            names = list(ind.academic) or [ind.field + "研究会"]
            names += [ind.field + "研究会", ind.field + "学会", ind.field + "发展研究会", ind.field + "产业研究会"]
            out, seen = [], set()
            for i, n in enumerate(names):
                if n not in seen:
                    seen.add(n)
                    body, form = _split_form(n)
                    out.append((body, form, 6.0 if i < len(ind.academic) else 1.0))
            return out
        if kind == ORIG:
            place = self.places[subject]
            out = []
            for (tmpl, _), w in zip(self.vocab.origin_forms, self.style.origin_form_weights):
                if "{a}" in tmpl:
                    if place.abbr:
                        body, form = _split_form(tmpl.replace("{a}", place.abbr))
                        out.append((body, form, w))
                    continue
                for j, text in enumerate(place.texts):
                    body, form = _split_form(tmpl.replace("{o}", text))
                    out.append((body, form, w * (1.0 if j == 0 else 0.8)))
            return out
        names = dict(self.vocab.general)[subject]
        return [(*_split_form(n), 1.0) for n in names]

    def pick_name(self, kind: str, subject: str, region: int, avoid_taken: bool = True,
                  reuse: bool = False) -> tuple[str, str]:
        """A name not yet used in the region; ``reuse`` lets an application repeat a registered one."""
        rtext = self.region_text(region)
        opts = self.name_options(kind, subject)
        free = [o for o in opts if not avoid_taken or rtext + o[0] + o[1] not in self.names]
        if not free and kind in (IND, ACAD):  # every plain name is taken: add a modifier (温州市民营鞋业协会)
            free = [(mod + b, f, w) for mod in self.vocab.modifiers for b, f, w in opts
                    if rtext + mod + b + f not in self.names]
        # never on an origin or general body: 温州市民营安徽商会 no longer names its origin, and
        # 温州市中小企业家协会 would read as the 中小企业协会
        if not free and reuse:
            free = opts
        if not free:
            base = opts[0]
            k = 2
            while rtext + base[0] + base[1] + f"（{k}）" in self.names:
                k += 1
            free = [(base[0], base[1] + f"（{k}）", 1.0)]
        body, form, _ = self.rnd.choices(free, weights=[o[2] for o in free], k=1)[0]
        self.names.add(rtext + body + form)
        return body, form

    # -- texts
    def concept_pools(self, kind: str, subject: str) -> list[tuple[str, float]]:
        if kind == IND:
            return [("generic", 1.0), ("ind:" + subject, 1.0)]
        if kind == ACAD:
            return [("academic", 1.0), ("ind:" + subject, 0.3)]
        if kind == ORIG:
            return [("origin", 1.0)]
        return [("general", 1.0), ("generic", 0.3)]

    def fresh_concept(self, kind: str, subject: str, avoid: set[tuple[str, int]]) -> tuple[str, int, int] | None:
        pools = self.concept_pools(kind, subject)
        cands = [(p, ci) for p, _ in pools for ci in range(len(self.vocab.concepts[p])) if (p, ci) not in avoid]
        if not cands:
            return None
        weights = [dict(pools)[p] for p, _ in cands]
        pool, ci = self.rnd.choices(cands, weights=weights, k=1)[0]
        return pool, ci, self.rnd.randrange(len(self.vocab.concepts[pool][ci]))

    def scope_plan(self, kind: str, subject: str) -> list[tuple[str, int, int]]:
        lo, hi = self.style.scope_len
        plan: list[tuple[str, int, int]] = []
        if kind in (IND, ACAD):  # industry-specific phrases first or mixed
            spec = self.vocab.concepts["ind:" + subject]
            k = self.rnd.randint(1, len(spec)) if kind == IND else self.rnd.randint(0, 1)
            for ci in self.rnd.sample(range(len(spec)), k):
                plan.append(("ind:" + subject, ci, self.rnd.randrange(len(spec[ci]))))
        main = {IND: "generic", ACAD: "academic", ORIG: "origin", GEN: "general"}[kind]
        pool = self.vocab.concepts[main]
        k = min(len(pool), self.rnd.randint(lo + 1, hi + 1))
        for ci in self.rnd.sample(range(len(pool)), k):
            plan.append((main, ci, self.rnd.randrange(len(pool[ci]))))
        if self.rnd.random() < 0.5:
            self.rnd.shuffle(plan)
        return plan

    def mutate(self, plan: list[tuple[str, int, int]], kind: str, subject: str, level: str) -> list[tuple[str, int, int]]:
        """A paraphrase of a plan: ``strong`` keeps nearly everything, ``weak`` little."""
        keep, redraw = {"strong": (0.92, 0.25), "medium": (0.65, 0.5), "weak": (0.3, 0.85)}[level]
        out = []
        for pool, ci, pi in plan:
            if self.rnd.random() < keep:
                n_para = len(self.vocab.concepts[pool][ci])
                out.append((pool, ci, self.rnd.randrange(n_para) if self.rnd.random() < redraw else pi))
        used = {(p, c) for p, c, _ in out}
        target = len(plan) + self.rnd.randint(-1, 1)
        while len(out) < max(2, target):
            extra = self.fresh_concept(kind, subject, used)
            if extra is None:
                break
            used.add(extra[:2])
            out.insert(self.rnd.randint(0, len(out)), extra)
        if level != "strong" or self.rnd.random() < 0.3:
            self.rnd.shuffle(out)
        return out

    def purpose_plan(self, kind: str) -> tuple[int, int, list[tuple[str, int, int]]]:
        own = "p_" + {IND: "industry", ACAD: "academic", ORIG: "origin", GEN: "general"}[kind]
        common = self.vocab.concepts["p_common"]
        clauses = [("p_common", ci, self.rnd.randrange(len(common[ci])))
                   for ci in sorted(self.rnd.sample(range(len(common)), self.rnd.randint(1, 3)))]
        pool = self.vocab.concepts[own]
        for ci in self.rnd.sample(range(len(pool)), min(len(pool), self.rnd.randint(2, 5))):
            clauses.append((own, ci, self.rnd.randrange(len(pool[ci]))))
        n_open = len(self.vocab.openings[kind_key(kind)])
        return self.rnd.randrange(n_open), self.rnd.randrange(3), clauses

    def mutate_purpose(self, pp, kind: str, level: str):
        opening, template, clauses = pp
        if level == "strong":
            return opening, template, [(p, c, self.rnd.randrange(len(self.vocab.concepts[p][c])) if self.rnd.random() < 0.2 else i)
                                       for p, c, i in clauses]
        fresh = self.purpose_plan(kind)
        if level == "weak":
            return fresh
        return fresh[0], template, clauses[: len(clauses) // 2] + fresh[2][len(clauses) // 2:]

    def services_list(self, kind: str, subject: str) -> list[str]:
        own = {IND: "generic", ACAD: "academic", ORIG: "origin", GEN: "general"}[kind]
        items = list(self.vocab.services[own])
        k = self.rnd.randint(2, 5)
        out = self.rnd.sample(items, min(k, len(items)))
        if kind in (IND, ACAD):
            spec = self.by_key[subject].services
            out = self.rnd.sample(list(spec), self.rnd.randint(1, len(spec))) + out
        return out

    def scope_style(self) -> tuple[str, str, str]:
        prefix = _pick(self.rnd, ["", "本会业务范围：", "业务范围：", "主要业务："], [6, 1, 1, 1])
        sep = _pick(self.rnd, ["、", "；", "，"], list(self.style.separators))
        ending = _pick(self.rnd, ["", "。", "等。", "及其他符合本会宗旨的活动。", "等"], [3, 3, 2, 1, 1])
        return prefix, sep, ending

    # -- records
    def declared(self, kind: str, subject: str) -> str:
        if kind == IND:
            ind = self.by_key[subject]
            if len(ind.declared) > 1 and self.rnd.random() < self.rates.declared_variant_rate:
                return _pick(self.rnd, ind.declared[1:])
            return ind.label
        if kind == ACAD:
            return _pick(self.rnd, ["学术研究", self.by_key[subject].label, "科技"], [2, 2, 1])
        if kind == ORIG:
            return _pick(self.rnd, ["", "综合", "异地商会"], [3, 2, 1])
        return "综合"

    def member_count(self, kind: str) -> int:
        lo, hi = self.config.members_per_association
        m = self.rnd.lognormvariate(math.log(self.style.member_median), self.style.member_sigma)
        if kind == ACAD:
            m *= 1.3
        return int(min(hi, max(lo, round(m))))

    def unit_weights(self, kind: str, subject: str, region: int, narrow: bool) -> np.ndarray:
        n_units = len(self.geo.units)
        if region > 0:  # county-level: own county, a little leakage to neighbours
            w = np.zeros(n_units)
            leak = 0.18 if self.rnd.random() < 0.12 else self.rnd.uniform(0.0, 0.05)
            if n_units > 1:
                w[:] = leak / (n_units - 1)
            w[region - 1] = 1.0 - leak if n_units > 1 else 1.0
            return w
        base = (self.style.concentration[self.ind_index[subject]] if kind in (IND, ACAD)
                else self.style.unit_weights).copy()
        if narrow and n_units >= 2:
            keep = np.argsort(-base, kind="stable")[: max(1, min(n_units // 2, self.rnd.randint(1, max(1, n_units // 2))))]
            w = np.zeros(n_units)
            w[keep] = base[keep] + 0.05
            return w / w.sum()
        w = base + 0.25 / n_units
        return w / w.sum()

    def make(self, kind: str, subject: str, region: int, slot: int, *, plan=None, purpose=None,
             name: tuple[str, str] | None = None, narrow: bool = False, app: bool = False) -> Assoc:
        body, form = name or self.pick_name(kind, subject, region, reuse=app)
        a = Assoc(
            kind=kind, subject=subject, region=region, slot=slot, body=body, form=form,
            type=type_of(kind, form), industry=self.declared(kind, subject),
            plan=plan if plan is not None else self.scope_plan(kind, subject),
            purpose_plan=purpose if purpose is not None else self.purpose_plan(kind),
            services=self.services_list(kind, subject), scope_style=self.scope_style(), app=app,
        )
        if kind == ORIG:
            place = self.places[subject]
            a.origin_text = next((t for t in place.texts if t in body), place.texts[-1])
        a.m = self.member_count(kind)
        a.unit_w = self.unit_weights(kind, subject, region, narrow)
        a.nonind_rate = 0.2 if (kind == IND and self.rnd.random() < 0.06) else (0.02 if kind == IND else 0.0)
        a.outside_rate = 0.12 if self.rnd.random() < 0.05 else 0.0
        a.person_rate = {IND: 0.03, ACAD: 0.95, ORIG: 0.05, GEN: 0.05}[kind]
        a.related_rate = 0.08 if kind == IND else 0.0
        return a

    def similarity(self) -> str:
        return _pick(self.rnd, ["strong", "medium", "weak"], list(self.style.similarity))

    def overlap(self) -> float:
        band = _pick(self.rnd, [(0.5, 0.85), (0.2, 0.5), (0.0, 0.12)], list(self.style.overlap))
        return self.rnd.uniform(*band)


def kind_key(kind: str) -> str:
    return {IND: "industry", ACAD: "academic", ORIG: "origin", GEN: "general"}[kind]


def _build_registry(plan: Plan, b: _Builder, rates: Rates) -> list[Assoc]:
    out: list[Assoc] = []
    narrow, research = set(plan.narrow), set(plan.research_rule)
    inactive_slots = set(plan.inactive_slots)
    shared_second = {bb: aa for aa, bb in plan.shared}
    first_of: dict[int, int] = {}
    template: dict[tuple[str, str], Assoc] = {}
    for si, slot in enumerate(plan.slots):
        for j in range(slot.size):
            if j == 0:
                prev = template.get((slot.kind, slot.subject))
                copied = {}
                if prev is not None and b.rnd.random() < 0.35:  # another region's charter, reworded
                    level = _pick(b.rnd, ["strong", "medium"], [1, 2])
                    copied = {"plan": b.mutate(prev.plan, slot.kind, slot.subject, level),
                              "purpose": b.mutate_purpose(prev.purpose_plan, slot.kind, level)}
                a = b.make(slot.kind, slot.subject, slot.region, si, **copied,
                           narrow=(si in narrow or (slot.kind == IND and slot.region == 0 and b.rnd.random() < 0.25)))
                template.setdefault((slot.kind, slot.subject), a)
                first_of[si] = len(out)
                if si in shared_second and shared_second[si] in first_of:
                    a.overlap_src, a.overlap = first_of[shared_second[si]], b.rnd.uniform(0.35, 0.7)
            else:
                base = out[first_of[si]]
                level = b.similarity()
                a = b.make(slot.kind, slot.subject, slot.region, si,
                           plan=b.mutate(base.plan, slot.kind, slot.subject, level),
                           purpose=b.mutate_purpose(base.purpose_plan, slot.kind, level))
                a.overlap_src, a.overlap = first_of[si], b.overlap()
            if slot.kind == ACAD:
                a.person_rate = b.rnd.uniform(0.55, 0.8) if (si in research or b.rnd.random() < 0.1) else b.rnd.uniform(0.96, 1.0)
            out.append(a)
    # dissolved associations: one per planted slot, plus a few singletons
    for si in plan.inactive_slots:
        a = out[first_of[si] + plan.slots[si].size - 1]
        a.active, a.status = False, _pick(b.rnd, ["注销", "撤销"], [7, 3])
    singles = [first_of[si] for si, s in enumerate(plan.slots) if s.size == 1 and si not in inactive_slots]
    k = max(0, round(rates.inactive_rate * len(out)) - len(plan.inactive_slots))
    for i in b.rnd.sample(singles, min(k, len(singles))):
        out[i].active, out[i].status = False, _pick(b.rnd, ["注销", "撤销"], [7, 3])
    return out


# ---------------------------------------------------------------------------------- applications


@dataclass
class AppLabel:
    index: int  # into the combined association list
    verdict: str
    match: int  # association index (registry or application), -1 for none
    kind: str


def _app_mix(n: int) -> list[str]:
    """Application kinds for a batch of n: every verdict once n ≥ 4, an in-batch pair once n ≥ 6."""
    if n <= 0:
        return []
    core = ["duplicate_alias", "new_industry", "related_industry", "county_chamber_at_city", "duplicate_in_batch"]
    rest = ["duplicate_alias", "duplicate_weak", "duplicate_exact", "duplicate_origin", "new_industry",
            "new_region", "new_origin", "new_origin_near", "related_industry", "member_overlap",
            "county_chamber_at_city", "duplicate_alias", "duplicate_weak", "new_region"]
    out = core[: min(n, 4)] + (["duplicate_in_batch"] if n >= 6 else [])
    i = 0
    while len(out) < n:
        kind = rest[i % len(rest)]
        if kind == "duplicate_in_batch" and len(out) + 2 > n:
            kind = "duplicate_alias"
        out.append(kind)
        i += 1
    return out


class _AppPlanner:
    """Application specs with their expected screening verdicts, chosen against the registry."""

    def __init__(self, registry: list[Assoc], b: _Builder, planner_geo: Geo):
        self.reg, self.b, self.geo, self.rnd = registry, b, planner_geo, b.rnd
        self.present: set[tuple[str, str, int]] = {(a.kind, a.subject, a.region) for a in registry if a.active}
        self.places = b.places
        self.apps: list[Assoc] = []
        self.labels: list[AppLabel] = []
        self.used_slots: set[int] = set()  # one application per registry group

    def county_chamber_at_city(self, kind: str, subject: str, region: int) -> bool:
        """A city-level 异地商会 of a county-level origin: the policy forbids it outright."""
        return kind == ORIG and region == 0 and self.places[subject].level == COUNTY

    def taken(self, kind: str, subject: str, region: int) -> bool:
        return (kind, subject, region) in self.present

    def industry_free(self, key: str, region: int) -> bool:
        """No association of this industry, its 学会 or a related industry in the region."""
        ind = self.b.by_key[key]
        return (not self.taken(IND, key, region) and not self.taken(ACAD, key, region)
                and not any(self.taken(IND, r, region) for r in ind.related))

    def candidates(self, want: str) -> list[tuple[str, int]]:
        out = []
        everywhere = {a.subject for a in self.reg if a.kind == IND}
        for ind in self.b.vocab.industries:
            for r in range(len(self.geo.regions)):
                if want == "new_industry" and self.industry_free(ind.key, r) and ind.key not in everywhere:
                    out.append((ind.key, r))
                elif want == "new_region" and self.industry_free(ind.key, r) and ind.key in everywhere:
                    out.append((ind.key, r))
                elif want == "any_free" and self.industry_free(ind.key, r):
                    out.append((ind.key, r))
                elif want == "related_industry" and not self.taken(IND, ind.key, r) and not self.taken(ACAD, ind.key, r) \
                        and any(self.taken(IND, x, r) for x in ind.related):
                    out.append((ind.key, r))
        return out

    def add(self, a: Assoc, verdict: str, match: int, kind: str) -> int:
        idx = len(self.reg) + len(self.apps)
        self.apps.append(a)
        self.labels.append(AppLabel(idx, verdict, match, kind))
        self.present.add((a.kind, a.subject, a.region))
        return idx

    def new(self, kind: str, subject: str, region: int, **kw) -> Assoc:
        return self.b.make(kind, subject, region, -1, app=True, **kw)

    def duplicate(self, kind: str) -> bool:
        targets = [i for i, a in enumerate(self.reg) if a.active and a.slot not in self.used_slots
                   and ((a.kind == ORIG) == (kind == "duplicate_origin")) and a.kind != ACAD]
        if not targets:
            return False
        t = _pick(self.rnd, targets)
        base = self.reg[t]
        self.used_slots.add(base.slot)
        level = {"duplicate_alias": _pick(self.rnd, ["strong", "medium"]), "duplicate_weak": "weak",
                 "duplicate_exact": "strong", "duplicate_origin": self.b.similarity()}[kind]
        name = (base.body, base.form) if kind == "duplicate_exact" else None
        a = self.new(base.kind, base.subject, base.region, name=name,
                     plan=self.b.mutate(base.plan, base.kind, base.subject, level),
                     purpose=self.b.mutate_purpose(base.purpose_plan, base.kind, level))
        a.overlap_src = t
        a.overlap = 0.0 if kind == "duplicate_weak" else self.rnd.uniform(0.2, 0.7)
        # reject outranks duplicate; expected_match still names the chamber it duplicates
        verdict = "reject" if self.county_chamber_at_city(base.kind, base.subject, base.region) else "duplicate"
        self.add(a, verdict, t, kind)
        return True

    def origin_app(self, kind: str) -> bool:
        present = {(a.subject, a.region) for a in self.reg if a.kind == ORIG and a.active}
        if kind == "county_chamber_at_city":
            region, levels = 0, (COUNTY,)
        else:
            region = 0 if (not self.geo.counties or self.rnd.random() < 0.7) else 1 + self.rnd.randrange(len(self.geo.counties))
            levels = (PROVINCE, PREFECTURE) if region == 0 else (PROVINCE, PREFECTURE, COUNTY)
        here = _ConfusableIndex([self.places[s] for s, r in sorted(present) if r == region])
        cands = [p for p in self.geo.origins if p.level in levels and not self.taken(ORIG, str(p.code), region)]
        if kind == "new_origin_near":
            cands = [p for p in cands if here.hit(p)]
        elif kind == "new_origin":
            cands = [p for p in cands if not here.hit(p)]
        if not cands:
            return False
        p = _pick(self.rnd, cands)
        a = self.new(ORIG, str(p.code), region)
        verdict = "reject" if self.county_chamber_at_city(ORIG, str(p.code), region) else "clear"
        self.add(a, verdict, -1, kind)
        return True

    def industry_app(self, kind: str) -> bool:
        want = {"new_industry": "new_industry", "new_region": "new_region", "related_industry": "related_industry",
                "member_overlap": "any_free", "duplicate_in_batch": "any_free"}[kind]
        cands = self.candidates(want)
        if not cands and want == "new_industry":
            cands = self.candidates("new_region")
        if not cands:
            return False
        key, region = _pick(self.rnd, cands)
        if kind == "member_overlap":
            sources = [i for i, a in enumerate(self.reg) if a.active and a.kind == IND and a.region == region]
            if not sources:
                return False
            a = self.new(IND, key, region)
            a.overlap_src, a.overlap = _pick(self.rnd, sources), self.rnd.uniform(0.45, 0.75)
            self.add(a, "review", a.overlap_src, kind)
            return True
        a = self.new(IND, key, region)
        if kind != "duplicate_in_batch":
            self.add(a, {"related_industry": "review"}.get(kind, "clear"), -1, kind)
            return True
        first = self.add(a, "review", -1, kind)
        level = self.b.similarity()
        twin = self.new(IND, key, region, plan=self.b.mutate(a.plan, IND, key, level),
                        purpose=self.b.mutate_purpose(a.purpose_plan, IND, level))
        twin.overlap_src, twin.overlap = first, self.rnd.uniform(0.2, 0.6)
        second = self.add(twin, "review", first, kind)
        self.labels[-2].match = second
        return True

    def build(self, n: int) -> tuple[list[Assoc], list[AppLabel]]:
        for kind in _app_mix(n):
            if len(self.apps) >= n:
                break
            if kind.startswith("duplicate_") and kind != "duplicate_in_batch":
                ok = self.duplicate(kind) or self.duplicate("duplicate_alias")
            elif kind in ("new_origin", "new_origin_near", "county_chamber_at_city"):
                ok = self.origin_app(kind)
            else:
                ok = self.industry_app(kind)
            if not ok and kind in ("new_industry", "new_region"):
                self.origin_app("new_origin")
        for _ in range(3 * n):  # kinds that found no candidate (tiny cities, saturated registries)
            if len(self.apps) >= n:
                break
            if not (self.origin_app("new_origin") if self.rnd.random() < 0.5 else self.duplicate("duplicate_alias")):
                self.duplicate("duplicate_origin")
        return self.apps, self.labels


# ---------------------------------------------------------------------------------- people and firms


def _unique_strings(make, n: int, rng: np.random.Generator) -> np.ndarray:
    """n distinct strings from ``make(rng, k)`` (order of first appearance, reproducible)."""
    out: dict[str, None] = {}
    k = max(16, int(n * 1.3))
    for _ in range(50):
        for s in make(rng, k):
            out.setdefault(s, None)
            if len(out) >= n:
                return np.array(list(out)[:n], dtype=object)
        k *= 2
    raise DetectorError("无法生成足够多互不相同的名称")


def _person_names(vocab: Vocab, n: int, rng: np.random.Generator) -> np.ndarray:
    sur = [s for s, _ in vocab.surnames]
    p = np.array([w for _, w in vocab.surnames])
    p = p / p.sum()
    given = list(vocab.given_chars)

    def make(r: np.random.Generator, k: int) -> list[str]:
        s = r.choice(len(sur), size=k, p=p)
        g1, g2 = r.integers(0, len(given), size=k), r.integers(0, len(given), size=k)
        two = r.random(k) < 0.72
        return [sur[a] + given[b] + (given[c] if t else "") for a, b, c, t in zip(s, g1, g2, two)]

    return _unique_strings(make, n, rng)


@dataclass
class Firms:
    """The member pool: enterprises (with legal persons) and individual members."""

    name: np.ndarray  # object
    code: np.ndarray  # object
    unit: np.ndarray  # int: index into Geo.units, -1 outside the city
    place: np.ndarray  # object: member_region text
    industry: np.ndarray  # int index into vocab.industries
    origin: np.ndarray  # int adcode of the owner's home place, 0 = local
    sales: np.ndarray  # float 万元
    person: np.ndarray  # int index into persons
    persons: np.ndarray  # object: person names
    individuals: np.ndarray  # int indices into persons: individual members
    individual_unit: np.ndarray  # int
    by_ind_unit: np.ndarray  # enterprise indices sorted by (industry, unit)
    ind_unit_off: np.ndarray  # offsets into by_ind_unit, (n_ind * n_units + 1)
    by_origin: np.ndarray  # indices of enterprises with an origin, sorted by origin
    origin_sorted: np.ndarray
    by_unit: np.ndarray
    unit_off: np.ndarray
    outside_idx: np.ndarray


_FIRM_SUFFIX_OK = {
    "goods": lambda sfx: True,
    "service": lambda sfx: sfx != "厂",
    "finance": lambda sfx: sfx in ("有限公司", "股份有限公司"),
}


def _firm_names(vocab: Vocab, geo: Geo, industry: np.ndarray, unit: np.ndarray, outside: list[Division],
                rng: np.random.Generator) -> np.ndarray:
    """Enterprise names: place + 字号 + industry word + ending (温州市华泰鞋业有限公司, 华泰（温州）鞋业有限公司)."""
    brand = list(vocab.brand_chars)
    suffixes = [s for s, _ in vocab.enterprise_suffixes]
    cum = []  # per industry: cumulative suffix weights that fit its kind
    for ind in vocab.industries:
        w = np.array([wt if _FIRM_SUFFIX_OK[ind.firm_kind](sfx) else 0.0 for sfx, wt in vocab.enterprise_suffixes])
        cum.append(np.cumsum(w / w.sum()))
    firms = [ind.firm for ind in vocab.industries]
    province = regions.lookup(geo.city.province, allow_short=False)
    prov_short = province.short if province else ""
    units = geo.units
    city_written = geo.city.short if short_is_unambiguous(geo.city) else geo.city.name

    def place_of(i: int, choice: int) -> tuple[str, str]:
        """(prefix, bracketed) place for enterprise i."""
        u = unit[i]
        if u < 0:
            d = outside[-u - 1]
            return (d.short if choice >= 3 and short_is_unambiguous(d) else d.name), ""
        if choice == 0:
            return geo.city.name, ""
        if choice == 1:
            return city_written, ""
        if choice == 2 and units[u].name.endswith(("市", "县")) and units[u] is not geo.city:
            return units[u].name, ""
        if choice == 3:
            return prov_short, ""
        if choice == 4:
            return "", city_written
        return "", ""

    def make(r: np.random.Generator, idx: np.ndarray) -> list[str]:
        places = r.choice(6, size=len(idx), p=[0.3, 0.18, 0.15, 0.15, 0.1, 0.12])
        b1, b2 = r.integers(0, len(brand), size=len(idx)), r.integers(0, len(brand), size=len(idx))
        fw = r.integers(0, 8, size=len(idx))
        u = r.random(len(idx))
        out = []
        for i, pl, x, y, w, q in zip(idx, places, b1, b2, fw, u):
            ind = industry[i]
            prefix, bracket = place_of(i, pl)
            sfx = suffixes[min(int(np.searchsorted(cum[ind], q, side="right")), len(suffixes) - 1)]
            word = firms[ind][w % len(firms[ind])]
            if word.endswith(sfx[:2]) and len(sfx) > 4:  # 网络科技 + 科技有限公司
                sfx = "有限公司"
            mid = f"（{bracket}）" if bracket else ""
            out.append(prefix + brand[x] + brand[y] + mid + word + sfx)
        return out

    # names follow their enterprise's industry and place: redraw only the collisions
    names = np.array(make(rng, np.arange(len(industry))), dtype=object)
    for _ in range(30):
        dup = np.flatnonzero(pd.Series(names).duplicated().to_numpy())
        if not len(dup):
            break
        names[dup] = make(rng, dup)
    return names


def _build_firms(vocab: Vocab, geo: Geo, style: Style, assocs: list[Assoc], rng: np.random.Generator) -> Firms:
    n_ind, n_units = len(vocab.industries), len(geo.units)
    ind_index = {ind.key: i for i, ind in enumerate(vocab.industries)}
    demand = np.zeros((n_ind, n_units))
    origin_demand: dict[int, np.ndarray] = {}
    individuals = 0
    outside_need = 20
    for a in assocs:
        ent = a.m * (1.0 - a.person_rate)
        if a.kind in (IND, ACAD):
            demand[ind_index[a.subject]] += ent * a.unit_w
        elif a.kind == ORIG:
            origin_demand.setdefault(int(a.subject), np.zeros(n_units))
            origin_demand[int(a.subject)] += ent * a.unit_w
        individuals += a.m * a.person_rate + 2
        outside_need += a.m * (a.outside_rate + 0.01)
    # industry enterprises: demand × slack, plus a background in every (industry, unit)
    counts = np.ceil(demand * rng.uniform(0.9, 1.6, size=demand.shape)).astype(int) + rng.poisson(3, size=demand.shape)
    ind_col = np.repeat(np.arange(n_ind), n_units)
    unit_col = np.tile(np.arange(n_units), n_ind)
    e_ind = np.repeat(ind_col, counts.ravel())
    e_unit = np.repeat(unit_col, counts.ravel())
    e_origin = np.zeros(len(e_ind), dtype=np.int64)
    # migrant-owned enterprises of origin chambers: any industry
    iw = np.array(style.industry_weights) / sum(style.industry_weights)
    parts_ind, parts_unit, parts_origin = [e_ind], [e_unit], [e_origin]
    for code, d in origin_demand.items():
        c = np.ceil(d * rng.uniform(1.1, 1.5)).astype(int)
        total = int(c.sum())
        if total:
            parts_unit.append(np.repeat(np.arange(n_units), c))
            parts_ind.append(rng.choice(n_ind, size=total, p=iw))
            parts_origin.append(np.full(total, code, dtype=np.int64))
    e_ind, e_unit, e_origin = np.concatenate(parts_ind), np.concatenate(parts_unit), np.concatenate(parts_origin)
    # some local-industry firms are run by people from the origins present (shared members)
    if origin_demand:
        codes = np.array(sorted(origin_demand), dtype=np.int64)
        mig = (e_origin == 0) & (rng.random(len(e_origin)) < 0.08)
        e_origin[mig] = codes[rng.integers(0, len(codes), size=int(mig.sum()))]
    # enterprises registered outside the city
    outside = list(geo.outside[i] for i in sorted(rng.choice(len(geo.outside), size=min(40, len(geo.outside)), replace=False)))
    same_prov = [d for d in outside if d.code[:2] == geo.city.code[:2]] or outside
    n_out = int(outside_need)
    out_place = rng.integers(0, len(outside), size=n_out)
    near = rng.random(n_out) < 0.7
    if same_prov is not outside:
        sp_idx = np.array([outside.index(d) for d in same_prov])
        out_place[near] = sp_idx[rng.integers(0, len(sp_idx), size=int(near.sum()))]
    e_ind = np.concatenate([e_ind, rng.choice(n_ind, size=n_out, p=iw)])
    e_unit = np.concatenate([e_unit, -(out_place + 1)])
    e_origin = np.concatenate([e_origin, np.zeros(n_out, dtype=np.int64)])
    n = len(e_ind)
    names = _firm_names(vocab, geo, e_ind, e_unit, outside, rng)
    admin = np.array([geo.units[u].code if u >= 0 else outside[-u - 1].code for u in e_unit], dtype=object)
    kind_92 = pd.Series(names).str.endswith(("商行", "经营部")).to_numpy() & (rng.random(n) < 0.8)
    codes = _unique_codes(rng, "91", admin, ma_share=0.45)
    if kind_92.any():  # 个体工商户 (商行、经营部) carry 92
        codes[kind_92] = _unique_codes(rng, "92", admin[kind_92], ma_share=0.6)
    place = np.array([geo.units[u].name if u >= 0 else outside[-u - 1].name for u in e_unit], dtype=object)
    sales = np.round(np.maximum(10.0, rng.lognormal(math.log(600.0), 1.25, size=n)), 1)
    n_indiv = int(individuals) + 10
    persons = _person_names(vocab, n + n_indiv + 50 + len(assocs) // 40, rng)
    person = np.arange(n)
    indiv = np.arange(n, n + n_indiv)
    indiv_unit = rng.choice(n_units, size=n_indiv, p=style.unit_weights)
    key = e_ind * n_units + np.where(e_unit >= 0, e_unit, n_units * n_ind)  # outside firms last
    order = np.argsort(key, kind="stable")
    off = np.searchsorted(key[order], np.arange(n_ind * n_units + 1))
    has_origin = np.flatnonzero(e_origin > 0)
    o_order = has_origin[np.argsort(e_origin[has_origin], kind="stable")]
    inside = np.flatnonzero(e_unit >= 0)
    u_order = inside[np.argsort(e_unit[inside], kind="stable")]
    u_off = np.searchsorted(e_unit[u_order], np.arange(n_units + 1))
    return Firms(names, codes, e_unit, place, e_ind, e_origin, sales, person, persons, indiv, indiv_unit,
                 order, off, o_order, e_origin[o_order], u_order, u_off, np.flatnonzero(e_unit < 0))


# ---------------------------------------------------------------------------------- memberships


def _weighted_sample(rng: np.random.Generator, cand: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct items drawn with probability ∝ weight (Efraimidis–Spirakis), in draw order."""
    if k <= 0 or len(cand) == 0:
        return cand[:0]
    if k >= len(cand):
        return cand[rng.permutation(len(cand))]
    keys = np.log(rng.random(len(cand))) / np.maximum(weights, 1e-12)
    top = np.argpartition(-keys, k - 1)[:k]
    return cand[top[np.argsort(-keys[top], kind="stable")]]


def _from_units(f: Firms, ind: int, unit_w: np.ndarray, n_units: int) -> tuple[np.ndarray, np.ndarray]:
    units = np.flatnonzero(unit_w > 0)
    parts, weights = [], []
    for u in units:
        s, e = f.ind_unit_off[ind * n_units + u], f.ind_unit_off[ind * n_units + u + 1]
        if e > s:
            parts.append(f.by_ind_unit[s:e])
            weights.append(np.full(e - s, unit_w[u] / (e - s)))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(parts), np.concatenate(weights)


def _any_in_units(f: Firms, unit_w: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k enterprises of any industry (with repeats) registered in units drawn by weight."""
    sizes = np.diff(f.unit_off).astype(float)
    w = unit_w * (sizes > 0)
    if k <= 0 or w.sum() <= 0:
        return np.zeros(0, dtype=np.int64)
    u = rng.choice(len(w), size=k, p=w / w.sum())
    return f.by_unit[f.unit_off[u] + (rng.random(k) * sizes[u]).astype(np.int64)]


def _roles(rng: np.random.Generator, rnd: random.Random, scores: np.ndarray) -> np.ndarray:
    """Role codes (index into ROLES) by rank of a noisy size score: bigger firms lead."""
    m = len(scores)
    order = np.argsort(-(scores + rng.gumbel(0, 1.0, size=m)), kind="stable")
    roles = np.full(m, 6, dtype=np.int8)
    if m == 0:
        return roles
    seq = [0]
    if m >= 8:
        seq += [1] * rnd.randint(0, 2)
    seq += [2] * max(1, min(12, round(m * rnd.uniform(0.06, 0.16))))
    if m >= 6:
        seq += [3]
    seq += [5] * round(m * rnd.uniform(0.1, 0.3))
    seq = seq[:m]
    roles[order[: len(seq)]] = seq
    rest = order[len(seq):]
    if len(rest):
        roles[rest[rnd.randrange(len(rest))]] = 4  # 秘书长
    return roles


def _sample_members(a: Assoc, f: Firms, members: list[np.ndarray], n_units: int, ind_index: dict[str, int],
                    related_idx: dict[str, list[int]], places: dict[str, Place], rng: np.random.Generator) -> np.ndarray:
    """Member references of one association (enterprise ≥ 0, individual = -1 - person)."""
    m = a.m
    picks: list[np.ndarray] = []
    if a.overlap_src >= 0 and a.overlap > 0:
        src = members[a.overlap_src]
        if a.kind != ACAD:
            src = src[src >= 0]
        k = min(len(src), round(a.overlap * m))
        picks.append(src[rng.permutation(len(src))[:k]])
    have = sum(len(p) for p in picks)
    n_person = int(rng.binomial(m, a.person_rate))
    n_out = int(rng.binomial(m, a.outside_rate))
    n_non = int(rng.binomial(m, a.nonind_rate))
    n_rel = int(rng.binomial(m, a.related_rate)) if related_idx.get(a.subject) else 0
    n_main = max(0, m - have - n_person - n_out - n_non - n_rel)
    unit_w = a.unit_w
    if a.kind in (IND, ACAD):
        ind = ind_index[a.subject]
        cand, w = _from_units(f, ind, unit_w, n_units)
        picks.append(_weighted_sample(rng, cand, w, n_main + 4))
        for _ in range(n_rel):
            cand, w = _from_units(f, related_idx[a.subject][rng.integers(len(related_idx[a.subject]))], unit_w, n_units)
            picks.append(_weighted_sample(rng, cand, w, 1))
    elif a.kind == ORIG:
        place = places[a.subject]
        div = {PROVINCE: 10000, PREFECTURE: 100, COUNTY: 1}[place.level]
        lo = (place.code // div) * div
        s, e = np.searchsorted(f.origin_sorted, [lo, lo + div])
        cand = f.by_origin[s:e]
        cand = cand[unit_w[f.unit[cand]] > 0] if len(cand) else cand
        picks.append(_weighted_sample(rng, cand, unit_w[f.unit[cand]] * 0 + 1.0, n_main + 4))
    if a.kind == GEN or (a.kind == ORIG and len(picks[-1]) < n_main):
        cand = _any_in_units(f, unit_w, 3 * (n_main + 4), rng)  # bigger firms join general bodies
        picks.append(_weighted_sample(rng, cand, np.log1p(f.sales[cand]), n_main + 4))
    if n_non:
        picks.append(_any_in_units(f, unit_w, n_non, rng))
    if n_out and len(f.outside_idx):
        picks.append(f.outside_idx[rng.integers(0, len(f.outside_idx), size=n_out)])
    refs = np.asarray(pd.unique(np.concatenate(picks)), dtype=np.int64) if picks else np.zeros(0, dtype=np.int64)
    ent = refs[refs >= 0][: max(0, m - n_person)]
    shared_people = -1 - refs[refs < 0]
    n_new = max(0, n_person - len(shared_people))
    pool = f.individuals
    people = pool[rng.integers(0, len(pool), size=n_new)] if n_new else np.zeros(0, dtype=np.int64)
    people = np.asarray(pd.unique(np.concatenate([shared_people, people])), dtype=np.int64)
    return np.concatenate([ent, -1 - people])


def _memberships(assocs: list[Assoc], f: Firms, vocab: Vocab, geo: Geo, rng: np.random.Generator,
                 rnd: random.Random) -> tuple[list[np.ndarray], list[np.ndarray]]:
    n_units = len(geo.units)
    ind_index = {ind.key: i for i, ind in enumerate(vocab.industries)}
    related_idx = {ind.key: [ind_index[r] for r in ind.related] for ind in vocab.industries}
    places = {str(p.code): p for p in geo.origins}
    members: list[np.ndarray] = []
    roles: list[np.ndarray] = []
    log_sales = np.log1p(f.sales)
    for a in assocs:
        refs = _sample_members(a, f, members, n_units, ind_index, related_idx, places, rng)
        if a.kind != ACAD and rnd.random() < 0.5 and len(refs) > 3:  # a full-time 秘书长 as individual member
            extra = f.individuals[rng.integers(0, len(f.individuals))]
            if -1 - extra not in refs:
                refs = np.append(refs, -1 - extra)
        scores = np.where(refs >= 0, log_sales[np.maximum(refs, 0)], rng.uniform(3, 6, size=len(refs)))
        r = _roles(rng, rnd, scores)
        if a.kind != ACAD and len(refs) and refs[-1] < 0 and r[-1] == 6 and 4 in r:
            r[r == 4], r[-1] = 6, 4  # the appended individual is the 秘书长
        order = np.argsort(r, kind="stable")
        members.append(refs[order])
        roles.append(r[order])
    return members, roles


def _plant_leaders(assocs: list[Assoc], members: list[np.ndarray], roles: list[np.ndarray], f: Firms,
                   rnd: random.Random) -> None:
    """A few persons hold 副会长-or-above posts in 3–5 associations (leader_overlap)."""
    n = sum(1 for a in assocs if not a.app)
    k = max(2, n // 80)
    eligible = [i for i in range(n) if assocs[i].active and any((roles[i] <= 2) & (members[i] >= 0))]
    spare = list(range(len(f.person) + len(f.individuals), len(f.persons)))  # persons nobody else uses
    for j in range(min(k, len(spare))):
        if len(eligible) < 3:
            break
        chosen = rnd.sample(eligible, rnd.randint(3, min(5, len(eligible))))
        for i in chosen:
            rows = np.flatnonzero((roles[i] <= 2) & (members[i] >= 0))
            f.person[members[i][rows[rnd.randrange(len(rows))]]] = spare[j]


# ---------------------------------------------------------------------------------- text rendering


def _fill(text: str, ctx: dict[str, str], rnd: random.Random, products: tuple[str, ...]) -> str:
    if "{p}" in text:
        text = text.replace("{p}", _pick(rnd, products) if products else ctx["f"])
    for k, v in ctx.items():
        text = text.replace("{" + k + "}", v)
    return text


def _ctx(a: Assoc, b: _Builder) -> tuple[dict[str, str], tuple[str, ...]]:
    ind = b.by_key.get(a.subject)
    f = ind.field if ind else ""
    return ({"f": f, "r": b.geo.regions[a.region].name, "c": b.geo.city.short, "o": a.origin_text},
            ind.products if ind else ())


def _render_scope(a: Assoc, b: _Builder, rnd: random.Random, shuffle: bool) -> str:
    ctx, products = _ctx(a, b)
    phrases = [_fill(b.vocab.concepts[p][c][i], ctx, rnd, products) for p, c, i in a.plan]
    prefix, sep, ending = a.scope_style
    if shuffle:
        rnd.shuffle(phrases)
        sep = _pick(rnd, ["；", ";", "，", " "])
    return prefix + sep.join(phrases) + ending


def _render_purpose(a: Assoc, b: _Builder, rnd: random.Random) -> str:
    ctx, products = _ctx(a, b)
    opening_i, template, clauses = a.purpose_plan
    openings = b.vocab.openings[kind_key(a.kind)]
    opening = _fill(openings[opening_i % len(openings)], ctx, rnd, products)
    body = "，".join(_fill(b.vocab.concepts[p][c][i], ctx, rnd, products) for p, c, i in clauses)
    return [f"{opening}本会宗旨：{body}。", f"{opening}本会的宗旨是：{body}。", f"{body}。"][template % 3]


# ---------------------------------------------------------------------------------- noise


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # a project dependency; only needed for traditional-character noise

    return opencc.OpenCC("s2t")


def _traditional(text: str) -> str:
    return _s2t().convert(text)


def _typo(text: str, vocab: Vocab, rnd: random.Random) -> str:
    spots = [i for i, ch in enumerate(text) if ch in vocab.homophones]
    if spots and rnd.random() < 0.7:
        i = _pick(rnd, spots)
        return text[:i] + vocab.homophones[text[i]] + text[i + 1:]
    if len(text) > 4:
        i = rnd.randrange(1, len(text) - 1)
        return text[:i] + text[i + 1:]
    return text


def _noisy_name(a: Assoc, geo: Geo, rates: Rates, rnd: random.Random) -> str:
    region = geo.regions[a.region]
    rtext = region.name
    if rnd.random() < rates.short_city_rate and short_is_unambiguous(region):
        rtext = region.short
    body, form = a.body, a.form
    if rnd.random() < rates.fullwidth_rate:
        space = _pick(rnd, [" ", "\u3000", ""])
        if form.startswith(("行业", "产业")) and len(form) > 2:
            l_, r_ = _pick(rnd, [("（", "）"), ("(", ")")])
            form = l_ + form[:2] + r_ + form[2:]
        rtext = rtext + space
    if a.app and rnd.random() < rates.fullwidth_rate * 2:
        form += _pick(rnd, ["（筹）", "(筹)", "（筹备）"])
    name = rtext + body + form
    if rnd.random() < rates.traditional_rate:
        name = _traditional(name)
    return name


# ---------------------------------------------------------------------------------- frames


def _dates(days: np.ndarray) -> list[str]:
    return [str(d) for d in np.datetime64("1970-01-01") + days.astype("timedelta64[D]")]


def _health(assocs: list[Assoc], vocab: Vocab, config: SynthConfig, rng: np.random.Generator,
            rnd: random.Random) -> dict[str, list[str]]:
    n = len(assocs)
    as_of = int((np.datetime64(config.as_of) - np.datetime64("1970-01-01")).astype(int))
    founded = as_of - rng.integers(365, 38 * 365, size=n)
    term = rng.choice([5, 4, 3], size=n, p=[0.85, 0.08, 0.07])
    overdue = rng.random(n) < 0.08
    since = np.where(overdue, (term + rng.uniform(0.2, 4.0, size=n)) * 365.25, rng.uniform(0.05, 0.98, size=n) * term * 365.25)
    election = np.maximum(as_of - since.astype(int), founded)
    staff = np.where(rng.random(n) < 0.08, 0, 1 + rng.poisson(2.0, size=n))
    office = np.where(rng.random(n) < 0.06, "否", "是")
    funding = [("" if rnd.random() < 0.06 else _pick(rnd, vocab.funding)) for _ in range(n)]
    insp = rng.choice(["合格", "基本合格", "不合格", "未参检"], size=n, p=[0.78, 0.1, 0.05, 0.07])
    party = np.where(rng.random(n) < 0.15, rng.integers(0, 3, size=n), 3 + rng.poisson(4.0, size=n))
    out = {
        "founded": _dates(founded), "status": [a.status for a in assocs],
        "staff_fulltime": [str(x) for x in staff], "has_office": list(office), "funding": funding,
        "last_election": _dates(election), "term_years": [str(x) for x in term],
        "inspection": [("未参检" if not a.active else str(x)) for a, x in zip(assocs, insp)],
        "party_members": [str(x) for x in party],
    }
    for i, a in enumerate(assocs):
        if a.app:  # not yet registered: nothing to report on elections or inspections
            for col in ("founded", "status", "last_election", "inspection"):
                out[col][i] = ""
    return out


def _association_frame(assocs: list[Assoc], b: _Builder, rates: Rates, config: SynthConfig,
                       rng: np.random.Generator, rnd: random.Random) -> pd.DataFrame:
    geo, vocab = b.geo, b.vocab
    rows: dict[str, list[str]] = {c: [] for c in ASSOCIATION_COLUMNS}
    for a in assocs:
        rows["id"].append(a.id)
        rows["name"].append(_noisy_name(a, geo, rates, rnd))
        region = geo.regions[a.region]
        r = rnd.random()
        short = r < rates.blank_region_rate + rates.short_city_rate / 4 and short_is_unambiguous(region)
        rows["region"].append("" if r < rates.blank_region_rate else region.short if short else region.name)
        rows["type"].append("" if rnd.random() < rates.blank_type_rate else a.type)
        rows["industry"].append(a.industry)
        scope = _render_scope(a, b, rnd, shuffle=rnd.random() < rates.shuffle_scope_rate)
        purpose = _render_purpose(a, b, rnd)
        if rnd.random() < rates.typo_rate:
            scope = _typo(scope, vocab, rnd)
        if rnd.random() < rates.typo_rate:
            purpose = _typo(purpose, vocab, rnd)
        if rnd.random() < rates.traditional_rate:
            scope, purpose = _traditional(scope), _traditional(purpose)
        rows["scope"].append(scope)
        rows["purpose"].append(purpose)
        sep = ";" if rnd.random() < rates.shuffle_scope_rate / 2 else "；"
        rows["services"].append(sep.join(a.services))
    for col, values in _health(assocs, vocab, config, rng, rnd).items():
        rows[col] = values
    return pd.DataFrame(rows, columns=list(ASSOCIATION_COLUMNS), dtype=object)


def _membership_frame(assocs: list[Assoc], members: list[np.ndarray], roles: list[np.ndarray], f: Firms,
                      geo: Geo, rates: Rates, rng: np.random.Generator) -> pd.DataFrame:
    if not assocs:
        return pd.DataFrame({c: [] for c in MEMBERSHIP_COLUMNS}, dtype=object)
    counts = np.array([len(m) for m in members])
    aid = np.repeat(np.array([a.id for a in assocs], dtype=object), counts)
    ref = np.concatenate(members) if len(members) else np.zeros(0, dtype=np.int64)
    role = np.concatenate(roles) if len(roles) else np.zeros(0, dtype=np.int8)
    is_ent = ref >= 0
    e = np.where(is_ent, ref, 0)
    p = np.where(is_ent, 0, -1 - ref)
    person_idx = np.where(is_ent, f.person[e], p)
    person = f.persons[person_idx]
    unit_names = np.array([u.name for u in geo.units], dtype=object)
    unit_short = np.array([u.short for u in geo.units], dtype=object)
    unit_short_ok = np.array([short_is_unambiguous(u) for u in geo.units], dtype=bool)
    ind_unit = f.individual_unit[np.searchsorted(f.individuals, np.where(is_ent, f.individuals[0], p))]
    region = np.where(is_ent, f.place[e], unit_names[ind_unit])
    short = (rng.random(len(ref)) < rates.short_city_rate / 3) & is_ent & (f.unit[e] >= 0)
    short &= unit_short_ok[np.maximum(f.unit[e], 0)]
    region = np.where(short, unit_short[np.maximum(f.unit[e], 0)], region)
    name = np.where(is_ent, f.name[e], person)
    trad = np.flatnonzero(is_ent & (rng.random(len(ref)) < rates.traditional_rate / 2))
    if len(trad):
        name = name.copy()
        name[trad] = [_traditional(s) for s in name[trad]]
    sales = np.array([f"{x:.1f}" for x in f.sales[e]], dtype=object)
    return pd.DataFrame({
        "association_id": aid,
        "member_name": name,
        "member_id": np.where(is_ent, f.code[e], ""),
        "member_kind": np.where(is_ent, "企业", "个人"),
        "member_region": region,
        "role": np.array(ROLES, dtype=object)[role],
        "person": person,
        "annual_sales": np.where(is_ent, sales, ""),
    }, columns=list(MEMBERSHIP_COLUMNS)).astype(object)


def _stats_frame(vocab: Vocab, geo: Geo, f: Firms, assocs: list[Assoc], rng: np.random.Generator) -> pd.DataFrame:
    """Units and sales per (industry, region): some industries well covered, others thinly."""
    n_ind, n_units = len(vocab.industries), len(geo.units)
    inside = f.unit >= 0
    key = f.industry[inside] * n_units + f.unit[inside]
    cnt = np.bincount(key, minlength=n_ind * n_units).reshape(n_ind, n_units).astype(float)
    sal = np.bincount(key, weights=f.sales[inside], minlength=n_ind * n_units).reshape(n_ind, n_units)
    thin = rng.random((n_ind, n_units)) < 0.3
    fu = np.where(thin, rng.uniform(2.5, 7.0, size=cnt.shape), rng.uniform(1.0, 1.15, size=cnt.shape))
    fs = np.where(thin, rng.uniform(2.2, 5.0, size=cnt.shape), rng.uniform(1.0, 1.1, size=cnt.shape))
    units = np.ceil(cnt * fu).astype(int)
    sales = np.round(sal * fs, 1)
    present = sorted({vocab.industries.index(vocab.by_key[a.subject]) for a in assocs if a.kind == IND and not a.app})
    rows = []
    for i in present:
        label = vocab.industries[i].label
        if geo.counties:
            for u in range(n_units):
                if units[i, u] > 0:
                    rows.append((label, geo.units[u].name, str(units[i, u]), f"{sales[i, u]:.1f}"))
        rows.append((label, geo.city.name, str(units[i].sum()), f"{sales[i].sum():.1f}"))
    return pd.DataFrame(rows, columns=list(STATS_COLUMNS), dtype=object)


def _drop_columns(df: pd.DataFrame, required: tuple[str, ...], p: float, rnd: random.Random) -> pd.DataFrame:
    if p <= 0:
        return df
    light = {"region": 0.4, "type": 0.4, "scope": 0.3, "name": 0.0}
    drop = [c for c in df.columns if c not in required and rnd.random() < p * light.get(c, 1.0)]
    return df.drop(columns=drop)


# ---------------------------------------------------------------------------------- labels


def _group_frame(assocs: list[Assoc]) -> pd.DataFrame:
    gid: dict[tuple, str] = {}
    out = []
    for i, a in enumerate(assocs):
        key = ("slot", a.slot) if a.active else ("single", i)
        if key not in gid:
            gid[key] = f"G{len(gid) + 1:05d}"
        out.append((a.id, gid[key]))
    return pd.DataFrame(out, columns=["id", "group"], dtype=object)


def _pair_frame(assocs: list[Assoc], plan: Plan, members: list[np.ndarray], geo: Geo, vocab: Vocab,
                rnd: random.Random) -> pd.DataFrame:
    n = len(assocs)
    cap = max(40, n)
    places = {str(p.code): p for p in geo.origins}
    by_key = vocab.by_key
    slot_members: dict[int, list[int]] = {}
    for i, a in enumerate(assocs):
        slot_members.setdefault(a.slot, []).append(i)
    rep = {s: ids[0] for s, ids in slot_members.items()}
    found: dict[str, list[tuple[int, int]]] = {k: [] for k in PAIR_KINDS}
    for s, ids in slot_members.items():
        act = [i for i in ids if assocs[i].active]
        found["duplicate"] += list(itertools.combinations(act, 2))
        found["inactive"] += [(i, j) for i in ids if not assocs[i].active for j in act]
    by_subject: dict[tuple[str, str], list[int]] = {}
    by_region: dict[int, list[int]] = {}
    for s, slot in enumerate(plan.slots):
        by_subject.setdefault((slot.kind, slot.subject), []).append(s)
        by_region.setdefault(slot.region, []).append(s)
    for ss in by_subject.values():
        for s, t in itertools.combinations(ss, 2):
            ra, rb = plan.slots[s].region, plan.slots[t].region
            kind = "near_level" if (ra == 0) != (rb == 0) else "near_region"
            found[kind].append((rep[s], rep[t]))
    for r, ss in by_region.items():
        ind = {plan.slots[s].subject: s for s in ss if plan.slots[s].kind == IND}
        for s in ss:
            slot = plan.slots[s]
            if slot.kind == ACAD and slot.subject in ind:
                found["near_form"] += [(i, j) for i in slot_members[s] for j in slot_members[ind[slot.subject]]]
            if slot.kind == IND:
                for rel in by_key[slot.subject].related:
                    if rel in ind and slot.subject < rel:
                        found["near_industry"].append((rep[s], rep[ind[rel]]))
        orig = [s for s in ss if plan.slots[s].kind == ORIG]
        found["near_origin"] += _confusable_slot_pairs(orig, plan, places, rep)
    for s, t in plan.shared:
        a, b = rep[s], rep[t]
        common = np.intersect1d(members[a][members[a] >= 0], members[b][members[b] >= 0])
        if len(common) >= 3:
            found["shared_members"].append((a, b))
    taken = set()
    rows = []
    for kind in PAIR_KINDS[:-1]:
        pairs = found[kind]
        if kind != "duplicate" and len(pairs) > cap:
            pairs = rnd.sample(pairs, cap)
        for i, j in pairs:
            key = (min(i, j), max(i, j))
            if key in taken:
                continue
            taken.add(key)
            rows.append((i, j, 1 if kind == "duplicate" else 0, kind))
    related_sets = {ind.key: set(ind.related) for ind in vocab.industries}
    for _ in range(n // 2):  # easy negatives: different subject, unrelated, not confusable
        i, j = rnd.randrange(n), rnd.randrange(n)
        a, b = assocs[i], assocs[j]
        if i == j or (min(i, j), max(i, j)) in taken or a.subject == b.subject:
            continue
        if a.kind == IND and b.kind == IND and b.subject in related_sets[a.subject]:
            continue
        if a.kind == ORIG and b.kind == ORIG and _confusable(places[a.subject], places[b.subject]):
            continue
        taken.add((min(i, j), max(i, j)))
        rows.append((i, j, 0, "random"))
    out = []
    for i, j, label, kind in rows:
        x, y = sorted((assocs[i].id, assocs[j].id))
        out.append((x, y, label, kind))
    df = pd.DataFrame(out, columns=["id_a", "id_b", "label", "kind"])
    df["label"] = df["label"].astype(int)
    return df


def _confusable_slot_pairs(orig: list[int], plan: Plan, places: dict[str, Place], rep: dict[int, int]) -> list[tuple[int, int]]:
    """Origin chambers in one region whose origins are confusable (bucketed, no quadratic scan)."""
    code_slot = {int(plan.slots[s].subject): s for s in orig}
    out = []
    buckets: dict[str, list[int]] = {}
    for s in orig:
        p = places[plan.slots[s].subject]
        for anc in _ancestors(p):
            if anc in code_slot:
                out.append((rep[code_slot[anc]], rep[s]))
        for w in _wildcards(p.short):
            buckets.setdefault(w, []).append(s)
    for ss in buckets.values():
        for s, t in itertools.combinations(ss, 2):
            if places[plan.slots[s].subject].short != places[plan.slots[t].subject].short:
                out.append((rep[s], rep[t]))
    return out


def _screen_frame(labels: list[AppLabel], assocs: list[Assoc]) -> pd.DataFrame:
    rows = [(assocs[l.index].id, l.verdict, assocs[l.match].id if l.match >= 0 else "", l.kind) for l in labels]
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame(rows, columns=["id", "verdict", "expected_match", "kind"], dtype=object)


# ---------------------------------------------------------------------------------- entry points


def generate(config: SynthConfig) -> SynthData:
    """A reproducible labelled registry: the same config gives byte-identical output."""
    vocab = load_vocab()
    geo = _geo(config.city)
    rates = config.rates()
    rng, rnd = _streams(config.seed, 1)
    style = _style(rng, vocab, geo, config)
    plan = _Planner(vocab, geo, style, config, rates, rnd).plan()

    rng, rnd = _streams(config.seed, 2)
    builder = _Builder(vocab, geo, style, config, rates, rnd)
    registry = _build_registry(plan, builder, rates)
    admin = np.array([geo.regions[a.region].code for a in registry], dtype=object)
    for a, code in zip(registry, _unique_codes(rng, "51", admin)):
        a.id = code

    rng, rnd = _streams(config.seed, 3)
    builder.rnd = rnd
    apps, app_labels = _AppPlanner(registry, builder, geo).build(config.n_applications)
    order = list(range(len(apps)))
    rnd.shuffle(order)
    for rank, k in enumerate(order):
        apps[k].id = f"A{rank + 1:04d}"
    allx = registry + apps

    rng, rnd = _streams(config.seed, 4)
    firms = _build_firms(vocab, geo, style, allx, rng)
    members, roles = _memberships(allx, firms, vocab, geo, rng, rnd)
    _plant_leaders(allx, members, roles, firms, rnd)

    rng, rnd = _streams(config.seed, 5)
    n = len(registry)
    builder.rnd = rnd
    reg_frame = _association_frame(registry, builder, rates, config, rng, rnd)
    app_frame = _association_frame(apps, builder, rates, config, rng, rnd)
    reg_members = _membership_frame(registry, members[:n], roles[:n], firms, geo, rates, rng)
    app_members = _membership_frame(apps, members[n:], roles[n:], firms, geo, rates, rng)
    if len(app_frame):
        app_frame = app_frame.iloc[np.argsort(app_frame["id"].to_numpy(), kind="stable")].reset_index(drop=True)
        app_members = app_members.sort_values("association_id", kind="stable").reset_index(drop=True)
    stats = _stats_frame(vocab, geo, firms, registry, rng)
    reg_frame = _drop_columns(reg_frame, KEPT_REGISTRY_COLUMNS, rates.missing_column_prob, rnd)
    reg_members = _drop_columns(reg_members, REQUIRED_MEMBERSHIP, rates.missing_column_prob / 2, rnd)
    app_frame = _drop_columns(app_frame, REQUIRED_ASSOCIATION, rates.missing_column_prob / 2, rnd)
    app_members = _drop_columns(app_members, REQUIRED_MEMBERSHIP, rates.missing_column_prob / 2, rnd)

    rng, rnd = _streams(config.seed, 6)
    return SynthData(
        config=config,
        associations=reg_frame,
        memberships=reg_members,
        industry_stats=stats,
        applications=app_frame,
        application_members=app_members,
        groups=_group_frame(registry),
        pairs=_pair_frame(registry, plan, members[:n], geo, vocab, rnd),
        screen_labels=_screen_frame(app_labels, allx),
    )


def write(data: SynthData, folder: str | os.PathLike) -> Path:
    """Write registry/, applications/ and labels/ CSV files (UTF-8, each replaced atomically)."""
    root = Path(folder)
    for rel, attr in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            getattr(data, attr).to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
    return root
