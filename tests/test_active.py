"""The labelling queue: gate-open pairs only, none asked twice, both sides of the boundary, spread over kinds."""
from __future__ import annotations

import pytest

from detector.active import QUEUE_COLUMNS, pair_kind, queue
from detector.scoring import score_candidates


@pytest.fixture(scope="module")
def pairs(synth_engine):
    return score_candidates(synth_engine.profiles, scorer=synth_engine.scorer)


def test_queue_file_columns_and_gate_open_pairs_only(synth_engine, pairs):
    q = queue(synth_engine.profiles, pairs, synth_engine.scorer, synth_engine.thresholds["group"], 20)
    assert tuple(q.columns) == QUEUE_COLUMNS and len(q) == 20
    assert list(q.columns[:6]) == ["id_a", "id_b", "name_a", "name_b", "score", "label"]
    assert (q["label"] == "").all() and q["name_a"].str.len().min() > 0
    gated = {frozenset(k) for k, g in zip(zip(pairs["id_a"], pairs["id_b"]), pairs["gate_reason"]) if g}
    assert not {frozenset(k) for k in zip(q["id_a"], q["id_b"])} & gated
    threshold = synth_engine.thresholds["group"]
    above = int((q["score"] >= threshold).sum())
    assert abs(above - (len(q) - above)) <= 1  # both sides of the boundary, alternately
    assert q["kind"].nunique() >= 5  # spread over kinds of pairs


def test_labelled_and_skipped_pairs_are_not_asked_again(synth_engine, pairs):
    p, scorer, t = synth_engine.profiles, synth_engine.scorer, synth_engine.thresholds["group"]
    first = queue(p, pairs, scorer, t, 10)
    index = {frozenset(k): n for n, k in enumerate(zip(pairs["id_a"], pairs["id_b"]))}
    done = pairs.iloc[[index[frozenset(k)] for k in zip(first["id_a"], first["id_b"])][:6]]
    skip = {frozenset(k) for k in zip(first["id_a"][6:], first["id_b"][6:])}
    second = queue(p, pairs, scorer, t, 10, done.assign(label=1), 1.0, skip)
    assert not {frozenset(k) for k in zip(second["id_a"], second["id_b"])} & {frozenset(k) for k in
                                                                              zip(first["id_a"], first["id_b"])}


def test_pair_kinds_read_in_chinese():
    base = {"gate_reason": "", "origin_rel": "na", "industry_rel": "same", "type_same": False, "shared_members": 0.0,
            "member_cont": float("nan")}
    assert pair_kind(base) == "同行业·类型不同"
    assert pair_kind({**base, "origin_rel": "same", "type_same": True}) == "同籍贯异地商会·同类型"
    assert pair_kind({**base, "gate_reason": "不同行政区域"}) == "政策规则：不同行政区域"
    assert pair_kind({**base, "industry_rel": "related", "shared_members": 30.0, "member_cont": 0.9}) == \
        "相关行业·类型不同·共有会员多"
