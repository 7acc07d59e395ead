"""Association name parser: region prefix + industry core + organisation form (+ origin of a 异地商会).

``温州市福建福鼎商会`` → region 温州市 (地市级), origin 福鼎市 (县级, 福建省), form 商会, type 异地商会.
Nothing here assumes a particular city; ``home`` (the registry's city) only breaks ties between
places with the same short name (龙港市 / 龙港区).
"""
from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from . import regions
from .errors import DetectorError
from .paths import models_dir
from .regions import COUNTY, PREFECTURE, PROVINCE, Division
from .text import normalize_name

OUT_OF_TOWN = "异地商会"
# Kinds of social group (models/names.toml [kinds]) that keep their form's type.
TRADE, OUT_OF_TOWN_KIND, ACADEMIC = "trade", "out_of_town", "academic"


@dataclass(frozen=True)
class ParsedName:
    raw: str
    normalized: str
    region: str | None  # registration region written in the name (full canonical name)
    region_level: str | None  # province / prefecture / county
    region_code: str | None
    industry_core: str  # 鞋革, 汽摩配 … ("" for general or out-of-town chambers)
    org_form: str | None  # 行业协会, 商会, 学会 …
    type: str | None  # FORMAT.md type: 行业协会 / 商会 / 异地商会 / 联合会 / 促进会 / 研究会 / 学会
    origin: str | None = None  # place of origin of a 异地商会 (full canonical name)
    origin_level: str | None = None
    origin_province: str | None = None
    origin_code: str | None = None
    industry: str | None = None  # canonical industry key (models/industries.toml)
    affiliated: bool = False  # a unit-internal body (…有限公司职工技术协会), not a regional association
    audience: str = ""  # a distinct member group opening the core: 青年 (企业家), 女 (企业家)
    kind: str = ""  # kind of social group (names.toml [kinds]): trade, sports, academic …; "" without a form

    @property
    def kind_name(self) -> str:
        """The kind in Chinese: 体育类社团, 行业协会商会 … ("" when none)."""
        return kind_names().get(self.kind, "")

    @property
    def is_out_of_town(self) -> bool:
        return self.origin is not None


@dataclass(frozen=True)
class _Grammar:
    forms: tuple[tuple[str, str], ...]  # (suffix, type), longest first
    form_kinds: dict[str, str]  # suffix → kind the form makes (学会 → academic)
    kinds: dict[str, str]  # kind → Chinese name
    elderly_youth: frozenset[str]  # audiences that make an elderly or youth group
    origin_forms: frozenset[str]
    origin_markers: tuple[str, ...]
    trailing_generic: tuple[str, ...]
    unit_markers: tuple[str, ...]
    audiences: tuple[str, ...]
    member_kinds: tuple[str, ...]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    with (models_dir() / "names.toml").open("rb") as f:
        g = tomllib.load(f)
    forms = sorted(((x["suffix"], x["type"]) for x in g["form"]), key=lambda x: -len(x[0]))
    kinds = dict(g["kinds"])
    form_kinds = {x["suffix"]: x["kind"] for x in g["form"] if "kind" in x}
    unknown = sorted(set(form_kinds.values()) - set(kinds))
    if unknown:
        raise DetectorError(f"models/names.toml：[[form]] 的 kind {'、'.join(unknown)} 不在 [kinds] 中")
    return _Grammar(
        forms=tuple(forms),
        form_kinds=form_kinds,
        kinds=kinds,
        elderly_youth=frozenset(g["kinds_audiences"]["elderly_youth"]),
        origin_forms=frozenset(g["origin"]["forms"]),
        origin_markers=tuple(sorted(g["origin"]["markers"], key=len, reverse=True)),
        trailing_generic=tuple(g["core"]["trailing_generic"]),
        unit_markers=tuple(g["core"]["unit_markers"]),
        audiences=tuple(sorted(g["core"]["audiences"], key=len, reverse=True)),
        member_kinds=tuple(sorted(g["core"]["member_kinds"], key=len, reverse=True)),
    )


def _split_form(s: str) -> tuple[str, str | None, str | None]:
    for suffix, typ in _grammar().forms:
        if s.endswith(suffix) and len(s) > len(suffix) - 1:
            return s[: -len(suffix)], suffix, typ
    return s, None, None


def _plausible_first(d: Division, home: Division | None, written: str) -> bool:
    """A short county name opening a name is only trusted inside the home city (东方红… ≠ 东方市)."""
    if written == d.name or d.level != COUNTY:
        return True
    return home is not None and regions.contains(home, d)


def _split_region(s: str, home: Division | None) -> tuple[Division | None, str]:
    """Consume nested place names at the start: 浙江省温州市鹿城区… → 鹿城区."""
    region: Division | None = None
    while s:
        m = regions.match_prefix(s, region or home)
        if m is None:
            break
        d, written = m
        if region is None and not _plausible_first(d, home, written):
            break
        if region is not None and not regions.contains(region, d):
            break  # a place outside the region: the origin of a 异地商会, parsed later
        region, s = d, s[len(written):]
    return region, s


def _strip_markers(core: str) -> str:
    """福建籍企业 → 福建: drop trailing 商/籍/人/企业… (repeatedly)."""
    stripped = True
    while stripped:
        stripped = False
        for marker in _grammar().origin_markers:
            if core.endswith(marker) and len(core) > len(marker):
                core, stripped = core[: -len(marker)], True
                break
    return core


