"""Per-association profiles: parsed name, region, industry, texts, embeddings and member sets.

Everything the pair features need, computed once per registry (and per application batch).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from . import regions
from .embed import Embedder
from .industry import BY_NAME, Evidence, IndustryDecision, MemberIndustry, classify, decide, get as get_industry, segment
from .members import MemberTable, member_table
from .names import ENTERPRISE, OUT_OF_TOWN, PERSON, TRADE, infer_home, parse_name
from .policy import INACTIVE, RESEARCH_TYPES, settings
from .regions import Division, resolve_region
from .text import cell, normalize_text, split_items
from .tfidf import Tfidf
from .tokens import tokenize

def _cells(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as a list of texts ("" when the column is absent)."""
    return [cell(v) for v in frame[column].to_numpy(dtype=object)] if column in frame.columns else [""] * len(frame)


@dataclass
class Profiles:
    """Profiles of a set of associations; row ``i`` of every array is ``frame.iloc[i]``."""

    frame: pd.DataFrame
    core_vec: np.ndarray
    desc_vec: np.ndarray
    member_table: MemberTable  # their memberships: the one source of member facts
    members: list[frozenset[str]]  # member keys, per row
    leaders: list[frozenset[str]]  # 副会长-or-above post holders, per row
    services: list[frozenset[str]]
    tfidf: sparse.csr_matrix  # jieba-token TF-IDF of scope + purpose + services, rows L2-normalised
    vectorizer: Tfidf
    home: Division | None
    row_of: dict[str, int] = field(init=False)
    cache: dict = field(init=False, default_factory=dict, repr=False)  # derived lookup tables (blocking)

    def __post_init__(self) -> None:
        self.row_of = {i: k for k, i in enumerate(self.frame["id"])}

    def __len__(self) -> int:
        return len(self.frame)

    def column(self, name: str) -> np.ndarray:
        """A frame column as a numpy array (cached; cheap to index row by row)."""
        key = ("column", name)
        if key not in self.cache:
            self.cache[key] = self.frame[name].to_numpy(dtype=object)
        return self.cache[key]

    def row(self, i: int, columns: tuple[str, ...]) -> dict:
        return {c: self.column(c)[i] for c in columns}

    def derived(self, key: tuple, build: Callable[[], Any]) -> Any:
        """A lookup table derived from the profiles, built once (a registry is screened against many times)."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]

    def nonzero_rows(self, attr: str) -> np.ndarray:
        """Per row, its ``attr`` vector is not all zeros (a text that was empty)."""
        return self.derived(("nonzero", attr), lambda: (getattr(self, attr) != 0).any(axis=1))

    def take(self, rows: np.ndarray) -> "Profiles":
        """The profiles of ``rows`` (in that order), sharing the member table, vocabulary and home region."""
        pick = rows.tolist()
        return Profiles(self.frame.iloc[rows].reset_index(drop=True), self.core_vec[rows], self.desc_vec[rows],
                        self.member_table, [self.members[i] for i in pick], [self.leaders[i] for i in pick],
                        [self.services[i] for i in pick], self.tfidf[rows], self.vectorizer, self.home)

    def set_sizes(self, attr: str) -> np.ndarray:
        """Per row, the size of its ``attr`` set (members, leaders, services)."""
        return self.derived(("sizes", attr), lambda: np.fromiter(map(len, getattr(self, attr)), dtype=np.int64,
                                                                 count=len(self)))


def _parse_row(name: str, region_value: object, type_value: object, home: Division | None) -> dict:
    p = parse_name(name, home)
    region = resolve_region(region_value, home) or (regions.by_code(p.region_code) if p.region_code else None)
    typ = normalize_text(type_value) or p.type or ""
    if p.origin and typ != OUT_OF_TOWN and typ in {"商会", "联合会", "促进会", ""}:
        typ = OUT_OF_TOWN
    # a declared 学会/研究会 or 异地商会 says the kind; otherwise the name does (网球协会: sports)
    kind = "academic" if typ in RESEARCH_TYPES else "out_of_town" if typ == OUT_OF_TOWN else p.kind
    return {
        "name_norm": p.normalized,
        "region_name": region.name if region else "",
        "region_code": region.code if region else "",
        "region_level": region.level if region else "",
        "eff_type": typ,
        "org_form": p.org_form or "",
        "industry_core": p.industry_core,
        "origin": p.origin or "",
        "origin_code": p.origin_code or "",
        "origin_level": p.origin_level or "",
        "origin_province": p.origin_province or "",
        "name_industry": p.industry or "",
        "audience": p.audience,
        "kind": kind or ("trade" if normalize_text(type_value) else ""),
        "town": p.town,
        "branch_of": p.branch_of or "",
        # 一业一会 applies to associations: a name with an organisation form (or a declared type),
        # not a school, hospital or centre, nor a unit-internal body, nor a branch of another body
        "eligible": bool(p.org_form or normalize_text(type_value)) and not p.affiliated and not p.branch_of,
    }


@lru_cache(maxsize=1)
def _evidence() -> Evidence:
    cfg = settings()
    return Evidence(cfg["evidence_scope_confidence"], cfg["evidence_scope_margin"], cfg["evidence_member_share"], cfg["evidence_member_min"],
                    cfg["evidence_support_share"])


def _industry(name: str, scope: str, purpose: str, declared: str, name_industry: str,
              members: MemberIndustry) -> IndustryDecision:
    """The industry from all the evidence (:func:`detector.industry.decide`)."""
    named = classify(name=name, scope=scope, purpose=purpose, declared=declared)
    text = classify(scope=scope, purpose=purpose, declared=declared) if scope or purpose or declared else []
    return decide(name_industry, named, text, members, _evidence())


def _member_evidence(table: MemberTable, aid: str) -> tuple[MemberIndustry, float, int]:
    """What an association's distinct members say: the industries its enterprise members' names state
    (best first, each member once), the share of individual members and the number of members."""
    rows = table.rows(aid, distinct=True)
    kinds = table.kind[rows]
    firms = table.norm[rows[kinds == ENTERPRISE]].tolist()
    stated = table.stated
    best = Counter(stated[n][0] for n in firms if stated.get(n))
    listed = Counter(k for n in firms for k in dict.fromkeys(stated.get(n, ())))
    key, count = best.most_common(1)[0] if best else ("", 0)
    total = max(1, len(firms))
    people = float((kinds == PERSON).sum()) / max(1, len(rows))
    return MemberIndustry(key, count / total, len(firms), {k: c / total for k, c in listed.items()}), people, len(rows)


def _nature(kind: str, people: float, n: int, name: str, purpose: str, scope: str) -> tuple[str, str]:
    """A trade-named body whose members are mostly individuals and whose name, purpose or scope is a club's
    or a professional body's is of that kind (``nature_*`` in ``models/policy.toml``); returns (kind, source)."""
    cfg = settings()
    if kind != TRADE or n < cfg["nature_member_min"] or people < cfg["nature_person_share"]:
        return kind, ""
    charter, named = normalize_text(f"{purpose}。{scope}"), normalize_text(name)
    for nature in ("fellowship", "professional"):
        words = cfg[f"nature_{nature}_words"]
        if any(w in charter for w in words):
            return nature, "按会员构成和宗旨"
        if any(w in named for w in words):
            return nature, "按会员构成和名称"
    return kind, ""


