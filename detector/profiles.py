"""Per-association profiles: parsed name, region, industry, texts, embeddings and member sets.

Everything the pair features need, computed once per registry (and per application batch).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from . import regions
from .embed import Embedder
from .industry import classify, get as get_industry
from .names import OUT_OF_TOWN, infer_home, parse_name
from .paths import models_dir
from .regions import Division
from .text import normalize_name, normalize_text, split_items, tokenize

INACTIVE = frozenset({"注销", "撤销"})
RESEARCH_TYPES = frozenset({"研究会", "学会"})
CITY_LEVEL_WORDS = ("市本级", "本级", "市级", "市直")


@lru_cache(maxsize=1)
def policy() -> dict:
    """Policy settings from ``models/policy.toml``."""
    with (models_dir() / "policy.toml").open("rb") as f:
        return tomllib.load(f)


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
        m = regions.match_prefix(text, place or home)
        if m is None or (place is not None and not regions.contains(place, m[0])):
            break
        place, text = m[0], text[len(m[1]):]
    return place


def member_keys(memberships: pd.DataFrame) -> pd.Series:
    """One key per membership row: the credit code when known (also via another row with the
    same normalised name), else the normalised member name."""
    names = memberships["member_norm"] if "member_norm" in memberships else memberships["member_name"].map(normalize_name)
    ids = memberships.get("member_id", pd.Series("", index=memberships.index)).fillna("").astype(str).str.strip().str.upper()
    known = pd.Series(ids.values, index=names.values)
    known = known[known != ""]
    by_name = known[~known.index.duplicated()]
    filled = ids.where(ids != "", names.map(by_name).astype(object).fillna(""))
    return ("id:" + filled).where(filled != "", "nm:" + names)


@dataclass
class Profiles:
    """Profiles of a set of associations; row ``i`` of every array is ``frame.iloc[i]``."""

    frame: pd.DataFrame
    core_vec: np.ndarray
    desc_vec: np.ndarray
    members: list[frozenset[str]]
    leaders: list[frozenset[str]]
    services: list[frozenset[str]]
    tfidf: sparse.csr_matrix  # jieba-token TF-IDF of scope + purpose + services, rows L2-normalised
    vectorizer: TfidfVectorizer
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


def _parse_row(name: str, region_value: object, type_value: object, home: Division | None) -> dict:
    p = parse_name(name, home)
    region = resolve_region(region_value, home) or (regions.by_code(p.region_code) if p.region_code else None)
    typ = normalize_text(type_value) or p.type or ""
    if p.origin and typ != OUT_OF_TOWN and typ in {"商会", "联合会", "促进会", ""}:
        typ = OUT_OF_TOWN
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
        # 一业一会 applies to associations: a name with an organisation form (or a declared type),
        # not a school, hospital or centre, nor a unit-internal body
        "eligible": bool(p.org_form or normalize_text(type_value)) and not p.affiliated,
    }


def _industry(row: pd.Series) -> tuple[str, float]:
    matches = classify(name=row["name"], scope=row["scope"], purpose=row["purpose"], declared=row["industry"])
    if row["name_industry"]:
        for m in matches:
            if m.industry.key == row["name_industry"]:
                return m.industry.key, float(m.confidence)
    return (matches[0].industry.key, float(matches[0].confidence)) if matches else ("", 0.0)


def _sets_by_association(ids: pd.Series, keys: pd.Series, order: pd.Series) -> list[frozenset[str]]:
    grouped = pd.Series(keys.values, index=ids.values).groupby(level=0).agg(frozenset)
    empty: frozenset[str] = frozenset()
    return [grouped.get(i, empty) for i in order]


def _tfidf(docs: list[str], vectorizer: TfidfVectorizer | None) -> tuple[sparse.csr_matrix, TfidfVectorizer]:
    if vectorizer is None:
        vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
        # a names-only registry has no tokens; an empty vocabulary would make sklearn fail
        vectorizer.fit(docs if any(docs) else ["_"])
    return vectorizer.transform(docs).tocsr(), vectorizer


def build_profiles(associations: pd.DataFrame, memberships: pd.DataFrame | None, embedder: Embedder,
                   home: Division | None = None, vectorizer: TfidfVectorizer | None = None) -> Profiles:
    """Profiles for ``associations`` (FORMAT.md columns; missing optional columns allowed).

    Pass the ``home`` and ``vectorizer`` of a registry's profiles to profile applications against it.
    """
    df = associations.copy()
    for col in ("region", "type", "industry", "scope", "purpose", "services", "status"):
        if col not in df:
            df[col] = ""
        df[col] = df[col].fillna("").astype(str)
    df["id"] = df["id"].astype(str)
    if home is None:
        home = infer_home(list(df["name"]) + [r for r in df["region"] if r])
    parsed = pd.DataFrame(
        [_parse_row(n, r, t, home) for n, r, t in zip(df["name"], df["region"], df["type"])], index=df.index
    )
    df = pd.concat([df.drop(columns=[c for c in parsed.columns if c in df]), parsed], axis=1)
    ind = df.apply(_industry, axis=1, result_type="expand")
    df["industry_key"], df["industry_conf"] = ind[0], ind[1]
    # blocking on industry needs a specific subject: umbrella kinds (学术团体, 异地商会) group unlike bodies
    df["block_industry"] = [k if k and not get_industry(k).umbrella else "" for k in df["industry_key"]]
    df["active"] = ~df["status"].map(normalize_text).isin(INACTIVE)
    df["is_research"] = df["eff_type"].isin(RESEARCH_TYPES)
    df["out_of_town"] = (df["eff_type"] == OUT_OF_TOWN) | (df["origin"] != "")
    df["desc"] = [normalize_text(f"{s}。{p}".strip("。")) for s, p in zip(df["scope"], df["purpose"])]
    # what name similarity compares: the industry core, else the origin place, else the whole name
    df["core_text"] = [c or o or n for c, o, n in zip(df["industry_core"], df["origin"], df["name_norm"])]

    members: list[frozenset[str]]
    leaders: list[frozenset[str]]
    if memberships is not None and len(memberships):
        ms = memberships.copy()
        ms["association_id"] = ms["association_id"].astype(str)
        ms["_key"] = member_keys(ms)
        members = _sets_by_association(ms["association_id"], ms["_key"], df["id"])
        roles = ms.get("role", pd.Series("", index=ms.index)).fillna("").astype(str)
        persons = ms.get("person", pd.Series("", index=ms.index)).fillna("").map(normalize_name)
        lead = roles.isin(policy()["leader_roles"]) & (persons != "")
        leaders = _sets_by_association(ms.loc[lead, "association_id"], persons[lead], df["id"])
    else:
        members = [frozenset()] * len(df)
        leaders = [frozenset()] * len(df)
    df["n_members"] = [len(m) for m in members]
    services = [frozenset(split_items(s)) for s in df["services"]]
    texts = [f"{d} {s}" for d, s in zip(df["desc"], df["services"])]
    cache = getattr(embedder, "cache", None)  # any object with encode() can embed
    docs = cache.tokenized(texts) if cache else [" ".join(tokenize(t)) for t in texts]
    tfidf, vectorizer = _tfidf(docs, vectorizer)
    return Profiles(
        frame=df.reset_index(drop=True),
        core_vec=embedder.encode(list(df["core_text"])),
        desc_vec=embedder.encode(list(df["desc"])),
        members=members,
        leaders=leaders,
        services=services,
        tfidf=tfidf,
        vectorizer=vectorizer,
        home=home,
    )
