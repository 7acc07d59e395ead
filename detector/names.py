"""Association name parser: region prefix + industry core + organisation form (+ origin of a 异地商会).

``温州市福建福鼎商会`` → region 温州市 (地市级), origin 福鼎市 (县级, 福建省), form 商会, type 异地商会.
Nothing here assumes a particular city; ``home`` (the registry's city) only breaks ties between
places with the same short name (龙港市 / 龙港区). Member names are told apart too: an enterprise
(…有限公司) or a person (a 2–4 character personal name), see :func:`guess_member_kind`.
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from . import regions
from .errors import DetectorError
from .paths import models_dir
from .regions import COUNTY, PREFECTURE, PROVINCE, Division
from .text import normalize_name

if TYPE_CHECKING:
    from .industry import Industry

OUT_OF_TOWN = "异地商会"
ENTERPRISE, PERSON = "企业", "个人"  # member kinds (FORMAT.md member_kind)
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
    former: tuple[str, ...] = ()  # former division names written (萧山市: today 萧山区; see regions.former)
    town: str = ""  # the town, 乡 or street the body belongs to (瑞安市塘下镇, 东莞市长安镇); region is its county

    @property
    def kind_name(self) -> str:
        """The kind in Chinese: 体育类社团, 行业协会商会 … ("" when none)."""
        return kind_names().get(self.kind, "")
    branch_of: str | None = None  # a branch (X商会Y分会 / 专业委员会): its parent's normalised name

    @property
    def is_out_of_town(self) -> bool:
        return self.origin is not None


@dataclass(frozen=True)
class _Grammar:
    forms: tuple[tuple[str, str], ...]  # (suffix, type), longest first
    form_kinds: dict[str, str]  # suffix → kind the form makes (学会 → academic)
    yielding_forms: frozenset[str]  # forms whose kind gives way to a trade subject (企业家联谊会)
    subject_forms: frozenset[str]  # forms that are the subject when the core is empty (总商会: a general chamber)
    kinds: dict[str, str]  # kind → Chinese name
    audience_kinds: dict[str, str]  # audience → the kind it makes of a body with no subject of its own (老年 → elderly_youth)
    word_like_places: frozenset[str]  # short county names that are words first (东方, 合作, 江山)
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
    unknown = sorted((set(form_kinds.values()) | set(g["kinds_audiences"])) - set(kinds))
    if unknown:
        raise DetectorError(f"models/names.toml：kind {'、'.join(unknown)} 不在 [kinds] 中")
    return _Grammar(
        forms=tuple(forms),
        form_kinds=form_kinds,
        yielding_forms=frozenset(x["suffix"] for x in g["form"] if x.get("yields_to_trade")),
        subject_forms=frozenset(x["suffix"] for x in g["form"] if x.get("names_subject")),
        kinds=kinds,
        audience_kinds={a: kind for kind, audiences in g["kinds_audiences"].items() for a in audiences},
        word_like_places=frozenset(g["places"]["word_like"]),
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


def _plausible_first(d: Division, home: Division | None, written: str, rest: str) -> bool:
    """A short county name opening a name is trusted inside the home city; elsewhere only when it is
    unambiguous, not a word (东方红… ≠ 东方市), and a place follows it (义乌温州商会: 温州 in 义乌) or it
    is a county-level city (市) written before what its body is about (义乌小商品协会)."""
    if written == d.name or d.level != COUNTY or regions.is_former(written):
        return True
    if home is not None and regions.contains(home, d):
        return True
    if written in _grammar().word_like_places or not regions.unambiguous_short(written):
        return False
    after = regions.match_prefix(rest, d)
    return (after is not None and not regions.contains(d, after[0])) or (d.name.endswith("市") and bool(rest))


def _split_region(s: str, home: Division | None) -> tuple[Division | None, str, tuple[str, ...]]:
    """Consume nested place names at the start: 浙江省温州市鹿城区… → 鹿城区 (and the names as written)."""
    region: Division | None = None
    written_all: list[str] = []
    while s:
        m = regions.match_prefix(s, region or home)
        if m is None:
            break
        d, written = m
        if region is None and not _plausible_first(d, home, written, s[len(written):]):
            break
        if _heads_an_origin(d, written, s[len(written):]):
            break  # 天津市河北（沧州）商会: 河北省 and 沧州, the origin, not Tianjin's 河北区
        if region is not None and not regions.contains(region, d):
            break  # a place outside the region: the origin of a 异地商会, parsed later
        region, s = d, s[len(written):]
        written_all.append(written)
    return region, s, tuple(written_all)


def _heads_an_origin(d: Division, written: str, rest: str) -> bool:
    """A short form read as a county that is also a province's or prefecture's (河北: 天津's 河北区 and 河北省)
    heads an origin when a place follows that lies in that province or prefecture, not in the county
    (天津市河北沧州商会 is Tianjin's chamber of 沧州 people)."""
    if d.level != COUNTY or written == d.name:
        return False
    for other in regions.namesakes(written):
        if other.level in (PROVINCE, PREFECTURE):
            after = regions.match_prefix(rest, other)
            if after is not None and regions.contains(other, after[0]) and not regions.contains(d, after[0]):
                return True
    return False


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


def _parse_origin(core: str, form: str | None, region: Division | None, home: Division | None
                  ) -> tuple[Division | None, tuple[str, ...]]:
    """The origin of a 异地商会 when the whole core is place names (+ 商/籍/人…): 福建福鼎, 皖商, 江西籍.

    A one-character province abbreviation counts only as ``X商`` (皖商联合会, 湘商会 = 湘商 + 会).
    """
    places = _strip_markers(core)
    if len(places) == 1:
        is_merchant = core.endswith("商") or (form or "").endswith("商会")
        return (regions.province_abbreviations().get(places) if is_merchant else None), ()
    origin: Division | None = None
    rest = places
    written_all: list[str] = []
    while rest:
        m = regions.match_prefix(rest, origin, prefer=regions.PROVINCE_FIRST)
        if m is None:
            return None, ()
        d, written = m
        if origin is not None and not regions.contains(origin, d):
            return None, ()
        origin, rest = d, rest[len(written):]
        written_all.append(written)
    if origin is None:
        return None, ()
    context = region or home
    if context is not None and regions.contains(regions.prefecture_of(context) or context, origin):
        return None, ()  # a place inside the registration city is a sub-region, not an origin
    return origin, tuple(written_all)


# ------------------------------------------------------------------------- towns and streets
# A body of a town, 乡 or street (塘下镇商会, 乐清市柳市镇电器商会, 湖滨街道商会) is a level below its county, with a
# 一业一会 scope of its own (regions.town_prefix: the towns of models/towns.csv).

_TOWN_FORM = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:镇|街道)")
_NOT_A_TOWN_END = frozenset("城小古村乡集名重市县")  # 小城镇, 特色小镇, 古镇 … are words, not towns


def _split_town(region: Division | None, core: str, home: Division | None) -> tuple[Division | None, str, str]:
    """(region, town, rest of the core) for a core that opens with a town or street.

    After a county-level unit (or in a city without counties), one of its towns as listed, or as its short
    form where :func:`_short_town` allows, or any 镇/街道 by its form (towns merged away since); with no
    county written, a town written in full that one county only within the city (the home city when no
    place is written; anywhere when there is none) has: 塘下镇商会 in 温州 → 瑞安市塘下镇; else a 镇/街道
    name by its form that no county's list has (a town merged away), under the region as written."""
    unit = region if regions.town_unit(region) else home if region is None and regions.undivided(home) else None
    if unit is not None:
        undivided = regions.undivided(unit)
        m = regions.town_prefix(core, unit)
        if m is not None and (undivided or _short_town(unit, m[1], core[len(m[1]):])):
            return unit, m[0], core[len(m[1]):]
        by_form = None if undivided else _town_by_form(core)
        return (unit, by_form, core[len(by_form):]) if by_form else (region, "", core)
    found = regions.town_within(core, region or home)
    if found is not None:
        return found[0], found[1], core[len(found[2]):]
    by_form = _town_by_form(core)
    if by_form and not regions.known_town(by_form):
        return region, by_form, core[len(by_form):]
    return region, "", core


def _short_town(unit: Division, written: str, rest: str) -> bool:
    """A town written without its suffix after its county (乐清市柳市电器商会, 海宁市长安商会) unless the short
    form is a trade (港口, 石化), a province or a city (湖南镇: 衢江区湖南商会 is a 异地商会), or a street's
    (建设, 人民) followed by more words; what follows must be a trade of its own (柳市 + 电器)."""
    if regions.town_prefix(written, unit, short=False) is not None:
        return True  # written in full
    named = regions.lookup(written)
    if _subject(written) is not None or (named is not None and named.level != COUNTY):
        return False
    town = regions.town_prefix(written, unit)[0]
    return not rest or (not town.endswith("街道") and _subject(_strip_generic(rest)) is not None)


def _town_by_form(core: str) -> str | None:
    """A 镇 or 街道 by its form at the start of ``core`` (北白象镇, 湖滨街道): two or three characters before
    the suffix, neither a word (小城镇, 古镇, 特色小镇) nor a place or opening with one (景德镇, 贵州镇宁, 山西天镇)."""
    m = _TOWN_FORM.match(core)
    if m is None:
        return None
    stem = m.group(0).removesuffix("街道").removesuffix("镇")
    if stem[-1] in _NOT_A_TOWN_END or _subject(stem) is not None or regions.match_prefix(stem) is not None \
            or regions.lookup(m.group(0)) is not None:
        return None  # 贵州镇宁商会, 山西天镇商会, 景德镇商会: chambers of people of a place, not of a town
    return m.group(0)


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


def _subject(core: str) -> Industry | None:
    from .industry import match_core  # taxonomy data in models/, loaded lazily

    return match_core(core) if core else None


def kind_names() -> dict[str, str]:
    """Kind of social group → its Chinese name (models/names.toml [kinds])."""
    return _grammar().kinds


def _kind(form: str | None, origin: Division | None, subject: Industry | None, audience: str) -> str:
    """The kind of social group a name makes: 异地商会 by its origin, else by its form (学会, 校友会;
    a yielding form such as 联谊会 not when its subject is a trade: 企业家联谊会), else by its subject's
    group (网球 → sports), else by an elderly or youth audience, else trade."""
    if form is None:
        return ""
    if origin is not None:
        return OUT_OF_TOWN_KIND
    g = _grammar()
    trade_subject = subject is not None and not subject.group
    form_kind = None if trade_subject and form in g.yielding_forms else g.form_kinds.get(form)
    kind = form_kind or (subject.group if subject is not None else "") or g.audience_kinds.get(audience, TRADE)
    if kind not in g.kinds:
        raise DetectorError(f"行业词表中的社会团体类别 {kind} 不在 models/names.toml 的 [kinds] 中")
    return kind


def parse_name(name: str, home: Division | None = None) -> ParsedName:
    """Parse one association name; ``home`` is the registry's city (see :func:`infer_home`)."""
    norm = normalize_name(name)
    if (branch := _split_branch(norm)) is not None:
        return _parse_branch(name, norm, *branch, home)
    body, form, typ = _split_form(norm)
    region, core, written = _split_region(body, home)
    core = _strip_sponsor(core)
    origin, origin_written = None, ()
    region, town, core = _split_town(region, core, home)
    if town:
        core = core or town  # 石岐街道餐饮协会 → 餐饮; a town's own chamber (塘下镇商会) has the town for its core
    elif form in _grammar().origin_forms or form is None:
        origin, origin_written = _parse_origin(core, form, region, home)
        origin = origin or _origin_group(core, form)
        if origin is None and _foreign(region, home):
            # 河南信阳商会 in a 常州市 registry: no region written, the place is the origin
            origin, origin_written = _parse_origin(body, form, None, home)
            if origin is not None:
                region, written = None, ()
    if origin is not None:
        typ = OUT_OF_TOWN
        core = ""
    elif form is not None:
        # 青年企业家联合会 without an origin: 企业家 belongs to the core, the form is 联合会
        core, form, typ = _unfold_form(core, form, typ)
    core = _strip_generic(core)
    subject = _subject(core if core or form not in _grammar().subject_forms else form)
    audience = next((a for a in _grammar().audiences if core.startswith(a) and len(core) > len(a)), "")
    kind = _kind(form, origin, subject, audience)
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
        former=tuple(w for w in (*written, *origin_written) if regions.is_former(w)),
        town=town,
    )


