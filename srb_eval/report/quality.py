"""Words and tables of the data-quality report (notebook 00).

The measures are :func:`srb_eval.measures.quality.table_summary` and
:func:`~srb_eval.measures.quality.coverage`; this module decides what each audience sees
and says it in plain words (in the report's language, :mod:`srb_eval.report.i18n`), with
every number from the data or the disclosure policy.
"""

from __future__ import annotations

import pandas as pd

from ..data.io import problems_frame
from ..errors import Problem
from .disclosure import DEFAULT_THRESHOLDS, NO_DATA_TEXT, Thresholds, check_audience
from .i18n import N_, ngettext, translated_table
from .i18n import gettext as _
from .notebook import NO_DATA

#: The headers of the report's tables (plain headers of the measures' columns), marked
#: for the catalogue: :func:`display_table` shows them in the report's language.
HEADERS = (N_("table"), N_("required"), N_("supplied"), N_("rows"), N_("learners"),
           N_("first date"), N_("last date"), N_("resource base"),
           N_("resource base name"), N_("with baseline"), N_("with follow up"),
           N_("with inclusion"), N_("with targets"), N_("with attendance"),
           N_("without baseline"), N_("without inclusion"), N_("without targets"),
           N_("file"), N_("row"), N_("column"), N_("value"), N_("rule"), N_("cells"))
#: The name of the coverage table's total row (``srb_name`` of the row ``all``).
ALL_SRBS = N_("All SRBs")


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """A table of the report as a reader sees it: headers in the report's language, the
    coverage table's total row named in it ("All SRBs"), and the "no data" a disclosure
    table writes in a cell said in it too. Names from the data (tables, resource bases)
    are shown as given."""
    out = table.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].replace(NO_DATA_TEXT, _(NO_DATA))
    if "srb_name" in out.columns and "srb_id" in out.columns:
        total = out["srb_id"].astype("str").eq("all").to_numpy()
        if total.any():
            out = out.assign(srb_name=out["srb_name"].astype(object).where(~total,
                                                                             _(ALL_SRBS)))
    return translated_table(out)


def problems_heading(problems: list[Problem]) -> str:
    """``"## The dataset has 3 problems to fix ..."``, or the all-clear heading."""
    n = len(problems)
    if not n:
        return "## " + _("The dataset passed every check")
    return "## " + ngettext("The dataset has {n} problem to fix before it can be evaluated",
                            "The dataset has {n} problems to fix before it can be evaluated",
                            n).format(n=n)


def display_problems(problems: list[Problem], *, audience: str) -> tuple[str, pd.DataFrame]:
    """The note and table of problems a reader sees.

    Internal: every problem with its file, row, column, value and rule. Published: no
    values (a value may be a learner's record), only how many cells break each rule in
    each column of each file.

    Examples
    --------
    >>> p = [Problem("learners.csv", 2, "sex", "Q", "unknown code"),
    ...      Problem("learners.csv", 3, "sex", "Z", "unknown code")]
    >>> note, table = display_problems(p, audience="published")
    >>> table.values.tolist()
    [['learners.csv', 'sex', 'unknown code', 2]]
    """
    table = problems_frame(problems)
    if check_audience(audience) == "internal":
        return "", table
    table = (table.groupby(["file", "column", "rule"], as_index=False)
             .size().rename(columns={"size": "cells"}))
    return _("Values are not shown to a published audience; counts of cells affected by "
             "each rule:"), table


def coverage_sentence(coverage: pd.DataFrame, *, audience: str,
                      thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """What the coverage table says, for the audience.

    Internal: the counts of the ``all`` row in words. Published: how small numbers are
    protected, from the disclosure policy's own thresholds.

    Examples
    --------
    >>> cov = pd.DataFrame({"learners": [9], "with_baseline": [8], "with_follow_up": [6],
    ...                     "without_inclusion": [2], "without_targets": [1]})
    >>> coverage_sentence(cov, audience="published")[:40]
    "Counts below 5 are shown as '<5' and a s"
    """
    if check_audience(audience) == "published":
        return _("Counts below {min_count} are shown as '{small}' and a second cell is "
                 "hidden where needed so that a hidden count cannot be worked out from the "
                 "totals.").format(min_count=thresholds.min_count,
                                   small=thresholds.small_count_text)
    row = coverage.iloc[-1]
    return _("Of {learners} learners placed in an SRB, {with_baseline} have at least one "
             "assessment during their placement (a baseline) and {with_follow_up} have two "
             "or more (a baseline and a follow-up); {without_inclusion} have no inclusion "
             "records and {without_targets} have no IDP targets.").format(
                 learners=row.learners, with_baseline=row.with_baseline,
                 with_follow_up=row.with_follow_up, without_inclusion=row.without_inclusion,
                 without_targets=row.without_targets)


def missing_tables_sentence(summary: pd.DataFrame) -> str:
    """Which optional tables were not supplied (from ``table_summary``)."""
    missing = summary.loc[~summary["supplied"], "table"].tolist()
    if not missing:
        return _("All {n} tables were supplied.").format(n=len(summary))
    return _("Optional tables not supplied (the reports that need them will say so and "
             "skip those sections): {tables}.").format(tables=", ".join(missing))
