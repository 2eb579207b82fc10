"""Finding and reading the files of a dataset: CSV, Parquet or one Excel workbook.

Text files are UTF-8 (with or without a byte-order mark) or Windows-1252; anything else
is a problem, never a guess. Nothing here writes to the input.
"""

from __future__ import annotations

import os
import re
import unicodedata
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


def table_name(stem: str) -> str:
    """The table a file stem names: ``Learners``, ``learners`` and ``learners `` alike."""
    return stem.strip().lower().replace(" ", "_").replace("-", "_")


def discover(path: Path) -> tuple[list[Source], list[Problem], list[str]]:
    """Find the table files under ``path``. Returns sources, problems, unmatched names."""
    workbooks, files, problems = _candidates(path)
    sources: dict[str, Source] = {}
    unmatched: list[str] = []
    for wb in workbooks:
        problems += _workbook_sources(wb, path, sources, unmatched)
    for f in files:
        fmt = FORMATS.get(f.suffix.lower())
        if fmt is None or (fmt == "excel" and f in workbooks):
            continue
        name = table_name(f.stem)
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


def _candidates(path: Path) -> tuple[list[Path], list[Path], list[Problem]]:
    """The workbooks whose sheets are tables and the regular files of a dataset path (a
    workbook, or a folder: its hidden and ``~$`` entries skipped), and the entries named
    like a table file that are not one (a folder, a pipe, a broken link)."""
    if not path.exists():
        raise DataReadError(f"{path}: no such file or folder")
    if path.is_file():
        if FORMATS.get(path.suffix.lower()) != "excel":
            raise DataReadError(
                f"{path}: give a folder of CSV or Parquet files, or an Excel workbook (.xlsx)"
            )
        return [path], [], []
    if not path.is_dir():  # a pipe, a socket or a device
        raise DataReadError(f"{path}: is not a file or a folder (a pipe or a device); give a "
                            "folder of CSV or Parquet files, or an Excel workbook (.xlsx)")
    try:
        entries = sorted(p for p in path.iterdir() if not p.name.startswith((".", "~$")))
    except PermissionError as exc:
        raise DataReadError(unreadable(path)) from exc
    problems: list[Problem] = []
    files = []
    for p in entries:
        kind = not_a_file(p)
        if kind is None:
            files.append(p)
        elif FORMATS.get(p.suffix.lower()) == "excel" or (
                p.suffix.lower() in FORMATS and table_name(p.stem) in S.TABLES):
            # named like a table file, but not one
            problems.append(Problem(p.name, None, None, None, kind, unreadable=True))
    workbooks = [p for p in files if FORMATS.get(p.suffix.lower()) == "excel"
                 and table_name(p.stem) not in S.TABLES]
    return workbooks, files, problems


def _workbook_sources(wb: Path, path: Path, sources: dict[str, Source],
                      unmatched: list[str]) -> list[Problem]:
    """Add to ``sources`` the visible sheets of workbook ``wb`` named like a table (to
    ``unmatched`` the other sheets); the problems of the workbook and its sheets. A
    workbook that is the whole dataset (``path``) and cannot be read raises."""
    try:
        states = sheet_states(wb)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook
        if path.is_file():  # the workbook is the whole dataset: nothing else to check
            if isinstance(exc, DataReadError):
                raise
            raise DataReadError(f"{wb}: cannot be read as an Excel workbook ({exc})") \
                from exc
        rule = (read_failure(wb, exc) if isinstance(exc, OSError)
                else str(exc).removeprefix(f"{wb}: ") if isinstance(exc, DataReadError)
                else f"cannot be read as an Excel workbook ({exc})")
        return [Problem(wb.name, None, None, None, rule, unreadable=True)]
    problems = []
    for sheet, state in states.items():
        name = table_name(sheet)
        if name not in S.TABLES:
            unmatched.append(f"{wb.name} [sheet {sheet}]")
            continue
        if state != "visible":
            problems.append(Problem(wb.name, None, None, None,
                                    f"the sheet is {state}, so whoever checked the "
                                    "workbook may not have seen it: unhide it or "
                                    "delete it", sheet=sheet))
            continue
        if name in sources:
            problems.append(Problem(wb.name, None, None, None,
                                    f"table {name} is given twice (also in "
                                    f"{sources[name].label})", sheet=sheet))
            continue
        sources[name] = Source(name, wb, "excel", sheet)
    return problems


