"""Reading and validation: registry folders, ``.xlsx`` workbooks and in-memory tables → :class:`Registry`.

A registry (or an application batch) is a folder of CSV files or an ``.xlsx`` workbook with one sheet
per file (see FORMAT.md). Loading validates everything, in one place: hard problems raise one
:class:`InputError` naming the file, the spreadsheet row (header = row 1) and the column; soft problems
become :class:`InputWarning`s.
"""
from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, InputWarning
from ..names import guess_member_kind, infer_home, parse_name
from ..regions import Division
from ..text import normalize_name, normalize_text
from .encoding import decode_csv
from .workbook import MAX_COLUMNS, cell_text, open_workbook, sheet_rows
from .schema import (
    ACTIVE,
    ASSOCIATIONS,
    COLUMNS,
    DEFAULT_ROLE,
    EARLIEST_YEAR,
    INDUSTRY_STATS,
    INSPECTIONS,
    LONG_TEXT,
    MAX_CELL_CHARS,
    MAX_TEXT_CHARS,
    MAXIMA,
    MEMBER_KINDS,
    MEMBERSHIPS,
    REQUIRED,
    ROLES,
    SHEET_NAMES,
    STATUSES,
    TYPES,
    Registry,
    canonical_column,
    column_label,
)


# ------------------------------------------------------------------------------------------ raw tables


@dataclass(frozen=True)
class _Words:
    place: str  # 登记册 / 申请批次
    item: str  # 协会 / 申请


_KINDS = {"registry": _Words("登记册", "协会"), "applications": _Words("申请批次", "申请")}


@dataclass(frozen=True)
class _Table:
    """One input file or sheet: stripped strings, canonical column names, index = spreadsheet row."""

    name: str  # associations / memberships / industry_stats
    file: str  # as named in messages
    frame: pd.DataFrame


def _column_name(header: object, table: str) -> str:
    """Canonical column name: FORMAT names matched case- and width-insensitively (``Member Name``), or
    their Chinese names (``会员名称``); other headers as written."""
    return canonical_column(header, table) or unicodedata.normalize("NFKC", str(header)).strip()


def _check_cells(raw: pd.DataFrame, file: str) -> None:
    """Refuse NUL characters anywhere and more columns than a sheet may have (``raw``: header row 0)."""
    if raw.shape[1] > MAX_COLUMNS:
        raise InputError(f"共 {raw.shape[1]} 列：每个文件最多 {MAX_COLUMNS} 列", file, 1)
    for position in range(raw.shape[1]):
        has_nul = raw.iloc[:, position].str.contains("\x00", regex=False)
        if has_nul.any():
            row = int(has_nul.idxmax())
            column = str(raw.iat[0, position]).replace("\x00", "").strip() or None
            raise InputError(f"第 {position + 1} 列含有 NUL 空字符（\\0），请删除后重新保存", file, row + 1, column)


def _table(name: str, file: str, raw: pd.DataFrame) -> _Table:
    """Header row + body → a :class:`_Table`; blank rows dropped (row numbers kept)."""
    if raw.empty:
        raise InputError("文件为空", file)
    _check_cells(raw, file)
    raw = raw.apply(lambda column: column.str.strip())
    header = [_column_name(h, name) for h in raw.iloc[0]]
    body = raw.iloc[1:].set_axis(raw.index[1:] + 1).set_axis(header, axis=1)
    for position, column in enumerate(header, start=1):
        if column == "" and (body.iloc[:, position - 1] != "").any():
            raise InputError(f"第 {position} 列有数据但没有列名", file, 1)
        if column and header.index(column) != position - 1:
            raise InputError(f"列名 {column} 重复", file, 1, column)
    body = body.loc[:, [column != "" for column in header]]
    return _Table(name, file, body[(body != "").any(axis=1)])


def _read_csv(path: Path, name: str) -> _Table:
    file = str(path)
    text = decode_csv(path.read_bytes(), file)
    first_line = text.split("\n", 1)[0]
    sep = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        raw = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, na_filter=False,
                          skip_blank_lines=False)
    except pd.errors.EmptyDataError as exc:
        raise InputError("文件为空", file) from exc
    except pd.errors.ParserError as exc:
        raise _parser_error(exc, file) from exc
    return _table(name, file, raw)


