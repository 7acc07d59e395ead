"""Record duplicates: one body listed twice in a registry, or applying again (FORMAT.md ``record_duplicate``).

Two rows are taken for one body when their **body keys** are equal: the name's distinctive parts and its
organisation form, leaving out what does not tell one body from another —

- the region prefix, written or not, short or full (湘潭 / 湘潭市); regions are compared on their own:
  the same region, or one row without any, or (for bodies outside 一业一会 such as schools) nested regions;
- legal-form words of a unit's name (湘潭钢铁公司 / 湘潭钢铁集团有限公司, ``[body] legal_forms`` in
  ``models/names.toml``) and the generic 行业 before the form (电力行业协会 / 电力协会);
- brackets, spacing, punctuation and traditional characters (:func:`detector.text.normalize_name`);

or when one row's name is the other's former name (``former_names``, 曾用名). 学会 and 协会, a city body and
a county body, two origins or two campuses (幼儿园（科大园） / 幼儿园（杉山园）) keep different keys.

Unlike 一业一会 duplicates — two bodies that should merge, the scorer's business — a record duplicate is one
body recorded twice: it is reported as a finding on the extra record, never as a merger group, and applies to
every kind of organisation (schools, hospitals and unit-internal bodies included). Two 一业一会 bodies that
both carry a valid 统一社会信用代码 (or a founding date) and differ in it are two legal entities, not one
record: they stay with the merger study. Matching is by hashing the keys (no pairwise comparison beyond rows
that share one), so a 100,000-row registry costs one pass.
"""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from . import regions
from .names import parse_name
from .paths import models_dir
from .policy import RECORD_DUPLICATE, SEVERITY
from .profiles import Profiles
from .regions import Division
from .rules import Finding
from .text import cell, normalize_name, split_items

MAX_BLOCK = 64  # rows of one key compared pairwise at most; beyond, only what keeps a pass linear
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 统一社会信用代码 (GB 32100-2015) character set
_CODE_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_CODE = re.compile(rf"^[{CODE_CHARS}]{{18}}$")


# ------------------------------------------------------------------------------------------- keys


@lru_cache(maxsize=1)
def _legal_forms() -> re.Pattern[str]:
    with (models_dir() / "names.toml").open("rb") as f:
        words = tomllib.load(f)["body"]["legal_forms"]
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def strip_legal_forms(text: str) -> str:
    """A unit name without its legal-form words: 湘潭钢铁集团有限公司职工技术 → 湘潭钢铁职工技术."""
    return _legal_forms().sub("", text) or text  # a text that is only such a word stays itself


def body_key(core: str, form: str, origin_code: str, name_norm: str) -> str:
    """The body key of a parsed name (industry core, organisation form, origin adcode, normalised name)."""
    distinctive = strip_legal_forms(core) if core else ""
    form = form.removeprefix("行业") if form.startswith("行业") and len(form) > 2 else form
    if not (distinctive or form or origin_code):
        return f"={name_norm}"
    return f"{origin_code}|{distinctive}|{form}"


def name_key(name: str, home: Division | None) -> str:
    """The body key of a name as written (a branch's key holds its parent's: two bodies' 女鞋分会 differ)."""
    q = parse_name(name, home)
    key = body_key(q.industry_core, q.org_form or "", q.origin_code or "", q.normalized)
    return f"{key}<{name_key(q.branch_of, home)}" if q.branch_of else key


def _row_keys(frame: pd.DataFrame, home: Division | None) -> list[str]:
    """Body keys of a profiled frame's rows (each distinct parse computed once)."""
    columns = [frame[c].astype(str).tolist() if c in frame.columns else [""] * len(frame)
               for c in ("industry_core", "org_form", "origin_code", "name_norm", "branch_of")]
    memo: dict[tuple, str] = {}
    out = []
    for parts in zip(*columns):
        if parts not in memo:
            key = body_key(*parts[:4])
            memo[parts] = f"{key}<{name_key(parts[4], home)}" if parts[4] else key
        out.append(memo[parts])
    return out


