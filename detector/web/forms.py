"""Applications from the web: form fields, a member table pasted from Excel, uploaded CSV / XLSX files,
or a JSON object, all validated by :mod:`detector.io` (same checks and messages as the command line)."""
from __future__ import annotations

import csv
import dataclasses
import io
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from ..errors import InputError
from ..io import ASSOCIATIONS, COLUMNS, MEMBERSHIPS, Registry, decode_csv, load_registry, load_tables
from ..regions import Division

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_APPLICATIONS = 500
_XLSX, _XLS = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"  # file signatures

# The single-application form: associations.csv columns and their labels.
FORM_FIELDS = {"name": "名称", "region": "登记区域", "type": "类型", "industry": "行业", "scope": "业务范围",
               "purpose": "章程宗旨", "services": "服务项目"}
# memberships.csv columns (without association_id) and the Chinese headers reviewers paste.
MEMBER_LABELS = {"member_name": "会员名称", "member_id": "统一社会信用代码", "member_kind": "会员类型",
                 "member_region": "所在地区", "role": "职务", "person": "负责人", "annual_sales": "年销售额",
                 "person_id": "负责人编号"}
_BY_LABEL = {label: column for column, label in MEMBER_LABELS.items()}
_UNIT = re.compile(r"[(（][^)）]*[)）]$")  # 年销售额（万元）


def new_application_id() -> str:
    return f"WEB-{datetime.now():%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"


# ------------------------------------------------------------------------------------------- members


def _member_column(header: object) -> str | None:
    """A pasted header cell → memberships.csv column (English name or Chinese label), else None."""
    text = _UNIT.sub("", unicodedata.normalize("NFKC", str(header)).strip()).strip()
    key = re.sub(r"[\s\-]+", "_", text.lower())
    if key in COLUMNS[MEMBERSHIPS]:
        return key
    return _BY_LABEL.get(text)


def _blank(row: list[Any]) -> bool:
    return not any(str(c).strip() for c in row if c is not None)


def members_frame(rows: list[list[Any]], app_id: str) -> pd.DataFrame | None:
    """Member rows (first row a header of column names or Chinese labels; without a recognised header
    only the first column is read, as member_name) → memberships rows of application ``app_id``.

    Blank rows stay (unassigned) so that messages give the row numbers of the pasted table.
    """
    if all(_blank(row) for row in rows):
        return None
    columns = [_member_column(h) for h in rows[0]]
    if not any(columns):
        frame = pd.DataFrame({"member_name": [row[0] if row else "" for row in rows]}, dtype=object)
    else:
        if "member_name" not in columns:
            raise InputError("会员表缺少「会员名称」（member_name）列", "会员表", 1)
        width = len(columns)
        body = [list(row[:width]) + [""] * (width - len(row)) for row in rows[1:]]
        named = [c or str(h).strip() for c, h in zip(columns, rows[0], strict=True)]
        frame = pd.DataFrame(body, columns=named, dtype=object)
        frame = frame.drop(columns=[c for c in frame.columns if c == "association_id" or not c])
    filled = [not _blank(row) for row in frame.itertuples(index=False)]
    return frame.assign(association_id=np.where(filled, app_id, ""))


def pasted_rows(text: str) -> list[list[str]]:
    """Text pasted from Excel (tab-separated) or CSV → rows of cells."""
    text = text.strip("\r\n")
    if not text.strip():
        return []
    if "\t" not in text and "," not in text.splitlines()[0]:
        return [[line] for line in text.splitlines()]  # one column: member names
    return list(csv.reader(io.StringIO(text), delimiter="\t" if "\t" in text else ","))


