"""Words and tables of the data-quality report (notebook 00).

The measures are :func:`srb_eval.measures.quality.table_summary` and
:func:`~srb_eval.measures.quality.coverage`; this module decides what each audience sees
and says it in plain English, with every number from the data or the disclosure policy.
"""

from __future__ import annotations

import pandas as pd

from ..data.io import problems_frame
from ..errors import Problem
from .disclosure import DEFAULT_THRESHOLDS, Thresholds, check_audience


def problems_heading(problems: list[Problem]) -> str:
    """``"## The dataset has 3 problems to fix ..."``, or the all-clear heading."""
    n = len(problems)
    if not n:
        return "## The dataset passed every check"
    return f"## The dataset has {n} problem{'s' if n != 1 else ''} to fix before it can be evaluated"


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
    return ("Values are not shown to a published audience; counts of cells affected by "
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
        return (f"Counts below {thresholds.min_count} are shown as "
                f"'{thresholds.small_count_text}' and a second cell is hidden where needed "
                "so that a hidden count cannot be worked out from the totals.")
    row = coverage.iloc[-1]
    return (f"Of {row.learners} learners placed in an SRB, {row.with_baseline} have at "
            f"least one assessment during their placement (a baseline) and "
            f"{row.with_follow_up} have two or more (a baseline and a follow-up); "
            f"{row.without_inclusion} have no inclusion records and "
            f"{row.without_targets} have no IDP targets.")


def missing_tables_sentence(summary: pd.DataFrame) -> str:
    """Which optional tables were not supplied (from ``table_summary``)."""
    missing = summary.loc[~summary["supplied"], "table"].tolist()
    if not missing:
        return f"All {len(summary)} tables were supplied."
    return ("Optional tables not supplied (the reports that need them will say so and skip "
            "those sections): " + ", ".join(missing) + ".")
