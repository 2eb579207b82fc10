"""Checking a dataset's tables: types and ranges (pandera), headers, keys and references
between tables, each failure turned into a :class:`~srb_eval.errors.Problem`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow.compute as _pc

from ..errors import Problem
from . import schema as S
from .cells import (
    FIRST_DAY,
    LAST_DAY,
    MAX_NUMBER,
    blank_to_na,
    dates_out_of_range,
    fold_text,
    mixed_date_formats,
    read_bools,
    read_dates,
    read_months,
    read_numbers,
    read_vocab,
    read_vocab_list,
    times_of_day,
)
from .files import MAX_AGE_YEARS, MIN_AGE_YEARS, Source, normalise_header
from .lookup import is_in, positions, text_array

# --------------------------------------------------------------------------- validation


def _plain_rule(check: str, column: str, columns: dict[str, pa.Column]) -> str:
    """Turn a pandera check name into a rule in plain English."""
    col = columns.get(column)
    if check == "not_nullable":
        return "must not be empty"
    m = re.match(r"(greater_than_or_equal_to|less_than_or_equal_to|greater_than|less_than)"
                 r"\((.*)\)", check)
    if m:
        words = {"greater_than_or_equal_to": "at least", "less_than_or_equal_to": "at most",
                 "greater_than": "greater than", "less_than": "less than"}[m.group(1)]
        return f"must be {words} {m.group(2)}"
    if check.startswith("isin("):
        if col is not None and col.metadata.get("vocab"):
            vocab = col.metadata["vocab"]
            return (f"is not a known {vocab.replace('_', ' ')} code; use one of "
                    + ", ".join(S.VOCABULARIES[vocab]))
        allowed = col.checks[[c.name for c in col.checks].index("isin")].statistics[
            "allowed_values"] if col is not None else []
        return "must be one of " + ", ".join(f"{v:g}" if isinstance(v, float) else str(v)
                                             for v in allowed)
    if check.startswith("str_matches("):
        if S.FINANCIAL_YEAR_SHAPE in check:
            return "must be a financial year written YYYY-YY, e.g. 2025-26"
        return f"does not have the expected form ({check[12:-1]})"
    if check.startswith("dtype("):
        return f"has the wrong type (expected {check[6:-1]})"
    return check


def _raw_value(raw: pd.DataFrame, row: int | None, column: str, fallback: object) -> str | None:
    """The cell as written in the file, for messages."""
    if row is not None and column in raw.columns and row in raw.index:
        v = raw.at[row, column]
        if not pd.api.types.is_scalar(v) or not pd.isna(v):  # (NaT, NA, NaN: no value)
            return _fmt(v)
    return None if fallback is None or pd.isna(fallback) else _fmt(fallback)


def validate_table(df: pd.DataFrame, raw: pd.DataFrame, spec: S.TableSpec, src: Source,
                    already: set[tuple[int, str]]) -> list[Problem]:
    """Every failure of the table's pandera schema (types, ranges, row rules) as a
    problem naming the file, row, column, value (from ``raw``, as written) and the rule in
    plain English; cells in ``already`` (row, column), reported when they were read, are
    not reported again."""
    columns = spec.columns()
    problems = []
    try:
        # inplace: no copy of the table (nothing is coerced or added, so nothing changes)
        spec.model.validate(df, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        seen: set[tuple] = set()
        missing = bool((fc["check"].astype("str") == "column_in_dataframe").any())
        for rec in fc.itertuples(index=False):
            check = str(rec.check)
            if check == "column_in_dataframe":
                problems.append(Problem(src.label, None, str(rec.failure_case), None,
                                        "required column is missing", sheet=src.sheet))
                continue
            row = None if pd.isna(rec.index) else int(rec.index)
            column = str(rec.column)
            if rec.schema_context == "DataFrameSchema" and column not in df.columns \
                    and row is None:
                # a row rule that could not run (it raised, e.g. KeyError): for want of a
                # column reported above, or else said as the rule left unchecked
                if not missing and (None, check) not in seen:
                    seen.add((None, check))
                    problems.append(Problem(src.label, None, None, None,
                                            f"could not be checked: {check}",
                                            sheet=src.sheet))
                continue
            if rec.schema_context == "DataFrameSchema" and column in df.columns:
                # a row rule: report once per row, at the column the rule names first
                key = (row, check)
                if key in seen:
                    continue
                seen.add(key)
                named = [c for c in re.findall(r"[a-z_]+", check) if c in df.columns]
                column = named[0] if named else column
                value = _raw_value(raw, row, column, None)
                problems.append(Problem(src.label, row, column, value, check,
                                        sheet=src.sheet))
                continue
            if row is not None and (row, column) in already:
                continue
            value = _raw_value(raw, row, column, rec.failure_case)
            problems.append(Problem(src.label, row, column, value,
                                    _plain_rule(check, column, columns), sheet=src.sheet))
    return problems


#: Dates more than this many years after today are typing errors (2061 for 2016).
FUTURE_YEARS = 5


def latest_date() -> pd.Timestamp:
    """The latest date a dataset may hold: 31 December, :data:`FUTURE_YEARS` years on.

    Planned end dates and review dates may lie ahead; decades ahead they are mistakes.
    The limit moves with the calendar, so a dataset valid today stays valid.
    """
    return pd.Timestamp(pd.Timestamp.today().year + FUTURE_YEARS, 12, 31)


def _by_unique(s: pd.Series, reader, *args, keep: list | None = None):
    """Run a cell reader once per distinct value and spread the results back.

    Exports repeat the same few values millions of times (dates, codes, subjects), so
    reading the distinct values only keeps loading fast at national scale. With
    ``keep``, a single-result reader's per-row codes and per-distinct-value result
    (missing last) are appended to it, so that later steps can work on codes.
    """
    if not (s.dtype == object or pd.api.types.is_string_dtype(s)
            or isinstance(s.dtype, pd.CategoricalDtype)):
        return reader(s, *args)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if len(uniques) * 2 > len(s):
        return reader(s, *args)
    values = pd.Series([*np.asarray(uniques, dtype=object), None], dtype=object)
    codes = np.where(codes < 0, len(uniques), codes)
    out = reader(values, *args)
    if keep is not None and not isinstance(out, tuple):
        keep.append((codes, out))

    def spread(r: pd.Series) -> pd.Series:
        return r.take(codes).set_axis(s.index)

    return tuple(spread(r) for r in out) if isinstance(out, tuple) else spread(out)


#: Characters no name or code may hold (C0 and C1 controls: line breaks, tabs, ...).
#: Characters that are no text a report can show: C0 and C1 controls (a line break
#: included) and Unicode's noncharacters (U+FDD0 to U+FDEF, U+FFFE, U+FFFF), which XML,
#: and so the Word copy and a published page, cannot hold.
CONTROL_CHARACTERS = r"[\x00-\x1f\x7f-\x9f" + "\ufdd0-\ufdef\ufffe\uffff" + "]"


def _has_control(s: pd.Series) -> pd.Series:
    return s.astype("str").str.contains(CONTROL_CHARACTERS, regex=True, na=False)


def _read_text(s: pd.Series) -> pd.Series:
    return blank_to_na(s.astype(object).map(
        lambda v: v if isinstance(v, str) or pd.isna(v) else
        (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    )).astype("str")


#: A column reader's flags: the rows that break a rule, and the rule.
_Flags = list[tuple[pd.Series, str]]


def _text_column(s: pd.Series, col: pa.Column, *, checked: bool, vocab_codes: dict | None
                 ) -> tuple[pd.Series, _Flags]:
    """An identifier or free text: blanks missing, as text. A name or code goes into
    sentences and headings: one line, no control character (a line break would let a
    name start a heading of its own). A column naming another table's rows holds that
    table's codes, checked there (``checked`` False)."""
    if pd.api.types.is_string_dtype(s) and not isinstance(s.dtype, pd.CategoricalDtype):
        out = blank_to_na(s).astype("str")
    else:
        out = _by_unique(s, _read_text)
    if not checked:
        return out, []
    return out, [(_by_unique(out, _has_control), "holds a line break or another control "
                  "character (or U+FFFF, which is no text): write it on one line, in plain "
                  "characters")]


