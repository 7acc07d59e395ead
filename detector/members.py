"""Memberships, in one place: one member table per registry (or application batch), built once.

Every consumer (profiles' member sets, the policy rules, the study's survivor and coverage figures, the
report's county views, the workbench's shared members) asks this table, so each of these has one
definition:

- a **member** of an association is identified by its *key*: the credit code when known (also via another
  row with the same normalised name), else the normalised name; a member listed twice counts once;
- a **leader** is a member row whose role is 副会长-or-above (``leader_roles`` in ``models/policy.toml``)
  and that names the person holding it;
- a **person** is identified by the optional ``person_id``, else by name + the enterprise member they represent
  (its key); a person known only by name (an individual member without a code) has no identity: posts that
  only a name links are namesakes to be checked (同名待核实), never one person;
- **member sales** are the known annual sales of an association's distinct enterprise members;
- **county coverage** is the set of county-level units (adcodes) its members are registered in;
- a **leader post** is a member row whose role is 副会长-or-above (an enterprise holds it through its
  representative, named or not);
- the **stated industries** of an enterprise member are those its name clearly states
  (``non_industry_member_*`` in ``models/policy.toml``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import industry, regions
from .names import ENTERPRISE, guess_member_kind
from .policy import settings
from .regions import Division
from .text import normalize_name

_TEXT_COLUMNS = ("association_id", "member_name", "member_norm", "member_id", "member_kind", "member_region",
                 "role", "person", "person_id")


class Member(NamedTuple):
    """One membership row, as every rule sees it."""

    name: str  # as written
    key: str  # identity across the registry (credit code, else normalised name)
    norm: str  # normalised name
    kind: str  # 企业 / 个人 (guessed from the name when not given)
    region: str  # member_region as written
    place: str  # adcode of the deepest division member_region names ("" when none)
    county: str  # adcode of its county-level unit ("" when none)
    role: str
    person: str  # the post holder's name, normalised ("" when none)
    sales: float  # annual sales (万元); NaN when unknown


class Post(NamedTuple):
    """A 副会长-or-above post."""

    aid: str  # association id
    person: str  # the holder's name, normalised
    holder: str  # the holder's identity (``pid:…`` or ``name@member key``); "" when only the name is known
    rank: int  # index of the role in ``leader_roles`` (0 = highest)
    member: str  # the member the holder represents, as written


def texts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as stripped texts, "" when missing or absent (vectorised: a registry has ~300,000 rows)."""
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[column].astype("string").fillna("").str.strip().to_numpy(dtype=object)


def amounts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A numeric column (numbers or numeric text with thousands separators) as floats; NaN when unknown."""
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[column]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(pd.Series(texts(frame, column)).str.replace(",", "", regex=False),
                         errors="coerce").to_numpy(dtype=float)


def _per_value(values: np.ndarray, fn: Callable[[str], str]) -> np.ndarray:
    """``fn`` applied once per distinct value (member names and places repeat across a registry)."""
    if not len(values):
        return np.array([], dtype=object)
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    return np.array([fn(u) for u in uniques], dtype=object)[inverse]


def _keys(norms: np.ndarray, codes: np.ndarray, vocabulary: Mapping[str, str] | None) -> np.ndarray:
    """Per row: ``id:<code>`` when the row or another row of the same name gives a code, else ``nm:<name>``.
    With another registry's ``vocabulary`` a member takes the key that registry gives it."""
    code_of: dict[str, str] = {}
    for name, code in zip(norms.tolist(), codes.tolist()):
        if code:
            code_of.setdefault(name, code)
    found = [code or code_of.get(name, "") for name, code in zip(norms.tolist(), codes.tolist())]
    keys = [f"id:{c}" if c else f"nm:{name}" for name, c in zip(norms.tolist(), found)]
    if vocabulary:
        keys = [(code and vocabulary.get(f"c:{code}")) or vocabulary.get(f"n:{name}") or key
                for name, code, key in zip(norms.tolist(), codes.tolist(), keys)]
    return np.array(keys, dtype=object)