def _sheet_rows(data: bytes, file: str) -> list[list[Any]]:
    """The ``memberships`` sheet of a workbook (else its first sheet) as rows of cell values."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise InputError(f"无法读取 Excel 工作簿（{type(exc).__name__}）", file) from exc
    by_name = {name.strip().lower(): name for name in book.sheetnames}
    sheet = book[by_name.get(MEMBERSHIPS, book.sheetnames[0])]
    return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


def uploaded_member_rows(data: bytes, filename: str) -> list[list[Any]]:
    """An uploaded member list (.csv / .txt / .xlsx) → rows of cells."""
    _check_upload(filename, data)
    if data.startswith(_XLSX):
        return _sheet_rows(data, filename)
    return pasted_rows(decode_csv(data, filename))


# ------------------------------------------------------------------------------------- applications


def check_limits(apps: Registry) -> Registry:
    if len(apps) > MAX_APPLICATIONS:
        raise InputError(f"一次最多筛查 {MAX_APPLICATIONS} 件申请（本次 {len(apps)} 件），请拆分后上传", apps.source)
    if len(apps.memberships) > MAX_MEMBERS:
        raise InputError(f"会员记录最多 {MAX_MEMBERS} 条（本次 {len(apps.memberships)} 条），请拆分后上传",
                         apps.source)
    return apps


def load_application(fields: Mapping[str, Any], members: pd.DataFrame | None, home: Division | None,
                     source: str) -> Registry:
    """One application (associations.csv fields, ``id`` included) and its member rows → a batch of one."""
    associations = pd.DataFrame([dict(fields)], dtype=object)
    tables = {ASSOCIATIONS: associations, MEMBERSHIPS: members}
    return check_limits(load_tables(tables, kind="applications", home=home, source=source))


def form_application(values: Mapping[str, str], members_text: str, upload: tuple[str, bytes] | None,
                     home: Division | None) -> Registry:
    """The screening form: its fields (empty ones left out, like absent CSV columns) and the member table,
    pasted or uploaded (an uploaded file wins)."""
    if not values.get("name"):
        raise InputError("请填写申请组织的名称")
    app_id = new_application_id()
    rows = uploaded_member_rows(upload[1], upload[0]) if upload else pasted_rows(members_text)
    fields = {"id": app_id, **{k: v for k, v in values.items() if k in FORM_FIELDS and v}}
    return load_application(fields, members_frame(rows, app_id), home, "申请表单")


def _check_upload(filename: str, data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"上传文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB 上限", filename)
    if data.startswith(_XLS):
        raise InputError("不支持旧版 .xls 工作簿：请在 Excel 中另存为 .xlsx", filename)


def _save_batch(applications: tuple[str, bytes], memberships: tuple[str, bytes] | None,
                tmp: Path) -> tuple[Path, dict[str, str]]:
    """Write the uploads under fixed names; returns what to load and {temporary path: uploaded name}."""
    if applications[1].startswith(_XLSX):
        if memberships:
            raise InputError("上传 Excel 工作簿时，会员数据请放在同一工作簿的 memberships 工作表中", memberships[0])
        target = tmp / "batch.xlsx"
        target.write_bytes(applications[1])
        return target, {str(target): applications[0]}
    folder = tmp / "batch"
    folder.mkdir()
    names = {}
    for table, upload in ((ASSOCIATIONS, applications), (MEMBERSHIPS, memberships)):
        if upload:
            path = folder / f"{table}.csv"
            path.write_bytes(upload[1])
            names[str(path)] = upload[0]
    return folder, names


def _relabel(file: str | None, names: Mapping[str, str]) -> str | None:
    for path, shown in names.items():
        file = file.replace(path, shown) if file else file
    return file


def load_batch(applications: tuple[str, bytes], memberships: tuple[str, bytes] | None, workdir: Path,
               home: Division | None) -> Registry:
    """An uploaded batch, each file as (uploaded name, bytes): an ``.xlsx`` workbook (sheets associations,
    memberships), or an associations CSV with an optional memberships CSV.

    Files are saved under fixed names in a temporary folder inside ``workdir`` (removed afterwards) and
    loaded as ``detector screen`` loads them; messages name the uploaded files.
    """
    for upload in (applications, memberships):
        if upload:
            _check_upload(*upload)
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=workdir, prefix="upload-") as tmp:
        source, names = _save_batch(applications, memberships, Path(tmp))
        try:
            apps = load_registry(source, kind="applications", home=home)
        except InputError as exc:
            raise dataclasses.replace(exc, file=_relabel(exc.file, names)) from None
    warnings = [dataclasses.replace(w, file=_relabel(w.file, names)) for w in apps.warnings]
    return check_limits(dataclasses.replace(apps, warnings=warnings, source=applications[0]))


def json_value(value: Any) -> Any:
    """A parsed cell as JSON: dates as YYYY-MM-DD, missing as None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.strftime("%Y-%m-%d")
    return value.item() if isinstance(value, np.generic) else value


def application_records(apps: Registry) -> list[dict]:
    """Each application as submitted: its associations.csv fields (values inferred when loading left
    out) and ``members``, the memberships.csv rows without association_id."""
    columns = [c for c in COLUMNS[ASSOCIATIONS] if c in apps.present_columns[ASSOCIATIONS]]
    member_columns = [c for c in COLUMNS[MEMBERSHIPS][1:] if c in apps.present_columns.get(MEMBERSHIPS, ())]
    out = []
    for row in apps.associations.to_dict("records"):
        record = {c: json_value(row[c]) for c in columns if not row.get(f"{c}_inferred", False)}
        members = apps.members_of(row["id"])
        record["members"] = [{c: json_value(m[c]) for c in member_columns} for m in members.to_dict("records")]
        out.append(record)
    return out