def _date_column(s: pd.Series, col: pa.Column, *, checked: bool, vocab_codes: dict | None
                 ) -> tuple[pd.Series, _Flags]:
    """Dates (YYYY-MM-DD or DD/MM/YYYY, one way per column), within the range pandas
    holds, without a time of day, at most :data:`FUTURE_YEARS` ahead."""
    out, bad = _by_unique(s, read_dates)
    far = bad & _by_unique(s, dates_out_of_range) if bad.any() else bad
    timed = bad & ~far & _by_unique(s, times_of_day) if bad.any() else bad
    return out, [
        (far, f"is a date before {FIRST_DAY:%Y-%m-%d} or after {LAST_DAY:%Y-%m-%d}, which "
         "this tool cannot hold: leave an open end empty rather than writing a far date"),
        (timed, "is a date with a time of day: give the date only (YYYY-MM-DD)"),
        (bad & ~far & ~timed, "is not a date: use YYYY-MM-DD or DD/MM/YYYY"),
        (_by_unique(s, mixed_date_formats) & ~bad, "the column mixes YYYY-MM-DD and "
         "DD/MM/YYYY dates: write every date of a column the same way (a month-first date "
         "would be misread)"),
        (out > latest_date(), f"is more than {FUTURE_YEARS} years in the future")]