def _parser_error(exc: pd.errors.ParserError, file: str) -> InputError:
    if m := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc)):
        return InputError(f"该行有 {m[3]} 个字段，表头只有 {m[1]} 个（值中的逗号需要加引号）", file, int(m[2]))
    if m := re.search(r"EOF inside string starting at row (\d+)", str(exc)):
        return InputError("引号没有闭合", file, int(m[1]) + 1)
    return InputError(f"CSV 格式错误：{exc}", file)


def _sheet_frame(rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    """Sheet rows (number, cells) → a frame indexed like :func:`pd.read_csv`'s (0 = the header row)."""
    width = max(len(cells) for _, cells in rows)
    return pd.DataFrame([cells + [""] * (width - len(cells)) for _, cells in rows],
                        index=[number - 1 for number, _ in rows], dtype=str)


def _read_workbook(path: Path, words: _Words) -> dict[str, _Table | None]:
    book = open_workbook(path, str(path))
    try:
        sheets = {sheet.title: sheet for sheet in book.worksheets}
        aliases = {zh: name for name, zh in SHEET_NAMES.items()}
        by_name = {aliases.get(title.strip(), title.strip().lower()): title for title in sheets}
        if ASSOCIATIONS not in by_name:
            raise InputError(f"{words.place}工作簿中缺少工作表 {ASSOCIATIONS}（或 {SHEET_NAMES[ASSOCIATIONS]}；"
                             f"现有：{'、'.join(book.sheetnames)}）", str(path))
        tables: dict[str, _Table | None] = dict.fromkeys(COLUMNS)
        for name in COLUMNS:
            if name in by_name:
                file = f"{path}（工作表 {by_name[name]}）"
                tables[name] = _table(name, file, _sheet_frame(sheet_rows(sheets[by_name[name]], file)))
        return tables
    finally:
        book.close()


def _folder_files(folder: Path) -> dict[str, Path]:
    """The CSV files of a registry folder by table name (file names matched case-insensitively)."""
    files = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    return {name: files[f"{name}.csv"] for name in COLUMNS if f"{name}.csv" in files}


def source_files(path: str | os.PathLike[str]) -> list[Path]:
    """The files :func:`load_registry` reads for ``path`` (a folder's CSV files, or the workbook); empty when
    ``path`` is neither (loading it then fails with the reason)."""
    path = Path(path)
    if path.is_dir():
        return list(_folder_files(path).values())
    return [path] if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm") else []


def _read_folder(folder: Path, words: _Words) -> dict[str, _Table | None]:
    files = _folder_files(folder)
    if ASSOCIATIONS not in files:
        raise InputError(f"{words.place}目录中缺少 {ASSOCIATIONS}.csv", str(folder))
    return {name: _read_csv(files[name], name) if name in files else None for name in COLUMNS}


def _read_source(path: Path, words: _Words) -> dict[str, _Table | None]:
    if path.is_dir():
        return _read_folder(path, words)
    if not path.exists():
        raise InputError(f"找不到{words.place}：{path}", str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path, words)
    if suffix == ".xls":
        raise InputError("不支持旧版 .xls 工作簿：请在 Excel 中另存为 .xlsx", str(path))
    raise InputError(f"{words.place}应为包含 {ASSOCIATIONS}.csv 的目录或 .xlsx 工作簿", str(path))


# ----------------------------------------------------------------------------------------- cell parsers


_SHOWN_CHARS = 40  # of a bad cell, quoted in its message


def _check(bad: pd.Series, values: pd.Series, file: str, message: str) -> None:
    """Raise for the first row where ``bad`` holds; ``{value}`` in ``message`` is that row's cell."""
    if bad.any():
        row = int(bad.idxmax())
        value = str(values[row])
        shown = value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…"
        raise InputError(message.format(value=shown), file, row, str(values.name))


def _map_unique(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """``values.map(fn)`` for a string function, calling ``fn`` once per distinct value."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([fn(u) for u in uniques.tolist()], dtype=object)
    return pd.Series(mapped[codes] if len(codes) else [], index=values.index, dtype="str")


def _isin(values: pd.Series, other: pd.Series) -> pd.Series:
    """``values.isin(other)`` for two string columns (hash-based; arrow's isin is slow for large ``other``)."""
    return values.astype(object).isin(other.astype(object))


def _verbatim(values: pd.Series, file: str) -> pd.Series:
    return values


def _text(values: pd.Series, file: str) -> pd.Series:
    return _map_unique(values, normalize_text)


_NOISE = re.compile(r"[\s,]+")


def _compact(text: str) -> str:
    """Half-width, without spaces and thousands separators: the form numbers, dates and codes are read in."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text))


def _code(values: pd.Series, file: str) -> pd.Series:
    """A 统一社会信用代码: half-width, upper case, no spaces."""
    return _map_unique(values, lambda text: _compact(text).upper())


def _numbers(values: pd.Series, file: str, *, integer: bool, minimum: int = 0) -> pd.Series:
    """``1,234`` / ``1234.0`` / full-width digits → numbers (Int64 or float64); empty → missing.

    Values above the column's plausible maximum (:data:`MAXIMA`) are refused.
    """
    text = _map_unique(values, _compact)
    numbers = pd.to_numeric(text.mask(text == ""), errors="coerce")
    _check((text != "") & ~np.isfinite(numbers), values, file, "「{value}」不是数字")
    if integer:
        _check(numbers.notna() & (numbers % 1 != 0), values, file, "「{value}」不是整数")
    too_small = "「{value}」不能为负数" if minimum == 0 else f"「{{value}}」应不小于 {minimum}"
    _check(numbers < minimum, values, file, too_small)
    maximum = MAXIMA[str(values.name)]
    _check(numbers > maximum, values, file, f"「{{value}}」超出合理范围（应不大于 {maximum:,.0f}）")
    return numbers.astype("Int64" if integer else "float64")


_DATE = r"^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日?)(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"


def _dates(values: pd.Series, file: str) -> pd.Series:
    """YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年MM月DD日 (a trailing time is ignored) → datetime64.

    A date before :data:`EARLIEST_YEAR` or after today is refused.
    """
    text = _map_unique(values, _compact)
    parts = text.str.extract(_DATE)
    year = pd.to_numeric(parts[0])
    today = pd.Timestamp(date.today())
    _check(year < EARLIEST_YEAR, values, file, f"「{{value}}」早于 {EARLIEST_YEAR} 年，不是合理的日期")
    _check(year > today.year, values, file, f"「{{value}}」晚于今天（{today:%Y-%m-%d}），日期不能在将来")
    ymd = parts[0] + "-" + parts[2].fillna(parts[4]) + "-" + parts[3].fillna(parts[5])
    dates = pd.to_datetime(ymd, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    _check((text != "") & dates.isna(), values, file,
           "「{value}」不是有效日期（应为 YYYY-MM-DD，也接受 YYYY/MM/DD、YYYY.MM.DD、YYYY年MM月DD日）")
    _check(dates > today, values, file, f"「{{value}}」晚于今天（{today:%Y-%m-%d}），日期不能在将来")
    return dates


_FLAGS = {"是": True, "否": False, "有": True, "无": False, "y": True, "n": False, "yes": True, "no": False,
          "true": True, "false": False, "1": True, "0": False}


def _flags(values: pd.Series, file: str) -> pd.Series:
    """是/否 (also Y/N, true/false, 1/0, 有/无) → nullable boolean."""
    key = _map_unique(values, _compact).str.lower()
    flags = key.map(_FLAGS)
    _check((key != "") & flags.isna(), values, file, "「{value}」应为 是 或 否")
    return flags.astype("boolean")


def _choice(values: pd.Series, file: str, *, allowed: tuple[str, ...], default: str = "") -> pd.Series:
    text = _text(values, file)
    _check((text != "") & ~text.isin(allowed), values, file, f"「{{value}}」不是有效值，应为 {' / '.join(allowed)}")
    return text.replace("", default) if default else text


_Parser = Callable[[pd.Series, str], pd.Series]
_PARSERS: dict[str, _Parser] = {
    "id": _verbatim,
    "name": _verbatim,
    "association_id": _verbatim,
    "member_id": _code,
    "founded": _dates,
    "last_election": _dates,
    "staff_fulltime": partial(_numbers, integer=True),
    "party_members": partial(_numbers, integer=True),
    "term_years": partial(_numbers, integer=True, minimum=1),  # blank: policy default_term_years
    "units": partial(_numbers, integer=True),
    "annual_sales": partial(_numbers, integer=False),
    "sales": partial(_numbers, integer=False),
    "has_office": _flags,
    "status": partial(_choice, allowed=STATUSES, default=ACTIVE),
    "inspection": partial(_choice, allowed=INSPECTIONS),
    "member_kind": partial(_choice, allowed=MEMBER_KINDS),
}


def _parse(table: _Table) -> pd.DataFrame:
    """Check required columns and cells, parse every FORMAT column (absent ones as empty), keep extras."""
    known = COLUMNS[table.name]
    for column in REQUIRED[table.name]:
        if column not in table.frame.columns:
            raise InputError(f"缺少必需的列 {column}（{column_label(column, table.name)}）", table.file, 1, column)
    extras = [c for c in table.frame.columns if c not in known]
    full = table.frame.reindex(columns=[*known, *extras], fill_value="")
    for column in REQUIRED[table.name]:
        _check(full[column] == "", full[column], table.file, f"{column} 为空")
    for column in full:
        limit = MAX_CELL_CHARS if column in known and column not in LONG_TEXT else MAX_TEXT_CHARS
        lengths = full[column].str.len()
        if (lengths > limit).any():
            row = int((lengths > limit).idxmax())
            raise InputError(f"内容过长（{lengths[row]:,} 字）：该列每格不超过 {limit:,} 字", table.file, row, column)
    return pd.DataFrame({c: _PARSERS.get(c, _text)(full[c], table.file) if c in known else full[c] for c in full},
                        index=full.index)


def _empty_table(name: str) -> _Table:
    return _Table(name, f"{name}.csv", pd.DataFrame(columns=list(COLUMNS[name]), dtype=str))


# ------------------------------------------------------------------------------------------- warnings


def _rows_warning(mask: pd.Series, file: str, column: str | None, message: str) -> list[InputWarning]:
    """One warning for all rows where ``mask`` holds: the count and the first rows go into the message."""
    rows = mask.index[mask.to_numpy(dtype=bool)]
    if len(rows) == 0:
        return []
    shown = "、".join(map(str, rows[:5])) + (" 等" if len(rows) > 5 else "")
    return [InputWarning(f"{message}（共 {len(rows)} 行：第 {shown} 行）", file, int(rows[0]), column)]


def _table_warnings(table: _Table) -> list[InputWarning]:
    """Extra columns; a header-only file (only reached for the optional files)."""
    warnings = [InputWarning(f"未知的列 {c}：已保留，不参与检测", table.file, 1, c)
                for c in table.frame.columns if c not in COLUMNS[table.name]]
    if table.frame.empty:
        warnings.append(InputWarning("只有表头，没有数据行", table.file))
    return warnings


# --------------------------------------------------------------------------------------- associations


def _infer_from_names(frame: pd.DataFrame, home: Division | None, file: str) -> list[InputWarning]:
    """Fill empty ``region`` / ``type`` from the name (adds ``region_inferred`` / ``type_inferred``)."""
    need = (frame["region"] == "") | (frame["type"] == "")
    parsed = {name: parse_name(name, home) for name in frame.loc[need, "name"].unique()}
    warnings = []
    for column in ("region", "type"):
        empty = frame[column] == ""
        guesses = {name: getattr(p, column) or "" for name, p in parsed.items()}
        frame.loc[empty, column] = frame.loc[empty, "name"].map(guesses)
        inferred = empty & (frame[column] != "")
        frame[f"{column}_inferred"] = inferred
        warnings += _rows_warning(inferred, file, column, f"{column} 为空，已根据名称推断")
        warnings += _rows_warning(frame[column] == "", file, column, f"{column} 为空，且无法根据名称推断")
    return warnings


def _same_name_warnings(frame: pd.DataFrame, file: str, words: _Words) -> list[InputWarning]:
    active = frame[frame["status"] == ACTIVE]
    groups = active[active["name_norm"].duplicated(keep=False)].groupby("name_norm", sort=False).groups
    return [InputWarning(f"名称规范化后相同（{norm}），可能重复登记：第 {'、'.join(map(str, rows))} 行"
                         f"（均为正常状态的{words.item}）", file, int(rows[0]), "name")
            for norm, rows in groups.items()]


def _associations(
    table: _Table, words: _Words, home: Division | None
) -> tuple[pd.DataFrame, list[InputWarning], Division | None]:
    frame = _parse(table)
    if frame.empty:
        raise InputError(f"没有任何{words.item}（只有表头）", table.file)
    ids = frame["id"]
    duplicated = ids.duplicated()
    if duplicated.any():
        row = int(duplicated.idxmax())
        first = int((ids == ids[row]).idxmax())
        raise InputError(f"{words.item} id「{ids[row]}」重复（第 {first} 行已使用）", table.file, row, "id")
    frame["name_norm"] = _map_unique(frame["name"], normalize_name)
    home = home or infer_home(frame["name"].tolist())
    warnings = _infer_from_names(frame, home, table.file)
    unknown_type = (frame["type"] != "") & ~frame["type"].isin(TYPES)
    warnings += _rows_warning(unknown_type, table.file, "type", f"type 不是 {' / '.join(TYPES)} 之一，按原样保留")
    if "inspection" in table.frame.columns:
        empty = frame["inspection"] == ""
        warnings += _rows_warning(empty, table.file, "inspection", "inspection 为空（未填写年检结果）")
    warnings += _same_name_warnings(frame, table.file, words)
    return frame, warnings, home


# ---------------------------------------------------------------------------------------- memberships

def _memberships(table: _Table, associations: pd.DataFrame, words: _Words) -> tuple[pd.DataFrame, list[InputWarning]]:
    frame = _parse(table)
    _check(~_isin(frame["association_id"], associations["id"]), frame["association_id"], table.file,
           f"association_id「{{value}}」不是 {ASSOCIATIONS} 中任何{words.item}的 id")
    frame["member_norm"] = _map_unique(frame["member_name"], normalize_name)
    kind_empty = frame["member_kind"] == ""
    frame.loc[kind_empty, "member_kind"] = _map_unique(frame.loc[kind_empty, "member_name"], guess_member_kind)
    frame["member_kind_inferred"] = kind_empty
    frame["role"] = frame["role"].replace("", DEFAULT_ROLE)
    warnings = _rows_warning(kind_empty, table.file, "member_kind", "member_kind 为空，已根据会员名称推断（企业/个人）")
    unknown_role = ~frame["role"].isin(ROLES)
    for role in frame.loc[unknown_role, "role"].unique():
        warnings += _rows_warning(frame["role"] == role, table.file, "role",
                                  f"role「{role}」不是 {' / '.join(ROLES)} 之一，按原样保留")
    duplicated = frame.duplicated(["association_id", "member_norm"])
    warnings += _rows_warning(duplicated, table.file, "member_name", "同一协会的同一会员重复出现，均已保留")
    return frame, warnings


def _industry_stats(table: _Table) -> tuple[pd.DataFrame, list[InputWarning]]:
    frame = _parse(table)
    duplicated = frame.duplicated(["industry", "region"])
    return frame, _rows_warning(duplicated, table.file, "industry", "同一行业、同一地区重复出现，均已保留")


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Spreadsheet row numbers move from the index into ``source_row``."""
    return frame.assign(source_row=frame.index.astype("int64")).reset_index(drop=True)


def _kind_words(kind: str) -> _Words:
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {sorted(_KINDS)}, not {kind!r}")
    return _KINDS[kind]


def _load(tables: Mapping[str, _Table | None], kind: str, home: Division | None, source: str) -> Registry:
    """Validate raw tables (``associations`` present) into a :class:`Registry`: the one place for validation."""
    words = _KINDS[kind]
    associations, more, home = _associations(tables[ASSOCIATIONS], words, home)
    warnings = [w for table in tables.values() if table is not None for w in _table_warnings(table)] + more
    memberships, more = _memberships(tables[MEMBERSHIPS] or _empty_table(MEMBERSHIPS), associations, words)
    warnings += more
    if len(memberships):
        no_members = ~_isin(associations["id"], memberships["association_id"]) & (associations["status"] == ACTIVE)
        warnings += _rows_warning(no_members, tables[ASSOCIATIONS].file, "id",
                                  f"{words.item}在 {MEMBERSHIPS} 中没有任何会员")
    industry_stats = None
    if tables[INDUSTRY_STATS] is not None:
        industry_stats, more = _industry_stats(tables[INDUSTRY_STATS])
        warnings += more
    return Registry(
        associations=_finish(associations),
        memberships=_finish(memberships),
        industry_stats=None if industry_stats is None else _finish(industry_stats),
        warnings=warnings,
        source=source,
        kind=kind,
        present_columns={name: tuple(t.frame.columns) for name, t in tables.items() if t is not None},
        home=home,
    )


def load_registry(path: str | os.PathLike[str], *, kind: str = "registry", home: Division | None = None) -> Registry:
    """Load and validate a registry folder / ``.xlsx`` workbook (``kind="applications"`` for a batch).

    ``home`` is the registry's city used to infer regions from names; by default inferred from the names
    (pass the registry's ``home`` when loading an application batch).
    """
    words = _kind_words(kind)
    path = Path(path)
    return _load(_read_source(path, words), kind, home, str(path))


def _frame_cell(value: object) -> str:
    """A cell of an in-memory frame as the text a CSV would hold (pandas' missing values → empty)."""
    return "" if not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value) else cell_text(value)


def _frame_table(name: str, file: str, frame: pd.DataFrame) -> _Table:
    """An in-memory table (columns = header) as if read from a sheet: header row 1, first data row 2."""
    rows = [list(frame.columns), *frame.itertuples(index=False, name=None)]
    return _table(name, file, pd.DataFrame(rows, dtype=object).map(_frame_cell).astype(str))


def load_tables(tables: Mapping[str, pd.DataFrame | None], *, kind: str = "applications",
                home: Division | None = None, source: str = "表格") -> Registry:
    """Validate in-memory tables exactly like :func:`load_registry` (same checks, same messages).

    ``tables`` holds frames keyed by ``associations`` / ``memberships`` / ``industry_stats`` (absent or
    ``None``: no such file), columns named as in FORMAT.md. Messages name the table as
    ``{source}（{name}）`` and rows as in a spreadsheet: the header is row 1, the frame's first row is row 2.
    """
    words = _kind_words(kind)
    unknown = set(tables) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown tables {sorted(unknown)}; expected some of {list(COLUMNS)}")
    if tables.get(ASSOCIATIONS) is None:
        raise InputError(f"{words.place}中缺少 {ASSOCIATIONS} 表", source)
    read = {name: None if (frame := tables.get(name)) is None else _frame_table(name, f"{source}（{name}）", frame)
            for name in COLUMNS}
    return _load(read, kind, home, source)


def summary(registry: Registry) -> dict[str, Any]:
    """Counts for ``detector validate`` (plain ints and strs, JSON-ready)."""
    a, m = registry.associations, registry.memberships

    def counts(values: pd.Series) -> dict[str, int]:
        return {str(k) or "未知": int(v) for k, v in values.value_counts().items()}

    return {
        "source": registry.source,
        "kind": registry.kind,
        "home": registry.home.name if registry.home else None,
        "associations": len(a),
        "active": int((a["status"] == ACTIVE).sum()),
        "by_status": counts(a["status"]),
        "by_region": counts(a["region"]),
        "by_type": counts(a["type"]),
        "memberships": len(m),
        "distinct_members": int(m["member_norm"].nunique()),
        "associations_with_members": int(_isin(a["id"], m["association_id"]).sum()),
        "industry_stats": None if registry.industry_stats is None else len(registry.industry_stats),
        "names_only": registry.names_only,
        "warnings": len(registry.warnings),
    }


def records(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Rows as dicts of the given (present) columns; much faster than ``DataFrame.to_dict`` on small frames."""
    names = [c for c in (frame.columns if columns is None else columns) if c in frame.columns]
    values = [frame[c].to_numpy(dtype=object) for c in names]
    return [dict(zip(names, row)) for row in zip(*values)]
