import numpy as np

import pandas as pd

from detector.cluster import cluster


def _scorer(table):
    def score(pairs):
        return np.array([table.get(frozenset(p), 0.0) for p in pairs])
    return score


def test_pairs_and_triangles_become_groups():
    pairs = [("a", "b", 0.95), ("c", "d", 0.9), ("d", "e", 0.92), ("c", "e", 0.88), ("x", "y", 0.2)]
    assert cluster(pairs, 0.5, _scorer({})) == [["c", "d", "e"], ["a", "b"]]


def test_a_weak_chain_does_not_glue_two_groups():
    # shoes (s1,s2) and bags (b1,b2) joined only through one s2~b1 link
    pairs = [("s1", "s2", 0.95), ("b1", "b2", 0.96), ("s2", "b1", 0.6)]
    table = {frozenset(("s1", "b1")): 0.05, frozenset(("s1", "b2")): 0.02, frozenset(("s2", "b2")): 0.04}
    assert cluster(pairs, 0.5, _scorer(table)) == [["b1", "b2"], ["s1", "s2"]]


def test_scorer_called_only_for_unknown_pairs_in_components():
    asked = []

    def score(pairs):
        asked.extend(pairs)
        return np.full(len(pairs), 0.9)

    cluster([("a", "b", 0.9), ("b", "c", 0.9), ("p", "q", 0.9)], 0.5, score)
    assert asked == [("a", "c")]


def test_only_pairs_at_the_threshold_join():
    assert cluster([("a", "b", 0.4), ("b", "c", 0.6)], 0.5, _scorer({})) == [["b", "c"]]
    assert cluster([("a", "b", 0.4)], 0.5, _scorer({})) == []


def test_a_frame_of_pairs_clusters_as_its_triples():
    pairs = [("c", "d", 0.9), ("d", "e", 0.92), ("c", "e", 0.2), ("a", "b", 0.95), ("x", "y", 0.2)]
    frame = pd.DataFrame(pairs, columns=["id_a", "id_b", "score"])
    assert cluster(frame, 0.5, _scorer({})) == cluster(pairs, 0.5, _scorer({})) == [["c", "d", "e"], ["a", "b"]]