# ------------------------------------------------------------------ real-registry patterns (issue 12)
# Branches (X商会Y分会), sponsor words inside a name (杭州市工商联五金商会), origin groups that are not places
# (客家 / 潮汕 / 闽南). Vocabulary in models/names.toml [real_patterns].

ORIGIN_GROUP = "group"  # origin_level of an origin group (客家商会): people of one origin, not one division


@dataclass(frozen=True)
class _Patterns:
    branch_forms: tuple[str, ...]  # longest first
    sponsors: tuple[str, ...]  # longest first
    origin_groups: dict[str, str]  # group → its province ("" when it spans several)


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    with (models_dir() / "names.toml").open("rb") as f:
        g = tomllib.load(f)["real_patterns"]
    by_length = lambda words: tuple(sorted(words, key=len, reverse=True))  # noqa: E731
    return _Patterns(by_length(g["branch_forms"]), by_length(g["sponsors"]), dict(g["origin_groups"]))


def _split_branch(norm: str) -> tuple[str, str, str] | None:
    """温州市鞋业商会女鞋分会 → (温州市鞋业商会, 女鞋, 分会): a parent body's name, the branch's own words and its
    form; None when the name is not a branch of a named parent."""
    form = next((f for f in _patterns().branch_forms if norm.endswith(f)), None)
    if form is None:
        return None
    head = norm[: -len(form)]
    best = max(((head.rfind(suffix), suffix) for suffix, _ in _grammar().forms), key=lambda x: (x[0] + len(x[1]), len(x[1])))
    at, suffix = best
    if at <= 0:
        return None
    end = at + len(suffix)
    return head[:end], head[end:], form