def _month_column(s: pd.Series, col: pa.Column, *, checked: bool, vocab_codes: dict | None
                  ) -> tuple[pd.Series, _Flags]:
    """A month (YYYY-MM); a full date of birth is refused."""
    out, bad, full = _by_unique(s, read_months)
    return out, [(bad, "is not a month: use YYYY-MM"),
                 (full, "is a full date of birth, which is refused: give the month only "
                  "(YYYY-MM)")]


def _bool_column(s: pd.Series, col: pa.Column, *, checked: bool, vocab_codes: dict | None
                 ) -> tuple[pd.Series, _Flags]:
    """Yes or no."""
    out, bad = _by_unique(s, read_bools)
    return out, [(bad, "is not yes/no: use true/false, yes/no, y/n or 1/0")]


def _number_column(s: pd.Series, col: pa.Column, *, checked: bool, vocab_codes: dict | None
                   ) -> tuple[pd.Series, _Flags]:
    """A number (a whole number for ``int``), finite and at most :data:`MAX_NUMBER`."""
    out, bad, notwhole, too_large = _by_unique(s, read_numbers,
                                               col.metadata.get("kind") == "int")
    return out, [(bad, "is not a number"),
                 (notwhole, "must be a whole number"),
                 (too_large, f"is not a finite number of at most {MAX_NUMBER:,}")]


def _vocab_column(s: pd.Series, col: pa.Column, *, checked: bool, vocab_codes: dict | None
                  ) -> tuple[pd.Series, _Flags]:
    """A code of a vocabulary (codes not in it are checked with the table's rules); its
    ``(codes, values)`` go to ``vocab_codes`` when read by distinct value."""
    kept: list = []
    out = _by_unique(s, read_vocab, col.metadata["vocab"], keep=kept)
    if vocab_codes is not None and kept:
        vocab_codes[s.name] = kept[0]
    return out, []


def _vocab_list_column(s: pd.Series, col: pa.Column, *, checked: bool, vocab_codes: dict | None
                       ) -> tuple[pd.Series, _Flags]:
    """Codes of a vocabulary separated by ';'."""
    vocab = col.metadata["vocab"]
    out, bad = _by_unique(s, read_vocab_list, vocab)
    return out, [(bad.notna(), f"has codes that are not in the {vocab} vocabulary; use "
                  "codes from " + ", ".join(S.VOCABULARIES[vocab]) + " separated by ';'")]


#: The reader of each kind of column (``metadata["kind"]`` of the schema).
_COLUMN_READERS = {"id": _text_column, "text": _text_column, "date": _date_column,
                   "month": _month_column, "bool": _bool_column, "int": _number_column,
                   "number": _number_column, "vocab": _vocab_column,
                   "vocab_list": _vocab_list_column}


