"""Disclosure records of the tables a published report shows, for the audit.

A published report writes, beside each result table it records, what every count cell of
that table shows and which cells add up to which (the record format of
:mod:`srb_eval.report.audit`). ``srb-eval render`` audits the records of all published
reports of a render together, and ``srb-eval audit RENDERED_DIR`` does the same for a
folder received from someone else.

A table is described by the *measure* its counts are of (a population of learners, named
with the parameters that define it, so that two reports count the same learners under
the same name), the columns whose values are categories of a dim (``srb_id``, ``phase``),
and for each count column the categories it fixes (``"rising"`` fixes ``trend``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..errors import check_argument
from .audit import RECORD_FORMAT, Partition, check_record
from .disclosure import SUPPRESSED_TEXT, Thresholds, check_thresholds

__all__ = ["TOTAL", "combine_records", "known_phase_zeros", "measure_name", "table_record"]

#: The category that stands for "all" in a record (a dim set to it is not fixed).
TOTAL = "All"


def table_record(shown: pd.DataFrame, *, report: str, table: str, measure: str,
                 row_dims: Mapping[str, str], columns: Mapping[str, Mapping[str, str]],
                 partitions: Sequence[Partition], thresholds: Thresholds,
                 ratios: Mapping[str, tuple[str, str]] | None = None,
                 total_labels: Sequence[str] = ("all",),
                 known_zeros: Sequence[Mapping[str, str]] = (),
                 fixed: Mapping[str, str] | None = None) -> dict:
    """The disclosure record of one displayed table.

    Parameters
    ----------
    shown : pandas.DataFrame
        The table as published (text cells: ``"12"``, ``"<5"``, ``"[c]"``, ``"40%"``),
        with its original column names.
    report, table : str
        The report's name (as rendered) and the table's (as recorded).
    measure : str
        The population the counts are of, named with what defines it.
    row_dims : dict of str to str
        ``{column of shown: dim}``: columns holding a category of a dim in each row
        (a value in ``total_labels`` means the row is a total over that dim).
    columns : dict of str to dict
        ``{count column: {dim: category}}``: the categories each count column fixes
        (``{}`` for a column counting the whole row, e.g. ``n``).
    partitions : list of Partition
        The complete list of categories of every dim used.
    thresholds : Thresholds
        The policy the table was published under.
    ratios : dict of str to (str, str), optional
        ``{percentage column: (numerator column, denominator column)}``.
    total_labels : sequence of str, default ("all",)
        Row values that mean "all categories".
    known_zeros : sequence of dict, optional
        Keys (dims to categories) a reader knows to be empty, e.g. learners with one
        period whose trend is "rising": recorded as cells showing ``"0"``.
    fixed : dict of str to str, optional
        Dims fixed for the whole table (e.g. the SRB of a per-SRB report).

    Returns
    -------
    dict
        A record that :func:`srb_eval.report.audit.check_record` accepts.

    Examples
    --------
    >>> from srb_eval.report.disclosure import Thresholds
    >>> shown = pd.DataFrame({"srb_id": ["SRB04", "all"], "n": ["19", "40"],
    ...                       "falling": ["<5", "[c]"]})
    >>> r = table_record(shown, report="r", table="t", measure="learners",
    ...                  row_dims={"srb_id": "srb_id"}, columns={"n": {}, "falling": {
    ...                      "trend": "falling"}}, partitions=[], thresholds=Thresholds())
    >>> [(c["dims"], c["text"]) for c in r["cells"]][:2]
    [({'srb_id': 'SRB04'}, '19'), ({'srb_id': 'SRB04', 'trend': 'falling'}, '<5')]
    """
    t = check_thresholds(thresholds)
    for c in [*row_dims, *columns, *(ratios or {})]:
        check_argument(c in shown.columns, "columns", "columns of the shown table", c)
    totals = {str(x) for x in total_labels}
    base = {str(d): str(v) for d, v in (fixed or {}).items()}

    def dims_of(row: Mapping[str, object], column: str) -> dict[str, str]:
        dims = dict(base)
        for col, dim in row_dims.items():
            v = str(row[col])
            dims[dim] = TOTAL if v in totals else v
        dims.update({str(d): str(v) for d, v in columns[column].items()})
        return dims

    cells, rats = [], []
    for i, row in enumerate(shown.to_dict("records")):
        for c in columns:
            cells.append({"table": table, "row": i, "column": str(c), "measure": measure,
                          "dims": dims_of(row, c), "text": str(row[c])})
        for pct, (num, den) in (ratios or {}).items():
            rats.append({"table": table, "row": i, "column": str(pct),
                         "text": str(row[pct]), "decimals": _decimals(str(row[pct])),
                         "numerator": {"measure": measure, "dims": dims_of(row, num)},
                         "denominator": {"measure": measure, "dims": dims_of(row, den)}})
    for j, dims in enumerate(known_zeros):
        cells.append({"table": f"{table} (known to be empty)", "row": j, "column": "count",
                      "measure": measure, "dims": {**base, **{str(d): str(v) for d, v
                                                               in dims.items()}},
                      "text": "0"})
    return check_record({
        "format": RECORD_FORMAT, "report": report,
        "policy": {"min_count": t.min_count, "round_to": t.round_to,
                   "small_count_text": t.small_count_text,
                   "suppressed_text": SUPPRESSED_TEXT},
        "cells": cells, "partitions": list(partitions), "ratios": rats})


def _decimals(text: str) -> int:
    """Decimal places of a shown percentage ("40%" 0, "40.5%" 1)."""
    number = text.rstrip("%")
    return len(number.split(".", 1)[1]) if "." in number else 0


def combine_records(records: Sequence[Mapping]) -> dict:
    """One record holding the cells, partitions, ratios and sums of several records of a
    table.

    A table whose columns count different populations (learners on roll and learners
    awaiting a start) is recorded one measure at a time with :func:`table_record`; this
    joins them (partitions stated twice are kept once). The records must share a policy.

    Examples
    --------
    >>> from srb_eval.report.disclosure import Thresholds
    >>> shown = pd.DataFrame({"g": ["a", "all"], "x": ["6", "9"], "y": ["<5", "<5"]})
    >>> recs = [table_record(shown, report="r", table="t", measure=m, row_dims={"g": "g"},
    ...                      columns={c: {}}, partitions=[], thresholds=Thresholds())
    ...         for m, c in (("mx", "x"), ("my", "y"))]
    >>> [c["measure"] for c in combine_records(recs)["cells"]]
    ['mx', 'mx', 'my', 'my']
    """
    check_argument(len(records) > 0, "records", "at least one record", len(records))
    recs = [check_record(r) for r in records]
    check_argument(all(r["policy"] == recs[0]["policy"] for r in recs), "records",
                   "records under one policy", [r["policy"] for r in recs])
    parts: dict[tuple[str, str], dict] = {}
    for r in recs:
        for p in r["partitions"]:
            parts.setdefault((p["measure"], p["dim"]), p)
    sums = [q for r in recs for q in r.get("sums", [])]
    return check_record({**recs[0], "cells": [c for r in recs for c in r["cells"]],
                         "partitions": list(parts.values()),
                         "ratios": [q for r in recs for q in r["ratios"]],
                         **({"sums": sums} if sums else {})})


def known_phase_zeros(srb_phase: Mapping[str, str], phases: Sequence[str]
                      ) -> list[dict[str, str]]:
    """The keys a reader knows to be empty: an SRB's learners in any other phase.

    Recorded as known zeros (``known_zeros`` of :func:`table_record`) beside a partition
    of the measure by ``phase`` and by ``srb_id``, they say that each phase is the sum
    of its SRBs, so a table by SRB and a table by phase are audited together.

    Examples
    --------
    >>> known_phase_zeros({"S1": "primary"}, ["primary", "secondary"])
    [{'srb_id': 'S1', 'phase': 'secondary'}]
    """
    return [{"srb_id": str(s), "phase": str(q)} for s, p in srb_phase.items()
            for q in phases if str(q) != str(p)]


def measure_name(population: str, *window: object) -> str:
    """A measure's name: the population counted and the day, year or window defining it.

    Dates are written ``YYYY-MM-DD``; a school year as given (``"2024/25"``); two parts
    are a window (``from_to_until``). Reports counting the same learners name them with
    this, so their records are audited together.

    Examples
    --------
    >>> measure_name("learners_on_roll", pd.Timestamp("2025-10-01"))
    'learners_on_roll_2025-10-01'
    >>> measure_name("placements_ended", "2022-09-01", pd.Timestamp("2025-10-01"))
    'placements_ended_2022-09-01_to_2025-10-01'
    >>> measure_name("placements_ended", "2024/25")
    'placements_ended_2024/25'
    """
    def part(x: object) -> str:
        if isinstance(x, str) and "/" in x:
            return x
        return f"{pd.Timestamp(x):%Y-%m-%d}"

    check_argument(isinstance(population, str) and population != "" and len(window) in (1, 2),
                   "window", "a population and one day or year, or two days", window)
    return population + "_" + "_to_".join(part(x) for x in window)
