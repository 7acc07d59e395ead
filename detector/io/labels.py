"""labels.csv: what people know about pairs (FORMAT.md, "labels.csv"), read and validated like every input.

One row per judged pair: ``id_a``, ``id_b`` (ids of associations.csv, either order), ``label``
(``1`` / ``重复`` / ``same``; ``0`` / ``不重复`` / ``different``; ``?`` / ``不确定`` = skipped), optional
``reviewer``, ``note``, ``labelled_at``. Other columns (the names and scores ``detector label`` writes
beside them) are kept and ignored, so a filled-in queue is a labels file. A CSV file or an ``.xlsx``
workbook (sheet ``labels`` / ``标注``, else the first sheet); ``labels.csv`` inside a registry folder is
found by :func:`registry_labels`.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, InputWarning
from .read import _parser_error, _rows_warning, _sheet_frame, decode_csv
from .workbook import open_workbook, sheet_rows
from .schema import ASSOCIATIONS, Registry

LABELS = "labels"
LABEL_COLUMNS = ("id_a", "id_b", "label", "reviewer", "note", "labelled_at")
REQUIRED_LABEL_COLUMNS = ("id_a", "id_b", "label")
# Chinese headers a reviewer may type (English names are matched case- and width-insensitively).
LABEL_ALIASES = {"编号a": "id_a", "组织a编号": "id_a", "编号b": "id_b", "组织b编号": "id_b", "标注": "label",
                 "是否重复": "label", "标注人": "reviewer", "审查人": "reviewer", "备注": "note", "说明": "note",
                 "标注时间": "labelled_at"}
SAME, DIFFERENT = 1, 0
VALUES = {"1": SAME, "重复": SAME, "same": SAME, "0": DIFFERENT, "不重复": DIFFERENT, "different": DIFFERENT,
          "?": None, "不确定": None}
VALUES_TEXT = "1 / 重复 / same（重复）、0 / 不重复 / different（不重复）或 ? / 不确定（跳过）"
SHEETS = ("labels", "标注")


@dataclass(frozen=True)
class Labels:
    """Validated labels: one row per pair (the last row wins when a pair is labelled twice).

    ``pairs`` columns: ``id_a``, ``id_b`` (as written), ``label`` (1 / 0), ``reviewer``, ``note``,
    ``labelled_at`` (text, normalised to ISO when given), ``source_row``; extra columns as read.
    """

    pairs: pd.DataFrame
    skipped: int  # rows marked ? / 不确定
    unlabelled: int  # rows with an empty label (a queue not yet filled in)
    source: str
    warnings: list[InputWarning] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.pairs)

    @property
    def positives(self) -> int:
        return int((self.pairs["label"] == SAME).sum())

    @property
    def negatives(self) -> int:
        return int((self.pairs["label"] == DIFFERENT).sum())


def registry_labels(registry: str | Path) -> Path | None:
    """``labels.csv`` inside a registry folder (any case), else None."""
    folder = Path(registry)
    if not folder.is_dir():
        return None
    found = [p for p in folder.iterdir() if p.is_file() and p.name.lower() == f"{LABELS}.csv"]
    return found[0] if found else None


def _column(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header)).strip()
    key = re.sub(r"[\s\-]+", "_", text.lower())
    return key if key in LABEL_COLUMNS else LABEL_ALIASES.get(key, text)


def _raw_csv(path: Path) -> pd.DataFrame:
    text = decode_csv(path.read_bytes(), str(path))
    first = text.split("\n", 1)[0]
    sep = "\t" if "\t" in first and "," not in first else ","
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, na_filter=False, skip_blank_lines=False)
    except pd.errors.EmptyDataError as exc:
        raise InputError("文件为空", str(path)) from exc
    except pd.errors.ParserError as exc:
        raise _parser_error(exc, str(path)) from exc


def _raw_workbook(path: Path) -> tuple[pd.DataFrame, str]:
    """The labels sheet (else the first) of a workbook, read within the bounds of every workbook."""
    book = open_workbook(path, str(path))
    try:
        by_name = {sheet.title.strip().lower(): sheet for sheet in book.worksheets}
        if not by_name:
            raise InputError("工作簿中没有工作表", str(path))
        sheet = next((by_name[s] for s in SHEETS if s in by_name), book.worksheets[0])
        file = f"{path}（工作表 {sheet.title}）"
        return _sheet_frame(sheet_rows(sheet, file)), file
    finally:
        book.close()


def _raw(path: Path) -> tuple[pd.DataFrame, str]:
    if not path.is_file():
        raise InputError(f"找不到标注文件：{path}", str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _raw_workbook(path)
    if suffix == ".xls":
        raise InputError("不支持旧版 .xls 工作簿：请在 Excel 中另存为 .xlsx", str(path))
    return _raw_csv(path), str(path)


def _frame(raw: pd.DataFrame, file: str) -> pd.DataFrame:
    """Header row → columns; blank rows dropped; index = spreadsheet row (header = row 1)."""
    raw = raw.apply(lambda column: column.str.strip())
    if raw.empty:
        raise InputError("文件为空", file)
    header = [_column(h) for h in raw.iloc[0]]
    for position, column in enumerate(header, start=1):
        if column and header.index(column) != position - 1:
            raise InputError(f"列名 {column} 重复", file, 1, column)
    body = raw.iloc[1:].set_axis(raw.index[1:] + 1).set_axis(header, axis=1)
    body = body.loc[:, [c != "" for c in header]]
    for column in REQUIRED_LABEL_COLUMNS:
        if column not in body.columns:
            raise InputError(f"缺少必需的列 {column}（标注文件至少需要 id_a、id_b、label 三列）", file, 1, column)
    body = body[(body != "").any(axis=1)]
    return body.reindex(columns=[*LABEL_COLUMNS, *[c for c in body.columns if c not in LABEL_COLUMNS]], fill_value="")


def _first(bad: pd.Series) -> int:
    return int(bad.index[bad.to_numpy(dtype=bool)][0])


def _check_ids(frame: pd.DataFrame, known: set[str], file: str, registry: str) -> None:
    for column in ("id_a", "id_b"):
        values = frame[column]
        if (values == "").any():
            raise InputError(f"{column} 为空", file, _first(values == ""), column)
        unknown = ~values.isin(known)
        if unknown.any():
            row = _first(unknown)
            names = list(dict.fromkeys(values[unknown]))
            more = f"（另有 {len(names) - 1} 个未知编号）" if len(names) > 1 else ""
            raise InputError(f"{column}「{values[row]}」不是 {registry} 中任何协会的 id{more}", file, row, column)
    same = frame["id_a"] == frame["id_b"]
    if same.any():
        raise InputError(f"id_a 与 id_b 相同（{frame.loc[_first(same), 'id_a']}）：一对组织应为两家不同的组织",
                         file, _first(same), "id_b")


def _label_values(values: pd.Series, file: str) -> pd.Series:
    key = values.map(lambda v: unicodedata.normalize("NFKC", v).strip().lower())
    bad = (key != "") & ~key.isin(VALUES)
    if bad.any():
        row = _first(bad)
        raise InputError(f"「{values[row]}」不是有效的标注：应为 {VALUES_TEXT}", file, row, "label")
    return key


def _times(values: pd.Series, file: str) -> pd.Series:
    given = values != ""
    parsed = pd.to_datetime(values.where(given), errors="coerce", format="mixed")
    bad = given & parsed.isna()
    if bad.any():
        row = _first(bad)
        raise InputError(f"「{values[row]}」不是有效的时间（应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM）", file, row,
                         "labelled_at")
    return values.where(~given, parsed.map(lambda t: t.isoformat(timespec="seconds") if pd.notna(t) else ""))


def _latest(frame: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[InputWarning]]:
    """One row per unordered pair: the latest (by labelled_at, then row order); warns on repeats."""
    frame = frame.assign(_key=[tuple(sorted(p)) for p in zip(frame["id_a"], frame["id_b"])], _order=range(len(frame)))
    repeated = frame["_key"].duplicated(keep=False)
    conflict = repeated & (frame.groupby("_key")["label"].transform("nunique") > 1)
    warnings = _rows_warning(conflict, file, "label",
                             "同一对组织的标注前后不一致，以时间最晚（同时间则最后一行）的为准")
    warnings += _rows_warning(repeated & ~conflict, file, "id_a", "同一对组织标注了多次（标注相同），只计一次")
    frame = frame.sort_values(["labelled_at", "_order"], kind="stable").drop_duplicates("_key", keep="last")
    return frame.sort_values("_order").drop(columns=["_key", "_order"]), warnings


def load_labels(path: str | Path, registry: Registry) -> Labels:
    """Read and validate a labels file against ``registry`` (ids must be its associations' ids).

    Errors name the file, the spreadsheet row and the column; rows with an empty label (a queue not yet
    filled in) and ``?`` / ``不确定`` rows are counted and left out.
    """
    raw, file = _raw(Path(path))
    frame = _frame(raw, file)
    _check_ids(frame, set(registry.associations["id"]), file, f"{ASSOCIATIONS}.csv")
    key = _label_values(frame["label"], file)
    frame["labelled_at"] = _times(frame["labelled_at"], file)
    warnings = _rows_warning(key == "", file, "label", "label 为空（尚未标注），已跳过")
    skipped = key.map(lambda k: k in VALUES and VALUES[k] is None)
    kept, more = _latest(frame[(key != "") & ~skipped].assign(label=key.map(VALUES)), file)
    warnings += more
    if kept.empty:
        warnings.append(InputWarning("没有可用的标注（label 均为空或为 ? / 不确定）", file))
    kept = kept.assign(label=kept["label"].astype(int), source_row=kept.index.astype("int64")).reset_index(drop=True)
    return Labels(kept, int(skipped.sum()), int((key == "").sum()), file, warnings)
