"""The capacity report's inputs and its explanatory notes, built from the package's settings.

:func:`capacity_inputs` checks the notebook's parameters and loads what it reports on (a
dataset, or the published census of Fig. 3); the ``*_note`` functions and
:func:`caveats_markdown` word the methods with the numbers the measures really use
(thresholds, windows, defaults), so no number is copied into the notebook's prose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from ..data import io as data_io
from ..data.published import FIG2_FILE, FIG3_FILE, load_published_fig2, load_published_fig3
from ..errors import ParameterError, check_argument
from ..measures import forecast as F
from ..measures import occupancy as O
from ..measures import waiting as W
from ..measures.roll import check_whole
from ..params import iso_date
from ..paths import PUBLISHED_DATA_DIR
from . import disclosure
from . import notebook as nb
from .capacity import percent_text
from .i18n import N_, format_date, ngettext
from .i18n import gettext as _

__all__ = ["NEED_MIX_YEARS", "PUBLISHED_CENSUS_DAY", "SOURCES", "census_day", "WAITS_YEARS", "CapacityInputs", "capacity_inputs",
           "caveats_markdown", "forecast_assumptions_note", "need_mix_dates",
           "published_source_note", "suppression_note", "waits_note", "waits_since"]

#: The sources the report can run on.
SOURCES = ("dataset", "published_fig3")
#: Waits are reported for placements started in this many years up to the census.
WAITS_YEARS = 3
#: The need mix is compared with this many years before the census.
NEED_MIX_YEARS = 1
#: The longest forecast horizon, in years.
MAX_HORIZON_YEARS = 5
#: A number of years in words, from none to ten (each a message: a number word agrees
#: with its noun, "tair blynedd").
_YEARS = (N_("no years"), N_("one year"), N_("two years"), N_("three years"),
          N_("four years"), N_("five years"), N_("six years"), N_("seven years"),
          N_("eight years"), N_("nine years"), N_("ten years"))


class CapacityInputs(NamedTuple):
    """What the capacity report runs on (:func:`capacity_inputs`)."""

    ds: Any
    occupancy: pd.DataFrame
    census: pd.Timestamp
    files: dict[str, str]
    label: str
    already_published: bool
    source_words: str
    fig3: Any
    fig2: pd.DataFrame | None


#: The day of the year (month, day) a published capacity report counts on: the autumn
#: census, 1 October. Two published censuses a day apart would give away the learners
#: who joined or left that day (their needs and resource bases), since each report
#: publishes its roll by need and by SRB and the starts and leavings so far; a year
#: apart, the changes are the year's turnover, which the reports protect. An internal
#: report may count on any day.
PUBLISHED_CENSUS_DAY = (10, 1)


def census_day(census_date: object, *, audience: str) -> pd.Timestamp:
    """The ``census_date`` parameter of a report that counts learners on a day (the
    capacity and value-for-money reports): an ISO date, and in a published report
    :data:`PUBLISHED_CENSUS_DAY` of a year; ``ParameterError`` naming the parameter
    otherwise.

    Examples
    --------
    >>> census_day("2025-10-01", audience="published")
    Timestamp('2025-10-01 00:00:00')
    >>> census_day("2024-09-02", audience="internal")
    Timestamp('2024-09-02 00:00:00')
    """
    census = iso_date(census_date, "census_date")
    month, day = PUBLISHED_CENSUS_DAY
    check_argument(disclosure.check_audience(audience) == "internal"
                   or (census.month, census.day) == (month, day), "census_date",
                   f"{day} {pd.Timestamp(2000, month, 1):%B} of a year in a published "
                   "report (the autumn census: censuses a day apart would give away who "
                   "joined or left that day); any day in an internal one", census_date,
                   error=ParameterError)
    return census


def capacity_inputs(data_dir: str, census_date: object, source: str,
                    horizon_years: object, *, audience: str) -> CapacityInputs:
    """Check the report's parameters and load its data and occupancy table.

    Parameters
    ----------
    data_dir : str
        Dataset folder; with ``source="published_fig3"`` a folder holding the Fig. 3 file
        (else ``data/published`` is used).
    census_date : str
        Census day (ISO date); ignored with the published source (autumn 2020). In a
        published report, :data:`PUBLISHED_CENSUS_DAY` of a year.
    source : {"dataset", "published_fig3"}
    horizon_years : int
        Years ahead to forecast, 1 to :data:`MAX_HORIZON_YEARS`.
    audience : {"internal", "published"}

    Raises
    ------
    ParameterError
        A parameter is not allowed (the message names it).
    """
    check_argument(source in SOURCES, "source", " or ".join(map(repr, SOURCES)), source,
                   error=ParameterError)
    check_whole(horizon_years, "horizon_years", 1, MAX_HORIZON_YEARS)
    census = (census_day(census_date, audience=audience) if source == "dataset"
              else iso_date(census_date, "census_date"))
    path = nb.data_path(data_dir)
    if source == "dataset":
        ds = data_io.load_dataset(path)
        # long after the records end, every open placement would count as on roll for
        # ever; a census after the last start or end but soon after it (an export made
        # weeks later) is what a report of the current term asks for
        last = pd.concat([pd.to_datetime(ds.placements["start_date"]),
                          pd.to_datetime(ds.placements["end_date"])]).max()
        latest = None if pd.isna(last) else last + pd.DateOffset(years=1)
        check_argument(latest is None or census <= latest, "census_date",
                       "a day inside the data: no more than a year after its latest "
                       f"placement date ({last:%Y-%m-%d}), so on or before "
                       f"{latest:%Y-%m-%d}" if latest is not None else "", census_date,
                       error=ParameterError)
        return CapacityInputs(ds, O.occupancy(ds, census), census, dict(ds.files),
                              nb.dataset_label(path), False,
                              _("learner placements in the dataset"), None, None)
    folder = path if (path / FIG3_FILE).is_file() else Path(PUBLISHED_DATA_DIR)
    fig3 = load_published_fig3(folder)
    fig2 = load_published_fig2(folder)
    occ = O.occupancy_from_census(fig3.srbs, fig3.census)
    return CapacityInputs(None, occ, pd.Timestamp(fig3.census["census_date"].iloc[0]),
                          {**fig3.files, "fig2": str(folder / FIG2_FILE)},
                          nb.dataset_label(folder), True,
                          _("the published census in Fig. 3 of the 2020 strategy"), fig3, fig2)


def published_source_note(inputs: CapacityInputs) -> str:
    """Where the published census comes from and why it is not suppressed."""
    return _("Source: {source} \"Numbers Autumn 2020\" are counted as on roll on {date} (the "
             "exact day is not published). These figures are already public, so they are "
             "shown as published, without suppression.").format(
        source=inputs.fig3.source, date=format_date(inputs.census, "day"))


def suppression_note(thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                     ) -> str:
    """How a published table hides small numbers.

    Examples
    --------
    >>> suppression_note()
    "Counts from 1 to 4 are shown as '<5'; '[c]' marks a figure hidden so that a small count cannot be worked out from the totals."
    """
    return _("Counts from 1 to {most} are shown as '{small}'; '{hidden}' marks a figure "
             "hidden so that a small count cannot be worked out from the totals.").format(
        most=thresholds.min_count - 1, small=thresholds.small_count_text,
        hidden=disclosure.SUPPRESSED_TEXT)


def waits_since(census: pd.Timestamp) -> pd.Timestamp:
    """First start date of the placements whose waits are reported."""
    return census - pd.DateOffset(years=WAITS_YEARS)


def waits_note(census: pd.Timestamp, min_n: int = W.MIN_WAITS) -> str:
    """Which placements the waits table covers, and the fewest for a median."""
    return _("Placements that started between {since} and {date}; a median is given for "
             "{n} or more placements.").format(since=format_date(waits_since(census), "day"),
                                               date=format_date(census, "day"), n=min_n)


def need_mix_dates(census: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The two dates whose need mix is compared."""
    return census - pd.DateOffset(years=NEED_MIX_YEARS), census


