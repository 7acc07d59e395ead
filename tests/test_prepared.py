"""A registry's prepared state kept on disk: reused while the files are unchanged, rebuilt when they change
or when the kept folder is damaged, and every result the same as without it."""
from __future__ import annotations

import dataclasses
import importlib
import json
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SMALL
from detector.cli import cli
from detector.engine import Engine
from detector.errors import DetectorWarning
from detector.io import load_registry
from detector.prepared import PreparedStore
from detector.screen import screen_applications
from detector.study import run_study


engine_module = importlib.import_module("detector.engine")  # the package's ``engine`` attribute is the function


@pytest.fixture()
def registry(tmp_path):
    folder = tmp_path / "registry"
    shutil.copytree(SMALL / "registry", folder)
    return folder


@pytest.fixture()
def store(tmp_path):
    return PreparedStore(tmp_path / "prepared")


def _no_build(*args, **kwargs):
    raise AssertionError("profiles were built again")


def _screened(engine: Engine) -> list[dict]:
    apps = load_registry(SMALL / "applications", kind="applications", home=engine.registry.home)
    return [r.to_json() for r in screen_applications(engine, apps)]


def _loaded(registry, embedder, store, monkeypatch) -> Engine:
    """The engine read from ``store``, profiles never built."""
    with monkeypatch.context() as m:
        m.setattr(engine_module, "build_profiles", _no_build)
        engine = Engine.load(registry, embedder=embedder, cache=store)
        _ = engine.profiles
    return engine


def test_second_load_reads_the_prepared_state_and_gives_the_same_results(registry, embedder, store, monkeypatch):
    built = Engine.load(registry, embedder=embedder, cache=store)
    assert built.prepared is None and not store.path(built.key).exists()
    _ = built.profiles  # built, then kept
    assert store.path(built.key).is_dir()
    loaded = _loaded(registry, embedder, store, monkeypatch)
    assert loaded.prepared is not None and loaded.key == built.key
    a, b = built.profiles, loaded.profiles
    pd.testing.assert_frame_equal(a.frame, b.frame)
    for frame in ("associations", "memberships", "industry_stats"):
        pd.testing.assert_frame_equal(getattr(built.registry, frame), getattr(loaded.registry, frame))
    assert built.registry.warnings == loaded.registry.warnings
    assert built.registry.present_columns == loaded.registry.present_columns and built.registry.home == loaded.registry.home
    assert np.array_equal(a.core_vec, b.core_vec) and np.array_equal(a.desc_vec, b.desc_vec)
    assert (a.tfidf != b.tfidf).nnz == 0 and a.vectorizer.vocabulary_ == b.vectorizer.vocabulary_
    assert (a.members, a.leaders, a.services) == (b.members, b.leaders, b.services)
    for column in (f.name for f in dataclasses.fields(a.member_table)):
        x, y = getattr(a.member_table, column), getattr(b.member_table, column)
        assert x.dtype == y.dtype and pd.Series(x).equals(pd.Series(y)), column
    assert "stated" in vars(b.member_table) and a.member_table.stated == b.member_table.stated  # kept, not classified again
    assert built.member_vocabulary == loaded.member_vocabulary and built.leader_posts == loaded.leader_posts
    assert list(built.leader_posts.by_holder) == list(loaded.leader_posts.by_holder)
    assert _screened(built) == _screened(loaded)
    assert run_study(built).to_json() == run_study(loaded).to_json()


def test_screening_a_prepared_registry_never_reads_its_association_and_membership_tables(registry, embedder, store,
                                                                                         monkeypatch):
    Engine.load(registry, embedder=embedder, cache=store).profiles
    loaded = _loaded(registry, embedder, store, monkeypatch)
    _screened(loaded)
    assert not {"associations", "memberships"} & set(vars(loaded.registry))  # still unread: ~0.5 s at 10,000
    assert len(loaded.registry) == len(loaded.profiles) and len(loaded.registry.memberships)  # read when asked


def test_a_study_of_a_prepared_registry_never_builds_what_only_screening_reads(registry, embedder, store,
                                                                              monkeypatch):
    Engine.load(registry, embedder=embedder, cache=store).profiles
    loaded = _loaded(registry, embedder, store, monkeypatch)
    run_study(loaded)
    assert not {"vocabulary", "posts"} & set(vars(loaded.built))  # the member vocabulary, the leader posts
    assert loaded.member_vocabulary and loaded.leader_posts.by_holder  # built when asked


def test_what_is_built_on_first_use_survives_the_state_being_removed_since(registry, embedder, store, monkeypatch):
    built = Engine.load(registry, embedder=embedder, cache=store)
    _ = built.profiles
    loaded = _loaded(registry, embedder, store, monkeypatch)
    shutil.rmtree(store.path(loaded.key))  # e.g. a newer state of the registry saved by another process
    assert loaded.member_vocabulary == built.member_vocabulary and loaded.leader_posts == built.leader_posts
    assert _screened(loaded) == _screened(built)


