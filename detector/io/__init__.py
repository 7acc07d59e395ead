"""Registry input and output (see FORMAT.md), one concern per module.

- :mod:`.schema`: tables, columns, allowed values, the loaded :class:`Registry`;
- :mod:`.encoding`: CSV bytes → text (UTF-8, UTF-16, GB18030/GBK, Big5; refused when unsure);
- :mod:`.workbook`: ``.xlsx`` workbooks read within bounds (unpacked size, columns, rows);
- :mod:`.read`: reading CSV folders / workbooks / in-memory tables, and the one validation point
  (errors name file, row and column; values outside plausible ranges are refused);
- :mod:`.write`: atomic writes (temporary file, then rename) of CSV, JSON, JSONL and registry folders.
"""
from __future__ import annotations

from .read import decode_csv, load_registry, load_tables, records, summary
from .schema import (
    ACTIVE,
    ASSOCIATIONS,
    CHINESE_COLUMNS,
    COLUMNS,
    DEFAULT_ROLE,
    DERIVED,
    ENTERPRISE,
    INDUSTRY_STATS,
    INSPECTIONS,
    MAX_CELL_CHARS,
    MAX_TEXT_CHARS,
    MEMBER_KINDS,
    MEMBERSHIPS,
    PERSON,
    REQUIRED,
    ROLES,
    SHEET_NAMES,
    STATUSES,
    TYPES,
    Association,
    Registry,
    canonical_column,
    column_label,
)
from .workbook import workbook_problem
from .write import CSV_ENCODING, json_text, write_csv, write_files, write_json, write_jsonl, write_registry

__all__ = [
    "ACTIVE", "ASSOCIATIONS", "CHINESE_COLUMNS", "COLUMNS", "CSV_ENCODING", "DEFAULT_ROLE", "DERIVED", "ENTERPRISE",
    "INDUSTRY_STATS", "INSPECTIONS", "MAX_CELL_CHARS", "MAX_TEXT_CHARS", "MEMBERSHIPS", "MEMBER_KINDS", "PERSON",
    "REQUIRED", "ROLES", "SHEET_NAMES", "STATUSES", "TYPES", "Association", "Registry", "canonical_column",
    "column_label", "decode_csv", "json_text", "load_registry", "load_tables", "records", "summary",
    "workbook_problem", "write_csv", "write_files", "write_json", "write_jsonl", "write_registry",
]
