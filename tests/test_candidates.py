from detector.candidates import KNN_DESC, SAME_INDUSTRY, SAME_ORIGIN, SHARED_MEMBERS, candidate_pairs


def _named(engine, pairs):
    ids = engine.profiles.frame["id"].tolist()
    return {frozenset((ids[i], ids[j])): bits for (i, j), bits in pairs.items()}


def test_blocking_finds_the_duplicates_from_several_sources(small_engine):
    got = _named(small_engine, candidate_pairs(small_engine.profiles))
    shoes = got[frozenset(("R01", "R02"))]
    assert shoes & SAME_INDUSTRY and shoes & SHARED_MEMBERS and shoes & KNN_DESC
    assert got[frozenset(("R06", "R08"))] & SAME_ORIGIN


def test_pairs_are_unique_and_never_self(small_engine):
    pairs = candidate_pairs(small_engine.profiles)
    assert all(i < j for i, j in pairs)


def test_blocking_keeps_recall_without_all_pairs(synth_engine, synth_dir):
    from detector.lab.train import truth_pairs

    p = synth_engine.profiles
    pairs = {frozenset((p.frame["id"].iat[i], p.frame["id"].iat[j])) for i, j in candidate_pairs(p)}
    truth = truth_pairs(synth_dir)
    n = len(p)
    assert len(pairs) < 0.5 * n * (n - 1) / 2
    assert len(truth & pairs) / len(truth) >= 0.98


def test_screening_mode_pairs_applications_with_registry(small_engine):
    from conftest import SMALL

    from detector.io import load_registry
    from detector.profiles import build_profiles

    reg = small_engine.profiles
    apps = load_registry(SMALL / "applications", kind="applications", home=reg.home)
    app = build_profiles(apps.associations, apps.memberships, small_engine.embedder, reg.home, reg.vectorizer)
    pairs = candidate_pairs(app, reg)
    assert all(0 <= i < len(app) and 0 <= j < len(reg) for i, j in pairs)
    assert (app.row_of["A01"], reg.row_of["R01"]) in pairs


def _naive_joins(left, right, max_block, max_df, same):
    """Blocks and shared members as the plain inverted-index loops they vectorise."""
    from collections import defaultdict

    out = {}
    for bit, cols in ((SAME_INDUSTRY, ("region_code", "block_industry")), (SAME_ORIGIN, ("region_code", "origin_code"))):
        index = defaultdict(list)
        for j, key in enumerate(zip(right.frame[cols[0]], right.frame[cols[1]])):
            if all(key):
                index[key].append(j)
        for i, key in enumerate(zip(left.frame[cols[0]], left.frame[cols[1]])):
            if all(key) and len(index.get(key, ())) <= max_block:
                for j in index.get(key, ()):
                    if not (same and i == j):
                        out[(i, j)] = out.get((i, j), 0) | bit
    holders = defaultdict(list)
    for j, keys in enumerate(right.members):
        for k in keys:
            holders[k].append(j)
    for i, keys in enumerate(left.members):
        for k in keys:
            if len(holders.get(k, ())) <= max_df:
                for j in holders.get(k, ()):
                    if not (same and i == j):
                        out[(i, j)] = out.get((i, j), 0) | SHARED_MEMBERS
    return out


def test_block_and_member_pairs_are_the_inverted_index_pairs_capped(synth_engine, small_engine):
    from detector.candidates import BlockingConfig, _blocks, _shared_members

    seen = set()
    for left, right, same in ((synth_engine.profiles, synth_engine.profiles, True),
                              (small_engine.profiles, synth_engine.profiles, False)):
        cfg = BlockingConfig()
        got = {}
        for bit, pairs in ((SAME_INDUSTRY, _blocks(left, right, ("region_code", "block_industry"), cfg, same)),
                           (SAME_ORIGIN, _blocks(left, right, ("region_code", "origin_code"), cfg, same)),
                           (SHARED_MEMBERS, _shared_members(left, right, cfg, same))):
            for i, j in pairs:
                for pair in zip(i.tolist(), j.tolist()):
                    got[pair] = got.get(pair, 0) | bit
        assert got == _naive_joins(left, right, cfg.max_block, cfg.max_member_df, same)
        seen.update(got.values())
    assert any(b & SAME_INDUSTRY for b in seen)  # the comparison is not vacuous


def test_top_k_is_the_set_argpartition_picks_ties_included():
    """The bounded ranking behind the nearest neighbours picks, row by row, what a full argpartition picks."""
    import numpy as np

    from detector.candidates import SAMPLE, _top_k

    rng = np.random.default_rng(3)
    for n, k, tied in ((SAMPLE // 2, 5, False), (3 * SAMPLE, 13, False), (3 * SAMPLE, 13, True), (SAMPLE + 1, 1, True)):
        sims = rng.random((40, n)).astype(np.float32)
        if tied:  # many equal cosines, as identical texts give
            sims = np.round(sims * 20) / 20
        rows, cols = _top_k(sims, k)
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        assert len(rows) == 40 * k
        assert set(zip(rows.tolist(), cols.tolist())) == {(r, c) for r in range(40) for c in top[r].tolist()}


def test_local_neighbours_are_each_rows_best_within_its_region(synth_engine):
    """In a study every row's meaning neighbours are its best among its own region's rows (and the regionless
    ones), by brute force; regions that pair with nothing are never compared."""
    import numpy as np

    from detector.candidates import _COSINE_STEP, BlockingConfig, _knn

    p, cfg = synth_engine.profiles, BlockingConfig(k=4)
    region = p.column("region_code")
    assert len(set(region)) > 3  # several regions, so locality is tested
    got = {(int(i), int(j)) for rows, cols in _knn(p, p, "desc_vec", cfg, True, True)
           for i, j in zip(rows, cols)}
    assert all(region[i] == region[j] or "" in (region[i], region[j]) for i, j in got)
    sims = np.rint(p.desc_vec @ p.desc_vec.T / _COSINE_STEP)
    floor = np.rint(cfg.min_cosine / _COSINE_STEP)
    checked = 0
    for i in range(len(p)):
        peers = np.flatnonzero(((region == region[i]) | (region == "") | (region[i] == "")) & (np.arange(len(p)) != i))
        ranked = peers[np.argsort(-sims[i, peers], kind="stable")]
        close = ranked[sims[i, ranked] >= floor]
        if len(close) > cfg.k and sims[i, close[cfg.k - 1]] == sims[i, close[cfg.k]]:
            continue  # a tie at the k-th place: either pick is right
        want = {(i, int(j)) for j in close[: cfg.k]} if len(close) > cfg.k else {(i, int(j)) for j in close}
        assert {(a, b) for a, b in got if a == i} == want
        checked += 1
    assert checked > 0.9 * len(p)
