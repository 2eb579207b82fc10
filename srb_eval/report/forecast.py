"""What the capacity report shows of the places forecast: a table per phase and year, its
inputs, a heading and sentences, with disclosure control for the audience.

Each function takes the result of :func:`srb_eval.measures.forecast.forecast_places`.
Published, a phase with a hidden input (a small count on roll today, the forecast's
year 0; small admissions over the years of history; an early-exit rate of too few
learners; a small count ageing out this year) is not forecast in public
(:func:`hidden_inputs`, :func:`hidden_phases`): any value computed from a hidden count or
statistic is hidden with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..measures.forecast import MIN_HISTORY_YEARS, TOO_LITTLE_HISTORY
from . import disclosure
from .audit import Partition
from .capacity import (
    NO_DATA,
    count_text,
    number_text,
    percent_text,
    phase_order,
)
from .i18n import N_, PHASE_WORDS, join_and, ngettext, unknown_text
from .i18n import gettext as _
from .table_records import measure_name, table_record

__all__ = ["FORECAST_INPUTS", "OUTLOOK_WORDS", "display_forecast", "display_forecast_inputs",
           "forecast_cell_words", "forecast_heading", "forecast_inputs_record",
           "forecast_note_words", "forecast_record", "forecast_sentences", "hidden_inputs",
           "hidden_phases"]

#: The outlooks of :func:`srb_eval.measures.forecast.forecast_places` and the fixed words
#: of :func:`display_forecast`.
OUTLOOK_WORDS = (N_("short"), N_("spare"), N_("exactly full"), N_("too little history"),
                 N_("uncertain"), N_("(count)"), N_("none spare"))
#: The notes of :func:`srb_eval.measures.forecast.forecast_places` (patterns, whole) and
#: the messages that say them in the report's language (of the pattern's named values).
NOTES: tuple[tuple[str, Callable[[dict], str]], ...] = (
    (r"no admission history before the census: admissions assumed 0",
     lambda v: _("no admission history before the census: admissions assumed 0")),
    (r"no interval: (?P<n>\d+) years? of admissions history, fewer than (?P<k>\d+)",
     lambda v: ngettext("no interval: {n} year of admissions history, fewer than {k}",
                        "no interval: {n} years of admissions history, fewer than {k}",
                        int(v["n"]))),
    (r"no time at risk to estimate early exits: assumed 0",
     lambda v: _("no time at risk to estimate early exits: assumed 0")),
    (r"(?P<n>\S+) on roll past their SRB's age range: assumed to leave this year",
     lambda v: _("{n} on roll past their SRB's age range: assumed to leave this year")),
    (r"(?P<n>\S+) without a birth month or age range: assumed to stay",
     lambda v: _("{n} without a birth month or age range: assumed to stay")),
)
#: The cells of :func:`display_forecast` with a number in them (patterns, whole).
CELLS: tuple[tuple[str, Callable[[dict], str]], ...] = (
    (r"(?P<low>\S+) to (?P<high>\S+)", lambda v: _("{low} to {high}")),
    (r"(?P<n>\S+) spare", lambda v: _("{n} spare")),
    (r"(?P<n>\S+) short", lambda v: _("{n} short")),
    (r"not given: (?P<n>\d+) years? of history",
     lambda v: ngettext("not given: {n} year of history", "not given: {n} years of history",
                        int(v["n"]))),
)


def _matched(text: str, patterns: tuple[tuple[str, Callable[[dict], str]], ...]
             ) -> str | None:
    """``text`` said by the first message whose pattern matches it whole; None if none."""
    for pattern, message in patterns:
        found = re.fullmatch(pattern, text)
        if found:
            return message(found.groupdict()).format(**found.groupdict())
    return None


def forecast_cell_words(text: str) -> str:
    """A cell of a forecast table with a number in it, in the report's language: a range,
    a balance, an interval not given; any other cell (a number, a name from the data) as
    it is.

    Examples
    --------
    >>> forecast_cell_words("45 to 55"), forecast_cell_words("SRB01")
    ('45 to 55', 'SRB01')
    """
    said = _matched(text, CELLS)
    return text if said is None else said


def forecast_note_words(text: str) -> str:
    """The notes of a forecast's inputs ("; " between them) in the report's language. A
    note that no message matches (reworded in the measures) is shown as it is, with an
    :class:`~srb_eval.report.i18n.UntranslatedWarning`.

    Examples
    --------
    >>> forecast_note_words("-")
    '-'
    """
    if text in ("", "-"):
        return text
    return "; ".join(_matched(n, NOTES) or unknown_text(n) for n in text.split("; "))


#: What a phase's forecast is worked out from, as :func:`hidden_inputs` names them.
FORECAST_INPUTS = ("on_roll", "admissions", "early_exit", "ageing_out",
                   "admitted_ageing_out")


def hidden_inputs(fc: pd.DataFrame, *, audience: str,
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                  ) -> pd.DataFrame:
    """Which counts and statistics behind each phase's forecast a report hides.

    The forecast of a phase (:func:`srb_eval.measures.forecast.forecast_places`) is
    worked out from five inputs; published, each is hidden by the rule for its kind:

    - ``on_roll``: the learners on roll today (the forecast's year 0), a count hidden
      from 1 to ``thresholds.min_count - 1``;
    - ``admissions``: the learners admitted over the years of history (mean a year x
      years, as :func:`display_forecast_inputs` shows it), a count hidden likewise;
    - ``early_exit``: the annual early-exit rate, a statistic of the phase's learners,
      hidden for fewer than ``thresholds.min_denominator`` on roll (the forecast is
      taken to use the observed rate, as the reports do);
    - ``ageing_out``: the learners reaching the end of their SRB's age range in a school
      year of the forecast (those within it at the start of the year less those still
      within it at the next census), counts hidden from 1 to
      ``thresholds.min_count - 1``. They are published in effect: next year's places
      needed are those still within their age range times (1 - the early-exit rate),
      plus the admissions a year, all three shown, so this year's count comes back
      exactly; the later years' are narrowed in the same way (the demo's primary phase:
      26, 21, then 18 or 21 within their age range, so 3 or 0 leave in the second year;
      3 is right).
    - ``admitted_ageing_out``: of the learners admitted over the years of history, those
      who reached the end of their age range *t* school years after their admission, for
      each *t* the forecast uses (``admitted_remaining`` of one year less that of the
      next), counts hidden from 1 to ``thresholds.min_count - 1``. The admissions still
      on roll in year *k* are expected to be
      :math:`\\mu_k = \\sum_{t<k} j_t (1-p)^t / Y` (:math:`j_t` admitted learners not
      yet aged out *t* years on, :math:`Y` years of history), so each later year's
      places needed and interval, with the shown admissions and early-exit rate, narrow
      :math:`j_{k-1}` and today's learners within their age range together, often to
      one value: the ages at admission of a phase's few recent admissions would be
      published. The intervals add nothing else: they are worked out from the same
      inputs (:func:`srb_eval.stats.forecast.binomial_poisson_quantiles`).

    Parameters
    ----------
    fc : DataFrame
        :func:`srb_eval.measures.forecast.forecast_places`.
    audience : {"internal", "published"}
        Internal: nothing hidden.

    Returns
    -------
    pandas.DataFrame
        Index: the phases, in the order of ``fc``; one boolean column per
        :data:`FORECAST_INPUTS`, True where that input is hidden.

    Examples
    --------
    >>> fc = pd.DataFrame({"phase": ["primary", "secondary"], "year": 0,
    ...     "expected_on_roll": [26.0, 8.0], "current_remaining": [26, 8],
    ...     "admissions_per_year": [6.0, 2.0], "admission_years_used": [3, 3]})
    >>> hidden_inputs(fc, audience="published").loc["secondary"].to_dict()
    {'on_roll': False, 'admissions': False, 'early_exit': True, 'ageing_out': False, \
'admitted_ageing_out': False}
    """
    phases = list(dict.fromkeys(fc["phase"].astype("str")))
    out = pd.DataFrame(False, index=pd.Index(phases, name="phase"),
                       columns=list(FORECAST_INPUTS))
    if disclosure.check_audience(audience) != "published" or fc.empty:
        return out
    t = thresholds

    def small(x: pd.Series) -> pd.Series:
        return (x >= 1) & (x < t.min_count)

    now = fc.loc[fc["year"] == 0].set_index(fc.loc[fc["year"] == 0, "phase"].astype("str"))
    # a phase without a row for today cannot be shown to be safe: its inputs count as hidden
    out["on_roll"] = small(now["expected_on_roll"].round()).reindex(
        phases, fill_value=True).to_numpy(dtype=bool)
    admitted = (now["admissions_per_year"] * now["admission_years_used"]).round()
    out["admissions"] = small(admitted).reindex(phases, fill_value=True).to_numpy(dtype=bool)
    out["early_exit"] = (now["expected_on_roll"] < t.min_denominator).reindex(
        phases, fill_value=True).to_numpy(dtype=bool)
    remaining = fc.pivot_table(index="phase", columns="year", values="current_remaining",
                               aggfunc="first", observed=True)
    remaining.index = remaining.index.astype("str")
    ageing = -remaining.diff(axis=1).iloc[:, 1:]  # leaving by age in each year
    out["ageing_out"] = small(ageing).any(axis=1).reindex(phases).fillna(False).to_numpy(
        dtype=bool)
    if "admitted_remaining" in fc.columns:
        # j_0 .. j_(h-1): year k's expected admissions use those of the years before it
        used = fc.loc[fc["year"] < fc["year"].max()]
        admitted_left = used.pivot_table(index="phase", columns="year",
                                         values="admitted_remaining", aggfunc="first",
                                         observed=True)
        admitted_left.index = admitted_left.index.astype("str")
        admitted_ageing = -admitted_left.diff(axis=1).iloc[:, 1:]
        out["admitted_ageing_out"] = small(admitted_ageing).any(axis=1).reindex(
            phases).fillna(False).to_numpy(dtype=bool)
    return out


def hidden_phases(fc: pd.DataFrame, *, audience: str,
                  thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                  ) -> list[str]:
    """The phases whose forecast a report does not show: published, those with a hidden
    input (:func:`hidden_inputs`).

    A forecast of places is a statistic of places, not of the learners, so it is not
    subject to the smallest group a statistic is shown for
    (:data:`srb_eval.report.disclosure.PLACES_RULE`); but any published value computed
    from a hidden count or a hidden statistic is hidden with it, by rule: shown, the
    forecast (with the other inputs, which are shown) gives the hidden one back. So a
    phase is hidden when its learners on roll today, its admissions over the years of
    history or its learners ageing out this year are a small count, or its early-exit
    rate is a statistic of too few learners to show, whether or not another input is
    hidden too.

    Parameters
    ----------
    fc : DataFrame
        :func:`srb_eval.measures.forecast.forecast_places`.
    audience : {"internal", "published"}
        Internal: none hidden.

    Returns
    -------
    list of str
        The hidden phases, in the order of ``fc``.

    Examples
    --------
    >>> fc = pd.DataFrame({"phase": ["primary", "secondary", "all-through"],
    ...     "year": 0, "expected_on_roll": [26.0, 5.0, 4.0], "current_remaining": [26, 5, 4],
    ...     "admissions_per_year": [6.0, 1.3, 2.0], "admission_years_used": [3, 3, 3]})
    >>> hidden_phases(fc, audience="published")  # 1.3 x 3 = 4 admitted; 4 on roll
    ['secondary', 'all-through']
    >>> hidden_phases(fc, audience="internal")
    []
    """
    hidden = hidden_inputs(fc, audience=audience, thresholds=thresholds)
    return hidden.index[hidden.any(axis=1).to_numpy()].tolist()


def _forecast_hidden(fc: pd.DataFrame, published: bool,
                     thresholds: disclosure.Thresholds) -> pd.Series:
    """Rows of the phases of :func:`hidden_phases` (when ``published``)."""
    hidden = hidden_phases(fc, audience="published" if published else "internal",
                           thresholds=thresholds)
    return fc["phase"].astype("str").isin(hidden)


def _years_text(n: int) -> str:
    """``"1 year"``, ``"2 years"``."""
    return f"{n} year{'' if n == 1 else 's'}"


def display_forecast(fc: pd.DataFrame, *, audience: str,
                     thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                     ) -> pd.DataFrame:
    """The forecast (:func:`~srb_eval.measures.forecast.forecast_places`) as a report shows
    it: one row per phase and year.

    Returns
    -------
    pandas.DataFrame
        Columns ``phase``, ``school_year``, ``places``, ``places_needed`` (the expected
        number on roll, one decimal; year 0: the count), ``interval`` ("45 to 55"; "not
        given: 1 year of history" with fewer than
        :data:`~srb_eval.measures.forecast.MIN_HISTORY_YEARS` years of admissions
        history, whose interval would be too narrow),
        ``balance`` ("6 spare" / "3 short" / "none spare"), ``outlook``. Published: a
        phase of :func:`hidden_phases` (a small count of learners on roll today, 1 to
        ``thresholds.min_count - 1``, or of admissions over the years of history)
        shows "[c]" (its forecast would reveal the count).
    """
    published = disclosure.check_audience(audience) == "published"
    hide = _forecast_hidden(fc, published, thresholds)
    cover = int(round(100 * float(fc["interval"].iloc[0]))) if len(fc) else 80
    needed = np.where(fc["year"] == 0, fc["expected_on_roll"].map(count_text),
                      fc["expected_on_roll"].map(number_text))
    years = fc["admission_years_used"].astype("int64")
    interval = np.where(fc["year"] == 0, "(count)", np.where(
        years < MIN_HISTORY_YEARS,
        "not given: " + years.map(_years_text) + " of history",
        fc["on_roll_low"].map(count_text) + " to " + fc["on_roll_high"].map(count_text)))
    bal = fc["balance"].astype("float64")
    bal_text = [NO_DATA if pd.isna(b) else ("none spare" if abs(b) < 0.05 else
                f"{number_text(abs(b), 0 if y == 0 else 1)} {'spare' if b > 0 else 'short'}")
                for b, y in zip(bal, fc["year"], strict=True)]
    out = pd.DataFrame({"phase": fc["phase"].astype("str"),
                        "school_year": fc["school_year"].astype("str"),
                        "places": fc["capacity"].map(count_text),
                        "places_needed": needed, f"interval_{cover}pct": interval,
                        "balance": bal_text, "outlook": fc["outlook"].astype("str")})
    for c in ("places_needed", f"interval_{cover}pct", "balance", "outlook"):
        out[c] = out[c].where(~hide, disclosure.SUPPRESSED_TEXT)
    return out.astype("str")


def forecast_record(fc: pd.DataFrame, shown: pd.DataFrame, *, census: object,
                    phases: object,
                    thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                    ) -> dict:
    """The disclosure record of a :func:`display_forecast` table (for the audit).

    Its only counts are the places needed of the census year (year 0, "(count)"): the
    learners on roll on the census day by phase (measure ``learners_on_roll_<census>``,
    the same learners as the occupancy tables). The other years are expectations, not
    counts; ``phases`` are every phase of the SRBs (as in the occupancy records).
    """
    ph = tuple(phase_order(phases))
    m = measure_name("learners_on_roll", census)
    rows = np.flatnonzero((fc["year"] == 0).to_numpy())
    rec = table_record(shown.iloc[rows], report="", table="forecast", measure=m,
                       row_dims={"phase": "phase"}, columns={"places_needed": {}},
                       partitions=[Partition(m, "phase", ph)], thresholds=thresholds,
                       total_labels=())
    for c in rec["cells"]:
        c["row"] = int(rows[c["row"]])
    return rec


def forecast_sentences(fc: pd.DataFrame, *, audience: str,
                       thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                       ) -> list[str]:
    """Plain-English findings of the forecast: how many places each phase will lack.

    One sentence per phase about the last year of the horizon (and the year the
    balance first turns short, if it does).
    """
    published = disclosure.check_audience(audience) == "published"
    hide = _forecast_hidden(fc, published, thresholds)
    out = []
    for ph in dict.fromkeys(fc["phase"]):
        f = fc[fc["phase"] == ph].sort_values("year")
        phase = _(ph).capitalize() if ph in PHASE_WORDS else ph.capitalize()
        if hide[f.index].any():
            out.append(_("{phase}: not shown (it is worked out from a count or a rate of too "
                         "few learners to publish).").format(phase=phase))
            continue
        now, last = f.iloc[0], f.iloc[-1]
        used = int(last["admission_years_used"])
        rng = (_("{cover}% interval {low} to {high}").format(
            cover=int(round(100 * float(last["interval"]))), low=last["on_roll_low"],
            high=last["on_roll_high"]) if used >= MIN_HISTORY_YEARS else ngettext(
            "no interval from {n} year of admissions history ({k} needed)",
            "no interval from {n} years of admissions history ({k} needed)", used).format(
            n=used, k=MIN_HISTORY_YEARS))
        n_now = int(now["expected_on_roll"]) if pd.notna(now["expected_on_roll"]) else 2
        said = ngettext(
            "{phase}: {n} learner on roll for {capacity} places now; in {year} about {need} "
            "places are expected to be needed ({range}) against {places}: {verdict}.",
            "{phase}: {n} learners on roll for {capacity} places now; in {year} about {need} "
            "places are expected to be needed ({range}) against {places}: {verdict}.",
            n_now).format(phase=phase, n=count_text(now["expected_on_roll"]),
                          capacity=count_text(now["capacity"]), year=last["school_year"],
                          need=number_text(last["expected_on_roll"], 0), range=rng,
                          places=count_text(last["capacity"]), verdict=_verdict(last))
        short_years = f[(f["year"] > 0) & (f["year"] < last["year"])
                        & (f["outlook"] == "short")]
        if len(short_years):
            most = number_text(-short_years["balance"].min(), 0)
            said += " " + ngettext(
                "Earlier, it is expected to be short of places in {years} (by up to about {n} "
                "place).", "Earlier, it is expected to be short of places in {years} (by up to "
                "about {n} places).", _count(most)).format(
                years=join_and(short_years["school_year"]), n=most)
        out.append(said)
    return out


def _count(text: str) -> int:
    """The number a whole-number text shows ("1,234" -> 1234), for a plural form."""
    return int(text.replace(",", "")) if text.replace(",", "").isdigit() else 2


def _verdict(last: pd.Series) -> str:
    """What the last year of a phase's forecast says of its places, in words."""
    b = last["balance"]
    if pd.isna(last["capacity"]):
        return _("no places recorded")
    n = number_text(abs(b), 0)
    k = _count(n)
    if last["outlook"] == "short":
        return ngettext("about {n} place short", "about {n} places short", k).format(n=n)
    if last["outlook"] == "spare":
        return ngettext("about {n} place spare", "about {n} places spare", k).format(n=n)
    if abs(b) < 0.5:
        return _("about the number of places available")
    if last["outlook"] == TOO_LITTLE_HISTORY:
        said = (ngettext("about {n} place short, too little history to say how sure that is",
                         "about {n} places short, too little history to say how sure that is",
                         k) if b < 0 else
                ngettext("about {n} place spare, too little history to say how sure that is",
                         "about {n} places spare, too little history to say how sure that is",
                         k))
    else:
        said = (ngettext("about {n} place short, but the interval includes the number of "
                         "places", "about {n} places short, but the interval includes the "
                         "number of places", k) if b < 0 else
                ngettext("about {n} place spare, but the interval includes the number of "
                         "places", "about {n} places spare, but the interval includes the "
                         "number of places", k))
    return said.format(n=n)