def _parse_branch(name: str, norm: str, parent: str, own: str, form: str, home: Division | None) -> ParsedName:
    """A branch: the parent's region, origin and type, its own words as the core, never an independent body."""
    up = parse_name(parent, home)
    core = _strip_generic(own)
    return dataclasses.replace(up, raw=name, normalized=norm, industry_core=core or up.industry_core, org_form=form,
                               industry=getattr(_subject(core), "key", None) or up.industry, branch_of=up.normalized)


def _strip_sponsor(core: str) -> str:
    """杭州市工商联五金商会 → 五金: a sponsoring body named between the region and the core (工商联, 总商会, 中国)
    says who the body belongs to, not what it is."""
    for word in _patterns().sponsors:
        if core.startswith(word) and len(core) > len(word):
            return core[len(word):]
    return core


def _origin_group(core: str, form: str | None) -> Division | None:
    """客家商会 / 潮汕商会 / 闽南商会: an origin group as the origin of a 异地商会 (a pseudo-division ``g:客家``)."""
    if form is not None and form not in _grammar().origin_forms:
        return None
    group = _strip_markers(core)
    if group not in _patterns().origin_groups:
        return None
    return Division(f"g:{group}", group, ORIGIN_GROUP, _patterns().origin_groups[group], None)


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


