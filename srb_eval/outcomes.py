"""Estyn-style outcome measures: the evidence an authority-wide evaluation report needs.

Estyn found that local authorities "do not collect and analyse data about the various
groups of pupils" in resource bases and so "are unaware of which groups are progressing
well and whether or not resource bases provide value for money" (*Joining in*, 2008,
paragraph 17 and recommendation R5), and later that an authority "does not use SEN data
well enough when it reports to ... senior officers and elected members" (seed 004). This
module turns a dataset into the measures such a report needs, for one academic year, by
resource base and by primary need (the R5 group analysis), and words them the way Estyn
writes:

- :func:`estyn_quantifier`, :func:`finding_sentence`, :func:`share_cells`: Estyn's words
  for proportions ("most", "many", "a minority"...) from editable reference data
  (``reference/estyn_quantifiers.csv``), with disclosure control for published reports;
- :func:`progress_outcomes`: learners making at least expected progress per area
  (reusing :mod:`srb_eval.measures.progress`);
- :func:`qualification_awards`, :func:`leaver_awards`: qualifications at 14-16 and
  post-16, normalised to families (:func:`qualification_family`);
- :func:`attendance_outcomes`, :func:`exclusion_outcomes`: wellbeing;
- :func:`inclusion_outcomes`: time in mainstream classes, trends and the exit review
  (reusing :mod:`srb_eval.measures.inclusion`);
- :func:`destination_outcomes`, :func:`exit_reasons`, :func:`stay_outcomes`: transition
  and destinations (reusing :func:`srb_eval.measures.stays.length_of_stay`);
- :func:`occupancy_outcomes`: occupancy and unfilled places (reusing
  :func:`srb_eval.measures.occupancy.occupancy`);
- :func:`evaluate`: all of the above for one year, and :func:`outcome_measures`: the
  tidy table of every measure x group that the findings, the R5 table and the
  year-on-year comparison (:func:`year_on_year`) are built from;
- :func:`findings`, :func:`recommendations`, :func:`indicative_judgement`: strengths and
  areas for development from rules that are parameters, recommendations drafted from
  the areas for development, and an optional indicative judgement on Estyn's 2017
  four-point scale (Estyn stopped giving summative grades in 2022).

``display_*`` functions turn results into the text a report shows for its audience
(:mod:`srb_eval.report.disclosure`); they never return NaN. Everything is vectorised over
learners (group-bys on stacked frames); loops run only over measures, rules and groups.

References
----------
.. [1] Estyn (2008). *Joining in: a survey of resource bases attached to mainstream
   schools in Wales*. Cardiff: Estyn (seed 002): paragraphs 17 (data on groups of
   pupils), 21 (unfilled places "poor value for money"), 24-27 (standards, progress,
   qualifications, personal and social skills, integration), 76 (exit criteria);
   recommendation R5.
.. [2] Estyn inspection reports, glossary of the terms used for proportions ("nearly all
   = with very few exceptions; most = 90% or more; many = 70% or more; a majority = over
   60%; half = 50%; around half = close to 50%; a minority = below 40%; few = below 20%;
   very few = less than 10%").
.. [3] Estyn (2017). *Common Inspection Framework*: judgements Excellent; Good; Adequate
   and needs improvement; Unsatisfactory and needs urgent improvement. Estyn inspections
   have not given summative judgements since September 2022.
.. [4] Welsh Government (2024). *Persistent absenteeism from secondary schools:
   September 2022 to August 2023*: a pupil is persistently absent when absent for more
   than 10% of half-day sessions (the definition changed from 20% in 2023, with the
   guidance *Belonging, engaging and participating*).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
import weakref
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .data import schema as S
from .data.lookup import is_in, positions
from .errors import ParameterError, check_argument
from .measures import inclusion as inc
from .measures import inclusion_groups as inc_groups
from .measures import inclusion_trends as inc_trends
from .measures import occupancy as capacity_occupancy
from .measures import progress as P
from .measures import stays as capacity_stays
from .measures.attribution import attach_srb
from .measures.calendar import year_group
from .paths import REFERENCE_DIR
from .report import disclosure

__all__ = [
    "ALL",
    "AREAS",
    "AREA_FOR_DEVELOPMENT",
    "BY",
    "DEFAULT_FINDING_RULES",
    "FIGURES",
    "JUDGEMENT_RULES_FILE",
    "MEASURES",
    "NO_DATA",
    "NOT_JUDGED",
    "PERSISTENT_ABSENCE_BELOW",
    "QUALIFICATION_FAMILIES",
    "QUANTIFIER_FILE",
    "STRENGTH",
    "TABLES",
    "TOO_FEW",
    "AcademicYear",
    "ArgumentError",
    "Outcomes",
    "academic_year",
    "attendance_outcomes",
    "authority_dataset",
    "authority_name",
    "check_finding_rules",
    "default_census_date",
    "destination_outcomes",
    "display_awards",
    "display_destinations",
    "display_exit_reasons",
    "display_measures",
    "display_stays",
    "display_year_on_year",
    "estyn_quantifier",
    "evaluate",
    "exclusion_outcomes",
    "exit_reasons",
    "finding_sentence",
    "findings",
    "inclusion_outcomes",
    "indicative_judgement",
    "judgement_rules",
    "leaver_awards",
    "measure_sentences",
    "measure_table",
    "occupancy_outcomes",
    "outcome_measures",
    "progress_outcomes",
    "qualification_awards",
    "qualification_family",
    "qualification_level",
    "quantifier_bounds",
    "quantifier_table",
    "recommendations",
    "rule_text",
    "section_heading",
    "share_cells",
    "stay_outcomes",
    "year_on_year",
    "year_progress",
]

# --------------------------------------------------------------------------- constants

QUANTIFIER_FILE = REFERENCE_DIR / "estyn_quantifiers.csv"
JUDGEMENT_RULES_FILE = REFERENCE_DIR / "estyn_2017_judgement_rules.csv"

#: The areas of Estyn's "standards and progress" (Joining in, paragraphs 24 and 26).
AREAS: tuple[str, ...] = ("literacy", "numeracy", "communication", "personal_social")
AREA_LABELS: dict[str, str] = {"literacy": "literacy", "numeracy": "numeracy",
                               "communication": "communication",
                               "personal_social": "personal and social skills"}
#: Group label of the authority-wide rows (all resource bases together).
ALL = "all SRBs"
#: Group label for a missing primary need or SRB.
NOT_RECORDED = "not recorded"
#: The breakdowns of every measure besides the authority: by SRB and by primary need (R5).
BY: tuple[str, ...] = ("srb_id", "primary_need")
GROUP_TYPES: tuple[str, ...] = ("authority", "srb_id", "primary_need")
TOO_FEW = "too few to judge"
NO_DATA = disclosure.NO_DATA_TEXT
#: Quantifier column value where a measure is not about learners (sessions, places).
NOT_JUDGED = ""
STRENGTH = "strength"
AREA_FOR_DEVELOPMENT = "area for development"
#: Attendance below this share of possible sessions is persistent absence (Welsh
#: Government definition since 2023: absent for more than 10% of half-day sessions).
PERSISTENT_ABSENCE_BELOW = 0.9
#: Census day of the occupancy count: 1 October (autumn term), as Fig. 3 of the 2020
#: strategy ("Numbers Autumn 2020") is read in :mod:`srb_eval.data.published`.
CENSUS_MONTH_DAY = (10, 1)
_MARKERS = (disclosure.SMALL_COUNT_TEXT, disclosure.SUPPRESSED_TEXT)

#: Qualification families (DESIGN.md section 3) and the patterns that map a recorded
#: qualification name onto them (case-insensitive regular expressions, tried in this
#: order; the first match wins; anything else is "Other"). Essential Skills Wales comes
#: before Entry Level because its awards are also at Entry levels.
QUALIFICATION_FAMILIES: dict[str, str] = {
    "Essential Skills Wales": r"essential\s+(?:\w+\s+){0,4}skills|\besw\b|sgiliau\s+hanfodol",
    "Welsh Baccalaureate": r"bacc|skills\s+challenge|\bwbq\b",
    "GCSE": r"\bgcse|general\s+certificate\s+of\s+secondary|\btgau\b",
    "ASDAN": r"\basdan\b|\bcope\b|certificate\s+of\s+personal\s+effectiveness|"
             r"towards\s+independence|personal\s+development\s+programme",
    "OCN": r"\bocn\b|agored|open\s+college\s+network",
    "BTEC": r"\bbtec\b",
    "Entry Level": r"\bentry\s*level|\belc\b|\bentry\s+pathways?\b",
}
QUALIFICATION_OTHER = "Other"
#: Levels in display order (``qualification_level``).
LEVELS: tuple[str, ...] = ("Entry 1", "Entry 2", "Entry 3", "Level 1", "Level 2", "Level 3",
                           NOT_RECORDED)
#: Grades that mean no award was made (compared case-insensitively).
NOT_AWARDED: frozenset[str] = frozenset({
    "u", "unclassified", "ungraded", "fail", "failed", "not achieved", "not yet achieved",
    "x", "absent", "withdrawn", "pending", "no award",
})
_GCSE_LEVEL_2 = frozenset({"a*", "a", "b", "c", "9", "8", "7", "6", "5", "4"})
_GCSE_LEVEL_1 = frozenset({"d", "e", "f", "g", "3", "2", "1"})
#: Stages of education for qualifications (by National Curriculum year group at award).
STAGES: tuple[str, ...] = ("14-16", "post-16", "under 14")


class ArgumentError(ParameterError, ValueError):
    """A bad argument to a :mod:`srb_eval.outcomes` function (names the parameter)."""


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    """Raise :class:`ArgumentError` naming ``name`` and what it allows unless ``ok``."""
    check_argument(ok, name, allowed, got, error=ArgumentError)


def _int_at_least(value: object, name: str, low: int) -> int:
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    _check(ok and int(value) >= low, name, f"a whole number of {low} or more", value)
    return int(value)  # type: ignore[arg-type]


def _share(value: object, name: str) -> float:
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and 0 <= float(value) <= 1)
    _check(ok, name, "a share from 0 to 1", value)
    return float(value)  # type: ignore[arg-type]


def _check_by(by: object) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)  # type: ignore[call-overload]
    _check(all(k in BY for k in keys) and len(set(keys)) == len(keys), "by",
           "a list from " + ", ".join(map(repr, BY)), by)
    return keys


def _counts(values: Any, name: str) -> np.ndarray:
    """Whole numbers of 0 or more as floats (NaN where missing); ArgumentError otherwise."""
    num = disclosure.plain_counts(values)
    if num is not None:
        return num
    s = values if isinstance(values, pd.Series) else pd.Series(
        np.atleast_1d(np.asarray(values, dtype=object)))
    missing = s.isna().to_numpy()
    num = pd.to_numeric(s, errors="coerce").astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = (np.isnan(num) & ~missing) | (num < 0) | np.isinf(num)
        bad |= np.isfinite(num) & (num != np.floor(num))
    if bad.any():
        _check(False, name, "whole numbers of 0 or more (or missing)", s[bad].iloc[0])
    return num


# --------------------------------------------------------------------------- quantifiers


_QUANT_COLUMNS = ("term", "min_share", "min_inclusive", "max_share", "max_inclusive",
                  "sentence_form", "estyn_meaning", "srb_eval_rule", "source")


def _bool_column(s: pd.Series, name: str) -> pd.Series:
    text = s.astype("str").str.strip().str.lower()
    ok = text.isin(["true", "false"])
    _check(bool(ok.all()), name, "true or false in every row", s[~ok].tolist())
    return text == "true"


@lru_cache(maxsize=8)
def _read_quantifiers(path: str) -> pd.DataFrame:
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    return _validate_quantifiers(t, f"quantifier table {Path(path).name}")


def _validate_quantifiers(t: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in _QUANT_COLUMNS if c not in t.columns]
    _check(not missing, name, "a table with columns " + ", ".join(_QUANT_COLUMNS), missing)
    out = pd.DataFrame({"term": t["term"].astype("str").str.strip()})
    for c in ("min_share", "max_share"):
        v = pd.to_numeric(t[c], errors="coerce")
        _check(bool(v.notna().all() and v.between(0, 1).all()), name,
               f"{c} from 0 to 1 in every row", t[c].tolist())
        out[c] = v.astype(float).to_numpy()
    for c in ("min_inclusive", "max_inclusive"):
        out[c] = _bool_column(t[c], f"{name} ({c})").to_numpy()
    for c in ("sentence_form", "estyn_meaning", "srb_eval_rule", "source"):
        out[c] = t[c].astype("str").str.strip().to_numpy()
    _check(bool((out["min_share"] <= out["max_share"]).all()), name,
           "min_share <= max_share in every row", out["term"].tolist())
    _check(out["term"].is_unique and bool((out["term"] != "").all()), name,
           "unique, non-empty terms", out["term"].tolist())
    # every share from 0 to 1 must get a word: test each bound and each gap between bounds
    bounds = np.unique(np.r_[0.0, 1.0, out["min_share"], out["max_share"]])
    probes = np.unique(np.r_[bounds, (bounds[:-1] + bounds[1:]) / 2])
    covered = np.zeros(len(probes), dtype=bool)
    for row in out.itertuples(index=False):  # a dozen reference rows
        covered |= _in_band(probes, row)
    _check(bool(covered.all()), name, "bands that together cover every share from 0 to 1",
           [f"{p:g}" for p in probes[~covered]])
    return out.reset_index(drop=True)


def _in_band(p: np.ndarray, row: Any) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        lo = p >= row.min_share if row.min_inclusive else p > row.min_share
        hi = p <= row.max_share if row.max_inclusive else p < row.max_share
    return lo & hi


def quantifier_table(path: str | Path | None = None) -> pd.DataFrame:
    """Estyn's words for proportions, as editable reference data.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the columns below; default ``srb_eval/reference/estyn_quantifiers.csv``.

    Returns
    -------
    DataFrame
        One row per term, in priority order (the first band that holds a share gives
        its word): ``term``, ``min_share``, ``min_inclusive``, ``max_share``,
        ``max_inclusive`` (the band), ``sentence_form`` (how a sentence starts: "Most",
        "A majority of", "Half of the", "No"), ``estyn_meaning`` (the glossary's
        wording), ``srb_eval_rule`` (the band in words) and ``source``.

    Raises
    ------
    ArgumentError
        A missing column, a bound outside 0-1 or not true/false, repeated terms, or bands
        that leave some share from 0 to 1 without a word.

    Notes
    -----
    Estyn's glossary bands overlap ("most = 90% or more" lies inside "many = 70% or
    more") and leave a gap (a minority is "below 40%", a majority "over 60%"). The
    shipped table makes one deterministic mapping (assumption A6): every share gets the
    most specific term that holds it.

    ========================  ======================================================
    term                      share p = count / n (n at least ``min_n``)
    ========================  ======================================================
    all                       p = 1 (count = n)
    nearly all                0.95 <= p < 1: "with very few exceptions", fewer than
                              one in twenty (so 27 of 29 = 93% is "most", the example
                              of DESIGN.md section 3)
    most                      0.90 <= p < 0.95
    many                      0.70 <= p < 0.90
    a majority                0.60 < p < 0.70
    half                      p = 0.5
    around half               0.40 <= p <= 0.60, except exactly 0.5: "close to 50%",
                              widened to close the glossary's gap
    a minority                0.20 <= p < 0.40
    few                       0.10 <= p < 0.20
    very few                  0 < p < 0.10
    none                      p = 0 (count = 0)
    ========================  ======================================================

    Shares are compared exactly (``count / n`` is correctly rounded, so 7 of 10 is at
    70%, never just below).

    References
    ----------
    .. [1] Estyn inspection reports, glossary of the terms used for proportions.
    .. [2] srb-eval ``docs/assumptions_caveats.md``, A6.

    Examples
    --------
    >>> quantifier_table()[["term", "min_share", "max_share"]].head(3)
             term  min_share  max_share
    0         all       1.00       1.00
    1  nearly all       0.95       1.00
    2        most       0.90       0.95
    """
    if isinstance(path, pd.DataFrame):
        return _validate_quantifiers(path, "table")
    p = QUANTIFIER_FILE if path is None else Path(path)
    _check(p.is_file(), "path", "an existing CSV file", str(p))
    return _read_quantifiers(str(p.resolve())).copy()


def estyn_quantifier(count: Any, n: Any, *, min_n: int = 5,
                     table: pd.DataFrame | None = None) -> str | pd.Series:
    """Estyn's word for "count of n": "most", "many", "a minority"... or "too few to judge".

    Parameters
    ----------
    count, n : int or array-like of int
        How many learners have the finding, out of how many. Scalars give a str;
        array-likes (Series, lists, arrays) give a Series of str (indexed like ``count``
        if it is a Series). Missing values are allowed.
    min_n : int, default 5
        Fewest learners to judge: below it (and for n = 0) the word is
        ``"too few to judge"``. Classes of up to 8 are the norm in resource bases, so
        the default of 5 judges a class but not a handful of learners.
    table : DataFrame, optional
        From :func:`quantifier_table` (default: the shipped reference table).

    Returns
    -------
    str or Series of str
        The term of :func:`quantifier_table` ("all", "nearly all", "most", "many",
        "a majority", "half", "around half", "a minority", "few", "very few", "none"),
        ``"too few to judge"`` when ``n < min_n`` or ``n == 0``, ``"no data"`` when either
        number is missing.

    Raises
    ------
    ArgumentError
        Counts that are not whole numbers of 0 or more, ``count > n``, lengths that
        differ, or ``min_n`` not a whole number of 1 or more.

    Notes
    -----
    .. math:: p = \\frac{\\text{count}}{n}, \\qquad
              \\text{term} = \\text{first band of the table with }
              \\text{min} \\le p \\le \\text{max}

    (each bound inclusive or not as the table says; see :func:`quantifier_table` for the
    bands). Vectorised: one pass per band of the reference table.

    References
    ----------
    .. [1] Estyn inspection reports, glossary of the terms used for proportions.

    Examples
    --------
    >>> estyn_quantifier(27, 29)
    'most'
    >>> estyn_quantifier([29, 28, 7, 6, 1, 0, 3], [29, 29, 10, 10, 29, 29, 4]).tolist()
    ['all', 'nearly all', 'many', 'around half', 'very few', 'none', 'too few to judge']
    """
    k = _int_at_least(min_n, "min_n", 1)
    t = quantifier_table() if table is None else _validate_quantifiers(table, "table")
    scalar = np.ndim(count) == 0 and np.ndim(n) == 0
    c, m = _counts(count, "count"), _counts(n, "n")
    _check(c.shape == m.shape, "n", f"the same length as count ({c.size})", f"length {m.size}")
    with np.errstate(invalid="ignore"):
        over = c > m
    if over.any():
        i = int(np.flatnonzero(over)[0])
        _check(False, "count", "at most n", f"{c[i]:g} of {m[i]:g} at position {i}")
    out = np.full(c.shape, NO_DATA, dtype=object)
    known = ~np.isnan(c) & ~np.isnan(m)
    with np.errstate(invalid="ignore"):
        judged = known & (m >= k) & (m > 0)
        p = np.where(judged, c / np.where(m > 0, m, 1.0), np.nan)
    out[known & ~judged] = TOO_FEW
    todo = judged.copy()
    for row in t.itertuples(index=False):  # a dozen bands
        hit = todo & _in_band(p, row)
        out[hit] = row.term
        todo &= ~hit
    if scalar:
        return str(out[0])
    index = count.index if isinstance(count, pd.Series) else None
    return pd.Series(out, index=index, dtype=object)


def quantifier_bounds(term: str, *, table: pd.DataFrame | None = None) -> tuple[float, bool]:
    """The lower bound of a quantifier's band: ``(share, inclusive)``.

    Used by finding rules: "fewer than 'many'" means a share below 0.70; "at least 'a
    majority'" means a share over 0.60 (the bound is exclusive).

    Examples
    --------
    >>> quantifier_bounds("many")
    (0.7, True)
    >>> quantifier_bounds("a majority")
    (0.6, False)
    """
    t = quantifier_table() if table is None else _validate_quantifiers(table, "table")
    key = term.strip().lower() if isinstance(term, str) else None
    hit = t.loc[t["term"].str.lower() == key]
    _check(len(hit) == 1, "term", "one of " + ", ".join(map(repr, t["term"])), term)
    return float(hit["min_share"].iloc[0]), bool(hit["min_inclusive"].iloc[0])


def _forms(table: pd.DataFrame | dict) -> dict:
    """Sentence form of each quantifier term (a dict passes through)."""
    if isinstance(table, dict):
        return table
    return dict(zip(table["term"].tolist(), table["sentence_form"].tolist(), strict=True))


def _sentence_forms(terms: np.ndarray, table: pd.DataFrame | dict) -> np.ndarray:
    forms = _forms(table)
    return np.array([forms.get(t, "") for t in terms], dtype=object)


def _records(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")``, column by column (much faster on string columns)."""
    cols = list(df.columns)
    if len(set(cols)) != len(cols):
        return df.to_dict("records")
    values = [df[c].tolist() for c in cols]
    return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]


