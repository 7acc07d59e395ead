""".xlsx workbooks, read within bounds: a small file cannot make the reader exhaust memory or time.

The archive's unpacked size is checked before anything is parsed; sheets are streamed (openpyxl's
read-only mode) ignoring the dimension the file declares, at most :data:`MAX_COLUMNS` columns wide, and
only rows holding a value are kept.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read (0.3 s a CSV registry need not pay)
    from openpyxl.workbook.workbook import Workbook

MAX_COLUMNS = 200  # FORMAT.md has at most 17 columns per file; extra columns are kept, up to this many
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_UNPACKED_BYTES = 1 << 30  # the XML inside the archive; a real 1M-row sheet is a few hundred MB


def cell_text(value: object) -> str:
    """An Excel cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers without ``.0``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"


def workbook_problem(data: bytes) -> str | None:
    """Why bytes that should be an .xlsx workbook are not one (in Chinese), or None when they are."""
    if data.startswith(_XLS_SIGNATURE):
        return "不支持旧版 .xls 工作簿：请在 Excel 中另存为 .xlsx"
    if not data.startswith(b"PK\x03\x04"):
        return ("文件名是 Excel 工作簿，但内容不是 Excel 工作簿（可能是改了扩展名的其他文件）："
                "请在 Excel 中打开后另存为 .xlsx，或上传 CSV 文件")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            names = set(book.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "Excel 工作簿已损坏，无法打开（文件可能未完整下载或保存）：请重新导出或在 Excel 中另存后再上传"
    if "xl/workbook.xml" not in names:
        return "这是 ZIP 压缩文件（如 Word 文档或压缩包），不是 Excel 工作簿"
    return None


def open_workbook(source: Path | bytes, file: str) -> Workbook:
    """A workbook opened read-only (values, not formulas); ``file`` names it in errors."""
    from openpyxl import load_workbook

    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    data = io.BytesIO(raw)
    try:
        try:
            with zipfile.ZipFile(data) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            unpacked = 0  # not a zip at all: workbook_problem says what it is
        if unpacked > MAX_UNPACKED_BYTES:
            raise InputError(f"工作簿解压后超过 {MAX_UNPACKED_BYTES >> 20} MB（{unpacked >> 20} MB），拒绝读取："
                             "请拆分数据或另存为 CSV", file)
        problem = workbook_problem(raw)
        if problem:
            raise InputError(problem, file)
        data.seek(0)
        return load_workbook(data, read_only=True, data_only=True, keep_links=False)
    except InputError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged or foreign file
        raise InputError(f"无法读取 Excel 工作簿（{type(exc).__name__}：{str(exc)[:200]}）", file) from exc


def _values(sheet: Any, file: str) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as value tuples, each as wide as its own last cell (a missing row is empty),
    whatever dimension the file declares (``A1:XFD1048576`` would pad every row to 16,384 cells)."""
    sheet.reset_dimensions()
    try:
        yield from sheet.iter_rows(values_only=True)
    except Exception as exc:  # a damaged sheet
        raise InputError(f"无法读取 Excel 工作表（{type(exc).__name__}：{str(exc)[:200]}）", file) from exc


def sheet_rows(sheet: Any, file: str, max_rows: int = MAX_ROWS) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) for row 1 and every row holding a value, trailing empty cells cut.

    Refuses a value beyond column :data:`MAX_COLUMNS` or below row ``max_rows``.
    """
    rows = []
    for number, values in enumerate(_values(sheet, file), start=1):
        width = len(values)
        while width and (values[width - 1] is None or values[width - 1] == ""):
            width -= 1
        if not width and number > 1:
            continue
        if width > MAX_COLUMNS:
            raise InputError(f"第 {width} 列有数据：每张工作表最多 {MAX_COLUMNS} 列", file, number)
        if number > max_rows:
            raise InputError(f"第 {number} 行有数据：最多 {max_rows:,} 行", file, number)
        rows.append((number, [cell_text(v) for v in values[:width]]))
    return rows