@dataclass(frozen=True)
class MemberTable:
    """One row per membership row (input order), as column arrays; build it with :func:`member_table`."""

    aid: np.ndarray  # association id
    name: np.ndarray
    key: np.ndarray
    norm: np.ndarray
    code: np.ndarray  # credit code as given, upper case ("" when none)
    kind: np.ndarray
    region: np.ndarray
    place: np.ndarray
    county: np.ndarray
    role: np.ndarray
    person: np.ndarray
    sales_column: np.ndarray  # annual sales (万元), float, NaN when unknown
    person_key: np.ndarray  # the post holder's identity ("pid:…" or "name@member key"), "" when only a name

    def __len__(self) -> int:
        return len(self.aid)

    @cached_property
    def _rows(self) -> dict[str, np.ndarray]:
        """Association id → its row positions, input order."""
        if not len(self):
            return {}
        order = np.argsort(self.aid, kind="stable")
        ids, starts = np.unique(self.aid[order], return_index=True)
        return dict(zip(ids.tolist(), np.split(order, starts[1:]), strict=True))

    @cached_property
    def first_rows(self) -> np.ndarray:
        """True on the first row of each (association, member): a member listed twice counts once."""
        owner = pd.factorize(self.aid, use_na_sentinel=False)[0]
        key, keys = pd.factorize(self.key, use_na_sentinel=False)
        return ~pd.Series(owner * max(len(keys), 1) + key).duplicated().to_numpy()  # on codes: no string copies

    def of(self, ids: Iterable[str]) -> np.ndarray:
        """Per row: it belongs to one of the associations ``ids`` (hash lookup, fast on 300,000 rows)."""
        return pd.Series(self.aid, dtype=object).isin(set(ids)).to_numpy()

    def rows(self, aid: str, *, distinct: bool = False) -> np.ndarray:
        rows = self._rows.get(aid, np.array([], dtype=int))
        return rows[self.first_rows[rows]] if distinct else rows

    def members(self, aid: str, *, distinct: bool = False) -> list[Member]:
        """An association's membership rows (``distinct``: the first row of each member)."""
        columns = [getattr(self, "sales_column" if f == "sales" else f) for f in Member._fields]
        return [Member(*(c[r] for c in columns)) for r in self.rows(aid, distinct=distinct).tolist()]

    def associations(self) -> list[str]:
        """The association ids with at least one membership row."""
        return list(self._rows)

    # ---------------------------------------------------------------------------------- per association

    def key_sets(self, ids: Iterable[str]) -> list[frozenset[str]]:
        """Each association's member keys, in the order of ``ids``."""
        return [frozenset(self.key[self.rows(a)].tolist()) for a in ids]

    @cached_property
    def leader_posts(self) -> np.ndarray:
        """Per row: the role is 副会长-or-above (``leader_roles``), whoever holds it."""
        return np.isin(self.role, list(settings()["leader_roles"]))

    @cached_property
    def _leader_rows(self) -> np.ndarray:
        return self.leader_posts & (self.person != "")

    @cached_property
    def _name_of_key(self) -> dict[str, str]:
        return dict(zip(self.key[::-1].tolist(), self.name[::-1].tolist()))  # the first row of a key wins

    def name_of(self, key: str) -> str:
        """A member's name as first written (the key itself when unknown)."""
        return self._name_of_key.get(key, key)

    def credit_code(self, key: str) -> str:
        """The credit code a member key stands for ("" when it is keyed by name)."""
        return key[3:] if key.startswith("id:") else ""

    @staticmethod
    def ident(key: str) -> str:
        """A member key as shown to people: the credit code, else the normalised name."""
        return key[3:]

    @cached_property
    def stated(self) -> dict[str, tuple[str, ...]]:
        """Normalised name of each enterprise member → the industries its name clearly states, best first
        (empty when unclear)."""
        names = dict.fromkeys(self.norm[self.kind == ENTERPRISE].tolist())
        return {n: stated_industries(n) for n in names}

    def leader_sets(self, ids: Iterable[str]) -> list[frozenset[str]]:
        """Each association's leaders (副会长-or-above post holders, normalised names), in the order of ``ids``."""
        lead = self._leader_rows
        return [frozenset(self.person[r[lead[r]]].tolist()) for r in (self.rows(a) for a in ids)]

    def posts(self, ids: Iterable[str]) -> list[Post]:
        """The leader posts of the associations in ``ids`` (in that order): one per association and holder (or,
        for holders known only by name, per association and name), its best rank."""
        rank_of = {r: i for i, r in enumerate(settings()["leader_roles"])}
        out: list[Post] = []
        for aid in ids:
            rows = self.rows(aid)
            best: dict[tuple[str, str], Post] = {}
            for r in rows[self._leader_rows[rows]].tolist():
                post = Post(aid, self.person[r], self.person_key[r], rank_of[self.role[r]], self.name[r])
                key = (post.person, post.holder)
                if key not in best or post.rank < best[key].rank:
                    best[key] = post
            out.extend(best.values())
        return out

    def distinct_rows(self, ids: Iterable[str]) -> np.ndarray:
        """Rows of the associations in ``ids`` taken together, the first row of each member only."""
        ids = list(ids)
        if len(ids) == 1:
            return self.rows(ids[0], distinct=True)
        rows = np.concatenate([self.rows(a) for a in ids] or [np.array([], dtype=int)])
        return rows[np.sort(np.unique(self.key[rows], return_index=True)[1])] if len(rows) else rows

    def counties(self, ids: Iterable[str]) -> set[str]:
        """County coverage: the county-level units (adcodes) the members of ``ids`` are registered in."""
        rows = np.concatenate([self.rows(a) for a in ids] or [np.array([], dtype=int)])
        return set(self.county[rows].tolist()) - {""}

    def sales(self, ids: Iterable[str]) -> tuple[int, float | None]:
        """Member sales of ``ids`` (one association, or a merger's together): the number of distinct
        enterprise members and their known annual sales summed (None when none is known)."""
        rows = self.distinct_rows(ids)
        firms = rows[self.kind[rows] == ENTERPRISE]
        values = self.sales_column[firms]
        known = values[~np.isnan(values)]
        return len(firms), (float(known.sum()) if len(known) else None)