# --------------------------------------------------------------------------- reading


def unreadable(path: Path) -> str:
    """The message for a file or folder this user may not read."""
    what = "folder" if path.is_dir() else "file"
    return (f"{path}: the {what} cannot be read (permission denied); ask its owner for "
            "read access, or copy the data somewhere you can read it")


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a table file (``None`` when it is a regular file):
    a folder, a link to nothing, or a pipe, socket or device (reading one could wait
    for ever). Never opens ``path``."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "is a link to a file that does not exist, so it cannot be read"
    except OSError as exc:
        return read_failure(path, exc)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return ("is a folder, not a file, so it cannot be read as a table; put the table's "
                "file here instead")
    return ("is not a regular file (a pipe, socket or device), so it is not read; put the "
            "table's file here instead")


def read_failure(path: Path, exc: BaseException) -> str:
    """The rule of the problem for a file that could not be read: the reason, and what
    to do about it."""
    if isinstance(exc, PermissionError):
        return ("the file cannot be read (permission denied); ask its owner for read "
                "access, or copy the data somewhere you can read it")
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file, so it cannot be read as a table"
    if isinstance(exc, OSError):
        return (f"the file cannot be read ({exc.strerror or exc}); check the disk or copy "
                "the file again")
    return f"cannot be read: {exc}"


#: Largest uncompressed size of an Excel workbook read (bytes). An .xlsx file is a zip
#: archive: a few megabytes can inflate to gigabytes and keep a reader busy for minutes.
#: A workbook of 100,000 learners' records is far below this; raise it with the
#: environment variable SRB_EVAL_MAX_WORKBOOK_MB if a real export needs more.
MAX_WORKBOOK_BYTES = 1_000 * 2**20


def check_workbook_size(workbook: Path) -> None:
    """Refuse a workbook whose contents inflate beyond :data:`MAX_WORKBOOK_BYTES`.

    Raises
    ------
    DataReadError
        Naming the file, its inflated size and the limit.
    """
    import os
    import zipfile

    limit = int(float(os.environ.get("SRB_EVAL_MAX_WORKBOOK_MB", 0)) * 2**20) \
        or MAX_WORKBOOK_BYTES
    with zipfile.ZipFile(workbook) as z:
        size = sum(i.file_size for i in z.infolist())
    if size > limit:
        raise DataReadError(
            f"{workbook}: its contents inflate to {size / 2**20:,.0f} MB, over the limit of "
            f"{limit / 2**20:,.0f} MB; save the tables as CSV or Parquet, or raise the limit "
            "with SRB_EVAL_MAX_WORKBOOK_MB")


