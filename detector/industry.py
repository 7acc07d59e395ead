"""Industry understanding: the curated vocabulary in ``models/industries.toml``.

Maps the industry core of an association name to an industry (``match_core``), ranks the
industries of a record from its name, declared industry, business scope and charter purpose
(``classify``) and relates two industries (``relation``). Nothing here knows about any
particular city: the vocabulary is data.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cached_property
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from . import gbt as gbt_table
from .errors import DetectorError
from .paths import models_dir
from .text import normalize_name, normalize_text

INDUSTRY, NON_INDUSTRY = "industry", "non_industry"
SAME, RELATED, DIFFERENT, UNKNOWN = "same", "related", "different", "unknown"

# classify(): evidence budgets per source. The name and the declared industry dominate; scope
# and purpose together add at most _W_TEXT, reached with _TEXT_SATURATION distinct words.
# _PRIOR is the weight of "none of these", so thin evidence never gives high confidence.
_W_NAME = 3.0
_W_DECLARED = 3.0
_W_TEXT = 2.0
_NAME_SATURATION = 0.5  # one word of any kind in a name or declared industry is full evidence
_TEXT_SATURATION = 3.0
_PRIOR = 1.0
# A non-industry word (企业家, 研究会, 进出口) says less about what members make or do than an
# industry word: 温州市鞋业研究会 is foremost about footwear, and almost every business scope
# ends with 货物进出口.
_NON_INDUSTRY_IN_NAME = 0.5
_NON_INDUSTRY_IN_TEXT = 0.25

JIEBA_FREQ = 20000

# An alias is matched inside names, where one character also belongs to places (茶陵) and other
# words (连锁); a keyword may be one character (鞋) when longer words cover its other uses.
_MIN_ALIAS = 2
_FIELDS = ("key", "name", "gbt", "aliases", "keywords", "related", "kind", "umbrella", "group")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_GBT = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class Industry:
    """One vocabulary entry. ``name`` also counts as an alias; ``related`` is symmetric."""

    key: str
    name: str
    gbt: tuple[str, ...]
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    kind: str  # INDUSTRY or NON_INDUSTRY
    umbrella: bool = False  # a catch-all kind (学术团体, 文艺团体): sharing it says nothing about the subject
    curated: bool = True  # False: made from a GB/T 4754 unit that no curated entry covers (see _gbt_entries)
    group: str = ""  # the kind of social group a body on this subject is (sports, culture …); "" for trade


@dataclass(frozen=True)
class IndustryMatch:
    """An industry of a record, with confidence in [0, 1] and the words that pointed to it."""

    industry: Industry
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class _Lexicon:
    """Words mapped to industry keys, found longest first; equally long words rightmost first
    (the head of a Chinese compound comes last: 食品机械 → 机械, 建设工程造价 → 工程造价)."""

    words: dict[str, tuple[str, ...]]
    lengths: dict[str, tuple[int, ...]]  # first two characters → lengths of the words opening with them
    singles: frozenset[str]  # one-character words (鞋)

    @classmethod
    def build(cls, words: dict[str, tuple[str, ...]]) -> _Lexicon:
        lengths: dict[str, set[int]] = {}
        for w in words:
            if len(w) > 1:
                lengths.setdefault(w[:2], set()).add(len(w))
        return cls(words, {head: tuple(sorted(ls, reverse=True)) for head, ls in lengths.items()},
                   frozenset(w for w in words if len(w) == 1))

    def _occurrences(self, text: str) -> list[tuple[int, int]]:
        """(length, start) of every word occurrence, in order of preference."""
        n = len(text)
        found = [
            (length, start)
            for start in range(n - 1)
            for length in self.lengths.get(text[start:start + 2], ())
            if start + length <= n and text[start : start + length] in self.words
        ]
        found += [(1, start) for start, ch in enumerate(text) if ch in self.singles]
        return sorted(found, reverse=True)

    def found(self, text: str) -> list[str]:
        """Every word in ``text``, preferred first."""
        return [text[start : start + length] for length, start in self._occurrences(text)]

    def scan(self, text: str) -> list[str]:
        """Non-overlapping words of ``text`` in reading order, preferred words chosen first."""
        taken = bytearray(len(text))
        chosen = []
        for length, start in self._occurrences(text):
            if not any(taken[start : start + length]):
                taken[start : start + length] = b"\x01" * length
                chosen.append((start, length))
        return [text[start : start + length] for start, length in sorted(chosen)]


@dataclass(frozen=True)
class Taxonomy:
    """The validated vocabulary with its lookup tables (see ``taxonomy()``)."""

    source: Path
    industries: dict[str, Industry]  # file order
    aliases: _Lexicon  # canonical names and aliases → the one key they belong to
    lexicon: _Lexicon  # names, aliases and keywords → every key that lists them
    generic: tuple[str, ...] = ()  # words that do not narrow an industry (产业, 企业, 经济 …)

    @cached_property
    def order(self) -> dict[str, int]:
        """Key → position in the file (ties in ``classify`` go to the earlier entry)."""
        return {key: i for i, key in enumerate(self.industries)}

    def get(self, key: str) -> Industry:
        try:
            return self.industries[key]
        except KeyError:
            raise DetectorError(f"行业词表 {self.source.name} 中没有行业 {key}") from None

    def match_core(self, core: str) -> Industry | None:
        """The industry of a name's core: exact alias, else the longest alias inside the core
        (equally long: the rightmost, 建设工程招标投标 → 招标投标), else None. A real industry (or the
        subject of a social group: 网球) beats a non-industry kind named in the same core (食品科学技术 →
        食品, not 学会)."""
        hits = [self.industries[self.aliases.words[a][0]] for a in self.aliases.found(normalize_name(core))]
        return next((i for i in hits if i.kind == INDUSTRY or i.group), hits[0] if hits else None)

    def segment(self, core: str, key: str) -> str:
        """What a name core says beyond its industry ``key``: the runs of characters covered neither by
        the entry's own words (name, aliases, keywords), the names of related entries nor generic words,
        leaving out single characters and runs that are part of an entry word (汽车 in 汽车摩托车配件:
        auto parts are for cars). 出租汽车 in 汽车 → 出租, 体育舞蹈 in 体育 → 舞蹈; 鞋革, 服装服饰,
        眼镜产业, 饭店餐饮 → "" (the industry itself)."""
        text = normalize_name(core)
        ind = self.get(key)
        own = (ind.name, *ind.aliases, *ind.keywords)
        # a related industry named beside it makes a combined field (饭店餐饮), not a narrower segment
        beside = tuple(w for k in ind.related for w in (self.industries[k].name, *self.industries[k].aliases))
        words = _Lexicon.build({w: (key,) for w in (*own, *beside, *self.generic)})
        covered = bytearray(len(text))
        for length, start in words._occurrences(text):
            covered[start : start + length] = b"\x01" * length
        pieces = ["".join(ch for ch, _ in run) for free, run in groupby(zip(text, covered), key=lambda x: not x[1])
                  if free]
        # one stray character (师, 与) is no segment; nor is a run that is part of an entry word
        return "".join(p for p in pieces if len(p) > 1 and not any(p in w for w in own))

    def classify(self, name: str = "", scope: str = "", purpose: str = "", declared: str = "") -> list[IndustryMatch]:
        """Industries of a record, best first; confidences sum to less than 1."""
        text = f"{normalize_text(scope)}；{normalize_text(purpose)}".upper()
        sources = (
            (self.lexicon.scan(normalize_name(name)), _W_NAME, _NAME_SATURATION, _NON_INDUSTRY_IN_NAME),
            (self.lexicon.scan(normalize_text(declared).upper()), _W_DECLARED, _NAME_SATURATION, _NON_INDUSTRY_IN_NAME),
            (self.lexicon.scan(text), _W_TEXT, _TEXT_SATURATION, _NON_INDUSTRY_IN_TEXT),
        )
        scores: dict[str, float] = {}
        evidence: dict[str, dict[str, None]] = {}
        for words, weight, saturation, non_industry in sources:
            credit = self._credit(words, non_industry)
            total = sum(credit.values())
            if not total:
                continue
            budget = weight * min(1.0, total / saturation)
            for key, c in credit.items():
                scores[key] = scores.get(key, 0.0) + budget * c / total
            for word in words:
                for key in self.lexicon.words[word]:
                    evidence.setdefault(key, {})[word] = None
        denominator = sum(scores.values()) + _PRIOR
        order = self.order
        ranked = sorted(scores, key=lambda k: (-scores[k], order[k]))
        return [
            IndustryMatch(self.industries[k], round(scores[k] / denominator, 4), tuple(evidence[k])) for k in ranked
        ]

    def _credit(self, words: list[str], non_industry: float) -> dict[str, float]:
        """Per key: each distinct word counts once, shared equally by the entries listing it."""
        credit: dict[str, float] = {}
        for word in dict.fromkeys(words):
            keys = self.lexicon.words[word]
            for key in keys:
                factor = 1.0 if self.industries[key].kind == INDUSTRY else non_industry
                credit[key] = credit.get(key, 0.0) + factor / len(keys)
        return credit

    def relation(self, a: str | None, b: str | None) -> str:
        """``same`` / ``related`` / ``different``; ``unknown`` when either key is missing or both
        fall under one umbrella kind (two 学会 of unknown fields are not thereby the same)."""
        if not a or not b:
            return UNKNOWN
        first, second = self.get(a), self.get(b)
        if first.key == second.key:
            return UNKNOWN if first.umbrella else SAME
        return RELATED if second.key in first.related else DIFFERENT


# Where an association's industry came from (decide); shown in reasons.
BY_NAME, BY_SCOPE, BY_MEMBERS, BY_SCOPE_AND_MEMBERS = "按名称", "按业务范围", "按会员构成", "按业务范围和会员构成"


@dataclass(frozen=True)
class MemberIndustry:
    """What an association's enterprise members state: the industry most of them name, its share of the
    ``firms`` counted, and every stated industry's share."""

    key: str
    share: float
    firms: int
    shares: dict[str, float]


