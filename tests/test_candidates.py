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
