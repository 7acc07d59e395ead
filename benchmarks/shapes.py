"""Registries of other shapes for the speed benchmark, made by transforming the standard generated one.

Embedding a text costs 15–50 ms here (cold), so no shape writes new scopes or purposes: every shape reuses the
standard registry's texts (the embedding cache serves them) and changes what costs nothing to embed — regions,
members, post holders, member counts. Where a shape changes what is embedded (a 异地商会's origin is its name core)
the new texts are few (provinces) and are embedded in the benchmark's prepare stage.

- ``standard``: the generated 温州市 registry as it is (59 % 异地商会, 31 memberships per association);
- ``national``: each duplicate group moved to one of China's county-level units (city-level bodies to its
  prefecture), names and regions rewritten, members registered in the new prefecture's counties;
- ``shared_pool``: ``national``, with every membership drawn from one pool of enterprises (Pareto-weighted:
  some are members of hundreds of associations in every province), each enterprise holding its posts through its
  legal representative, named from ~1,200 common names (Zipf-weighted);
- ``common_names``: ``standard`` with named post holders: each enterprise's representative drawn from ~1,200
  common names (Zipf: the commonest name holds posts in thousands of associations);
- ``skewed``: one association with 5,000 members, 60 % of the others cut to 3;
- ``origin_half``: 5,000 异地商会 (half the registry) re-drawn over the 31 provinces (Zipf), so one region holds
  up to a hundred chambers of one origin (large same-origin blocks and groups);
- ``names_only``: ids and names only (no memberships, no texts).

Above 10,000 associations the standard registry is tiled: copy ``k`` is moved to another prefecture (names,
regions, member codes and member regions rewritten), so its texts — each used ``n / 10,000`` times — are all
cache hits. That is honest about speed and memory but not about meaning: the copies' scopes are alike.
"""
from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
import pandas as pd

from detector import regions
from detector.io.write import write_files
from detector.text import normalize_name

SHAPES = ("standard", "national", "shared_pool", "common_names", "skewed", "origin_half", "names_only")
BASE_N = 10_000
_LEADERS = ("会长", "常务副会长", "副会长")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志"


def _home() -> regions.Division:
    return regions.lookup("温州市")


def _counties() -> list[regions.Division]:
    """China's county-level units under a prefecture (Hong Kong, Macao, Taiwan left out)."""
    return [d for d in regions.divisions() if d.level == regions.COUNTY and d.prefecture
            and not regions.hong_kong_macao_taiwan(d) and regions.prefecture_of(d) is not None]