def sheet_states(workbook: Path) -> dict[str, str]:
    """Each sheet of an Excel workbook and its state: visible, hidden or veryHidden."""
    import openpyxl

    check_workbook_size(workbook)
    book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    try:
        return {ws.title: ws.sheet_state for ws in book.worksheets}
    finally:
        book.close()


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused.

    Raises
    ------
    ValueError
        UTF-16 or UTF-32 text (a byte-order mark, or NUL bytes in every second or fourth
        byte), a NUL byte (which no CSV export in UTF-8 or Windows-1252 holds), or text
        that is UTF-8 in some lines and not in others, with the way to save the file
        instead.
    UnicodeDecodeError
        Bytes that are neither UTF-8 nor Windows-1252.
    """
    head = raw[:4096]
    # wide characters: a byte-order mark, or a NUL byte in every second or fourth byte
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or 4 * head.count(b"\x00") >= len(head) > 0:
        raise ValueError("the file is UTF-16 (or other wide-character) text; save it as "
                         "'CSV UTF-8 (comma delimited)'")
    if b"\x00" in raw:
        line = raw[:raw.index(b"\x00")].count(b"\n") + 1
        raise ValueError(f"the file holds a NUL byte (character 0) on line {line}, which "
                         "no text export holds; re-export it as 'CSV UTF-8 (comma "
                         "delimited)'")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        lenient = raw.decode("utf-8", "surrogateescape")  # bad bytes as lone surrogates
        if re.search("[^\x00-\x7f\udc80-\udcff]", lenient):  # UTF-8 beside the bad bytes
            line = raw[:exc.start].count(b"\n") + 1
            raise ValueError(
                f"the file mixes UTF-8 text with another encoding (line {line} is not "
                "UTF-8, other lines are): read as one or the other, some names would be "
                "garbled; save the whole file as 'CSV UTF-8 (comma delimited)'") from exc
        return raw.decode("cp1252")  # raises for the five undefined bytes


def read(src: Source) -> pd.DataFrame:
    """Read one table; index = row number as a person sees it in the file."""
    if src.fmt == "csv":

        text = decode_text(src.path.read_bytes())
        df = csv_table(text)
        df.columns = header_as_written(text, df.columns)
        df.index = pd.RangeIndex(2, len(df) + 2)
    elif src.fmt == "parquet":
        plain_columns(src.path)
        df = pd.read_parquet(src.path, engine="pyarrow")
        df.index = pd.RangeIndex(1, len(df) + 1)
    else:
        # (as a CSV: "NA", "N/A" or "NULL" is text, and an error cell "#N/A" is not an
        # empty cell; spreadsheet_cells names it)
        df = pd.read_excel(src.path, sheet_name=src.sheet, dtype=object, engine="openpyxl",
                           keep_default_na=False, na_values=[])
        first = pd.read_excel(src.path, sheet_name=src.sheet, header=None, nrows=1,
                              dtype=object, engine="openpyxl")
        if first.shape[1] == df.shape[1]:
            df.columns = [str(v) for v in first.iloc[0]] if len(first) else df.columns
        df.index = pd.RangeIndex(2, len(df) + 2)
    if len(df.columns) == 1:
        only = str(df.columns[0])
        for sep, word in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
            if sep in only:
                raise ValueError(f"the columns are separated by {word}, not commas; save the "
                                 "file as 'CSV UTF-8 (comma delimited)'")
    return df


def plain_columns(path: Path) -> None:
    """Check that every column of a Parquet file holds plain values: text, numbers,
    true/false, dates or timestamps (a dictionary of them too).

    Raises
    ------
    ValueError
        Naming each column that holds lists, structures, maps, bytes, durations or
        times of day, with its Arrow type: a table cell holds one value.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pa.types

    def plain(kind: pa.DataType) -> bool:
        if t.is_dictionary(kind):
            return plain(kind.value_type)
        return (t.is_string(kind) or t.is_large_string(kind) or t.is_integer(kind)
                or t.is_floating(kind) or t.is_boolean(kind) or t.is_date(kind)
                or t.is_timestamp(kind) or t.is_decimal(kind) or t.is_null(kind)
                or getattr(t, "is_string_view", lambda _: False)(kind))

    schema = pq.read_schema(path)
    odd = [f"{f.name} ({f.type})" for f in schema if not plain(f.type)]
    if odd:
        raise ValueError(f"column(s) {', '.join(odd)} hold lists, structures or other "
                         "values that are not text, numbers, true/false or dates; write "
                         "one plain value per cell")


