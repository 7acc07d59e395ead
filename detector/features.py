"""Pair features: name structure, industry, region, form, origin, meaning, tokens, services, members."""
from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz.distance import Indel

from . import industry as industry_mod
from .industry import DIFFERENT, RELATED, SAME, UNKNOWN
from .policy import settings
from .profiles import Profiles

# Region and origin relations add one value to the industry ones (same / related / different / unknown).
NESTED = "nested"


def _region_relation(a: str, b: str, town_a: str = "", town_b: str = "") -> str:
    """Relation of two regions (adcodes); within a city without counties, of its towns: 东莞市 and its
    长安镇 are nested, 长安镇 and 虎门镇 different."""
    if not a or not b:
        return UNKNOWN
    if a == b:
        return SAME if town_a == town_b else NESTED if not town_a or not town_b else DIFFERENT
    # adcodes: a prefecture (xxxx00) contains its counties (xxxx..); a province (xx0000) everything below
    for outer, inner in ((a, b), (b, a)):
        if outer.endswith("0000") and inner.startswith(outer[:2]):
            return NESTED
        if outer.endswith("00") and inner.startswith(outer[:4]):
            return NESTED
    return DIFFERENT


def _origin_relation(a_town: bool, b_town: bool, a: str, b: str) -> str:
    """异地商会: same origin place / one inside the other (福建 vs 福鼎) / different / not applicable."""
    if not a_town and not b_town:
        return "na"
    if a_town != b_town:
        return "mismatch"
    rel = _region_relation(a, b)
    return {SAME: SAME, NESTED: NESTED, UNKNOWN: UNKNOWN}.get(rel, DIFFERENT)


def many_shared_members(shared: float, containment: float) -> bool:
    """Many members in common (policy ``review_member_share`` / ``review_member_min``); NaN: no member data."""
    cfg = settings()
    return containment == containment and containment >= cfg["review_member_share"] \
        and shared >= cfg["review_member_min"]


def _industry_relation(a: str, b: str, segment_a: str, segment_b: str, many_shared: bool) -> str:
    """Relation of two industries; one industry in different segments of it (汽车 / 出租汽车) is related,
    unless the two share many members (then the segments serve one constituency)."""
    rel = industry_mod.relation(a or None, b or None)
    return RELATED if rel == SAME and segment_a != segment_b and not many_shared else rel


def _set_overlap(a: list[frozenset], b: list[frozenset]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shared count, Jaccard, containment); NaN where either side has no data."""
    n = len(a)
    shared = np.zeros(n)
    jac = np.full(n, np.nan)
    cont = np.full(n, np.nan)
    for k, (x, y) in enumerate(zip(a, b)):
        if x and y:
            s = len(x & y)
            shared[k] = s
            jac[k] = s / len(x | y)
            cont[k] = s / min(len(x), len(y))
    return shared, jac, cont


def _rowwise_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dots = np.einsum("ij,ij->i", a, b)
    empty = (np.abs(a).sum(axis=1) == 0) | (np.abs(b).sum(axis=1) == 0)
    return np.where(empty, np.nan, dots)


_PAIR_COLUMNS = ["id", "core_text", "name_norm", "industry_key", "core_segment", "industry_conf", "region_code",
                 "out_of_town", "origin_code", "is_research", "eff_type", "active", "eligible", "audience", "kind",
                 "town", "kind_source", "industry_doubt"]


def _columns(p: Profiles, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The profile columns the features read, as plain numpy arrays taken at ``rows`` (fast to iterate)."""
    return {c: p.column(c)[rows] for c in _PAIR_COLUMNS}


def pair_features(left: Profiles, right: Profiles, i: np.ndarray, j: np.ndarray) -> pd.DataFrame:
    """One row per pair (left row ``i[k]``, right row ``j[k]``)."""
    li, rj = _columns(left, i), _columns(right, j)
    f: dict[str, object] = {"i": i, "j": j, "id_a": li["id"], "id_b": rj["id"]}
    f["core_ratio"] = [Indel.normalized_similarity(a, b) for a, b in zip(li["core_text"], rj["core_text"])]
    f["name_ratio"] = [Indel.normalized_similarity(a, b) for a, b in zip(li["name_norm"], rj["name_norm"])]
    f["core_cos"] = _rowwise_dot(left.core_vec[i], right.core_vec[j])
    f["desc_cos"] = _rowwise_dot(left.desc_vec[i], right.desc_vec[j])
    tl, tr = left.tfidf[i], right.tfidf[j]
    tf = np.asarray(tl.multiply(tr).sum(axis=1)).ravel()
    has = (np.diff(tl.indptr) > 0) & (np.diff(tr.indptr) > 0)
    f["tfidf_cos"] = np.where(has, tf, np.nan)
    _, f["services_jacc"], _ = _set_overlap([left.services[k] for k in i], [right.services[k] for k in j])
    f["shared_members"], f["member_jacc"], f["member_cont"] = _set_overlap(
        [left.members[k] for k in i], [right.members[k] for k in j])
    f["shared_leaders"], _, _ = _set_overlap([left.leaders[k] for k in i], [right.leaders[k] for k in j])
    f["industry_a"], f["industry_b"] = li["industry_key"], rj["industry_key"]
    many = [many_shared_members(s, c) for s, c in zip(f["shared_members"], f["member_cont"])]
    f["industry_rel"] = [_industry_relation(*x) for x in
                         zip(li["industry_key"], rj["industry_key"], li["core_segment"], rj["core_segment"], many)]
    f["industry_conf"] = np.minimum(li["industry_conf"].astype(float), rj["industry_conf"].astype(float))
    f["region_rel"] = [_region_relation(*x) for x in zip(li["region_code"], rj["region_code"], li["town"], rj["town"])]
    f["origin_rel"] = [_origin_relation(a, b, x, y) for a, b, x, y in
                       zip(li["out_of_town"], rj["out_of_town"], li["origin_code"], rj["origin_code"])]
    f["form_clash"] = (li["is_research"] != rj["is_research"]).astype(bool)
    f["type_same"] = (li["eff_type"] == rj["eff_type"]).astype(bool)
    f["both_active"] = (li["active"] & rj["active"]).astype(bool)
    f["both_eligible"] = (li["eligible"] & rj["eligible"]).astype(bool)
    f["same_audience"] = (li["audience"] == rj["audience"]).astype(bool)
    # kinds of social group (体育类 vs 行业协会商会): "" (no form, unknown) never clashes
    f["kind_clash"] = [bool(a and b and a != b) for a, b in zip(li["kind"], rj["kind"])]
    # ... a kind its members and purpose gave (a club of individuals named like the trade: 温州市汽车车友协会)
    f["nature_clash"] = [bool(c and (x or y)) for c, x, y in zip(f["kind_clash"], li["kind_source"], rj["kind_source"])]
    # a side whose name gives an industry its own scope or members contradict (a look-alike named like a trade)
    f["name_doubt"] = [bool(x or y) for x, y in zip(li["industry_doubt"], rj["industry_doubt"])]
    return pd.DataFrame(f)