def common_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` person names drawn Zipf-weighted from 30 surnames × (30 one-character + 10 two-character) given names."""
    given = list(_GIVEN) + [a + b for a, b in zip(_GIVEN[::3], _GIVEN[1::3])]
    names = np.array([s + g for s in _SURNAMES for g in given])
    names = names[rng.permutation(len(names))]
    weights = 1.0 / np.arange(1, len(names) + 1)
    return rng.choice(names, n, p=weights / weights.sum())


# ------------------------------------------------------------------------------------------ geography


def _split_prefix(names: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per name: the 温州 division its region prefix names (None when none) and the rest of the name."""
    home = _home()
    places, rests = [], []
    for raw in names.tolist():
        text, place = normalize_name(raw), None
        while (m := regions.match_prefix(text, place or home)) is not None and (
                place is None or regions.contains(place, m[0])):
            place, text = m[0], text[len(m[1]):]
        places.append(place)
        rests.append(text)
    return np.array(places, dtype=object), np.array(rests, dtype=object)


def _relocate(a: pd.DataFrame, m: pd.DataFrame, pref: np.ndarray, county: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Move association ``k`` to prefecture ``pref[k]`` (city-level bodies) or county ``county[k]`` (county
    bodies; None: the home county's rank among the new prefecture's units). Names, regions and member regions are
    rewritten; member codes take the new prefecture's adcode (the same firm in two prefectures is two firms)."""
    home = _home()
    units = regions.county_units(home)
    rank = {d.code: r for r, d in enumerate(units)}
    places, rests = _split_prefix(a["name"])
    region_of = {}
    new_region = []
    for k, (place, p, c) in enumerate(zip(places, pref, county)):
        declared = regions.resolve_region(a["region"].iat[k], home) if "region" in a else None
        where = declared or place or home
        if where.level == regions.COUNTY:
            target = c or regions.county_units(p)[rank.get(where.code, 0) % len(regions.county_units(p))]
            text = f"{p.name}{target.name}" if target.name != p.name else p.name
        else:
            text = p.name
        region_of[a["id"].iat[k]] = p
        new_region.append(text)
    a = a.assign(name=[r + rest for r, rest in zip(new_region, rests)], region=new_region)
    pref_of_row = m["association_id"].map(region_of)
    written = m["member_region"].fillna("")
    member_place = written.map({v: rank.get(getattr(regions.resolve_region(v, home), "code", ""), 0)
                                for v in written.unique()})
    unit_lists = {p.code: regions.county_units(p) for p in region_of.values()}
    m = m.assign(member_region=[f"{p.name}{unit_lists[p.code][r % len(unit_lists[p.code])].name}"
                                if unit_lists[p.code] else p.name for p, r in zip(pref_of_row, member_place)])
    if "member_id" in m:
        codes = m["member_id"].fillna("").astype(str)
        m = m.assign(member_id=[c[:2] + p.code + c[8:] if len(c) == 18 else c for c, p in zip(codes, pref_of_row)])
    return a, m


def national(a: pd.DataFrame, m: pd.DataFrame, groups: pd.Series, rng: np.random.Generator):
    counties = _counties()
    labels = a["id"].map(groups).fillna(a["id"])
    codes, group_index = np.unique(labels.to_numpy(dtype=str), return_inverse=True)
    picked = rng.integers(0, len(counties), len(codes))[group_index]
    county = np.array([counties[k] for k in picked], dtype=object)
    pref = np.array([regions.prefecture_of(c) for c in county], dtype=object)
    return _relocate(a, m, pref, county)


def tile(a: pd.DataFrame, m: pd.DataFrame, groups: pd.Series, copies: int, rng: np.random.Generator):
    """``copies`` copies of the registry, copy 0 where it is, copy ``k`` moved to another prefecture."""
    prefectures = [d for d in regions.divisions() if d.level == regions.PREFECTURE and regions.county_units(d)
                   and d.code != _home().code and not regions.hong_kong_macao_taiwan(d)]
    chosen = rng.choice(len(prefectures), copies - 1, replace=False)
    parts_a, parts_m, parts_g = [a], [m], [groups]
    for k, p in enumerate(chosen, start=1):
        pref = np.full(len(a), prefectures[p], dtype=object)
        ca, cm = _relocate(a, m, pref, np.full(len(a), None, dtype=object))
        suffix = f"-{k}"
        parts_a.append(ca.assign(id=ca["id"] + suffix))
        parts_m.append(cm.assign(association_id=cm["association_id"] + suffix,
                                 member_name=prefectures[p].short + cm["member_name"]))
        parts_g.append(pd.Series(groups.to_numpy(), index=groups.index + suffix) + suffix)
    return pd.concat(parts_a, ignore_index=True), pd.concat(parts_m, ignore_index=True), pd.concat(parts_g)


# ------------------------------------------------------------------------------------------ members


def _with_representatives(m: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Posts (会长, 常务副会长, 副会长) held through each enterprise's representative, one common name per enterprise."""
    firm = m["member_id"].fillna("").where(lambda c: c != "", m["member_name"])
    keys, index = np.unique(firm.to_numpy(dtype=str), return_inverse=True)
    person = common_names(rng, len(keys))[index]
    lead = m["role"].isin(_LEADERS).to_numpy()
    return m.assign(person=np.where(lead, person, ""))


def shared_pool(a: pd.DataFrame, m: pd.DataFrame, groups: pd.Series, rng: np.random.Generator):
    a, m = national(a, m, groups, rng)
    firms = m[m["member_kind"] == "企业"].drop_duplicates("member_name")[["member_name", "member_id", "member_region"]]
    pool = firms.sample(n=max(1, len(m) // 5), replace=len(firms) < len(m) // 5, random_state=1).reset_index(drop=True)
    weights = rng.pareto(3.0, len(pool)) + 1.0
    pick = rng.choice(len(pool), len(m), p=weights / weights.sum())
    m = m.assign(member_name=pool["member_name"].to_numpy()[pick], member_id=pool["member_id"].to_numpy()[pick],
                 member_region=pool["member_region"].to_numpy()[pick], member_kind="企业")
    m = m.drop_duplicates(["association_id", "member_name"])
    return a, _with_representatives(m, rng)


def skewed(a: pd.DataFrame, m: pd.DataFrame, rng: np.random.Generator):
    counts = m["association_id"].value_counts()
    big = counts.index[0]
    small = set(rng.choice(counts.index[1:].to_numpy(), int(0.6 * (len(counts) - 1)), replace=False))
    rank = m.groupby("association_id").cumcount()
    keep = ~m["association_id"].isin(small) | (rank < 3)
    others = m[(m["association_id"] != big) & (m["member_kind"] == "企业")].drop_duplicates("member_name")
    extra = others.sample(n=min(len(others), 5000 - int(counts.iloc[0])), random_state=2).assign(
        association_id=big, role="会员")
    return a, pd.concat([m[keep], extra], ignore_index=True)


def origin_half(a: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    provinces = [d for d in regions.divisions() if d.level == regions.PROVINCE and not regions.hong_kong_macao_taiwan(d)]
    chambers = np.flatnonzero((a["type"] == "异地商会").to_numpy())
    chosen = rng.choice(chambers, min(len(chambers), len(a) // 2), replace=False)
    places, _ = _split_prefix(a["name"].iloc[chosen])
    weights = 1.0 / np.arange(1, len(provinces) + 1)
    origin = rng.choice(len(provinces), len(chosen), p=weights / weights.sum())
    names = a["name"].to_numpy(dtype=object).copy()
    names[chosen] = [f"{(p or _home()).name}{provinces[o].short}商会" for p, o in zip(places, origin)]
    return a.assign(name=names)


# ------------------------------------------------------------------------------------------ making


def _read(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.Series]:
    read = lambda f: pd.read_csv(folder / f, dtype=str, keep_default_na=False, encoding="utf-8-sig")  # noqa: E731
    groups = read("labels/groups.csv")
    return (read("registry/associations.csv"), read("registry/memberships.csv"), read("registry/industry_stats.csv"),
            pd.Series(groups["group"].to_numpy(), index=groups["id"]))


def make(shape: str, base: Path, n: int, workdir: Path) -> Path:
    """The registry folder of ``shape`` at ``n`` associations (made from ``base``, the standard generated registry
    of ``min(n, 10,000)`` associations; reused when made from the same base)."""
    if shape == "standard" and n <= BASE_N:
        return base / "registry"
    stamp = hashlib.sha1((base / "generator.sha1").read_bytes() + Path(__file__).read_bytes()).hexdigest()
    folder = workdir / f"{shape}-{n}"
    if (folder / "shape.sha1").is_file() and (folder / "shape.sha1").read_text() == stamp:
        return folder / "registry"
    rng = np.random.default_rng(SHAPES.index(shape) + 1)
    a, m, stats, groups = _read(base)
    if n > len(a):
        a, m, groups = tile(a, m, groups, math.ceil(n / len(a)), rng)
        a = a.iloc[:n]
        m = m[m["association_id"].isin(set(a["id"]))]
    files = {}
    if shape == "national":
        a, m = national(a, m, groups, rng)
    elif shape == "shared_pool":
        a, m = shared_pool(a, m, groups, rng)
    elif shape == "common_names":
        m = _with_representatives(m, rng)
    elif shape == "skewed":
        a, m = skewed(a, m, rng)
    elif shape == "origin_half":
        a = origin_half(a, rng)
    if shape == "names_only":
        a = a[["id", "name"]]
    else:
        files[folder / "registry" / "memberships.csv"] = m.to_csv(index=False, lineterminator="\n")
        if shape in ("standard", "common_names", "skewed", "origin_half"):
            files[folder / "registry" / "industry_stats.csv"] = stats.to_csv(index=False, lineterminator="\n")
    files[folder / "registry" / "associations.csv"] = a.to_csv(index=False, lineterminator="\n")
    files[folder / "shape.sha1"] = stamp
    write_files(files)
    return folder / "registry"
