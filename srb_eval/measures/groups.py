"""The breakdowns of an outcome measure: the authority, each SRB and each primary need.

Estyn asked authorities to know "which groups are progressing well" (*Joining in*, 2008,
recommendation R5), so every outcome measure is given for all SRBs together, for each SRB
and for each group of learners by primary need. The functions here build those groups
the same way for every measure:

- :func:`authority_name`, :func:`authority_dataset`: the authority a report is about,
  and the dataset restricted to its SRBs;
- :func:`with_needs` adds each learner's primary need ("not recorded" when missing);
- :func:`stack_groups` makes one copy of a frame per breakdown, labelled
  ``group_type`` ("authority", "srb_id", "primary_need") and ``group``;
- :func:`complete_groups` lists every group a table shows (every SRB, even one with no
  learner in the year) in report order, with zero counts where nothing was observed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..data import schema as S
from ..errors import ParameterError, check_argument
from ..params import SchoolYear

__all__ = [
    "ALL",
    "BY",
    "GROUP_TYPES",
    "NOT_RECORDED",
    "authority_dataset",
    "authority_name",
    "check_by",
    "complete_groups",
    "group_index",
    "in_year",
    "learner_needs",
    "srb_order",
    "stack_groups",
    "with_needs",
]

#: Group label of the authority-wide rows (all resource bases together).
ALL = "all SRBs"
#: Group label for a missing primary need or SRB.
NOT_RECORDED = "not recorded"
#: The breakdowns of every measure besides the authority: by SRB and by primary need (R5).
BY: tuple[str, ...] = ("srb_id", "primary_need")
#: Every breakdown, the authority first.
GROUP_TYPES: tuple[str, ...] = ("authority", *BY)


def check_by(by: object) -> list[str]:
    """The breakdowns asked for, checked: a list from :data:`BY` without repeats.

    Examples
    --------
    >>> check_by("srb_id")
    ['srb_id']
    """
    keys = [by] if isinstance(by, str) else list(by)  # type: ignore[call-overload]
    check_argument(all(k in BY for k in keys) and len(set(keys)) == len(keys), "by",
                   "a list from " + ", ".join(map(repr, BY)), by, error=ParameterError)
    return keys


def in_year(dates: pd.Series, year: SchoolYear) -> pd.Series:
    """Whether each date falls in the school year (1 September to 31 August, inclusive);
    a missing date does not.

    Examples
    --------
    >>> from srb_eval.params import school_year
    >>> in_year(pd.Series(pd.to_datetime(["2025-08-31", "2025-09-01", None])),
    ...         school_year("2025/26")).tolist()
    [False, True, False]
    """
    d = pd.to_datetime(dates)
    return ((d >= year.start) & (d <= year.end)).fillna(False).astype(bool)


def learner_needs(ds: Any) -> pd.DataFrame:
    """``learner_id`` and ``primary_need`` of each learner (text; "not recorded" when
    missing)."""
    lr = ds.learners[["learner_id", "primary_need"]].drop_duplicates("learner_id")
    return pd.DataFrame({"learner_id": lr["learner_id"].astype("str").array,
                         "primary_need": lr["primary_need"].astype("str").fillna(
                             NOT_RECORDED).array})


def with_needs(frame: pd.DataFrame, ds: Any) -> pd.DataFrame:
    """``frame`` (with a text ``learner_id``) and each learner's ``primary_need``; a
    learner missing from the learners table reads "not recorded"."""
    out = frame.merge(learner_needs(ds), on="learner_id", how="left")
    out["primary_need"] = out["primary_need"].fillna(NOT_RECORDED)
    return out


def srb_order(ds: Any) -> list[str]:
    """The SRB ids in the order of the ``srbs`` table (the order every table shows)."""
    return list(dict.fromkeys(ds.srbs["srb_id"].astype("str")))


def stack_groups(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """One copy of ``frame`` per breakdown: the authority (``group`` :data:`ALL`), then one
    per column of ``by`` (``group`` its value as text; "not recorded" when missing).

    Examples
    --------
    >>> f = pd.DataFrame({"learner_id": ["L1", "L2"], "srb_id": ["A", None]})
    >>> stack_groups(f, ["srb_id"])[["group_type", "group"]].values.tolist()
    [['authority', 'all SRBs'], ['authority', 'all SRBs'], ['srb_id', 'A'], \
['srb_id', 'not recorded']]
    """
    parts = [frame.assign(group_type="authority", group=ALL)]
    for col in by:
        parts.append(frame.assign(group_type=col, group=frame[col].astype("str").fillna(
            NOT_RECORDED).array))
    return pd.concat(parts, ignore_index=True)


def group_index(by: Sequence[str], srb_ids: Sequence[str], observed: pd.DataFrame
                ) -> pd.MultiIndex:
    """Every group a table shows: the authority, every SRB of ``srb_ids`` (then any other
    observed, sorted), every need observed (in the order of the needs vocabulary, then
    any other, sorted)."""
    rows = [("authority", ALL)]
    for col in by:
        seen = set(observed.loc[observed["group_type"] == col, "group"].astype("str"))
        if col == "srb_id":
            values = list(srb_ids) + sorted(seen - set(srb_ids))
        else:
            values = [x for x in S.NEEDS if x in seen] + sorted(seen - set(S.NEEDS))
        rows += [(col, v) for v in values]
    return pd.MultiIndex.from_tuples(rows, names=["group_type", "group"])


def complete_groups(agg: pd.DataFrame, by: Sequence[str], srb_ids: Sequence[str],
                    counts: Sequence[str]) -> pd.DataFrame:
    """A (``group_type``, ``group``)-indexed aggregate on every group of
    :func:`group_index`, in that order; missing ``counts`` are 0."""
    observed = agg.index.to_frame(index=False) if len(agg) else pd.DataFrame(
        {"group_type": pd.Series(dtype="str"), "group": pd.Series(dtype="str")})
    out = agg.reindex(group_index(by, srb_ids, observed))
    for c in counts:
        out[c] = out[c].fillna(0).astype("int64")
    return out.reset_index()


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

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> authority_name(ds), authority_name(ds, " test la ")
    ('Test LA', 'Test LA')
    """
    names = ds.srbs["local_authority"].dropna().astype("str").str.strip()
    known = list(dict.fromkeys(names))
    if local_authority is None:
        if not known:
            return "the local authority"
        return known[0] if len(known) == 1 else ", ".join(known[:-1]) + " and " + known[-1]
    ok = isinstance(local_authority, str) and local_authority.strip().lower() in {
        k.lower() for k in known}
    check_argument(ok, "local_authority", f"None or one of {known!r}", local_authority,
                   error=ParameterError)
    return next(k for k in known if k.lower() == local_authority.strip().lower())


def authority_dataset(ds: Any, local_authority: str | None = None) -> Any:
    """The dataset restricted to one authority's SRBs, their placements and learners.

    ``None`` (or an authority that holds every SRB) returns ``ds`` itself. Learner-level
    tables keep the learners with a placement in those SRBs.
    """
    if local_authority is None:
        return ds
    name = authority_name(ds, local_authority)
    keep = ds.srbs["local_authority"].astype("str").str.strip().str.lower() == name.lower()
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