def is_credit_code(text: str) -> bool:
    """A well-formed 统一社会信用代码: 18 characters of the code set with a valid check character."""
    if not _CODE.match(text):
        return False
    total = sum(CODE_CHARS.index(ch) * w for ch, w in zip(text[:17], _CODE_WEIGHTS))
    return CODE_CHARS[(31 - total % 31) % 31] == text[17]


# ------------------------------------------------------------------------------------------ index


@dataclass(frozen=True)
class _Entry:
    row: int
    former: str  # "" for the row's current name, else the former name (as written) the key comes from


def _index(p: Profiles) -> dict[str, list[_Entry]]:
    """Body key → the active rows having it under their current or a former name (built once per profiles)."""
    if ("records", "index") in p.cache:
        return p.cache[("records", "index")]
    active = p.column("active") if "active" in p.frame.columns else np.ones(len(p), dtype=bool)
    index: dict[str, list[_Entry]] = defaultdict(list)
    for row, key in enumerate(_row_keys(p.frame, p.home)):
        if active[row]:
            index[key].append(_Entry(row, ""))
    if "former_names" in p.frame.columns:
        for row, text in enumerate(p.column("former_names")):
            if not active[row]:
                continue
            for name in split_items(cell(text)):
                index[name_key(name, p.home)].append(_Entry(row, name))
    p.cache[("records", "index")] = dict(index)
    return p.cache[("records", "index")]


# ------------------------------------------------------------------------------------------ links


@dataclass(frozen=True)
class Link:
    """Row ``a`` (left) and row ``b`` (right) are one body."""

    a: int
    b: int
    certain: bool  # same known region (or a former name), and nothing shows two entities
    former: str = ""  # the former name that links them ("" when the current names do)
    former_of: str = ""  # "a" / "b": whose former name it is
    note: str = ""  # why it is only likely (Chinese)


def _place(p: Profiles, row: int) -> str:
    name = cell(p.column("region_name")[row]) if "region_name" in p.frame.columns else ""
    return name or "未写"


def _where(p: Profiles, row: int) -> tuple[str, str]:
    """A row's registration region: (adcode, town or street of a city without counties, "" when none); read
    once per row."""
    where = p.derived(("records", "where"), dict)
    if row not in where:
        town = cell(p.column("town")[row]) if "town" in p.frame.columns else ""
        where[row] = cell(p.column("region_code")[row]), town
    return where[row]


def _place_key(p: Profiles, row: int) -> str:
    code, town = _where(p, row)
    return f"{code}|{town}" if town else code


def _region_link(left: Profiles, a: int, right: Profiles, b: int) -> tuple[bool, bool, str]:
    """(compatible, certain, note) of two rows' registration regions (a town of a city without counties
    is a region of its own, inside its city)."""
    (ra, ta), (rb, tb) = _where(left, a), _where(right, b)
    if ra and (ra, ta) == (rb, tb):
        return True, True, ""
    if not ra or not rb:
        return True, False, "一方未写登记区域，请核实"
    if ra == rb:  # one city, another town (or the city itself)
        nested = not ta or not tb
    else:
        da, db = regions.by_code(ra), regions.by_code(rb)
        nested = da is not None and db is not None and (regions.contains(da, db) or regions.contains(db, da))
    outside = not (_eligible(left, a) or _eligible(right, b))  # 一业一会 scopes a body to its own region
    if nested and outside:
        return True, False, f"登记区域为上下级（{_place(left, a)} / {_place(right, b)}），请核实"
    return False, False, ""


def _eligible(p: Profiles, row: int) -> bool:
    return "eligible" in p.frame.columns and bool(p.column("eligible")[row])