def _tfidf(docs: list[str], vectorizer: Tfidf | None) -> tuple[sparse.csr_matrix, Tfidf]:
    if vectorizer is None:
        # a names-only registry has no tokens: one placeholder term keeps the vocabulary non-empty
        vectorizer = Tfidf.fit(docs if any(docs) else ["_"])
    return vectorizer.transform(docs), vectorizer


def build_profiles(associations: pd.DataFrame, memberships: pd.DataFrame | None, embedder: Embedder,
                   home: Division | None = None, vectorizer: Tfidf | None = None,
                   known_members: Mapping[str, str] | None = None) -> Profiles:
    """Profiles for ``associations`` (FORMAT.md columns; missing optional columns allowed).

    To profile applications against a registry, pass the registry profiles' ``home`` and ``vectorizer``
    and the registry's member :func:`~detector.members.vocabulary` as ``known_members`` (so a member
    matches the registry's record of it whether the application or the registry left out its credit code).
    """
    text = {c: _cells(associations, c) for c in ("name", "region", "type", "industry", "scope", "purpose", "services",
                                                  "status")}
    ids = _cells(associations, "id")
    if home is None:
        home = infer_home(text["name"] + [r for r in text["region"] if r])
    parsed = [_parse_row(n, r, t, home) for n, r, t in zip(text["name"], text["region"], text["type"])]
    columns = parsed[0] if parsed else _parse_row("", "", "", None)
    data: dict[str, list] = {"id": ids, **text, **{k: [p[k] for p in parsed] for k in columns}}
    table = member_table(memberships, home, known_members)
    members, leaders = table.key_sets(ids), table.leader_sets(ids)
    evidence = [_member_evidence(table, a) for a in ids]
    industries = [_industry(*args, ev) for args, (ev, _, _) in
                  zip(zip(text["name"], text["scope"], text["purpose"], text["industry"], data["name_industry"]),
                      evidence)]
    data["industry_key"] = [d.key for d in industries]
    data["industry_conf"] = [d.confidence for d in industries]
    data["industry_source"] = [d.source for d in industries]
    data["industry_doubt"] = [d.doubt for d in industries]  # the name's industry that scope and members contradict
    data["member_industry"] = [ev.key if ev.share >= _evidence().member_share and ev.firms >= _evidence().member_min
                               else "" for ev, _, _ in evidence]
    natures = [_nature(k, people, n, na, pu, sc) for k, (_, people, n), na, pu, sc in
               zip(data["kind"], evidence, text["name"], text["purpose"], text["scope"])]
    data["kind"] = [k for k, _ in natures]
    data["kind_source"] = [src for _, src in natures]
    # blocking on industry needs a specific subject: umbrella kinds (学术团体, 异地商会) group unlike bodies
    # what a name core adds to its industry (出租汽车 within 汽车): a segment, not the same industry; a name
    # whose industry came from elsewhere says nothing of a segment (温州市瓯越联合会: 瓯越 is a brand)
    data["core_segment"] = [segment(c, k) if src == BY_NAME else "" for c, k, src in
                            zip(data["industry_core"], data["industry_key"], data["industry_source"])]
    data["block_industry"] = [k if k and not get_industry(k).umbrella else "" for k in data["industry_key"]]
    data["active"] = [normalize_text(s) not in INACTIVE for s in text["status"]]
    data["is_research"] = [t in RESEARCH_TYPES for t in data["eff_type"]]
    data["out_of_town"] = [t == OUT_OF_TOWN or bool(o) for t, o in zip(data["eff_type"], data["origin"])]
    data["desc"] = [normalize_text(f"{s}。{p}".strip("。")) for s, p in zip(text["scope"], text["purpose"])]
    # what name similarity compares: the industry core, else the origin place, else the whole name
    data["core_text"] = [c or o or n for c, o, n in zip(data["industry_core"], data["origin"], data["name_norm"])]
    data["n_members"] = [len(m) for m in members]
    rest = associations.drop(columns=[c for c in data if c in associations.columns]).reset_index(drop=True)
    frame = pd.concat([rest, pd.DataFrame(data)], axis=1) if len(rest.columns) else pd.DataFrame(data)
    texts = [f"{d} {s}" for d, s in zip(data["desc"], text["services"])]
    cache = getattr(embedder, "cache", None)  # any object with encode() can embed
    docs = cache.tokenized(texts) if cache else [" ".join(tokenize(t)) for t in texts]
    tfidf, vectorizer = _tfidf(docs, vectorizer)
    return Profiles(
        frame=frame,
        core_vec=embedder.encode(data["core_text"]),
        desc_vec=embedder.encode(data["desc"]),
        member_table=table,
        members=members,
        leaders=leaders,
        services=[frozenset(split_items(s)) for s in text["services"]],
        tfidf=tfidf,
        vectorizer=vectorizer,
        home=home,
    )