__all__ = ["ParsedName", "parse_name", "infer_home", "kind_names", "OUT_OF_TOWN", "ORIGIN_GROUP", "TRADE", "PROVINCE",
           "PREFECTURE", "COUNTY"]


# ------------------------------------------------------------------------------------- member names

_ENTERPRISE_NAME = re.compile(
    r"(公司|厂|店|商行|银行|合作社|集团|中心|事务所|工作室|经营部|门市部|超市|农场|牧场|养殖场|医院|学校|"
    r"研究所|研究院|设计院|协会|商会|社|馆|坊|业)$"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛"
    "曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏"
    "席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝胥诸郁"
)
_COMPOUND_SURNAMES = "欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|司徒|尉迟|公孙|长孙|宇文|夏侯|端木|西门|南宫|独孤"
_PERSON_NAME = re.compile(rf"^(?:[{_SURNAMES}][\u4e00-\u9fff]{{1,3}}|(?:{_COMPOUND_SURNAMES})[\u4e00-\u9fff]{{1,2}})$")


def guess_member_kind(name: str) -> str:
    """企业 when the name looks like an enterprise, 个人 when it looks like a 2–4 character personal name."""
    if _ENTERPRISE_NAME.search(name) or not _PERSON_NAME.match(name):
        return ENTERPRISE
    return PERSON