@dataclass(frozen=True)
class Evidence:
    """Thresholds of :func:`decide` (``evidence_*`` in ``models/policy.toml``)."""

    scope_confidence: float
    scope_margin: float
    member_share: float
    member_min: int
    support_share: float


@dataclass(frozen=True)
class IndustryDecision:
    """An association's industry from all its evidence: key, confidence, source (``BY_*``) and ``doubt``, the
    industry its name gives when the rest contradicts it ("" otherwise)."""

    key: str
    confidence: float
    source: str
    doubt: str = ""


def decide(name_key: str, named: list[IndustryMatch], text: list[IndustryMatch], members: MemberIndustry,
           ev: Evidence) -> IndustryDecision:
    """One industry from the name's (``name_key``), the ranking of name and texts together (``named``), the
    texts' own ranking (scope, purpose, declared industry: ``text``) and the members' (``members``).

    A name's trade stands unless its scope or its members point to another industry and neither supports the
    name's: then that industry, from evidence (scope and members agreeing: at their confidence; else the scope's,
    or the members', at half of it, when it is unrelated to the name's), the name's kept as the doubt; a name
    contradicted only by a related field stands, in doubt, at half its confidence. A name of a constituency across
    trades (总商会, 进出口, 中小企业) always stands. A name without an industry takes the one its scope or its
    members show strongly (both agreeing: the surer), else the best of the
    combined ranking (as before)."""
    trades = [m for m in text if m.industry.kind == INDUSTRY]
    top = trades[0] if trades else None
    # a scope in one field and the fields beside it (旅游 and 导游服务) is about that field: they add to its
    # strength, and only an unrelated field competes with it
    near = {top.industry.key, *top.industry.related} if top is not None else set()
    strength = sum(m.confidence for m in trades if m.industry.key in near)
    runner_up = max((m.confidence for m in trades if m.industry.key not in near), default=0.0)
    scope = top if top is not None and strength >= ev.scope_confidence and \
        strength >= ev.scope_margin * runner_up else None
    firms = members.firms >= ev.member_min and members.share >= ev.member_share and members.key
    member_key = members.key if firms else ""

    def in_text(key: str) -> bool:
        return top is not None and any(m.industry.key == key and m.confidence >= ev.support_share * top.confidence
                                       for m in text)

    def in_members(key: str) -> bool:
        return members.shares.get(key, 0.0) >= ev.support_share

    conf = next((float(m.confidence) for m in named if m.industry.key == name_key), None) if name_key else None
    if conf is not None and taxonomy().get(name_key).kind != INDUSTRY:
        # a constituency across trades (总商会, 进出口, 中小企业): the trades its scope and members name are its own
        return IndustryDecision(name_key, conf, BY_NAME)
    if conf is not None:
        against_scope = scope is not None and scope.industry.key != name_key and not in_text(name_key)
        against_members = bool(member_key) and member_key != name_key and not in_members(name_key)
        if against_scope and against_members and scope.industry.key == member_key:
            return IndustryDecision(member_key, round(min(scope.confidence, members.share), 4), BY_SCOPE_AND_MEMBERS,
                                    name_key)
        if (against_scope or against_members) and not in_text(name_key) and not in_members(name_key):
            # another trade altogether: what the body says it does (its scope), else whom it gathers, at half
            # confidence, the name in doubt; a field beside the name's (五金工具 for 五金): the name, in doubt
            key, evidence_conf, source = (scope.industry.key, scope.confidence, BY_SCOPE) if against_scope else \
                (member_key, members.share, BY_MEMBERS)
            if relation(key, name_key) == DIFFERENT:
                return IndustryDecision(key, round(evidence_conf / 2, 4), source, name_key)
            return IndustryDecision(name_key, round(conf / 2, 4), BY_NAME, name_key)
        return IndustryDecision(name_key, conf, BY_NAME)
    if scope is not None and member_key == scope.industry.key:
        return IndustryDecision(member_key, round(max(scope.confidence, members.share), 4), BY_SCOPE_AND_MEMBERS)
    if scope is not None and (not member_key or scope.confidence >= members.share):
        return IndustryDecision(scope.industry.key, float(scope.confidence), BY_SCOPE)
    if member_key:
        return IndustryDecision(member_key, round(members.share, 4), BY_MEMBERS)
    if named:
        source = BY_SCOPE if any(m.industry.key == named[0].industry.key for m in text) else BY_NAME
        return IndustryDecision(named[0].industry.key, float(named[0].confidence), source)
    return IndustryDecision("", 0.0, "")