def csv_table(text: str) -> pd.DataFrame:
    """CSV ``text`` as a table of text cells (none read as missing).

    Raises
    ------
    pandas.errors.ParserError
        For a row with more fields than the header, as pandas words it ("Expected 7
        fields in line 2, saw 8"). pandas raises it for every such row but one: when the
        first row after the header has exactly one field more, it reads the first column
        as the rows' labels and shifts every value one column left (a trailing comma on
        every row would do it).
    """
    import io as _io

    df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, na_values=[],
                     skipinitialspace=False)
    if not isinstance(df.index, pd.RangeIndex):  # the first column became the labels
        n = len(df.columns)
        raise pd.errors.ParserError(f"Expected {n} fields in line 2, saw {n + 1}")
    return df


#: What a workbook's error cells hold (the formula's result could not be worked out).
SPREADSHEET_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                                "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"})


def spreadsheet_cells(src: Source) -> list[Problem]:
    """Cells of a workbook's sheet that hold no value a person can see: an error
    (``#N/A``, ``#REF!``) or a formula whose result was never saved (a file written by a
    program, not by Excel). Read, each would be an empty cell: an end date lost reopens
    a placement that ended. Every other source: no problem.
    """
    import openpyxl

    if src.fmt != "excel" or not _has_formulas_or_errors(src.path):
        return []
    problems: list[Problem] = []
    books = [openpyxl.load_workbook(src.path, read_only=True, data_only=flag)
             for flag in (True, False)]
    try:
        values, formulas = (b[src.sheet] for b in books)
        for sheet in (values, formulas):  # (its stored size may be wrong: read them all)
            sheet.reset_dimensions()
        header: list = []
        rows = zip(values.iter_rows(), formulas.iter_rows(), strict=False)
        for r, (row, code) in enumerate(rows, start=1):
            if r == 1:
                header = [c.value for c in row]
                continue
            for c, (cell, written) in enumerate(zip(row, code, strict=False)):
                error = cell.data_type == "e" or (isinstance(cell.value, str)
                                                  and cell.value.strip() in SPREADSHEET_ERRORS)
                unsaved = cell.value is None and written.data_type == "f"
                if error or unsaved:
                    column = str(header[c]) if c < len(header) else None
                    problems.append(Problem(
                        src.label, r, column, str(cell.value if error else written.value),
                        "is a spreadsheet error, not a value: correct the formula or type "
                        "the value" if error else "is a formula whose result was never "
                        "saved: open the workbook in Excel and save it, or paste the "
                        "values", sheet=src.sheet))
    finally:
        for b in books:
            b.close()
    return problems


#: A formula element (``<f>``, ``<x:f t="shared"/>``) in a workbook part's XML.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
#: A cell (``<c ...>``) whose type attribute is not a value's (shared or inline text,
#: number, boolean, date): ``t="e"`` (an error), ``t = 'e'``, ``t="&#101;"``.
_CELL_NOT_VALUE = re.compile(
    rb"""<(?:[\w.-]+:)?c(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*?"""
    rb"""\s+(?:[\w.-]+:)?t\s*=\s*(["'])(?!(?:s|str|inlineStr|n|b|d)\1)""")


def _has_formulas_or_errors(workbook: Path) -> bool:
    """Whether any part of a workbook may hold a formula or an error cell, by a search of
    its bytes: an export of values has neither, and then no cell need be read one by
    one. Every part is searched, whatever its name (the workbook's own links say where
    its sheets are), and a formula element or a cell type other than a value's is a hit
    however it is written (a prefix, quotes, spaces, a character reference); a false
    alarm only costs the reading of every cell."""
    import zipfile

    with zipfile.ZipFile(workbook) as book:
        for name in book.namelist():
            with book.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    text = tail + chunk
                    if _FORMULA.search(text) or _CELL_NOT_VALUE.search(text):
                        return True
                    cut = text.rfind(b"<")  # (a tag cut by the chunk: searched whole next)
                    tail = text[cut:] if cut >= 0 else text
    return False