# --------------------------------------------------------------------------- wording


def _whole(values: np.ndarray) -> np.ndarray:
    out = np.full(values.shape, NO_DATA, dtype=object)
    ok = ~np.isnan(values)
    text = np.empty(int(ok.sum()), dtype=object)
    text[:] = [f"{v:,}" for v in values[ok].astype(np.int64).tolist()]
    out[ok] = text
    return out


def share_cells(count: Any, n: Any, *, audience: str, min_n: int = 5,
                total: Any = None, quantifier: bool = True,
                thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS,
                decimals: int = 0) -> pd.DataFrame:
    """The text of "count of n" cells for a report: quantifier, phrase and percentage.

    Parameters
    ----------
    count, n : array-like of int
        One row per group (e.g. SRBs, then the authority as the total row).
    audience : {"internal", "published"}
    min_n : int, default 5
        Below it (or n = 0) the quantifier is "too few to judge".
    total : int, optional
        Position of the row holding the column total (the authority), which makes the
        rows a table whose totals are known to readers (secondary suppression).
    quantifier : bool, default True
        Put the Estyn word in the cell (learners); False for places.
    thresholds : disclosure.Thresholds
    decimals : int, default 0
        Decimal places of the percentage.

    Returns
    -------
    DataFrame
        One row per input row: ``count_text``, ``n_text``, ``pct_text`` (as
        :func:`srb_eval.report.disclosure.suppress_percentages`, and ``"[c]"`` where the count or
        n is hidden), ``quantifier`` (:func:`estyn_quantifier`; "" where published
        numbers are hidden, see Notes), ``phrase`` (``"27 of 29, 93%"``; ``"[c]"`` when n
        is hidden), ``cell`` (``"most: 27 of 29 (93%)"``; "too few to judge", with n for
        internal reports; "no data" when n is 0), ``value_shown`` (the percentage as a
        number where it is shown, else NaN: what a figure may draw) and ``judged``
        (n at least ``min_n``).

    Notes
    -----
    Internal: every number as it is. Published (DESIGN.md section 4): the rows are
    treated as a table with columns *count* and *n - count* and row totals *n*; counts
    from 1 to ``min_count - 1`` are primary-suppressed and a second cell is hidden
    where a total would give a hidden one away (:func:`srb_eval.report.disclosure.suppress_counts`,
    with the total row when ``total`` is given). The phrase is then ``"<5 of 29"`` (a
    small count), ``"more than 24 of 29"`` (a small complement: the same words as
    :func:`srb_eval.report.disclosure.count_with_share`, unless the bound would itself be a
    small number: ``"[c] of 8"``), ``"[c] of 29"`` (hidden to protect another cell), or
    the count, n and percentage. Percentages of fewer than
    ``min_denominator`` learners are hidden.

    Published, the Estyn word is shown only beside numbers that are shown: a word is a
    band, and with n it can pin a hidden count down (for n = 29 "nearly all" can only be
    28; "half" of 10 is 5), so where the count, its complement or n is hidden the word is
    left out (``quantifier`` is ""). Internal cells always carry the word.

    Examples
    --------
    >>> share_cells([27, 3], [29, 29], audience="internal")["cell"].tolist()
    ['most: 27 of 29 (93%)', 'few: 3 of 29 (10%)']
    >>> share_cells([27, 3, 20], [29, 29, 29], audience="published")["cell"].tolist()
    ['more than 24 of 29', '<5 of 29', 'a majority: 20 of 29 (69%)']
    """
    published = disclosure.check_audience(audience) == "published"
    k = _int_at_least(min_n, "min_n", 1)
    c, m = _counts(count, "count"), _counts(n, "n")
    _check(c.shape == m.shape, "n", f"the same length as count ({c.size})", f"length {m.size}")
    rows = len(c)
    if total is not None:
        _check(isinstance(total, (int, np.integer)) and 0 <= int(total) < rows, "total",
               f"a row position from 0 to {rows - 1}", total)
    words = np.asarray(estyn_quantifier(c, m, min_n=k), dtype=object)
    pct = disclosure.suppress_percentages(c, m, audience=audience, thresholds=thresholds,
                                          decimals=decimals).to_numpy(dtype=object)
    rest = m - c
    if published and rows:
        # disclosure.suppress_counts of the table (count, complement; n the row total;
        # the total row, if any, the column totals), on the numbers directly
        use_total = total is not None and rows > 1
        shown = disclosure._count_text(
            np.column_stack([disclosure._as_counts(c, "count_columns ('count')"),
                             disclosure._as_counts(rest, "count_columns ('complement')"),
                             disclosure._as_counts(m, "count_columns ('n')")]),
            thresholds, margin_row=int(total) if use_total else None, margin_col=2)
        count_text, rest_text, n_text = shown[:, 0], shown[:, 1], shown[:, 2]
    else:
        count_text, rest_text, n_text = _whole(c), _whole(rest), _whole(m)
    small = thresholds.small_count_text
    hidden = (np.isin(count_text, _MARKERS) | np.isin(n_text, _MARKERS)
              | np.isin(rest_text, _MARKERS))
    pct = np.where(hidden & (pct != NO_DATA), disclosure.SUPPRESSED_TEXT, pct)
    pct_shown = ~np.isin(pct, _MARKERS) & (pct != NO_DATA)
    phrase = (count_text + " of " + n_text).astype(object)
    phrase = np.where(pct_shown, phrase + ", " + pct, phrase)
    more = "more than " + _whole(m - thresholds.min_count) + " of " + n_text
    # "more than 24 of 29" says no more than "<5" would of those without the finding;
    # not when the bound would itself be a small number ("more than 3 of 8")
    phrase = np.where((rest_text == small) & (count_text == disclosure.SUPPRESSED_TEXT)
                      & ~np.isin(n_text, _MARKERS)
                      & (m - thresholds.min_count >= thresholds.min_count), more, phrase)
    phrase = np.where(np.isin(n_text, _MARKERS), disclosure.SUPPRESSED_TEXT, phrase)
    judged = (words != TOO_FEW) & (words != NO_DATA)
    # published: a word only beside numbers that are shown (a band with n can pin a count)
    shown_word = np.where(judged & hidden, NOT_JUDGED, words) if published else words
    bracketed = np.where(pct_shown, (count_text + " of " + n_text).astype(object)
                         + " (" + pct + ")", phrase)
    cell = np.where(shown_word != NOT_JUDGED, shown_word + ": " + bracketed, bracketed) \
        if quantifier else bracketed
    few_text = np.where(np.isin(n_text, _MARKERS) | published, TOO_FEW,
                        TOO_FEW + " (n=" + n_text + ")")
    cell = np.where(judged, cell, np.where(words == NO_DATA, NO_DATA, few_text))
    cell = np.where((m == 0) | np.isnan(m) | np.isnan(c), NO_DATA, cell)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(m > 0, 100.0 * c / np.where(m > 0, m, 1.0), np.nan)
    value = np.where(pct_shown & judged, value, np.nan)
    return pd.DataFrame({"count_text": count_text, "n_text": n_text, "pct_text": pct,
                         "quantifier": shown_word, "phrase": phrase, "cell": cell,
                         "value_shown": value.astype(float), "judged": judged},
                        index=count.index if isinstance(count, pd.Series) else None)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def finding_sentence(count: Any, n: Any, predicate: str, *, audience: str,
                     noun: str = "learners", min_n: int = 5,
                     thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                     ) -> str | pd.Series:
    """A finding in Estyn's words: "Most learners (27 of 29, 93%) made at least expected
    progress in literacy."

    Parameters
    ----------
    count, n : int or array-like of int
        Scalars give a str; array-likes a Series (each row worded on its own).
    predicate : str
        What the counted learners did, as a verb phrase in the past tense: "made at
        least expected progress in literacy".
    audience : {"internal", "published"}
    noun : str, default "learners"
        "learners", "leavers", "learners with ASD as their primary need"...
    min_n : int, default 5
    thresholds : disclosure.Thresholds

    Returns
    -------
    str or Series of str
        - ``"<Quantifier> <noun> (<phrase>) <predicate>."``, the phrase from
          :func:`share_cells`; published with a number hidden, no quantifier:
          ``"Fewer than 5 of 29 learners ..."``, ``"More than 24 of 29 learners ..."``, or
          ``"The number of learners who ... is not shown (it would reveal a small
          number)."``;
        - ``"There were too few <noun> (3) to judge how many <predicate>."`` when
          ``n < min_n`` (published: ``"(<5)"`` for n from 1 to 4);
        - ``"There is no data on how many <noun> <predicate>."`` when n is 0 or missing.

    Notes
    -----
    The quantifier and the disclosure rules are those of :func:`estyn_quantifier` and
    :func:`share_cells` (one row at a time, no table total).

    Examples
    --------
    >>> finding_sentence(27, 29, "made at least expected progress in literacy",
    ...                  audience="internal")
    'Most learners (27 of 29, 93%) made at least expected progress in literacy.'
    >>> finding_sentence(3, 29, "were persistently absent", audience="published")
    'Fewer than 5 of 29 learners were persistently absent.'
    >>> finding_sentence(2, 3, "left with an award", audience="published", noun="leavers")
    'There were too few leavers (<5) to judge how many left with an award.'
    """
    _check(isinstance(predicate, str) and predicate.strip() != "", "predicate",
           "a non-empty verb phrase", predicate)
    _check(isinstance(noun, str) and noun.strip() != "", "noun", "a non-empty word", noun)
    scalar = np.ndim(count) == 0 and np.ndim(n) == 0
    c = np.atleast_1d(np.asarray(count, dtype=object))
    m = np.atleast_1d(np.asarray(n, dtype=object))
    _check(c.shape == m.shape, "n", f"the same length as count ({c.size})", f"length {m.size}")
    # no total row: each row is suppressed on its own (its count, complement and n)
    cells = share_cells(c, m, audience=audience, min_n=min_n, thresholds=thresholds)
    t = quantifier_table()
    forms = _forms(t)
    out = [_sentence(row, noun=noun, predicate=predicate, table=forms)
           for row in _records(cells)]  # text, one per row asked for
    if scalar:
        return out[0]
    index = count.index if isinstance(count, pd.Series) else None
    return pd.Series(out, index=index, dtype=object)


def _sentence(row: Any, *, noun: str, predicate: str, table: pd.DataFrame | dict,
              prefix: str = "") -> str:
    """One sentence from a :func:`share_cells` row (``table``: quantifiers, or their
    :func:`_forms`)."""
    if row["quantifier"] == NO_DATA or row["n_text"] in ("0", NO_DATA):
        body = f"there is no data on how many {noun} {predicate}."
    elif row["quantifier"] == TOO_FEW:
        body = f"there were too few {noun} ({row['n_text']}) to judge how many {predicate}."
    elif row["quantifier"] == NOT_JUDGED:  # published with a number hidden: no word
        phrase = str(row["phrase"])
        if phrase.startswith(disclosure.SUPPRESSED_TEXT):
            body = (f"the number of {noun} who {predicate.removesuffix('.')} is not shown "
                    "(it would reveal a small number).")
        else:
            phrase = re.sub(r"^<(\d+) of", r"fewer than \1 of", phrase)
            body = f"{phrase} {noun} {predicate}."
    else:
        form = _sentence_forms(np.array([row["quantifier"]]), table)[0]
        body = f"{form.lower()} {noun} ({row['phrase']}) {predicate}."
    return _capital(prefix + body)


# --------------------------------------------------------------------------- year, authority