def display_forecast_inputs(fc: pd.DataFrame, *, audience: str,
                            thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                            ) -> pd.DataFrame:
    """The inputs behind the forecast (:func:`~srb_eval.measures.forecast.forecast_places`),
    one row per phase, as text.

    Returns
    -------
    pandas.DataFrame
        Columns ``phase``, ``admissions_per_year`` (mean learners new on roll a year,
        one decimal), ``years_of_history``, ``early_exit_per_year`` (annual probability
        of leaving before ageing out, "9.5%"), ``note``. Published: the admissions mean
        and the early-exit rate of a phase of :func:`hidden_phases` show "[c]" (among
        others, an admissions mean whose total, mean x years, is a small count, and the
        early-exit rate of a phase with fewer than ``thresholds.min_denominator``
        learners on roll, a rate of a group too small to publish).
    """
    published = disclosure.check_audience(audience) == "published"
    f = fc[fc["year"] == 0].reset_index(drop=True)
    total = f["admissions_per_year"] * f["admission_years_used"]
    small = (total.round() >= 1) & (total.round() < thresholds.min_count)
    adm = f["admissions_per_year"].map(number_text)
    if published:
        adm = adm.where(~small, disclosure.SUPPRESSED_TEXT)
    out = pd.DataFrame({"phase": f["phase"].astype("str"), "admissions_per_year": adm,
                        "years_of_history": f["admission_years_used"].map(count_text),
                        "early_exit_per_year": f["exit_probability"].map(percent_text),
                        "note": f["note"].replace("", "-")})
    if published:
        # a hidden phase hides every input (they are what its forecast is made of)
        hidden = _forecast_hidden(fc, True, thresholds)[fc["year"] == 0].to_numpy()
        for c in ("admissions_per_year", "early_exit_per_year"):
            out[c] = out[c].where(~hidden, disclosure.SUPPRESSED_TEXT)
        # notes may carry small counts of learners (e.g. "2 on roll past ...")
        def small_count(m: re.Match) -> str:
            k = int(m.group(1))
            return (f"{thresholds.small_count_text} {m.group(2)}"
                    if 1 <= k < thresholds.min_count else m.group(0))

        out["note"] = out["note"].str.replace(r"\b(\d+) (on roll|without)", small_count,
                                              regex=True)
    return out.astype("str")


