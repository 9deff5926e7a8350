"""A problem found in a workbook: where it is and what is wrong, in plain Dutch."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    FOUT = "fout"  # the file cannot be used as it is
    HINT = "hint"  # worth knowing; the file is valid


FOUT = Severity.FOUT
HINT = Severity.HINT


@dataclass(frozen=True)
class Problem:
    message: str
    path: str = ""  # key path, e.g. cyclus[2].acties[1].deadline
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based
    severity: Severity = FOUT

    def format(self, filename: str) -> str:
        where = filename
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        kind = "" if self.severity == FOUT else f"{self.severity}: "
        subject = f"{self.path}: " if self.path else ""
        return f"{where}: {kind}{subject}{self.message}"