def read_columns(raw: pd.DataFrame, spec: S.TableSpec, src: Source,
                  vocab_codes: dict | None = None
                  ) -> tuple[pd.DataFrame, list[Problem], set[tuple[int, str]]]:
    """Read every known column by its kind; collect unreadable cells as problems.

    ``vocab_codes`` (optional) receives, per vocabulary column read by distinct value,
    ``(codes, values)``: the column is ``values.take(codes)``.
    """
    columns = spec.columns()
    df = raw.copy(deep=False)  # copy-on-write: columns are replaced, never edited
    problems: list[Problem] = []
    reported: set[tuple[int, str]] = set()

    def flag(mask: pd.Series, column: str, rule: str, values: pd.Series | None = None):
        if not mask.any():
            return
        vals = (values if values is not None else raw[column])[mask]
        for row, v in vals.items():
            problems.append(Problem(src.label, int(row), column,
                                    None if pd.isna(v) else str(v), rule, sheet=src.sheet))
            reported.add((int(row), column))

    for name, col in columns.items():
        if name not in df.columns:
            continue
        reader = _COLUMN_READERS.get(col.metadata.get("kind"))
        if reader is None:
            continue
        df[name], flags = reader(df[name], col, checked=(spec.name, name) not in _REFERENCES,
                                 vocab_codes=vocab_codes)
        for mask, rule in flags:
            flag(mask, name, rule)
    return df, problems, reported