def _entity_marks(p: Profiles, row: int) -> tuple[str, str]:
    """(credit code, founding date) that identify the legal entity of a row ("" when unknown or not a code);
    read once per row (a row of a common name is compared with many)."""
    marks = p.derived(("records", "marks"), dict)
    if row not in marks:
        code = cell(p.column("id")[row]).upper()
        founded = cell(p.column("founded")[row]) if "founded" in p.frame.columns else ""
        marks[row] = (code if is_credit_code(code) else ""), founded
    return marks[row]


def _two_entities(p: Profiles, a: int, b: int) -> bool:
    """Both rows carry a credit code (or a founding date) and they differ: two registered entities."""
    (ca, fa), (cb, fb) = _entity_marks(p, a), _entity_marks(p, b)
    return bool(ca and cb and ca != cb) or bool(fa and fb and fa != fb)


def _link(left: Profiles, x: _Entry, right: Profiles, y: _Entry, *, same: bool) -> Link | None:
    """The link of two entries sharing a key, or None when their regions (or entities) tell them apart.
    ``same``: both rows are of one registry, where two distinct credit codes or founding dates are two entities."""
    if x.former and y.former:
        return None  # two bodies once named alike are not thereby one
    ok, certain, note = _region_link(left, x.row, right, y.row)
    if not ok:
        return None
    former, whose = (x.former, "a") if x.former else (y.former, "b") if y.former else ("", "")
    if former:
        certain, note = True, ""  # a body's own former name identifies it even where a region was left out
    if same and _two_entities(left, x.row, y.row):
        if _eligible(left, x.row) and _eligible(left, y.row):
            return None  # two legal entities of one industry: the merger study's business
        certain, note = False, "两条记录的统一社会信用代码或成立日期不同，请核实是否重复登记"
    return Link(x.row, y.row, certain, former, whose, note)


def _candidates(entries: list[_Entry], p: Profiles) -> Iterable[tuple[_Entry, _Entry]]:
    """Pairs of one key's entries whose regions may make them one body: the same region (each with the first
    when many: same-region links are transitive), a row without region with every other row of a key that is
    not common, and (for bodies outside 一业一会, :func:`_region_link` decides) a city with its counties."""
    by_region: dict[str, list[_Entry]] = defaultdict(list)
    for e in entries:
        by_region[_place_key(p, e.row)].append(e)
    for code, block in by_region.items():
        if code:
            yield from combinations(block, 2) if len(block) <= MAX_BLOCK else ((block[0], e) for e in block[1:])
    if len(entries) <= MAX_BLOCK:
        yield from combinations(by_region.get("", []), 2)
        yield from ((x, y) for x in by_region.get("", []) for code, block in by_region.items() if code for y in block)
    for code, block in by_region.items():
        if code.endswith("00") and not code.endswith("0000"):  # a prefecture-level city and its counties
            inner = [e for c, b in by_region.items() if c != code and c.startswith(code[:4]) for e in b]
            if len(block) * len(inner) <= MAX_BLOCK:
                yield from ((x, y) for x in block for y in inner)


def links_within(p: Profiles) -> list[Link]:
    """Record-duplicate links between rows of one registry (or one application batch), ``a < b``."""
    out: dict[tuple[int, int], Link] = {}
    for entries in _index(p).values():
        if len(entries) < 2:
            continue
        for x, y in _candidates(entries, p):
            if x.row == y.row:
                continue
            if x.row > y.row:
                x, y = y, x
            link = _link(p, x, p, y, same=True)
            if link is not None and ((x.row, y.row) not in out or link.certain > out[(x.row, y.row)].certain):
                out[(x.row, y.row)] = link
    return [out[k] for k in sorted(out)]


def links_across(left: Profiles, right: Profiles) -> dict[int, list[Link]]:
    """Left row (an application) → its links to right rows (the registry), certain ones first."""
    index, mine = _index(right), _index(left)
    out: dict[int, dict[int, Link]] = defaultdict(dict)
    for key, entries in mine.items():
        for x in entries:
            for y in index.get(key, ()):
                link = _link(left, x, right, y, same=False)
                if link is not None and (y.row not in out[x.row] or link.certain > out[x.row][y.row].certain):
                    out[x.row][y.row] = link
    return {a: sorted(links.values(), key=lambda k: (not k.certain, k.b)) for a, links in out.items() if links}


