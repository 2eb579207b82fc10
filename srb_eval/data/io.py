"""Read a dataset from CSV, Parquet or Excel, validate it once, return a :class:`Dataset`.

``load_dataset(path)`` accepts a folder of ``<table>.csv`` / ``<table>.parquet`` files, a
folder holding one Excel workbook, or a workbook itself (one sheet per table). It never
writes to the input. Every problem is collected and raised together in one
:class:`~srb_eval.errors.DataValidationError`, each naming file (and sheet), the row
number as a person sees it in the file, the column, the value and the rule broken.

Messy exports are expected: UTF-8 with or without a byte-order mark, Windows-1252 text,
ISO or UK (DD/MM/YYYY) dates, Excel date cells, surrounding spaces and vocabulary codes
in any case. Anything that cannot be read unambiguously is a problem, never a guess.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataReadError, DataValidationError, Problem, UnreadableDataError
from ..provenance import input_hashes
from . import schema as S
from .checks import (
    check_header,
    check_keys,
    check_references,
    finish,
    identifier_values,
    latest_date,
    overlapping_periods,
    overlapping_placements,
    read_columns,
    too_many_subjects,
    validate_table,
)
from .files import (
    FORMATS,
    Source,
    cut_off_rows,
    discover,
    read,
    read_failure,
    spreadsheet_cells,
    table_name,
)

# --------------------------------------------------------------------------- Dataset


@dataclass(frozen=True)
class Dataset:
    """The validated tables of one dataset (docs/data-dictionary.md).

    Each attribute is a DataFrame with the columns documented in
    ``docs/data-dictionary.md``: dates as ``datetime64``, vocabulary columns as
    categoricals, flags as nullable booleans, a fresh ``RangeIndex``. Optional tables
    that were not supplied are ``None``; ``comparison_learners`` and
    ``comparison_assessments`` hold the comparison group (learners not placed), read by
    the matched comparison only; ``srb_costs``, ``external_placements`` and
    ``deflators`` are read by the value-for-money report only.
    """

    srbs: pd.DataFrame
    learners: pd.DataFrame
    placements: pd.DataFrame
    instruments: pd.DataFrame | None = None
    assessments: pd.DataFrame | None = None
    inclusion: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    attendance: pd.DataFrame | None = None
    exclusions: pd.DataFrame | None = None
    qualifications: pd.DataFrame | None = None
    comparison_learners: pd.DataFrame | None = None
    comparison_assessments: pd.DataFrame | None = None
    srb_costs: pd.DataFrame | None = None
    external_placements: pd.DataFrame | None = None
    deflators: pd.DataFrame | None = None
    source: str = ""
    files: Mapping[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by name, in the order of the data dictionary."""
        return {n: getattr(self, n) for n in S.TABLES if getattr(self, n) is not None}

    def has(self, table: str) -> bool:
        """Whether the optional ``table`` was supplied (and has at least one row)."""
        df = getattr(self, table, None)
        return df is not None and len(df) > 0

    def input_hashes(self) -> dict[str, str]:
        """SHA-256 of every input file, keyed by path (for provenance)."""
        return input_hashes(dict(self.files))


# --------------------------------------------------------------------------- public API


def load_dataset(path: str | Path, *, tables: Iterable[str] | None = None) -> Dataset:
    """Read, check and type every table of a dataset.

    Parameters
    ----------
    path
        A folder of ``<table>.csv`` or ``<table>.parquet`` files, a folder holding one
        Excel workbook, or an ``.xlsx`` workbook with a sheet per table. Relative paths
        are resolved against the current directory.
    tables
        Read only these optional tables (the required ones are always read).

    Returns
    -------
    Dataset
        Validated tables; see ``docs/data-dictionary.md`` for their columns.

    Raises
    ------
    DataReadError
        The path does not exist or is not a dataset.
    DataValidationError
        One or more problems; ``.problems`` lists every one (file, sheet, row, column,
        value, rule). Nothing is dropped silently.
    UnreadableDataError
        As :class:`DataValidationError` (and a :class:`DataReadError`, exit code 2) when
        some file could not be read at all (permission, an I/O error, a folder or a pipe
        where a file is expected): that file is listed with every problem found in the
        files that could be read.
    """
    tables = None if tables is None else list(tables)
    if _read_ahead:
        kept = _read_ahead.get(fingerprint(path, tables=tables))
        if kept is not None:
            return _fresh(kept)
    root = Path(path).expanduser().resolve()
    found, problems, unmatched = discover(root)
    wanted = set(S.TABLES) if tables is None else (
        {n for n, s in S.TABLES.items() if s.required} | set(tables))
    unknown_wanted = set(wanted) - set(S.TABLES)
    if unknown_wanted:
        raise ValueError(f"tables: unknown table(s) {sorted(unknown_wanted)}; "
                         f"choose from {list(S.TABLES)}")
    sources = {s.table: s for s in found if s.table in wanted}
    if not sources and not problems:
        hint = f" (found {', '.join(unmatched)})" if unmatched else ""
        raise DataReadError(f"{root}: no srb-eval tables found{hint}; expected files named "
                            + ", ".join(f"{t}.csv" for t in S.TABLES))
    not_read = {table_name(Path(p.file).stem) for p in problems if p.unreadable}
    for name, spec in S.TABLES.items():
        if spec.required and name not in sources and name not in not_read:
            hint = (f"; files not recognised as tables: {', '.join(unmatched)}"
                    if unmatched else "")
            problems.append(Problem(root.name, None, None, None,
                                    f"required table {name} is missing (expected "
                                    f"{name}.csv, {name}.parquet or a sheet {name}){hint}"))

    typed: dict[str, pd.DataFrame] = {}
    vocab_codes: dict[str, dict] = {}
    positions: dict = {}  # reference lookups, shared by the reference checks
    for name in S.TABLES:
        src = sources.get(name)
        if src is None:
            continue
        raw, p_read = _read_or_problem(src)
        problems += p_read
        if raw is None:
            continue
        vocab_codes[name] = {}
        df, p_table = _checked_table(raw, name, src, vocab_codes[name])
        problems += p_table
        if df is not None:
            typed[name] = df
    problems += check_references(typed, sources, positions)
    if problems:
        problems.sort(key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or ""))
        error = (UnreadableDataError if any(p.unreadable for p in problems)
                 else DataValidationError)
        raise error(problems, source=str(root))
    out = {name: finish(df, S.TABLES[name], vocab_codes.get(name))
           for name, df in typed.items()}
    files = {name: str(src.path) for name, src in sources.items()}
    return Dataset(**out, source=str(root), files=files)