def forecast_assumptions_note(interval: float = F.INTERVAL) -> str:
    """What the forecast assumes, in words."""
    return "### " + _("What the forecast assumes") + "\n" + _(
        "Today's learners stay until the end of the school year in which they reach their "
        "SRB's upper age, unless they leave earlier at the recent early-exit rate of their "
        "phase; new learners arrive at the recent average rate (a Poisson count) and are as "
        "old on arrival as recent ones. The interval is the range within which the number "
        "needed falls with {share} probability if these assumptions hold.").format(
        share=percent_text(interval))


def _years(n: int) -> str:
    """``3 -> "three years"`` in the report's language."""
    if n < len(_YEARS):
        return _(_YEARS[n])
    return ngettext("{n} year", "{n} years", n).format(n=n)


def caveats_markdown(underused_below: float = O.UNDERUSED_BELOW,
                     admissions_years: int = F.ADMISSIONS_YEARS) -> str:
    """The report's caveats section, with the yardstick and history the measures use."""
    items = [
        _("**On roll** means placed on the census date (started on or before it, not yet "
          "ended; a learner who moves to another SRB on a day is counted in the new one that "
          "day); one day's count can differ from the average over a term. The capacity is "
          "the one recorded for each SRB now; planned changes are applied to the forecast "
          "only when given to the forecast of places (`planned_changes`)."),
        _("**Under-used** (fewer than {share} of places filled) is a local yardstick, not a "
          "published standard: Estyn calls unfilled places poor value for money without a "
          "threshold.").format(share=percent_text(underused_below)),
        _("**Waits** exclude placements missing a referral, panel or start date (counted in "
          "the table). They describe learners who were admitted; learners still waiting, or "
          "placed elsewhere, are not included."),
        _("**History.** Admissions, leavers and turnover are counted only from the first day "
          "the placement records are taken to be complete (the September before the first "
          "recorded leaver), because exports often omit placements that ended earlier."),
        _("**Need mix.** The shift is tested on learners who left against learners who "
          "joined (the learners on roll at both dates are the same people). With a few "
          "dozen movers the test has little power: \"no clear shift\" is not proof of no "
          "change."),
        _("**Forecast.** Admissions continue at the average of the last {years}, with no "
          "trend; the interval ignores the uncertainty in that average, so it is too narrow "
          "if demand is changing; with fewer than {history} of history it would be too "
          "narrow even if demand is steady, and none is given. Learners who age out of a "
          "primary SRB re-enter only through the secondary admissions rate. Demand is not "
          "capped by places, and a new SRB adds places, not demand. The 2025 committee "
          "report forecast \"20 further places ... at primary in the next two to three "
          "years\": a local forecast can be set beside it, not checked against it.").format(
            years=_years(admissions_years), history=_years(F.MIN_HISTORY_YEARS)),
        _("**Fig. 2 and Fig. 3** are transcribed from the 2020 strategy (consultation "
          "draft); see `data/published/README.md` for the mapping of its categories to need "
          "codes."),
    ]
    return "## " + _("Caveats") + "\n" + "\n".join("- " + item for item in items)