class AcademicYear(NamedTuple):
    """A school year: ``label`` "2025/26", ``start`` 1 September, ``end`` 31 August."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp


def academic_year(label: str | AcademicYear, *, name: str = "academic_year") -> AcademicYear:
    """Parse an academic year label such as ``"2025/26"`` (1 September 2025 - 31 August 2026).

    Raises
    ------
    ArgumentError
        Anything but ``"YYYY/YY"`` with consecutive years; the message names ``name``.

    Examples
    --------
    >>> academic_year("2025/26")
    AcademicYear(label='2025/26', start=Timestamp('2025-09-01 00:00:00'), \
end=Timestamp('2026-08-31 00:00:00'))
    """
    if isinstance(label, AcademicYear):
        return label
    m = re.fullmatch(r"\s*(\d{4})/(\d{2})\s*", label) if isinstance(label, str) else None
    ok = m is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2))
    _check(ok, name, 'an academic year written "YYYY/YY" with consecutive years, e.g. '
           '"2025/26"', label)
    y = int(m.group(1))  # type: ignore[union-attr]
    return AcademicYear(f"{y}/{(y + 1) % 100:02d}", pd.Timestamp(y, 9, 1),
                        pd.Timestamp(y + 1, 8, 31))


def default_census_date(year: str | AcademicYear) -> pd.Timestamp:
    """The occupancy census day of an academic year: 1 October (autumn term).

    Examples
    --------
    >>> default_census_date("2025/26")
    Timestamp('2025-10-01 00:00:00')
    """
    y = academic_year(year)
    return pd.Timestamp(y.start.year, *CENSUS_MONTH_DAY)


def authority_name(ds: Any, local_authority: str | None = None) -> str:
    """The local authority a report is about: the parameter, checked, or the data's.

    Parameters
    ----------
    ds : Dataset
    local_authority : str, optional
        A name in ``srbs.local_authority`` (case and surrounding spaces ignored). None:
        the authority of the data (several are joined with "and").

    Raises
    ------
    ParameterError
        A name that is not in the data (the message lists those that are).
    """
    names = ds.srbs["local_authority"].dropna().astype("str").str.strip()
    known = list(dict.fromkeys(names))
    if local_authority is None:
        if not known:
            return "the local authority"
        return known[0] if len(known) == 1 else ", ".join(known[:-1]) + " and " + known[-1]
    ok = isinstance(local_authority, str) and local_authority.strip().lower() in {
        k.lower() for k in known}
    if not ok:
        raise ParameterError(f"local_authority: must be None or one of {known!r}; got "
                             f"{local_authority!r}")
    return next(k for k in known if k.lower() == local_authority.strip().lower())


def authority_dataset(ds: Any, local_authority: str | None = None) -> Any:
    """The dataset restricted to one authority's SRBs, their placements and learners.

    ``None`` (or an authority that holds every SRB) returns ``ds`` itself. Learner-level
    tables keep the learners with a placement in those SRBs.
    """
    if local_authority is None:
        return ds
    name = authority_name(ds, local_authority)
    la = ds.srbs["local_authority"].astype("str").str.strip().str.lower()
    keep = (la == name.lower()).to_numpy()
    if keep.all():
        return ds
    srbs = ds.srbs.loc[keep].reset_index(drop=True)
    placements = ds.placements.loc[ds.placements["srb_id"].astype("str").isin(
        srbs["srb_id"].astype("str"))].reset_index(drop=True)
    ids = set(placements["learner_id"].astype("str"))
    changes: dict[str, Any] = {"srbs": srbs, "placements": placements}
    for t in ("learners", "assessments", "inclusion", "targets", "attendance", "exclusions",
              "qualifications"):
        df = getattr(ds, t)
        if df is not None:
            changes[t] = df.loc[df["learner_id"].astype("str").isin(ids)].reset_index(
                drop=True)
    return dataclasses.replace(ds, **changes)


def _in_year(dates: pd.Series, year: AcademicYear) -> np.ndarray:
    d = pd.to_datetime(dates)
    return ((d >= year.start) & (d <= year.end)).fillna(False).to_numpy(dtype=bool)


def _needs(ds: Any) -> pd.DataFrame:
    lr = ds.learners[["learner_id", "primary_need"]].drop_duplicates("learner_id")
    lid = lr["learner_id"].astype("str")
    need = lr["primary_need"].astype("str").fillna(NOT_RECORDED)
    return pd.DataFrame({"learner_id": lid.array if lid.notna().any() else lid.to_numpy(),
                         "primary_need": need.array if need.notna().any()
                         else need.to_numpy()})


def _map_by_key(ids: pd.Series, keys: pd.Series, values: pd.Series) -> pd.Series:
    """``ids.map(dict(zip(keys, values)))``: a hash lookup and a take when the keys are
    distinct (a missing id finds a missing key, as the dict lookup does)."""
    if not pd.Index(keys).is_unique:
        return ids.map(dict(zip(keys, values, strict=True)))
    pos = positions(ids, keys)
    return pd.Series(pd.api.extensions.take(values.array, pos, allow_fill=True),
                     index=ids.index, name=ids.name)


def _str_values(s: pd.Series, mask: np.ndarray | None = None):
    """``s.to_numpy()[mask]`` for a text column put in a new frame (which makes it text
    again): the Arrow array itself when ``s`` is text, no round trip through objects."""
    if isinstance(s.dtype, pd.StringDtype) and s.notna().any():
        return s.array if mask is None else s.array[np.asarray(mask, dtype=bool)]
    return s.to_numpy() if mask is None else s.to_numpy()[mask]


def _with_needs(frame: pd.DataFrame, ds: Any) -> pd.DataFrame:
    """``frame.merge(_needs(ds), on="learner_id", how="left")`` with a missing need read
    as "not recorded"."""
    out = frame.merge(_needs(ds), on="learner_id", how="left")
    out["primary_need"] = out["primary_need"].fillna(NOT_RECORDED)
    return out


def _srb_order(ds: Any) -> list[str]:
    return list(dict.fromkeys(ds.srbs["srb_id"].astype("str")))


def _stack(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """One copy of ``frame`` per breakdown: the authority (group ALL), then by each column."""
    parts = [frame.assign(group_type="authority", group=ALL)]
    for col in by:
        g = frame[col].astype("str").fillna(NOT_RECORDED)
        parts.append(frame.assign(group_type=col, group=_str_values(g)))
    return pd.concat(parts, ignore_index=True)


def _group_index(by: Sequence[str], srb_ids: Sequence[str], observed: pd.DataFrame
                 ) -> pd.MultiIndex:
    """Every group a table shows: the authority, every SRB, every need observed."""
    rows = [("authority", ALL)]
    for col in by:
        seen = set(observed.loc[observed["group_type"] == col, "group"].astype("str")
                   .tolist())
        if col == "srb_id":
            values = list(srb_ids) + sorted(seen - set(srb_ids))
        else:
            values = [x for x in S.NEEDS if x in seen] + sorted(seen - set(S.NEEDS))
        rows += [(col, v) for v in values]
    return pd.MultiIndex.from_tuples(rows, names=["group_type", "group"])


def _finish(agg: pd.DataFrame, by: Sequence[str], srb_ids: Sequence[str],
            counts: Sequence[str]) -> pd.DataFrame:
    """Reindex a (group_type, group) aggregate to every group; missing counts are 0."""
    observed = agg.reset_index()[["group_type", "group"]] if len(agg) else pd.DataFrame(
        {"group_type": pd.Series(dtype="str"), "group": pd.Series(dtype="str")})
    idx = _group_index(by, srb_ids, observed)
    out = agg.reindex(idx)
    for c in counts:
        out[c] = out[c].fillna(0).astype("int64")
    return out.reset_index()


# --------------------------------------------------------------------------- standards


def year_progress(ds: Any, year: str | AcademicYear, **kwargs: Any) -> pd.DataFrame:
    """:func:`srb_eval.progress.dataset_progress` over one academic year.

    Progress is from each placement's baseline to the latest assessment on or before
    31 August of the year; a result counts only if at least one of its assessments falls
    in the year (``anchor="baseline"``, ``window_start`` 1 September, ``window_end`` 31
    August). ``kwargs`` go to :func:`srb_eval.progress.learner_progress`.
    """
    y = academic_year(year)
    return P.dataset_progress(ds, window_start=y.start.strftime("%Y-%m-%d"),
                              window_end=y.end.strftime("%Y-%m-%d"), **kwargs)


def progress_outcomes(progress: pd.DataFrame, *, areas: Sequence[str] = AREAS,
                      by: Sequence[str] = BY, combine: str = "all", min_n: int = 5,
                      srb_ids: Sequence[str] = ()) -> pd.DataFrame:
    """How many learners made at least expected progress from baseline, per area and group.

    Parameters
    ----------
    progress : DataFrame
        From :func:`srb_eval.progress.learner_progress` (or :func:`year_progress`), with
        ``learner_id``, ``srb_id``, ``area``, ``band`` and, to group by need,
        ``primary_need`` (given when ``learners`` is passed to it).
    areas : list of str, default ("literacy", "numeracy", "communication",
        "personal_social")
    by : list of str, default ("srb_id", "primary_need")
        Breakdowns besides the authority.
    combine : {"all", "any"}, default "all"
        A learner assessed in one area with several instruments (or in two placements)
        has several bands. ``"all"``: at least expected progress only if no band is
        "below" (a learner cannot be flattered by one instrument); ``"any"``: if any band
        is expected or above.
    min_n : int, default 5
        Fewest judged learners for a quantifier.
    srb_ids : list of str, optional
        Every SRB to show (those without results get zero rows), in order.

    Returns
    -------
    DataFrame
        One row per group x area (authority first, then SRBs, then needs; areas in the
        order given): ``group_type`` ("authority", "srb_id", "primary_need"), ``group``
        ("all SRBs", an srb_id or a need code), ``area``, ``n_learners`` (learners with
        any result in the area), ``n_judged`` (learners with an expected-progress band),
        ``n_at_least_expected``, ``n_below``, ``n_not_judged`` (no follow-up yet, too soon
        to judge, or no expectation for the instrument), ``share_at_least_expected``
        (of ``n_judged``; NaN when 0) and ``quantifier``.

    Notes
    -----
    The bands are those of :func:`srb_eval.progress.learner_progress` (expected = 75% to
    125% of the instrument's expected gain per year, or no reliable change on a
    standardised score; DESIGN.md section 3). Per group and area:

    .. math:: \\text{share} = \\frac{\\#\\{i : \\text{band}_i \\in
              \\{\\text{expected}, \\text{above}\\}\\}}{\\#\\{i : \\text{band}_i
              \\text{ known}\\}}

    counting learners, not results. A learner who moved SRB counts in each SRB they had
    a result in, and once for the authority. Small n: every row carries its n; below
    ``min_n`` the quantifier is "too few to judge"; no row is dropped.

    References
    ----------
    .. [1] Estyn (2008). *Joining in*, paragraph 24: "Most pupils make consistent progress
       in gaining literacy and numeracy skills"; paragraph 26 (personal and social skills).
    .. [2] srb-eval DESIGN.md section 3 (expected progress).
    """
    keys = _check_by(by)
    _check(combine in ("all", "any"), "combine", '"all" or "any"', combine)
    k = _int_at_least(min_n, "min_n", 1)
    areas = [areas] if isinstance(areas, str) else list(areas)
    _check(len(areas) > 0 and all(a in S.AREAS for a in areas), "areas",
           "a list of areas from " + ", ".join(S.AREAS), areas)
    need = ["learner_id", "srb_id", "area", "band", *[c for c in keys if c != "srb_id"]]
    missing = [c for c in need if c not in progress.columns]
    _check(not missing, "progress", "a table from srb_eval.progress.learner_progress with "
           "columns " + ", ".join(need), missing)
    # learners per group x area on integer codes: a learner's bands in a group and area
    # are combined first (any / none below), then learners are counted
    a_code = pd.Index(areas).get_indexer(progress["area"].astype("str"))
    rows = np.flatnonzero(a_code >= 0)
    ac = a_code[rows].astype(np.int64)
    lc = pd.factorize(progress["learner_id"].astype("str"))[0][rows].astype(np.int64)
    n_l, n_a = (int(lc.max()) + 1 if len(lc) else 1), len(areas)
    band = progress["band"]
    banded = band.notna().to_numpy(dtype=bool)[rows]
    good = band.isin(["expected", "above"]).to_numpy(dtype=bool)[rows]
    bad = band.isin(["below"]).to_numpy(dtype=bool)[rows]
    parts = []
    levels = [("authority", np.zeros(len(rows), dtype=np.int64), pd.Index([ALL]))]
    for col in keys:
        g_code, g_names = pd.factorize(progress[col].astype("str").fillna(NOT_RECORDED))
        levels.append((col, g_code[rows].astype(np.int64), pd.Index(g_names)))
    for group_type, g, g_names in levels:
        key = (g * n_l + lc) * n_a + ac
        uk, inv = np.unique(key, return_inverse=True)
        any_banded = np.bincount(inv, weights=banded, minlength=len(uk)) > 0
        any_good = np.bincount(inv, weights=good, minlength=len(uk)) > 0
        any_bad = np.bincount(inv, weights=bad, minlength=len(uk)) > 0
        ok = any_banded & (~any_bad if combine == "all" else any_good)
        cell = (uk // (n_l * n_a)) * n_a + uk % n_a
        size = len(g_names) * n_a
        counts = {"n_learners": np.bincount(cell, minlength=size),
                  "n_judged": np.bincount(cell, weights=any_banded, minlength=size),
                  "n_at_least_expected": np.bincount(cell, weights=ok, minlength=size),
                  "n_below": np.bincount(cell, weights=any_banded & ~ok, minlength=size)}
        seen = np.flatnonzero(counts["n_learners"] > 0)
        parts.append(pd.DataFrame({
            "group_type": group_type,
            "group": np.asarray(g_names, dtype=object)[seen // n_a],
            "area": np.asarray(areas, dtype=object)[seen % n_a],
            **{c: v[seen].astype(np.int64) for c, v in counts.items()}}))
    agg = pd.concat(parts, ignore_index=True).set_index(["group_type", "group", "area"])
    groups = _group_index(keys, list(srb_ids), agg.reset_index())
    full = pd.MultiIndex.from_tuples([(*g, a) for g in groups for a in areas],
                                     names=["group_type", "group", "area"])
    out = agg.reindex(full)
    cnt = ["n_learners", "n_judged", "n_at_least_expected", "n_below"]
    for c in cnt:
        out[c] = out[c].fillna(0).astype("int64")
    out = out.reset_index()
    out["n_not_judged"] = out["n_learners"] - out["n_judged"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_at_least_expected"] = (out["n_at_least_expected"] / out["n_judged"]).where(
            out["n_judged"] > 0)
    out["quantifier"] = estyn_quantifier(out["n_at_least_expected"], out["n_judged"],
                                         min_n=k).to_numpy()
    return out[["group_type", "group", "area", "n_learners", "n_judged",
                "n_at_least_expected", "n_below", "n_not_judged",
                "share_at_least_expected", "quantifier"]]


def qualification_family(names: Any) -> pd.Series:
    """Normalise recorded qualification names to families (:data:`QUALIFICATION_FAMILIES`).

    Examples
    --------
    >>> qualification_family(["WJEC Entry Level Certificate", "GCSE Maths",
    ...     "Essential Skills Wales: Application of Number", "Agored Cymru unit",
    ...     "ASDAN CoPE", "Duke of Edinburgh", None]).tolist()
    ['Entry Level', 'GCSE', 'Essential Skills Wales', 'OCN', 'ASDAN', 'Other', 'Other']
    """
    s = pd.Series(names, dtype=object) if not isinstance(names, pd.Series) else names
    text = s.astype("str").fillna("").str.strip().str.lower()
    codes, uniq = pd.factorize(text)  # each distinct name is matched once
    u = pd.Series(uniq, dtype=text.dtype)
    fam = pd.Series(QUALIFICATION_OTHER, index=u.index, dtype=object)
    todo = pd.Series(True, index=u.index)
    for family, pattern in QUALIFICATION_FAMILIES.items():  # seven families
        hit = todo & u.str.contains(pattern, regex=True, na=False)
        fam[hit] = family
        todo &= ~hit
    out = pd.Series(fam.to_numpy(dtype=object)[codes], index=s.index, dtype=object)
    return out.astype("str")


def qualification_level(levels: Any, *, families: Any = None, grades: Any = None
                        ) -> pd.Series:
    """Normalise recorded levels to Entry 1-3, Level 1-3 or "not recorded".

    "E3", "Entry 3", "entry level 3" -> "Entry 3"; "L1", "Level 1" -> "Level 1". A GCSE
    with no level recorded takes it from its grade (A*-C or 9-4: Level 2; D-G or 3-1:
    Level 1, the Qualifications Wales / Ofqual levels of GCSE grades).

    Examples
    --------
    >>> qualification_level(["E3", "entry level 2", "L1", "Level 2", None, None],
    ...     families=["OCN", "Entry Level", "ASDAN", "GCSE", "GCSE", "OCN"],
    ...     grades=[None, None, None, "C", "D", None]).tolist()
    ['Entry 3', 'Entry 2', 'Level 1', 'Level 2', 'Level 1', 'not recorded']
    """
    s = pd.Series(levels, dtype=object) if not isinstance(levels, pd.Series) else levels
    text = s.astype("str").fillna("").str.strip().str.lower()
    codes, uniq = pd.factorize(text)  # each distinct level text is read once
    u = pd.Series(uniq, dtype=text.dtype)
    lv = pd.Series(NOT_RECORDED, index=u.index, dtype=object)
    entry = u.str.extract(r"(?:\bentry\s*(?:level\s*)?|\be)([1-3])\b", expand=False)
    level = u.str.extract(r"(?:\blevel\s*|\bl)([1-3])\b", expand=False)
    lv[level.notna()] = "Level " + level[level.notna()]
    lv[entry.notna()] = "Entry " + entry[entry.notna()]
    out = pd.Series(lv.to_numpy(dtype=object)[codes], index=s.index, dtype=object)
    if families is not None and grades is not None:
        fam = pd.Series(np.asarray(families, dtype=object), index=s.index).astype("str")
        g = pd.Series(np.asarray(grades, dtype=object), index=s.index).astype(
            "str").fillna("").str.strip().str.lower()
        gcse = (fam == "GCSE") & (out == NOT_RECORDED)
        out[gcse & g.isin(_GCSE_LEVEL_2)] = "Level 2"
        out[gcse & g.isin(_GCSE_LEVEL_1)] = "Level 1"
    return out.astype("str")


def _awards(ds: Any) -> pd.DataFrame:
    """Accredited awards with family, level, stage, learner's need (all years)."""
    q = ds.qualifications
    fam = qualification_family(q["qualification"])
    grade = q["grade"] if "grade" in q.columns else pd.Series(None, index=q.index)
    lvl = qualification_level(q["level"] if "level" in q.columns else None, families=fam,
                              grades=grade)
    accredited = ~grade.astype("str").fillna("").str.strip().str.lower().isin(NOT_AWARDED)
    lr = ds.learners[["learner_id", "birth_month"]].drop_duplicates("learner_id")
    qid = q["learner_id"].astype("str")
    birth = pd.Series(_map_by_key(qid, lr["learner_id"].astype("str"), lr["birth_month"]),
                      index=q.index)
    yg = year_group(pd.to_datetime(birth), pd.to_datetime(q["award_date"]))
    stage = np.where(yg >= 12, "post-16", np.where(yg >= 10, "14-16", "under 14"))
    stage = np.where(yg.isna().to_numpy(), NOT_RECORDED, stage)
    return pd.DataFrame({"learner_id": _str_values(qid),
                         "award_date": pd.to_datetime(q["award_date"]).to_numpy(),
                         "family": fam.to_numpy(), "level": lvl.to_numpy(),
                         "stage": stage, "accredited": accredited.to_numpy(dtype=bool)})


def qualification_awards(ds: Any, *, academic_year: str | AcademicYear) -> pd.DataFrame:
    """Accredited awards in the year by stage (14-16, post-16), family and level.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
        ``"2025/26"``: awards dated 1 September 2025 - 31 August 2026 (summer results in
        August fall in the year of the examinations).

    Returns
    -------
    DataFrame
        One row per stage x family that has awards (stages 14-16, post-16, under 14;
        families in the order of :data:`QUALIFICATION_FAMILIES`, then "Other"):
        ``stage``, ``family``, one count column per level of :data:`LEVELS` (awards),
        ``awards`` (total) and ``learners`` (distinct learners with an award in the row).
        Empty (with those columns) when there are none.

    Notes
    -----
    Stage by National Curriculum year group on the award date
    (:func:`srb_eval.progress.year_group`): Years 10-11 are 14-16 (key stage 4), Year 12
    and over post-16. An award whose grade means no award ("U", "fail", "not achieved"...,
    :data:`NOT_AWARDED`) is not counted; an award with no grade recorded is.
    """
    year = _year_arg(academic_year)
    cols = ["stage", "family", *LEVELS, "awards", "learners"]
    if ds.qualifications is None or len(ds.qualifications) == 0:
        return pd.DataFrame({c: pd.Series(dtype="str" if c in ("stage", "family")
                                          else "int64") for c in cols})
    a = _awards(ds)
    a = a.loc[a["accredited"].to_numpy() & _in_year(a["award_date"], year)]
    counts = pd.crosstab([a["stage"], a["family"]], a["level"]).reindex(columns=list(LEVELS),
                                                                       fill_value=0)
    learners = a.groupby(["stage", "family"])["learner_id"].nunique()
    out = counts.assign(awards=counts.sum(axis=1), learners=learners).reset_index()
    order_f = {f: i for i, f in enumerate([*QUALIFICATION_FAMILIES, QUALIFICATION_OTHER])}
    order_s = {s: i for i, s in enumerate([*STAGES, NOT_RECORDED])}
    out = out.assign(_s=out["stage"].map(order_s), _f=out["family"].map(order_f)).sort_values(
        ["_s", "_f"], kind="stable").drop(columns=["_s", "_f"])
    out.columns.name = None
    for c in [*LEVELS, "awards", "learners"]:
        out[c] = out[c].astype("int64")
    return out[cols].reset_index(drop=True)


def _year_arg(value: object) -> AcademicYear:
    return academic_year(value, name="academic_year")  # type: ignore[arg-type]