def test_results_are_the_same_without_the_cache(registry, embedder, store, monkeypatch):
    Engine.load(registry, embedder=embedder, cache=store).profiles
    uncached = Engine.load(registry, embedder=embedder, cache=False)
    assert uncached.store is None
    assert _screened(_loaded(registry, embedder, store, monkeypatch)) == _screened(uncached)


def test_an_edited_cell_rebuilds_and_the_result_shows_the_edit(registry, embedder, store, monkeypatch):
    first = Engine.load(registry, embedder=embedder, cache=store)
    _ = first.profiles
    path = registry / "associations.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    old = frame.loc[0, "name"]
    frame.loc[0, "name"] = "温州市眼镜行业协会"
    frame.to_csv(path, index=False)
    second = Engine.load(registry, embedder=embedder, cache=store)
    assert second.prepared is None and second.key != first.key
    assert second.profiles.frame.loc[0, "name"] == "温州市眼镜行业协会" != old
    # the name's own reading changes (the decided industry may not: scope and members still say the old trade)
    assert second.profiles.frame.loc[0, "industry_core"] == "眼镜" != first.profiles.frame.loc[0, "industry_core"]
    assert not store.path(first.key).exists()  # the older state of the same registry is gone
    assert _loaded(registry, embedder, store, monkeypatch).profiles.frame.loc[0, "name"] == "温州市眼镜行业协会"


@pytest.mark.parametrize("damage", ["truncated array", "foreign meta", "garbage strings", "missing array",
                                    "missing membership column", "leader post codes out of range"])
def test_a_damaged_state_is_rebuilt_with_a_warning(registry, embedder, store, damage):
    first = Engine.load(registry, embedder=embedder, cache=store)
    expected = _screened(first)
    folder = store.path(first.key)
    if damage == "truncated array":
        vectors = folder / "core_vec.npy"
        vectors.write_bytes(vectors.read_bytes()[:200])
    elif damage == "foreign meta":
        (folder / "meta.json").write_text(json.dumps({"format": "something-else/9"}), encoding="utf-8")
    elif damage == "garbage strings":
        (folder / "strings.arrow").write_bytes(b"\x00\xff not arrow")
    elif damage == "missing array":
        (folder / "members.indptr.npy").unlink()
    elif damage == "leader post codes out of range":  # of a part built only on first use
        codes = np.load(folder / "posts.holder.person.npy")
        np.save(folder / "posts.holder.person.npy", np.full_like(codes, 2**30))
    else:  # of a table read only on first use: checked when the state is read all the same
        (folder / "memberships.0.npy").unlink()
    with pytest.warns(DetectorWarning, match="预处理结果"):
        again = Engine.load(registry, embedder=embedder, cache=store)
    assert again.prepared is None
    assert _screened(again) == expected
    assert (store.path(first.key) / "meta.json").is_file()  # rebuilt and kept again


def test_an_unwritable_store_warns_and_the_work_goes_on(registry, embedder, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the store's folder should be", encoding="utf-8")
    engine = Engine.load(registry, embedder=embedder, cache=PreparedStore(blocked))
    with pytest.warns(DetectorWarning, match="无法保存预处理结果"):
        assert len(engine.profiles) == len(engine.registry)


def test_an_in_memory_registry_is_not_kept(embedder, store):
    engine = Engine.load(load_registry(SMALL / "registry"), embedder=embedder, cache=store)
    _ = engine.profiles
    assert engine.store is None and not store.folder.exists()


def test_prepare_command_then_screen_reads_it(registry, embedder, tmp_path, monkeypatch):
    cache = tmp_path / "cache"  # the shared embeddings, but no prepared state other tests left
    cache.mkdir()
    for part in embedder.cache.path.parent.glob(embedder.cache.path.name + "*"):  # the file and its WAL
        shutil.copy(part, cache / part.name)
    monkeypatch.setenv("DETECTOR_CACHE", str(cache))
    runner = CliRunner()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DetectorWarning)
        first = runner.invoke(cli, ["prepare", str(registry)], catch_exceptions=False)
        again = runner.invoke(cli, ["prepare", str(registry)], catch_exceptions=False)
    assert first.exit_code == 0 and "已预处理" in first.output and "保存在" in first.output, first.output
    assert again.exit_code == 0 and "已是最新" in again.output, again.output
    monkeypatch.setattr(engine_module, "build_profiles", _no_build)
    out = tmp_path / "screen.jsonl"
    done = runner.invoke(cli, ["screen", str(SMALL / "applications"), "--registry", str(registry), "--out", str(out)],
                         catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(load_registry(SMALL / "applications",
                                                                                   kind="applications"))


def test_no_cache_neither_reads_nor_writes(registry, embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "screen.jsonl"
    done = CliRunner().invoke(cli, ["--no-cache", "screen", str(SMALL / "applications"), "--registry", str(registry),
                                    "--out", str(out)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert not (tmp_path / "cache" / "prepared").exists()