def check_header(raw: pd.DataFrame, spec: S.TableSpec, src: Source
                  ) -> tuple[pd.DataFrame, list[Problem]]:
    """The table with its column names normalised (:func:`normalise_header`), repeated
    columns and empty unnamed ones dropped, and direct identifier columns removed from a
    learner-level table; with a problem for each repeated or identifier column."""
    problems = []
    names = [normalise_header(c) for c in raw.columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    for d in dupes:
        problems.append(Problem(src.label, 1 if src.fmt != "parquet" else None, d, None,
                                "column appears more than once", sheet=src.sheet))
    raw = raw.copy(deep=False)
    raw.columns = names
    raw = raw.loc[:, ~pd.Index(names).duplicated()]
    unnamed = [c for c in raw.columns if c.startswith("unnamed:")]
    if unnamed:
        raw = raw.drop(columns=[c for c in unnamed if raw[c].isna().all()
                                or (raw[c].astype("str").str.strip() == "").all()])
    if spec.learner_level:
        idents = [c for c in raw.columns if S.is_identifier_column(c)]
        for c in idents:
            problems.append(Problem(
                src.label, None, c, None,
                "is a direct identifier and is refused: remove it, or replace the pupil "
                "number with a pseudonymous learner_id (`srb-eval pseudonymise`, a keyed "
                "HMAC-SHA256 hash with a key kept outside the repository)",
                sheet=src.sheet))
        raw = raw.drop(columns=idents)
    return raw, problems


#: Most distinct subjects a table may name. A timetable has a few dozen subjects; an
#: export with thousands has put something else (a lesson code, a note) in the column,
#: and every per-subject table and figure would grow with it. Raise it with the
#: environment variable SRB_EVAL_MAX_SUBJECTS.
MAX_SUBJECTS = 300


def too_many_subjects(df: pd.DataFrame, spec: S.TableSpec, src: Source) -> list[Problem]:
    """A problem when the ``subject`` column names more than :data:`MAX_SUBJECTS`."""
    import os

    if "subject" not in df.columns:
        return []
    limit = int(os.environ.get("SRB_EVAL_MAX_SUBJECTS", 0)) or MAX_SUBJECTS
    n = df["subject"].nunique()
    if n <= limit:
        return []
    return [Problem(src.label, None, "subject", None,
                    f"names {n:,} different subjects, more than the {limit:,} allowed (a "
                    "timetable has a few dozen: check what the column holds, or raise the "
                    "limit with SRB_EVAL_MAX_SUBJECTS)", sheet=src.sheet)]


def identifier_values(df: pd.DataFrame, spec: S.TableSpec, src: Source) -> list[Problem]:
    """Cells of a learner-level table whose value looks like a direct identifier.

    Every text column is searched for the shapes in :data:`schema.IDENTIFIER_VALUES`
    (a pupil number, an e-mail address, a telephone number, a postcode, anywhere in the
    cell: free text such as ``exit_reason`` too), and ``learner_id`` also for a value
    that is a person's name: an export that put the pupil number or the
    name in the ``learner_id`` column must be pseudonymised first.
    """
    if not spec.learner_level:
        return []
    problems = []
    columns = spec.columns()
    for column in df.columns:
        s = df[column]
        if column == "learner_id" and spec.name != "learners":
            continue  # checked against the learners table, where it is searched
        if column in columns and columns[column].metadata.get("area_code"):
            continue  # an area code has its own rule against a postcode (schema)
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
            continue
        values = pd.Series(s.dropna().unique(), dtype=object).astype(str)
        shapes = {what: rf"(?<![\w@.]){pattern}(?![\w@])"
                  for what, pattern in S.IDENTIFIER_VALUES.items()}
        if column == "learner_id":
            shapes["a person's name"] = rf"^{S.NAME_SHAPE}$"
        # one search for any shape first: most columns hold none, and only the values
        # that match one are searched again to say which
        values = values[values.str.contains("|".join(f"(?:{p})" for p in shapes.values()),
                                            regex=True)]
        if values.empty:
            continue
        for what, pattern in shapes.items():
            hits = set(values[values.str.contains(pattern, regex=True)])
            for row in s.index[s.isin(hits)] if hits else []:
                problems.append(Problem(
                    src.label, int(row), column, None,
                    f"looks like {what}: direct identifiers are refused; pseudonymise the "
                    "export first (`srb-eval pseudonymise`)", sheet=src.sheet))
    return problems


def check_keys(df: pd.DataFrame, spec: S.TableSpec, src: Source) -> list[Problem]:
    """A problem for each row whose key repeats an earlier row's (rows with a missing
    key part are reported by the schema check instead)."""
    key = [k for k in spec.key if k in df.columns]
    if len(key) != len(spec.key):
        return []
    # free text in a key is compared as the measures read it: "ENGLISH" repeats "English"
    kinds = spec.columns()
    folded = [k for k in key if kinds[k].metadata.get("kind") == "text"]
    keyed = df.assign(**{k: _by_unique(df[k], fold_text).where(df[k].notna())
                         for k in folded}) if folded else df
    repeated = keyed.duplicated(subset=key, keep=False)
    if not repeated.any():
        return []
    dup = repeated & df[key].notna().all(axis=1)
    if not dup.any():
        return []
    d = keyed.loc[dup, key]
    firsts = pd.Series(d.index, index=d.index).groupby(
        [d[k] for k in key], dropna=False, sort=False).transform("min")
    problems = []
    for row, first in firsts.items():
        if row == first:
            continue
        value = ", ".join(f"{k}={_fmt(df.at[row, k])}" for k in key)
        problems.append(Problem(src.label, int(row), key[0], value,
                                f"duplicate key ({', '.join(key)}): same as row {first}",
                                sheet=src.sheet))
    return problems


def overlapping_placements(df: pd.DataFrame, src: Source) -> list[Problem]:
    """A problem for each placement in one SRB that starts before the same learner's
    placement in another SRB (started earlier) has ended, or while that one is still
    open: a learner is in one SRB at a time, and the learners on roll would count them
    in both. A placement may start on the day the other ends (a move). Spells in the
    same SRB may overlap (an export repeating a placement): the counts take each
    learner once in an SRB. Rows with a missing date are reported by the schema check.

    Examples
    --------
    >>> from pathlib import Path
    >>> p = pd.DataFrame({"learner_id": ["L1", "L1", "L1", "L2"],
    ...     "srb_id": ["A", "A", "B", "A"],
    ...     "start_date": pd.to_datetime(["2024-09-01", "2024-10-01", "2025-01-06",
    ...                                   "2024-09-01"]),
    ...     "end_date": pd.to_datetime([None, "2024-12-20", None, "2024-12-20"])},
    ...     index=[2, 3, 4, 5])
    >>> src = Source("placements", Path("placements.csv"), "csv")
    >>> [(q.row, q.rule[:43]) for q in overlapping_placements(p, src)]
    [(4, 'starts while the placement in row 2 (SRB A,')]
    """
    cols = ["learner_id", "srb_id", "start_date", "end_date"]
    if not set(cols) <= set(df.columns) or df.empty:
        return []
    t = df[cols].dropna(subset=["learner_id", "srb_id", "start_date"])
    t = t[t.groupby("learner_id")["srb_id"].transform("nunique").to_numpy() > 1]
    t = t.sort_values(["learner_id", "start_date"], kind="stable")
    problems = []
    # the learner's two latest-ending earlier placements in different SRBs (an open one
    # ends last): whatever SRB a placement is in, one of them is the latest elsewhere
    top: list = []  # [(end, row, srb, start)], at most two, latest end first
    learner = None
    for r in t.itertuples():
        if r.learner_id != learner:
            top, learner = [], r.learner_id
        other = next((p for p in top if p[2] != r.srb_id), None)
        if other is not None and r.start_date < other[0]:
            end, row, srb, start = other
            until = "still open" if end == pd.Timestamp.max else f"to {end:%Y-%m-%d}"
            problems.append(Problem(
                src.label, int(r.Index), "start_date", _fmt(r.start_date),
                f"starts while the placement in row {row} (SRB {srb}, from "
                f"{start:%Y-%m-%d} {until}) has not ended: a learner is in one SRB "
                "at a time; give the earlier placement its end date", sheet=src.sheet))
        end = pd.Timestamp.max if pd.isna(r.end_date) else r.end_date
        mine = next((p for p in top if p[2] == r.srb_id), None)
        if mine is None or end > mine[0]:
            top = sorted([p for p in top if p[2] != r.srb_id]
                         + [(end, r.Index, r.srb_id, r.start_date)],
                         key=lambda p: p[0], reverse=True)[:2]
    return problems


def overlapping_periods(df: pd.DataFrame, src: Source, by: tuple[str, ...] = ()
                        ) -> list[Problem]:
    """A problem for each period of a learner (and of each column of ``by``, text
    compared as the measures read it: ``"ENGLISH"`` is ``"English"``) that starts on or
    before the last day of an earlier period of the same learner: attendance's sessions,
    or a subject's inclusion minutes, of the days both cover would be counted twice. A
    period starting on the same day as another is a duplicate key, reported by
    :func:`check_keys` instead; rows with a missing date, by the schema check.

    Examples
    --------
    >>> from pathlib import Path
    >>> a = pd.DataFrame({"learner_id": ["L1", "L1", "L1", "L2"],
    ...     "period_start": pd.to_datetime(["2024-09-02", "2024-10-01", "2025-01-06",
    ...                                     "2024-10-01"]),
    ...     "period_end": pd.to_datetime(["2024-12-20", "2024-10-31", "2025-03-28",
    ...                                   "2024-10-31"])}, index=[2, 3, 4, 5])
    >>> src = Source("attendance", Path("attendance.csv"), "csv")
    >>> [(q.row, q.rule[:44]) for q in overlapping_periods(a, src)]
    [(3, 'starts on or before 2024-12-20, the last day')]
    >>> b = a.assign(subject=["Art", "art", "Music", "Art"])
    >>> [q.row for q in overlapping_periods(b, src, by=("subject",))]
    [3]
    >>> overlapping_periods(b.assign(subject=["Art", "PE", "Art", "Art"]), src,
    ...                     by=("subject",))
    []
    """
    cols = ["learner_id", "period_start", "period_end", *by]
    if not set(cols) <= set(df.columns) or df.empty:
        return []
    # (arrays only: at national size the table has millions of rows)
    whole = df[cols].notna().all(axis=1).to_numpy()
    learner = pd.factorize(df["learner_id"])[0].astype(np.int64)
    for c in by:  # one integer per learner and value of each ``by`` column
        codes = pd.factorize(_by_unique(df[c], fold_text))[0]
        learner = learner * (int(codes.max()) + 1) + codes
    rows = np.flatnonzero(whole)
    start = df["period_start"].to_numpy()[rows]
    order = np.lexsort((start, learner[rows]))
    rows, start, learner = rows[order], start[order], learner[rows][order]
    end = df["period_end"].to_numpy()[rows]
    latest = pd.Series(end).groupby(learner).cummax().to_numpy()  # the latest end so far
    earlier = np.r_[False, learner[1:] == learner[:-1]]
    before = np.r_[start[:1], latest[:-1]]
    first_start = np.r_[start[:1], start[:-1]]
    bad = np.flatnonzero(earlier & (start <= before) & (start != first_start))
    what = (f"the same learner and {', '.join(by)}: periods must not overlap (the minutes "
            "of the days both cover would count twice)") if by else (
            "the same learner: periods must not overlap (the sessions of the days both "
            "cover would count twice)")
    return [Problem(src.label, int(df.index[rows[i]]), "period_start",
                    _fmt(df["period_start"].iat[rows[i]]),
                    f"starts on or before {pd.Timestamp(before[i]):%Y-%m-%d}, the last day "
                    f"of an earlier period of {what}", sheet=src.sheet)
            for i in bad]


def _fmt(v: object) -> str:
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return str(v)


#: Columns that name a row of another table: (table, column) -> (table, column).
_REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    **{(t, "learner_id"): ("learners", "learner_id") for t in S.LEARNER_TABLES},
    ("placements", "srb_id"): ("srbs", "srb_id"),
    ("assessments", "instrument"): ("instruments", "instrument"),
    ("comparison_assessments", "learner_id"): ("comparison_learners", "learner_id"),
    ("comparison_assessments", "instrument"): ("instruments", "instrument"),
    ("srb_costs", "srb_id"): ("srbs", "srb_id"),
}