def cut_off_rows(df: pd.DataFrame, src: Source) -> list[Problem]:
    """Rows of a CSV file with fewer fields than its header, and a last row without a
    line break: signs of a file cut off in transit (a score of 35 saved as 3).

    The reader fills the fields missing from a short row with ``""``, as it does empty
    cells, so the rows whose last cell is empty are counted again with the csv module
    (only those files are read twice).
    """
    import csv
    import io as _io

    if src.fmt != "csv" or df.empty:
        return []
    n_header = len(df.columns)
    problems = []
    if (df.iloc[:, -1].astype("string") == "").any():
        # newline="": the csv module's own line ends, \r alone (Excel's "CSV (Macintosh)") too
        text = decode_text(src.path.read_bytes())
        # (pandas read every field, however long: so does this, past the module's 128 KB,
        # and puts the module's limit back)
        limit = csv.field_size_limit(max(csv.field_size_limit(), len(text)))
        try:
            records = (r for r in csv.reader(_io.StringIO(text, newline="")) if r)
            next(records, None)  # the header
            for row, fields in enumerate(records, start=2):
                if len(fields) < n_header:
                    problems.append(Problem(
                        src.label, row, None, None,
                        f"row {row} has {len(fields)} field"
                        f"{'s' if len(fields) != 1 else ''}, the header has {n_header}: "
                        "the file looks cut off, or a comma is missing"))
        finally:
            csv.field_size_limit(limit)
    with open(src.path, "rb") as fh:
        fh.seek(-1, 2)
        last = fh.read(1)
    if last not in (b"\n", b"\r") and not any(p.row == df.index[-1] for p in problems):
        problems.append(Problem(src.label, int(df.index[-1]), None, None,
                                "the last row does not end with a line break: the file "
                                "looks cut off, so its last value may be short (35 read as "
                                "3); check it against the source and save the file again"))
    return problems


def header_as_written(text: str, parsed: pd.Index) -> list[str]:
    """The header row as written: pandas renames a repeated name ``score`` to
    ``score.1``, which would hide the repeat; this gives the names back, so that the
    header check reports every column that appears twice."""
    import csv

    first = next(csv.reader(text.splitlines()[:1]), [])
    return list(first) if len(first) == len(parsed) else list(parsed)


def normalise_header(name: object) -> str:
    """A column name as the data dictionary writes it: trimmed, lower case, spaces and
    hyphens as underscores.

    >>> normalise_header(" Learner ID "), normalise_header("start-date")
    ('learner_id', 'start_date')
    """
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


#: A spreadsheet treats a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"\s*[+-]?(\d{1,3}(,\d{3})+(\.\d*)?|\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def current_umask() -> int:
    """This process's file-creation mask (read by setting it and setting it back), for
    giving a file made with ``tempfile`` (mode 0600) the mode any file this user writes
    would have."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell that a spreadsheet would run as a formula made inert.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (OWASP's list for CSV injection), or with a character that Unicode's compatibility
    form makes one of them (the full-width ``＝``), gets a leading apostrophe, which spreadsheets
    read as "this is text"; a cell that is just a number (``-3``, ``+0.5``,
    ``-1,200``, ``-3`` with spaces round it) is left as it is, so that the loader reads
    it back as written. Numeric columns are never changed.

    Examples
    --------
    >>> spreadsheet_safe(pd.DataFrame({"a": ["=1+1", "-3", "-1.2 (-4.4 to 1.9)", "ok",
    ...                                      "-1,200", " -3 ", "+ support", "＝1+1"]}))["a"].tolist()
    ["'=1+1", '-3', "'-1.2 (-4.4 to 1.9)", 'ok', '-1,200', ' -3 ', "'+ support", "'＝1+1"]
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)
                or isinstance(s.dtype, pd.CategoricalDtype)):
            continue
        text = s.astype(object)
        risky = text.map(lambda v: isinstance(v, str) and (
            v.startswith(FORMULA_START)
            or unicodedata.normalize("NFKC", v[:1]).startswith(FORMULA_START))
            and not _NUMBER.fullmatch(v))
        if risky.any():
            out[c] = text.where(~risky, "'" + text.astype(str))
    return out
