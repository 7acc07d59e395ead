"""A registry's prepared state on disk, so that a registry is profiled once, not on every command.

What :class:`~detector.engine.Engine` builds from a registry folder or workbook — the validated
:class:`~detector.io.Registry` and its :class:`~detector.profiles.Profiles` (frame, vectors, TF-IDF and its
vocabulary, member sets, the member table), the member vocabulary and the leader posts — is kept in ``prepared/<key>/`` beside the embedding cache (the
per-user cache folder, ``DETECTOR_CACHE``): derived data, safe to delete, never written into the registry's
own folder (which may be read-only, or shared). The key hashes the registry files' content and everything
else that shapes the build: the package's code, the shipped vocabularies (``models/*.toml``, ``*.csv``), the
versions of the libraries that parse, segment and weigh texts, and the embedding model. A changed cell, file,
version or model gives a new key, so a prepared state is never stale; when one is saved, the older states of
the same registry folder are removed.

Format ``detector-prepared/2``: ``meta.json`` (the layout: tables, columns, every array's dtype and shape),
``strings.arrow`` (every distinct text once, an Arrow file; text columns are int32 codes into it) and ``.npy`` arrays
(vectors and TF-IDF read memory-mapped), no pickle. A folder is written under a temporary name and renamed
into place; a damaged or foreign one is rebuilt with a warning.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc
from scipy import sparse

from . import regions
from .errors import DetectorWarning, InputWarning
from .io import Registry
from .io.read import source_files
from .members import MemberTable, Post, vocabulary
from .paths import models_dir
from .profiles import Profiles
from .rules import LeaderPosts, leader_posts
from .tfidf import Tfidf

FORMAT = "detector-prepared/2"
_LIBRARIES = ("numpy", "pandas", "scipy", "scikit-learn", "jieba", "opencc", "cpca-new", "rapidfuzz")
_SHIPPED_DATA = (".toml", ".csv")  # models/ files that parse names, industries, regions and policy words
_STALE_TEMP_S = 3600  # a temporary folder this old is a crashed write


class Prepared:
    """What preparing a registry computes (the engine's built state). The member vocabulary and the leader
    posts, which only screening reads, are made on first use (so a study never holds them): from the profiles,
    or by ``vocabulary`` / ``posts``, functions reading them from a stored state (None when they no longer can:
    the state was removed since)."""

    def __init__(self, registry: Registry, profiles: Profiles,
                 vocabulary: Callable[[], dict[str, str] | None] | None = None,
                 posts: Callable[[], LeaderPosts | None] | None = None):
        self.registry, self.profiles = registry, profiles
        self._stored = {"vocabulary": vocabulary, "posts": posts}

    def _read(self, part: str) -> object:
        read = self._stored[part]
        return None if read is None else read()

    @cached_property
    def vocabulary(self) -> dict[str, str]:
        """How the registry keys its members (:func:`detector.members.vocabulary`)."""
        stored = self._read("vocabulary")
        return vocabulary(self.profiles.member_table) if stored is None else stored

    @cached_property
    def posts(self) -> LeaderPosts:
        """Its leader posts (:func:`detector.rules.leader_posts`)."""
        stored = self._read("posts")
        return leader_posts(self.profiles.frame, self.profiles.member_table) if stored is None else stored


class _Unreadable(Exception):
    """A prepared folder that is not what its meta.json says (damaged, foreign, another format)."""


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return ""


@lru_cache(maxsize=1)
def build_fingerprint() -> str:
    """What shapes a prepared registry besides its files and the embedding model: the package's code, the
    shipped data files, the libraries' versions and Python's."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent
    shipped = sorted(p for p in models_dir().iterdir() if p.is_file() and p.suffix in _SHIPPED_DATA)
    for root, files in ((package, sorted(package.rglob("*.py"))), (models_dir(), shipped)):
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    h.update(" ".join(f"{lib}={_version(lib)}" for lib in _LIBRARIES).encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def registry_key(path: str | os.PathLike[str], model_id: str) -> str | None:
    """The key of a registry folder or workbook's prepared state: a hash of the files it reads (their
    content) and of :func:`build_fingerprint` and the embedding model. None when there is nothing to read."""
    files = source_files(path)
    if not files:
        return None
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{FORMAT}\0{build_fingerprint()}\0{model_id}\0".encode())
    try:
        for f in files:
            h.update(f"{f.name.lower()}\0{f.stat().st_size}\0".encode())
            with f.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    h.update(chunk)
    except OSError:
        return None  # loading the registry reports the problem
    return h.hexdigest()


# ------------------------------------------------------------------------------------------ writing


class _Writer:
    """Arrays into ``folder`` and their layout into ``self.arrays``; texts into one table of strings."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.arrays: dict[str, dict] = {}
        self.strings: dict[str, int] = {}

    def array(self, name: str, values: np.ndarray) -> str:
        values = np.ascontiguousarray(values)
        if values.dtype.hasobject:
            raise TypeError(f"{name}: object array")
        np.save(self.folder / f"{name}.npy", values, allow_pickle=False)
        self.arrays[name] = {"dtype": values.dtype.str, "shape": list(values.shape)}
        return name

    def codes(self, name: str, values: object) -> str:
        """Texts as int32 codes into the string table (-1: missing)."""
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
        ids = np.empty(len(uniques), dtype=np.int32)
        for k, text in enumerate(uniques.tolist()):
            if not isinstance(text, str):
                raise TypeError(f"{name}: {type(text).__name__} among texts")
            ids[k] = self.strings.setdefault(text, len(self.strings))
        return self.array(name, np.where(codes >= 0, ids[np.maximum(codes, 0)] if len(ids) else 0, -1).astype(np.int32))

    def column(self, name: str, series: pd.Series) -> dict:
        dtype = series.dtype
        if isinstance(dtype, pd.StringDtype):
            return {"kind": "str", "storage": dtype.storage, "na": "NA" if dtype.na_value is pd.NA else "nan",
                    "codes": self.codes(name, series.to_numpy(dtype=object, na_value=None))}
        if isinstance(dtype, pd.api.extensions.ExtensionDtype):
            if not isinstance(series.array, pd.arrays.IntegerArray | pd.arrays.FloatingArray | pd.arrays.BooleanArray):
                raise TypeError(f"{name}: dtype {dtype}")
            mask = series.isna().to_numpy()
            values = series.to_numpy(dtype=dtype.numpy_dtype, na_value=np.zeros((), dtype=dtype.numpy_dtype).item())
            return {"kind": "masked", "dtype": str(dtype), "values": self.array(name, values),
                    "mask": self.array(f"{name}.mask", mask)}
        if dtype == object:
            values = series.to_numpy()
            if not all(isinstance(v, str) for v in values.tolist()):
                raise TypeError(f"{name}: object column holding other than texts")
            return {"kind": "object", "codes": self.codes(name, values)}
        return {"kind": "numpy", "values": self.array(name, series.to_numpy())}

    def write_strings(self, path: Path) -> None:
        """The string table: one Arrow column of every distinct text, in code order."""
        column = pa.array(list(self.strings), type=pa.large_string())
        with pa.OSFile(str(path), "wb") as f, pyarrow.ipc.new_file(f, pa.schema([("text", column.type)])) as out:
            out.write_table(pa.table([column], names=["text"]))

    def frame(self, name: str, frame: pd.DataFrame) -> dict:
        if not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1):
            raise TypeError(f"{name}: index is not 0..n")
        if not frame.columns.is_unique or not all(isinstance(c, str) for c in frame.columns):
            raise TypeError(f"{name}: column names")
        return {"rows": len(frame), "columns": [{"name": c, **self.column(f"{name}.{k}", frame[c])}
                                                for k, c in enumerate(frame.columns)]}

    def sets(self, name: str, sets: list[frozenset[str]]) -> dict:
        lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        flat = [x for s in sets for x in sorted(s)]
        return {"indptr": self.array(f"{name}.indptr", np.r_[0, np.cumsum(lengths)]),
                "codes": self.codes(name, np.array(flat, dtype=object))}


def _registry_layout(w: _Writer, reg: Registry) -> dict:
    def relative(file: str | None) -> dict:
        inside = file is not None and file.startswith(reg.source)
        return {"in_source": file[len(reg.source):]} if inside else {"file": file}

    return {
        "associations": w.frame("associations", reg.associations),
        "memberships": w.frame("memberships", reg.memberships),
        "industry_stats": None if reg.industry_stats is None else w.frame("industry_stats", reg.industry_stats),
        "warnings": [{"message": x.message, "row": x.row, "column": x.column, **relative(x.file)} for x in reg.warnings],
        "kind": reg.kind,
        "present_columns": {k: list(v) for k, v in reg.present_columns.items()},
        "home": reg.home.code if reg.home else None,
    }


def _profiles_layout(w: _Writer, p: Profiles) -> dict:
    table = p.member_table
    return {
        "frame": w.frame("profile", p.frame),
        "core_vec": w.array("core_vec", p.core_vec),
        "desc_vec": w.array("desc_vec", p.desc_vec),
        "tfidf": {"shape": list(p.tfidf.shape), "data": w.array("tfidf.data", p.tfidf.data),
                  "indices": w.array("tfidf.indices", p.tfidf.indices), "indptr": w.array("tfidf.indptr", p.tfidf.indptr)},
        "vocabulary": w.codes("vocabulary", np.array(p.vectorizer.terms, dtype=object)),
        "idf": w.array("idf", p.vectorizer.idf_),
        **{name: w.sets(name, getattr(p, name)) for name in ("members", "leaders", "services")},
        "member_table": {f.name: _table_column(w, f"member.{f.name}", getattr(table, f.name)) for f in fields(MemberTable)},
        "member_stated": _stated_layout(w, table.stated),
        "home": p.home.code if p.home else None,
    }


def _stated_layout(w: _Writer, stated: dict[str, tuple[str, ...]]) -> dict:
    """The member table's stated industries (costly to classify again): names, where each name's industries
    start, and the industries in their order."""
    lengths = np.fromiter(map(len, stated.values()), dtype=np.int64, count=len(stated))
    return {"keys": w.codes("stated.keys", np.array(list(stated), dtype=object)),
            "indptr": w.array("stated.indptr", np.r_[0, np.cumsum(lengths)]),
            "values": w.codes("stated.values", np.array([k for keys in stated.values() for k in keys], dtype=object))}


def _mapping_layout(w: _Writer, name: str, mapping: dict[str, str]) -> dict:
    return {"keys": w.codes(f"{name}.keys", np.array(list(mapping), dtype=object)),
            "values": w.codes(f"{name}.values", np.array(list(mapping.values()), dtype=object))}


def _groups_layout(w: _Writer, name: str, groups: dict[str, list[Post]]) -> dict:
    """Posts by key: the keys, where each key's posts start, and the posts as columns."""
    posts = [post for group in groups.values() for post in group]
    lengths = np.fromiter((len(g) for g in groups.values()), dtype=np.int64, count=len(groups))
    return {"keys": w.codes(f"{name}.keys", np.array(list(groups), dtype=object)),
            "indptr": w.array(f"{name}.indptr", np.r_[0, np.cumsum(lengths)]),
            **{f: (w.array(f"{name}.{f}", np.array([x.rank for x in posts], dtype=np.int64)) if f == "rank" else
                   w.codes(f"{name}.{f}", np.array([getattr(x, f) for x in posts], dtype=object)))
               for f in Post._fields}}


def _posts_layout(w: _Writer, posts: LeaderPosts) -> dict:
    return {"by_holder": _groups_layout(w, "posts.holder", posts.by_holder),
            "by_name": _groups_layout(w, "posts.name", posts.by_name),
            "names": _mapping_layout(w, "posts.names", posts.names)}


def _table_column(w: _Writer, name: str, values: np.ndarray) -> dict:
    return {"codes": w.codes(name, values)} if values.dtype == object else {"values": w.array(name, values)}


# ------------------------------------------------------------------------------------------ reading


class _Reader:
    """Arrays and texts of one prepared folder. The string table (``strings.arrow``) is read only while a part
    of the state is built (:meth:`reading`), and a text becomes a Python object only when a part built asks for
    it, once however many parts do: the parts read on first use (registry tables, member vocabulary, leader
    posts) cost nothing until then."""

    def __init__(self, folder: Path, meta: dict):
        self.folder = folder
        self.layout = meta["arrays"]
        self.n_strings = int(meta["strings"])
        self._table = None  # the Arrow string table while reading
        self._objects = np.empty(self.n_strings + 1, dtype=object)  # code → its text once asked for
        self._objects[-1] = ""  # code -1 reads the last one, masked
        self._made = np.zeros(self.n_strings + 1, dtype=bool)
        self._made[-1] = True

    @contextmanager
    def reading(self) -> Iterator["_Reader"]:
        """The string table in memory for the block (nested blocks share it)."""
        if self._table is not None:
            yield self
            return
        try:  # memory-mapped: its pages leave memory when the block ends
            source = pa.memory_map(str(self.folder / "strings.arrow"))
            table = pyarrow.ipc.open_file(source).read_all()
        except pa.ArrowInvalid as exc:
            raise _Unreadable(f"strings.arrow: {exc}") from exc
        column = table.column(0) if table.num_columns == 1 else None
        if column is None or table.num_rows != self.n_strings or not pa.types.is_large_string(column.type):
            raise _Unreadable("strings.arrow: not the string table of meta.json")
        self._table = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        try:
            yield self
        finally:
            self._table = None

    def read(self, build: Callable[["_Reader", dict], object], spec: dict) -> object:
        """``build(self, spec)`` with the string table read for it."""
        with self.reading():
            return build(self, spec)

    @property
    def table(self):
        """The Arrow string table (only inside :meth:`reading`)."""
        if self._table is None:
            raise RuntimeError("texts read outside _Reader.reading()")
        return self._table

    def array(self, name: str, mmap: bool = False) -> np.ndarray:
        values = np.load(self.folder / f"{name}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)
        spec = self.layout[name]
        if values.dtype.str != spec["dtype"] or list(values.shape) != spec["shape"]:
            raise _Unreadable(f"{name}.npy: {values.dtype}{values.shape}")
        return values

    def _strings(self, codes: np.ndarray) -> np.ndarray:
        """The texts of ``codes`` as Python objects (made now for the codes never asked for before)."""
        wanted = np.zeros(len(self._made), dtype=bool)
        wanted[codes] = True
        new = np.flatnonzero(wanted & ~self._made)
        if len(new):
            self._objects[new] = self.table.take(new).to_numpy(zero_copy_only=False)
            self._made[new] = True
        return self._objects

    def _codes(self, name: str, mmap: bool = False) -> np.ndarray:
        codes = self.array(name, mmap)
        if len(codes) and (codes.min() < -1 or codes.max() >= self.n_strings):
            raise _Unreadable(f"{name}.npy: codes out of range")
        return codes

    def texts(self, name: str) -> np.ndarray:
        codes = self._codes(name)
        out = self._strings(codes)[codes]
        out[codes < 0] = None
        return out

    def column(self, spec: dict) -> object:
        kind = spec["kind"]
        if kind == "str":
            dtype = pd.StringDtype(spec["storage"], na_value=pd.NA if spec["na"] == "NA" else np.nan)
            if spec["storage"] == "pyarrow":  # taken from the table in Arrow: no Python object per text
                codes = self._codes(spec["codes"])
                return pd.array(self.table.take(pa.array(codes, mask=codes < 0)), dtype=dtype)
            return pd.array(self.texts(spec["codes"]), dtype=dtype)
        if kind == "object":
            return self.texts(spec["codes"])
        if kind == "masked":
            masked = pd.api.types.pandas_dtype(spec["dtype"]).construct_array_type()
            return masked(self.array(spec["values"]), self.array(spec["mask"]))
        if kind == "numpy":
            return self.array(spec["values"])
        raise _Unreadable(f"column kind {kind}")

    def frame(self, spec: dict) -> pd.DataFrame:
        return pd.DataFrame({c["name"]: self.column(c) for c in spec["columns"]}, index=pd.RangeIndex(spec["rows"]))

    def check(self, codes: Iterable[str] = (), arrays: Iterable[str] = ()) -> None:
        """Raise :class:`_Unreadable` unless the arrays are there, of their layout, the codes in range (a part
        read on first use is checked when the state is read, so a damaged one is still rebuilt at once)."""
        for name in codes:
            self._codes(name, mmap=True)
        for name in arrays:
            self.array(name, mmap=True)

    def check_frame(self, spec: dict) -> None:
        self.check([c["codes"] for c in spec["columns"] if "codes" in c],
                   [c[key] for c in spec["columns"] for key in ("values", "mask") if key in c])

    def sets(self, spec: dict) -> list[frozenset[str]]:
        indptr, flat = self.array(spec["indptr"]), self.texts(spec["codes"]).tolist()
        return [frozenset(flat[a:b]) for a, b in zip(indptr[:-1].tolist(), indptr[1:].tolist())]


class _StoredRegistry(Registry):
    """A registry read from a prepared state. Its associations and memberships, the largest tables and ones
    screening never reads (it reads the profiles), become frames on first use (~0.5 s at 10,000 associations);
    their arrays are checked when the state is read, so a damaged one is still rebuilt at once."""

    def __init__(self, frame: Callable[[str], pd.DataFrame], **fields: object):
        self._frame = frame
        for name, value in fields.items():
            setattr(self, name, value)

    @cached_property
    def associations(self) -> pd.DataFrame:
        return self._frame("associations")

    @cached_property
    def memberships(self) -> pd.DataFrame:
        return self._frame("memberships")


def _registry(r: _Reader, spec: dict, source: str) -> Registry:
    stats = spec["industry_stats"]
    for name in ("associations", "memberships"):
        r.check_frame(spec[name])
    return _StoredRegistry(
        lambda name: r.read(_Reader.frame, spec[name]),
        industry_stats=None if stats is None else r.frame(stats),
        warnings=[InputWarning(w["message"], source + w["in_source"] if "in_source" in w else w["file"], w["row"],
                               w["column"]) for w in spec["warnings"]],
        source=source,
        kind=spec["kind"],
        present_columns={k: tuple(v) for k, v in spec["present_columns"].items()},
        home=_division(spec["home"]),
    )


def _division(code: str | None) -> regions.Division | None:
    if code is None:
        return None
    found = regions.by_code(code)
    if found is None:
        raise _Unreadable(f"unknown division {code}")
    return found


def _mapping(r: _Reader, spec: dict) -> dict[str, str]:
    return dict(zip(r.texts(spec["keys"]).tolist(), r.texts(spec["values"]).tolist(), strict=True))


def _groups(r: _Reader, spec: dict) -> dict[str, list[Post]]:
    indptr = r.array(spec["indptr"]).tolist()
    columns = [r.array(spec[f]).tolist() if f == "rank" else r.texts(spec[f]).tolist() for f in Post._fields]
    posts = [Post(*values) for values in zip(*columns, strict=True)]
    return {key: posts[a:b] for key, a, b in zip(r.texts(spec["keys"]).tolist(), indptr[:-1], indptr[1:], strict=True)}


def _posts(r: _Reader, spec: dict) -> LeaderPosts:
    return LeaderPosts(_groups(r, spec["by_holder"]), _groups(r, spec["by_name"]), _mapping(r, spec["names"]))


def _on_first_use(r: _Reader, build: Callable[[_Reader, dict], object], spec: dict) -> Callable[[], object]:
    """``build(r, spec)`` later, the string table read for it; None if the folder is gone or changed by then
    (a newer state of the registry, saved since, removes the older ones)."""
    def make() -> object:
        try:
            return r.read(build, spec)
        except (_Unreadable, OSError, ValueError, KeyError, IndexError):
            return None
    return make


def _check_posts(r: _Reader, spec: dict) -> None:
    for g in (spec["by_holder"], spec["by_name"]):
        r.check([g["keys"], *(g[f] for f in Post._fields if f != "rank")], [g["indptr"], g["rank"]])
    r.check([spec["names"]["keys"], spec["names"]["values"]])


def _stated(r: _Reader, spec: dict) -> dict[str, tuple[str, ...]]:
    indptr, flat = r.array(spec["indptr"]).tolist(), r.texts(spec["values"]).tolist()
    return {name: tuple(flat[a:b]) for name, a, b in zip(r.texts(spec["keys"]).tolist(), indptr[:-1], indptr[1:],
                                                         strict=True)}


def _profiles(r: _Reader, spec: dict) -> Profiles:
    t = spec["tfidf"]
    tfidf = sparse.csr_matrix((r.array(t["data"], mmap=True), r.array(t["indices"], mmap=True),
                               r.array(t["indptr"], mmap=True)), shape=tuple(t["shape"]))
    table = MemberTable(**{name: r.texts(c["codes"]) if "codes" in c else r.array(c["values"])
                           for name, c in spec["member_table"].items()})
    table.__dict__["stated"] = _stated(r, spec["member_stated"])  # the cached property, as prepared
    p = Profiles(
        frame=r.frame(spec["frame"]),
        core_vec=r.array(spec["core_vec"], mmap=True),
        desc_vec=r.array(spec["desc_vec"], mmap=True),
        member_table=table,
        members=r.sets(spec["members"]),
        leaders=r.sets(spec["leaders"]),
        services=r.sets(spec["services"]),
        tfidf=tfidf,
        vectorizer=Tfidf(r.texts(spec["vocabulary"]).tolist(), r.array(spec["idf"])),
        home=_division(spec["home"]),
    )
    n = len(p.frame)
    sizes = {len(p.core_vec), len(p.desc_vec), p.tfidf.shape[0], len(p.members), len(p.leaders), len(p.services)}
    if sizes != {n} or len({len(getattr(table, f.name)) for f in fields(MemberTable)}) > 1:
        raise _Unreadable("row counts differ")
    return p


# ------------------------------------------------------------------------------------------ the store


class PreparedStore:
    """Prepared registries in one folder, one subfolder per key. Reading or writing problems never stop the
    work: a damaged folder is rebuilt, an unwritable store only means preparing again next time."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = Path(folder)

    @classmethod
    def beside(cls, embedder: object) -> "PreparedStore | None":
        """The store beside ``embedder``'s embedding cache (none when it has no cache: nothing is kept)."""
        cache = getattr(embedder, "cache", None)
        if cache is None or getattr(cache, "disabled", True):
            return None
        return cls(Path(cache.path).parent / "prepared")

    def path(self, key: str) -> Path:
        return self.folder / key

    def load(self, key: str, source: str | os.PathLike[str]) -> Prepared | None:
        """The state saved under ``key`` (``source``: the registry path as now given), else None."""
        folder = self.path(key)
        if not (folder / "meta.json").is_file():
            return None
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("key") != key:
                raise _Unreadable("meta.json 不是本版本的预处理结果")
            r = _Reader(folder, meta)
            with r.reading():
                registry, profiles = _registry(r, meta["registry"], str(source)), _profiles(r, meta["profiles"])
            r.check([meta["vocabulary"]["keys"], meta["vocabulary"]["values"]])
            _check_posts(r, meta["posts"])
            return Prepared(registry, profiles, _on_first_use(r, _mapping, meta["vocabulary"]),
                            _on_first_use(r, _posts, meta["posts"]))
        except (_Unreadable, OSError, EOFError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            warnings.warn(DetectorWarning(f"预处理结果 {folder} 已损坏或不可读（{type(exc).__name__}: {exc}），"
                                          "将重新预处理登记库"), stacklevel=3)
            shutil.rmtree(folder, ignore_errors=True)
            return None

    def save(self, key: str, prepared: Prepared) -> Path | None:
        """Keep ``prepared`` under ``key`` (atomically: a temporary folder renamed into place) and remove the
        older states of the same registry. None (with a warning) when it cannot be written."""
        final = self.path(key)
        if (final / "meta.json").is_file():
            return final
        temp = self.folder / f".tmp-{key[:12]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            temp.mkdir(parents=True)
            w = _Writer(temp)
            meta = {"format": FORMAT, "key": key, "source": str(Path(prepared.registry.source).resolve()),
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "registry": _registry_layout(w, prepared.registry), "profiles": _profiles_layout(w, prepared.profiles),
                    "vocabulary": _mapping_layout(w, "vocabulary.members", prepared.vocabulary),
                    "posts": _posts_layout(w, prepared.posts)}
            meta["arrays"], meta["strings"] = w.arrays, len(w.strings)
            w.write_strings(temp / "strings.arrow")
            (temp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            try:
                temp.rename(final)
            except OSError:
                if not (final / "meta.json").is_file():  # not another process saving the same state first
                    raise
        except (OSError, TypeError) as exc:
            warnings.warn(DetectorWarning(f"无法保存预处理结果到 {self.folder}（{exc}）：结果照常产生，"
                                          "下次仍需重新预处理登记库"), stacklevel=3)
            return None
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        self._remove_older(key, meta["source"])
        return final

    def _remove_older(self, key: str, source: str) -> None:
        """Other states of the same registry folder (older files) and temporary folders of crashed writes."""
        for folder in self.folder.iterdir():
            if folder.name == key or not folder.is_dir():
                continue
            try:
                if folder.name.startswith(".tmp-"):
                    if time.time() - folder.stat().st_mtime > _STALE_TEMP_S:
                        shutil.rmtree(folder, ignore_errors=True)
                    continue
                meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
                if meta.get("source") == source:
                    shutil.rmtree(folder, ignore_errors=True)
            except (OSError, ValueError, AttributeError):
                continue
