"""Output: every file is written atomically (temporary file in the same folder, fsync, then ``os.replace``).

CSV in UTF-8 with a BOM (so Excel shows Chinese), JSON/JSONL with Chinese readable and NaN refused,
registry folders in FORMAT.md, and several files together (all replaced, or on failure none).
"""
from __future__ import annotations

import dataclasses
import errno
import json
import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ..errors import OutputError
from .schema import ASSOCIATIONS, COLUMNS, DERIVED, INDUSTRY_STATS, MEMBERSHIPS, Registry

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: FORMAT.md tolerates it and Excel needs it to show Chinese


_REASONS = {errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "超出磁盘配额", errno.EFBIG: "文件超出文件系统或配额允许的大小",
            errno.EACCES: "没有写权限", errno.EPERM: "没有写权限", errno.EROFS: "文件系统只读",
            errno.ENOTDIR: "路径中有一部分是文件而不是文件夹", errno.EEXIST: "路径中有一部分是文件而不是文件夹",
            errno.EISDIR: "这是一个文件夹", errno.ENOENT: "文件夹不存在且无法创建", errno.ENAMETOOLONG: "文件名过长"}


def output_error(path: str | os.PathLike[str], exc: OSError) -> OutputError:
    """An OSError met while writing ``path`` as the user-facing error that names the file."""
    reason = _REASONS.get(exc.errno or 0)
    detail = exc.strerror or str(exc) or type(exc).__name__
    return OutputError(str(path), f"{reason}（{detail}）" if reason else detail)


def _write_temp(path: Path, write: Callable[[IO[str]], None], encoding: str = "utf-8") -> Path:
    """Write a new temporary file beside ``path`` and return it; nothing is left behind on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _write_atomically(files: Mapping[Path, Callable[[IO[str]], None]], encoding: str = "utf-8") -> None:
    """Write every file to a temporary file beside it, then move them all into place.

    A failure while writing replaces nothing; no temporary file is ever left behind. An OSError (full
    disk, missing permission, a file where a folder should be) becomes an :class:`OutputError` naming the file.
    """
    temps: dict[Path, Path] = {}
    target = next(iter(files), Path())
    try:
        for target, write in files.items():
            temps[target] = _write_temp(target, write, encoding)
        for target, temp in temps.items():
            os.replace(temp, target)
    except OSError as exc:
        raise output_error(target, exc) from exc
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)


def _atomic_write(path: str | os.PathLike[str], write: Callable[[IO[str]], None], encoding: str = "utf-8") -> None:
    _write_atomically({Path(path): write}, encoding)


def _to_csv(df: pd.DataFrame, f: IO[str]) -> None:
    df.to_csv(f, index=False, lineterminator="\n", date_format="%Y-%m-%d")


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write a CSV atomically, UTF-8 with a BOM (so Excel shows Chinese), dates as YYYY-MM-DD."""
    _atomic_write(path, partial(_to_csv, df), CSV_ENCODING)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if isinstance(obj, Path):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")


def _dumps(obj: Any, **kwargs: Any) -> str:
    """JSON with Chinese kept readable; NaN is refused (browsers cannot parse it)."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, default=_json_default, **kwargs)


def json_text(obj: Any) -> str:
    """One JSON document as written by :func:`write_json` (UTF-8 text, indented, Chinese readable)."""
    return _dumps(obj, indent=2) + "\n"


def write_json(obj: Any, path: str | os.PathLike[str]) -> None:
    """Write one JSON document atomically (UTF-8, indented)."""
    text = json_text(obj)
    _atomic_write(path, lambda f: f.write(text))


def write_jsonl(rows: Iterable[Any], path: str | os.PathLike[str]) -> None:
    """Write one JSON object per line atomically; ``rows`` may be a generator."""
    _atomic_write(path, lambda f: f.writelines(_dumps(row) + "\n" for row in rows))


def write_files(contents: Mapping[str | os.PathLike[str], str | bytes]) -> None:
    """Write several files together (text as UTF-8): every one is replaced, or on failure none is."""
    def writer(data: bytes) -> Callable[[IO[str]], None]:
        return lambda f: f.buffer.write(data)

    _write_atomically({Path(p): writer(d.encode() if isinstance(d, str) else d) for p, d in contents.items()})


def _format_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A parsed column back to FORMAT text; values inferred at load time are left empty again."""
    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime("%Y-%m-%d")
    elif pd.api.types.is_bool_dtype(values):
        text = values.map({True: "是", False: "否"})
    elif pd.api.types.is_float_dtype(values):
        text = values.astype(str).str.replace(r"\.0$", "", regex=True)
    else:
        text = values.astype(str)
    text = text.where(values.notna(), "")
    inferred = f"{column}_inferred"
    return text.where(~frame[inferred].astype(bool), "") if inferred in frame else text


def _registry_frames(source: Registry | Mapping[str, pd.DataFrame | None]) -> dict[str, pd.DataFrame]:
    """The tables to write, each with the columns to write (FORMAT order, then extra columns)."""
    if isinstance(source, Registry):
        frames = {ASSOCIATIONS: source.associations, MEMBERSHIPS: source.memberships,
                  INDUSTRY_STATS: source.industry_stats}
        columns = source.present_columns
    else:
        frames = {name: source.get(name) for name in COLUMNS}
        columns = {name: tuple(frame.columns) for name, frame in frames.items() if frame is not None}
    out = {}
    for name, frame in frames.items():
        if frame is None or name not in columns:
            continue
        keep = [c for c in COLUMNS[name] if c in columns[name]]
        keep += [c for c in columns[name] if c not in COLUMNS[name] and c not in DERIVED]
        out[name] = pd.DataFrame({c: _format_column(frame, c) for c in keep}, index=frame.index)
    return out


def write_registry(source: Registry | Mapping[str, pd.DataFrame | None], folder: str | os.PathLike[str]) -> None:
    """Write a registry folder in FORMAT.md (derived columns dropped, extra columns kept).

    Accepts a :class:`Registry` (writes the columns its files had) or frames keyed by ``associations`` /
    ``memberships`` / ``industry_stats``. All files are written before any is replaced; an optional file
    the registry does not have is removed so the folder holds exactly this registry.
    """
    folder = Path(folder)
    frames = _registry_frames(source)
    if ASSOCIATIONS not in frames:
        raise ValueError("write_registry needs an associations frame")
    _write_atomically({folder / f"{name}.csv": partial(_to_csv, frame) for name, frame in frames.items()},
                      CSV_ENCODING)
    for name in COLUMNS:
        if name not in frames:
            (folder / f"{name}.csv").unlink(missing_ok=True)
