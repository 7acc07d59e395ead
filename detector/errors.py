"""User-facing errors: every bad input names its file, row and column."""
from __future__ import annotations

from dataclasses import dataclass


class DetectorError(Exception):
    """An error caused by the user's input or setup; the CLI prints it without a traceback."""


@dataclass
class InputError(DetectorError):
    """A problem in an input file. ``row`` is the 1-based line number as seen in a spreadsheet
    (the header is row 1), ``column`` the column name."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"文件 {self.file}")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列 {self.column}")
        prefix = "，".join(where)
        return f"{prefix}：{self.message}" if prefix else self.message


@dataclass
class OutputError(DetectorError):
    """An output file that cannot be written: always names the file, and why in Chinese."""

    path: str
    reason: str

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"无法写入输出文件 {self.path}：{self.reason}"


@dataclass(frozen=True)
class InputWarning:
    """A soft problem: the data is usable but a person should know."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        return str(InputError(self.message, self.file, self.row, self.column))


class DetectorWarning(UserWarning):
    """Something the user should know that does not stop the work (the CLI prints it as 警告：…)."""
