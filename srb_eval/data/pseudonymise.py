"""Pseudonymise at the door: replace a pupil number by a keyed hash.

``learner_id = HMAC-SHA256(key, normalised pupil number)``, truncated to 16 hex digits
(64 bits; collisions are checked). The key lives outside the repository, so the ids
cannot be reversed or re-linked without it, yet the same pupil gets the same id in
every export made with the same key (ICO anonymisation guidance
on pseudonymisation with keyed hashing).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import ParameterError
from .files import csv_table, current_umask, decode_text, spreadsheet_safe
from .schema import is_free_text_column, is_identifier_column

ID_HEX_DIGITS = 16


def read_key(key_file: str | Path) -> bytes:
    """The secret key: the file's bytes with surrounding white space removed."""
    p = Path(key_file)
    if not p.is_file():
        raise ParameterError(f"key file {key_file} not found")
    key = p.read_bytes().strip()
    if len(key) < 16:
        raise ParameterError(f"key file {key_file}: the key must be at least 16 bytes")
    return key


def pseudonym(values: pd.Series, key: bytes) -> pd.Series:
    """Keyed HMAC-SHA256 pseudonyms of ``values`` (upper-cased, spaces removed)."""
    norm = values.astype("str").str.strip().str.upper().str.replace(" ", "", regex=False)
    uniq = pd.unique(norm)
    table = {v: "P" + hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()[
        :ID_HEX_DIGITS] for v in uniq}
    if len(set(table.values())) != len(table):  # pragma: no cover - 2**-64 chance
        raise ParameterError("pseudonyms collide; use a different key")
    return norm.map(table)


@dataclass(frozen=True)
class Pseudonymised:
    """What :func:`pseudonymise_file` wrote: its row count and the columns it dropped."""

    rows: int
    dropped: list[str]


def pseudonymise_file(input_path: str | Path, output_path: str | Path, *, column: str = "upn",
                      key_file: str | Path, drop: list[str] | None = None,
                      overwrite: bool = False) -> Pseudonymised:
    """Write a copy of a CSV with ``column`` replaced by ``learner_id``.

    Known identifier columns (names, addresses, dates of birth) and free-text columns
    (notes, comments, remarks: they name and describe people) are dropped too, as are
    the columns named in ``drop``; the result names every dropped column. The input file and the key are never modified, and
    an existing output file is replaced only when ``overwrite`` is true.
    """
    src, dst = _checked_paths(input_path, output_path, key_file, overwrite)
    key = read_key(key_file)
    df = _read_csv(src, input_path)
    col = column.strip().lower()
    _check_columns(df, col, column, input_path)
    df.insert(0, "learner_id", pseudonym(df[col], key))
    remove = {col, *(d.strip().lower() for d in (drop or []))}
    remove |= {c for c in df.columns if is_identifier_column(c) or is_free_text_column(c)}
    dropped = [c for c in df.columns if c in remove and c != "learner_id"]
    df = df.drop(columns=dropped)
    _write_whole(df, dst)
    return Pseudonymised(len(df), dropped)


def _checked_paths(input_path: str | Path, output_path: str | Path, key_file: str | Path,
                   overwrite: bool) -> tuple[Path, Path]:
    """The input and output files, resolved: three different files (input, output, key),
    an input that is a file, an output that is not a link or a folder, that exists only
    with ``overwrite``, in a folder that exists."""
    if Path(output_path).is_symlink():  # (resolved, a link to nowhere names a new file)
        raise ParameterError(f"{output_path}: is a symbolic link; the output is written as "
                             "a new file, never through a link: choose another file name")
    src, dst = Path(input_path).resolve(), Path(output_path).resolve()
    key_path = Path(key_file).resolve()
    if len({src, dst, key_path}) < 3:
        raise ParameterError("input, output and key file must be three different files: "
                             "the input and the key are never modified")
    if not src.is_file():
        raise ParameterError(f"{input_path}: " + ("is a folder, not a CSV file"
                                                  if src.is_dir() else "no such file"))
    if dst.exists() and not overwrite:
        raise ParameterError(f"{output_path}: already exists; choose a new file name "
                             "(or pass --overwrite to replace it)")
    if dst.is_dir():
        raise ParameterError(f"{output_path}: is a folder; the output must be a file in an "
                             f"existing folder, e.g. {output_path}/learners.csv")
    if not dst.parent.is_dir():
        raise ParameterError(f"{output_path}: must be a file in an existing folder "
                             f"(there is no folder {dst.parent})")
    return src, dst


def _read_csv(src: Path, input_path: str | Path) -> pd.DataFrame:
    """The input CSV as text (UTF-8 or Windows-1252), its headers folded to lower case
    with underscores for spaces; a clear error for another encoding or a row with more
    fields than the header."""
    try:
        text = decode_text(src.read_bytes())
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{input_path}: not UTF-8 or Windows-1252 text") from exc
    except ValueError as exc:  # UTF-16, or UTF-8 mixed with another encoding
        raise ParameterError(f"{input_path}: {exc}") from exc
    try:
        df = csv_table(text)
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        what = (f"row {m[2]} has {m[3]} fields, the header has {m[1]}" if m
                else f"cannot be read as CSV ({exc})")
        raise ParameterError(f"{input_path}: {what}: a comma too many, or a value holding "
                             "a comma without quotes around it") from exc
    df.columns = [c.strip().lower().replace(" ", "_") for c in df.columns]
    return df


def _check_columns(df: pd.DataFrame, col: str, column: str, input_path: str | Path) -> None:
    """Refuse a table without the pupil-number column, with two headers that read as one
    name ("UPN" and "Upn"), with a learner_id already there (no single column to
    replace), or with blank pupil numbers (they would all get the same learner_id)."""
    if col not in df.columns:
        raise ParameterError(f"{input_path}: no column {column!r} (has {list(df.columns)})")
    twice = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if twice:
        raise ParameterError(f"{input_path}: the header names {', '.join(map(repr, twice))} "
                             "more than once (case and spaces aside); give each column "
                             "its own name")
    if "learner_id" in df.columns:
        raise ParameterError(f"{input_path}: already has a learner_id column, which the "
                             f"pseudonym of {column!r} would replace; remove or rename it "
                             "first")
    blank = df.index[df[col].str.strip() == ""]
    if len(blank):
        rows = ", ".join(str(i + 2) for i in blank[:10]) + (" ..." if len(blank) > 10 else "")
        raise ParameterError(f"{input_path}, column {column}: {len(blank)} blank value(s) "
                             f"(rows {rows}); every pupil needs a pupil number, or blank "
                             "pupils would all get the same learner_id")


def _write_whole(df: pd.DataFrame, dst: Path) -> None:
    """Write ``df`` to ``dst`` through a temporary file of its own beside it (never
    another's of the same name), moved into place whole; formula-like cells and headers
    neutralised (opened in a spreadsheet, "=HYPERLINK(...)" must not run)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            safe = spreadsheet_safe(df)  # (headers too: they come from the export)
            safe.columns = spreadsheet_safe(pd.DataFrame({"h": list(df.columns)}))["h"]
            safe.to_csv(out, index=False, lineterminator="\n")
        os.chmod(tmp, 0o666 & ~current_umask())  # (mkstemp's 0600: as any file written)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
