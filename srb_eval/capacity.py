"""Places, occupancy, waiting times, need mix, length of stay, turnover and forecasts.

Local authorities must "keep ALP under review" and "assess current and likely future
needs and secure sufficient provision" (ALN Code for Wales, ch. 7; seed 001); Estyn
found unfilled places in resource bases "poor value for money" and waits for admission
of "a number of months" (Estyn 2008, "Joining in"; seed 002). This module measures the
strategic-planning evidence Estyn asks for (DESIGN.md section 3, "Capacity"):

- :func:`occupancy` / :func:`occupancy_from_census`: learners on roll at a census date
  against places, per SRB; :func:`occupancy_summary` by phase or designation;
- :func:`waiting_time_summary`: referral to panel, panel to start, referral to start;
- :func:`need_mix_change` and :func:`need_mix_test`: the mix of primary needs on roll at
  two dates and whether it really shifted (as Fig. 2 of the 2020 strategy shows);
- :func:`length_of_stay` and :func:`turnover`;
- :func:`forecast_places`: places needed by phase for the next 1-5 years, with an
  interval, against capacity (including planned changes);
- :func:`load_published_fig3` / :func:`load_published_fig2`: the published figures of
  the 2020 strategy (``data/published``) in the package's tables.

Every public function takes data first and options keyword-only, and returns a tidy
DataFrame with snake_case columns documented in its docstring. Functions whose names
start with ``display_`` or end with ``_sentences`` / ``_heading`` turn a result into the
text a report shows, with disclosure control for its audience
(:mod:`srb_eval.report.disclosure`); they never return NaN.

Conventions used throughout (each is an assumption; see the notebook's caveats):

- A learner is *on roll* at date ``d`` when ``start_date <= d`` and (``end_date`` is
  empty or ``end_date >= d``). Counts are of distinct learners.
- A *school year* runs from 1 September to 31 August and is labelled ``"2025/26"``.
- A *census* is a count on one day; the forecast uses one census a year, on the same
  day of the year as ``census_date``.
- Only placements from :func:`observation_start` onwards (or ``data_from``) are used for
  rates and history: an export often omits placements that ended before it began.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from .data import schema as S
from .data.lookup import is_in, positions, text_array
from .errors import check_argument
from .paths import PUBLISHED_DATA_DIR
from .report import disclosure

__all__ = [
    "FIG2_FILE",
    "FIG2_NEED_CODES",
    "FIG3_CENSUS_DATE",
    "FIG3_DESIGNATIONS",
    "FIG3_FILE",
    "PublishedFig3",
    "admissions_history",
    "capacity_at",
    "census_counts",
    "display_fig2",
    "display_forecast",
    "display_forecast_inputs",
    "display_length_of_stay",
    "display_need_mix",
    "display_occupancy",
    "display_occupancy_summary",
    "display_turnover",
    "display_waiting_times",
    "exit_rates",
    "fig2_heading",
    "forecast_heading",
    "forecast_places",
    "forecast_sentences",
    "length_of_stay",
    "load_published_fig2",
    "load_published_fig3",
    "need_mix",
    "need_mix_change",
    "need_mix_heading",
    "need_mix_sentences",
    "need_mix_test",
    "observation_start",
    "occupancy",
    "occupancy_from_census",
    "occupancy_heading",
    "occupancy_sentences",
    "occupancy_summary",
    "school_year_label",
    "stay_heading",
    "turnover",
    "waiting_time_heading",
    "waiting_time_sentences",
    "waiting_time_summary",
    "waiting_times",
]

DAYS_PER_YEAR = 365.25
DAYS_PER_WEEK = 7.0
TOO_FEW = "too few to judge"
TOO_FEW_TEST = "too few to test"
NO_DATA = disclosure.NO_DATA_TEXT
ALL_SRBS = "all SRBs"
ALL = "all"

#: Occupancy below this share of places is called "under-used" (a local choice; see
#: :func:`occupancy`).
UNDERUSED_BELOW = 0.75

FIG3_FILE = "fig3_resource_bases.csv"
FIG2_FILE = "fig2_sen_category_shares.csv"
#: "Numbers Autumn 2020" in Fig. 3: the exact day is not published; 1 October 2020 is
#: used (the autumn term; the strategy's action plan is dated October 2020).
FIG3_CENSUS_DATE = pd.Timestamp("2020-10-01")
FIG3_LOCAL_AUTHORITY = "Monmouthshire"
#: Fig. 3 designations (lower case, final full stop removed) -> need codes.
FIG3_DESIGNATIONS: dict[str, str] = {
    "severe and complex learning needs; autistic spectrum disorder and other pervasive "
    "developmental disorders": "SLD;ASD",
    "complex needs class": "OTHER",
}
#: Fig. 2 SEN categories (exact text) -> need codes of the srb-eval vocabulary.
FIG2_NEED_CODES: dict[str, str] = {
    "Autistic Spectrum Disorder (ASD)": "ASD",
    "Physical /Medical": "PMED",
    "Cognition and Learning (GLD, MLD, SLD, PMLD & Including Downs Syndrome)": "MLD;SLD;PMLD",
    "Behavioural, Emotional & Social Difficulties": "SEMH",
    "Speech, Language & Communication Difficulties": "SLCN",
    "Sensory Needs (Visual and Hearing Impairment)": "SENSORY",
    "Specific Learning Difficulties ADHD": "ADHD",
    "Specific Learning difficulties (Dyslexia /Dyspraxia)": "SPLD",
}

_WAITS: tuple[tuple[str, str, str], ...] = (
    ("referral_to_panel", "referral_date", "panel_date"),
    ("panel_to_start", "panel_date", "start_date"),
    ("referral_to_start", "referral_date", "start_date"),
)
WAIT_LABELS: dict[str, str] = {
    "referral_to_panel": "referral to panel",
    "panel_to_start": "panel to start",
    "referral_to_start": "referral to start",
}


# --------------------------------------------------------------------------- checks


def _check(ok: bool, name: str, allowed: str, got: object) -> None:
    """Raise ValueError naming the parameter ``name`` and what it allows unless ``ok``."""
    check_argument(ok, name, allowed, got, error=ValueError)


def _date(value: object, name: str) -> pd.Timestamp:
    try:
        d = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        d = pd.NaT
    _check(isinstance(d, pd.Timestamp) and not pd.isna(d), name,
           "a date such as '2025-10-01'", value)
    return d.tz_localize(None).normalize() if d.tzinfo else d.normalize()


def _opt_date(value: object, name: str) -> pd.Timestamp | None:
    return None if value is None else _date(value, name)


def _int(value: object, name: str, lo: int, hi: int) -> int:
    ok = (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
          and lo <= int(value) <= hi)
    _check(ok, name, f"a whole number from {lo} to {hi}", value)
    return int(value)  # type: ignore[arg-type]


def _fraction(value: object, name: str, *, closed_low: bool = False) -> float:
    ok = isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(
        value, (bool, np.bool_)) and np.isfinite(value) and (
        (0 <= value < 1) if closed_low else (0 < value < 1))
    _check(ok, name, "a number " + ("from 0 up to" if closed_low else "between 0 and")
           + " 1 (exclusive)", value)
    return float(value)  # type: ignore[arg-type]


def _choice(value: object, name: str, allowed: Iterable[object]) -> Any:
    allowed = list(allowed)
    _check(value in allowed, name, "one of " + ", ".join(map(repr, allowed)), value)
    return value


def _dataset(ds: object) -> Any:
    ok = all(isinstance(getattr(ds, t, None), pd.DataFrame)
             for t in ("srbs", "learners", "placements"))
    _check(ok, "ds", "a srb_eval Dataset (with srbs, learners and placements tables)",
           type(ds).__name__)
    return ds


# --------------------------------------------------------------------------- helpers


def _school_year(dates: pd.Series) -> pd.Series:
    """Start year of the school year (1 September - 31 August) of each date."""
    return dates.dt.year - (dates.dt.month < 9).astype("int64")


def _school_year_of(d: pd.Timestamp) -> int:
    return d.year - (1 if d.month < 9 else 0)


def school_year_label(start_year: int | pd.Series) -> str | pd.Series:
    """``2025 -> "2025/26"``: the label of the school year starting in September.

    Examples
    --------
    >>> school_year_label(2025)
    '2025/26'
    >>> school_year_label(1999)
    '1999/00'
    """
    if isinstance(start_year, pd.Series):
        y = start_year.astype("int64")
        return y.astype("str") + "/" + ((y + 1) % 100).astype("str").str.zfill(2)
    return f"{int(start_year)}/{(int(start_year) + 1) % 100:02d}"


def _text(s: pd.Series) -> pd.Series:
    """Categorical or object column as plain text (missing stays missing)."""
    if isinstance(s.dtype, pd.CategoricalDtype) and \
            s.dtype.categories.dtype == pd.api.types.pandas_dtype("str"):
        # the categories are text already: take them by code (-1: missing)
        cats = s.dtype.categories.array
        return pd.Series(cats.take(s.cat.codes.to_numpy(), allow_fill=True),
                         index=s.index, name=s.name)
    return s.astype("str")


def _years_later(d: pd.Timestamp, k: int) -> pd.Timestamp:
    return d + pd.DateOffset(years=k)


def _merge_left(left: pd.DataFrame, right: pd.DataFrame, key: str) -> pd.DataFrame:
    """``left.merge(right, on=key, how="left")`` for a ``right`` unique on ``key``.

    When both keys are text and every key of ``left`` is found, the rows of ``right``
    are looked up with Arrow and taken in order (the same frame, without the join).
    """
    extra = [c for c in right.columns if c != key]
    if text_array(left[key]) is None or text_array(right[key]) is None or left[
            key].isna().any() or any(c in left.columns for c in extra):
        return left.merge(right, on=key, how="left")
    pos = positions(left[key], right[key])
    if (pos < 0).any():
        return left.merge(right, on=key, how="left")
    out = left.reset_index(drop=True)
    taken = right[extra].take(pos)
    for c in extra:
        out[c] = taken[c].to_numpy() if isinstance(taken[c].dtype, np.dtype) \
            else taken[c].array
    return out


def _placement_frame(ds: Any) -> pd.DataFrame:
    """Placements with phase, age_to, birth_month, primary_need and final school year.

    ``final_sy`` is the start year of the school year in which the learner reaches the
    SRB's ``age_to`` (birthday taken as the 1st of the birth month, which decides the
    school year exactly because school years start on the 1st of September).
    """
    p = ds.placements
    cols = ["learner_id", "srb_id", "referral_date", "panel_date", "start_date", "end_date"]
    out = p[cols].copy()
    out["learner_id"] = _text(out["learner_id"])
    out["srb_id"] = _text(out["srb_id"])
    for c in cols[2:]:
        out[c] = pd.to_datetime(out[c])
    srbs = ds.srbs[["srb_id", "phase", "age_to"]].drop_duplicates("srb_id").copy()
    srbs["srb_id"] = _text(srbs["srb_id"])
    srbs["phase"] = _text(srbs["phase"])
    out = _merge_left(out, srbs, "srb_id")
    learners = ds.learners[["learner_id", "birth_month", "primary_need"]].drop_duplicates(
        "learner_id").copy()
    learners["learner_id"] = _text(learners["learner_id"])
    learners["primary_need"] = _text(learners["primary_need"])
    out = _merge_left(out, learners, "learner_id")
    birth = pd.to_datetime(out["birth_month"])
    age_to = pd.to_numeric(out["age_to"], errors="coerce").astype("float64")
    out["final_sy"] = (birth.dt.year + age_to - (birth.dt.month < 9).astype("float64"))
    return out


def _on_roll_mask(p: pd.DataFrame, d: pd.Timestamp) -> pd.Series:
    return (p["start_date"] <= d) & (p["end_date"].isna() | (p["end_date"] >= d))


def observation_start(ds: Any) -> pd.Timestamp | None:
    """The first day from which the placements are taken to be complete.

    Exports often hold every learner on roll when the data begin (with their original
    start dates, possibly years earlier) but not the placements that had already ended.
    Counting admissions or leavers before that day would undercount them.

    Returns
    -------
    pandas.Timestamp or None
        1 September of the school year of the earliest ``end_date``; if no placement
        has ended, the earliest ``start_date``; ``None`` for an empty table.

    Notes
    -----
    A heuristic, stated in the capacity report's caveats: conservative when the data
    really go back further (it then ignores at most the history before the first
    recorded leaver). Pass ``data_from`` to the functions here to override it.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> p = pd.DataFrame({"start_date": pd.to_datetime(["2015-09-01", "2022-01-10"]),
    ...                   "end_date": pd.to_datetime(["2022-11-30", None])})
    >>> observation_start(SimpleNamespace(placements=p))
    Timestamp('2022-09-01 00:00:00')
    """
    p = ds.placements
    ends = pd.to_datetime(p["end_date"]).dropna()
    if len(ends):
        first = ends.min()
        return pd.Timestamp(_school_year_of(first), 9, 1)
    starts = pd.to_datetime(p["start_date"]).dropna()
    return starts.min().normalize() if len(starts) else None


def _data_from(ds: Any, data_from: object) -> pd.Timestamp:
    if data_from is not None:
        return _date(data_from, "data_from")
    d = observation_start(ds)
    return d if d is not None else pd.Timestamp("1900-01-01")


# --------------------------------------------------------------------------- published


class PublishedFig3(NamedTuple):
    """Fig. 3 of the 2020 strategy in the package's tables.

    Attributes
    ----------
    srbs : pandas.DataFrame
        The ``srbs`` table (DESIGN.md section 2) plus ``designation_text`` (as printed).
    census : pandas.DataFrame
        ``srb_id``, ``census_date`` (:data:`FIG3_CENSUS_DATE`), ``on_roll``.
    source : str
        The citation.
    files : dict of str to str
        The file read, for provenance.
    """

    srbs: pd.DataFrame
    census: pd.DataFrame
    source: str
    files: dict[str, str]


def _published_file(path: str | Path, name: str) -> Path:
    p = Path(path)
    if p.is_dir():
        p = p / name
    _check(p.is_file(), "path", f"a folder holding {name} (or the file itself)", str(path))
    return p


def _citation(df: pd.DataFrame) -> str:
    row = df.iloc[0]
    return (f"{row['source_authority']} ({row['source_date']}). {row['source_document']}, "
            f"{row['source_figure']}.")


def load_published_fig3(path: str | Path = PUBLISHED_DATA_DIR) -> PublishedFig3:
    """Fig. 3 of the 2020 SEN strategy as an ``srbs`` table and a census table.

    Parameters
    ----------
    path : str or Path, default ``data/published``
        The folder holding ``fig3_resource_bases.csv`` (or the file itself).

    Returns
    -------
    PublishedFig3
        ``srbs`` with columns ``srb_id, name, local_authority, phase, age_from, age_to,
        capacity, designation, designation_text``; ``census`` with ``srb_id,
        census_date, on_roll``; the citation; the file read.

    Notes
    -----
    Mapping choices (also in ``data/published/README.md``):

    - ``srb_id``: the school's name without "Primary/Secondary/Comprehensive School",
      upper case, spaces as ``_`` (``OVERMONNOW``, ``DERI_VIEW``);
    - ``name``: the school's name as printed; ``local_authority``: "Monmouthshire";
    - ``phase`` from the age range: ``age_to <= 11`` primary, ``age_from >= 11``
      secondary, otherwise all-through;
    - ``designation`` (need codes) from :data:`FIG3_DESIGNATIONS`: "Severe and complex
      learning needs; autistic spectrum disorder and other pervasive developmental
      disorders" -> ``SLD;ASD``; "Complex Needs Class" -> ``OTHER`` (no need category is
      named); text not in the mapping -> empty. ``designation_text`` keeps the text;
    - ``census_date``: "Numbers Autumn 2020" -> :data:`FIG3_CENSUS_DATE` (1 October 2020,
      the exact day is not published).

    The ``srbs`` table is checked against :class:`srb_eval.data.schema.Srbs`.

    References
    ----------
    .. [1] Monmouthshire County Council (2020). *Estyn R3: Articulate a clear strategy
       for SEN provision. Building a Sustainable and Resilient Future for Learners with
       SEN in Monmouthshire* (consultation draft), Fig. 3.

    Examples
    --------
    >>> fig3 = load_published_fig3()
    >>> fig3.census.set_index("srb_id")["on_roll"].to_dict()
    {'OVERMONNOW': 20, 'PEMBROKE': 19, 'DERI_VIEW': 3, 'CALDICOT': 49, 'MONMOUTH': 25}
    """
    f = _published_file(path, FIG3_FILE)
    raw = pd.read_csv(f, dtype=str, keep_default_na=False)
    need = ["name_of_school", "age_range", "capacity", "numbers_autumn_2020", "designation"]
    missing = [c for c in need if c not in raw.columns]
    _check(not missing, "path", f"a Fig. 3 file with columns {need}", f"missing {missing}")
    name = raw["name_of_school"].str.strip()
    ids = (name.str.replace(r"\s+(Primary|Secondary|Comprehensive|High)?\s*School$", "",
                            regex=True, flags=re.IGNORECASE)
           .str.strip().str.upper().str.replace(r"[^A-Z0-9]+", "_", regex=True))
    ages = raw["age_range"].str.extract(r"^\s*(\d+)\s*[-\u2013]\s*(\d+)\s*$")
    _check(ages.notna().all().all(), "path", "age ranges written like '4-11'",
           raw.loc[ages.isna().any(axis=1), "age_range"].tolist())
    age_from = ages[0].astype("int64")
    age_to = ages[1].astype("int64")
    phase = np.where(age_to <= 11, "primary", np.where(age_from >= 11, "secondary",
                                                      "all-through"))
    text = raw["designation"].str.strip()
    key = text.str.lower().str.rstrip(".").str.strip()
    designation = key.map(FIG3_DESIGNATIONS)
    capacity = pd.to_numeric(raw["capacity"], errors="coerce")
    on_roll = pd.to_numeric(raw["numbers_autumn_2020"], errors="coerce")
    _check(capacity.notna().all() and on_roll.notna().all(), "path",
           "whole numbers in capacity and numbers_autumn_2020", f.name)
    srbs = pd.DataFrame({
        "srb_id": ids.astype("str"),
        "name": name.astype("str"),
        "local_authority": pd.Series(FIG3_LOCAL_AUTHORITY, index=raw.index, dtype="str"),
        "phase": pd.Series(phase, index=raw.index, dtype="str"),
        "age_from": age_from.astype("Int64"),
        "age_to": age_to.astype("Int64"),
        "capacity": capacity.astype("Int64"),
        "designation": designation.astype("str"),
    })
    import pandera.errors

    try:
        S.Srbs.validate(srbs, lazy=True)
    except pandera.errors.SchemaErrors as err:  # pragma: no cover - data file edited badly
        raise ValueError(f"path: {f} does not map onto the srbs table:\n"
                         f"{err.failure_cases}") from err
    srbs["phase"] = pd.Categorical(srbs["phase"], categories=list(S.PHASES))
    srbs["designation_text"] = text.astype("str")
    census = pd.DataFrame({"srb_id": srbs["srb_id"], "census_date": FIG3_CENSUS_DATE,
                           "on_roll": on_roll.astype("Int64")})
    source = _citation(raw) if "source_document" in raw.columns else str(f)
    return PublishedFig3(srbs, census, source, {"fig3": str(f)})


def load_published_fig2(path: str | Path = PUBLISHED_DATA_DIR) -> pd.DataFrame:
    """Fig. 2 of the 2020 strategy: share of statemented pupils by SEN category.

    Parameters
    ----------
    path : str or Path, default ``data/published``
        The folder holding ``fig2_sen_category_shares.csv`` (or the file itself).

    Returns
    -------
    pandas.DataFrame
        One row per SEN category, in the order printed: ``sen_category`` (as printed),
        ``need_codes`` (``;``-separated codes, :data:`FIG2_NEED_CODES`),
        ``pct_jan_2020``, ``pct_nov_2020`` (percentages as printed) and
        ``change_points`` (November minus January, percentage points).

    Notes
    -----
    These are shares of *all* pupils with statements in the authority, not of SRB
    learners, and no counts are published, so no test of the change is possible. The
    January column sums to 97.8% as printed.

    References
    ----------
    .. [1] Monmouthshire County Council (2020). *Estyn R3: Articulate a clear strategy
       for SEN provision* (consultation draft), Fig 2.

    Examples
    --------
    >>> fig2 = load_published_fig2()
    >>> fig2.loc[0, ["need_codes", "pct_jan_2020", "pct_nov_2020", "change_points"]].to_dict()
    {'need_codes': 'ASD', 'pct_jan_2020': 31.0, 'pct_nov_2020': 35.0, 'change_points': 4.0}
    """
    f = _published_file(path, FIG2_FILE)
    raw = pd.read_csv(f, dtype=str, keep_default_na=False)
    jan = pd.to_numeric(raw["pct_statemented_jan_2020"], errors="coerce")
    nov = pd.to_numeric(raw["pct_statemented_nov_2020"], errors="coerce")
    cat = raw["sen_category"].str.strip()
    out = pd.DataFrame({
        "sen_category": cat.astype("str"),
        "need_codes": cat.map(FIG2_NEED_CODES).astype("str"),
        "pct_jan_2020": jan.astype("float64"),
        "pct_nov_2020": nov.astype("float64"),
    })
    out["change_points"] = (out["pct_nov_2020"] - out["pct_jan_2020"]).round(6)
    return out


# --------------------------------------------------------------------------- occupancy


def census_counts(ds: Any, census_dates: object) -> pd.DataFrame:
    """Learners on roll, and agreed but not yet started, per SRB at each census date.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs`` and ``placements``.
    census_dates : date or list of dates

    Returns
    -------
    pandas.DataFrame
        One row per SRB (every SRB in ``srbs``) and date: ``srb_id``, ``census_date``,
        ``on_roll`` (distinct learners with ``start_date <= d`` and ``end_date`` empty or
        ``>= d``), ``awaiting_start`` (distinct learners with ``panel_date <= d <
        start_date``: agreed at panel, not yet started).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> census_counts(ds, "2023-10-01")[["srb_id", "on_roll", "awaiting_start"]]
      srb_id  on_roll  awaiting_start
    0  SRB01        1               0
    1  SRB02        2               0
    """
    _dataset(ds)
    dates = [census_dates] if not isinstance(census_dates, (list, tuple, pd.Series,
                                                            pd.DatetimeIndex)) else census_dates
    _check(len(dates) > 0, "census_dates", "at least one date", census_dates)
    dates = [_date(d, "census_dates") for d in dates]
    p = _placement_frame(ds)
    ids = pd.Index(_text(ds.srbs["srb_id"]).drop_duplicates(), name="srb_id")
    frames = []
    for d in dates:
        on = p.loc[_on_roll_mask(p, d), ["learner_id", "srb_id"]].drop_duplicates()
        wait = p.loc[(p["panel_date"] <= d) & (p["start_date"] > d),
                     ["learner_id", "srb_id"]].drop_duplicates()
        frames.append(pd.DataFrame({
            "srb_id": ids.astype("str"),
            "census_date": d,
            "on_roll": on.groupby("srb_id").size().reindex(ids, fill_value=0)
                         .to_numpy(dtype="int64"),
            "awaiting_start": wait.groupby("srb_id").size().reindex(ids, fill_value=0)
                                .to_numpy(dtype="int64"),
        }))
    out = pd.concat(frames, ignore_index=True)
    out["on_roll"] = out["on_roll"].astype("Int64")
    out["awaiting_start"] = out["awaiting_start"].astype("Int64")
    return out


def _status(capacity: pd.Series, on_roll: pd.Series, share: pd.Series,
            underused_below: float) -> pd.Series:
    cap = capacity.astype("float64")
    on = on_roll.astype("float64")
    out = np.select(
        [np.isnan(on), on > cap, cap == 0, on == cap, share < underused_below],
        ["no data", "over capacity", "no places", "full", "under-used"],
        default="spare places")
    return pd.Series(out, index=capacity.index, dtype="str")


def _occupancy_frame(srbs: pd.DataFrame, counts: pd.DataFrame, d: pd.Timestamp,
                     underused_below: float) -> pd.DataFrame:
    s = srbs.drop_duplicates("srb_id").copy()
    s["srb_id"] = _text(s["srb_id"])
    cols = ["srb_id", "name", "phase", "designation", "capacity"]
    missing = [c for c in cols if c not in s.columns]
    _check(not missing, "srbs", f"a table with columns {cols}", f"missing {missing}")
    out = s[cols].copy()
    out["phase"] = _text(out["phase"])
    out["designation"] = _text(out["designation"])
    out.insert(4, "census_date", d)
    c = counts.drop_duplicates("srb_id").set_index("srb_id")
    out["capacity"] = pd.to_numeric(out["capacity"], errors="coerce").astype("Int64")
    out["on_roll"] = out["srb_id"].map(c["on_roll"]).astype("Int64")
    if "awaiting_start" in c.columns:
        out["awaiting_start"] = out["srb_id"].map(c["awaiting_start"]).astype("Int64")
    else:
        out["awaiting_start"] = pd.array([pd.NA] * len(out), dtype="Int64")
    cap = out["capacity"].astype("float64")
    on = out["on_roll"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(cap > 0, on / cap, np.nan)
    out["occupancy"] = share.astype("float64")
    out["unfilled_places"] = (out["capacity"] - out["on_roll"]).clip(lower=0).astype("Int64")
    out["places_over"] = (out["on_roll"] - out["capacity"]).clip(lower=0).astype("Int64")
    out["over_capacity"] = (out["on_roll"] > out["capacity"]).astype("boolean")
    out["status"] = _status(out["capacity"], out["on_roll"], out["occupancy"],
                            underused_below)
    return out.reset_index(drop=True)


def occupancy(ds: Any, census_date: object, *,
              underused_below: float = UNDERUSED_BELOW) -> pd.DataFrame:
    """Learners on roll against places for each SRB at a census date.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs`` and ``placements``.
    census_date : date
        The day counted (e.g. ``"2025-10-01"``).
    underused_below : float, default 0.75
        Occupancy below this share is called "under-used" (more than a quarter of the
        places empty). A local planning choice, not a published standard: Estyn (2008)
        calls unfilled places "poor value for money" without a threshold.

    Returns
    -------
    pandas.DataFrame
        One row per SRB, in the order of ``srbs``: ``srb_id``, ``name``, ``phase``,
        ``designation``, ``census_date``, ``capacity``, ``on_roll``, ``awaiting_start``
        (agreed at panel, not yet started), ``occupancy`` (on roll / capacity; NaN for
        an SRB with no places), ``unfilled_places`` (capacity - on roll, floor 0),
        ``places_over`` (on roll - capacity, floor 0), ``over_capacity`` (bool) and
        ``status``: "over capacity", "full", "under-used", "spare places", "no places"
        (capacity 0, nobody on roll) or "no data".

    Notes
    -----
    .. math::

       \\text{occupancy}_s = \\frac{\\text{on roll}_s(d)}{\\text{capacity}_s}, \\qquad
       \\text{unfilled}_s = \\max(0, \\text{capacity}_s - \\text{on roll}_s(d))

    On roll at ``d``: ``start_date <= d`` and (``end_date`` empty or ``>= d``),
    distinct learners. An over-full SRB has 0 unfilled places (its excess does not fill
    another SRB's places), so the total of unfilled places can exceed total capacity
    minus total on roll; :func:`occupancy_summary` reports both. The capacity used is the
    one in ``srbs`` (today's); for changes over time see :func:`capacity_at`. An SRB with
    nobody on roll has on roll 0, not missing.

    References
    ----------
    .. [1] Estyn (2008). *Joining in: a survey of resource bases in mainstream
       schools*, paragraph 21: unfilled places "poor value for money".
    .. [2] srb-eval DESIGN.md section 3, "Capacity".

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> occupancy(ds, "2023-10-01")[["srb_id", "capacity", "on_roll", "unfilled_places",
    ...                              "status"]]
      srb_id  capacity  on_roll  unfilled_places      status
    0  SRB01         8        1                7  under-used
    1  SRB02        20        2               18  under-used
    """
    _dataset(ds)
    d = _date(census_date, "census_date")
    u = _fraction(underused_below, "underused_below", closed_low=True)
    return _occupancy_frame(ds.srbs, census_counts(ds, d), d, u)


def occupancy_from_census(srbs: pd.DataFrame, census: pd.DataFrame, *,
                          census_date: object = None,
                          underused_below: float = UNDERUSED_BELOW) -> pd.DataFrame:
    """:func:`occupancy` from a published census count instead of placements.

    Parameters
    ----------
    srbs : pandas.DataFrame
        The ``srbs`` table (``srb_id, name, phase, designation, capacity``).
    census : pandas.DataFrame
        ``srb_id``, ``census_date``, ``on_roll`` (e.g. :func:`load_published_fig3`).
    census_date : date, optional
        Which census to use when ``census`` holds several; by default its only date.
    underused_below : float, default 0.75
        As in :func:`occupancy`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`occupancy`; ``awaiting_start`` is missing (a census does
        not record it). An SRB without a census row has ``on_roll`` missing and status
        "no data".

    Raises
    ------
    ValueError
        If ``census`` lacks a column, names an SRB not in ``srbs``, holds several dates
        and ``census_date`` is not given, or holds negative or non-whole counts.

    Notes
    -----
    The formulas of :func:`occupancy`.

    References
    ----------
    .. [1] Monmouthshire County Council (2020), Fig. 3 (capacity and numbers, autumn
       2020).

    Examples
    --------
    >>> fig3 = load_published_fig3()
    >>> occ = occupancy_from_census(fig3.srbs, fig3.census)
    >>> occ[["srb_id", "on_roll", "capacity", "occupancy", "unfilled_places"]].round(4)
           srb_id  on_roll  capacity  occupancy  unfilled_places
    0  OVERMONNOW       20        20     1.0000                0
    1    PEMBROKE       19        20     0.9500                1
    2   DERI_VIEW        3         8     0.3750                5
    3    CALDICOT       49        55     0.8909                6
    4    MONMOUTH       25        55     0.4545               30
    """
    _check(isinstance(census, pd.DataFrame)
           and {"srb_id", "census_date", "on_roll"} <= set(census.columns), "census",
           "a DataFrame with columns srb_id, census_date, on_roll",
           list(getattr(census, "columns", [])))
    u = _fraction(underused_below, "underused_below", closed_low=True)
    c = census.copy()
    c["srb_id"] = _text(c["srb_id"])
    c["census_date"] = pd.to_datetime(c["census_date"])
    dates = c["census_date"].dropna().unique()
    if census_date is None:
        _check(len(dates) == 1, "census_date",
               "given when the census holds more (or fewer) than one date",
               [str(pd.Timestamp(x).date()) for x in dates])
        d = pd.Timestamp(dates[0])
    else:
        d = _date(census_date, "census_date")
        c = c[c["census_date"] == d]
        _check(len(c) > 0, "census_date", "a date present in the census", str(d.date()))
    unknown = sorted(set(c["srb_id"]) - set(_text(srbs["srb_id"])))
    _check(not unknown, "census", "rows for SRBs in srbs only", unknown)
    on = pd.to_numeric(c["on_roll"], errors="coerce")
    bad = on.notna() & ((on < 0) | (on != np.floor(on)))
    _check(not bad.any(), "census", "whole numbers of 0 or more in on_roll",
           c.loc[bad, "on_roll"].tolist())
    c["on_roll"] = on.astype("Int64")
    return _occupancy_frame(srbs, c[["srb_id", "on_roll"]], d, u)


def occupancy_summary(occ: pd.DataFrame, *, by: str | None = "phase") -> pd.DataFrame:
    """Totals of an occupancy table by phase or designation, with an all-SRBs row.

    Parameters
    ----------
    occ : pandas.DataFrame
        From :func:`occupancy` or :func:`occupancy_from_census`.
    by : {"phase", "designation", None}, default "phase"
        ``"designation"`` counts an SRB designated for several needs under each of them,
        so its rows overlap and do not add up to the total.

    Returns
    -------
    pandas.DataFrame
        One row per group (phases in the order primary, secondary, all-through; needs in
        vocabulary order) and a last row labelled ``"all SRBs"`` (the only row when
        ``by`` is None). Columns: ``group``, ``n_srbs``, ``capacity``, ``on_roll``,
        ``unfilled_places`` (sum over SRBs of their unfilled places), ``places_over``
        (sum of places over capacity), ``net_spare`` (capacity - on roll),
        ``occupancy`` (on roll / capacity), ``n_full`` (SRBs full or over capacity),
        ``n_underused``. ``on_roll`` and what derives from it are missing for a group
        with an SRB lacking a count.

    Notes
    -----
    .. math::

       \\text{occupancy}_g = \\frac{\\sum_{s \\in g} \\text{on roll}_s}
       {\\sum_{s \\in g} \\text{capacity}_s}, \\quad
       \\text{net spare}_g = \\sum_s \\text{capacity}_s - \\sum_s \\text{on roll}_s
       = \\text{unfilled}_g - \\text{over}_g

    Examples
    --------
    >>> fig3 = load_published_fig3()
    >>> s = occupancy_summary(occupancy_from_census(fig3.srbs, fig3.census))
    >>> s[["group", "capacity", "on_roll", "unfilled_places", "net_spare"]]
           group  capacity  on_roll  unfilled_places  net_spare
    0    primary        48       42                6          6
    1  secondary       110       74               36         36
    2   all SRBs       158      116               42         42
    """
    _choice(by, "by", ["phase", "designation", None])
    need = ["srb_id", "phase", "designation", "capacity", "on_roll", "unfilled_places",
            "places_over", "status"]
    _check(isinstance(occ, pd.DataFrame) and set(need) <= set(occ.columns), "occ",
           "a table from occupancy()", list(getattr(occ, "columns", [])))
    base = occ[need].copy()
    base["phase"] = _text(base["phase"])
    base["designation"] = _text(base["designation"])
    base["group"] = ALL_SRBS
    parts = []
    if by == "phase":
        g = base.copy()
        g["group"] = g["phase"]
        order = [x for x in S.PHASES if x in set(g["group"])]
        order += sorted(set(g["group"].dropna()) - set(order))
        parts.append((g, order))
    elif by == "designation":
        g = base.copy()
        g["group"] = g["designation"].fillna("none recorded").str.split(";")
        g = g.explode("group")
        g["group"] = g["group"].str.strip()
        order = [x for x in S.NEEDS if x in set(g["group"])]
        order += sorted(set(g["group"]) - set(order))
        parts.append((g, order))
    parts.append((base, [ALL_SRBS]))
    frames = []
    for g, order in parts:
        g = g.copy()
        g["full"] = g["status"].isin(["full", "over capacity"])
        g["under"] = g["status"].eq("under-used")
        g["missing"] = g["on_roll"].isna()
        agg = g.groupby("group", sort=False).agg(
            n_srbs=("srb_id", "nunique"), capacity=("capacity", "sum"),
            on_roll=("on_roll", "sum"), unfilled_places=("unfilled_places", "sum"),
            places_over=("places_over", "sum"), n_full=("full", "sum"),
            n_underused=("under", "sum"), missing=("missing", "sum"))
        frames.append(agg.reindex(order).reset_index())
    out = pd.concat(frames, ignore_index=True)
    for c in ("n_srbs", "capacity", "on_roll", "unfilled_places", "places_over", "n_full",
              "n_underused"):
        out[c] = out[c].astype("Int64")
    gap = out.pop("missing") > 0
    for c in ("on_roll", "unfilled_places", "places_over"):
        out[c] = out[c].mask(gap)
    out["net_spare"] = (out["capacity"] - out["on_roll"]).astype("Int64")
    cap = out["capacity"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["occupancy"] = np.where(cap > 0, out["on_roll"].astype("float64") / cap, np.nan)
    return out[["group", "n_srbs", "capacity", "on_roll", "unfilled_places", "places_over",
                "net_spare", "occupancy", "n_full", "n_underused"]]


def capacity_at(srbs: pd.DataFrame, census_dates: object, *,
                planned_changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The places each SRB has on each date, with planned openings and changes.

    Parameters
    ----------
    srbs : pandas.DataFrame
        The ``srbs`` table; its ``capacity`` holds before any planned change.
    census_dates : date or list of dates
    planned_changes : pandas.DataFrame, optional
        One row per change: ``srb_id``, ``from_date`` (first day of the new capacity),
        ``capacity`` (places from that day; 0 closes an SRB), and ``phase`` (needed for
        an SRB not in ``srbs``, i.e. one that opens; ignored otherwise); ``name``
        optional.

    Returns
    -------
    pandas.DataFrame
        One row per SRB (those in ``srbs``, then new ones) and date: ``srb_id``,
        ``name``, ``phase``, ``census_date``, ``capacity``, ``planned`` (True where a
        planned change set the number).

    Raises
    ------
    ValueError
        ``planned_changes`` without the columns above, with dates or capacities that
        cannot be read (or negative), or opening an SRB without a phase.

    Notes
    -----
    The capacity of SRB *s* on day *d* is that of its latest change with ``from_date
    <= d``; before its first change it is ``srbs.capacity``, or 0 for a new SRB (it is
    not open yet).

    Examples
    --------
    >>> srbs = pd.DataFrame({"srb_id": ["A"], "name": ["A"], "phase": ["primary"],
    ...                      "capacity": [8]})
    >>> plan = pd.DataFrame({"srb_id": ["A", "NEW"], "from_date": ["2027-09-01"] * 2,
    ...                      "capacity": [16, 8], "phase": ["primary", "primary"]})
    >>> capacity_at(srbs, ["2026-10-01", "2027-10-01"], planned_changes=plan)[
    ...     ["srb_id", "census_date", "capacity"]]
      srb_id census_date  capacity
    0      A  2026-10-01         8
    1    NEW  2026-10-01         0
    2      A  2027-10-01        16
    3    NEW  2027-10-01         8
    """
    dates = [census_dates] if not isinstance(census_dates, (list, tuple, pd.Series,
                                                            pd.DatetimeIndex)) else census_dates
    dates = [_date(d, "census_dates") for d in dates]
    base = srbs.drop_duplicates("srb_id").copy()
    base = pd.DataFrame({"srb_id": _text(base["srb_id"]),
                         "name": _text(base["name"]) if "name" in base else _text(
                             base["srb_id"]),
                         "phase": _text(base["phase"]),
                         "capacity": pd.to_numeric(base["capacity"], errors="coerce")})
    changes = _planned_changes(planned_changes, base)
    new = changes.loc[~changes["srb_id"].isin(base["srb_id"])].drop_duplicates("srb_id")
    new_rows = pd.DataFrame({"srb_id": new["srb_id"], "name": new["name"],
                             "phase": new["phase"], "capacity": 0.0})
    allsrb = pd.concat([base, new_rows], ignore_index=True)
    frames = []
    for d in dates:
        eff = changes[changes["from_date"] <= d].sort_values("from_date", kind="stable")
        last = eff.drop_duplicates("srb_id", keep="last").set_index("srb_id")["capacity"]
        cap = allsrb["srb_id"].map(last)
        frames.append(pd.DataFrame({
            "srb_id": allsrb["srb_id"], "name": allsrb["name"], "phase": allsrb["phase"],
            "census_date": d, "capacity": cap.fillna(allsrb["capacity"]).astype("Int64"),
            "planned": cap.notna().to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def _planned_changes(planned: pd.DataFrame | None, base: pd.DataFrame) -> pd.DataFrame:
    cols = ["srb_id", "from_date", "capacity", "phase", "name"]
    if planned is None:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols}).assign(
            from_date=pd.Series(dtype="datetime64[ns]"), capacity=pd.Series(dtype="float64"))
    _check(isinstance(planned, pd.DataFrame)
           and {"srb_id", "from_date", "capacity"} <= set(planned.columns),
           "planned_changes", "a DataFrame with columns srb_id, from_date, capacity "
           "(and phase for a new SRB)", list(getattr(planned, "columns", [])))
    c = pd.DataFrame({"srb_id": _text(planned["srb_id"])})
    c["from_date"] = pd.to_datetime(planned["from_date"], errors="coerce")
    _check(c["from_date"].notna().all(), "planned_changes",
           "dates in from_date", planned.loc[c["from_date"].isna(), "from_date"].tolist())
    cap = pd.to_numeric(planned["capacity"], errors="coerce")
    bad = cap.isna() | (cap < 0) | (cap != np.floor(cap))
    _check(not bad.any(), "planned_changes", "whole numbers of 0 or more in capacity",
           planned.loc[bad, "capacity"].tolist())
    c["capacity"] = cap.astype("float64")
    known = base.set_index("srb_id")
    phase = _text(planned["phase"]) if "phase" in planned else pd.Series(
        np.nan, index=planned.index, dtype="str")
    phase = phase.str.strip().str.lower()
    is_new = ~c["srb_id"].isin(known.index)
    _check(not (is_new & ~phase.isin(S.PHASES)).any(), "planned_changes",
           "a phase (" + ", ".join(S.PHASES) + ") for each SRB not in srbs",
           c.loc[is_new & ~phase.isin(S.PHASES), "srb_id"].tolist())
    c["phase"] = phase.where(is_new, c["srb_id"].map(known["phase"]))
    name = _text(planned["name"]) if "name" in planned else c["srb_id"]
    c["name"] = name.where(is_new, c["srb_id"].map(known["name"]))
    return c


# --------------------------------------------------------------------------- waits


def waiting_times(ds: Any, *, since: object = None, until: object = None) -> pd.DataFrame:
    """Days from referral to panel, panel to start and referral to start, per placement.

    Learner-level (internal use only); :func:`waiting_time_summary` aggregates it.

    Parameters
    ----------
    ds : Dataset
    since, until : date, optional
        Keep placements whose ``start_date`` is in ``[since, until]``.

    Returns
    -------
    pandas.DataFrame
        One row per placement: ``learner_id``, ``srb_id``, ``phase``, ``start_date``,
        ``school_year`` (of the start, ``"2024/25"``), ``referral_to_panel_days``,
        ``panel_to_start_days``, ``referral_to_start_days`` (floats; NaN where a date is
        missing or the dates are out of order).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> w = waiting_times(load_dataset(PROJECT_ROOT / "tests/data/minimal"))
    >>> w["panel_to_start_days"].tolist()
    [66.0, 92.0, 95.0, 83.0]
    """
    _dataset(ds)
    lo, hi = _opt_date(since, "since"), _opt_date(until, "until")
    p = _placement_frame(ds)
    keep = pd.Series(True, index=p.index)
    if lo is not None:
        keep &= p["start_date"] >= lo
    if hi is not None:
        keep &= p["start_date"] <= hi
    p = p[keep]
    out = p[["learner_id", "srb_id", "phase", "start_date"]].copy()
    out["school_year"] = school_year_label(_school_year(p["start_date"]))
    for name, a, b in _WAITS:
        days = (p[b] - p[a]).dt.days.astype("float64")
        out[f"{name}_days"] = days.where(days >= 0)
    return out.reset_index(drop=True)


def waiting_time_summary(ds: Any, *, by: str | None = "phase", since: object = None,
                         until: object = None, min_n: int = 3) -> pd.DataFrame:
    """Median and longest waits for a place, by group, with n and exclusions.

    Parameters
    ----------
    ds : Dataset
    by : {"phase", "srb_id", "school_year", None}, default "phase"
        Group; ``school_year`` is that of the start. Rows for all placements (label
        ``"all"``) follow each interval's groups.
    since, until : date, optional
        Placements whose ``start_date`` falls in ``[since, until]``.
    min_n : int, default 3
        Groups with fewer waits than this get no median or longest (note
        "too few to judge").

    Returns
    -------
    pandas.DataFrame
        One row per interval (referral to panel, panel to start, referral to start) and
        group: ``group``, ``interval`` (words), ``n`` (placements with both dates),
        ``n_excluded`` (placements missing a date, or with dates out of order),
        ``median_days``, ``longest_days``, ``median_weeks``, ``longest_weeks`` and
        ``note`` ("" or "too few to judge" / "no dates recorded" / "no placements
        started").

    Notes
    -----
    .. math:: w_i = \\text{date}_{b,i} - \\text{date}_{a,i} \\ \\text{(days)}, \\quad
              \\tilde w = \\operatorname{median}_i w_i, \\quad
              w_{\\max} = \\max_i w_i, \\quad \\text{weeks} = \\text{days} / 7

    The median is the usual sample median (mean of the two middle values for an even
    n). Missing dates are excluded and counted, never imputed. Estyn (2008) found waits
    of "a number of months" for admission; the ALN Code expects timely provision.

    References
    ----------
    .. [1] Estyn (2008). *Joining in*, paragraph on admissions: "lengthy periods of
       waiting, often a number of months".

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> s = waiting_time_summary(load_dataset(PROJECT_ROOT / "tests/data/minimal"), by=None)
    >>> s[["interval", "n", "median_days", "longest_days"]]
                interval  n  median_days  longest_days
    0  referral to panel  4         31.0          40.0
    1     panel to start  4         87.5          95.0
    2  referral to start  4        123.0         126.0
    """
    _choice(by, "by", ["phase", "srb_id", "school_year", None])
    k = _int(min_n, "min_n", 1, 1000)
    w = waiting_times(ds, since=since, until=until)
    long = w.melt(id_vars=["phase", "srb_id", "school_year"],
                  value_vars=[f"{n}_days" for n, _, _ in _WAITS],
                  var_name="interval", value_name="days")
    long["interval"] = long["interval"].str.removesuffix("_days").map(WAIT_LABELS)
    long["ok"] = long["days"].notna()
    labels = list(WAIT_LABELS.values())
    groupings = ([by] if by is not None else []) + [None]
    frames = []
    for g in groupings:
        lg = long.copy()
        lg["group"] = _text(lg[g]) if g is not None else ALL
        agg = lg.groupby(["interval", "group"], sort=False).agg(
            n=("ok", "sum"), n_all=("ok", "size"), median_days=("days", "median"),
            longest_days=("days", "max"))
        if g is None:
            agg = agg.reindex(pd.MultiIndex.from_product([labels, [ALL]],
                                                         names=["interval", "group"]))
        frames.append(agg.reset_index())
    out = pd.concat(frames, ignore_index=True)
    out["n"] = out["n"].fillna(0).astype("Int64")
    out["n_excluded"] = (out.pop("n_all").fillna(0) - out["n"].astype("float64")).astype(
        "Int64")
    few = out["n"] < k
    out["note"] = np.where(~few, "", np.where(
        out["n"] > 0, TOO_FEW, np.where(out["n_excluded"] > 0, "no dates recorded",
                                        "no placements started")))
    out["note"] = out["note"].astype("str")
    out.loc[few, ["median_days", "longest_days"]] = np.nan
    out["median_weeks"] = out["median_days"] / DAYS_PER_WEEK
    out["longest_weeks"] = out["longest_days"] / DAYS_PER_WEEK
    out["interval"] = pd.Categorical(out["interval"], categories=labels)
    grp_order = _group_order(out["group"], by)
    out["_g"] = out["group"].map({g: i for i, g in enumerate(grp_order)})
    out = out.sort_values(["interval", "_g"], kind="stable").drop(columns="_g")
    out["interval"] = out["interval"].astype("str")
    return out[["group", "interval", "n", "n_excluded", "median_days", "longest_days",
                "median_weeks", "longest_weeks", "note"]].reset_index(drop=True)


def _group_order(groups: pd.Series, by: str | None) -> list[str]:
    present = list(dict.fromkeys(groups.dropna().tolist()))
    if by == "phase":
        first = [x for x in S.PHASES if x in present]
    else:
        first = sorted(x for x in present if x != ALL)
    rest = [x for x in present if x not in first and x != ALL]
    return first + rest + ([ALL] if ALL in present else [])


# --------------------------------------------------------------------------- need mix


def _on_roll_learners(p: pd.DataFrame, d: pd.Timestamp) -> pd.DataFrame:
    return (p.loc[_on_roll_mask(p, d), ["learner_id", "primary_need"]]
            .drop_duplicates("learner_id"))


def need_mix(ds: Any, census_dates: object) -> pd.DataFrame:
    """Learners on roll by primary need at one or more census dates.

    Parameters
    ----------
    ds : Dataset
    census_dates : date or list of dates

    Returns
    -------
    pandas.DataFrame
        One row per date and need present at any of the dates (needs in vocabulary
        order): ``census_date``, ``primary_need``, ``n``, ``n_total`` (learners on roll
        in any SRB), ``share`` (n / n_total; NaN when nobody is on roll).

    Notes
    -----
    .. math:: \text{share}_{j}(d) = \frac{n_j(d)}{N(d)}

    with :math:`n_j(d)` the distinct learners on roll on day *d* whose primary need is
    *j* and :math:`N(d)` all distinct learners on roll (a learner in two SRBs counts
    once). The same measure as Fig. 2 of the 2020 strategy [1]_, which gives it for
    all statemented pupils of the authority rather than SRB learners.

    References
    ----------
    .. [1] Monmouthshire County Council (2020). *Estyn R3: Articulate a clear strategy
       for SEN provision* (consultation draft), Fig 2.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> need_mix(ds, "2023-10-01")[["primary_need", "n", "n_total", "share"]].round(3)
      primary_need  n  n_total  share
    0          ASD  1        3  0.333
    1          SLD  1        3  0.333
    2         SEMH  1        3  0.333
    """
    return _need_mix(ds, census_dates)[0]


def _need_mix(ds: Any, census_dates: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`need_mix` and the placement frame it used (for callers that need both)."""
    _dataset(ds)
    dates = [census_dates] if not isinstance(census_dates, (list, tuple, pd.Series,
                                                            pd.DatetimeIndex)) else census_dates
    _check(len(dates) > 0, "census_dates", "at least one date", census_dates)
    dates = [_date(d, "census_dates") for d in dates]
    p = _placement_frame(ds)
    frames = []
    for d in dates:
        on = _on_roll_learners(p, d)
        counts = on.groupby("primary_need").size()
        frames.append(pd.DataFrame({"census_date": d, "primary_need": counts.index.astype(
            "str"), "n": counts.to_numpy(), "n_total": len(on)}))
    out = pd.concat(frames, ignore_index=True)
    present = set(out["primary_need"])
    needs = [x for x in S.NEEDS if x in present] + sorted(present - set(S.NEEDS))
    grid = pd.MultiIndex.from_product([dates, needs], names=["census_date", "primary_need"])
    totals = out.drop_duplicates("census_date").set_index("census_date")["n_total"]
    full = (out.set_index(["census_date", "primary_need"])["n"].reindex(grid, fill_value=0)
            .reset_index())
    full["n_total"] = full["census_date"].map(totals).fillna(0).astype("int64")
    full["n"] = full["n"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        full["share"] = np.where(full["n_total"] > 0, full["n"] / full["n_total"], np.nan)
    full["primary_need"] = full["primary_need"].astype("str")
    return full, p


def _flows(p: pd.DataFrame, d1: pd.Timestamp, d2: pd.Timestamp
           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    a = _on_roll_learners(p, d1)
    b = _on_roll_learners(p, d2)
    leavers = a[~is_in(a["learner_id"], b["learner_id"])]
    joiners = b[~is_in(b["learner_id"], a["learner_id"])]
    return a, b, leavers, joiners


def need_mix_change(ds: Any, date_from: object, date_to: object) -> pd.DataFrame:
    """The need mix on roll at two dates and its change, as in Fig. 2 of the strategy.

    Parameters
    ----------
    ds : Dataset
    date_from, date_to : date

    Returns
    -------
    pandas.DataFrame
        One row per need present at either date: ``primary_need``, ``n_from``,
        ``n_total_from``, ``share_from``, ``n_to``, ``n_total_to``, ``share_to``,
        ``change_points`` (100 x (share_to - share_from), percentage points),
        ``leavers`` (on roll at ``date_from`` but not ``date_to``) and ``joiners`` (the
        reverse). Shares are NaN when nobody is on roll at that date.

    Notes
    -----
    .. math:: \\Delta_j = 100\\,(n_{j,2}/N_2 - n_{j,1}/N_1)

    The change is made by the learners who left and joined in between (those on roll at
    both dates are the same learners); :func:`need_mix_test` tests it on those flows.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> need_mix_change(ds, "2022-10-01", "2024-10-01")[
    ...     ["primary_need", "n_from", "n_to", "change_points", "leavers", "joiners"]]
      primary_need  n_from  n_to  change_points  leavers  joiners
    0          ASD       1     1      16.666667        0        0
    1          SLD       1     1      16.666667        0        0
    2         SEMH       1     0     -33.333333        1        0
    """
    d1, d2 = _date(date_from, "date_from"), _date(date_to, "date_to")
    mix, p = _need_mix(ds, [d1, d2])  # the placement frame is built once
    _, _, leavers, joiners = _flows(p, d1, d2)
    a = mix[mix["census_date"] == d1].set_index("primary_need")
    b = mix[mix["census_date"] == d2].set_index("primary_need")
    out = pd.DataFrame({
        "primary_need": a.index.astype("str"),
        "n_from": a["n"].to_numpy(), "n_total_from": a["n_total"].to_numpy(),
        "share_from": a["share"].to_numpy(),
        "n_to": b["n"].reindex(a.index).to_numpy(),
        "n_total_to": b["n_total"].reindex(a.index).to_numpy(),
        "share_to": b["share"].reindex(a.index).to_numpy()})
    out["change_points"] = (100 * (out["share_to"] - out["share_from"])).round(10)
    out["leavers"] = out["primary_need"].map(leavers.groupby("primary_need").size()
                                             ).fillna(0).astype("int64")
    out["joiners"] = out["primary_need"].map(joiners.groupby("primary_need").size()
                                             ).fillna(0).astype("int64")
    order = {n: i for i, n in enumerate(S.NEEDS)}
    out = out.sort_values("primary_need", key=lambda s: s.map(order).fillna(99),
                          kind="stable")
    return out.reset_index(drop=True)


def need_mix_test(ds: Any, date_from: object, date_to: object, *, min_n: int = 5,
                  n_resamples: int = 9999, seed: int = 2025) -> pd.DataFrame:
    """Is the shift in need mix between two dates more than chance?

    Compares the primary needs of the learners who *left* (on roll at ``date_from``,
    not at ``date_to``) with those who *joined* (the reverse): the mix changes only
    through them, and unlike the two rolls they are independent groups of different
    learners.

    Parameters
    ----------
    ds : Dataset
    date_from, date_to : date
    min_n : int, default 5
        Fewer leavers or fewer joiners than this: "too few to test".
    n_resamples : int, default 9999
        Monte Carlo tables for the Freeman-Halton test.
    seed : int, default 2025
        Seed of ``numpy.random.default_rng`` for the Monte Carlo test (same seed, same
        p-value).

    Returns
    -------
    pandas.DataFrame
        One row: ``date_from``, ``date_to``, ``n_leavers``, ``n_joiners``, ``n_needs``
        (needs among them), ``method`` ("chi-square", "Fisher exact",
        "Freeman-Halton (Monte Carlo)" or "none"), ``chi2`` (Pearson statistic),
        ``dof``, ``p_val``, ``cramers_v`` (effect size), ``note`` ("" or why there is no
        test).

    Notes
    -----
    Needs x {leavers, joiners} contingency table, needs with no learner dropped.

    - Fewer than ``min_n`` leavers or joiners, or only one need among them: no test.
    - Pearson's chi-square test (no continuity correction) when the expected counts
      meet Cochran's rule [1]_: none below 1 and at most 20% below 5.
    - Otherwise Fisher's exact test for a 2 x 2 table, or its r x 2 extension by
      Freeman and Halton [2]_ with a seeded Monte Carlo p-value
      (``scipy.stats.fisher_exact`` with ``MonteCarloMethod``).

    Effect size: Cramér's V [3]_,

    .. math:: \\chi^2 = \\sum_{ij} \\frac{(O_{ij} - E_{ij})^2}{E_{ij}}, \\quad
              V = \\sqrt{\\frac{\\chi^2}{N(\\min(r, c) - 1)}}

    With the small numbers of a single authority the test has little power: "no
    evidence of a shift" is not evidence of no shift.

    References
    ----------
    .. [1] Cochran, W. G. (1954). Some methods for strengthening the common chi-square
       tests. *Biometrics* 10(4), 417-451. doi:10.2307/3001616
    .. [2] Freeman, G. H. & Halton, J. H. (1951). Note on an exact treatment of
       contingency, goodness of fit and other problems of significance. *Biometrika*
       38(1-2), 141-149. doi:10.1093/biomet/38.1-2.141
    .. [3] Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton
       University Press, p. 282.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> need_mix_test(ds, "2022-10-01", "2024-10-01").loc[0, ["method", "note"]].tolist()
    ['none', 'too few to test (fewer than 5 leavers or joiners)']
    """
    d1, d2 = _date(date_from, "date_from"), _date(date_to, "date_to")
    k = _int(min_n, "min_n", 1, 10_000)
    m = _int(n_resamples, "n_resamples", 99, 1_000_000)
    _check(isinstance(seed, (int, np.integer)) and not isinstance(seed, bool), "seed",
           "a whole number", seed)
    p = _placement_frame(ds)
    _, _, leavers, joiners = _flows(p, d1, d2)
    table = pd.concat([leavers.groupby("primary_need").size().rename("leavers"),
                       joiners.groupby("primary_need").size().rename("joiners")],
                      axis=1).fillna(0).astype("int64")
    table = table[table.sum(axis=1) > 0]
    row = {"date_from": d1, "date_to": d2, "n_leavers": len(leavers),
           "n_joiners": len(joiners), "n_needs": len(table), "method": "none",
           "chi2": np.nan, "dof": pd.NA, "p_val": np.nan, "cramers_v": np.nan, "note": ""}
    if len(leavers) < k or len(joiners) < k:
        row["note"] = f"{TOO_FEW_TEST} (fewer than {k} leavers or joiners)"
    elif len(table) < 2:
        row["note"] = "only one need among leavers and joiners: nothing to compare"
    else:
        obs = table.to_numpy()
        chi = stats.chi2_contingency(obs, correction=False)
        exp = chi.expected_freq
        n = obs.sum()
        row["chi2"] = float(chi.statistic)
        row["dof"] = int(chi.dof)
        row["cramers_v"] = float(np.sqrt(chi.statistic / (n * (min(obs.shape) - 1))))
        if (exp >= 1).all() and (exp < 5).mean() <= 0.2:
            row["method"], row["p_val"] = "chi-square", float(chi.pvalue)
        elif obs.shape == (2, 2):
            row["method"] = "Fisher exact"
            row["p_val"] = float(stats.fisher_exact(obs).pvalue)
        else:
            row["method"] = "Freeman-Halton (Monte Carlo)"
            mc = stats.MonteCarloMethod(n_resamples=m, rng=np.random.default_rng(seed))
            row["p_val"] = float(stats.fisher_exact(obs, method=mc).pvalue)
    out = pd.DataFrame([row])
    out["dof"] = out["dof"].astype("Int64")
    out["method"] = out["method"].astype("str")
    out["note"] = out["note"].astype("str")
    return out


# --------------------------------------------------------------------------- stays


def _km_median(durations: np.ndarray, event: np.ndarray) -> float:
    """Kaplan-Meier median: the smallest t with S(t) <= 0.5 (NaN if not reached)."""
    if len(durations) == 0:
        return np.nan
    if event.all():
        data: Any = durations
    else:
        data = stats.CensoredData(uncensored=durations[event], right=durations[~event])
    if not event.any():
        return np.nan
    sf = stats.ecdf(data).sf
    q, prob = np.asarray(sf.quantiles), np.asarray(sf.probabilities)
    hit = np.flatnonzero(prob <= 0.5 + 1e-12)
    return float(q[hit[0]]) if hit.size else np.nan


def length_of_stay(ds: Any, census_date: object, *, by: str | None = "phase",
                   data_from: object = None, min_n: int = 5) -> pd.DataFrame:
    """How long learners stay in an SRB: completed stays, stays so far, Kaplan-Meier.

    Parameters
    ----------
    ds : Dataset
    census_date : date
        Stays are measured as at this day (later dates are ignored).
    by : {"phase", "srb_id", None}, default "phase"
        Groups; a last row ``"all"`` covers every placement.
    data_from : date, optional
        First day the placements are complete (default :func:`observation_start`).
    min_n : int, default 5
        A median of fewer stays than this is not given (``NaN``; "too few to judge").

    Returns
    -------
    pandas.DataFrame
        One row per group: ``group``; ``n_left`` and ``median_completed_years``
        (placements that ended in ``[data_from, census_date]``: the exit cohort);
        ``n_on_roll`` and ``median_so_far_years`` (placements on roll at the census, as
        in :func:`occupancy`: time since their start; one ending on the census day is
        also a completed stay); ``n_started``, ``n_still_placed`` and ``km_median_years``
        (placements started in ``[data_from, census_date]``: the entry cohort, Kaplan-Meier
        median with stays still running treated as censored); ``note``.

    Notes
    -----
    Stay in years :math:`= (\\min(\\text{end}, d) - \\text{start}) / 365.25`.
    The completed-stay median of leavers over-represents short stays in a short window
    and the so-far median of those on roll over-represents long ones; the Kaplan-Meier
    median [1]_ of an entry cohort uses both the completed and the running stays,
    :math:`\\hat S(t) = \\prod_{t_i \\le t} (1 - d_i / n_i)`, median
    :math:`= \\min\\{t: \\hat S(t) \\le 0.5\\}` [2]_, "not reached" (NaN) while more
    than half are still placed.

    References
    ----------
    .. [1] Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete
       observations. *JASA* 53(282), 457-481. doi:10.1080/01621459.1958.10501452
    .. [2] Brookmeyer, R. & Crowley, J. (1982). A confidence interval for the median
       survival time. *Biometrics* 38(1), 29-41. doi:10.2307/2530286

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> length_of_stay(ds, "2024-10-01", by=None, data_from="2020-09-01", min_n=1)[
    ...     ["n_left", "median_completed_years", "n_started", "km_median_years"]].round(3)
       n_left  median_completed_years  n_started  km_median_years
    0       2                    2.88          4             3.88
    """
    _dataset(ds)
    d = _date(census_date, "census_date")
    _choice(by, "by", ["phase", "srb_id", None])
    k = _int(min_n, "min_n", 1, 10_000)
    start = _data_from(ds, data_from)
    p = _placement_frame(ds)
    p = p[p["start_date"] <= d].copy()
    ended = p["end_date"].notna() & (p["end_date"] <= d)
    stop = p["end_date"].where(ended, d)
    p["years"] = (stop - p["start_date"]).dt.days / DAYS_PER_YEAR
    p["left"] = ended & (p["end_date"] >= start)
    p["on_roll"] = _on_roll_mask(p, d)
    p["entry"] = p["start_date"] >= start
    p["ended"] = ended
    groups = ([by] if by is not None else []) + [None]
    rows = []
    for g in groups:
        keys = _text(p[g]) if g is not None else pd.Series(ALL, index=p.index, dtype="str")
        for label in _group_order(keys, by if g is not None else None):
            sub = p[keys == label]
            left, on, entry = sub[sub["left"]], sub[sub["on_roll"]], sub[sub["entry"]]
            km = _km_median(entry["years"].to_numpy(float), entry["ended"].to_numpy(bool))
            rows.append({
                "group": label, "n_left": len(left),
                "median_completed_years": left["years"].median() if len(left) >= k else np.nan,
                "n_on_roll": len(on),
                "median_so_far_years": on["years"].median() if len(on) >= k else np.nan,
                "n_started": len(entry), "n_still_placed": int((~entry["ended"]).sum()),
                "km_median_years": km if len(entry) >= k else np.nan,
                "note": _stay_note(len(left), len(on), len(entry), km, k)})
    if not rows:
        rows.append({"group": ALL, "n_left": 0, "median_completed_years": np.nan,
                     "n_on_roll": 0, "median_so_far_years": np.nan, "n_started": 0,
                     "n_still_placed": 0, "km_median_years": np.nan,
                     "note": "no placements"})
    out = pd.DataFrame(rows)
    for c in ("n_left", "n_on_roll", "n_started", "n_still_placed"):
        out[c] = out[c].astype("int64")
    for c in ("median_completed_years", "median_so_far_years", "km_median_years"):
        out[c] = out[c].astype("float64")
    out["group"] = out["group"].astype("str")
    out["note"] = out["note"].astype("str")
    return out


def _stay_note(n_left: int, n_on: int, n_entry: int, km: float, k: int) -> str:
    notes = []
    few = [w for w, n in (("completed stays", n_left), ("stays so far", n_on),
                          ("entry cohort", n_entry)) if n < k]
    if few:
        notes.append(f"{TOO_FEW} (fewer than {k}): " + ", ".join(few))
    if n_entry >= k and np.isnan(km):
        notes.append("Kaplan-Meier median not reached: more than half of those admitted "
                     "are still placed")
    return "; ".join(notes)


def turnover(ds: Any, *, until: object, by: str | None = "phase",
             data_from: object = None) -> pd.DataFrame:
    """Annual turnover: leavers in a school year / mean number on roll in that year.

    Parameters
    ----------
    ds : Dataset
    until : date
        Only school years that ended (31 August) on or before this day are counted.
    by : {"phase", "srb_id", None}, default "phase"
        Groups; rows ``"all"`` cover every SRB.
    data_from : date, optional
        First day the placements are complete (default :func:`observation_start`);
        only school years starting on or after it are counted.

    Returns
    -------
    pandas.DataFrame
        One row per group and complete school year: ``group``, ``school_year``
        (``"2024/25"``), ``leavers`` (placements ending in the year),
        ``mean_on_roll`` (learner-days on roll / days in the year), ``turnover``
        (leavers / mean on roll; NaN when nobody was on roll). Empty (with these
        columns) when no complete year is observed.

    Notes
    -----
    The crude turnover rate of workforce statistics [1]_, applied to places:

    .. math:: T_y = \\frac{L_y}{\\bar N_y}, \\quad
              \\bar N_y = \\frac{1}{D_y}\\sum_i \\lvert [s_i, e_i] \\cap y \\rvert

    with :math:`L_y` the placements ending in school year :math:`y` (1 September - 31
    August, :math:`D_y` days), :math:`s_i, e_i` the first and last days of placement
    :math:`i` (an open placement runs to ``until``). A transfer between two SRBs of
    the same phase is a leaver of the first. 0.25 means a quarter of the places changed
    hands in the year.

    References
    ----------
    .. [1] CIPD (2024). *Employee turnover and retention* (factsheet): labour turnover
       rate = leavers in the period / average number employed in the period x 100.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> turnover(ds, until="2024-10-01", by=None, data_from="2022-09-01")[
    ...     ["school_year", "leavers", "mean_on_roll", "turnover"]].round(3)
      school_year  leavers  mean_on_roll  turnover
    0     2022/23        1         2.874     0.348
    1     2023/24        1         2.874     0.348
    """
    _dataset(ds)
    end = _date(until, "until")
    _choice(by, "by", ["phase", "srb_id", None])
    start = _data_from(ds, data_from)
    first = _school_year_of(start) + (0 if (start.month, start.day) == (9, 1) else 1)
    last = _school_year_of(end) - (0 if (end.month, end.day) == (8, 31) else 1)
    cols = ["group", "school_year", "leavers", "mean_on_roll", "turnover"]
    years = np.arange(first, last + 1)
    if years.size == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("mean_on_roll",
                                                                    "turnover") else "str")
                             for c in cols})
    p = _placement_frame(ds)
    ys = pd.to_datetime([f"{y}-09-01" for y in years]).to_numpy()
    ye = pd.to_datetime([f"{y + 1}-08-31" for y in years]).to_numpy()
    s = p["start_date"].to_numpy()[:, None]
    e = p["end_date"].fillna(end).to_numpy()[:, None]
    lo = np.maximum(s, ys[None, :])
    hi = np.minimum(e, ye[None, :])
    days = np.clip((hi - lo) / np.timedelta64(1, "D") + 1, 0, None)
    ending = p["end_date"].to_numpy()[:, None]
    with np.errstate(invalid="ignore"):
        leaving = (ending >= ys[None, :]) & (ending <= ye[None, :])
    leaving &= p["end_date"].notna().to_numpy()[:, None]
    year_days = (ye - ys) / np.timedelta64(1, "D") + 1
    labels = [school_year_label(int(y)) for y in years]
    groups = ([by] if by is not None else []) + [None]
    frames = []
    for g in groups:
        keys = _text(p[g]) if g is not None else pd.Series(ALL, index=p.index, dtype="str")
        order = _group_order(keys, by if g is not None else None) or [ALL]
        dsum = pd.DataFrame(days, columns=labels).groupby(keys.to_numpy()).sum()
        lsum = pd.DataFrame(leaving.astype("int64"), columns=labels).groupby(
            keys.to_numpy()).sum()
        dsum = dsum.reindex(order, fill_value=0)
        lsum = lsum.reindex(order, fill_value=0)
        mean = dsum / year_days[None, :]
        frames.append(pd.DataFrame({
            "group": np.repeat(order, len(labels)),
            "school_year": np.tile(labels, len(order)),
            "leavers": lsum.to_numpy().ravel(),
            "mean_on_roll": mean.to_numpy().ravel()}))
    out = pd.concat(frames, ignore_index=True)
    out["leavers"] = out["leavers"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["turnover"] = np.where(out["mean_on_roll"] > 0,
                                   out["leavers"] / out["mean_on_roll"], np.nan)
    out["group"] = out["group"].astype("str")
    out["school_year"] = out["school_year"].astype("str")
    return out[cols]


# --------------------------------------------------------------------------- forecast


def exit_rates(ds: Any, census_date: object, *, history_years: int = 3,
               data_from: object = None) -> pd.DataFrame:
    """Annual rate of leaving early (before ageing out), by phase, from the placements.

    Parameters
    ----------
    ds : Dataset
    census_date : date
        The window ends on this day.
    history_years : int, default 3
        Length of the window, in years before ``census_date`` (cut at ``data_from``).
    data_from : date, optional
        First day the placements are complete (default :func:`observation_start`).

    Returns
    -------
    pandas.DataFrame
        One row per phase of ``srbs``: ``phase``, ``window_from``, ``window_to``,
        ``early_leavers``, ``learner_years`` (time at risk), ``rate_per_year``
        (early leavers / learner-years) and ``annual_exit_probability``
        (:math:`1 - e^{-\\lambda}`); the last two NaN without time at risk.

    Notes
    -----
    A placement's *final school year* is the one in which the learner reaches the SRB's
    ``age_to`` (e.g. the year they turn 11, Year 6, for a 4-11 SRB). An *early leaver*
    ends their placement inside the window before that year begins; leaving in or after
    it is ageing out. Time at risk is the part of each placement inside the window and
    before its final school year:

    .. math:: \\lambda = \\frac{\\text{early leavers}}{\\text{learner-years at risk}},
              \\qquad p = 1 - e^{-\\lambda}

    the constant-hazard conversion of a rate to a one-year probability [1]_. Moves
    between SRBs of one phase count as leaving.

    References
    ----------
    .. [1] Fleurence, R. L. & Hollenbeak, C. S. (2007). Rates and probabilities in
       economic modelling. *PharmacoEconomics* 25(1), 3-6.
       doi:10.2165/00019053-200725010-00002

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> exit_rates(ds, "2024-10-01", data_from="2021-10-01")[
    ...     ["phase", "early_leavers", "learner_years"]].round(3)
           phase  early_leavers  learner_years
    0    primary              1          3.877
    1  secondary              1          3.880
    """
    return _exit_rates(ds, census_date, history_years=history_years, data_from=data_from)


def _exit_rates(ds: Any, census_date: object, *, history_years: int = 3,
                data_from: object = None, p: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`exit_rates`; ``p``: the placement frame, when the caller has built it."""
    _dataset(ds)
    d = _date(census_date, "census_date")
    h = _int(history_years, "history_years", 1, 50)
    start = max(_years_later(d, -h), _data_from(ds, data_from))
    p = _placement_frame(ds) if p is None else p
    final_start = _sy_start(p["final_sy"])
    stop = p["end_date"].fillna(d).clip(upper=d)
    stop = stop.where(final_start.isna() | (stop < final_start),
                      final_start - pd.Timedelta(days=1))
    lo = p["start_date"].clip(lower=start)
    days = ((stop - lo).dt.days + 1).clip(lower=0)
    early = (p["end_date"].notna() & (p["end_date"] >= start) & (p["end_date"] <= d)
             & (final_start.isna() | (p["end_date"] < final_start)))
    phases = [x for x in S.PHASES if x in set(_text(ds.srbs["phase"]))]
    g = pd.DataFrame({"phase": p["phase"], "days": days, "early": early.astype("int64")})
    agg = g.groupby("phase").agg(early_leavers=("early", "sum"), days=("days", "sum"))
    agg = agg.reindex(phases, fill_value=0)
    out = pd.DataFrame({"phase": pd.Series(phases, dtype="str"), "window_from": start,
                        "window_to": d,
                        "early_leavers": agg["early_leavers"].to_numpy(dtype="int64"),
                        "learner_years": agg["days"].to_numpy(dtype="float64")
                        / DAYS_PER_YEAR})
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(out["learner_years"] > 0, out["early_leavers"] / out["learner_years"],
                        np.nan)
    out["rate_per_year"] = rate
    out["annual_exit_probability"] = -np.expm1(-rate)
    return out


def _sy_start(final_sy: pd.Series) -> pd.Series:
    """1 September of each (float) school-year start; NaT where missing."""
    y = final_sy.astype("float64")
    ok = y.notna()
    out = pd.Series(pd.NaT, index=y.index, dtype="datetime64[ns]")
    if ok.any():
        years = y[ok].astype("int64")
        out.loc[ok] = pd.to_datetime(pd.DataFrame({"year": years, "month": 9, "day": 1}))
    return out


def _new_on_roll(p: pd.DataFrame, d0: pd.Timestamp, years: int, data_from: pd.Timestamp
                 ) -> tuple[pd.DataFrame, list[pd.Timestamp]]:
    """Learners new on roll in their phase at each of the last ``years`` censuses.

    Returns the learner rows (``phase``, ``census_date``, ``learner_id``, ``c``: school
    years remaining before ageing out, counted from the census's school year) and the
    census dates used (those whose previous census is on or after ``data_from``).
    """
    rows, used = [], []
    for j in range(years):
        c, prev = _years_later(d0, -j), _years_later(d0, -(j + 1))
        if prev < data_from:
            continue
        used.append(c)
        now = p.loc[_on_roll_mask(p, c)].sort_values("start_date", kind="stable")
        now = now.drop_duplicates(["learner_id", "phase"], keep="last")
        before = p.loc[_on_roll_mask(p, prev), ["learner_id", "phase"]].drop_duplicates()
        key_now = now["learner_id"] + "\x00" + now["phase"].fillna("")
        key_before = before["learner_id"] + "\x00" + before["phase"].fillna("")
        new = now[~is_in(key_now, key_before)]
        rows.append(pd.DataFrame({"phase": new["phase"], "census_date": c,
                                  "learner_id": new["learner_id"],
                                  "c": (new["final_sy"] - _school_year_of(c)).clip(lower=0)}))
    cols = {"phase": "str", "census_date": "datetime64[ns]", "learner_id": "str",
            "c": "float64"}
    out = (pd.concat(rows, ignore_index=True) if rows else
           pd.DataFrame({k: pd.Series(dtype=v) for k, v in cols.items()}))
    return out, used


def admissions_history(ds: Any, census_date: object, *, years: int = 3,
                       data_from: object = None) -> pd.DataFrame:
    """Learners new on roll in each phase at each of the last ``years`` censuses.

    Parameters
    ----------
    ds : Dataset
    census_date : date
        The latest census; earlier ones fall on the same day of earlier years.
    years : int, default 3
    data_from : date, optional
        Years whose previous census falls before this day are not counted
        (default :func:`observation_start`).

    Returns
    -------
    pandas.DataFrame
        One row per phase and census used: ``phase``, ``census_date``, ``school_year``,
        ``new_on_roll`` (on roll in the phase at this census, not at the one a year
        before), ``on_roll``. Empty when no year is observed.

    Notes
    -----
    "Admissions" are counted census to census so that they match what a census
    counts: a learner admitted and gone between two censuses is not counted, and a
    move from a primary to a secondary SRB is an admission to secondary.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> admissions_history(ds, "2023-10-01", years=2, data_from="2020-09-01")[
    ...     ["phase", "school_year", "new_on_roll", "on_roll"]]
           phase school_year  new_on_roll  on_roll
    0    primary     2023/24            0        1
    1    primary     2022/23            1        2
    2  secondary     2023/24            1        2
    3  secondary     2022/23            0        1
    """
    _dataset(ds)
    d0 = _date(census_date, "census_date")
    n = _int(years, "years", 1, 50)
    p = _placement_frame(ds)
    new, used = _new_on_roll(p, d0, n, _data_from(ds, data_from))
    phases = [x for x in S.PHASES if x in set(_text(ds.srbs["phase"]))]
    if not used:
        return pd.DataFrame({"phase": pd.Series(dtype="str"),
                             "census_date": pd.Series(dtype="datetime64[ns]"),
                             "school_year": pd.Series(dtype="str"),
                             "new_on_roll": pd.Series(dtype="int64"),
                             "on_roll": pd.Series(dtype="int64")})
    grid = pd.MultiIndex.from_product([phases, used], names=["phase", "census_date"])
    counts = new.groupby(["phase", "census_date"]).size().reindex(grid, fill_value=0)
    rolls = []
    for c in used:
        on = p.loc[_on_roll_mask(p, c), ["learner_id", "phase"]].drop_duplicates()
        rolls.append(on.groupby("phase").size().rename(c))
    roll = pd.concat(rolls, axis=1).reindex(phases).fillna(0)
    out = counts.rename("new_on_roll").reset_index()
    out["on_roll"] = [int(roll.at[ph, c]) for ph, c in zip(out["phase"], out["census_date"],
                                                              strict=True)]
    out["school_year"] = school_year_label(_school_year(out["census_date"]))
    out["new_on_roll"] = out["new_on_roll"].astype("int64")
    out["phase"] = out["phase"].astype("str")
    return out[["phase", "census_date", "school_year", "new_on_roll", "on_roll"]]


def _total_quantiles(n: int, q: float, mu: float, probs: np.ndarray) -> np.ndarray:
    """Quantiles of Binomial(n, q) + Poisson(mu), by convolving their pmfs.

    The quantile of probability a is the smallest x with P(T <= x) >= a (as
    ``scipy.stats.poisson.ppf``). Tails beyond 1e-12 are cut.
    """
    if n == 0 or q <= 0:
        lo_b, pmf_b = 0, np.array([1.0])
    elif q >= 1:
        lo_b, pmf_b = n, np.array([1.0])
    else:
        lo_b = int(stats.binom.ppf(1e-12, n, q))
        hi_b = int(stats.binom.isf(1e-12, n, q))
        pmf_b = stats.binom.pmf(np.arange(lo_b, hi_b + 1), n, q)
    if mu <= 0:
        pmf_p = np.array([1.0])
    else:
        hi_p = int(stats.poisson.isf(1e-12, mu))
        pmf_p = stats.poisson.pmf(np.arange(0, hi_p + 1), mu)
    pmf = np.convolve(pmf_b, pmf_p)
    cdf = np.cumsum(pmf) / pmf.sum()
    idx = np.searchsorted(cdf, np.asarray(probs) - 1e-10, side="left")
    return lo_b + np.minimum(idx, len(cdf) - 1)


def forecast_places(ds: Any, census_date: object, horizon_years: int = 3, *,
                    exit_rate: str | float = "observed", admissions_years: int = 3,
                    interval: float = 0.8, planned_changes: pd.DataFrame | None = None,
                    data_from: object = None) -> pd.DataFrame:
    """Places needed by phase in each of the next years, with an interval, against places.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs``, ``learners`` (birth month) and ``placements``.
    census_date : date
        The census the forecast starts from (year 0: learners on roll that day).
    horizon_years : int, default 3
        Years ahead, 1 to 5; year *k* is the census *k* years after ``census_date``.
    exit_rate : "observed" or float, default "observed"
        Annual probability that a learner leaves early (before ageing out): "observed"
        estimates it by phase with :func:`exit_rates` (last ``admissions_years`` years);
        a number from 0 up to 1 applies it to every phase (0: learners leave only by
        ageing out).
    admissions_years : int, default 3
        Years of history behind the admissions mean (and the observed exit rate).
    interval : float, default 0.8
        Coverage of the forecast interval (0.8: the 10th to 90th percentiles).
    planned_changes : pandas.DataFrame, optional
        Planned openings and changes of places (see :func:`capacity_at`).
    data_from : date, optional
        First day the placements are complete (default :func:`observation_start`).

    Returns
    -------
    pandas.DataFrame
        One row per phase (of ``srbs`` and of new SRBs) and year ``0..horizon_years``:
        ``phase``, ``year``, ``census_date``, ``school_year``, ``capacity`` (places that
        day, with planned changes), ``expected_on_roll`` (places needed), ``on_roll_low``,
        ``on_roll_high`` (the interval), ``expected_current`` (today's learners still on
        roll), ``expected_admitted`` (future admissions still on roll),
        ``current_remaining`` (today's learners not yet aged out), ``balance``
        (capacity - expected; negative: places short), ``balance_low``, ``balance_high``
        (capacity - high, capacity - low), ``outlook`` ("short" if even the low end
        exceeds the places, "spare" if even the high end is below them, else
        "uncertain"; year 0: "short", "spare" or "exactly full"),
        ``admissions_per_year`` (:math:`\\hat\\lambda`), ``admission_years_used``,
        ``exit_probability`` (:math:`p`), ``interval`` and ``note``.

    Notes
    -----
    A cohort-survival (grade-progression) roll-forward [1]_ of today's learners plus a
    Poisson model of admissions [2]_, by phase of SRB, evaluated at one census a year.

    *Today's learners.* Learner *i*, on roll at the census, has :math:`r_i` school years
    left before ageing out: the school year in which they reach their SRB's ``age_to``
    minus the current school year (a learner already past it: 0). They leave at the end
    of that year, or earlier with the annual early-exit probability :math:`p` of their
    phase (:func:`exit_rates`). Of the :math:`N_k = \\#\\{i: r_i \\ge k\\}` learners
    not aged out by year *k*, the number still on roll is
    :math:`B_k \\sim \\text{Binomial}(N_k, (1-p)^k)`.

    *Admissions.* Learners new on roll in the phase at each of the last
    ``admissions_years`` censuses (:func:`admissions_history`) give the mean
    :math:`\\hat\\lambda`; admissions in a future year are
    :math:`\\text{Poisson}(\\hat\\lambda)`. An admission *t* years before year *k* is
    still on roll with probability :math:`S(t) = P(c \\ge t)(1-p)^t`, where the
    distribution of :math:`c` (school years left at its first census) is that of the
    recent admissions. By the thinning property of the Poisson process [3]_ the admitted
    learners on roll in year *k* are :math:`A_k \\sim \\text{Poisson}(\\mu_k)`,
    :math:`\\mu_k = \\hat\\lambda \\sum_{t=0}^{k-1} S(t)`.

    *Places needed* :math:`T_k = B_k + A_k`: expected
    :math:`N_k(1-p)^k + \\mu_k`; the interval is the exact
    :math:`(1 \\mp \\text{interval})/2` quantiles of the sum (pmfs convolved; no
    simulation, so the result is deterministic). Capacity is
    :func:`capacity_at` the census date. Demand is not capped by capacity.

    Assumptions (documented in the report's caveats): admissions continue at the recent
    mean (no trend; with 3 years a trend cannot be told from noise, and the interval
    ignores the uncertainty in :math:`\\hat\\lambda`, so it is too narrow if demand is
    changing); the recent admissions' ages represent future ones; exits are
    independent with a constant rate; a primary learner who ages out re-enters only
    through the secondary admissions trend; a planned new SRB adds places, not demand.

    References
    ----------
    .. [1] Shryock, H. S. & Siegel, J. S. (1976). *The Methods and Materials of
       Demography* (condensed ed.), ch. 23: projections of school enrolment by the
       cohort-survival (grade-progression ratio) method. Academic Press.
    .. [2] Cameron, A. C. & Trivedi, P. K. (2013). *Regression Analysis of Count Data*
       (2nd ed.), ch. 1-3. Cambridge University Press.
    .. [3] Kingman, J. F. C. (1993). *Poisson Processes*, section 5.1 (colouring and
       thinning). Oxford University Press.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> fc = forecast_places(ds, "2023-10-01", 2, exit_rate=0.0, data_from="2020-09-01")
    >>> fc[["phase", "year", "capacity", "expected_current", "current_remaining"]]
           phase  year  capacity  expected_current  current_remaining
    0    primary     0         8               1.0                  1
    1    primary     1         8               1.0                  1
    2    primary     2         8               1.0                  1
    3  secondary     0        20               2.0                  2
    4  secondary     1        20               2.0                  2
    5  secondary     2        20               2.0                  2
    """
    _dataset(ds)
    d0 = _date(census_date, "census_date")
    h = _int(horizon_years, "horizon_years", 1, 5)
    ay = _int(admissions_years, "admissions_years", 1, 20)
    cover = _fraction(interval, "interval")
    if isinstance(exit_rate, str):
        _choice(exit_rate, "exit_rate", ["observed"])
    else:
        _fraction(exit_rate, "exit_rate", closed_low=True)
    start = _data_from(ds, data_from)
    p = _placement_frame(ds)
    dates = [_years_later(d0, k) for k in range(h + 1)]
    caps = capacity_at(ds.srbs, dates, planned_changes=planned_changes)
    phases = [x for x in S.PHASES if x in set(caps["phase"].dropna())]
    cap = caps.groupby(["phase", "census_date"])["capacity"].sum()

    # today's learners: one row per learner and phase, r = school years left
    now = p.loc[_on_roll_mask(p, d0)].sort_values("start_date", kind="stable")
    now = now.drop_duplicates(["learner_id", "phase"], keep="last")
    r_raw = now["final_sy"] - _school_year_of(d0)
    unknown_age = r_raw.isna()
    past_age = (r_raw < 0)
    r = r_raw.clip(lower=0).fillna(h)  # no age known: assumed not to age out

    if isinstance(exit_rate, str):
        er = _exit_rates(ds, d0, history_years=ay, data_from=start, p=p).set_index("phase")
        p_exit = er["annual_exit_probability"].reindex(phases)
    else:
        p_exit = pd.Series(float(exit_rate), index=phases)
    no_rate = p_exit.isna()
    p_exit = p_exit.fillna(0.0)

    new, used = _new_on_roll(p, d0, ay, start)
    probs = np.array([(1 - cover) / 2, (1 + cover) / 2])
    rows = []
    for ph in phases:
        ri = r[now["phase"] == ph].to_numpy(dtype="float64")
        pe = float(p_exit[ph])
        nc = new.loc[new["phase"] == ph, "c"].to_numpy(dtype="float64")
        lam = len(nc) / len(used) if used else 0.0
        t = np.arange(h)
        surv_c = (nc[:, None] >= t[None, :]).mean(axis=0) if len(nc) else np.zeros(h)
        s_t = surv_c * (1 - pe) ** t
        notes = []
        if not used:
            notes.append("no admission history before the census: admissions assumed 0")
        if bool(no_rate.get(ph, False)) and isinstance(exit_rate, str):
            notes.append("no time at risk to estimate early exits: assumed 0")
        n_past = int(past_age[now["phase"] == ph].sum())
        if n_past:
            notes.append(f"{n_past} on roll past their SRB's age range: assumed to leave "
                         "this year")
        n_unknown = int(unknown_age[now["phase"] == ph].sum())
        if n_unknown:
            notes.append(f"{n_unknown} without a birth month or age range: assumed to stay")
        for k in range(h + 1):
            nk = int((ri >= k).sum())
            qk = (1 - pe) ** k
            mu = lam * s_t[:k].sum() if k > 0 else 0.0
            if k == 0:
                lo = hi = nk
            else:
                lo, hi = (int(x) for x in _total_quantiles(nk, qk, mu, probs))
            c_k = cap.get((ph, dates[k]), pd.NA)
            rows.append({
                "phase": ph, "year": k, "census_date": dates[k],
                "school_year": school_year_label(_school_year_of(dates[k])),
                "capacity": c_k, "expected_on_roll": nk * qk + mu,
                "on_roll_low": lo, "on_roll_high": hi, "expected_current": nk * qk,
                "expected_admitted": mu, "current_remaining": nk,
                "admissions_per_year": lam, "admission_years_used": len(used),
                "exit_probability": pe, "interval": cover, "note": "; ".join(notes)})
    cols = ["phase", "year", "census_date", "school_year", "capacity", "expected_on_roll",
            "on_roll_low", "on_roll_high", "expected_current", "expected_admitted",
            "current_remaining", "balance", "balance_low", "balance_high", "outlook",
            "admissions_per_year", "admission_years_used", "exit_probability", "interval",
            "note"]
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    out["capacity"] = out["capacity"].astype("Int64")
    for c in ("on_roll_low", "on_roll_high", "current_remaining", "admission_years_used",
              "year"):
        out[c] = out[c].astype("int64")
    capf = out["capacity"].astype("float64")
    out["balance"] = capf - out["expected_on_roll"]
    out["balance_low"] = capf - out["on_roll_high"]
    out["balance_high"] = capf - out["on_roll_low"]
    out["outlook"] = np.select(
        [(out["year"] == 0) & (out["on_roll_low"] > capf),
         (out["year"] == 0) & (out["on_roll_low"] < capf),
         out["year"] == 0,
         out["on_roll_low"] > capf, out["on_roll_high"] < capf],
        ["short", "spare", "exactly full", "short", "spare"], default="uncertain")
    out["outlook"] = out["outlook"].astype("str")
    out["phase"] = out["phase"].astype("str")
    out["school_year"] = out["school_year"].astype("str")
    out["note"] = out["note"].astype("str")
    return out[cols]


# --------------------------------------------------------------------------- display

_MARKERS = (disclosure.SMALL_COUNT_TEXT, disclosure.SUPPRESSED_TEXT)


def _pct_text(x: float) -> str:
    """0.375 -> "37.5%", 1.0 -> "100%", NaN -> "no data" (one decimal, half up)."""
    if x is None or pd.isna(x):
        return NO_DATA
    v = np.floor(1000.0 * float(x) + 0.5) / 10.0
    return f"{v:.1f}".removesuffix(".0") + "%"


def _num_text(x: float, decimals: int = 1, *, na: str = NO_DATA) -> str:
    if x is None or pd.isna(x):
        return na
    v = np.floor(float(x) * 10**decimals + 0.5) / 10**decimals
    return f"{v:,.{decimals}f}"


def _int_text(x: object) -> str:
    return NO_DATA if x is None or pd.isna(x) else f"{int(x):,}"  # type: ignore[arg-type]


def _places(n: object) -> str:
    """``1 -> "1 place"``, ``"42" -> "42 places"``."""
    return f"{n} place" + ("" if str(n) == "1" else "s")


def _and_list(items: list[str]) -> str:
    """``["a", "b", "c"] -> "a, b and c"``."""
    items = [str(x) for x in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _date_text(d: pd.Timestamp) -> str:
    return f"{d.day} {d:%B %Y}"


def _hidden(text: pd.Series) -> pd.Series:
    return text.astype("str").isin(_MARKERS)


def _roll_suppression(occ: pd.DataFrame, published: bool) -> tuple[pd.Series, pd.Series, str]:
    """Display text of on roll per SRB and per phase, and of the grand total.

    Published: primary and secondary suppression on the SRB x phase table with phase
    totals and the grand total (:func:`srb_eval.report.disclosure.suppress_counts`), so that no
    hidden SRB can be recovered from a phase total or the grand total.
    """
    phases = [x for x in S.PHASES if x in set(occ["phase"])] + sorted(
        set(occ["phase"].dropna()) - set(S.PHASES))
    on = occ["on_roll"].astype("float64")
    if not published:
        srb = on.map(_int_text)
        by_phase = pd.Series({ph: _int_text(on[occ["phase"] == ph].sum(min_count=1)
                                            if on[occ["phase"] == ph].notna().all()
                                            else np.nan) for ph in phases}, dtype="str")
        total = _int_text(on.sum() if on.notna().all() else np.nan)
        return srb.astype("str"), by_phase, total
    m = pd.DataFrame({ph: np.where(occ["phase"] == ph, on, 0.0) for ph in phases})
    m["total"] = on.to_numpy()
    tot = {ph: (on[occ["phase"] == ph].sum() if on[occ["phase"] == ph].notna().all()
                else np.nan) for ph in phases}
    tot["total"] = on.sum() if on.notna().all() else np.nan
    m.loc[len(m)] = tot
    m["label"] = [f"r{i}" for i in range(len(m) - 1)] + ["TOTAL"]
    shown = disclosure.suppress_counts(m, phases + ["total"], audience="published",
                                       total_row="TOTAL", total_column="total")
    body = shown.iloc[:-1]
    # each SRB's cell in the column of its phase (the total column when no phase)
    phase = occ["phase"]
    cells = body["total"].to_numpy(dtype=object, na_value=np.nan).copy() if len(occ) else \
        np.array([], dtype=object)
    for ph in phases:
        at = (phase == ph).to_numpy(dtype=bool, na_value=False)
        cells[at] = body[ph].to_numpy(dtype=object, na_value=np.nan)[at]
    srb_text = pd.Series(cells, index=occ.index, dtype="str")
    by_phase = pd.Series({ph: shown.iloc[-1][ph] for ph in phases}, dtype="str")
    return srb_text, by_phase, str(shown.iloc[-1]["total"])


def display_occupancy(occ: pd.DataFrame, *, audience: str,
                      already_published: bool = False) -> pd.DataFrame:
    """The occupancy table a report shows: one row per SRB and a total row, as text.

    Parameters
    ----------
    occ : pandas.DataFrame
        From :func:`occupancy` or :func:`occupancy_from_census`.
    audience : {"internal", "published"}
    already_published : bool, default False
        The counts are already public (e.g. Fig. 3 of the 2020 strategy): shown as they
        are, whatever the audience.

    Returns
    -------
    pandas.DataFrame
        Columns ``srb``, ``phase``, ``places``, ``on_roll``, ``occupancy`` ("37.5%"),
        ``unfilled_places``, ``places_over``, ``status`` and, when the data record it,
        ``awaiting_start``; a last row "all SRBs". For a published audience counts on
        roll from 1 to 4 show "<5", a second SRB (or phase) is hidden ("[c]") where a
        total would give the first away, and everything derived from a hidden count
        (occupancy, unfilled places, places over, status) shows "[c]" too. Never NaN.
    """
    published = disclosure.check_audience(audience) == "published" and not already_published
    srb_text, _, total_text = _roll_suppression(occ, published)
    hide = _hidden(srb_text)
    cap = occ["capacity"].astype("float64")
    out = pd.DataFrame({
        "srb": _text(occ["name"]).fillna(_text(occ["srb_id"])),
        "phase": _text(occ["phase"]).fillna(NO_DATA),
        "places": cap.map(_int_text),
        "on_roll": srb_text,
        "occupancy": occ["occupancy"].map(_pct_text),
        "unfilled_places": occ["unfilled_places"].map(_int_text),
        "places_over": occ["places_over"].map(_int_text),
        "status": _text(occ["status"]),
    })
    for c in ("occupancy", "unfilled_places", "places_over", "status"):
        out[c] = out[c].where(~hide, disclosure.SUPPRESSED_TEXT)
    total_on = occ["on_roll"].astype("float64")
    total_hidden = total_text in _MARKERS
    tot_cap = cap.sum()
    total = {
        "srb": ALL_SRBS, "phase": ALL, "places": _int_text(tot_cap), "on_roll": total_text,
        "occupancy": _pct_text(total_on.sum() / tot_cap if tot_cap > 0
                               and total_on.notna().all() else np.nan),
        "unfilled_places": _int_text(occ["unfilled_places"].sum()
                                     if total_on.notna().all() else np.nan),
        "places_over": _int_text(occ["places_over"].sum()
                                 if total_on.notna().all() else np.nan),
        "status": ""}
    if total_hidden:
        for c in ("occupancy", "unfilled_places", "places_over"):
            total[c] = disclosure.SUPPRESSED_TEXT
    elif published and hide.any():
        # with a hidden SRB, the totals of unfilled places and places over capacity
        # bound the hidden counts (e.g. "none over capacity"): not shown
        for c in ("unfilled_places", "places_over"):
            total[c] = disclosure.SUPPRESSED_TEXT
    out.loc[len(out)] = total
    if occ["awaiting_start"].notna().any():
        wait = pd.DataFrame({"awaiting_start": list(occ["awaiting_start"].astype("float64"))
                             + [occ["awaiting_start"].sum()], "label": list(out["srb"])})
        shown = disclosure.suppress_counts(wait, ["awaiting_start"],
                                           audience="published" if published else "internal",
                                           total_row=ALL_SRBS)
        out["awaiting_start"] = shown["awaiting_start"].astype("str").to_numpy()
    return out.astype("str")


def display_occupancy_summary(occ: pd.DataFrame, *, audience: str, by: str = "phase",
                              already_published: bool = False) -> pd.DataFrame:
    """:func:`occupancy_summary` as a report shows it (text, suppressed if published).

    Parameters
    ----------
    occ : pandas.DataFrame
        From :func:`occupancy` or :func:`occupancy_from_census`.
    audience : {"internal", "published"}
    by : {"phase", "designation"}, default "phase"
    already_published : bool, default False
        As in :func:`display_occupancy`.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``srbs``, ``places``, ``on_roll``, ``occupancy``,
        ``unfilled_places``, ``places_over``, ``net_spare``. Published by phase: the
        phase totals are suppressed consistently with :func:`display_occupancy`.
        Published by designation: only ``group``, ``srbs`` and ``places`` (designations
        overlap, so their on-roll totals could be differenced to reveal a small SRB).
    """
    _choice(by, "by", ["phase", "designation"])
    published = disclosure.check_audience(audience) == "published" and not already_published
    s = occupancy_summary(occ, by=by)
    out = pd.DataFrame({"group": s["group"].astype("str"),
                        "srbs": s["n_srbs"].map(_int_text),
                        "places": s["capacity"].map(_int_text)})
    if published and by == "designation":
        return out.astype("str")
    srb_text, by_phase, total_text = _roll_suppression(occ, published)
    roll = s["on_roll"].map(_int_text)
    partly_hidden = pd.Series(False, index=s.index)
    if by == "phase":
        roll = s["group"].map(by_phase).fillna(total_text).where(
            s["group"] != ALL_SRBS, total_text)
        if published:
            hidden_phases = set(_text(occ["phase"])[_hidden(srb_text)])
            partly_hidden = s["group"].isin(hidden_phases) | (
                (s["group"] == ALL_SRBS) & bool(hidden_phases))
    out["on_roll"] = roll.astype("str")
    out["occupancy"] = s["occupancy"].map(_pct_text)
    out["unfilled_places"] = s["unfilled_places"].map(_int_text)
    out["places_over"] = s["places_over"].map(_int_text)
    out["net_spare"] = s["net_spare"].map(_int_text)
    hide = _hidden(out["on_roll"])
    for c in ("occupancy", "unfilled_places", "places_over", "net_spare"):
        out[c] = out[c].where(~hide, disclosure.SUPPRESSED_TEXT)
    for c in ("unfilled_places", "places_over"):
        out[c] = out[c].where(~partly_hidden, disclosure.SUPPRESSED_TEXT)
    return out.astype("str")


def _names(frame: pd.DataFrame) -> str:
    items = frame["srb"].tolist()
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def occupancy_heading(occ: pd.DataFrame, *, audience: str,
                      already_published: bool = False) -> str:
    """A heading that says what the occupancy table found, in words from the numbers.

    Examples
    --------
    >>> fig3 = load_published_fig3()
    >>> occ = occupancy_from_census(fig3.srbs, fig3.census)
    >>> occupancy_heading(occ, audience="published", already_published=True)
    '1 October 2020: of 5 SRBs, 1 full and 2 under-used; 42 places unfilled'
    """
    t = display_occupancy(occ, audience=audience, already_published=already_published)
    body, total = t.iloc[:-1], t.iloc[-1]
    d = pd.Timestamp(occ["census_date"].iloc[0]) if len(occ) else None
    n = len(body)
    found = [(int(body["status"].eq(word).sum()), word)
             for word in ("over capacity", "full", "under-used")]
    found = [(c, w) for c, w in found if c]
    srbs = f"{n} SRB{'s' if n != 1 else ''}"
    if found:
        parts = [f"of {srbs}, " + _and_list([f"{c} {w}" for c, w in found])]
    else:
        parts = [f"none of the {srbs} full or under-used"]
    unfilled = total["unfilled_places"]
    tail = ""
    if unfilled not in _MARKERS and unfilled != NO_DATA:
        tail = f"; {_places(unfilled)} unfilled"
    elif total["on_roll"] not in _MARKERS and total["on_roll"] != NO_DATA:
        net = int(occ["capacity"].astype("float64").sum() - occ["on_roll"].sum())
        tail = (f"; net {_places(net)} spare" if net >= 0 else
                f"; {-net} more learners than places")
    head = _date_text(d) + ": " if d is not None else ""
    return head + ", ".join(parts) + tail


def occupancy_sentences(occ: pd.DataFrame, *, audience: str,
                        already_published: bool = False,
                        underused_below: float = UNDERUSED_BELOW) -> list[str]:
    """Plain-English findings on occupancy: which SRBs are full, which under-used.

    Returns
    -------
    list of str
        Sentences built from :func:`display_occupancy` (so a published report words
        only what its table shows).

    Examples
    --------
    >>> fig3 = load_published_fig3()
    >>> occ = occupancy_from_census(fig3.srbs, fig3.census)
    >>> occupancy_sentences(occ, audience="published", already_published=True)[0]
    'Full: Overmonnow Primary School (20 on roll for 20 places).'
    """
    t = display_occupancy(occ, audience=audience, already_published=already_published)
    body, total = t.iloc[:-1], t.iloc[-1]
    out = []

    def listing(rows: pd.DataFrame, extra: str) -> str:
        items = [f"{r.srb} ({r.on_roll} on roll for {_places(r.places)}{extra.format(r=r)})"
                 for r in rows.itertuples()]
        return items[0] if len(items) == 1 else "; ".join(items)

    over = body[body["status"] == "over capacity"]
    if len(over):
        out.append("Over capacity: " + listing(over, ", {r.places_over} over") + ".")
    full = body[body["status"] == "full"]
    if len(full):
        out.append("Full: " + listing(full, "") + ".")
    under = body[body["status"] == "under-used"]
    if len(under):
        out.append(f"Under-used (fewer than {_pct_text(underused_below)} of places filled): "
                   + listing(under, ", {r.occupancy} full") + ".")
    spare = body[body["status"] == "spare places"]
    if len(spare):
        out.append("With spare places: " + listing(spare, ", {r.unfilled_places} unfilled")
                   + ".")
    nothing = body[body["status"].isin(["no places", "no data"])]
    if len(nothing):
        out.append("No places or no count recorded: " + _names(nothing) + ".")
    hidden = body[body["status"] == disclosure.SUPPRESSED_TEXT]
    if len(hidden):
        out.append(f"Figures for {_names(hidden)} are not shown: the number on roll is "
                   "small, or would let a small number be worked out from the totals.")
    if total["on_roll"] not in _MARKERS and total["on_roll"] != NO_DATA:
        first = (f"Across all {len(body)} SRBs, {total['on_roll']} learners were on roll "
                 f"for {total['places']} places ({total['occupancy']})")
        if total["unfilled_places"] not in _MARKERS:
            out.append(first + f"; {_places(total['unfilled_places'])} "
                       f"{'was' if total['unfilled_places'] == '1' else 'were'} unfilled"
                       + (f", while over-full SRBs held {total['places_over']} more "
                          "learners than places" if total["places_over"] not in ("0", NO_DATA)
                          else "")
                       + ".")
        else:
            net = int(occ["capacity"].astype("float64").sum() - occ["on_roll"].sum())
            out.append(first + (f": a net {_places(net)} spare." if net >= 0 else
                                f": {-net} more learners than places."))
    return out


def display_waiting_times(summary: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """:func:`waiting_time_summary` as a report shows it (weeks, text, suppressed).

    Returns
    -------
    pandas.DataFrame
        Columns ``interval``, ``group``, ``n``, ``n_excluded``, ``median_weeks``,
        ``longest_weeks``. Published: counts 1-4 as "<5" (with secondary suppression
        against the "all" row of each interval); a median or longest wait of fewer than
        10 placements "[c]". Missing statistics are worded from ``note``.
    """
    published = disclosure.check_audience(audience) == "published"
    frames = []
    for interval in dict.fromkeys(summary["interval"]):
        s = summary[summary["interval"] == interval].reset_index(drop=True)
        base = pd.DataFrame({"interval": s["interval"], "group": s["group"],
                             "n": s["n"].astype("float64"),
                             "n_excluded": s["n_excluded"].astype("float64"),
                             "median_weeks": s["median_weeks"],
                             "longest_weeks": s["longest_weeks"]})
        has_total = (s["group"] == ALL).any() and len(s) > 1
        shown = disclosure.safe_table(
            base, audience=audience, count_columns=["n", "n_excluded"], n_column="n",
            total_row=ALL if has_total and published else None, id_columns=())
        for c in ("median_weeks", "longest_weeks"):
            text = s[c].map(_num_text)
            text = text.where(s[c].notna(), s["note"].replace("", NO_DATA))
            if published:
                text = text.where(~(shown[c].astype("str") == disclosure.SUPPRESSED_TEXT),
                                  disclosure.SUPPRESSED_TEXT)
                text = text.where(~_hidden(shown["n"]), disclosure.SUPPRESSED_TEXT)
            shown[c] = text
        frames.append(shown)
    out = pd.concat(frames, ignore_index=True) if frames else summary.iloc[:0]
    return out.astype("str")


def waiting_time_sentences(summary: pd.DataFrame, *, audience: str) -> list[str]:
    """Plain-English findings on waits, from the "all" rows of the summary.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> s = waiting_time_summary(load_dataset(PROJECT_ROOT / "tests/data/minimal"))
    >>> waiting_time_sentences(s, audience="internal")[1]
    'From panel to start: median 12.5 weeks, longest 13.6 weeks (4 placements).'
    """
    t = display_waiting_times(summary, audience=audience)
    rows = t[t["group"] == ALL]
    out = []
    published = disclosure.check_audience(audience) == "published"
    for r in rows.itertuples():
        if r.median_weeks in _MARKERS or r.n in _MARKERS:
            out.append(f"From {r.interval}: too few placements to publish a median.")
        elif not r.median_weeks[:1].isdigit():
            out.append(f"From {r.interval}: {r.median_weeks} ({r.n} placements with both "
                       "dates)." if not published else f"From {r.interval}: {TOO_FEW}.")
        else:
            out.append(f"From {r.interval}: median {r.median_weeks} weeks, longest "
                       f"{r.longest_weeks} weeks ({r.n} placements).")
        if r.n_excluded not in ("0", NO_DATA):
            out[-1] += f" {r.n_excluded} placements without both dates were left out."
    return out


def display_need_mix(change: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """:func:`need_mix_change` as a report shows it: counts, shares, change.

    Returns
    -------
    pandas.DataFrame
        Columns ``primary_need``, ``n_from``, ``share_from``, ``n_to``, ``share_to``,
        ``change_points``, and a last row "all needs". Published: counts 1-4 "<5" with
        secondary suppression against the totals; shares suppressed by
        :func:`srb_eval.report.disclosure.safe_table` rules; a change "[c]" when either share
        is hidden.
    """
    c = change.reset_index(drop=True)
    t_from = int(c["n_total_from"].max()) if len(c) else 0
    t_to = int(c["n_total_to"].max()) if len(c) else 0
    base = pd.DataFrame({"primary_need": c["primary_need"].astype("str"),
                         "n_from": c["n_from"].astype("float64"),
                         "n_total_from": float(t_from),
                         "n_to": c["n_to"].astype("float64"),
                         "n_total_to": float(t_to)})
    base.loc[len(base)] = {"primary_need": "all needs", "n_from": t_from,
                           "n_total_from": t_from, "n_to": t_to, "n_total_to": t_to}
    shown = disclosure.safe_table(
        base, audience=audience, count_columns=["n_from", "n_to"],
        percent_columns={"share_from": ("n_from", "n_total_from"),
                         "share_to": ("n_to", "n_total_to")},
        total_row="all needs", id_columns=(), decimals=0)
    pts = list(c["change_points"]) + [np.nan]
    change_text = pd.Series([NO_DATA if pd.isna(v) else f"{v:+.0f}" if abs(v) >= 0.5
                             else "0" for v in pts], dtype="str")
    hide = _hidden(shown["share_from"]) | _hidden(shown["share_to"])
    change_text = change_text.where(~hide, disclosure.SUPPRESSED_TEXT)
    change_text.iloc[-1] = ""
    shown["change_points"] = change_text.to_numpy()
    return shown[["primary_need", "n_from", "share_from", "n_to", "share_to",
                  "change_points"]].astype("str")


def need_mix_sentences(change: pd.DataFrame, test: pd.DataFrame, *,
                       audience: str) -> list[str]:
    """Plain-English findings on the need mix and whether it shifted.

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> ds = load_dataset(PROJECT_ROOT / "tests/data/minimal")
    >>> ch = need_mix_change(ds, "2022-10-01", "2024-10-01")
    >>> need_mix_sentences(ch, need_mix_test(ds, "2022-10-01", "2024-10-01"),
    ...                    audience="published")[-1]
    'Too few learners left or joined between the two dates to test whether the mix really shifted (at least 5 of each are needed).'
    """
    t = display_need_mix(change, audience=audience)
    body = t.iloc[:-1]
    out = []
    row = test.iloc[0]
    d1, d2 = _date_text(row["date_from"]), _date_text(row["date_to"])
    ok = body[~_hidden(body["share_to"]) & (body["share_to"] != NO_DATA)]
    if len(ok):
        top = change.loc[change["primary_need"].isin(ok["primary_need"])].sort_values(
            ["n_to", "primary_need"], ascending=[False, True]).iloc[0]
        r = ok.set_index("primary_need").loc[top["primary_need"]]
        out.append(f"On {d2} the largest group by primary need was {top['primary_need']} "
                   f"({r['share_to']} of learners on roll, {r['change_points']} percentage "
                   f"points since {d1}).")
    elif len(body):
        out.append(f"Shares by need on {d2} are not shown: the groups are small.")
    if row["method"] == "none":
        if str(row["note"]).startswith(TOO_FEW_TEST):
            k = re.search(r"fewer than (\d+)", str(row["note"]))
            out.append("Too few learners left or joined between the two dates to test "
                       "whether the mix really shifted"
                       + (f" (at least {k.group(1)} of each are needed)." if k else "."))
        else:
            out.append(str(row["note"])[:1].upper() + str(row["note"])[1:] + ".")
    else:
        verdict = ("more than chance would explain" if row["p_val"] < 0.05 else
                   "no more than chance could explain")
        out.append(f"The learners who left and those who joined between {d1} and {d2} "
                   f"differed in need mix by {verdict} ({row['method']} test, "
                   + ("p < 0.001" if row["p_val"] < 0.001 else f"p = {row['p_val']:.3f}")
                   + f"; Cramér's V = {row['cramers_v']:.2f}).")
    return out


def display_length_of_stay(los: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """:func:`length_of_stay` as a report shows it (years to one decimal, suppressed).

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``n_left``, ``median_completed_years``, ``n_on_roll``,
        ``median_so_far_years``, ``n_started``, ``km_median_years``. A missing median is
        "too few to judge" or "not reached"; published, counts 1-4 are "<5" and a median
        of fewer than 10 stays "[c]".
    """
    published = disclosure.check_audience(audience) == "published"
    t = disclosure.DEFAULT_THRESHOLDS
    out = pd.DataFrame({"group": los["group"].astype("str")})
    for n_col, m_col in (("n_left", "median_completed_years"),
                         ("n_on_roll", "median_so_far_years"),
                         ("n_started", "km_median_years")):
        n = los[n_col].astype("float64")
        counts = disclosure.suppress_counts(pd.DataFrame({n_col: n}), [n_col],
                                            audience=audience)[n_col]
        text = los[m_col].map(_num_text)
        missing = los[m_col].isna()
        reached = los["note"].str.contains("not reached", regex=False)
        word = np.where((m_col == "km_median_years") & reached, "not reached", TOO_FEW)
        text = text.where(~missing, pd.Series(word, index=los.index))
        if published:
            text = text.where(~(n < t.min_denominator), disclosure.SUPPRESSED_TEXT)
        out[n_col] = counts.astype("str")
        out[m_col] = text.astype("str")
    return out.astype("str")


def display_turnover(tov: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """:func:`turnover` as a report shows it.

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year``, ``group``, ``leavers``, ``mean_on_roll`` (one decimal),
        ``turnover`` ("27%"). Published: leavers 1-4 "<5", with secondary suppression
        against each year's "all" row; a turnover "[c]" where its leavers are hidden.
    """
    published = disclosure.check_audience(audience) == "published"
    frames = []
    for year in dict.fromkeys(tov["school_year"]):
        s = tov[tov["school_year"] == year].reset_index(drop=True)
        base = pd.DataFrame({"school_year": s["school_year"], "group": s["group"],
                             "leavers": s["leavers"].astype("float64")})
        has_total = (s["group"] == ALL).any() and len(s) > 1
        shown = disclosure.suppress_counts(base, ["leavers"], audience=audience,
                                           total_row=ALL if has_total and published
                                           else None)
        shown["mean_on_roll"] = s["mean_on_roll"].map(_num_text)
        rate = s["turnover"].map(_pct_text)
        if published:
            rate = rate.where(~_hidden(shown["leavers"]), disclosure.SUPPRESSED_TEXT)
        shown["turnover"] = rate
        frames.append(shown)
    if not frames:
        return pd.DataFrame(columns=["school_year", "group", "leavers", "mean_on_roll",
                                     "turnover"], dtype="str")
    return pd.concat(frames, ignore_index=True).astype("str")


def _forecast_hidden(fc: pd.DataFrame, published: bool) -> pd.Series:
    """Phases whose current roll is from 1 to 4: their forecast is not published."""
    now = fc[fc["year"] == 0].set_index("phase")["expected_on_roll"]
    small = (now >= 1) & (now < disclosure.DEFAULT_THRESHOLDS.min_count)
    return fc["phase"].map(small).fillna(False).astype(bool) & published


def display_forecast(fc: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """:func:`forecast_places` as a report shows it: one row per phase and year.

    Returns
    -------
    pandas.DataFrame
        Columns ``phase``, ``school_year``, ``places``, ``places_needed`` (the expected
        number on roll, one decimal; year 0: the count), ``interval`` ("45 to 55"),
        ``balance`` ("6 spare" / "3 short" / "none spare"), ``outlook``. Published: a
        phase with 1 to 4 learners on roll today shows "[c]" (its forecast would reveal
        the count).
    """
    published = disclosure.check_audience(audience) == "published"
    hide = _forecast_hidden(fc, published)
    cover = int(round(100 * float(fc["interval"].iloc[0]))) if len(fc) else 80
    needed = np.where(fc["year"] == 0, fc["expected_on_roll"].map(_int_text),
                      fc["expected_on_roll"].map(_num_text))
    interval = np.where(fc["year"] == 0, "(count)",
                        fc["on_roll_low"].map(_int_text) + " to "
                        + fc["on_roll_high"].map(_int_text))
    bal = fc["balance"].astype("float64")
    bal_text = [NO_DATA if pd.isna(b) else ("none spare" if abs(b) < 0.05 else
                f"{_num_text(abs(b), 0 if y == 0 else 1)} {'spare' if b > 0 else 'short'}")
                for b, y in zip(bal, fc["year"], strict=True)]
    out = pd.DataFrame({"phase": fc["phase"].astype("str"),
                        "school_year": fc["school_year"].astype("str"),
                        "places": fc["capacity"].map(_int_text),
                        "places_needed": needed, f"interval_{cover}pct": interval,
                        "balance": bal_text, "outlook": fc["outlook"].astype("str")})
    for c in ("places_needed", f"interval_{cover}pct", "balance", "outlook"):
        out[c] = out[c].where(~hide, disclosure.SUPPRESSED_TEXT)
    return out.astype("str")


def forecast_sentences(fc: pd.DataFrame, *, audience: str) -> list[str]:
    """Plain-English findings of the forecast: how many places each phase will lack.

    One sentence per phase about the last year of the horizon (and the year the
    balance first turns short, if it does).
    """
    published = disclosure.check_audience(audience) == "published"
    hide = _forecast_hidden(fc, published)
    out = []
    for ph in dict.fromkeys(fc["phase"]):
        f = fc[fc["phase"] == ph].sort_values("year")
        if hide[f.index].any():
            out.append(f"{ph.capitalize()}: not shown (fewer than 5 learners on roll now).")
            continue
        now, last = f.iloc[0], f.iloc[-1]
        cover = int(round(100 * float(last["interval"])))
        cap = last["capacity"]
        need = _num_text(last["expected_on_roll"], 0)
        rng = f"{cover}% interval {last['on_roll_low']} to {last['on_roll_high']}"
        if pd.isna(cap):
            verdict = "no places recorded"
        elif last["outlook"] == "short":
            verdict = f"about {_places(_num_text(-last['balance'], 0))} short"
        elif last["outlook"] == "spare":
            verdict = f"about {_places(_num_text(last['balance'], 0))} spare"
        else:
            b = last["balance"]
            verdict = ("about " + _places(_num_text(abs(b), 0))
                       + (" short" if b < 0 else " spare")
                       + ", but the interval includes the number of places"
                       if abs(b) >= 0.5 else "about the number of places available")
        short_years = f[(f["year"] > 0) & (f["year"] < last["year"])
                        & (f["outlook"] == "short")]
        when = ""
        if len(short_years):
            when = (" Earlier, it is expected to be short of places in "
                    + _and_list(short_years["school_year"].tolist())
                    + f" (by up to about {_places(_num_text(-short_years['balance'].min(), 0))})"
                    + ".")
        out.append(
            f"{ph.capitalize()}: {_int_text(now['expected_on_roll'])} "
            f"learner{'' if now['expected_on_roll'] == 1 else 's'} on roll for "
            f"{_int_text(now['capacity'])} places now; in {last['school_year']} about {need} "
            f"places are expected to be needed ({rng}) against {_int_text(cap)}: {verdict}."
            + when)
    return out


def display_forecast_inputs(fc: pd.DataFrame, *, audience: str) -> pd.DataFrame:
    """The inputs behind :func:`forecast_places`, one row per phase, as text.

    Returns
    -------
    pandas.DataFrame
        Columns ``phase``, ``admissions_per_year`` (mean learners new on roll a year,
        one decimal), ``years_of_history``, ``early_exit_per_year`` (annual probability
        of leaving before ageing out, "9.5%"), ``note``. Published: an admissions mean
        whose underlying total (mean x years) is from 1 to 4 shows "[c]".
    """
    published = disclosure.check_audience(audience) == "published"
    f = fc[fc["year"] == 0].reset_index(drop=True)
    total = f["admissions_per_year"] * f["admission_years_used"]
    small = (total.round() >= 1) & (total.round() < disclosure.DEFAULT_THRESHOLDS.min_count)
    adm = f["admissions_per_year"].map(_num_text)
    if published:
        adm = adm.where(~small, disclosure.SUPPRESSED_TEXT)
    out = pd.DataFrame({"phase": f["phase"].astype("str"), "admissions_per_year": adm,
                        "years_of_history": f["admission_years_used"].map(_int_text),
                        "early_exit_per_year": f["exit_probability"].map(_pct_text),
                        "note": f["note"].replace("", "-")})
    if published:
        hidden = _forecast_hidden(fc, True)[fc["year"] == 0].to_numpy()
        for c in ("admissions_per_year", "early_exit_per_year"):
            out[c] = out[c].where(~hidden, disclosure.SUPPRESSED_TEXT)
        # notes may carry small counts of learners (e.g. "2 on roll past ...")
        out["note"] = out["note"].str.replace(r"\b[1-4] (on roll|without)", r"<5 \1",
                                              regex=True)
    return out.astype("str")


def forecast_heading(fc: pd.DataFrame, *, audience: str) -> str:
    """A heading for the forecast: which phases will lack places by the last year.

    Examples
    --------
    >>> fc = pd.DataFrame({"phase": ["primary", "primary"], "year": [0, 1],
    ...     "school_year": ["2025/26", "2026/27"], "expected_on_roll": [20.0, 25.0],
    ...     "balance": [0.0, -5.0], "outlook": ["exactly full", "short"],
    ...     "interval": [0.8, 0.8]})
    >>> forecast_heading(fc, audience="internal")
    'Forecast to 2026/27: primary short of about 5 places in 2026/27'
    """
    published = disclosure.check_audience(audience) == "published"
    hide = _forecast_hidden(fc, published)
    if fc.empty:
        return "Forecast: no resource bases to forecast"
    last_year = int(fc["year"].max())
    last = fc[(fc["year"] == last_year) & ~hide]
    when = str(last["school_year"].iloc[0]) if len(last) else str(
        fc.loc[fc["year"] == last_year, "school_year"].iloc[0])
    ahead = fc[(fc["year"] > 0) & ~hide]
    parts, spare, unsure = [], [], []
    for r in last.itertuples():
        f = ahead[ahead["phase"] == r.phase]
        short = f[f["outlook"] == "short"]
        if len(short):
            worst = short.loc[short["balance"].idxmin()]
            parts.append(f"{r.phase} short of about "
                         f"{_places(_num_text(-worst['balance'], 0))} in {worst['school_year']}")
        elif r.outlook == "spare":
            spare.append(r.phase)
        else:
            unsure.append(r.phase)
    if spare:
        parts.append(_and_list(spare) + (" has" if len(spare) == 1 else " have")
                     + " spare places")
    if unsure:
        parts.append(_and_list(unsure) + " could go either way")
    return f"Forecast to {when}: " + ("; ".join(parts) if parts else "nothing to show")


def waiting_time_heading(summary: pd.DataFrame, *, audience: str) -> str:
    """A heading for waits: the median wait from panel to start (all placements).

    Examples
    --------
    >>> from srb_eval import load_dataset
    >>> from srb_eval.paths import PROJECT_ROOT
    >>> s = waiting_time_summary(load_dataset(PROJECT_ROOT / "tests/data/minimal"))
    >>> waiting_time_heading(s, audience="internal")
    'Waiting for a place: a median of 12.5 weeks from panel to start (longest 13.6 weeks)'
    """
    t = display_waiting_times(summary, audience=audience)
    row = t[(t["group"] == ALL) & (t["interval"] == WAIT_LABELS["panel_to_start"])]
    if row.empty or not row["median_weeks"].iloc[0][:1].isdigit():
        return "Waiting for a place: too few placements with dates to judge"
    r = row.iloc[0]
    return (f"Waiting for a place: a median of {r['median_weeks']} weeks from panel to start"
            f" (longest {r['longest_weeks']} weeks)")


def need_mix_heading(change: pd.DataFrame, test: pd.DataFrame, *, audience: str) -> str:
    """A heading for the need mix: the largest group and whether the mix shifted."""
    t = display_need_mix(change, audience=audience).iloc[:-1]
    ok = t[~_hidden(t["share_to"]) & (t["share_to"] != NO_DATA)]
    row = test.iloc[0]
    if row["method"] == "none":
        shift = "too few movers to test for a shift"
    elif row["p_val"] < 0.05:
        shift = "the mix has shifted"
    else:
        shift = "no clear shift"
    if ok.empty:
        return f"Need mix: {shift}"
    top = change.loc[change["primary_need"].isin(ok["primary_need"])].sort_values(
        ["n_to", "primary_need"], ascending=[False, True]).iloc[0]["primary_need"]
    share = ok.set_index("primary_need").loc[top, "share_to"]
    return f"Need mix: {top} is the largest group ({share}); {shift} since " + _date_text(
        pd.Timestamp(row["date_from"]))


def fig2_heading(fig2: pd.DataFrame) -> str:
    """A heading for Fig. 2: the largest category and its change.

    Examples
    --------
    >>> fig2_heading(load_published_fig2())
    'Need mix in Fig. 2: ASD the largest group, 31% in January and 35% in November 2020'
    """
    top = fig2.sort_values("pct_nov_2020", ascending=False, kind="stable").iloc[0]
    jan, nov = _num_text(top["pct_jan_2020"], 1).removesuffix(".0"), _num_text(
        top["pct_nov_2020"], 1).removesuffix(".0")
    return (f"Need mix in Fig. 2: {top['need_codes']} the largest group, {jan}% in January "
            f"and {nov}% in November 2020")


def display_fig2(fig2: pd.DataFrame) -> pd.DataFrame:
    """Fig. 2 as text: category, need codes, January and November 2020, change."""
    def pct(v: float) -> str:
        return _num_text(v, 1).removesuffix(".0") + "%"

    return pd.DataFrame({
        "sen_category": fig2["sen_category"], "need_codes": fig2["need_codes"],
        "jan_2020": fig2["pct_jan_2020"].map(pct), "nov_2020": fig2["pct_nov_2020"].map(pct),
        "change_points": fig2["change_points"].map(
            lambda v: "0" if abs(v) < 0.05 else f"{v:+.1f}".replace(".0", ""))}).astype("str")


def stay_heading(los: pd.DataFrame, tov: pd.DataFrame, *, audience: str) -> str:
    """A heading for length of stay and turnover (all SRBs)."""
    t = display_length_of_stay(los, audience=audience)
    row = t[t["group"] == ALL].iloc[0] if (t["group"] == ALL).any() else t.iloc[0]
    km = row["km_median_years"]
    parts = []
    if km[:1].isdigit():
        parts.append(f"half of those admitted stay at least {km} years")
    elif km == "not reached":
        parts.append("more than half of those admitted are still placed")
    d = display_turnover(tov, audience=audience)
    d = d[d["group"] == ALL]
    if len(d) and d["turnover"].iloc[-1][:1].isdigit():
        parts.append(f"turnover {d['turnover'].iloc[-1]} in {d['school_year'].iloc[-1]}")
    return "Length of stay and turnover: " + ("; ".join(parts) if parts else TOO_FEW)