def _ref_positions(tables: dict[str, pd.DataFrame], child: str, column: str,
                   cache: dict) -> np.ndarray | None:
    """Row of the first occurrence of each ``child.column`` value in the column it refers
    to (-1 where absent; missing matches missing), for text columns; else None.

    Cached in ``cache``, so that the reference checks of one table look the values up
    once.
    """
    if (child, column) in cache:
        return cache[(child, column)]
    parent, parent_col = _REFERENCES.get((child, column), (None, None))
    out = None
    if child in tables and parent in tables and column in tables[child].columns \
            and parent_col in tables[parent].columns:
        a = text_array(tables[child][column])
        b = text_array(tables[parent][parent_col])
        if a is not None and b is not None:
            out = _pc.index_in(a, value_set=b.combine_chunks()).fill_null(-1).to_numpy(
                zero_copy_only=False)
    cache[(child, column)] = out
    return out


def check_references(tables: dict[str, pd.DataFrame], sources: dict[str, Source],
                      cache: dict | None = None) -> list[Problem]:
    """A problem for each value that refers to a row another table does not have: a
    learner_id not in ``learners``, an srb_id not in ``srbs``, an instrument not in
    ``instruments`` (and the comparison and cost tables' references). ``cache`` keeps the
    lookups (see :func:`_ref_positions`)."""
    problems: list[Problem] = []
    cache = {} if cache is None else cache

    def unknown(child: str, column: str, parent: str, parent_col: str):
        if child not in tables or parent not in tables:
            return
        c, p = tables[child], tables[parent]
        if column not in c.columns or parent_col not in p.columns:
            return
        pos = _ref_positions(tables, child, column, cache)
        if pos is not None:
            bad = c[column].notna() & (pos < 0)
        else:
            bad = c[column].notna() & ~is_in(c[column], p[parent_col].dropna())
        src = sources[child]
        for row, v in c.loc[bad, column].items():
            problems.append(Problem(src.label, int(row), column, str(v),
                                    f"unknown {parent_col}: not in the {parent} table",
                                    sheet=src.sheet))

    for t in S.LEARNER_TABLES:
        unknown(t, "learner_id", "learners", "learner_id")
    unknown("placements", "srb_id", "srbs", "srb_id")
    for (child, column), (parent, parent_col) in _REFERENCES.items():
        if child in S.COMPARISON_TABLES or child in S.COST_TABLES:
            unknown(child, column, parent, parent_col)
    unknown("assessments", "instrument", "instruments", "instrument")
    c, lrn = tables.get("comparison_learners"), tables.get("learners")
    if c is not None and lrn is not None and "learner_id" in c.columns \
            and "learner_id" in lrn.columns:
        src = sources["comparison_learners"]
        for row, v in c.loc[is_in(c["learner_id"], lrn["learner_id"].dropna()),
                            "learner_id"].items():
            problems.append(Problem(src.label, int(row), "learner_id", str(v),
                                    "is also in the learners table: a learner placed in an "
                                    "SRB is not a comparison learner", sheet=src.sheet))
    for name, people in S.ASSESSMENT_TABLES.items():
        problems += _assessment_checks(tables, sources, cache, name, people)
    return problems


