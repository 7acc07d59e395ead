"""The FORMAT.md tables (associations, memberships, industry_stats) with health fields, noise and dropped columns."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd

from ...io import ASSOCIATIONS, COLUMNS, ENTERPRISE, INDUSTRY_STATS, MEMBERSHIPS, PERSON, REQUIRED, ROLES
from .associations import Assoc, Builder
from .config import Rates, SynthConfig
from .firms import Firms
from .geo import Geo, short_is_unambiguous
from .noise import noisy_name, traditional, typo
from .render import render_purpose, render_scope
from .slots import IND
from .style import pick
from .vocab import Vocab

# The missing-columns noise never drops these from the registry: status is how a registry marks
# 注销/撤销 bodies, and without it a dissolved body would read as an active duplicate.
KEPT_REGISTRY_COLUMNS = REQUIRED[ASSOCIATIONS] + ("status",)


def _dates(days: np.ndarray) -> list[str]:
    return [str(d) for d in np.datetime64("1970-01-01") + days.astype("timedelta64[D]")]


def _health(assocs: list[Assoc], vocab: Vocab, config: SynthConfig, rng: np.random.Generator,
            rnd: random.Random) -> dict[str, list[str]]:
    n = len(assocs)
    as_of = int((np.datetime64(config.as_of) - np.datetime64("1970-01-01")).astype(int))
    founded = as_of - rng.integers(365, 38 * 365, size=n)
    term = rng.choice([5, 4, 3], size=n, p=[0.85, 0.08, 0.07])
    overdue = rng.random(n) < 0.08
    since = np.where(overdue, (term + rng.uniform(0.2, 4.0, size=n)) * 365.25, rng.uniform(0.05, 0.98, size=n) * term * 365.25)
    election = np.maximum(as_of - since.astype(int), founded)
    staff = np.where(rng.random(n) < 0.08, 0, 1 + rng.poisson(2.0, size=n))
    office = np.where(rng.random(n) < 0.06, "否", "是")
    funding = [("" if rnd.random() < 0.06 else pick(rnd, vocab.funding)) for _ in range(n)]
    insp = rng.choice(["合格", "基本合格", "不合格", "未参检"], size=n, p=[0.78, 0.1, 0.05, 0.07])
    party = np.where(rng.random(n) < 0.15, rng.integers(0, 3, size=n), 3 + rng.poisson(4.0, size=n))
    out = {
        "founded": _dates(founded), "status": [a.status for a in assocs],
        "staff_fulltime": [str(x) for x in staff], "has_office": list(office), "funding": funding,
        "last_election": _dates(election), "term_years": [str(x) for x in term],
        "inspection": [("未参检" if not a.active else str(x)) for a, x in zip(assocs, insp)],
        "party_members": [str(x) for x in party],
    }
    for i, a in enumerate(assocs):
        if a.app:  # not yet registered: nothing to report on elections or inspections
            for col in ("founded", "status", "last_election", "inspection"):
                out[col][i] = ""
    return out


def association_frame(assocs: list[Assoc], b: Builder, rates: Rates, config: SynthConfig,
                       rng: np.random.Generator, rnd: random.Random) -> pd.DataFrame:
    geo, vocab = b.geo, b.vocab
    rows: dict[str, list[str]] = {c: [] for c in COLUMNS[ASSOCIATIONS]}
    for a in assocs:
        rows["id"].append(a.id)
        rows["name"].append(noisy_name(a, geo, rates, rnd))
        region = geo.regions[a.region]
        r = rnd.random()
        short = r < rates.blank_region_rate + rates.short_city_rate / 4 and short_is_unambiguous(region)
        rows["region"].append("" if r < rates.blank_region_rate else region.short if short else region.name)
        rows["type"].append("" if rnd.random() < rates.blank_type_rate else a.type)
        rows["industry"].append(a.industry)
        scope = render_scope(a, b, rnd, shuffle=rnd.random() < rates.shuffle_scope_rate)
        purpose = render_purpose(a, b, rnd)
        if rnd.random() < rates.typo_rate:
            scope = typo(scope, vocab, rnd)
        if rnd.random() < rates.typo_rate:
            purpose = typo(purpose, vocab, rnd)
        if rnd.random() < rates.traditional_rate:
            scope, purpose = traditional(scope), traditional(purpose)
        rows["scope"].append(scope)
        rows["purpose"].append(purpose)
        sep = ";" if rnd.random() < rates.shuffle_scope_rate / 2 else "；"
        rows["services"].append(sep.join(a.services))
    for col, values in _health(assocs, vocab, config, rng, rnd).items():
        rows[col] = values
    made = {c: v for c, v in rows.items() if len(v) == len(assocs)}  # optional columns it makes none of stay out
    return pd.DataFrame(made, columns=[c for c in COLUMNS[ASSOCIATIONS] if c in made], dtype=object)


def membership_frame(assocs: list[Assoc], members: list[np.ndarray], roles: list[np.ndarray], f: Firms,
                      geo: Geo, rates: Rates, rng: np.random.Generator) -> pd.DataFrame:
    if not assocs:
        return pd.DataFrame({c: [] for c in COLUMNS[MEMBERSHIPS] if c != "person_id"}, dtype=object)
    counts = np.array([len(m) for m in members])
    aid = np.repeat(np.array([a.id for a in assocs], dtype=object), counts)
    ref = np.concatenate(members) if len(members) else np.zeros(0, dtype=np.int64)
    role = np.concatenate(roles) if len(roles) else np.zeros(0, dtype=np.int8)
    is_ent = ref >= 0
    e = np.where(is_ent, ref, 0)
    p = np.where(is_ent, 0, -1 - ref)
    person_idx = np.where(is_ent, f.person[e], p)
    person = f.persons[person_idx]
    unit_names = np.array([u.name for u in geo.units], dtype=object)
    unit_short = np.array([u.short for u in geo.units], dtype=object)
    unit_short_ok = np.array([short_is_unambiguous(u) for u in geo.units], dtype=bool)
    ind_unit = f.individual_unit[np.searchsorted(f.individuals, np.where(is_ent, f.individuals[0], p))]
    region = np.where(is_ent, f.place[e], unit_names[ind_unit])
    short = (rng.random(len(ref)) < rates.short_city_rate / 3) & is_ent & (f.unit[e] >= 0)
    short &= unit_short_ok[np.maximum(f.unit[e], 0)]
    region = np.where(short, unit_short[np.maximum(f.unit[e], 0)], region)
    name = np.where(is_ent, f.name[e], person)
    trad = np.flatnonzero(is_ent & (rng.random(len(ref)) < rates.traditional_rate / 2))
    if len(trad):
        name = name.copy()
        name[trad] = [traditional(s) for s in name[trad]]
    sales = np.array([f"{x:.1f}" for x in f.sales[e]], dtype=object)
    made = {
        "association_id": aid,
        "member_name": name,
        "member_id": np.where(is_ent, f.code[e], ""),
        "member_kind": np.where(is_ent, ENTERPRISE, PERSON),
        "member_region": region,
        "role": np.array(ROLES, dtype=object)[role],
        "person": person,
        "annual_sales": np.where(is_ent, sales, ""),
    }
    return pd.DataFrame(made, columns=[c for c in COLUMNS[MEMBERSHIPS] if c in made]).astype(object)


def stats_frame(vocab: Vocab, geo: Geo, f: Firms, assocs: list[Assoc], rng: np.random.Generator) -> pd.DataFrame:
    """Units and sales per (industry, region): some industries well covered, others thinly."""
    n_ind, n_units = len(vocab.industries), len(geo.units)
    inside = f.unit >= 0
    key = f.industry[inside] * n_units + f.unit[inside]
    cnt = np.bincount(key, minlength=n_ind * n_units).reshape(n_ind, n_units).astype(float)
    sal = np.bincount(key, weights=f.sales[inside], minlength=n_ind * n_units).reshape(n_ind, n_units)
    thin = rng.random((n_ind, n_units)) < 0.3
    fu = np.where(thin, rng.uniform(2.5, 7.0, size=cnt.shape), rng.uniform(1.0, 1.15, size=cnt.shape))
    fs = np.where(thin, rng.uniform(2.2, 5.0, size=cnt.shape), rng.uniform(1.0, 1.1, size=cnt.shape))
    units = np.ceil(cnt * fu).astype(int)
    sales = np.round(sal * fs, 1)
    present = sorted({vocab.industries.index(vocab.by_key[a.subject]) for a in assocs if a.kind == IND and not a.app})
    rows = []
    for i in present:
        label = vocab.industries[i].label
        if geo.counties:
            for u in range(n_units):
                if units[i, u] > 0:
                    rows.append((label, geo.units[u].name, str(units[i, u]), f"{sales[i, u]:.1f}"))
        rows.append((label, geo.city.name, str(units[i].sum()), f"{sales[i].sum():.1f}"))
    return pd.DataFrame(rows, columns=list(COLUMNS[INDUSTRY_STATS]), dtype=object)


def drop_columns(df: pd.DataFrame, required: tuple[str, ...], p: float, rnd: random.Random) -> pd.DataFrame:
    if p <= 0:
        return df
    light = {"region": 0.4, "type": 0.4, "scope": 0.3, "name": 0.0}
    drop = [c for c in df.columns if c not in required and rnd.random() < p * light.get(c, 1.0)]
    return df.drop(columns=drop)
