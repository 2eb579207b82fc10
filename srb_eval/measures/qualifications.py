"""Qualifications: awards at 14-16 and post-16, and leavers who left with an award.

Estyn's "standards and progress" include the qualifications learners in resource bases
gain (*Joining in*, 2008, paragraph 24). Recorded qualification names and levels are
free text, so they are first normalised: :func:`qualification_family` (Entry Level,
Essential Skills Wales, GCSE, ASDAN, OCN, BTEC, Welsh Baccalaureate, other) and
:func:`qualification_level` (Entry 1-3, Level 1-3). :func:`award_records` gives every
award with its family, level and stage; :func:`qualification_awards` counts the year's
accredited awards and :func:`leaver_awards` the leavers who left with at least one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..params import SchoolYear, school_year, whole_number

# the public measure of another family, through its module as it is today
from .calendar import year_group
from .groups import (
    BY,
    NOT_RECORDED,
    check_by,
    complete_groups,
    in_year,
    srb_order,
    stack_groups,
    with_needs,
)

__all__ = [
    "KEY_STAGE_4_FROM_YEAR",
    "LEAVER_YEAR_GROUP",
    "LEVELS",
    "NOT_AWARDED",
    "POST_16_FROM_YEAR",
    "QUALIFICATION_FAMILIES",
    "QUALIFICATION_OTHER",
    "STAGES",
    "award_records",
    "leaver_awards",
    "qualification_awards",
    "qualification_family",
    "qualification_level",
]

#: Qualification families and the patterns that map a recorded qualification name onto
#: them (case-insensitive regular expressions, tried in this order; the first match wins;
#: anything else is "Other"). Essential Skills Wales comes before Entry Level because
#: its awards are also at Entry levels.
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
#: Levels in display order (:func:`qualification_level`).
LEVELS: tuple[str, ...] = ("Entry 1", "Entry 2", "Entry 3", "Level 1", "Level 2", "Level 3",
                           NOT_RECORDED)
#: Grades that mean no award was made (compared case-insensitively).
NOT_AWARDED: frozenset[str] = frozenset({
    "u", "unclassified", "ungraded", "fail", "failed", "not achieved", "not yet achieved",
    "x", "absent", "withdrawn", "pending", "no award",
})
#: GCSE grades at Level 2 and Level 1 (Qualifications Wales / Ofqual levels of grades).
GCSE_LEVEL_2 = frozenset({"a*", "a", "b", "c", "9", "8", "7", "6", "5", "4"})
GCSE_LEVEL_1 = frozenset({"d", "e", "f", "g", "3", "2", "1"})
#: Leavers in this National Curriculum year group or above on their last day are counted
#: by :func:`leaver_awards` (Year 11: the end of compulsory education).
LEAVER_YEAR_GROUP = 11
#: Stages of education for qualifications (by National Curriculum year group at award):
#: 14-16 (key stage 4) from Year 10, post-16 from Year 12.
STAGES: tuple[str, ...] = ("14-16", "post-16", "under 14")
KEY_STAGE_4_FROM_YEAR = 10
POST_16_FROM_YEAR = 12


def _text(values: Any) -> pd.Series:
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    return s.astype("str").fillna("").str.strip().str.lower()


def qualification_family(names: Any) -> pd.Series:
    """Normalise recorded qualification names to families (:data:`QUALIFICATION_FAMILIES`).

    Examples
    --------
    >>> qualification_family(["WJEC Entry Level Certificate", "GCSE Maths",
    ...     "Essential Skills Wales: Application of Number", "Agored Cymru unit",
    ...     "ASDAN CoPE", "Duke of Edinburgh", None]).tolist()
    ['Entry Level', 'GCSE', 'Essential Skills Wales', 'OCN', 'ASDAN', 'Other', 'Other']
    """
    text = _text(names)
    names_seen = pd.Series(text.unique(), dtype="str")  # each distinct name matched once
    family = pd.Series(QUALIFICATION_OTHER, index=names_seen.index, dtype="str")
    todo = pd.Series(True, index=names_seen.index)
    for name, pattern in QUALIFICATION_FAMILIES.items():  # seven families, first match wins
        hit = todo & names_seen.str.contains(pattern, regex=True)
        family[hit] = name
        todo &= ~hit
    return text.map(dict(zip(names_seen, family, strict=True))).astype("str")


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
    text = _text(levels)
    seen = pd.Series(text.unique(), dtype="str")  # each distinct level text read once
    read = pd.Series(NOT_RECORDED, index=seen.index, dtype="str")
    entry = seen.str.extract(r"(?:\bentry\s*(?:level\s*)?|\be)([1-3])\b", expand=False)
    level = seen.str.extract(r"(?:\blevel\s*|\bl)([1-3])\b", expand=False)
    read[level.notna()] = "Level " + level[level.notna()]
    read[entry.notna()] = "Entry " + entry[entry.notna()]
    out = text.map(dict(zip(seen, read, strict=True))).astype("str")
    if families is not None and grades is not None:
        fam = pd.Series(np.asarray(families, dtype=object), index=text.index).astype("str")
        g = _text(pd.Series(np.asarray(grades, dtype=object), index=text.index))
        gcse = (fam == "GCSE") & (out == NOT_RECORDED)
        out[gcse & g.isin(GCSE_LEVEL_2)] = "Level 2"
        out[gcse & g.isin(GCSE_LEVEL_1)] = "Level 1"
    return out


def award_records(ds: Any) -> pd.DataFrame:
    """Every recorded award: ``learner_id``, ``award_date``, ``family``, ``level``,
    ``stage`` ("14-16", "post-16", "under 14", or "not recorded" without a birth month)
    and ``accredited`` (False for a grade of :data:`NOT_AWARDED`).

    The stage is the National Curriculum year group on the award date
    (:func:`srb_eval.measures.calendar.year_group`): Years 10-11 are 14-16 (key stage 4), Year 12
    and over post-16.
    """
    q = ds.qualifications
    family = qualification_family(q["qualification"])
    grade = q["grade"] if "grade" in q.columns else pd.Series(None, index=q.index)
    level = qualification_level(q["level"] if "level" in q.columns else
                                pd.Series(None, index=q.index), families=family,
                                grades=grade)
    learner_id = q["learner_id"].astype("str")
    lr = ds.learners.drop_duplicates("learner_id")
    birth = learner_id.map(pd.Series(lr["birth_month"].to_numpy(),
                                     index=lr["learner_id"].astype("str")))
    award_date = pd.to_datetime(q["award_date"])
    yg = year_group(pd.to_datetime(birth), award_date)
    stage = np.where(yg >= POST_16_FROM_YEAR, "post-16",
                     np.where(yg >= KEY_STAGE_4_FROM_YEAR, "14-16", "under 14"))
    return pd.DataFrame({
        "learner_id": learner_id.to_numpy(), "award_date": award_date.to_numpy(),
        "family": family.to_numpy(), "level": level.to_numpy(),
        "stage": np.where(yg.isna().to_numpy(), NOT_RECORDED, stage),
        "accredited": (~_text(grade).isin(NOT_AWARDED)).to_numpy(dtype=bool)})


def qualification_awards(ds: Any, *, academic_year: str | SchoolYear,
                         records: pd.DataFrame | None = None) -> pd.DataFrame:
    """Accredited awards in the year by stage (14-16, post-16), family and level.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
        ``"2025/26"``: awards dated 1 September 2025 - 31 August 2026 (summer results in
        August fall in the year of the examinations).
    records : DataFrame, optional
        :func:`award_records` of ``ds``, when already computed (they do not depend on the
        year); None: computed here.

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
    An award whose grade means no award ("U", "fail", "not achieved"...,
    :data:`NOT_AWARDED`) is not counted; an award with no grade recorded is.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> qualification_awards(ds, academic_year="2022/23").columns.tolist()[:3]
    ['stage', 'family', 'Entry 1']
    """
    year = school_year(academic_year)
    cols = ["stage", "family", *LEVELS, "awards", "learners"]
    if ds.qualifications is None or len(ds.qualifications) == 0:
        return pd.DataFrame({c: pd.Series(dtype="str" if c in ("stage", "family")
                                          else "int64") for c in cols})
    a = award_records(ds) if records is None else records
    a = a.loc[a["accredited"] & in_year(a["award_date"], year)]
    counts = pd.crosstab([a["stage"], a["family"]], a["level"]).reindex(columns=list(LEVELS),
                                                                       fill_value=0)
    learners = a.groupby(["stage", "family"])["learner_id"].nunique()
    out = counts.assign(awards=counts.sum(axis=1), learners=learners).reset_index()
    family_order = {f: i for i, f in enumerate([*QUALIFICATION_FAMILIES, QUALIFICATION_OTHER])}
    stage_order = {s: i for i, s in enumerate([*STAGES, NOT_RECORDED])}
    out = out.assign(_s=out["stage"].map(stage_order), _f=out["family"].map(family_order)
                     ).sort_values(["_s", "_f"], kind="stable")
    out.columns.name = None
    for c in [*LEVELS, "awards", "learners"]:
        out[c] = out[c].astype("int64")
    return out[cols].reset_index(drop=True)


def leaver_awards(ds: Any, *, academic_year: str | SchoolYear, by: Sequence[str] = BY,
                  from_year_group: int = LEAVER_YEAR_GROUP,
                  records: pd.DataFrame | None = None) -> pd.DataFrame:
    """Leavers in Year 11 or above and how many left with at least one accredited award.

    Parameters
    ----------
    ds : Dataset
    academic_year : str
    by : list of str, default ("srb_id", "primary_need")
    from_year_group : int, default 11
        Leavers in this year group or above on their last day (Year 11: the end of
        compulsory education, when key stage 4 qualifications are taken).
    records : DataFrame, optional
        :func:`award_records` of ``ds``, when already computed; None: computed here.

    Returns
    -------
    DataFrame
        One row per group: ``group_type``, ``group``, ``n_leavers`` (learners whose
        placement ended in the year in Year 11 or above), ``n_with_award`` (of them,
        with at least one accredited award) and ``share_with_award`` (NaN with no leaver).

    Notes
    -----
    .. math:: \\text{share}_g = \\frac{\\#\\{\\text{leavers of } g
              \\text{ with an award}\\}}{\\#\\{\\text{leavers of } g\\}}

    An award counts for a placement when it is dated from the placement's start to 31
    August of the school year in which it ended (results arrive in August, after
    learners leave in July). A learner who left two SRBs counts in each, once for the
    authority. Without a ``qualifications`` table nobody has an award.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> leaver_awards(ds, academic_year="2022/23", by=[]).columns.tolist()
    ['group_type', 'group', 'n_leavers', 'n_with_award', 'share_with_award']
    """
    year = school_year(academic_year)
    keys = check_by(by)
    yg_min = whole_number(from_year_group, "from_year_group")
    p = ds.placements
    end = pd.to_datetime(p["end_date"])
    lr = ds.learners.drop_duplicates("learner_id")
    learner_id = p["learner_id"].astype("str")
    birth = learner_id.map(pd.Series(lr["birth_month"].to_numpy(),
                                     index=lr["learner_id"].astype("str")))
    leaving = in_year(end, year) & (year_group(pd.to_datetime(birth), end) >= yg_min
                                    ).fillna(False).astype(bool)
    lv = pd.DataFrame({"learner_id": learner_id[leaving].to_numpy(),
                       "srb_id": p["srb_id"].astype("str")[leaving].to_numpy(),
                       "start": pd.to_datetime(p["start_date"])[leaving].to_numpy(),
                       "end": end[leaving].to_numpy()})
    lv["award"] = False
    if ds.qualifications is not None and len(ds.qualifications) and len(lv):
        a = award_records(ds) if records is None else records
        a = a.loc[a["accredited"], ["learner_id", "award_date"]]
        m = lv.reset_index(names="row").merge(a, on="learner_id")
        # 31 August of the school year in which the placement ended
        results_by = pd.to_datetime((m["end"].dt.year + (m["end"].dt.month >= 9)).astype(
            "str") + "-08-31")
        hit = m.loc[(m["award_date"] >= m["start"]) & (m["award_date"] <= results_by), "row"]
        lv.loc[lv.index.isin(hit), "award"] = True
    st = stack_groups(with_needs(lv, ds), keys)
    per = st.groupby(["group_type", "group", "learner_id"], sort=False)["award"].any()
    agg = per.reset_index().groupby(["group_type", "group"], sort=False).agg(
        n_leavers=("award", "size"), n_with_award=("award", "sum"))
    out = complete_groups(agg, keys, srb_order(ds), ["n_leavers", "n_with_award"])
    out["share_with_award"] = (out["n_with_award"] / out["n_leavers"]).where(
        out["n_leavers"] > 0)
    return out