def _assessment_checks(tables: dict[str, pd.DataFrame], sources: dict[str, Source],
                       cache: dict, name: str, people: str) -> list[Problem]:
    """Ages at assessment and scores within the instrument's range, for the assessment
    table ``name`` whose learners are in the table ``people``."""
    problems: list[Problem] = []
    a = tables.get(name)
    if a is not None:
        src = sources[name]
        if people in tables and {"learner_id", "date"} <= set(a.columns):
            pos = _ref_positions(tables, name, "learner_id", cache)
            if pos is not None:  # rows of first occurrences in the learner table
                at, births = pos, tables[people]["birth_month"]
            else:
                births = tables[people].set_index("learner_id")["birth_month"]
                births = births[~births.index.duplicated()]
                at = positions(a["learner_id"], births.index.to_series())
            if len(births):
                bm = pd.Series(births.to_numpy().take(np.maximum(at, 0)), index=a.index)
                bm[at < 0] = pd.NaT
            else:  # no learners at all: every learner_id is reported as unknown above
                bm = pd.Series(pd.NaT, index=a.index, dtype="datetime64[ns]")
            age = (a["date"] - bm).dt.days / 365.25
            bad = age.notna() & ((age < MIN_AGE_YEARS) | (age >= MAX_AGE_YEARS + 1))
            for row in a.index[bad]:
                problems.append(Problem(
                    src.label, int(row), "date", _fmt(a.at[row, "date"]),
                    f"learner would be aged {age[row]:.1f} at this assessment; ages "
                    f"{MIN_AGE_YEARS} to {MAX_AGE_YEARS} are allowed (check the date and "
                    "birth_month)", sheet=src.sheet))
        inst = tables.get("instruments")
        if inst is not None and {"instrument", "score"} <= set(a.columns):
            pos = _ref_positions(tables, name, "instrument", cache)
            ins = inst if pos is not None else \
                inst.drop_duplicates("instrument").set_index("instrument")
            for bound, op, word in (("min_score", np.less, "below"),
                                    ("max_score", np.greater, "above")):
                if bound not in ins.columns:
                    continue
                at = pos if pos is not None else positions(a["instrument"],
                                                         ins.index.to_series())
                values = ins[bound].to_numpy(dtype="float64", na_value=np.nan)
                limit = pd.Series(np.append(values, np.nan)[at], index=a.index)
                bad = limit.notna() & op(a["score"], limit).fillna(False)
                for row in a.index[bad]:
                    problems.append(Problem(
                        src.label, int(row), "score", f"{a.at[row, 'score']:g}",
                        f"is {word} the {bound.replace('_', ' ')} of "
                        f"{a.at[row, 'instrument']} ({limit[row]:g})", sheet=src.sheet))
    return problems


def finish(df: pd.DataFrame, spec: S.TableSpec, vocab_codes: dict | None = None
            ) -> pd.DataFrame:
    """Typed output: vocabulary columns as categoricals, a fresh RangeIndex."""
    out = df.reset_index(drop=True)
    for name, vocab in S.vocabulary_columns(spec.name).items():
        if name in out.columns:
            categories = list(S.VOCABULARIES[vocab])
            kept = (vocab_codes or {}).get(name)
            if kept is not None:  # the column is values.take(codes): look up the values
                codes, values = kept
                pos = pd.Index(categories).get_indexer(pd.Index(values, dtype=object))
                out[name] = pd.Categorical.from_codes(pos[codes], categories=categories)
            else:
                out[name] = pd.Categorical(out[name], categories=categories)
    for name, col in spec.columns().items():
        if name not in out.columns and not col.required:
            if name == "weight":
                out[name] = 1.0
            elif col.metadata.get("kind") == "bool":
                out[name] = pd.array([pd.NA] * len(out), dtype="boolean")
            else:
                out[name] = np.nan
    return out


