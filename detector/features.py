"""Pair features: name structure, industry, region, form, origin, meaning, tokens, services, members."""
from __future__ import annotations

from itertools import chain

import numpy as np
import pandas as pd
from rapidfuzz.distance import Indel
from scipy import sparse

from . import industry as industry_mod
from .arrays import per_distinct
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


def _incidence(sets: list[frozenset[str]], vocabulary: pd.Index | None = None) -> tuple[sparse.csr_matrix, pd.Index]:
    """Rows × items 0/1 matrix of ``sets``, over their own items or those of ``vocabulary`` (others left out)."""
    sizes = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    items = np.fromiter(chain.from_iterable(sets), dtype=object, count=int(sizes.sum()))
    rows = np.repeat(np.arange(len(sets)), sizes)
    if vocabulary is None:
        codes, uniques = pd.factorize(items)
        vocabulary = pd.Index(uniques, dtype=object)
    else:
        codes = vocabulary.get_indexer(items) if len(items) else np.zeros(0, dtype=np.int64)
        rows, codes = rows[codes >= 0], codes[codes >= 0]
    m = sparse.csr_matrix((np.ones(len(codes), dtype=np.int32), (rows, codes)), shape=(len(sets), len(vocabulary)))
    m.sort_indices()
    return m, vocabulary


def incidence(p: Profiles, attr: str) -> tuple[sparse.csr_matrix, pd.Index]:
    """The rows × items 0/1 matrix of ``p``'s ``attr`` sets (members, leaders, services) and its items, built once."""
    return p.derived(("incidence", attr), lambda: _incidence(getattr(p, attr)))


_PAIR_CHUNK = 65_536  # pairs whose member rows or term rows are taken at once
_VECTOR_CHUNK = 8_192  # pairs whose embedding vectors are taken at once (2 × 16 MB at 512 dimensions)


def _by_chunks(per_chunk, i: np.ndarray, j: np.ndarray, dtype=float, size: int = _PAIR_CHUNK) -> np.ndarray:
    """``per_chunk(i[s:e], j[s:e])`` over chunks of ``size`` pairs, concatenated (never all pairs' data at once)."""
    return np.concatenate([np.zeros(0, dtype=dtype)] + [per_chunk(i[s : s + size], j[s : s + size])
                                                         for s in range(0, len(i), size)])


def _set_overlap(left: Profiles, right: Profiles, attr: str, i: np.ndarray, j: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shared count, Jaccard, containment) of the ``attr`` sets of each pair; NaN where either side has no data.
    Counted as sparse row products in chunks of pairs, never one Python set operation per pair."""
    inc_b, vocabulary = incidence(right, attr)
    inc_a = inc_b if left is right else _incidence(getattr(left, attr), vocabulary)[0]
    na, nb = left.set_sizes(attr)[i].astype(float), right.set_sizes(attr)[j].astype(float)
    common = _by_chunks(lambda ci, cj: np.asarray(inc_a[ci].multiply(inc_b[cj]).sum(axis=1), dtype=float).ravel(), i, j)
    both = (na > 0) & (nb > 0)
    shared = np.where(both, common, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(both, shared / (na + nb - shared), np.nan)
        cont = np.where(both, shared / np.minimum(na, nb), np.nan)
    return shared, jac, cont


def _rowwise_dot(left: Profiles, right: Profiles, attr: str, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine of each pair's ``attr`` vectors (normalised), NaN where either is empty; in chunks of pairs, so
    the vectors of all pairs are never held at once."""
    a, b = getattr(left, attr), getattr(right, attr)
    dots = _by_chunks(lambda ci, cj: np.einsum("ij,ij->i", a[ci], b[cj]), i, j, a.dtype, _VECTOR_CHUNK)
    empty = ~left.nonzero_rows(attr)[i] | ~right.nonzero_rows(attr)[j]
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
    f["core_cos"] = _rowwise_dot(left, right, "core_vec", i, j)
    f["desc_cos"] = _rowwise_dot(left, right, "desc_vec", i, j)
    tl, tr = left.tfidf, right.tfidf
    tf = _by_chunks(lambda ci, cj: np.asarray(tl[ci].multiply(tr[cj]).sum(axis=1), dtype=float).ravel(), i, j)
    has = (np.diff(tl.indptr) > 0)[i] & (np.diff(tr.indptr) > 0)[j]
    f["tfidf_cos"] = np.where(has, tf, np.nan)
    _, f["services_jacc"], _ = _set_overlap(left, right, "services", i, j)
    f["shared_members"], f["member_jacc"], f["member_cont"] = _set_overlap(left, right, "members", i, j)
    f["shared_leaders"], _, _ = _set_overlap(left, right, "leaders", i, j)
    f["industry_a"], f["industry_b"] = li["industry_key"], rj["industry_key"]
    many = per_distinct(many_shared_members, f["shared_members"], f["member_cont"])
    f["industry_rel"] = per_distinct(_industry_relation, li["industry_key"], rj["industry_key"], li["core_segment"],
                                     rj["core_segment"], many)
    f["industry_conf"] = np.minimum(li["industry_conf"].astype(float), rj["industry_conf"].astype(float))
    f["region_rel"] = per_distinct(_region_relation, li["region_code"], rj["region_code"], li["town"], rj["town"])
    f["origin_rel"] = per_distinct(_origin_relation, li["out_of_town"], rj["out_of_town"], li["origin_code"],
                                   rj["origin_code"])
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
    f["name_doubt"] = (li["industry_doubt"] != "") | (rj["industry_doubt"] != "")
    # ... and one whose industry its evidence gave instead (装备 in the name, advertising in scope and members)
    f["name_overruled"] = ((li["industry_doubt"] != "") & (li["industry_doubt"] != li["industry_key"])) | \
        ((rj["industry_doubt"] != "") & (rj["industry_doubt"] != rj["industry_key"]))
    return pd.DataFrame(f)