# ------------------------------------------------------------------------------------- components


class _Sets:
    """Union-find over row numbers."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def record_sets(links: list[Link]) -> list[list[int]]:
    """Rows that are one body, each set in row order (≥ 2 rows).

    Certain links join freely; a likely link (a region missing on one side) joins only when each of its rows
    has likely links into one set alone, so a row without a region never glues two regions' bodies together.
    """
    sets = _Sets()
    for k in links:
        if k.certain:
            sets.union(k.a, k.b)
    likely = [k for k in links if not k.certain]
    targets: dict[int, set[int]] = defaultdict(set)
    for k in likely:
        targets[k.a].add(sets.find(k.b))
        targets[k.b].add(sets.find(k.a))
    for k in likely:
        if len(targets[k.a]) == 1 and len(targets[k.b]) == 1:
            sets.union(k.a, k.b)
    members: dict[int, list[int]] = defaultdict(list)
    for row in sorted({r for k in links for r in (k.a, k.b)}):
        members[sets.find(row)].append(row)
    return [rows for rows in members.values() if len(rows) >= 2]


def _primary(rows: list[int], links: list[Link]) -> int:
    """The record to keep: not the holder of an old name (another row lists its name as a former name), else the
    first in registry order."""
    old = {k.a if k.former_of == "b" else k.b for k in links if k.former}
    return min(rows, key=lambda r: (r in old, r))


# ------------------------------------------------------------------------------------ differences


def _prefix_length(norm: str, home: Division | None) -> int:
    """Length of the place names opening a normalised name (湖南省湘潭市…: 6)."""
    n = 0
    while (m := regions.match_prefix(norm[n:], home)) is not None:
        n += len(m[1])
    return n


def _shown(x: str, y: str) -> str:
    return f"「{x or '无'}」/「{y or '无'}」"


def differences(name_a: str, name_b: str, home: Division | None) -> list[str]:
    """How two names of one body differ, in Chinese: 地区前缀「湘潭」/「湘潭市」, 法律形式用语「公司」/「集团有限公司」…"""
    na, nb = normalize_name(name_a), normalize_name(name_b)
    if na == nb:
        return [] if name_a.strip() == name_b.strip() else ["写法（繁简、空格、括号或标点）"]
    la, lb = _prefix_length(na, home), _prefix_length(nb, home)
    out = [f"地区前缀{_shown(na[:la], nb[:lb])}"] if na[:la] != nb[:lb] else []
    ra, rb = na[la:], nb[lb:]
    legal = _legal_forms()
    sa, sb = legal.sub("", ra), legal.sub("", rb)
    if ra != rb and (sa != ra or sb != rb) and sa.replace("行业", "") == sb.replace("行业", ""):
        out.append(f"法律形式用语{_shown(''.join(legal.findall(ra)), ''.join(legal.findall(rb)))}")
        ra, rb = sa, sb
    if ra != rb and ra.replace("行业", "") == rb.replace("行业", ""):
        out.append("“行业”字样")
    elif ra != rb:
        out += [f"名称用字{_shown(ra[i1:i2], rb[j1:j2])}"
                for op, i1, i2, j1, j2 in SequenceMatcher(None, ra, rb, autojunk=False).get_opcodes() if op != "equal"]
    return out


# --------------------------------------------------------------------------------------- findings


def _finding(aid: str, message: str, **evidence: object) -> Finding:
    return Finding(aid, RECORD_DUPLICATE, SEVERITY[RECORD_DUPLICATE], message, evidence)


def reason(p: Profiles, a: int, q: Profiles, b: int, link: Link | None) -> tuple[str, dict]:
    """Why row ``a`` of ``p`` and row ``b`` of ``q`` are one body (Chinese), and the evidence for it.
    ``link`` joins them (oriented either way), None when only their set does."""
    na, nb = cell(p.column("name")[a]), cell(q.column("name")[b])
    diffs = differences(na, nb, p.home)
    former = link.former if link is not None else ""
    note = link.note if link is not None else ""
    if former:
        holder_is_a = (link.former_of == "a") == (link.a == a)  # whose former name it is
        holder, other = (na, nb) if holder_is_a else (nb, na)
        written = "" if normalize_name(former) == normalize_name(other) else f"（曾用名记为「{former}」）"
        text = f"「{other}」是「{holder}」的曾用名{written}"
    elif diffs:
        text = "名称仅" + "、".join(diffs) + "不同"
    else:
        text = "名称相同"
    text += f"（{note}）" if note else ""
    certain = bool(link is not None and link.certain)
    return text, {"differences": diffs, "former_name": former, "certain": certain, "note": note}


def _between(links: list[Link]) -> dict[frozenset[int], Link]:
    return {frozenset((k.a, k.b)): k for k in links}


def study_findings(p: Profiles, links: list[Link] | None = None) -> tuple[list[Finding], list[list[str]]]:
    """Findings on a registry's extra records (one per record, naming the one to keep) and the sets of ids that
    are one body (the kept record first)."""
    links = links_within(p) if links is None else links
    by_pair = _between(links)
    ids, names = p.column("id"), p.column("name")
    findings, sets = [], []
    sets_of = record_sets(links)
    set_of = {r: n for n, rows in enumerate(sets_of) for r in rows}
    inner: dict[int, list[Link]] = defaultdict(list)
    for k in links:
        if k.a in set_of and set_of[k.a] == set_of.get(k.b):
            inner[set_of[k.a]].append(k)
    for n, rows in enumerate(sets_of):
        keep = _primary(rows, inner[n])
        others = [r for r in rows if r != keep]
        sets.append([cell(ids[r]) for r in [keep, *others]])
        for r in others:
            why, evidence = reason(p, r, p, keep, by_pair.get(frozenset((r, keep))))
            also = [cell(names[o]) for o in others if o != r]
            more = f"；同一组织另有记录：{'、'.join(also)}" if also else ""
            lead = "" if evidence["certain"] else "可能"
            findings.append(_finding(cell(ids[r]), f"{lead}与「{names[keep]}」（{ids[keep]}）为同一组织的重复记录：{why}{more}",
                                     same_as=cell(ids[keep]), same_as_name=cell(names[keep]),
                                     ids=[cell(ids[x]) for x in rows], **evidence))
    return findings, sets


def application_findings(apps: Profiles, registry: Profiles, across: dict[int, list[Link]],
                         within: list[Link]) -> dict[str, list[Finding]]:
    """Application id → its record_duplicate findings: the same body already registered, or applying twice in
    the batch (every application of such a set gets one, naming the others)."""
    out: dict[str, list[Finding]] = defaultdict(list)
    ids, names = apps.column("id"), apps.column("name")
    for a, links in across.items():
        for link in links:
            why, evidence = reason(apps, a, registry, link.b, link)
            rid, rname = cell(registry.column("id")[link.b]), cell(registry.column("name")[link.b])
            tail = "属同一组织再次申请登记" if link.certain else "可能属同一组织再次申请登记，请核实"
            out[cell(ids[a])].append(_finding(cell(ids[a]), f"与已登记的「{rname}」（{rid}）为同一组织：{why}；{tail}",
                                              same_as=rid, same_as_name=rname, registered=True, **evidence))
    by_pair = _between(within)
    for rows in record_sets(within):
        for r in rows:
            for o in (o for o in rows if o != r):
                why, evidence = reason(apps, r, apps, o, by_pair.get(frozenset((r, o))))
                out[cell(ids[r])].append(_finding(cell(ids[r]), f"与同批申请「{names[o]}」（{ids[o]}）为同一组织：{why}；同一组织重复申请",
                                                  same_as=cell(ids[o]), same_as_name=cell(names[o]), registered=False,
                                                  **evidence))
    return dict(out)
