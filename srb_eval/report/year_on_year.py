"""The change in every outcome measure from a comparison year, and how a report shows it.

:func:`year_on_year` compares two years of
:func:`srb_eval.measures.outcomes.outcome_measures` where both can be judged;
:func:`display_year_on_year` gives the authority-wide rows as text for the report's
audience (a value hidden in the SRB table stays hidden here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..measures.wellbeing import EXCLUSIONS_PER
from . import disclosure
from .outcome_populations import measures_record
from .outcomes import SECTIONS, display_measures, measure_words
from .quantifiers import NO_DATA, TOO_FEW
from .table_records import combine_records

__all__ = ["change_text", "display_year_on_year", "summary_record", "year_on_year"]


def year_on_year(current: pd.DataFrame, comparison: pd.DataFrame | None) -> pd.DataFrame:
    """Change in every measure from a comparison year, where both years can be judged.

    Parameters
    ----------
    current, comparison : DataFrame
        :func:`srb_eval.measures.outcomes.outcome_measures` of the two years
        (``comparison`` may be None or empty).

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

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> year_on_year(res.measures, None)["direction"].unique().tolist()
    ['no comparison data']
    """
    keys = ["measure", "group_type", "group"]
    cur = measure_words(current)
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
    why = np.where(np.isnan(pv), "no comparison data", TOO_FEW)
    m["change"] = change
    m["comparison_value"] = pv
    m["direction"] = np.where(both, direction, why)
    return m[["section", "measure", "label", "unit", "better", "group_type", "group",
              "group_label", "value", "comparison_value", "change", "direction"]]


def change_text(change: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """ "+5 points", "-1.2 per 100", "no change" (rounded half away from zero; shares in
    whole points, attendance and rates to one decimal).

    Examples
    --------
    >>> change_text(np.array([4.6, -1.25, 0.2]), np.array(["learners", "per_100",
    ...                                                     "learners"])).tolist()
    ['+5 points', '-1.3 per 100', 'no change']
    """
    one = np.isin(unit, ["sessions", "per_100"])
    scale = np.where(one, 10.0, 1.0)
    r = np.sign(change) * np.floor(np.abs(np.nan_to_num(change)) * scale + 0.5) / scale
    text = np.where(one, np.char.mod("%+.1f", r), np.char.mod("%+.0f", r)).astype(object)
    text = text + np.where(unit == "per_100", f" per {EXCLUSIONS_PER}",
                           np.where(np.abs(r) == 1, " point", " points"))
    return np.where(r == 0, "no change", text).astype(object)


def display_year_on_year(current: pd.DataFrame, comparison: pd.DataFrame | None, *,
                         audience: str, min_n: int = 5,
                         thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS,
                         current_display: pd.DataFrame | None = None) -> pd.DataFrame:
    """The authority-wide measures of two years side by side, with the change, as text.

    ``current_display``: ``display_measures(current, group_type="srb_id", ...)`` already
    computed with the same ``audience``, ``min_n`` and ``thresholds`` (None: computed
    here).

    Returns
    -------
    DataFrame
        One row per measure: ``section``, ``measure`` (the label), ``this_year`` and
        ``comparison_year`` (cells of :func:`display_measures`, the authority as the total
        row of the SRB table, so a value hidden there is hidden here), ``change`` ("+5
        points", "-1.2 per 100"; "[c]" when either value is hidden; "no comparison
        data"; "too few to judge"), ``direction`` and the numbers a figure may draw:
        ``value_shown``, ``comparison_shown``.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.measures.outcomes import evaluate
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> res = evaluate(load_dataset(PROJECT_ROOT / "tests/data/minimal"),
    ...                academic_year="2022/23", min_n=1)
    >>> t = display_year_on_year(res.measures, None, audience="internal", min_n=1)
    >>> t.loc[0, ["measure", "this_year", "change"]].tolist()
    ['at least expected progress: literacy', 'half: 1 of 2 (50%)', 'no comparison data']
    """
    def authority(m: pd.DataFrame, d: pd.DataFrame | None = None) -> pd.DataFrame:
        if d is None:
            d = display_measures(m, group_type="srb_id", audience=audience, min_n=min_n,
                                 thresholds=thresholds)
        return d.loc[d["group_type"] == "authority"].set_index("measure")

    cur = authority(current, current_display)
    prev = authority(comparison) if comparison is not None and len(comparison) else None
    def authority_rows(m: pd.DataFrame) -> pd.DataFrame:  # year_on_year works row by row
        return m.loc[(m["group_type"] == "authority").to_numpy()]

    yoy = year_on_year(authority_rows(current), None if comparison is None else
                       authority_rows(comparison)).set_index(["measure", "group_type"]).xs(
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
    shown = cur["value_shown"].astype(float).notna().to_numpy() & ps.notna().to_numpy()
    text = change_text(ch, cur["unit"].to_numpy())
    direction = yoy["direction"].reindex(cur.index).fillna("no comparison data").to_numpy(
        dtype=object)
    has = ~np.isnan(ch)
    out["change"] = np.where(has & shown, text, np.where(has, disclosure.SUPPRESSED_TEXT,
                                                           direction))
    out["direction"] = np.where(has & shown, direction, np.where(
        has, disclosure.SUPPRESSED_TEXT, ""))
    out["value_shown"] = cur["value_shown"].astype(float)
    out["comparison_shown"] = ps.where(shown).to_numpy()
    return out.reset_index(drop=True)


def summary_record(summary: pd.DataFrame, current: pd.DataFrame, *, academic_year: str,
                   comparison: tuple[pd.DataFrame, str] | None = None,
                   thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS) -> dict:
    """The disclosure record of the year-on-year table (:func:`display_year_on_year`).

    Its ``this_year`` and ``comparison_year`` cells are authority-wide measure cells
    (:func:`srb_eval.report.outcome_populations.measures_record`) of ``academic_year`` and of the
    comparison year: ``current`` and ``comparison[0]`` are :func:`display_measures` of
    each (their authority rows are used), ``comparison[1]`` the comparison year. The
    changes are differences of percentages, not counts.
    """
    def authority(d: pd.DataFrame) -> pd.DataFrame:
        return d.loc[d["group_type"] == "authority"]

    recs = [measures_record(authority(current), summary, table="summary",
                            academic_year=academic_year, rows="label", row_column="measure",
                            column="this_year", thresholds=thresholds)]
    if comparison is not None:
        recs.append(measures_record(authority(comparison[0]), summary, table="summary",
                                    academic_year=comparison[1], rows="label",
                                    row_column="measure", column="comparison_year",
                                    thresholds=thresholds))
    return combine_records(recs)