def _read_or_problem(src: Source) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The raw table of one file or sheet, or None and the problem that stopped it being
    read (an encoding, a permission or I/O error, a malformed CSV, any other reason the
    reader gives as a ValueError)."""
    try:
        return read(src), []
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        return None, [Problem(src.label, line, None, None,
                              f"cannot be read: byte {exc.object[exc.start]:#04x} is "
                              "neither UTF-8 nor Windows-1252 text; save the file as "
                              "'CSV UTF-8'", sheet=src.sheet)]
    except OSError as exc:  # permission, an I/O error: listed, the others still read
        return None, [Problem(src.label, None, None, None, read_failure(src.path, exc),
                              sheet=src.sheet, unreadable=True)]
    except pd.errors.ParserError as exc:
        return None, [parser_problem(exc, src)]
    except ValueError as exc:
        return None, [Problem(src.label, None, None, None, f"cannot be read: {exc}",
                              sheet=src.sheet)]


def _checked_table(raw: pd.DataFrame, name: str, src: Source, vocab_codes: dict
                   ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One table typed by its schema and every problem of its own rows: header, cells,
    rules, identifiers, keys and overlapping periods (references to other tables are
    checked once every table is read). None instead of the table when a required column
    is missing: its rows cannot be checked against other tables."""
    spec = S.TABLES[name]
    problems: list[Problem] = []
    if spec.required and raw.empty:
        problems.append(Problem(src.label, None, None, None,
                                f"has a header but no rows: the {name} table is required "
                                "and needs at least one row", sheet=src.sheet))
    problems += cut_off_rows(raw, src) + spreadsheet_cells(src)
    raw, p_header = check_header(raw, spec, src)
    df, p_cells, reported = read_columns(raw, spec, src, vocab_codes)
    problems += p_header + p_cells
    problems += validate_table(df, raw, spec, src, reported)
    problems += identifier_values(df, spec, src)
    problems += too_many_subjects(df, spec, src)
    if not set(spec.required_columns()) <= set(df.columns):
        return None, problems  # reported above
    problems += check_keys(df, spec, src)
    if name == "placements":
        problems += overlapping_placements(df, src)
    if name == "attendance":
        problems += overlapping_periods(df, src)
    if name == "inclusion":
        problems += overlapping_periods(df, src, by=("subject",))
    return df, problems


# --------------------------------------------------------------------------- read ahead

#: Environment variables that change what :func:`load_dataset` accepts (the limits of
#: :func:`srb_eval.data.files.read` and :func:`srb_eval.data.checks.too_many_subjects`).
LOADING_ENV = ("SRB_EVAL_MAX_WORKBOOK_MB", "SRB_EVAL_MAX_SUBJECTS")

#: Datasets read by :func:`read_ahead`, by :func:`fingerprint`.
_read_ahead: dict[str, Dataset] = {}


