"""Estyn's words for proportions: "most", "many", "a minority"... from editable reference data.

Estyn inspection reports word proportions with a glossary ("nearly all = with very few
exceptions; most = 90% or more; many = 70% or more; a majority = over 60%; half = 50%;
around half = close to 50%; a minority = below 40%; few = below 20%; very few = less
than 10%"). The bands overlap, so srb-eval keeps one deterministic mapping (the most
specific term) as editable reference data, ``srb_eval/reference/estyn_quantifiers.csv``
(assumption A6 in ``docs/assumptions_caveats.md``).

Estyn writes its Welsh-language reports with the same glossary in Welsh ("bron pob un",
"y rhan fwyaf", "llawer", "mwyafrif", "hanner", "tua hanner", "lleiafrif", "ychydig",
"ychydig iawn"). The same table holds them beside the English words, so one band gives
the word in either language (:func:`term_words`, :func:`sentence_forms`): the terms stay
the keys every rule uses, only the words shown change with the report's language.

References
----------
.. [1] Estyn inspection reports, glossary of the terms used for proportions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..params import whole_number
from ..paths import REFERENCE_DIR
from . import disclosure, suppression
from .disclosure import NO_DATA_TEXT
from .i18n import LANGUAGES, N_, check_language, current_language
from .i18n import gettext as _

__all__ = [
    "NOT_JUDGED",
    "NO_DATA",
    "QUANTIFIER_FILE",
    "TOO_FEW",
    "WELSH_COLUMNS",
    "cell_sentence",
    "phrase_words",
    "check_counts",
    "finding_sentence",
    "hidden_markers",
    "share_cells",
    "estyn_quantifier",
    "quantifier_bounds",
    "quantifier_table",
    "sentence_forms",
    "term_words",
]

QUANTIFIER_FILE = REFERENCE_DIR / "estyn_quantifiers.csv"
#: The word for a group below the smallest group judged (``min_n``).
TOO_FEW = "too few to judge"
#: The word where a count or n is missing.
NO_DATA = NO_DATA_TEXT
#: Quantifier where no word is given: a measure not about learners (sessions, places), or
#: a published number that is hidden.
NOT_JUDGED = ""

_COLUMNS = ("term", "min_share", "min_inclusive", "max_share", "max_inclusive",
            "sentence_form", "estyn_meaning", "srb_eval_rule", "source")
#: The Welsh words of each row (optional columns: the English words where absent).
WELSH_COLUMNS = {"term_cy": "term", "sentence_form_cy": "sentence_form",
                 "estyn_meaning_cy": "estyn_meaning"}


def check_counts(values: Any, name: str) -> np.ndarray:
    """Whole numbers of 0 or more as floats (NaN where missing); ``ParameterError`` naming
    ``name`` otherwise.

    Examples
    --------
    >>> check_counts([3, None], "n").tolist()
    [3.0, nan]
    """
    numbers = isinstance(values, np.ndarray) and values.dtype.kind in "iufb"
    if numbers or (isinstance(values, pd.Series)
                   and pd.api.types.is_numeric_dtype(values.dtype)):
        # numbers already: checked as a float array (missing values as NaN)
        num = (values.to_numpy(dtype="float64", na_value=np.nan)
               if isinstance(values, pd.Series)
               else np.atleast_1d(values).astype("float64"))
        with np.errstate(invalid="ignore"):
            bad = (num < 0) | np.isinf(num) | (~np.isnan(num) & (num != np.floor(num)))
        if bad.any():
            check_argument(False, name, "whole numbers of 0 or more (or missing)",
                           np.asarray(values).ravel()[bad].tolist()[0], error=ParameterError)
        return num
    # anything else (lists, text, objects) read as Python objects
    s = (values if isinstance(values, pd.Series)
         else pd.Series(np.atleast_1d(np.asarray(values, dtype=object))))
    num = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = (num.isna() & s.notna()) | (num < 0) | np.isinf(num) | (
        num.notna() & (num != np.floor(num)))
    if bad.any():
        check_argument(False, name, "whole numbers of 0 or more (or missing)",
                       s[bad].iloc[0], error=ParameterError)
    return num.to_numpy()


def _validate(t: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in _COLUMNS if c not in t.columns]
    check_argument(not missing, name, "a table with columns " + ", ".join(_COLUMNS), missing,
                   error=ParameterError)
    out = pd.DataFrame({"term": t["term"].astype("str").str.strip()})
    for c in ("min_share", "max_share"):
        v = pd.to_numeric(t[c], errors="coerce")
        check_argument(bool(v.notna().all() and v.between(0, 1).all()), name,
                       f"{c} from 0 to 1 in every row", t[c].tolist(), error=ParameterError)
        out[c] = v.astype(float).to_numpy()
    for c in ("min_inclusive", "max_inclusive"):
        text = t[c].astype("str").str.strip().str.lower()
        ok = text.isin(["true", "false"])
        check_argument(bool(ok.all()), f"{name} ({c})", "true or false in every row",
                       t[c][~ok].tolist(), error=ParameterError)
        out[c] = (text == "true").to_numpy()
    for c in ("sentence_form", "estyn_meaning", "srb_eval_rule", "source"):
        out[c] = t[c].astype("str").str.strip().to_numpy()
    for c, english in WELSH_COLUMNS.items():
        welsh = (t[c].astype("str").str.strip() if c in t.columns
                 else pd.Series("", index=t.index))
        out[c] = welsh.where(welsh != "", out[english].to_numpy()).to_numpy()
    check_argument(bool((out["min_share"] <= out["max_share"]).all()), name,
                   "min_share <= max_share in every row", out["term"].tolist(),
                   error=ParameterError)
    check_argument(out["term"].is_unique and bool((out["term"] != "").all()), name,
                   "unique, non-empty terms", out["term"].tolist(), error=ParameterError)
    # every share from 0 to 1 must get a word: test each bound and each gap between bounds
    bounds = np.unique(np.r_[0.0, 1.0, out["min_share"], out["max_share"]])
    probes = np.unique(np.r_[bounds, (bounds[:-1] + bounds[1:]) / 2])
    covered = np.zeros(len(probes), dtype=bool)
    for row in out.itertuples(index=False):  # a dozen reference rows
        covered |= _in_band(probes, row)
    check_argument(bool(covered.all()), name, "bands that together cover every share from 0 to 1",
                   [f"{p:g}" for p in probes[~covered]], error=ParameterError)
    return out.reset_index(drop=True)


def _in_band(p: np.ndarray, row: Any) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        lo = p >= row.min_share if row.min_inclusive else p > row.min_share
        hi = p <= row.max_share if row.max_inclusive else p < row.max_share
    return lo & hi


@lru_cache(maxsize=8)
def _read(path: str) -> pd.DataFrame:
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    return _validate(t, f"quantifier table {Path(path).name}")


def quantifier_table(path: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Estyn's words for proportions, as editable reference data.

    Parameters
    ----------
    path : str, Path or DataFrame, optional
        A CSV (or a table) with the columns below; default
        ``srb_eval/reference/estyn_quantifiers.csv``.

    Returns
    -------
    DataFrame
        One row per term, in priority order (the first band that holds a share gives
        its word): ``term``, ``min_share``, ``min_inclusive``, ``max_share``,
        ``max_inclusive`` (the band), ``sentence_form`` (how a sentence starts: "Most",
        "A majority of", "Half of the", "No"), ``estyn_meaning`` (the glossary's
        wording), ``srb_eval_rule`` (the band in words), ``source``, and the Welsh
        ``term_cy``, ``sentence_form_cy`` and ``estyn_meaning_cy`` (the English words
        where a table has none).

    Raises
    ------
    ParameterError
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
                              one in twenty (so 93% is "most")
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
        return _validate(path, "table")
    p = QUANTIFIER_FILE if path is None else Path(path)
    check_argument(p.is_file(), "path", "an existing CSV file", str(p), error=ParameterError)
    return _read(str(p.resolve())).copy()


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
    ParameterError
        Counts that are not whole numbers of 0 or more, ``count > n``, lengths that
        differ, or ``min_n`` not a whole number of 1 or more.

    Notes
    -----
    .. math:: p = \\frac{\\text{count}}{n}, \\qquad
              \\text{term} = \\text{first band of the table with }
              \\text{min} \\le p \\le \\text{max}

    (each bound inclusive or not as the table says; see :func:`quantifier_table` for the
    bands).

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
    k = whole_number(min_n, "min_n", minimum=1)
    t = quantifier_table() if table is None else _validate(table, "table")
    scalar = np.ndim(count) == 0 and np.ndim(n) == 0
    c, m = check_counts(count, "count"), check_counts(n, "n")
    check_argument(c.shape == m.shape, "n", f"the same length as count ({c.size})",
                   f"length {m.size}", error=ParameterError)
    with np.errstate(invalid="ignore"):
        over = c > m
    if over.any():
        i = int(np.flatnonzero(over)[0])
        check_argument(False, "count", "at most n", f"{c[i]:g} of {m[i]:g} at position {i}",
                       error=ParameterError)
    out = np.full(c.shape, NO_DATA, dtype=object)
    known = ~np.isnan(c) & ~np.isnan(m)
    with np.errstate(invalid="ignore"):
        judged = known & (m >= k) & (m > 0)
        p = np.where(judged, c / np.where(m > 0, m, 1.0), np.nan)
    out[known & ~judged] = TOO_FEW
    todo = judged.copy()
    for row in t.itertuples(index=False):  # a dozen bands, the first that holds wins
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
    t = quantifier_table() if table is None else _validate(table, "table")
    key = term.strip().lower() if isinstance(term, str) else None
    hit = t.loc[t["term"].str.lower() == key]
    check_argument(len(hit) == 1, "term", "one of " + ", ".join(map(repr, t["term"])), term,
                   error=ParameterError)
    return float(hit["min_share"].iloc[0]), bool(hit["min_inclusive"].iloc[0])


def _column(english: str, language: str | None) -> str:
    """The table's column of ``english`` words in ``language`` (default: the report's)."""
    code = check_language(current_language() if language is None else language)
    return english if code == LANGUAGES[0] else f"{english}_{code}"


def sentence_forms(table: pd.DataFrame | None = None, *, language: str | None = None
                   ) -> dict[str, str]:
    """How a sentence starts for each term, in ``language`` (default: the report's):
    ``{"most": "Most", "a majority": "A majority of", ...}``; in Welsh ``{"most": "Y rhan
    fwyaf o’r", "a majority": "Mwyafrif y", ...}``.

    Examples
    --------
    >>> sentence_forms()["a majority"]
    'A majority of'
    >>> sentence_forms(language="cy")["a majority"]
    'Mwyafrif y'
    """
    t = quantifier_table() if table is None else _validate(table, "table")
    return dict(zip(t["term"], t[_column("sentence_form", language)], strict=True))


def term_words(table: pd.DataFrame | None = None, *, language: str | None = None
               ) -> dict[str, str]:
    """Each term as a reader of ``language`` (default: the report's) sees it: the term
    itself in English, Estyn's Welsh word in Welsh (``{"most": "y rhan fwyaf", ...}``).
    The terms stay the keys every rule and record uses; only the word shown changes.

    Examples
    --------
    >>> term_words(language="cy")["nearly all"], term_words(language="en")["few"]
    ('bron pob un', 'few')
    """
    t = quantifier_table() if table is None else _validate(table, "table")
    return dict(zip(t["term"], t[_column("term", language)], strict=True))


# --------------------------------------------------------------------------- cells and sentences


def hidden_markers(thresholds: disclosure.Thresholds) -> tuple[str, str]:
    """The texts that stand for a hidden number under the policy: ``("<5", "[c]")``."""
    return (thresholds.small_count_text, disclosure.SUPPRESSED_TEXT)


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
        Below it (or n = 0) the quantifier is "too few to judge". Published, groups of
        fewer than ``thresholds.min_denominator`` learners are not judged either, and
        their count is hidden: "all: 5 of 5" would state a share of a small group.
    total : int, optional
        Position of the row holding the column total (the authority), which makes the
        rows a table whose totals are known to readers (secondary suppression).
    quantifier : bool, default True
        Put the Estyn word in the cell (learners); False for places.
    thresholds : disclosure.Thresholds
        The disclosure policy of a published report.
    decimals : int, default 0
        Decimal places of the percentage.

    Returns
    -------
    DataFrame
        One row per input row: ``count_text``, ``n_text``, ``pct_text`` (as
        :func:`srb_eval.report.suppression.suppress_percentages`, and ``"[c]"`` where the
        count or n is hidden), ``quantifier`` (:func:`estyn_quantifier`; "" where
        published numbers are hidden, see Notes), ``phrase`` (``"27 of 29, 93%"``;
        ``"[c]"`` when n is hidden), ``cell`` (``"most: 27 of 29 (93%)"``; "too few to
        judge", with n for internal reports; "no data" when n is 0), ``value_shown``
        (the percentage as a number where it is shown, else NaN: what a figure may draw)
        and ``judged`` (n at least ``min_n``).

    Notes
    -----
    Internal: every number as it is. Published: the rows are treated as a table with
    columns *count* and *n - count* and row totals *n*; counts from 1 to ``min_count -
    1`` are primary-suppressed and a second cell is hidden where a total would give a
    hidden one away (:func:`srb_eval.report.suppression.count_text`, with the total row
    when ``total`` is given). The phrase is then ``"<5 of 29"`` (a small count), ``"more
    than 24 of 29"`` (a small complement: the same words as
    :func:`srb_eval.report.suppression.count_with_share`, unless the bound would itself be
    a small number: ``"[c] of 8"``), ``"[c] of 29"`` (hidden to protect another cell),
    or the count, n and percentage. Percentages of fewer than ``min_denominator``
    learners are hidden.

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
    t = disclosure.check_thresholds(thresholds)
    c, m = check_counts(count, "count"), check_counts(n, "n")
    check_argument(c.shape == m.shape, "n", f"the same length as count ({c.size})",
                   f"length {m.size}", error=ParameterError)
    k = max(min_n, t.min_denominator) if published else min_n
    words = np.asarray(estyn_quantifier(c, m, min_n=k), dtype=object)
    rows = len(c)
    if total is not None:
        check_argument(isinstance(total, (int, np.integer)) and 0 <= int(total) < rows, "total",
                       f"a row position from 0 to {rows - 1}", total, error=ParameterError)
    pct = suppression.suppress_percentages(c, m, audience=audience, thresholds=t,
                                           decimals=decimals).to_numpy(dtype=object)
    rest = m - c
    if published and rows:
        # the table (count, complement; n the row total; the total row, if any, the
        # column totals), suppressed as suppression.suppress_counts does
        with np.errstate(invalid="ignore"):
            small_group = (m > 0) & (m < t.min_denominator)
        hide = np.column_stack([small_group, small_group, np.zeros(rows, dtype=bool)])
        shown = suppression.count_text(np.column_stack([c, rest, m]), t,
                                       margin_row=int(total) if total is not None and rows > 1
                                       else None, margin_col=2, hide=hide)
        count_text, rest_text, n_text = shown[:, 0], shown[:, 1], shown[:, 2]
    else:
        count_text, rest_text, n_text = (suppression.whole_text(c), suppression.whole_text(rest),
                                         suppression.whole_text(m))
    markers = hidden_markers(t)
    hidden = (np.isin(count_text, markers) | np.isin(n_text, markers)
              | np.isin(rest_text, markers))
    pct = np.where(hidden & (pct != NO_DATA), disclosure.SUPPRESSED_TEXT, pct)
    pct_shown = ~np.isin(pct, markers) & (pct != NO_DATA)
    phrase = (count_text + " of " + n_text).astype(object)
    phrase = np.where(pct_shown, phrase + ", " + pct, phrase)
    # "more than 24 of 29" says no more than "<5" would of those without the finding;
    # not when the bound would itself be a small number ("more than 3 of 8")
    more = "more than " + suppression.whole_text(m - t.min_count) + " of " + n_text
    phrase = np.where((rest_text == t.small_count_text)
                      & (count_text == disclosure.SUPPRESSED_TEXT)
                      & ~np.isin(n_text, markers) & (m - t.min_count >= t.min_count),
                      more, phrase)
    phrase = np.where(np.isin(n_text, markers), disclosure.SUPPRESSED_TEXT, phrase)
    judged = (words != TOO_FEW) & (words != NO_DATA)
    # published: a word only beside numbers that are shown (a band with n can pin a count)
    shown_word = np.where(judged & hidden, NOT_JUDGED, words) if published else words
    bracketed = np.where(pct_shown, (count_text + " of " + n_text).astype(object)
                         + " (" + pct + ")", phrase)
    cell = np.where(shown_word != NOT_JUDGED, shown_word + ": " + bracketed, bracketed) \
        if quantifier else bracketed
    few_text = np.where(np.isin(n_text, markers) | published, TOO_FEW,
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


def cell_sentence(row: Any, *, noun: str, predicate: str, forms: dict[str, str],
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS,
                  prefix: str = "") -> str:
    """One sentence from a row of :func:`share_cells` (``forms``: :func:`sentence_forms`).

    Examples
    --------
    >>> row = share_cells([3], [29], audience="published").iloc[0]
    >>> cell_sentence(row, noun="learners", predicate="were absent", forms=sentence_forms())
    'Fewer than 5 of 29 learners were absent.'
    """
    if row["quantifier"] == NO_DATA or row["n_text"] in ("0", NO_DATA):
        body = _("there is no data on how many {noun} {predicate}.").format(
            noun=noun, predicate=predicate)
    elif row["quantifier"] == TOO_FEW and (row["n_text"] == disclosure.SUPPRESSED_TEXT
                                           or row["cell"] == TOO_FEW):
        # no number where the row's cell gives none (published: never)
        body = _("there were too few {noun} to judge how many {predicate}.").format(
            noun=noun, predicate=predicate)
    elif row["quantifier"] == TOO_FEW:
        body = _("there were too few {noun} ({n}) to judge how many {predicate}.").format(
            noun=noun, n=row["n_text"], predicate=predicate)
    elif row["quantifier"] == NOT_JUDGED:  # published with a number hidden: no word
        phrase = str(row["phrase"])
        if phrase.startswith(disclosure.SUPPRESSED_TEXT):
            body = _("the number of {noun} who {predicate} is not shown (it would reveal a "
                     "small number).").format(noun=noun, predicate=predicate.removesuffix("."))
        else:
            small = re.escape(thresholds.small_count_text)
            phrase = re.sub(rf"^{small} of", f"fewer than {thresholds.min_count} of", phrase)
            body = _("{phrase} {noun} {predicate}.").format(
                phrase=phrase_words(phrase), noun=noun, predicate=predicate)
    else:
        body = _("{quantifier} {noun} ({phrase}) {predicate}.").format(
            quantifier=forms.get(row["quantifier"], "").lower(), noun=noun,
            phrase=phrase_words(str(row["phrase"])), predicate=predicate)
    text = prefix + body
    return text[:1].upper() + text[1:]


_PHRASES = (
    (re.compile(r"(?P<count>\S+) of (?P<n>\S+), (?P<percent>\S+)"),
     N_("{count} of {n}, {percent}")),
    (re.compile(r"more than (?P<count>\S+) of (?P<n>\S+)"), N_("more than {count} of {n}")),
    (re.compile(r"fewer than (?P<count>\S+) of (?P<n>\S+)"),
     N_("fewer than {count} of {n}")),
    (re.compile(r"(?P<count>\S+) of (?P<n>\S+)"), N_("{count} of {n}")),
)


def phrase_words(phrase: str) -> str:
    """A count phrase of :func:`share_cells` ("27 of 29, 93%", "more than 24 of 29",
    "fewer than 5 of 29", "[c] of 8") in the report's language."""
    if current_language() == LANGUAGES[0]:
        return phrase
    for pattern, message in _PHRASES:
        m = pattern.fullmatch(phrase)
        if m:
            return _(message).format(**m.groupdict())
    return phrase


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
        The disclosure policy of a published report.

    Returns
    -------
    str or Series of str
        - ``"<Quantifier> <noun> (<phrase>) <predicate>."``, the phrase from
          :func:`share_cells`; published with a number hidden, no quantifier:
          ``"Fewer than 5 of 29 learners ..."``, ``"More than 24 of 29 learners ..."``, or
          ``"The number of learners who ... is not shown (it would reveal a small
          number)."``;
        - ``"There were too few <noun> (3) to judge how many <predicate>."`` when
          ``n < min_n`` (published: no number, as the table's cell gives none);
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
    >>> finding_sentence(0, 3, "left with an award", audience="published", noun="leavers")
    'There were too few leavers to judge how many left with an award.'
    >>> finding_sentence(2, 3, "left with an award", audience="published", noun="leavers")
    'There were too few leavers to judge how many left with an award.'
    """
    check_argument(isinstance(predicate, str) and predicate.strip() != "", "predicate",
                   "a non-empty verb phrase", predicate, error=ParameterError)
    check_argument(isinstance(noun, str) and noun.strip() != "", "noun", "a non-empty word", noun,
                   error=ParameterError)
    scalar = np.ndim(count) == 0 and np.ndim(n) == 0
    c = np.atleast_1d(np.asarray(count, dtype=object))
    m = np.atleast_1d(np.asarray(n, dtype=object))
    check_argument(c.shape == m.shape, "n", f"the same length as count ({c.size})",
                   f"length {m.size}", error=ParameterError)
    # no total row: each row is suppressed on its own (its count, complement and n)
    cells = share_cells(c, m, audience=audience, min_n=min_n, thresholds=thresholds)
    forms = sentence_forms()
    out = [cell_sentence(row, noun=noun, predicate=predicate, forms=forms,
                         thresholds=thresholds)
           for _i, row in cells.iterrows()]  # text, one per row asked for
    if scalar:
        return out[0]
    index = count.index if isinstance(count, pd.Series) else None
    return pd.Series(out, index=index, dtype=object)