def _parse_origin(core: str, form: str | None, region: Division | None, home: Division | None) -> Division | None:
    """The origin of a 异地商会 when the whole core is place names (+ 商/籍/人…): 福建福鼎, 皖商, 江西籍.

    A one-character province abbreviation counts only as ``X商`` (皖商联合会, 湘商会 = 湘商 + 会).
    """
    places = _strip_markers(core)
    if len(places) == 1:
        is_merchant = core.endswith("商") or (form or "").endswith("商会")
        return regions.province_abbreviations().get(places) if is_merchant else None
    origin: Division | None = None
    rest = places
    while rest:
        m = regions.match_prefix(rest, origin, prefer=regions.PROVINCE_FIRST)
        if m is None:
            return None
        d, written = m
        if origin is not None and not regions.contains(origin, d):
            return None
        origin, rest = d, rest[len(written):]
    if origin is None:
        return None
    context = region or home
    if context is not None and regions.contains(regions.prefecture_of(context) or context, origin):
        return None  # a place inside the registration city is a sub-region, not an origin
    return origin


def _foreign(region: Division | None, home: Division | None) -> bool:
    """A place written first that is neither inside the registry's city nor one containing it."""
    return region is not None and home is not None and not regions.contains(home, region) \
        and not regions.contains(region, home)


def _unfold_form(core: str, form: str, typ: str | None) -> tuple[str, str, str | None]:
    """A form that opens with the members' kind (企业家联合会, 企业联合会) names who the members are when
    no origin precedes it: 企业家 goes back to the core and the plain form remains."""
    for prefix in _grammar().member_kinds:
        rest = form.removeprefix(prefix)
        if rest != form:
            plain = dict(_grammar().forms).get(rest)
            if plain is not None:
                return core + prefix, rest, plain
    return core, form, typ


def _strip_generic(core: str) -> str:
    for word in _grammar().trailing_generic:
        if core.endswith(word) and len(core) > len(word):
            return core[: -len(word)]
    return core


def _subject(core: str):
    from .industry import match_core  # taxonomy data in models/, loaded lazily

    return match_core(core) if core else None


def kind_names() -> dict[str, str]:
    """Kind of social group → its Chinese name (models/names.toml [kinds])."""
    return _grammar().kinds


def _kind(form: str | None, origin: Division | None, group: str, audience: str) -> str:
    """The kind of social group a name makes: 异地商会 by its origin, else by its form (学会, 校友会),
    else by its subject's group (网球 → sports), else by an elderly or youth audience, else trade."""
    if form is None:
        return ""
    if origin is not None:
        return OUT_OF_TOWN_KIND
    kind = _grammar().form_kinds.get(form) or group or \
        ("elderly_youth" if audience in _grammar().elderly_youth else TRADE)
    if kind not in _grammar().kinds:
        raise DetectorError(f"行业词表中的社会团体类别 {kind} 不在 models/names.toml 的 [kinds] 中")
    return kind


def parse_name(name: str, home: Division | None = None) -> ParsedName:
    """Parse one association name; ``home`` is the registry's city (see :func:`infer_home`)."""
    norm = normalize_name(name)
    body, form, typ = _split_form(norm)
    region, core = _split_region(body, home)
    origin = None
    if form in _grammar().origin_forms or form is None:
        origin = _parse_origin(core, form, region, home)
        if origin is None and _foreign(region, home):
            # 河南信阳商会 in a 常州市 registry: no region written, the place is the origin
            origin = _parse_origin(body, form, None, home)
            region = None if origin is not None else region
    if origin is not None:
        typ = OUT_OF_TOWN
        core = ""
    elif form is not None:
        # 青年企业家联合会 without an origin: 企业家 belongs to the core, the form is 联合会
        core, form, typ = _unfold_form(core, form, typ)
    core = _strip_generic(core)
    subject = _subject(core)
    audience = next((a for a in _grammar().audiences if core.startswith(a) and len(core) > len(a)), "")
    kind = _kind(form, origin, subject.group if subject else "", audience)
    if kind not in (TRADE, OUT_OF_TOWN_KIND, ACADEMIC, ""):
        typ = kind_names()[kind]  # a 网球协会 is a 体育类社团, never a 行业协会
    return ParsedName(
        raw=name,
        normalized=norm,
        region=region.name if region else None,
        region_level=region.level if region else None,
        region_code=region.code if region else None,
        industry_core=core,
        org_form=form,
        type=typ,
        origin=origin.name if origin else None,
        origin_level=origin.level if origin else None,
        origin_province=origin.province if origin else None,
        origin_code=origin.code if origin else None,
        industry=subject.key if subject else None,
        affiliated=any(m in core for m in _grammar().unit_markers),
        audience=audience,
        kind=kind,
    )


def infer_home(names: list[str]) -> Division | None:
    """The prefecture-level city most names are registered in (温州市 for a Wenzhou registry).

    Only full place names are counted, so ambiguous short forms cannot mislead it.
    """
    votes: Counter[str] = Counter()
    for name in names:
        m = regions.match_prefix(normalize_name(name), allow_short=False)
        if m is None:
            continue
        d = m[0]
        if d.level == PROVINCE:
            continue
        pref = regions.prefecture_of(d)
        if pref is not None:
            votes[pref.code] += 1
    if not votes:
        return None
    code = min(votes, key=lambda c: (-votes[c], c))
    return regions.by_code(code)


__all__ = ["ParsedName", "parse_name", "infer_home", "kind_names", "OUT_OF_TOWN", "TRADE", "PROVINCE", "PREFECTURE",
           "COUNTY"]