def _word_list(data: dict, field: str, source: Path) -> list[str]:
    """A top-level list of words (``generic``, ``neutral``), normalised; absent: none."""
    words = data.get(field, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise DetectorError(f"行业词表 {source.name}：{field} 应为非空字符串列表")
    return [normalize_name(w) for w in words]


def _where(source: Path, index: int, raw: object) -> str:
    key = raw.get("key") if isinstance(raw, dict) else None
    return f"行业词表 {source.name} 第 {index} 个条目" + (f"（{key}）" if isinstance(key, str) else "")


def _strings(raw: dict, field: str, where: str) -> list[str]:
    value = raw.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DetectorError(f"{where}：{field} 应为字符串列表")
    return value


def _words(raw: dict, field: str, where: str, min_length: int) -> tuple[str, ...]:
    words = tuple(dict.fromkeys(normalize_name(w) for w in _strings(raw, field, where)))
    short = [repr(w) for w in words if len(w) < min_length]
    if short:
        raise DetectorError(f"{where}：{field} 中的词至少 {min_length} 个字：{'、'.join(short)}")
    return words


def _parse_entry(raw: object, where: str) -> Industry:
    if not isinstance(raw, dict):
        raise DetectorError(f"{where}：应为 [[industry]] 表")
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise DetectorError(f"{where}：未知字段 {'、'.join(unknown)}（可用字段：{'、'.join(_FIELDS)}）")
    key, name, kind = raw.get("key"), raw.get("name"), raw.get("kind")
    if not isinstance(key, str) or not _KEY.match(key):
        raise DetectorError(f"{where}：key 缺失或格式不对（应为小写英文、数字和下划线）")
    if not isinstance(name, str) or len(normalize_name(name)) < 2:
        raise DetectorError(f"{where}：name 缺失或少于两个字")
    if kind not in (INDUSTRY, NON_INDUSTRY):
        raise DetectorError(f"{where}：kind 应为 {INDUSTRY} 或 {NON_INDUSTRY}，而不是 {kind!r}")
    gbt = tuple(_strings(raw, "gbt", where))
    bad = [code for code in gbt if not _GBT.match(code)]
    if bad:
        raise DetectorError(f"{where}：GB/T 4754 代码应为 2～4 位数字：{'、'.join(bad)}")
    if kind == INDUSTRY and not gbt:
        raise DetectorError(f"{where}：行业条目至少需要一个 GB/T 4754 代码（gbt）")
    umbrella = raw.get("umbrella", False)
    if not isinstance(umbrella, bool):
        raise DetectorError(f"{where}：umbrella 应为 true 或 false")
    group = raw.get("group", "")
    if not isinstance(group, str) or (group and not _KEY.match(group)):
        raise DetectorError(f"{where}：group 应为社会团体类别的 key（小写英文、数字和下划线）")
    return Industry(
        key=key,
        name=normalize_name(name),
        gbt=gbt,
        aliases=_words(raw, "aliases", where, _MIN_ALIAS),
        keywords=_words(raw, "keywords", where, 1),
        related=tuple(dict.fromkeys(_strings(raw, "related", where))),
        kind=kind,
        umbrella=umbrella,
        group=group,
    )


def _social_entries(source: Path, raw: object) -> list[dict]:
    """``[[social]]`` tables (``group`` + ``subjects = {key = [name, alias …]}``) as entry tables: the
    subjects of social groups that are not trade bodies (网球, 书法, 慈善 …), one entry each."""
    if not isinstance(raw, list):
        raise DetectorError(f"行业词表 {source.name}：[[social]] 应为表的数组")
    out = []
    for index, table in enumerate(raw, 1):
        where = f"行业词表 {source.name} 第 {index} 个 [[social]]"
        if not isinstance(table, dict) or set(table) != {"group", "subjects"} or not isinstance(table["subjects"], dict):
            raise DetectorError(f"{where}：应只有 group 和 subjects（key = [名称, 别名…]）两项")
        for key, words in table["subjects"].items():
            if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
                raise DetectorError(f"{where}：{key} 应为非空的词列表（第一个词为名称）")
            out.append({"key": key, "name": words[0], "aliases": words[1:], "kind": NON_INDUSTRY,
                        "group": table["group"]})
    return out


_GBT_FIELDS = ("table", "skip_divisions", "stop", "aliases")


def _curated_codes(curated: dict[str, Industry]) -> dict[str, set[str]]:
    """GB/T code → the curated entries listing it."""
    codes: dict[str, set[str]] = {}
    for ind in curated.values():
        for g in ind.gbt:
            codes.setdefault(g, set()).add(ind.key)
    return codes


def _covering(codes: dict[str, set[str]], code: str) -> str | None:
    """The curated entry a GB/T unit belongs to: the one listing the unit's own code, or the most specific
    group or class code above it (a division code covers only the division: 餐饮业 is 餐饮, but 快餐服务
    is a trade of its own); None when no entry, or several equally specific ones, list it."""
    for g in (code, *(code[:n] for n in (4, 3) if n < len(code))):
        if g in codes:
            keys = codes[g]
            return next(iter(keys)) if len(keys) == 1 else None
    return None


def _gbt_config(source: Path, raw: object) -> tuple[Path, frozenset[str], frozenset[str], dict[str, tuple[str, ...]]]:
    where = f"行业词表 {source.name} 的 [gbt]"
    if not isinstance(raw, dict) or not isinstance(raw.get("table"), str):
        raise DetectorError(f"{where}：应给出 table（行业分类表文件名）")
    unknown = sorted(set(raw) - set(_GBT_FIELDS))
    if unknown:
        raise DetectorError(f"{where}：未知字段 {'、'.join(unknown)}（可用字段：{'、'.join(_GBT_FIELDS)}）")
    skip = frozenset(_strings(raw, "skip_divisions", where))
    stop = frozenset(normalize_name(w) for w in _strings(raw, "stop", where))
    aliases = raw.get("aliases", {})
    if not isinstance(aliases, dict):
        raise DetectorError(f"{where}：aliases 应为「代码 = [别名…]」表")
    extra = {code: _words(aliases, code, f"{where}.aliases", _MIN_ALIAS) for code in aliases}
    seen: dict[str, str] = {}
    for code, words in extra.items():
        for w in words:
            if seen.setdefault(w, code) != code:
                raise DetectorError(f"{where}.aliases：别名「{w}」同时给了 {seen[w]} 和 {code}")
    return source.parent / raw["table"], skip, stop, extra


def _gbt_entries(source: Path, raw: object, curated: dict[str, Industry], generic: frozenset[str]) -> list[Industry]:
    """Vocabulary entries for every division, group and class of GB/T 4754 (``[gbt]`` of the vocabulary).

    A unit a curated entry covers (see :func:`_covering`) adds its words to that entry; any other unit
    becomes an entry ``gbt_<code>`` of its own, related to its enclosing units and to the curated
    entries listing a code above it. Words are the unit's name, the words it gives
    (:func:`detector.gbt.name_words`, less the ``stop`` list and the ``generic`` words: 工程, 服务 …) and
    the curated ``aliases`` of its code.
    Curated words stay on top: a curated entry's name or alias is never taken, nor is one of its
    keywords unless ``aliases`` gives it to a unit (热处理 is a 五金 keyword and the name of a trade). When
    two units give one word, the curated alias of a code wins, then the unit whose name it is, then
    a unit naming one trade over one listing several (豆类 is 豆类种植, not 豆类、油料和薯类种植), then
    the lower code (the producing trade before processing and sale)."""
    path, skip, stop, extra = _gbt_config(source, raw)
    stop |= generic
    units = [u for u in gbt_table.load_units(path) if u.code[:2] not in skip]
    by_code = {u.code: u for u in units}
    known = set(by_code)
    unknown = sorted(set(extra) - known)
    if unknown:
        raise DetectorError(f"行业词表 {source.name} 的 [gbt.aliases]：{'、'.join(unknown)} 不是行业分类表中的代码")
    owner = {w: ind.key for ind in curated.values() for w in (ind.name, *ind.aliases)}
    named = set(owner)
    listed = named | {w for ind in curated.values() for w in ind.keywords}
    codes = _curated_codes(curated)
    key_of: dict[str, str] = {}
    # a unit named like a curated entry is that entry (印刷 in 印刷和记录媒介复制业 is 印刷); a class
    # named like its division or group (1200 其他采矿业) is that unit
    for u in units:
        same = u.parent is not None and by_code[u.parent].name == u.name
        key_of[u.code] = _covering(codes, u.code) or owner.get(u.name) or \
            (key_of[u.parent] if same else f"gbt_{u.code}")
    offers: dict[str, tuple[tuple, str]] = {}  # word → (rank, key)
    for u in units:
        given = [(w, (0,)) for w in extra.get(u.code, ()) if w not in named]
        derived = [(w, (1, w != u.name, len(u.items) > 1, u.code)) for w in gbt_table.name_words(u)
                   if w not in stop and w not in listed]
        for word, rank in given + derived:
            if word not in offers or rank < offers[word][0]:
                offers[word] = (rank, key_of[u.code])
    words: dict[str, list[str]] = {}
    for word, (_, key) in offers.items():
        words.setdefault(key, []).append(word)
    out: dict[str, Industry] = {}
    for u in units:  # a curated entry lists the codes of the units it covers, its own first
        key = key_of[u.code]
        if key in curated:
            ind = out.get(key, curated[key])
            more = [w for w in words.pop(key, ()) if w != ind.name]
            out[key] = replace(ind, gbt=tuple(dict.fromkeys((*ind.gbt, u.code))),
                               aliases=tuple(dict.fromkeys((*ind.aliases, *more))))
            continue
        if key in out:
            out[key] = replace(out[key], gbt=(*out[key].gbt, u.code))
            continue
        above = [key_of[c] for c in (u.parent, u.code[:2]) if c and c in known]
        above += [k for n in range(2, len(u.code) + 1) for k in sorted(codes.get(u.code[:n], ()))]
        # the official title as the name shown (锰矿、铬矿采选); its normalised form is the first alias
        out[key] = Industry(
            key=key, name=u.title, gbt=(u.code,),
            aliases=tuple(dict.fromkeys((u.name, *words.get(key, ())))),
            keywords=(), related=tuple(k for k in dict.fromkeys(above) if k != key), kind=INDUSTRY, curated=False,
        )
    return list(out.values())


@lru_cache(maxsize=8)
def taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate the vocabulary (default ``models/industries.toml``); cached.

    Keys are unique, an alias (or canonical name) belongs to one entry only, related keys
    exist. A broken file raises ``DetectorError`` naming the entry.
    """
    source = Path(path) if path is not None else models_dir() / "industries.toml"
    try:
        with source.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise DetectorError(f"找不到行业词表 {source}") from None
    except tomllib.TOMLDecodeError as e:
        raise DetectorError(f"行业词表 {source.name} 不是有效的 TOML：{e}") from None
    entries = data.get("industry")
    if not isinstance(entries, list) or not entries:
        raise DetectorError(f"行业词表 {source.name} 中没有 [[industry]] 条目")

    entries = entries + _social_entries(source, data.get("social", []))
    parsed: dict[str, tuple[Industry, str]] = {}
    owner: dict[str, str] = {}
    for index, raw in enumerate(entries, 1):
        where = _where(source, index, raw)
        ind = _parse_entry(raw, where)
        if ind.key in parsed:
            raise DetectorError(f"{where}：key {ind.key} 重复（已在 {parsed[ind.key][1]} 中使用）")
        parsed[ind.key] = (ind, where)
        for alias in (ind.name, *ind.aliases):
            other = owner.setdefault(alias, ind.key)
            if other != ind.key:
                raise DetectorError(f"{where}：别名「{alias}」已属于 {other}，一个别名只能对应一个行业")

    for key, (ind, where) in parsed.items():
        for other in ind.related:
            if other not in parsed or other == key:
                raise DetectorError(f"{where}：related 中的 {other} 不是其他条目的 key")
    generic, neutral = (_word_list(data, field, source) for field in ("generic", "neutral"))
    if "gbt" in data:
        curated = {k: ind for k, (ind, _) in parsed.items()}
        for ind in _gbt_entries(source, data["gbt"], curated, frozenset(generic)):
            parsed[ind.key] = (ind, parsed[ind.key][1] if ind.key in parsed else f"行业分类 {ind.gbt[0]}")
            for alias in ind.aliases:  # the name is the official title (锰矿、铬矿采选); its normalised form is an alias
                owner.setdefault(alias, ind.key)
    linked: dict[str, set[str]] = {key: set() for key in parsed}
    for key, (ind, _) in parsed.items():
        for other in ind.related:
            linked[key].add(other)
            linked[other].add(key)

    position = {key: i for i, key in enumerate(parsed)}
    industries = {
        key: replace(ind, related=tuple(sorted(linked[key], key=position.__getitem__)))
        for key, (ind, _) in parsed.items()
    }
    lexicon: dict[str, list[str]] = {}
    for ind in industries.values():
        for word in dict.fromkeys((normalize_name(ind.name), *ind.aliases, *ind.keywords)):
            lexicon.setdefault(word, []).append(ind.key)
    for word, key in owner.items():  # a name or alias is its entry's alone, whoever lists it as a keyword
        if word in lexicon:
            lexicon[word] = [key]
    lexicon.update({w: [] for w in neutral})  # read as one word, credited to none
    return Taxonomy(
        source=source,
        industries=industries,
        aliases=_Lexicon.build({alias: (key,) for alias, key in owner.items()}),
        lexicon=_Lexicon.build({word: tuple(keys) for word, keys in lexicon.items()}),
        generic=tuple(generic),
    )


def get(key: str) -> Industry:
    """The industry with this key; ``DetectorError`` if there is none."""
    return taxonomy().get(key)


def all_industries() -> tuple[Industry, ...]:
    """All entries (industries and non-industry kinds), in file order."""
    return tuple(taxonomy().industries.values())


def match_core(core: str) -> Industry | None:
    """The industry of an association name's core: 鞋革 → 鞋业, 汽车销售 → 汽车销售, 网商 → 电子商务."""
    return taxonomy().match_core(core)


def classify(name: str = "", scope: str = "", purpose: str = "", declared: str = "") -> list[IndustryMatch]:
    """Ranked industries of a record from its name, declared industry, scope and purpose."""
    return taxonomy().classify(name, scope, purpose, declared)


def relation(a: str | None, b: str | None) -> str:
    """How two industry keys relate: same / related / different / unknown."""
    return taxonomy().relation(a, b)


@lru_cache(maxsize=65536)
def segment(core: str, key: str) -> str:
    """What a name core adds to its industry: 出租汽车 in 汽车 → 出租 (see ``Taxonomy.segment``)."""
    return taxonomy().segment(core, key) if core and key else ""


def jieba_words() -> list[tuple[str, int]]:
    """(word, frequency) for every canonical name, alias and keyword, for the jieba dictionary."""
    return [(word, JIEBA_FREQ) for word in taxonomy().lexicon.words]
