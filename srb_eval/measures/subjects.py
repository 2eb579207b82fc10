"""Where inclusion happens: mainstream minutes and learners by SRB and subject."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import ParameterError, check_argument
from .inclusion import (
    INCLUSION_COLUMNS,
    check_by,
    check_core_subjects,
    check_table,
    core_flags,
    normalise_text,
    share_ratio,
)
from .inclusion_data import attach_srb_to_records

__all__ = ["subject_breakdown", "subject_spellings"]


def subject_spellings(subject: pd.Series) -> pd.DataFrame:
    """Each subject's key (:func:`~srb_eval.measures.inclusion.normalise_text`) and its
    display spelling: the most common spelling (surrounding spaces removed) among the
    rows with that key, ties alphabetical first.

    Returns
    -------
    DataFrame
        One row per distinct spelling in ``subject``: ``subject`` (as written), ``key``
        and ``spelling``.

    Examples
    --------
    >>> subject_spellings(pd.Series(["Art", "art ", "art", "ART"]))[["subject", "spelling"]
    ...     ].to_dict("list")
    {'subject': ['Art', 'art ', 'art', 'ART'], 'spelling': ['art', 'art', 'art', 'art']}
    """
    rows = subject.dropna().value_counts(sort=False)
    written = pd.DataFrame({"subject": rows.index.to_numpy(), "rows": rows.to_numpy()})
    written["key"] = normalise_text(written["subject"]).to_numpy()
    written["stripped"] = written["subject"].astype("str").str.strip()
    counts = written.groupby(["key", "stripped"], as_index=False)["rows"].sum()
    best = (counts.sort_values(["key", "rows", "stripped"], ascending=[True, False, True],
                               kind="stable")
            .drop_duplicates("key").set_index("key")["stripped"])
    written["spelling"] = written["key"].map(best).to_numpy()
    return written[["subject", "key", "spelling"]]


def subject_breakdown(inclusion: pd.DataFrame, placements: pd.DataFrame | None = None, *,
                      by: Sequence[str] = ("srb_id",),
                      core_subjects: Sequence[str] | None = None) -> pd.DataFrame:
    """Where inclusion happens: mainstream minutes and learners by SRB and subject.

    Parameters
    ----------
    inclusion : DataFrame
        The ``inclusion`` table (filtered to a window if wanted, see
        :func:`~srb_eval.measures.inclusion.records_in_window`). If it already has
        ``srb_id`` that is used; otherwise each record is attributed with ``placements``.
    placements : DataFrame, optional
        Needed to group by srb_id when ``inclusion`` has no srb_id column.
    by : ("srb_id",) or (), default ("srb_id",)
        Group by SRB, or ``()`` for all SRBs together.
    core_subjects : list of str, optional
        As in :func:`~srb_eval.measures.inclusion.learner_shares`: ``None`` uses the
        table's core column.

    Returns
    -------
    DataFrame
        One row per group and subject, sorted by group, core subjects first, then
        subject: the ``by`` columns; ``subject`` (display spelling); ``core`` (bool);
        ``learners_timetabled`` (learners with minutes timetabled in the subject);
        ``learners_in_mainstream`` (learners with any mainstream minutes in it);
        ``minutes_mainstream``, ``minutes_timetabled``; ``mainstream_share``
        (minutes_mainstream / minutes_timetabled, NaN when nothing was timetabled).

    Notes
    -----
    .. math:: \\text{share}_{g,\\text{subject}} =
              \\frac{\\sum m^{\\text{mainstream}}}{\\sum m^{\\text{timetabled}}}

    Subjects are grouped by their name compared case-insensitively, surrounding spaces
    removed and inner spaces collapsed (``"Maths "`` and ``"maths"`` are one subject,
    ``"Maths"`` and ``"mathematics"`` are two), and shown in their most common spelling
    in the whole table (:func:`subject_spellings`). A subject is core when most of its
    counted records are flagged core (``core_subjects=None``) or its name is in
    ``core_subjects``. Records are attributed to the SRB whose placement overlaps the
    record's own period for the most days
    (:func:`srb_eval.measures.attribution.attach_srb`); records outside any placement
    are left out of by-SRB tables. Records with missing minutes, learner or subject are
    left out.

    Examples
    --------
    >>> inc = pd.DataFrame({"learner_id": ["a", "b", "b"],
    ...     "period_start": pd.to_datetime(["2024-01-08"] * 3),
    ...     "period_end": pd.to_datetime(["2024-03-28"] * 3),
    ...     "subject": ["Art", "art ", "English"], "core": [False, False, True],
    ...     "minutes_mainstream": [60.0, 0.0, 30.0], "minutes_timetabled": [60.0, 60, 120]})
    >>> subject_breakdown(inc, by=())[["subject", "learners_in_mainstream",
    ...                                "mainstream_share"]].to_dict("list")
    {'subject': ['English', 'Art'], 'learners_in_mainstream': [1, 1], \
'mainstream_share': [0.25, 0.5]}
    """
    check_table(inclusion, "inclusion", INCLUSION_COLUMNS)
    cols = check_by(by, ("srb_id",))
    core = core_flags(inclusion, check_core_subjects(core_subjects))
    if cols and "srb_id" not in inclusion.columns:
        check_argument(placements is not None, "placements", "the placements table (to "
                       "group by srb_id)", placements, error=ParameterError)
        check_table(placements, "placements", ["learner_id", "srb_id", "start_date",
                                               "end_date"])
        srb = attach_srb_to_records(inclusion, placements)["srb_id"].array
    elif cols:
        srb = inclusion["srb_id"].astype("str").array
    spellings = subject_spellings(inclusion["subject"]).set_index("subject")
    # categories make the group-bys below work on small integer codes
    subject = inclusion["subject"].astype("category")
    records = pd.DataFrame({
        **({"srb_id": pd.Categorical(srb)} if cols else {}),
        "key": subject.map(spellings["key"]),
        "learner_id": inclusion["learner_id"].astype("category"),
        "core": core.to_numpy(),
        "minutes_mainstream": pd.to_numeric(inclusion["minutes_mainstream"]).astype(float),
        "minutes_timetabled": pd.to_numeric(inclusion["minutes_timetabled"]).astype(float)},
        copy=False)  # not stacked into one block: dropna below copies
    records = records.dropna()
    # a subject is core when most of its counted records are flagged core
    core_of_key = records.groupby("key", observed=True)["core"].mean() > 0.5
    cells = records.groupby([*cols, "key"], observed=True, sort=True)
    out = cells[["minutes_mainstream", "minutes_timetabled"]].sum()
    # a learner is counted in a cell when any of their records there has minutes above 0
    most = records.groupby([*cols, "key", "learner_id"], observed=True, sort=False)[
        ["minutes_timetabled", "minutes_mainstream"]].max()
    learners = (most > 0).groupby(level=[*cols, "key"], observed=True).sum()
    out["learners_timetabled"] = learners["minutes_timetabled"]
    out["learners_in_mainstream"] = learners["minutes_mainstream"]
    out = out.reset_index().astype({"key": "str"})
    out["core"] = out["key"].map(core_of_key).astype(bool)
    out["subject"] = out["key"].map(spellings.drop_duplicates("key").set_index("key")[
        "spelling"]).astype("str")
    out["mainstream_share"] = share_ratio(out["minutes_mainstream"], out["minutes_timetabled"])
    out["_not_core"] = ~out["core"]
    out = out.sort_values([*cols, "_not_core", "key"], kind="stable")
    out = out[[*cols, "subject", "core", "learners_timetabled", "learners_in_mainstream",
               "minutes_mainstream", "minutes_timetabled", "mainstream_share"]]
    out[["learners_timetabled", "learners_in_mainstream"]] = out[
        ["learners_timetabled", "learners_in_mainstream"]].fillna(0).astype("int64")
    if cols:
        out["srb_id"] = out["srb_id"].astype("str")
    return out.reset_index(drop=True)