def forecast_inputs_record(fc: pd.DataFrame, shown: pd.DataFrame, *, census: object,
                           phases: object,
                           thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                           ) -> dict:
    """The disclosure record of a :func:`display_forecast_inputs` table (for the audit).

    Its one count: admissions. A mean a year shown beside its years of history is a
    count (mean x years: "6.0" over 3 years is 18 learners), so each shown mean is
    recorded as that count (a hidden one as hidden) of the measure
    ``learners_new_on_roll_last_<k>_censuses_<census>``: learners on roll in a phase at
    one of the last k censuses who were not at the census a year before
    (:func:`srb_eval.measures.forecast.admissions_history`), summed over the censuses,
    by phase (``phases``: every phase of the SRBs; every phase has the same censuses).
    Not recorded: the early-exit rate
    (a probability over time at risk, not a ratio of counts; hidden for a phase of
    fewer than ``min_denominator`` learners) and the years of history (not a count of
    learners). A note counting learners shows no count from 1 to ``min_count - 1``
    (:func:`display_forecast_inputs`).
    """
    f = fc[fc["year"] == 0].reset_index(drop=True)
    years = f["admission_years_used"].astype("int64")
    k = int(years.max()) if len(years) else 0
    m = measure_name(f"learners_new_on_roll_last_{k}_censuses", census)
    total = (f["admissions_per_year"] * years).round().astype("int64").astype("str")
    hidden = shown["admissions_per_year"].isin([disclosure.SUPPRESSED_TEXT,
                                                thresholds.small_count_text]).to_numpy()
    counts = shown[["phase"]].assign(admissions_per_year=total.where(
        ~hidden, shown["admissions_per_year"]).to_numpy())
    return table_record(counts, report="", table="forecast_inputs", measure=m,
                        row_dims={"phase": "phase"}, columns={"admissions_per_year": {}},
                        partitions=[Partition(m, "phase", tuple(phase_order(phases)))],
                        thresholds=thresholds, total_labels=())


