"""The member pool: enterprises (name, credit code, place, industry, sales, legal person) and individuals."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ... import regions
from ...errors import DetectorError
from ...regions import Division
from .associations import Assoc
from .codes import unique_codes
from .geo import Geo, short_is_unambiguous
from .slots import ACAD, IND, ORIG
from .style import Style
from .vocab import Vocab


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


def build_firms(vocab: Vocab, geo: Geo, style: Style, assocs: list[Assoc], rng: np.random.Generator) -> Firms:
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
    codes = unique_codes(rng, "91", admin, ma_share=0.45)
    if kind_92.any():  # 个体工商户 (商行、经营部) carry 92
        codes[kind_92] = unique_codes(rng, "92", admin[kind_92], ma_share=0.6)
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