def fingerprint(path: str | Path, *, tables: Iterable[str] | None = None) -> str:
    """SHA-256 of everything :func:`load_dataset` reads for ``path`` and ``tables``.

    The resolved path, ``tables``, the latest date a dataset may hold (which moves with
    the calendar), the variables of :data:`LOADING_ENV`, the name and kind of every entry
    that :func:`load_dataset` looks at (the workbook, or each entry of the folder whose
    name does not start with ``.`` or ``~$``), and the bytes of those it can read as a
    table (regular files with a table file's suffix, :data:`srb_eval.data.files.FORMATS`).
    Other entries are never opened (a pipe, a device, a large file beside the tables):
    the loader only names them. Equal fingerprints: equal datasets.
    """
    root = Path(path).expanduser().resolve()
    h = hashlib.sha256(json.dumps([
        str(root), None if tables is None else sorted(tables), str(latest_date()),
        [os.environ.get(v) for v in LOADING_ENV]]).encode())
    try:
        entries = [root] if not root.is_dir() else sorted(
            p for p in root.iterdir() if not p.name.startswith((".", "~$")))
    except OSError:
        entries = [root]
    for entry in entries:
        h.update(b"\0" + entry.name.encode("utf-8", "surrogateescape") + b"\0")
        try:  # as the loader looks at it (srb_eval.data.files.not_a_file): links followed
            mode = entry.stat().st_mode
        except OSError as exc:
            h.update(f"<{type(exc).__name__} {exc.errno}>".encode())
            continue
        if not stat.S_ISREG(mode) or entry.suffix.lower() not in FORMATS:
            h.update(f"<kind {stat.S_IFMT(mode)}>".encode())
            continue
        try:  # no controlling terminal, no wait, if it changed since the stat
            fd = os.open(entry, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as exc:  # unreadable: the error is what the loader sees too
            h.update(f"<{type(exc).__name__} {exc.errno}>".encode())
            continue
        with open(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                h.update(b"<changed>")
                continue
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def read_ahead(path: str | Path) -> bool:
    """Load the dataset at ``path`` now and keep it in this process, so that a later
    :func:`load_dataset` of the same content here (or in a process forked from here)
    returns it without reading and checking the files again.

    A render's kernels are forked from a process that read the render's data ahead
    (:mod:`srb_eval.run.kernels`), so that a suite of reports loads each dataset once.
    The dataset is kept only if no file changed while it was read; each
    :func:`load_dataset` checks the :func:`fingerprint` of the files as they are then,
    and gets a copy of the tables of its own (a deep copy: a change made to it, in any
    way, does not reach what the next load gets). Returns whether the dataset was kept;
    a dataset with problems is not (:func:`load_dataset` raises them in the report, as
    without).
    """
    before = fingerprint(path)
    try:
        dataset = load_dataset(path)
    except Exception:  # noqa: BLE001 - the report loads it again and says what is wrong
        return False
    if fingerprint(path) != before:
        return False
    _read_ahead[before] = dataset
    return True


def read_ahead_of(path: str | Path) -> bool:
    """Whether this process holds the dataset at ``path`` as its files are now."""
    return bool(_read_ahead) and fingerprint(path) in _read_ahead


def forget_read_ahead() -> None:
    """Drop every dataset this process read ahead."""
    _read_ahead.clear()


def _fresh(dataset: Dataset) -> Dataset:
    """A deep copy of ``dataset``: sharing the data (pandas' copy-on-write) would not
    cover writes through ``Series.array``."""
    return dataclasses.replace(dataset, **{name: df.copy(deep=True)
                                           for name, df in dataset.tables.items()},
                               files=dict(dataset.files))


def parser_problem(exc: pd.errors.ParserError, src: Source) -> Problem:
    """The problem for a file the CSV parser refused: a row with more fields than the
    header is named with its row and both counts."""
    import re

    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if m is None:
        return Problem(src.label, None, None, None, f"cannot be read: {exc}", sheet=src.sheet)
    expected, row, saw = (int(g) for g in m.groups())
    return Problem(src.label, row, None, None,
                   f"row {row} has {saw} fields, the header has {expected}: a comma too many, "
                   "or a value holding a comma without quotes around it", sheet=src.sheet)


def validate(path: str | Path) -> list[Problem]:
    """Every problem in the dataset at ``path`` (empty when it is valid)."""
    try:
        load_dataset(path)
    except DataValidationError as err:
        return err.problems
    return []


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a tidy table: file, sheet, row, column, value, rule."""
    return pd.DataFrame(
        [{"file": p.file, "sheet": p.sheet or "", "row": p.row, "column": p.column or "",
          "value": p.value or "", "rule": p.rule} for p in problems],
        columns=["file", "sheet", "row", "column", "value", "rule"],
    ).astype({"row": "Int64"})


def write_dataset(tables: Mapping[str, pd.DataFrame], out: str | Path, *,
                  fmt: str = "csv") -> list[Path]:
    """Write tables as ``<table>.csv`` (ISO dates) or ``.parquet`` files into ``out``.

    Each file is written to a temporary name and renamed, so a reader never sees a
    half-written file.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt: must be 'csv' or 'parquet', not {fmt!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        target = out / f"{name}.{fmt}"
        tmp = target.with_name(f".{target.name}.tmp")
        if fmt == "csv":
            df.to_csv(tmp, index=False, date_format="%Y-%m-%d", lineterminator="\n")
        else:
            df.to_parquet(tmp, index=False, engine="pyarrow")
        tmp.replace(target)
        written.append(target)
    return written