def forecast_heading(fc: pd.DataFrame, *, audience: str,
                     thresholds: disclosure.Thresholds = disclosure.DEFAULT_THRESHOLDS
                     ) -> str:
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
    hide = _forecast_hidden(fc, published, thresholds)
    if fc.empty:
        return _("Forecast: no resource bases to forecast")
    last_year = int(fc["year"].max())
    last = fc[(fc["year"] == last_year) & ~hide]
    when = str(last["school_year"].iloc[0]) if len(last) else str(
        fc.loc[fc["year"] == last_year, "school_year"].iloc[0])
    ahead = fc[(fc["year"] > 0) & ~hide]
    parts, spare, unsure, few = [], [], [], []
    for r in last.itertuples():
        phase = _(r.phase) if r.phase in PHASE_WORDS else r.phase
        f = ahead[ahead["phase"] == r.phase]
        short = f[f["outlook"] == "short"]
        if len(short):
            worst = short.loc[short["balance"].idxmin()]
            n = number_text(-worst["balance"], 0)
            parts.append(ngettext("{phase} short of about {n} place in {year}",
                                  "{phase} short of about {n} places in {year}",
                                  _count(n)).format(phase=phase, n=n,
                                                    year=worst["school_year"]))
        elif r.outlook == "spare":
            spare.append(phase)
        elif r.outlook == TOO_LITTLE_HISTORY:
            few.append(phase)
        else:
            unsure.append(phase)
    if spare:
        parts.append(ngettext("{phases} has spare places", "{phases} have spare places",
                              len(spare)).format(phases=join_and(spare)))
    if unsure:
        parts.append(_("{phases} could go either way").format(phases=join_and(unsure)))
    if few:
        parts.append(_("{phases}: too little admissions history to judge").format(
            phases=join_and(few)))
    if not parts:
        return _("Forecast to {year}: nothing to show").format(year=when)
    # Translators: {findings} are the findings by phase, "; " between them
    return _("Forecast to {year}: {findings}").format(year=when, findings="; ".join(parts))