def leaver_awards(ds: Any, *, academic_year: str | AcademicYear, by: Sequence[str] = BY,
                  min_n: int = 5, from_year_group: int = 11) -> pd.DataFrame:
    """Leavers aged 16 or over and how many left with at least one accredited award.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
    by : list of str, default ("srb_id", "primary_need")
    min_n : int, default 5
    from_year_group : int, default 11
        Leavers in this year group or above on their last day (Year 11: the end of
        compulsory education, when key stage 4 qualifications are taken).

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_leavers`` (learners whose
        placement ended in the year in Year 11 or above), ``n_with_award`` (of them,
        with at least one accredited award), ``share_with_award`` and ``quantifier``.

    Notes
    -----
    An award counts for a placement when it is dated from the placement's start to 31
    August of the school year in which it ended (results arrive in August, after
    learners leave in July). Without a ``qualifications`` table nobody has an award.
    """
    year = _year_arg(academic_year)
    keys = _check_by(by)
    k = _int_at_least(min_n, "min_n", 1)
    yg_min = _int_at_least(from_year_group, "from_year_group", 0)
    p = ds.placements
    end = pd.to_datetime(p["end_date"])
    lr = ds.learners[["learner_id", "birth_month"]].drop_duplicates("learner_id")
    pid = p["learner_id"].astype("str")
    birth = pd.to_datetime(_map_by_key(pid, lr["learner_id"].astype("str"),
                                       lr["birth_month"]))
    yg = year_group(birth, end)
    leave = _in_year(end, year) & (yg >= yg_min).fillna(False).to_numpy(dtype=bool)
    lv = pd.DataFrame({"learner_id": _str_values(pid, leave),
                       "srb_id": p["srb_id"].astype("str").to_numpy()[leave],
                       "start": pd.to_datetime(p["start_date"]).to_numpy()[leave],
                       "end": end.to_numpy()[leave]})
    lv["_row"] = np.arange(len(lv))
    lv["award"] = False
    if ds.qualifications is not None and len(ds.qualifications) and len(lv):
        a = _awards(ds)
        a = a.loc[a["accredited"].to_numpy(), ["learner_id", "award_date"]]
        m = lv[["_row", "learner_id", "start", "end"]].merge(a, on="learner_id")
        sy_end = pd.to_datetime((m["end"].dt.year + (m["end"].dt.month >= 9)).astype(
            "str") + "-08-31")
        hit = m.loc[(m["award_date"] >= m["start"]) & (m["award_date"] <= sy_end), "_row"]
        lv.loc[lv["_row"].isin(hit), "award"] = True
    lv = _with_needs(lv, ds)
    st = _stack(lv, keys)
    per = st.groupby(["group_type", "group", "learner_id"], sort=False)["award"].any()
    agg = per.reset_index().groupby(["group_type", "group"], sort=False).agg(
        n_leavers=("award", "size"), n_with_award=("award", "sum"))
    out = _finish(agg, keys, _srb_order(ds), ["n_leavers", "n_with_award"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_with_award"] = (out["n_with_award"] / out["n_leavers"]).where(
            out["n_leavers"] > 0)
    out["quantifier"] = estyn_quantifier(out["n_with_award"], out["n_leavers"],
                                         min_n=k).to_numpy()
    return out


# --------------------------------------------------------------------------- wellbeing


def attendance_outcomes(ds: Any, *, academic_year: str | AcademicYear, by: Sequence[str] = BY,
                        persistent_below: float = PERSISTENT_ABSENCE_BELOW, min_n: int = 5
                        ) -> pd.DataFrame:
    """Attendance rate and persistent absence in the year, by group.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
        Attendance rows whose ``period_start`` falls in the year.
    by : list of str, default ("srb_id", "primary_need")
    persistent_below : float, default 0.9
        A learner whose attendance in the year is below this share is persistently
        absent (Welsh Government: absent for more than 10% of half-day sessions).
    min_n : int, default 5

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_learners`` (learners with at
        least one possible session), ``sessions_possible``, ``sessions_attended``,
        ``attendance_rate`` (0-1; NaN with no sessions), ``n_persistent_absence``,
        ``share_persistent_absence`` (of ``n_learners``) and ``quantifier`` (of
        persistent absence).

    Notes
    -----
    .. math:: \\text{rate}_g = \\frac{\\sum_{i \\in g} \\text{attended}_i}
              {\\sum_{i \\in g} \\text{possible}_i}, \\qquad
              \\text{persistent}_i = \\frac{\\text{attended}_i}{\\text{possible}_i}
              < 0.9

    A rate of sums of half-day sessions, as Welsh Government attendance statistics (and
    :func:`srb_eval.measures.profile.attendance_rates`). Each attendance row is attributed to the
    SRB the learner was placed in during its period (:func:`srb_eval.measures.attribution.attach_srb`);
    rows outside any placement are left out. A learner's own rate (for persistent
    absence) is over their rows in the group: a learner who moved SRB is judged in each
    SRB on the sessions there, and once for the authority on all of them. Exactly 90% is
    not persistent absence.

    References
    ----------
    .. [1] Welsh Government (2024). *Persistent absenteeism from secondary schools:
       September 2022 to August 2023* (10% definition, from the 2023 guidance *Belonging,
       engaging and participating*); Senedd written answer WQ93989 (2024): "absent for
       more than 10% of half day school sessions".
    """
    year = _year_arg(academic_year)
    keys = _check_by(by)
    k = _int_at_least(min_n, "min_n", 1)
    below = _share(persistent_below, "persistent_below")
    cnt = ["n_learners", "sessions_possible", "sessions_attended", "n_persistent_absence"]
    if ds.attendance is not None and len(ds.attendance):
        a = inc.records_in_window(ds.attendance, start=year.start, end=year.end)
        a = attach_srb(a, ds.placements, start="period_start", end="period_end")
        a = a.loc[a["srb_id"].notna().to_numpy()]
        a = pd.DataFrame({
            "learner_id": _str_values(a["learner_id"].astype("str")),
            "srb_id": _str_values(a["srb_id"].astype("str")),
            "possible": pd.to_numeric(a["sessions_possible"]).astype("Float64").to_numpy(
                dtype=float, na_value=np.nan),
            "attended": pd.to_numeric(a["sessions_attended"]).astype("Float64").to_numpy(
                dtype=float, na_value=np.nan)}).dropna(subset=["possible", "attended"])
        a = _with_needs(a, ds)
        st = _stack(a, keys)
        per = st.groupby(["group_type", "group", "learner_id"], sort=False)[
            ["possible", "attended"]].sum()
        per = per.loc[per["possible"] > 0]
        per = per.assign(persistent=per["attended"] / per["possible"] < below, one=1)
        agg = per.groupby(["group_type", "group"], sort=False).agg(
            n_learners=("one", "sum"), sessions_possible=("possible", "sum"),
            sessions_attended=("attended", "sum"), n_persistent_absence=("persistent", "sum"))
    else:
        agg = pd.DataFrame(columns=cnt, index=pd.MultiIndex.from_tuples(
            [], names=["group_type", "group"]))
    out = _finish(agg, keys, _srb_order(ds), cnt)
    poss = out["sessions_possible"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["attendance_rate"] = np.where(poss > 0, out["sessions_attended"] / poss, np.nan)
        out["share_persistent_absence"] = (out["n_persistent_absence"]
                                           / out["n_learners"]).where(out["n_learners"] > 0)
    out["quantifier"] = estyn_quantifier(out["n_persistent_absence"], out["n_learners"],
                                         min_n=k).to_numpy()
    return out[["group_type", "group", "n_learners", "sessions_possible", "sessions_attended",
                "attendance_rate", "n_persistent_absence", "share_persistent_absence",
                "quantifier"]]


def _on_roll_in_year(ds: Any, year: AcademicYear) -> pd.DataFrame:
    p = ds.placements
    start, end = pd.to_datetime(p["start_date"]), pd.to_datetime(p["end_date"])
    on = ((start <= year.end) & (end.isna() | (end >= year.start))).fillna(False).to_numpy()
    r = pd.DataFrame({"learner_id": _str_values(p["learner_id"].astype("str"), on),
                      "srb_id": _str_values(p["srb_id"].astype("str"), on)})
    return _with_needs(r, ds)


def exclusion_outcomes(ds: Any, *, academic_year: str | AcademicYear, by: Sequence[str] = BY,
                       per: int = 100, min_n: int = 5) -> pd.DataFrame:
    """Fixed-term exclusions in the year: learners excluded, days lost, rate per 100.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
        Exclusions whose ``start_date`` falls in the year.
    by : list of str, default ("srb_id", "primary_need")
    per : int, default 100
        The rate is per this many learners on roll (Welsh Government tables use 1,000
        pupils; for groups of a few dozen learners 100 reads better).
    min_n : int, default 5

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_learners`` (learners placed at
        any time in the year), ``n_exclusions`` (fixed-term exclusions),
        ``n_learners_excluded`` (learners with at least one), ``days_lost`` (school days
        of fixed-term exclusions), ``n_permanent`` (permanent exclusions),
        ``rate_per_100`` (``per * n_exclusions / n_learners``; the column keeps its name
        whatever ``per``), ``share_excluded`` (``n_learners_excluded / n_learners``) and
        ``quantifier`` (of learners excluded).

    Notes
    -----
    .. math:: \\text{rate}_g = \\text{per} \\times \\frac{E_g}{N_g}

    with :math:`E_g` the fixed-term exclusions of learners of group g starting in the
    year while placed in an SRB of the group (:func:`srb_eval.measures.attribution.attach_srb` on the
    start date; an exclusion outside any placement is left out) and :math:`N_g` the
    learners placed at any time in the year. Without an ``exclusions`` table every count
    is 0: the report says the table was not supplied.

    References
    ----------
    .. [1] Welsh Government. *Permanent and fixed-term exclusions from schools*
       (statistical release): rates of fixed-term exclusions per 1,000 pupils.
    .. [2] Seed 004: short-term exclusion rates of pupils with SEN.
    """
    year = _year_arg(academic_year)
    keys = _check_by(by)
    k = _int_at_least(min_n, "min_n", 1)
    scale = _int_at_least(per, "per", 1)
    roll = _on_roll_in_year(ds, year)
    st = _stack(roll, keys)
    n = st.groupby(["group_type", "group"], sort=False)["learner_id"].nunique().rename(
        "n_learners")
    cnt = ["n_learners", "n_exclusions", "n_learners_excluded", "n_permanent"]
    if ds.exclusions is not None and len(ds.exclusions):
        e = ds.exclusions.loc[_in_year(ds.exclusions["start_date"], year)]
        d = pd.to_datetime(e["start_date"])
        e = attach_srb(pd.DataFrame({"learner_id": _str_values(e["learner_id"].astype("str")),
                                       "period_start": d.to_numpy(), "period_end": d.to_numpy(),
                                       "days": pd.to_numeric(e["days"]).to_numpy(float),
                                       "kind": e["kind"].astype("str").to_numpy()}),
                       ds.placements, start="period_start", end="period_end")
        e = _with_needs(e.loc[e["srb_id"].notna().to_numpy()], ds)
        e["fixed"] = e["kind"] == "fixed-term"
        e["permanent"] = e["kind"] == "permanent"
        e["fixed_learner"] = e["learner_id"].where(e["fixed"])
        e["fixed_days"] = e["days"].where(e["fixed"], 0.0)
        se = _stack(e, keys)
        ex = se.groupby(["group_type", "group"], sort=False).agg(
            n_exclusions=("fixed", "sum"), n_learners_excluded=("fixed_learner", "nunique"),
            days_lost=("fixed_days", "sum"), n_permanent=("permanent", "sum"))
        agg = pd.concat([n, ex], axis=1)
    else:
        agg = n.to_frame().assign(n_exclusions=0, n_learners_excluded=0, days_lost=0.0,
                                  n_permanent=0)
    out = _finish(agg, keys, _srb_order(ds), cnt)
    out["days_lost"] = out["days_lost"].fillna(0.0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rate_per_100"] = (scale * out["n_exclusions"] / out["n_learners"]).where(
            out["n_learners"] > 0)
        out["share_excluded"] = (out["n_learners_excluded"] / out["n_learners"]).where(
            out["n_learners"] > 0)
    out["quantifier"] = estyn_quantifier(out["n_learners_excluded"], out["n_learners"],
                                         min_n=k).to_numpy()
    return out[["group_type", "group", "n_learners", "n_exclusions", "n_learners_excluded",
                "days_lost", "n_permanent", "rate_per_100", "share_excluded", "quantifier"]]


# --------------------------------------------------------------------------- inclusion


def inclusion_outcomes(ds: Any, *, academic_year: str | AcademicYear, by: Sequence[str] = BY,
                       threshold: float = inc.TYPICAL_SHARE,
                       core_threshold: float = inc.CORE_EXIT_SHARE,
                       tolerance: float = 0.05, sustained_periods: int = 2,
                       min_n: int = 5) -> pd.DataFrame:
    """Time in mainstream classes: at or above half the week, trends, the exit review.

    Every number comes from :mod:`srb_eval.measures.inclusion`: termly shares
    (:func:`~srb_eval.measures.inclusion.learner_shares`, attributed to SRBs with
    :func:`~srb_eval.measures.attribution.attach_srb`), :func:`~srb_eval.measures.inclusion_groups.threshold_shares`
    on each learner's latest term in the year, :func:`~srb_eval.measures.inclusion_trends.learner_trends`
    and :func:`~srb_eval.measures.inclusion_groups.trend_counts` over each learner's record up to the end
    of the year, and :func:`~srb_eval.measures.inclusion_groups.exit_review`.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
    by : list of str, default ("srb_id", "primary_need")
    threshold : float, default 0.5
        Share of the week in mainstream (about 50%: seed 003).
    core_threshold : float, default 0.8
        The exit criterion: share of core-subject time in mainstream (seed 000).
    tolerance : float, default 0.05
        Trend tolerance of :func:`~srb_eval.measures.inclusion_trends.learner_trends`.
    sustained_periods : int, default 2
        Terms at or above the exit criterion, ending with the latest, before a learner
        still placed is counted (:func:`~srb_eval.measures.inclusion_groups.exit_review`).
    min_n : int, default 5

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_learners`` (learners with a
        share in a term of the year), ``n_at_least_half`` (at or above ``threshold`` in
        their latest term), ``share_at_least_half``, ``median_share``, ``n_core``
        (learners with core-subject time), ``n_with_trend`` (two or more terms), ``n_rising``,
        ``n_steady``, ``n_falling``, ``share_rising``, ``share_falling`` (of
        ``n_with_trend``), ``n_stayed_after_exit_criterion`` (met the exit criterion for
        ``sustained_periods`` terms and still placed at the end of the data in the year),
        ``quantifier`` (of at least half).

    Notes
    -----
    .. math:: s_i = \\frac{\\sum \\text{minutes in mainstream}}{\\sum
              \\text{minutes timetabled}}, \\quad
              \\text{share}_g = \\frac{\\#\\{i \\in g : s_i \\ge 0.5\\}}{n_g}

    (:func:`srb_eval.measures.inclusion_groups.threshold_shares`). A trend is the Theil-Sen slope of the
    learner's termly shares over their record to the end of the year (so a learner
    admitted this year needs two terms). The exit review is judged at the end of the last
    term in the year that has records, and counts learners whose latest term is in the
    year.

    References
    ----------
    .. [1] Seed 003 (about 50% of the time in mainstream classes); Estyn (2008) paragraph
       65 ("as much as 60% of their school week"); seed 000 (exit at 80% of core time);
       Estyn (2008) paragraph 76 ("pupils can stay too long in the resource base").
    """
    year = _year_arg(academic_year)
    keys = _check_by(by)
    k = _int_at_least(min_n, "min_n", 1)
    t50 = _share(threshold, "threshold")
    t80 = _share(core_threshold, "core_threshold")
    cnt = ["n_learners", "n_at_least_half", "n_core", "n_with_trend", "n_rising", "n_steady",
           "n_falling", "n_stayed_after_exit_criterion"]
    frames = []
    if ds.inclusion is not None and len(ds.inclusion):
        shares = attach_srb(inc.learner_shares(ds.inclusion, period="term"), ds.placements,
                            start="period_start", end="period_end")
        shares = shares.loc[shares["srb_id"].notna().to_numpy()]
        upto = inc.records_in_window(shares, end=year.end)
        in_year = inc.records_in_window(upto, start=year.start)
        upto = upto.loc[is_in(upto["learner_id"], in_year["learner_id"])
                        ].reset_index(drop=True)
        col50 = inc.threshold_column(t50)
        trends = inc_trends.learner_trends(upto, tolerance=tolerance) if len(upto) else None
        listed = (inc_groups.exit_review(upto, ds.placements, core_threshold=t80,
                                sustained_periods=sustained_periods)
                  if len(upto) else pd.DataFrame({"learner_id": [], "srb_id": []}))
        listed = _with_needs(listed.astype({"learner_id": "str", "srb_id": "str"}), ds)
        listed_st = _stack(listed, keys)
        stayed = listed_st.groupby(["group_type", "group"], sort=False).size().rename(
            "n_stayed_after_exit_criterion")
        for gtype in ("authority", *keys):  # three breakdowns
            grp = () if gtype == "authority" else (gtype,)
            if len(in_year) == 0:
                continue
            th = inc_groups.threshold_shares(in_year, ds.learners, ds.srbs, thresholds=[t50],
                                    core_threshold=t80, by=grp, at="latest")
            tc = inc_groups.trend_counts(trends, ds.learners, ds.srbs, by=grp)
            label = (pd.Series(ALL, index=th.index) if gtype == "authority"
                     else th[gtype].astype("str").fillna(NOT_RECORDED))
            part = pd.DataFrame({"group_type": gtype, "group": label.to_numpy(),
                                 "n_learners": th["n"].to_numpy(),
                                 "n_at_least_half": th[col50].to_numpy(),
                                 "median_share": th["median_share"].to_numpy(),
                                 "n_core": th["core_n"].to_numpy()})
            tlabel = (pd.Series(ALL, index=tc.index) if gtype == "authority"
                      else tc[gtype].astype("str").fillna(NOT_RECORDED))
            tpart = pd.DataFrame({"group_type": gtype, "group": tlabel.to_numpy(),
                                  "n_with_trend": tc["with_trend"].to_numpy(),
                                  "n_rising": tc["rising"].to_numpy(),
                                  "n_steady": tc["steady"].to_numpy(),
                                  "n_falling": tc["falling"].to_numpy()})
            frames.append(part.merge(tpart, on=["group_type", "group"], how="outer"))
        agg = (pd.concat(frames, ignore_index=True).set_index(["group_type", "group"])
               if frames else pd.DataFrame(columns=cnt[:-1], index=pd.MultiIndex.from_tuples(
                   [], names=["group_type", "group"])))
        agg = agg.join(stayed, how="outer")
    else:
        agg = pd.DataFrame(columns=cnt, index=pd.MultiIndex.from_tuples(
            [], names=["group_type", "group"]))
    if "median_share" not in agg.columns:
        agg["median_share"] = np.nan
    out = _finish(agg, keys, _srb_order(ds), cnt)
    out["median_share"] = out["median_share"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_at_least_half"] = (out["n_at_least_half"] / out["n_learners"]).where(
            out["n_learners"] > 0)
        for w in ("rising", "falling"):
            out[f"share_{w}"] = (out[f"n_{w}"] / out["n_with_trend"]).where(
                out["n_with_trend"] > 0)
    out["quantifier"] = estyn_quantifier(out["n_at_least_half"], out["n_learners"],
                                         min_n=k).to_numpy()
    return out[["group_type", "group", "n_learners", "n_at_least_half", "share_at_least_half",
                "median_share", "n_core", "n_with_trend", "n_rising", "n_steady", "n_falling",
                "share_rising", "share_falling", "n_stayed_after_exit_criterion",
                "quantifier"]]


# --------------------------------------------------------------------------- transition


def destination_outcomes(ds: Any, *, academic_year: str | AcademicYear,
                         by: Sequence[str] = BY, min_n: int = 5) -> pd.DataFrame:
    """Leavers in the year by destination, and returns to mainstream, by group.

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_leavers`` (placements that
        ended in the year; a learner who left two SRBs counts in each, once for the
        authority), one count column per destination of the vocabulary
        (``mainstream``, ``special_school``, ... and ``not_recorded``),
        ``n_to_mainstream`` (= ``mainstream``), ``share_to_mainstream`` and
        ``quantifier`` (of returns to mainstream).

    Notes
    -----
    A move to another SRB (``other_srb``) ends a placement and counts as a leaver of that
    SRB, as in :func:`srb_eval.measures.stays.turnover`.

    References
    ----------
    .. [1] Estyn (2008). *Joining in*: transition and returns to mainstream classes.
    """
    year = _year_arg(academic_year)
    keys = _check_by(by)
    k = _int_at_least(min_n, "min_n", 1)
    p = ds.placements
    left = _in_year(p["end_date"], year)
    dest_cols = [*S.DESTINATIONS, "not_recorded"]
    lv = pd.DataFrame({"learner_id": _str_values(p["learner_id"].astype("str"), left),
                       "srb_id": _str_values(p["srb_id"].astype("str"), left),
                       "destination": _str_values(p["destination"].astype("str").fillna(
                           "not_recorded"), left)})
    lv = _with_needs(lv, ds)
    st = _stack(lv, keys)
    # a learner counts once per group: their last-listed destination in the group
    st = st.drop_duplicates(["group_type", "group", "learner_id"], keep="last")
    agg = pd.crosstab([st["group_type"], st["group"]], st["destination"]).reindex(
        columns=dest_cols, fill_value=0)
    agg.columns.name = None
    agg["n_leavers"] = agg.sum(axis=1)
    out = _finish(agg, keys, _srb_order(ds), ["n_leavers", *dest_cols])
    out["n_to_mainstream"] = out["mainstream"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_to_mainstream"] = (out["n_to_mainstream"] / out["n_leavers"]).where(
            out["n_leavers"] > 0)
    out["quantifier"] = estyn_quantifier(out["n_to_mainstream"], out["n_leavers"],
                                         min_n=k).to_numpy()
    return out[["group_type", "group", "n_leavers", *dest_cols, "n_to_mainstream",
                "share_to_mainstream", "quantifier"]]


def exit_reasons(ds: Any, *, academic_year: str | AcademicYear) -> pd.DataFrame:
    """Reasons recorded for placements that ended in the year (authority-wide).

    Returns
    -------
    DataFrame
        ``exit_reason`` (free text, surrounding spaces removed; "not recorded" when
        empty) and ``n_leavers``, most frequent first (ties alphabetically).
    """
    year = _year_arg(academic_year)
    p = ds.placements
    left = _in_year(p["end_date"], year)
    reason = p["exit_reason"].astype("str").str.strip()
    reason = reason.where(reason.notna() & (reason != ""), NOT_RECORDED).to_numpy()[left]
    out = pd.Series(reason, dtype="str").value_counts().rename_axis("exit_reason").rename(
        "n_leavers").reset_index()
    out = out.sort_values(["n_leavers", "exit_reason"], ascending=[False, True],
                          kind="stable").reset_index(drop=True)
    out["n_leavers"] = out["n_leavers"].astype("int64")
    return out


def stay_outcomes(ds: Any, *, academic_year: str | AcademicYear, by: Sequence[str] = BY,
                  min_n: int = 5) -> pd.DataFrame:
    """Length of stay of the year's leavers (and of those on roll at its end), by group.

    Calls :func:`srb_eval.measures.stays.length_of_stay` with ``census_date`` 31 August
    and ``data_from`` 1 September of the year, once per breakdown (``by=None`` for the
    authority, ``by="srb_id"``, ``by="primary_need"``).

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_left`` (placements that ended in
        the year), ``median_completed_years`` (NaN below ``min_n``), ``n_on_roll`` (at 31
        August), ``median_so_far_years`` (NaN below ``min_n``).
    """
    year = _year_arg(academic_year)
    keys = _check_by(by)
    k = _int_at_least(min_n, "min_n", 1)
    cols = ["n_left", "median_completed_years", "n_on_roll", "median_so_far_years"]
    parts = []
    for group_type in ("authority", *keys):
        los = capacity_stays.length_of_stay(
            ds, year.end, by=None if group_type == "authority" else group_type,
            data_from=year.start, min_n=k)
        if group_type == "authority":
            los = los.assign(group=ALL)
        else:
            los = los[los["group"] != capacity_stays.ALL]
        if group_type == "primary_need":
            # every need of a placed learner has a row, placed yet or not
            needs = _needs(ds).set_index("learner_id")["primary_need"]
            placed = ds.placements["learner_id"].astype("str").map(needs)
            los = los.set_index("group").reindex(sorted(set(placed.fillna(NOT_RECORDED))))
            los = los.rename_axis("group").reset_index()
        parts.append(los.assign(group_type=group_type))
    agg = pd.concat(parts, ignore_index=True).set_index(["group_type", "group"])[cols]
    return _finish(agg, keys, _srb_order(ds), ["n_left", "n_on_roll"])[
        ["group_type", "group", *cols]]


# --------------------------------------------------------------------------- places


def occupancy_outcomes(ds: Any, *, census_date: Any) -> pd.DataFrame:
    """Occupancy and unfilled places per SRB at a census date (:func:`srb_eval.measures.occupancy.occupancy`).

    Returns
    -------
    DataFrame
        The columns of :func:`srb_eval.measures.occupancy.occupancy` (``srb_id``, ``name``,
        ``capacity``, ``on_roll``, ``occupancy``, ``unfilled_places``, ``status``...).
    """
    return capacity_occupancy.occupancy(ds, census_date)


# --------------------------------------------------------------------------- measures

#: Every measure of the report: section, what it counts, how it is worded, which way is
#: better and where the report shows it (``tables``/``figures`` keys of TABLES/FIGURES).
MEASURES: dict[str, dict[str, str]] = {
    **{f"progress_{a}": {
        "section": "standards", "label": f"at least expected progress: {AREA_LABELS[a]}",
        "noun": "learners", "predicate": f"made at least expected progress in {AREA_LABELS[a]}",
        "unit": "learners", "better": "higher", "table": "progress", "figure": "progress"}
       for a in AREAS},
    "leavers_with_award": {
        "section": "standards", "label": "leavers (16+) with an accredited award",
        "noun": "leavers", "predicate": "left with at least one accredited qualification",
        "unit": "learners", "better": "higher", "table": "leavers", "figure": "awards"},
    "attendance_rate": {
        "section": "wellbeing", "label": "attendance (sessions attended)",
        "noun": "learners", "predicate": "of possible half-day sessions attended",
        "unit": "sessions", "better": "higher", "table": "wellbeing", "figure": "wellbeing"},
    "persistent_absence": {
        "section": "wellbeing", "label": "persistently absent (below 90%)",
        "noun": "learners",
        "predicate": "were persistently absent (attended fewer than 90% of sessions)",
        "unit": "learners", "better": "lower", "table": "wellbeing", "figure": "wellbeing"},
    "learners_excluded": {
        "section": "wellbeing", "label": "learners with a fixed-term exclusion",
        "noun": "learners", "predicate": "had at least one fixed-term exclusion",
        "unit": "learners", "better": "lower", "table": "wellbeing", "figure": "wellbeing"},
    "exclusion_rate": {
        "section": "wellbeing", "label": "fixed-term exclusions per 100 learners",
        "noun": "learners", "predicate": "fixed-term exclusions per 100 learners",
        "unit": "per_100", "better": "lower", "table": "wellbeing", "figure": "wellbeing"},
    "inclusion_at_least_half": {
        "section": "inclusion", "label": "at least half the week in mainstream",
        "noun": "learners",
        "predicate": "spent at least half of their week in mainstream classes",
        "unit": "learners", "better": "higher", "table": "inclusion", "figure": "inclusion"},
    "inclusion_rising": {
        "section": "inclusion", "label": "time in mainstream rising",
        "noun": "learners", "predicate": "spent a rising share of their week in mainstream "
        "classes", "unit": "learners", "better": "higher", "table": "inclusion",
        "figure": "inclusion"},
    "inclusion_falling": {
        "section": "inclusion", "label": "time in mainstream falling",
        "noun": "learners", "predicate": "spent a falling share of their week in mainstream "
        "classes", "unit": "learners", "better": "lower", "table": "inclusion",
        "figure": "inclusion"},
    "returned_to_mainstream": {
        "section": "transition", "label": "leavers returning to mainstream",
        "noun": "leavers", "predicate": "returned to mainstream education",
        "unit": "learners", "better": "higher", "table": "destinations",
        "figure": "destinations"},
    "stayed_after_exit_criterion": {
        "section": "transition", "label": "still placed after meeting the exit criterion",
        "noun": "learners", "predicate": "were still placed after meeting the exit criterion "
        "(80% of core-subject time in mainstream) for two terms or more",
        "unit": "learners", "better": "lower", "table": "inclusion", "figure": "inclusion"},
    "unfilled_places": {
        "section": "strategic", "label": "unfilled places (census)",
        "noun": "places", "predicate": "places were unfilled", "unit": "places",
        "better": "lower", "table": "occupancy", "figure": "occupancy"},
}

#: Table numbers of the report (notebook 30), by key.
TABLES: dict[str, str] = {
    "summary": "Table 1.1", "progress": "Table 2.1", "awards": "Table 2.2",
    "leavers": "Table 2.3", "wellbeing": "Table 3.1", "inclusion": "Table 4.1",
    "destinations": "Table 5.1", "exit_reasons": "Table 5.2", "stays": "Table 5.3",
    "occupancy": "Table 6.1", "waiting": "Table 6.2", "r5": "Table 6.3",
    "quantifiers": "Table A.1", "judgement_rules": "Table A.2",
}
#: Figure numbers of the report (notebook 30), by key.
FIGURES: dict[str, str] = {
    "summary": "Figure 1.1", "progress": "Figure 2.1", "awards": "Figure 2.2",
    "wellbeing": "Figure 3.1", "inclusion": "Figure 4.1", "destinations": "Figure 5.1",
    "occupancy": "Figure 6.1", "r5": "Figure 6.2",
}
SECTIONS: dict[str, str] = {
    "standards": "Standards and progress", "wellbeing": "Wellbeing",
    "inclusion": "Inclusion", "transition": "Transition and destinations",
    "strategic": "Strategic planning",
}


def _source(measure: str) -> str:
    spec = MEASURES[measure]
    return f"{TABLES[spec['table']]}, {FIGURES[spec['figure']]}"


@dataclasses.dataclass(frozen=True)
class Outcomes:
    """Every result table of one academic year (see :func:`evaluate`)."""

    academic_year: AcademicYear
    local_authority: str
    census_date: pd.Timestamp
    min_n: int
    supplied: dict[str, bool]
    progress: pd.DataFrame
    awards: pd.DataFrame
    leavers: pd.DataFrame
    attendance: pd.DataFrame
    exclusions: pd.DataFrame
    inclusion: pd.DataFrame
    destinations: pd.DataFrame
    exit_reasons: pd.DataFrame
    stays: pd.DataFrame
    occupancy: pd.DataFrame
    srb_names: dict[str, str]
    measures: pd.DataFrame

    @property
    def has_data(self) -> bool:
        """Whether anything at all was measured in the year (any learner or leaver)."""
        m = self.measures
        return bool(len(m) and (m.loc[m["unit"] != "places", "n"] > 0).any())


def evaluate(ds: Any, *, academic_year: str | AcademicYear, min_n: int = 5,
             census_date: Any = None, local_authority: str | None = None,
             combine: str = "all") -> Outcomes:
    """Every outcome measure of one academic year, by SRB and by primary need.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
        ``"2025/26"`` (1 September 2025 - 31 August 2026).
    min_n : int, default 5
        Fewest learners for a judgement (quantifiers, medians).
    census_date : date, optional
        Occupancy census; default :func:`default_census_date` (1 October).
    local_authority : str, optional
        Restrict to one authority's SRBs (:func:`authority_dataset`); None: the whole
        dataset, named after its authority.
    combine : {"all", "any"}, default "all"
        See :func:`progress_outcomes`.

    Returns
    -------
    Outcomes
        The tables of :func:`progress_outcomes` (on :func:`year_progress`),
        :func:`qualification_awards`, :func:`leaver_awards`, :func:`attendance_outcomes`,
        :func:`exclusion_outcomes`, :func:`inclusion_outcomes`,
        :func:`destination_outcomes`, :func:`exit_reasons`, :func:`stay_outcomes`,
        :func:`occupancy_outcomes`, and ``measures`` (:func:`outcome_measures`).
        ``supplied`` says which optional tables the dataset has.
    """
    year = _year_arg(academic_year)
    k = _int_at_least(min_n, "min_n", 1)
    name = authority_name(ds, local_authority)
    ds = authority_dataset(ds, local_authority)
    if census_date is None:
        census = default_census_date(year)
    else:
        try:
            census = pd.Timestamp(census_date).normalize()
        except (TypeError, ValueError):
            census = pd.NaT
        _check(not pd.isna(census), "census_date", "None or a date such as '2025-10-01'",
               census_date)
    supplied = {t: ds.has(t) for t in ("assessments", "instruments", "qualifications",
                                       "attendance", "exclusions", "inclusion")}
    srb_ids = _srb_order(ds)
    prog = progress_outcomes(year_progress(ds, year), min_n=k, srb_ids=srb_ids,
                             combine=combine)
    kw = {"academic_year": year, "min_n": k}
    res = Outcomes(
        academic_year=year, local_authority=name, census_date=census, min_n=k,
        supplied=supplied, progress=prog,
        awards=qualification_awards(ds, academic_year=year),
        leavers=leaver_awards(ds, **kw), attendance=attendance_outcomes(ds, **kw),
        exclusions=exclusion_outcomes(ds, **kw), inclusion=inclusion_outcomes(ds, **kw),
        destinations=destination_outcomes(ds, **kw),
        exit_reasons=exit_reasons(ds, academic_year=year), stays=stay_outcomes(ds, **kw),
        occupancy=occupancy_outcomes(ds, census_date=census),
        srb_names=dict(zip(ds.srbs["srb_id"].astype("str"),
                           ds.srbs["name"].astype("str").fillna(ds.srbs["srb_id"].astype(
                               "str")), strict=True)),
        measures=pd.DataFrame())
    return dataclasses.replace(res, measures=outcome_measures(res))


def _rows(table: pd.DataFrame, measure: str, count: str, n: str, n_learners: str,
          value: pd.Series | None = None) -> pd.DataFrame:
    out = pd.DataFrame({
        "measure": measure, "group_type": table["group_type"].to_numpy(),
        "group": table["group"].astype("str").to_numpy(),
        "count": table[count].to_numpy(dtype=float), "n": table[n].to_numpy(dtype=float),
        "n_learners": table[n_learners].to_numpy(dtype=float)})
    if value is not None:
        out["value"] = np.asarray(value, dtype=float)
    return out


def outcome_measures(res: Outcomes) -> pd.DataFrame:
    """The tidy table of every measure x group of one year (what findings are made from).

    Parameters
    ----------
    res : Outcomes
        From :func:`evaluate`.

    Returns
    -------
    DataFrame
        One row per measure of :data:`MEASURES` x group (the authority, each SRB, each
        need) whose source table was supplied: ``academic_year``, ``section``,
        ``measure``, ``label``, ``noun``, ``predicate``, ``unit`` ("learners", "sessions",
        "per_100", "places"), ``better`` ("higher" or "lower"), ``group_type``, ``group``,
        ``group_label`` (SRB name, need code or "all SRBs"), ``count``, ``n`` (the share is
        count / n: learners, sessions or places), ``n_learners`` (learners behind the
        row), ``value`` (the share 0-1, or exclusions per 100 learners; NaN when n is 0),
        ``judged`` (``n_learners >= min_n``; places: capacity > 0), ``quantifier`` (the
        Estyn word for learner measures, "too few to judge"; "" for other units) and
        ``source`` (where the report shows it).
    """
    parts = []
    if res.supplied["assessments"] and res.supplied["instruments"]:
        for a in AREAS:
            t = res.progress.loc[res.progress["area"] == a]
            parts.append(_rows(t, f"progress_{a}", "n_at_least_expected", "n_judged",
                               "n_judged"))
    parts.append(_rows(res.leavers, "leavers_with_award", "n_with_award", "n_leavers",
                       "n_leavers"))
    if res.supplied["attendance"]:
        t = res.attendance
        parts.append(_rows(t, "attendance_rate", "sessions_attended", "sessions_possible",
                           "n_learners"))
        parts.append(_rows(t, "persistent_absence", "n_persistent_absence", "n_learners",
                           "n_learners"))
    if res.supplied["exclusions"]:
        t = res.exclusions
        parts.append(_rows(t, "learners_excluded", "n_learners_excluded", "n_learners",
                           "n_learners"))
        parts.append(_rows(t, "exclusion_rate", "n_exclusions", "n_learners", "n_learners",
                           value=t["rate_per_100"]))
    if res.supplied["inclusion"]:
        t = res.inclusion
        parts.append(_rows(t, "inclusion_at_least_half", "n_at_least_half", "n_learners",
                           "n_learners"))
        parts.append(_rows(t, "inclusion_rising", "n_rising", "n_with_trend", "n_with_trend"))
        parts.append(_rows(t, "inclusion_falling", "n_falling", "n_with_trend",
                           "n_with_trend"))
    parts.append(_rows(res.destinations, "returned_to_mainstream", "n_to_mainstream",
                       "n_leavers", "n_leavers"))
    if res.supplied["inclusion"]:
        t = res.inclusion
        parts.append(_rows(t, "stayed_after_exit_criterion", "n_stayed_after_exit_criterion",
                           "n_core", "n_core"))
    occ = res.occupancy
    on_roll = occ["on_roll"].astype("float64")
    cap = occ["capacity"].astype("float64")
    unfilled = occ["unfilled_places"].astype("float64")
    places = pd.DataFrame({
        "measure": "unfilled_places", "group_type": "srb_id",
        "group": occ["srb_id"].astype("str").to_numpy(), "count": unfilled.to_numpy(),
        "n": cap.to_numpy(), "n_learners": on_roll.to_numpy()})
    total = pd.DataFrame({"measure": ["unfilled_places"], "group_type": ["authority"],
                          "group": [ALL], "count": [unfilled.sum(min_count=1)],
                          "n": [cap.sum()], "n_learners": [on_roll.sum(min_count=1)]})
    parts.append(pd.concat([total, places], ignore_index=True))
    m = pd.concat(parts, ignore_index=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(m["n"] > 0, m["count"] / m["n"].where(m["n"] > 0, 1.0), np.nan)
    if "value" not in m.columns:
        m["value"] = np.nan
    m["value"] = np.where(m["value"].notna(), m["value"], share)
    spec = pd.DataFrame.from_dict(MEASURES, orient="index").rename_axis("measure")
    m = m.merge(spec.reset_index(), on="measure", how="left")
    is_places = m["unit"] == "places"
    m["judged"] = np.where(is_places, m["n"] > 0, m["n_learners"] >= res.min_n)
    m.loc[~is_places & (m["n_learners"] < 1), "judged"] = False
    learners = m["unit"] == "learners"
    words = np.full(len(m), NOT_JUDGED, dtype=object)
    if learners.any():
        words[learners.to_numpy()] = estyn_quantifier(
            m.loc[learners, "count"].to_numpy(), m.loc[learners, "n"].to_numpy(),
            min_n=res.min_n).to_numpy()
    words[(~learners & ~m["judged"]).to_numpy()] = TOO_FEW
    m["quantifier"] = words
    m["source"] = m["measure"].map(_source)
    m["academic_year"] = res.academic_year.label
    m["group_label"] = np.where(m["group_type"] == "srb_id",
                                m["group"].map(res.srb_names).fillna(m["group"]), m["group"])
    order = {g: i for i, g in enumerate(GROUP_TYPES)}
    mo = {k: i for i, k in enumerate(MEASURES)}
    m = m.assign(_m=m["measure"].map(mo), _g=m["group_type"].map(order),
                 _r=np.arange(len(m))).sort_values(["_m", "_g", "_r"], kind="stable")
    for c in ("count", "n", "n_learners"):
        m[c] = m[c].astype("Int64")
    m["judged"] = m["judged"].astype(bool)
    cols = ["academic_year", "section", "measure", "label", "noun", "predicate", "unit",
            "better", "group_type", "group", "group_label", "count", "n", "n_learners",
            "value", "judged", "quantifier", "source"]
    return m[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- display


def _group_noun(noun: str, group_type: str, label: str) -> tuple[str, str]:
    """(prefix, noun) for a sentence about one group."""
    if group_type == "srb_id":
        return f"in {label}, ", noun
    if group_type == "primary_need":
        return "", f"{noun} with {label} as their primary need"
    return "", noun


def _one_decimal(values: np.ndarray, scale: float, suffix: str) -> np.ndarray:
    out = np.full(values.shape, NO_DATA, dtype=object)
    ok = ~np.isnan(values)
    # half up on the unrounded value (0.9125 -> 91.3%)
    v = np.floor(values[ok] * scale * 10 + 0.5) / 10
    out[ok] = np.char.mod("%.1f", v).astype(object) + suffix
    return out


def _block(sub: pd.DataFrame, *, audience: str, min_n: int,
           thresholds: disclosure.Thresholds) -> pd.DataFrame:
    """Display text of one measure's rows (groups, then the authority row last)."""
    published = audience == "published"
    unit = sub["unit"].iloc[0]
    rows = len(sub)
    total = rows - 1 if (sub["group_type"].iloc[-1] == "authority" and rows > 1) else None
    c = sub["count"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    n = sub["n"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    nl = sub["n_learners"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    judged = sub["judged"].to_numpy(dtype=bool)
    small = thresholds.small_count_text
    if unit == "learners":
        sc = share_cells(c, n, audience=audience, min_n=min_n, thresholds=thresholds,
                         total=total)
        return pd.DataFrame({"count_text": sc["count_text"], "n_text": sc["n_text"],
                             "value_text": sc["pct_text"], "quantifier": sc["quantifier"],
                             "phrase": sc["phrase"], "cell": sc["cell"],
                             "value_shown": sc["value_shown"], "judged": sc["judged"]})

    def counts_text(values: np.ndarray) -> np.ndarray:
        if not published:
            return _whole(values)
        # disclosure.suppress_counts of a one-column table with its total row
        v = disclosure._as_counts(values, "count_columns ('v')")
        disclosure._check_thresholds(thresholds)
        return disclosure._count_text(v[:, None], thresholds, margin_row=total,
                                      margin_col=None)[:, 0]

    nl_text = counts_text(nl)
    few = published & (nl < thresholds.min_denominator)
    if unit == "places":
        # places are public; learners on roll are not: hide a row whose roll is hidden
        sc = share_cells(c, n, audience="internal", min_n=1, thresholds=thresholds,
                         quantifier=False)
        hide = np.isin(nl_text, _MARKERS) if published else np.zeros(rows, dtype=bool)
        count_text = np.where(hide, disclosure.SUPPRESSED_TEXT, sc["count_text"])
        value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, sc["pct_text"])
        phrase = np.where(hide, disclosure.SUPPRESSED_TEXT,
                          sc["count_text"] + " of " + sc["n_text"] + " places ("
                          + sc["pct_text"] + ")")
        value = np.where(hide, np.nan, sc["value_shown"].to_numpy())
        cell = phrase.copy()
        n_text = _whole(n)
    elif unit == "sessions":
        value_text = _one_decimal(np.where(n > 0, c / np.where(n > 0, n, 1), np.nan), 100,
                                  "%")
        hide = (few | np.isin(nl_text, _MARKERS)) & (value_text != NO_DATA)
        value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, value_text)
        count_text, n_text = _whole(c), nl_text
        phrase = np.where(hide, disclosure.SUPPRESSED_TEXT,
                          value_text + " (" + nl_text + " learners)")
        cell = phrase.copy()
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(hide | (n <= 0), np.nan, 100 * c / np.where(n > 0, n, 1))
    else:  # per_100
        v = sub["value"].to_numpy(dtype=float)
        value_text = _one_decimal(v, 1, "")
        count_text, n_text = counts_text(c), nl_text
        # a rate of zero exclusions reveals nothing: shown whatever the group's size
        hide = ((few & (c > 0)) | np.isin(count_text, _MARKERS) | np.isin(n_text, _MARKERS)
                ) & (value_text != NO_DATA)
        value_text = np.where(hide, disclosure.SUPPRESSED_TEXT, value_text)
        phrase = (value_text + " per 100 (" + count_text
                  + np.where(count_text == "1", " exclusion, ", " exclusions, ") + n_text
                  + " learners)")
        cell = phrase.copy()
        value = np.where(hide, np.nan, v)
    words = np.where(judged, NOT_JUDGED, TOO_FEW).astype(object)
    no_data = (n == 0) | np.isnan(n) | np.isnan(c)
    if unit == "places":
        cell = np.where(no_data, NO_DATA, cell)
    else:
        cell = np.where(no_data, NO_DATA, np.where(judged, cell, np.where(
            np.isin(n_text, _MARKERS) | (n_text == small) | published, TOO_FEW,
            TOO_FEW + " (n=" + n_text.astype(object) + ")")))
        words = np.where(no_data, NO_DATA, words)
    value = np.where(judged & ~no_data, value, np.nan)
    return pd.DataFrame({"count_text": count_text, "n_text": n_text,
                         "value_text": value_text, "quantifier": words, "phrase": phrase,
                         "cell": cell, "value_shown": value.astype(float),
                         "judged": judged & ~no_data})


def display_measures(measures: pd.DataFrame, *, group_type: str = "authority",
                     audience: str, min_n: int = 5,
                     thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                     ) -> pd.DataFrame:
    """The measures as a report shows them to its audience, for one breakdown.

    Parameters
    ----------
    measures : DataFrame
        From :func:`outcome_measures` (``Outcomes.measures``).
    group_type : {"authority", "srb_id", "primary_need"}, default "authority"
        The rows: the authority alone, or each SRB (or need) followed by the authority as
        the total row.
    audience : {"internal", "published"}
    min_n : int, default 5
    thresholds : disclosure.Thresholds

    Returns
    -------
    DataFrame
        The identifying columns of ``measures`` (``section``, ``measure``, ``label``,
        ``noun``, ``predicate``, ``unit``, ``better``, ``group_type``, ``group``,
        ``group_label``, ``source``) and the text: ``count_text``, ``n_text``,
        ``value_text`` (percentage, attendance rate or rate per 100), ``quantifier``,
        ``phrase``, ``cell`` (what a table cell shows), ``value_shown`` (number a figure
        may draw: percentage or rate per 100; NaN where hidden or not judged) and
        ``judged``. Never NaN in the text columns.

    Notes
    -----
    Each measure is suppressed as one table of its groups with the authority as the
    total row (DESIGN.md section 4): learner measures by :func:`share_cells`; attendance
    rates and exclusion rates of fewer than ``min_denominator`` learners, or of a hidden
    count, show ``"[c]"``; unfilled places are public, but a row whose number on roll is
    hidden (1-4, or to protect another) is hidden too, since places minus unfilled places
    gives the roll. Internal reports show every number.
    """
    pub = disclosure.check_audience(audience)
    _check(group_type in GROUP_TYPES, "group_type", "one of " + ", ".join(
        map(repr, GROUP_TYPES)), group_type)
    k = _int_at_least(min_n, "min_n", 1)
    key = (group_type, pub, k, thresholds)
    for ref, snapshot, key2, shown in _DISPLAY_MEMO:
        if key2 == key and ref() is measures and _same_frame(measures, snapshot):
            return shown.copy()
    shown = _display_measures(measures, group_type=group_type, audience=pub, min_n=k,
                              thresholds=thresholds)
    try:
        ref = weakref.ref(measures)
    except TypeError:
        return shown
    _DISPLAY_MEMO.append((ref, measures.copy(), key, shown.copy()))
    del _DISPLAY_MEMO[:-_DISPLAY_MEMO_KEEP]
    return shown


#: The last tables of display_measures: a report shows the same measures by SRB in
#: its table, its findings and its year-on-year summary. An entry is used only for the
#: very same measures frame, unchanged since (compared with a copy kept with it).
_DISPLAY_MEMO: list[tuple[weakref.ref, pd.DataFrame, tuple, pd.DataFrame]] = []
_DISPLAY_MEMO_KEEP = 6


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same labels, dtypes and values (missing where missing)."""
    return (a.shape == b.shape and a.columns.equals(b.columns) and a.index.equals(b.index)
            and a.dtypes.equals(b.dtypes) and a.equals(b))


def _display_measures(measures: pd.DataFrame, *, group_type: str, audience: str,
                      min_n: int, thresholds: disclosure.Thresholds) -> pd.DataFrame:
    """:func:`display_measures` once its arguments are checked."""
    pub, k = audience, min_n
    blocks = []
    for _, sub in measures.groupby("measure", sort=False):  # a dozen measures
        rows = sub.loc[sub["group_type"] == group_type] if group_type != "authority" else \
            sub.iloc[0:0]
        auth = sub.loc[sub["group_type"] == "authority"]
        part = pd.concat([rows, auth])
        if len(part) == 0:
            continue
        text = _block(part.reset_index(drop=True), audience=pub, min_n=k,
                      thresholds=thresholds)
        keep = part[["section", "measure", "label", "noun", "predicate", "unit", "better",
                     "group_type", "group", "group_label", "source"]].reset_index(drop=True)
        blocks.append(pd.concat([keep, text.reset_index(drop=True)], axis=1))
    cols = ["section", "measure", "label", "noun", "predicate", "unit", "better",
            "group_type", "group", "group_label", "source", "count_text", "n_text",
            "value_text", "quantifier", "phrase", "cell", "value_shown", "judged"]
    if not blocks:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return pd.concat(blocks, ignore_index=True)[cols]


def measure_table(display: pd.DataFrame, *, rows: str = "group_label",
                  columns: str = "label", measures: Sequence[str] | None = None
                  ) -> pd.DataFrame:
    """Pivot :func:`display_measures` into a table of cells (groups x measures or back).

    Parameters
    ----------
    display : DataFrame
        From :func:`display_measures`.
    rows, columns : {"group_label", "label"}
        ``rows="group_label"``: one row per group (the authority last), one column per
        measure; ``rows="label"``: one row per measure (the R5 table).
    measures : list of str, optional
        Measure ids to keep, in order.

    Returns
    -------
    DataFrame
        The first column names the rows ("group" or "measure"); cells as in
        :func:`display_measures`.
    """
    _check({rows, columns} == {"group_label", "label"}, "rows",
           '"group_label" or "label" (and columns the other)', (rows, columns))
    d = display
    if measures is not None:
        d = d.loc[d["measure"].isin(list(measures))]
        order = {m: i for i, m in enumerate(measures)}
        d = d.assign(_o=d["measure"].map(order)).sort_values("_o", kind="stable")
    row_order = list(dict.fromkeys(d[rows]))
    col_order = list(dict.fromkeys(d[columns]))
    wide = d.pivot(index=rows, columns=columns, values="cell").reindex(
        index=row_order, columns=col_order).fillna(NO_DATA)
    wide.columns.name = None
    name = "group" if rows == "group_label" else "measure"
    return wide.rename_axis(name).reset_index()


def measure_sentences(display: pd.DataFrame, *, census_date: Any = None) -> pd.Series:
    """One sentence per row of :func:`display_measures`, in Estyn's words.

    Returns
    -------
    Series of str
        Learner measures: "Most learners (27 of 29, 93%) made at least expected progress
        in literacy." (:func:`finding_sentence` wording; "In <SRB>, most learners ..."
        for an SRB, "Most learners with ASD as their primary need ..." for a need).
        Attendance: "Learners attended 91.2% of possible half-day sessions (40
        learners)." Exclusions: "There were 12.5 fixed-term exclusions per 100 learners
        (5 exclusions, 40 learners)." Places: "42 of 158 places (27%) were unfilled on
        1 October 2025." Hidden values say so, never a number.
    """
    forms = _forms(quantifier_table())
    when = (f" on {pd.Timestamp(census_date).day} {pd.Timestamp(census_date):%B %Y}"
            if census_date is not None else " on the census date")
    out = []
    for row in _records(display):  # one sentence per measure and group
        prefix, noun = _group_noun(row["noun"], row["group_type"], row["group_label"])
        unit, hidden = row["unit"], row["value_text"] == disclosure.SUPPRESSED_TEXT
        where = f" in {row['group_label']}" if row["group_type"] == "srb_id" else (
            f" for learners with {row['group_label']} as their primary need"
            if row["group_type"] == "primary_need" else "")
        if unit == "learners":
            out.append(_sentence(row, noun=noun, predicate=row["predicate"], table=forms,
                                 prefix=prefix))
            continue
        if row["quantifier"] == NO_DATA:
            what = {"sessions": "attendance", "per_100": "exclusions",
                    "places": "places"}[unit]
            out.append(f"There is no data on {what}{where}.")
        elif unit == "places":
            out.append(_capital(prefix + (
                f"{row['count_text']} of {row['n_text']} places ({row['value_text']}) were "
                f"unfilled{when}." if not hidden and row["phrase"] != disclosure.SUPPRESSED_TEXT
                else f"unfilled places are not shown{when} (a small number on roll).")))
        elif row["quantifier"] == TOO_FEW:
            what = "attendance" if unit == "sessions" else "the rate of fixed-term exclusions"
            out.append(f"There were too few learners ({row['n_text']}) to judge {what}{where}.")
        elif unit == "sessions":
            out.append(_capital(
                f"{prefix}{noun} attended {row['value_text']} of possible half-day sessions "
                f"({row['n_text']} learners)." if not hidden else
                f"{prefix}attendance{'' if prefix else where} is not shown (fewer than 10 "
                "learners)."))
        else:
            out.append(_capital(
                f"{prefix}there were {row['value_text']} fixed-term exclusions per 100 "
                f"{noun} ({row['count_text']} exclusion{'' if row['count_text'] == '1' else 's'}"
                f" among {row['n_text']} learners)."
                if not hidden else
                f"{prefix}the rate of fixed-term exclusions{'' if prefix else where} is not "
                f"shown (small numbers: {row['count_text']} exclusions among "
                f"{row['n_text']} learners)."))
    return pd.Series(out, index=display.index, dtype=object)


#: Measures that make a section's heading, in order.
HEADLINES: dict[str, tuple[str, ...]] = {
    "standards": tuple(f"progress_{a}" for a in AREAS),
    "qualifications": ("leavers_with_award",),
    "wellbeing": ("attendance_rate", "persistent_absence", "learners_excluded"),
    "inclusion": ("inclusion_at_least_half", "inclusion_rising"),
    "transition": ("returned_to_mainstream", "stayed_after_exit_criterion"),
    "strategic": ("unfilled_places",),
}


def section_heading(display: pd.DataFrame, section: str) -> str:
    """What a section found, for its heading, from the authority rows of
    :func:`display_measures` (words only for learner measures: no counts).

    Returns the text after "<Section>: ", starting in lower case: "most learners made at
    least expected progress in literacy and numeracy; many did in communication",
    "attendance was 91.2% of possible sessions; a minority of learners were persistently
    absent", "no data", "too few learners to judge". A measure whose number is hidden
    for the audience is left out.
    """
    _check(section in HEADLINES, "section", "one of " + ", ".join(map(repr, HEADLINES)),
           section)
    d = display.loc[(display["group_type"] == "authority")
                    & display["measure"].isin(HEADLINES[section])]
    if len(d) == 0:
        return "no data"
    if section == "standards":
        judged = d.loc[d["judged"].astype(bool) & (d["quantifier"] != NOT_JUDGED)]
        if len(judged) == 0:
            return "too few learners had their progress measured to judge"
        clauses, first = [], True
        words = list(dict.fromkeys(judged["quantifier"]))
        for w in words:  # the quantifiers met, a handful
            areas = [AREA_LABELS[m.removeprefix("progress_")]
                     for m in judged.loc[judged["quantifier"] == w, "measure"]]
            listed = areas[0] if len(areas) == 1 else ", ".join(areas[:-1]) + " and " + \
                areas[-1]
            form = _sentence_forms(np.array([w]), quantifier_table())[0].lower()
            clauses.append(f"{form} learners made at least expected progress in {listed}"
                           if first else f"{form.removesuffix(' of').removesuffix(' of the')}"
                           f" did in {listed}")
            first = False
        return "; ".join(clauses)
    parts = []
    for row in _records(d):
        if not row["judged"]:
            continue
        if row["unit"] == "learners":
            if row["quantifier"] == NOT_JUDGED:  # published with a number hidden
                continue
            form = _sentence_forms(np.array([row["quantifier"]]), quantifier_table())[0]
            parts.append(f"{form.lower()} {row['noun']} {row['predicate']}")
        elif row["value_text"] in _MARKERS:
            continue
        elif row["unit"] == "sessions":
            parts.append(f"attendance was {row['value_text']} of possible sessions")
        elif row["unit"] == "per_100":
            parts.append(f"{row['value_text']} fixed-term exclusions per 100 learners")
        elif row["unit"] == "places":
            parts.append(f"{row['value_text']} of places were unfilled at the census")
    if not parts:
        return "too few learners to judge"
    return "; ".join(parts[:2])


# --------------------------------------------------------------------------- year on year


def year_on_year(current: pd.DataFrame, comparison: pd.DataFrame | None) -> pd.DataFrame:
    """Change in every measure from a comparison year, where both years can be judged.

    Parameters
    ----------
    current, comparison : DataFrame
        :func:`outcome_measures` of the two years (``comparison`` may be None or empty).

    Returns
    -------
    DataFrame
        One row per row of ``current``: ``section``, ``measure``, ``label``, ``unit``,
        ``better``, ``group_type``, ``group``, ``group_label``, ``value``,
        ``comparison_value``, ``change`` (share measures in percentage points, 100 x
        difference of the shares; attendance in percentage points; exclusion rates per 100
        learners), ``direction`` ("better", "worse", "no change", or why there is none:
        "no comparison data", "too few to judge").

    Notes
    -----
    .. math:: \\Delta = 100\\,(p_{\\text{year}} - p_{\\text{comparison}})

    for shares; "no change" when the change rounds to 0 as shown (below 0.5 points for
    shares, 0.05 for attendance and exclusion rates, shown to one decimal).
    Both years must be judged (``judged``, i.e. n at least ``min_n``).
    """
    keys = ["measure", "group_type", "group"]
    cur = current.copy()
    if comparison is None or len(comparison) == 0:
        prev = pd.DataFrame(columns=[*keys, "value", "judged"])
    else:
        prev = comparison[[*keys, "value", "judged"]]
    m = cur.merge(prev.rename(columns={"value": "comparison_value",
                                       "judged": "comparison_judged"}), on=keys, how="left")
    scale = np.where(m["unit"] == "per_100", 1.0, 100.0)
    v = m["value"].to_numpy(dtype=float)
    pv = pd.to_numeric(m["comparison_value"], errors="coerce").to_numpy(dtype=float)
    both = m["judged"].to_numpy(dtype=bool) & m["comparison_judged"].fillna(False).to_numpy(
        dtype=bool) & ~np.isnan(v) & ~np.isnan(pv)
    change = np.where(both, scale * (v - np.where(both, pv, 0.0)), np.nan)
    higher = (m["better"] == "higher").to_numpy()
    tiny = np.where(m["unit"].isin(["sessions", "per_100"]).to_numpy(), 0.05, 0.5)
    direction = np.where(np.abs(change) < tiny, "no change",
                         np.where((change > 0) == higher, "better", "worse"))
    has_prev = m["comparison_value"].notna().to_numpy() & (
        pd.to_numeric(m["comparison_value"], errors="coerce").notna().to_numpy())
    why = np.where(~has_prev, "no comparison data", TOO_FEW)
    m["change"] = change
    m["comparison_value"] = pv
    m["direction"] = np.where(both, direction, why)
    return m[["section", "measure", "label", "unit", "better", "group_type", "group",
              "group_label", "value", "comparison_value", "change", "direction"]]


def _change_text(change: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """ "+5 points", "-1.2 per 100", "no change" (rounded half away from zero)."""
    one = np.isin(unit, ["sessions", "per_100"])
    scale = np.where(one, 10.0, 1.0)
    r = np.sign(change) * np.floor(np.abs(np.nan_to_num(change)) * scale + 0.5) / scale
    text = np.where(one, np.char.mod("%+.1f", r), np.char.mod("%+.0f", r)).astype(object)
    text = text + np.where(unit == "per_100", " per 100",
                           np.where(np.abs(r) == 1, " point", " points"))
    return np.where(r == 0, "no change", text).astype(object)


def display_year_on_year(current: pd.DataFrame, comparison: pd.DataFrame | None, *,
                         audience: str, min_n: int = 5,
                         thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                         ) -> pd.DataFrame:
    """The authority-wide measures of two years side by side, with the change, as text.

    Returns
    -------
    DataFrame
        One row per measure: ``section``, ``measure`` (the label), ``this_year`` and
        ``comparison_year`` (cells of :func:`display_measures`, the authority as the total
        row of the SRB table, so a value hidden there is hidden here), ``change`` ("+5
        points", "-1.2 per 100"; "[c]" when either value is hidden; "no comparison
        data"; "too few to judge"), ``direction`` and the numbers a figure may draw:
        ``value_shown``, ``comparison_shown``.
    """
    def auth(m: pd.DataFrame) -> pd.DataFrame:
        d = display_measures(m, group_type="srb_id", audience=audience, min_n=min_n,
                             thresholds=thresholds)
        return d.loc[d["group_type"] == "authority"].set_index("measure")

    cur = auth(current)
    prev = auth(comparison) if comparison is not None and len(comparison) else None
    yoy = year_on_year(current, comparison).set_index(["measure", "group_type"]).xs(
        "authority", level="group_type")
    out = pd.DataFrame({"section": cur["section"].map(SECTIONS), "measure": cur["label"],
                        "this_year": cur["cell"]}, index=cur.index)
    if prev is not None:
        out["comparison_year"] = prev["cell"].reindex(cur.index).fillna(NO_DATA)
        ps = prev["value_shown"].reindex(cur.index).astype(float)
    else:
        out["comparison_year"] = NO_DATA
        ps = pd.Series(np.nan, index=cur.index)
    ch = yoy["change"].reindex(cur.index).to_numpy(dtype=float)
    unit = cur["unit"].to_numpy()
    shown = cur["value_shown"].astype(float).notna().to_numpy() & ps.notna().to_numpy()
    text = _change_text(ch, unit)
    direction = yoy["direction"].reindex(cur.index).fillna("no comparison data").to_numpy(
        dtype=object)
    has = ~np.isnan(ch)
    change = np.where(has & shown, text, np.where(has, disclosure.SUPPRESSED_TEXT,
                                                    direction))
    out["change"] = change
    out["direction"] = np.where(has & shown, direction, np.where(
        has, disclosure.SUPPRESSED_TEXT, ""))
    out["value_shown"] = cur["value_shown"].astype(float)
    out["comparison_shown"] = ps.where(shown).to_numpy()
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- findings

#: Comparisons a finding rule may use, and their words.
COMPARISONS: dict[str, str] = {"at_least": "at least", "below": "below", "above": "above",
                               "at_most": "at most"}
KINDS: dict[str, str] = {"strength": STRENGTH, "area_for_development": AREA_FOR_DEVELOPMENT,
                         AREA_FOR_DEVELOPMENT: AREA_FOR_DEVELOPMENT}

#: The package's finding rules (``finding_rules=None``). Each is a dict: ``measure`` (an id
#: of :data:`MEASURES`, or a pattern such as ``"progress_*"``), ``comparison``
#: ("at_least", "below", "above", "at_most"), ``threshold`` (an Estyn quantifier such as
#: "many" -- its lower bound --, a percentage "65%", or a number: a share 0-1, or a rate
#: per 100 for ``exclusion_rate``), ``kind`` ("strength" or "area_for_development"),
#: optional ``scope`` ("authority", "srb_id" or "primary_need"; default "authority"),
#: ``description`` (words for the measure) and ``recommendation`` (text of the
#: recommendation drafted from an area for development).
DEFAULT_FINDING_RULES: tuple[dict[str, str], ...] = (
    {"measure": "progress_*", "comparison": "at_least", "threshold": "most",
     "kind": "strength",
     "description": "the share of learners making at least expected progress in an area"},
    {"measure": "progress_*", "comparison": "below", "threshold": "many",
     "kind": "area_for_development",
     "description": "the share of learners making at least expected progress in an area"},
    {"measure": "progress_*", "comparison": "below", "threshold": "around half",
     "kind": "area_for_development", "scope": "srb_id",
     "description": "the share of an SRB's learners making at least expected progress in "
     "an area"},
    {"measure": "progress_*", "comparison": "below", "threshold": "around half",
     "kind": "area_for_development", "scope": "primary_need",
     "description": "the share of a group of learners (by primary need) making at least "
     "expected progress in an area"},
    {"measure": "leavers_with_award", "comparison": "at_least", "threshold": "most",
     "kind": "strength"},
    {"measure": "leavers_with_award", "comparison": "below", "threshold": "many",
     "kind": "area_for_development"},
    {"measure": "attendance_rate", "comparison": "at_least", "threshold": "95%",
     "kind": "strength"},
    {"measure": "attendance_rate", "comparison": "below", "threshold": "90%",
     "kind": "area_for_development"},
    {"measure": "persistent_absence", "comparison": "below", "threshold": "few",
     "kind": "strength"},
    {"measure": "persistent_absence", "comparison": "at_least", "threshold": "a minority",
     "kind": "area_for_development"},
    {"measure": "learners_excluded", "comparison": "at_least", "threshold": "few",
     "kind": "area_for_development"},
    {"measure": "inclusion_at_least_half", "comparison": "at_least", "threshold": "many",
     "kind": "strength"},
    {"measure": "inclusion_at_least_half", "comparison": "below", "threshold": "around half",
     "kind": "area_for_development"},
    {"measure": "inclusion_rising", "comparison": "at_least", "threshold": "a majority",
     "kind": "strength"},
    {"measure": "inclusion_falling", "comparison": "at_least", "threshold": "a minority",
     "kind": "area_for_development"},
    {"measure": "stayed_after_exit_criterion", "comparison": "at_least",
     "threshold": "very few", "kind": "area_for_development"},
    {"measure": "unfilled_places", "comparison": "at_least", "threshold": "10%",
     "kind": "area_for_development"},
)

#: Recommendation drafted from an area for development, by measure (``{area}`` is the
#: area's words). Estyn's recommendations start with a verb: "Improve ...".
RECOMMENDATIONS: dict[str, str] = {
    **{f"progress_{a}": (
        "Improve the progress learners make in {area}: with SRB leads, review teaching and "
        "interventions in these areas, and track termly against their baseline every "
        "learner who is not making expected progress") for a in AREAS},
    "leavers_with_award": (
        "Widen the range of accredited qualifications at 14-16 and post-16 (Entry Level, "
        "Essential Skills Wales, GCSE, ASDAN, OCN) so that every leaver gains at least one "
        "award"),
    "attendance_rate": (
        "Improve attendance and reduce persistent absence, working with families and the "
        "education welfare service as the Welsh Government's guidance 'Belonging, engaging "
        "and participating' sets out"),
    "persistent_absence": (
        "Improve attendance and reduce persistent absence, working with families and the "
        "education welfare service as the Welsh Government's guidance 'Belonging, engaging "
        "and participating' sets out"),
    "learners_excluded": (
        "Reduce fixed-term exclusions by strengthening support and staff training for "
        "learners whose behaviour challenges (Estyn 2008: staff 'do not always cope well "
        "with pupils who have challenging behaviour')"),
    "exclusion_rate": (
        "Reduce fixed-term exclusions by strengthening support and staff training for "
        "learners whose behaviour challenges (Estyn 2008: staff 'do not always cope well "
        "with pupils who have challenging behaviour')"),
    "inclusion_at_least_half": (
        "Increase the time learners spend in mainstream classes, planned with mainstream "
        "staff and reviewed termly for each learner"),
    "inclusion_rising": (
        "Increase the time learners spend in mainstream classes, planned with mainstream "
        "staff and reviewed termly for each learner"),
    "inclusion_falling": (
        "Increase the time learners spend in mainstream classes, planned with mainstream "
        "staff and reviewed termly for each learner"),
    "returned_to_mainstream": (
        "Plan and support the return to mainstream education of learners who are ready"),
    "stayed_after_exit_criterion": (
        "Review the placements of learners who have met the exit criterion and plan their "
        "return to mainstream classes (Estyn 2008: 'pupils can stay too long in the "
        "resource base')"),
    "unfilled_places": (
        "Review the number, designation and location of SRB places against current and "
        "forecast need so that places are filled (Estyn 2008: unfilled places represent "
        "'poor value for money')"),
}


def _rule_threshold(value: object, where: str) -> tuple[str, float, bool]:
    """(kind "quantifier"/"share"/"number", bound, inclusive)."""
    if isinstance(value, str):
        text = value.strip()
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
        if m:
            share = float(m.group(1)) / 100
            _check(share <= 1, where, "a percentage from 0% to 100%", value)
            return "share", share, True
        terms = quantifier_table()["term"].tolist()
        _check(text.lower() in terms, where, "an Estyn quantifier (" + ", ".join(terms)
               + "), a percentage such as '65%' or a number", value)
        lo, inc = quantifier_bounds(text)
        return "quantifier", lo, inc
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)) and np.isfinite(float(value)) and float(value) >= 0
    _check(ok, where, "an Estyn quantifier, a percentage such as '65%' or a number of 0 "
           "or more", value)
    return "number", float(value), True  # type: ignore[arg-type]


def check_finding_rules(rules: Sequence[Mapping[str, object]] | None) -> list[dict]:
    """Validate finding rules (``None``: :data:`DEFAULT_FINDING_RULES`); return them normalised.

    Raises
    ------
    ArgumentError
        Naming ``finding_rules[i]`` and the key at fault: an unknown key, a measure
        pattern that matches no measure, an unknown comparison, kind or scope, or a
        threshold that does not fit the measure (a quantifier or a percentage for a rate
        per 100; a share above 1).
    """
    rules = DEFAULT_FINDING_RULES if rules is None else rules
    _check(isinstance(rules, (list, tuple)), "finding_rules",
           "None or a list of dicts (measure, comparison, threshold, kind)", rules)
    allowed = {"measure", "comparison", "threshold", "kind", "scope", "description",
               "recommendation", "id"}
    out = []
    for i, r in enumerate(rules):  # a handful of rules
        where = f"finding_rules[{i}]"
        _check(isinstance(r, Mapping), where, "a dict", r)
        extra = sorted(set(r) - allowed)
        _check(not extra, where, "a dict with keys from " + ", ".join(sorted(allowed)), extra)
        missing = [k for k in ("measure", "comparison", "threshold", "kind") if k not in r]
        _check(not missing, where, "a dict with measure, comparison, threshold and kind",
               missing)
        pattern = r["measure"]
        _check(isinstance(pattern, str), f"{where}['measure']", "a measure id or pattern",
               pattern)
        matched = [m for m in MEASURES if fnmatch.fnmatchcase(m, pattern)]  # type: ignore
        _check(bool(matched), f"{where}['measure']", "a measure (or pattern) among "
               + ", ".join(MEASURES), pattern)
        _check(r["comparison"] in COMPARISONS, f"{where}['comparison']",
               "one of " + ", ".join(map(repr, COMPARISONS)), r["comparison"])
        _check(r["kind"] in KINDS, f"{where}['kind']",
               "'strength' or 'area_for_development'", r["kind"])
        scope = r.get("scope", "authority")
        _check(scope in GROUP_TYPES, f"{where}['scope']",
               "one of " + ", ".join(map(repr, GROUP_TYPES)), scope)
        tkind, bound, inclusive = _rule_threshold(r["threshold"], f"{where}['threshold']")
        rates = [m for m in matched if MEASURES[m]["unit"] == "per_100"]
        shares = [m for m in matched if MEASURES[m]["unit"] != "per_100"]
        _check(not (rates and tkind != "number"), f"{where}['threshold']",
               "a number (per 100 learners) for " + ", ".join(rates), r["threshold"])
        _check(not (shares and tkind == "number" and bound > 1), f"{where}['threshold']",
               "a share from 0 to 1 (or a percentage, or a quantifier) for "
               + ", ".join(shares), r["threshold"])
        _check(not (tkind == "quantifier" and r["comparison"] not in ("at_least", "below")),
               f"{where}['comparison']", "'at_least' or 'below' with a quantifier",
               r["comparison"])
        for key in ("description", "recommendation"):
            _check(r.get(key) is None or isinstance(r.get(key), str), f"{where}['{key}']",
                   "a str", r.get(key))
        out.append({"id": str(r.get("id") or f"F{i + 1}"), "measure": pattern,
                    "measures": matched, "comparison": r["comparison"],
                    "threshold": r["threshold"], "threshold_kind": tkind, "bound": bound,
                    "inclusive": inclusive, "kind": KINDS[r["kind"]], "scope": scope,
                    "description": r.get("description"),
                    "recommendation": r.get("recommendation")})
    return out


def rule_text(rule: Mapping[str, object]) -> str:
    """A finding rule in words (for the report's appendix and each finding).

    Examples
    --------
    >>> rule_text(check_finding_rules([{"measure": "progress_literacy", "comparison":
    ...     "below", "threshold": "many", "kind": "area_for_development"}])[0])
    "area for development when at least expected progress: literacy is below 'many' \
(under 70%), for the authority"
    """
    r = check_finding_rules([{k: v for k, v in rule.items() if k in (
        "measure", "comparison", "threshold", "kind", "scope", "description",
        "recommendation", "id")}])[0] if "measures" not in rule else rule
    what = r["description"] or "; ".join(MEASURES[m]["label"] for m in r["measures"])
    scope = {"authority": "for the authority", "srb_id": "for any SRB",
             "primary_need": "for any group of learners by primary need"}[r["scope"]]
    t = r["threshold"]
    if r["threshold_kind"] == "quantifier":
        pct = f"{100 * r['bound']:g}%"
        extra = (f"under {pct}" if r["comparison"] == "below" else f"{pct} or more") \
            if r["inclusive"] else (f"{pct} or less" if r["comparison"] == "below"
                                    else f"over {pct}")
        t = f"'{t}' ({extra})"
    elif r["threshold_kind"] == "number" and any(
            MEASURES[m]["unit"] != "per_100" for m in r["measures"]):
        t = f"{100 * r['bound']:g}%"
    return f"{r['kind']} when {what} is {COMPARISONS[r['comparison']]} {t}, {scope}"


def _fires(values: np.ndarray, rule: Mapping[str, Any]) -> np.ndarray:
    b, inc, cmp_ = rule["bound"], rule["inclusive"], rule["comparison"]
    with np.errstate(invalid="ignore"):
        at_least = values >= b if inc else values > b
        if cmp_ == "at_least":
            return at_least
        if cmp_ == "below":
            return ~at_least & ~np.isnan(values)
        if cmp_ == "above":
            return values > b
        return values <= b


def findings(measures: pd.DataFrame, rules: Sequence[Mapping[str, object]] | None = None, *,
             audience: str, min_n: int = 5, census_date: Any = None,
             thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
             ) -> pd.DataFrame:
    """Strengths and areas for development: each rule applied to every judged measure.

    Parameters
    ----------
    measures : DataFrame
        From :func:`outcome_measures`.
    rules : list of dict, optional
        Finding rules (see :data:`DEFAULT_FINDING_RULES`; checked by
        :func:`check_finding_rules`). None: the package defaults.
    audience : {"internal", "published"}
    min_n : int, default 5
    census_date : date, optional
        Named in sentences about places.
    thresholds : disclosure.Thresholds

    Returns
    -------
    DataFrame
        One row per rule x measure x group that fires, strengths first, then in section
        and measure order: ``kind`` ("strength" or "area for development"), ``section``,
        ``measure``, ``label``, ``area`` (words for a progress area, else ""),
        ``group_type``, ``group``, ``group_label``, ``value`` (share 0-1 or rate),
        ``sentence`` (:func:`measure_sentences`, disclosure-controlled for the audience),
        ``rule_id``, ``rule`` (:func:`rule_text`), ``source`` (table and figure),
        ``recommendation`` (the rule's, else :data:`RECOMMENDATIONS`, with the area filled
        in) and ``recommendation_template`` (before the area is filled in).

    Notes
    -----
    A rule compares a measure's value (a share of learners, sessions or places, or a rate
    per 100) with its threshold; a quantifier threshold stands for the lower bound of its
    band (:func:`quantifier_bounds`): "below 'many'" is below 70%, "at least 'a majority'"
    is over 60%. Only judged rows (at least ``min_n`` learners, or any places) are
    compared, so small groups never make a finding. The findings are facts about the
    data, not judgements of the provision: they say where to look.
    """
    checked = check_finding_rules(rules)
    pub = disclosure.check_audience(audience)
    k = _int_at_least(min_n, "min_n", 1)
    cols = ["kind", "section", "measure", "label", "area", "group_type", "group",
            "group_label", "value", "sentence", "rule_id", "rule", "source", "recommendation",
            "recommendation_template"]
    hits = []
    for rule in checked:  # a handful of rules
        sel = measures.loc[measures["measure"].isin(rule["measures"])
                           & (measures["group_type"] == rule["scope"])
                           & measures["judged"].astype(bool)]
        if len(sel) == 0:
            continue
        fire = _fires(sel["value"].to_numpy(dtype=float), rule)
        got = sel.loc[fire]
        if len(got):
            hits.append(got.assign(kind=rule["kind"], rule_id=rule["id"],
                                   rule=rule_text(rule), _rec=rule["recommendation"]))
    if not hits:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    f = pd.concat(hits, ignore_index=True)
    # sentences: from the table each row appears in, so the words match what is shown
    texts = []
    tables: dict[str, pd.DataFrame] = {}
    for gtype in f["group_type"].unique():  # up to three breakdowns
        shown = "srb_id" if gtype == "authority" else gtype
        if shown not in tables:
            tables[shown] = display_measures(measures, group_type=shown, audience=pub,
                                             min_n=k, thresholds=thresholds)
        d = tables[shown]
        d = d.loc[d["group_type"] == gtype]
        # sentences (one per row, each on its own) of the rows a finding is about
        found = f.loc[f["group_type"] == gtype]
        wanted = pd.MultiIndex.from_frame(found[["measure", "group"]].astype(object))
        d = d.loc[pd.MultiIndex.from_frame(d[["measure", "group"]].astype(object)).isin(
            wanted)]
        texts.append(d.assign(sentence=measure_sentences(d, census_date=census_date))[
            ["measure", "group_type", "group", "sentence"]])
    f = f.merge(pd.concat(texts, ignore_index=True), on=["measure", "group_type", "group"],
                how="left")
    f["sentence"] = f["sentence"].fillna(NO_DATA)
    f["area"] = f["measure"].str.removeprefix("progress_").map(AREA_LABELS).fillna("")
    default = pd.Series([RECOMMENDATIONS.get(m, "") for m in f["measure"]], index=f.index)
    f["recommendation_template"] = f["_rec"].where(f["_rec"].notna(), default).astype("str")
    f["recommendation"] = [t.format(area=a or "every area") for t, a in zip(
        f["recommendation_template"], f["area"], strict=True)]
    order = {STRENGTH: 0, AREA_FOR_DEVELOPMENT: 1}
    mo = {m: i for i, m in enumerate(MEASURES)}
    go = {g: i for i, g in enumerate(GROUP_TYPES)}
    f = f.assign(_k=f["kind"].map(order), _m=f["measure"].map(mo),
                 _g=f["group_type"].map(go), _r=np.arange(len(f))).sort_values(
        ["_k", "_g", "_m", "_r"], kind="stable")
    f = f.drop_duplicates(["kind", "measure", "group_type", "group"], keep="first")
    return f[cols].reset_index(drop=True)


def recommendations(found: pd.DataFrame) -> pd.DataFrame:
    """Recommendations drafted from the areas for development (R1, R2, ...).

    Parameters
    ----------
    found : DataFrame
        From :func:`findings`.

    Returns
    -------
    DataFrame
        ``number`` ("R1", ...), ``recommendation`` (one per recommendation template, the
        areas of every finding that drafted it filled in: "Improve the progress learners
        make in literacy and numeracy: ..."; SRBs and needs named where an area for
        development is theirs: "..., especially numeracy in <SRB>"), ``measures``
        (labels) and ``source`` (tables and figures). Empty when there is no area for
        development.
    """
    cols = ["number", "recommendation", "measures", "source"]
    afd = found.loc[found["kind"] == AREA_FOR_DEVELOPMENT]
    afd = afd.loc[afd["recommendation_template"].astype("str").str.strip() != ""]
    if len(afd) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    rows = []
    for template, g in afd.groupby("recommendation_template", sort=False):  # a handful
        areas = [a for a in dict.fromkeys(g["area"]) if a]
        text = str(template).format(area=_and(areas) if areas else "every area")
        where = g.loc[g["group_type"] != "authority"]
        bits = []
        for r in where.to_dict("records"):  # the groups named, a handful
            who = (f"in {r['group_label']}" if r["group_type"] == "srb_id" else
                   f"for learners with {r['group_label']} as their primary need")
            bits.append(f"{r['area']} {who}" if r["area"] else who)
        extra = (", especially " + _and(list(dict.fromkeys(bits)))) if bits else ""
        rows.append({"recommendation": f"{text}{extra}.",
                     "measures": "; ".join(dict.fromkeys(g["label"])),
                     "source": "; ".join(dict.fromkeys(g["source"]))})
    out = pd.DataFrame(rows)
    out.insert(0, "number", [f"R{i + 1}" for i in range(len(out))])
    return out[cols]


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- judgement

_JUDGEMENT_COLUMNS = ("rank", "judgement", "estyn_descriptor", "min_strengths",
                      "max_areas_for_development", "areas_share_below", "rule_text", "source")


def judgement_rules(path: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The rules of the optional indicative judgement (``estyn_2017_judgement_rules.csv``).

    Returns
    -------
    DataFrame
        One row per judgement of Estyn's 2017 four-point scale, best first: ``rank``,
        ``judgement``, ``estyn_descriptor`` (Estyn's words), ``min_strengths``,
        ``max_areas_for_development`` (NaN: no limit), ``areas_share_below`` (areas for
        development as a share of all findings must be below this; NaN: no limit),
        ``rule_text`` and ``source``.
    """
    if isinstance(path, pd.DataFrame):
        t = path.copy()
    else:
        p = JUDGEMENT_RULES_FILE if path is None else Path(path)
        _check(p.is_file(), "path", "an existing CSV file", str(p))
        t = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = [c for c in _JUDGEMENT_COLUMNS if c not in t.columns]
    _check(not missing, "judgement rules", "a table with columns "
           + ", ".join(_JUDGEMENT_COLUMNS), missing)
    out = t[list(_JUDGEMENT_COLUMNS)].copy()
    for c in ("rank", "min_strengths", "max_areas_for_development", "areas_share_below"):
        v = pd.to_numeric(out[c].replace("", np.nan), errors="coerce")
        _check(bool((v.notna() | (out[c].astype("str").str.strip().isin(["", "nan"]))).all()
                    and (v.dropna() >= 0).all()), f"judgement rules ({c})",
               "numbers of 0 or more, or empty", out[c].tolist())
        out[c] = v.astype(float)
    _check(bool(out["rank"].notna().all()), "judgement rules (rank)", "a rank in every row",
           out["rank"].tolist())
    return out.sort_values("rank", kind="stable").reset_index(drop=True)


def indicative_judgement(found: pd.DataFrame, *, rules: pd.DataFrame | None = None
                         ) -> pd.DataFrame:
    """An indicative judgement on Estyn's 2017 four-point scale, from authority findings.

    Parameters
    ----------
    found : DataFrame
        From :func:`findings`; only authority-wide findings count (a finding for one SRB
        or need is not a finding about the authority's provision).
    rules : DataFrame, optional
        From :func:`judgement_rules` (default: the shipped table).

    Returns
    -------
    DataFrame
        One row: ``judgement`` (or "not judged" when there are no findings),
        ``estyn_descriptor``, ``n_strengths``, ``n_areas_for_development``,
        ``share_areas_for_development``, ``rule`` (the rule that produced it, in words).

    Notes
    -----
    With :math:`s` strengths and :math:`a` areas for development, the first rule in rank
    order whose conditions hold gives the judgement: :math:`s \\ge` ``min_strengths``,
    :math:`a \\le` ``max_areas_for_development`` and :math:`a/(s+a) <`
    ``areas_share_below`` (empty conditions always hold). The shipped rules: Excellent
    with no area for development and at least three strengths; Good with areas for
    development under 30% of findings; Adequate and needs improvement while strengths
    outnumber them; otherwise Unsatisfactory and needs urgent improvement. The rules are
    srb-eval's, not Estyn's: Estyn's descriptors are given beside them, and Estyn has
    not given summative grades since September 2022. Off by default in the report.

    References
    ----------
    .. [1] Estyn (2017). *Common Inspection Framework*: "Excellent: very strong,
       sustained performance and practice; Good: strong features, although minor aspects
       may require improvement; Adequate and needs improvement: strengths outweigh
       weaknesses, but important aspects require improvement; Unsatisfactory and needs
       urgent improvement: important weaknesses outweigh strengths".
    """
    r = judgement_rules() if rules is None else judgement_rules(rules)
    auth = found.loc[found["group_type"] == "authority"] if len(found) else found
    s = int((auth["kind"] == STRENGTH).sum()) if len(auth) else 0
    a = int((auth["kind"] == AREA_FOR_DEVELOPMENT).sum()) if len(auth) else 0
    share = a / (s + a) if s + a else np.nan
    base = {"n_strengths": s, "n_areas_for_development": a,
            "share_areas_for_development": share}
    if s + a == 0:
        return pd.DataFrame([{"judgement": "not judged", "estyn_descriptor": "",
                              **base, "rule": "no findings to judge from"}])
    ok = ((s >= r["min_strengths"].fillna(0))
          & (r["max_areas_for_development"].isna() | (a <= r["max_areas_for_development"]))
          & (r["areas_share_below"].isna() | (share < r["areas_share_below"])))
    if not ok.any():
        return pd.DataFrame([{"judgement": "not judged", "estyn_descriptor": "", **base,
                              "rule": "no rule matched"}])
    row = r.loc[ok].iloc[0]
    return pd.DataFrame([{"judgement": row["judgement"],
                          "estyn_descriptor": row["estyn_descriptor"], **base,
                          "rule": f"{row['judgement']}: {row['rule_text']}"}])


# --------------------------------------------------------------------------- section tables


def display_awards(awards: pd.DataFrame, *, audience: str,
                   thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                   ) -> pd.DataFrame:
    """:func:`qualification_awards` as a report shows it, with a total row.

    Returns
    -------
    DataFrame
        ``stage``, ``family``, one column per level with any award (awards, as text),
        ``awards`` (row total) and ``learners``; a last row "all" / "all awards".
        Published: awards 1-4 "<5" with secondary suppression across levels and rows
        (the totals are shown); learners 1-4 "<5". Never NaN.
    """
    pub = disclosure.check_audience(audience)
    levels = [c for c in LEVELS if c in awards.columns and awards[c].sum() > 0]
    t = awards[["stage", "family", *levels, "awards", "learners"]].copy()
    total = {"stage": "all", "family": "all awards",
             **{c: int(awards[c].sum()) for c in [*levels, "awards"]},
             "learners": np.nan}
    t = pd.concat([t, pd.DataFrame([total])], ignore_index=True)
    shown = disclosure.suppress_counts(t, levels, audience=pub, thresholds=thresholds,
                                       total_row="all awards" if len(t) > 1 else None,
                                       total_column="awards")
    learners = disclosure.suppress_counts(t[["learners"]].iloc[:-1], ["learners"],
                                          audience=pub, thresholds=thresholds)["learners"]
    shown["learners"] = [*learners.tolist(), "–"]
    for c in shown.columns:
        shown[c] = shown[c].astype(object).where(shown[c].notna(), NO_DATA)
    return shown.reset_index(drop=True)


def display_destinations(destinations: pd.DataFrame, *, group_type: str = "srb_id",
                         audience: str, srb_names: Mapping[str, str] | None = None,
                         thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                         ) -> pd.DataFrame:
    """:func:`destination_outcomes` for one breakdown as text: leavers by destination.

    Returns
    -------
    DataFrame
        ``group`` (SRB name or need; "all SRBs" last), one column per destination with
        any leaver (words: "mainstream", "further education", ...), ``leavers`` (the row
        total). Published: counts 1-4 "<5" with secondary suppression against the row and
        column totals.
    """
    pub = disclosure.check_audience(audience)
    _check(group_type in ("srb_id", "primary_need"), "group_type",
           "'srb_id' or 'primary_need'", group_type)
    d = destinations.loc[destinations["group_type"].isin([group_type, "authority"])]
    d = pd.concat([d.loc[d["group_type"] == group_type], d.loc[d["group_type"] == "authority"]])
    dests = [c for c in [*S.DESTINATIONS, "not_recorded"] if d[c].sum() > 0]
    names = dict(srb_names or {})
    label = d["group"].map(names).fillna(d["group"]) if group_type == "srb_id" else d["group"]
    t = pd.DataFrame({"group": label.to_numpy()})
    for c in dests:
        t[c] = d[c].to_numpy()
    t["leavers"] = d["n_leavers"].to_numpy()
    shown = disclosure.suppress_counts(t, dests, audience=pub, thresholds=thresholds,
                                       total_row=ALL if len(t) > 1 else None,
                                       total_column="leavers")
    return shown.rename(columns={c: c.replace("_", " ") for c in dests}).reset_index(
        drop=True)


def display_exit_reasons(reasons: pd.DataFrame, *, audience: str,
                         thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                         ) -> pd.DataFrame:
    """:func:`exit_reasons` as text, with a total row.

    Published: the reasons are free text typed about individual learners, so a reason is
    shown only when at least ``min_count`` leavers share it; the rest are pooled as "other
    reasons (each fewer than 5 leavers)", counted with primary and secondary suppression.
    """
    pub = disclosure.check_audience(audience)
    t = reasons[["exit_reason", "n_leavers"]].copy()
    if pub == "published" and len(t):
        rare = t["n_leavers"] < thresholds.min_count
        pooled = int(t.loc[rare, "n_leavers"].sum())
        t = t.loc[~rare]
        if pooled:
            t = pd.concat([t, pd.DataFrame([{
                "exit_reason": f"other reasons (each fewer than {thresholds.min_count} "
                "leavers)", "n_leavers": pooled}])], ignore_index=True)
    t = pd.concat([t, pd.DataFrame([{"exit_reason": "all leavers",
                                     "n_leavers": int(reasons["n_leavers"].sum())}])],
                  ignore_index=True)
    return disclosure.suppress_counts(t, ["n_leavers"], audience=pub, thresholds=thresholds,
                                      total_row="all leavers" if len(t) > 1 else None
                                      ).rename(columns={"exit_reason": "reason",
                                                        "n_leavers": "leavers"})


def display_stays(stays: pd.DataFrame, *, group_type: str = "srb_id", audience: str,
                  srb_names: Mapping[str, str] | None = None,
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                  ) -> pd.DataFrame:
    """:func:`stay_outcomes` for one breakdown as text (years to one decimal).

    Returns
    -------
    DataFrame
        ``group``, ``leavers``, ``median_stay_of_leavers_years``, ``on_roll_at_year_end``,
        ``median_time_so_far_years``. A median of fewer than ``min_n`` stays reads "too
        few to judge"; published, a median of fewer than ``min_denominator`` stays is
        "[c]" and counts 1-4 are "<5" (secondary suppression against the total row).
    """
    pub = disclosure.check_audience(audience)
    _check(group_type in ("srb_id", "primary_need"), "group_type",
           "'srb_id' or 'primary_need'", group_type)
    d = pd.concat([stays.loc[stays["group_type"] == group_type],
                   stays.loc[stays["group_type"] == "authority"]]).reset_index(drop=True)
    names = dict(srb_names or {})
    label = d["group"].map(names).fillna(d["group"]) if group_type == "srb_id" else d["group"]
    t = pd.DataFrame({"group": label.to_numpy(), "leavers": d["n_left"].to_numpy(),
                      "on_roll_at_year_end": d["n_on_roll"].to_numpy()})
    shown = disclosure.suppress_counts(t, ["leavers"], audience=pub, thresholds=thresholds,
                                       total_row=ALL if len(t) > 1 else None)
    shown["on_roll_at_year_end"] = disclosure.suppress_counts(
        t, ["on_roll_at_year_end"], audience=pub, thresholds=thresholds,
        total_row=ALL if len(t) > 1 else None)["on_roll_at_year_end"]
    for med, n, col in (("median_completed_years", "n_left", "median_stay_of_leavers_years"),
                        ("median_so_far_years", "n_on_roll", "median_time_so_far_years")):
        v = d[med].to_numpy(dtype=float)
        text = _one_decimal(v, 1, "")
        text = np.where(np.isnan(v), np.where(d[n].to_numpy() == 0, NO_DATA, TOO_FEW), text)
        if pub == "published":
            hide = (d[n].to_numpy() < thresholds.min_denominator) & ~np.isnan(v)
            text = np.where(hide, disclosure.SUPPRESSED_TEXT, text)
        shown[col] = text
    return shown[["group", "leavers", "median_stay_of_leavers_years", "on_roll_at_year_end",
                  "median_time_so_far_years"]]