def member_table(memberships: pd.DataFrame | None, home: Division | None,
                 vocabulary: Mapping[str, str] | None = None) -> MemberTable:
    """The member table of a memberships frame (FORMAT.md columns, missing optional columns allowed).

    ``vocabulary``: another registry's :func:`vocabulary` when keying an application batch's members, so
    a member matches the registry's record of it whichever side left out the credit code.
    """
    m = memberships if memberships is not None else pd.DataFrame(columns=list(_TEXT_COLUMNS))
    col = {c: texts(m, c) for c in _TEXT_COLUMNS}
    norm = col["member_norm"]
    if not len(norm) or (norm == "").any():
        norm = np.where(norm == "", _per_value(col["member_name"], normalize_name), norm).astype(object)
    kind = np.where(col["member_kind"] == "", _per_value(norm, guess_member_kind), col["member_kind"]).astype(object)
    code = np.char.upper(col["member_id"].astype(str)).astype(object) if len(m) else col["member_id"]
    place = _per_value(col["member_region"], _memo_region(home, regions.region_code))
    county = _per_value(col["member_region"], _memo_region(home, regions.county_code))
    key = _keys(norm, code, vocabulary)
    person = _per_value(col["person"], normalize_name)
    return MemberTable(
        aid=col["association_id"], name=col["member_name"], key=key, norm=norm,
        code=code, kind=kind, region=col["member_region"], place=place, county=county, role=col["role"],
        person=person, sales_column=amounts(m, "annual_sales"),
        person_key=_person_keys(person, col["person_id"], key, kind, code),
    )


@lru_cache(maxsize=1)
def _stated_settings() -> tuple[float, frozenset[str]]:
    cfg = settings()
    ignore = frozenset(normalize_name(w) for w in cfg["non_industry_member_ignore"])
    return cfg["non_industry_member_confidence"], ignore


_STATED: dict[str, tuple[str, ...]] = {}  # lexicon word sequence → stated industries (classify depends on nothing else)


def stated_industries(name: str) -> tuple[str, ...]:
    """The industries an enterprise name (normalised) clearly states: its best match is sure, of kind
    industry and not only a vague word (``non_industry_member_ignore``); all its industry matches, best
    first. Empty when unclear."""
    words = "\x1f".join(industry.taxonomy().lexicon.scan(name))
    if words not in _STATED:
        _STATED[words] = _classify_stated(name)
    return _STATED[words]


def _classify_stated(name: str) -> tuple[str, ...]:
    confidence, ignore = _stated_settings()
    matches = industry.classify(name=name)
    if not matches:
        return ()
    top = matches[0]
    if top.confidence < confidence or top.industry.kind != industry.INDUSTRY or set(top.evidence) <= ignore:
        return ()
    return tuple(x.industry.key for x in matches if x.industry.kind == industry.INDUSTRY)


def _person_keys(person: np.ndarray, person_id: np.ndarray, key: np.ndarray, kind: np.ndarray,
                 code: np.ndarray) -> np.ndarray:
    """Per row, who holds the post: ``pid:<person_id>`` when given, else ``<name>@<member key>`` when the member
    is an enterprise or has a code (one name at one enterprise is one person), else "" (only a name)."""
    pid = _per_value(person_id, normalize_name)
    return np.array([
        "" if not p else f"pid:{i}" if i else f"{p}@{k}" if (t == ENTERPRISE or c) else ""
        for p, i, k, t, c in zip(person.tolist(), pid.tolist(), key.tolist(), kind.tolist(), code.tolist())
    ], dtype=object)


def _memo_region(home: Division | None, fn: Callable[[str, Division | None], str]) -> Callable[[str], str]:
    @lru_cache(maxsize=None)
    def resolve(value: str) -> str:
        return fn(value, home) if value else ""

    return resolve


def vocabulary(table: MemberTable) -> dict[str, str]:
    """How a registry keys its members, by credit code (``c:…``) and by normalised name (``n:…``)."""
    out: dict[str, str] = {}
    for name, code, key in zip(table.norm.tolist(), table.code.tolist(), table.key.tolist()):
        if code:
            out.setdefault(f"c:{code}", key)
        out.setdefault(f"n:{name}", key)
    return out
