"""Finding and reading the files of a dataset: CSV, Parquet or one Excel workbook.

Text files are UTF-8 (with or without a byte-order mark) or Windows-1252; anything else
is a problem, never a guess. Nothing here writes to the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataReadError, Problem
from . import schema as S

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "excel",
           ".xlsm": "excel"}
MIN_AGE_YEARS, MAX_AGE_YEARS = 3, 25


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Source:
    table: str
    path: Path
    fmt: str
    sheet: str | None = None

    @property
    def label(self) -> str:
        return self.path.name


def _table_name(stem: str) -> str:
    return stem.strip().lower().replace(" ", "_").replace("-", "_")


def discover(path: Path) -> tuple[list[Source], list[Problem], list[str]]:
    """Find the table files under ``path``. Returns sources, problems, unmatched names."""
    if not path.exists():
        raise DataReadError(f"{path}: no such file or folder")
    problems: list[Problem] = []
    if path.is_file():
        if FORMATS.get(path.suffix.lower()) != "excel":
            raise DataReadError(
                f"{path}: give a folder of CSV or Parquet files, or an Excel workbook (.xlsx)"
            )
        workbooks = [path]
        files: list[Path] = []
    else:
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
        workbooks = [p for p in files if FORMATS.get(p.suffix.lower()) == "excel"
                     and _table_name(p.stem) not in S.TABLES]
    sources: dict[str, Source] = {}
    unmatched: list[str] = []
    for wb in workbooks:
        try:
            sheets = pd.ExcelFile(wb, engine="openpyxl").sheet_names
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook
            raise DataReadError(f"{wb}: cannot be read as an Excel workbook ({exc})") from exc
        for sheet in sheets:
            name = _table_name(sheet)
            if name not in S.TABLES:
                unmatched.append(f"{wb.name} [sheet {sheet}]")
                continue
            if name in sources:
                problems.append(Problem(wb.name, None, None, None,
                                        f"table {name} is given twice (also in "
                                        f"{sources[name].label})", sheet=sheet))
                continue
            sources[name] = Source(name, wb, "excel", sheet)
    for f in files:
        fmt = FORMATS.get(f.suffix.lower())
        if fmt is None or (fmt == "excel" and f in workbooks):
            continue
        name = _table_name(f.stem)
        if name not in S.TABLES:
            unmatched.append(f.name)
            continue
        if name in sources:
            problems.append(Problem(f.name, None, None, None,
                                    f"table {name} is given twice (also in "
                                    f"{sources[name].label}); keep one"))
            continue
        sources[name] = Source(name, f, fmt, "Sheet1" if fmt == "excel" else None)
    return list(sources.values()), problems, unmatched


# --------------------------------------------------------------------------- reading


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # raises for the five undefined bytes


def read(src: Source) -> pd.DataFrame:
    """Read one table; index = row number as a person sees it in the file."""
    if src.fmt == "csv":
        import io as _io

        text = decode_text(src.path.read_bytes())
        df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False,
                         na_values=[], skipinitialspace=False)
        df.index = pd.RangeIndex(2, len(df) + 2)
    elif src.fmt == "parquet":
        df = pd.read_parquet(src.path, engine="pyarrow")
        df.index = pd.RangeIndex(1, len(df) + 1)
    else:
        df = pd.read_excel(src.path, sheet_name=src.sheet, dtype=object, engine="openpyxl")
        df.index = pd.RangeIndex(2, len(df) + 2)
    return df


def normalise_header(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


