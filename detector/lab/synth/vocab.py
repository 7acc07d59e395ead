"""The generator's vocabulary (``vocab.toml``): industries, organisation forms, firms, persons, texts, noise.

It is independent of the detector's own taxonomy (``models/industries.toml``, :mod:`detector.names`), so a
scorer trained on generated data is not simply learning the detector's word lists back.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ... import regions
from ...errors import DetectorError


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
    silent: dict[str, tuple[str, ...]]  # brands, misleading words, broad / club / professional forms

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
    """The generator's vocabulary (``vocab.toml`` next to this module by default)."""
    p = Path(path) if path else Path(__file__).with_name("vocab.toml")
    with p.open("rb") as f:
        t = tomllib.load(f)
    keys = {row["key"] for row in t["industry"]}
    related: dict[str, list[str]] = {k: [] for k in sorted(keys)}
    for row in t["industry"]:  # symmetric relation
        for other in row.get("related", []):
            if other not in keys:
                raise DetectorError(f"{p.name}：{row['key']} 的相关行业 {other} 不存在")
            for a, b in ((row["key"], other), (other, row["key"])):
                if b not in related[a]:
                    related[a].append(b)
    for mod in t["forms"]["modifiers"] + t["silent"]["brands"]:
        if regions.lookup(mod) is not None:  # 新兴 is 新兴县: the name would read as a 异地商会
            raise DetectorError(f"{p.name}：修饰词 {mod} 是地名")
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
    concepts = {name: _concepts(c[name]) for name in ("generic", "academic", "origin", "general", "club", "professional")}
    for row in t["industry"]:
        concepts["ind:" + row["key"]] = _concepts(row["scope"])
    for name in ("common", "industry", "academic", "origin", "general", "club", "professional"):
        concepts["p_" + name] = _concepts(pu[name])
    openings = {k: tuple(pu["openings_" + k]) for k in ("industry", "academic", "origin", "general", "club",
                                                        "professional")}
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
        silent={k: tuple(v) for k, v in t["silent"].items()},
    )
