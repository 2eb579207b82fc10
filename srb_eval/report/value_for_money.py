"""The value-for-money report (45) for readers: what the SRBs cost, what the alternatives
cost, what the unfilled places cost and what a scenario would change, in pounds with the
financial year and price base named.

The numbers are :mod:`srb_eval.measures.value_for_money`'s and
:mod:`srb_eval.measures.sufficiency`'s. For a published audience every count of learners
or placements goes through :func:`~srb_eval.report.suppression.suppress_counts`. An
SRB's cost per filled place is hidden where its places were filled by fewer than
``min_count`` learners (one or two learners' cost), and wherever the count it belongs to
is hidden; the fees and costs of placements outside the SRBs are statistics of those
placements, hidden as well for fewer than ``min_denominator`` of them.

Every word is in the report's language (:mod:`srb_eval.report.i18n`). The tables are
recorded in English, as their disclosure records name their columns and cells; the
notebook shows :func:`shown` copies of them, translated (amounts of money and counts as
they are).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_argument
from ..measures import sufficiency as SU
from ..measures import travel as T
from ..measures import value_for_money as V
from .disclosure import DEFAULT_THRESHOLDS, NO_DATA_TEXT, SUPPRESSED_TEXT, Thresholds
from .i18n import N_, PHASE_WORDS, format_date, ngettext, translated_table, unknown_text
from .i18n import gettext as _
from .progress_wording import line_counts
from .suppression import suppress_counts

__all__ = ["ALL_LANGUAGES", "LANGUAGE_WORDS", "LIMITS", "MINUS", "PROGRESS_CAVEAT",
           "SCENARIO_CAVEAT", "SETTING_WORDS", "TRAVEL_COLUMNS", "display_alternative_trend",
           "display_alternatives", "display_cost_trend", "display_forecast_sufficiency",
           "display_language_sufficiency", "display_progress_costs", "display_scenario",
           "display_srb_costs", "display_sufficiency", "display_travel", "is_hidden",
           "missing_tables_note",
           "money", "parse_learners", "parse_settings", "price_words", "shown",
           "srb_cost_sentences", "srb_names",
           "alternative_sentences", "scenario_sentences"]

#: The minus sign of a negative amount of money.
MINUS = "\u2212"

#: Setting types in words.
SETTING_WORDS = {
    "out_of_county_special": N_("special school out of county"),
    "independent_special": N_("independent special school"),
    "alternative_provision": N_("alternative provision"),
    "other_authority_srb": N_("another authority's SRB"),
    V.ALL_SETTINGS: V.ALL_SETTINGS,
}

#: Languages of provision in words (:data:`srb_eval.data.schema.LANGUAGES`).
LANGUAGE_WORDS = {"welsh": N_("Welsh-medium"), "english": N_("English-medium"),
                  "bilingual": N_("bilingual"), SU.NOT_RECORDED: SU.NOT_RECORDED}
#: The total row of the table by language.
ALL_LANGUAGES = N_("all languages")
#: The count columns of :func:`display_travel`, from the columns of
#: :func:`srb_eval.measures.travel.travel_by_area`.
TRAVEL_COLUMNS = {"on_roll": N_("learners on roll"),
                  "in_home_area": N_("in an SRB in their home area"),
                  "in_another_area": N_("in an SRB of another area"),
                  "area_not_recorded": N_("home or SRB area not recorded"),
                  "placed_outside": N_("placed outside the SRBs")}
#: The total rows of the measures' tables, the lines of the scenario and other words a
#: table of this module shows in a cell, for the catalogue.
CELL_WORDS = (N_("all settings"), N_("all SRBs"), N_("all needs"), N_("all phases"),
              N_("all areas"), N_("not recorded"), N_("cash"), N_("cost avoided"),
              N_("unfilled SRB places filled"), N_("new SRB places"),
              N_("transport to an SRB"), N_("net difference a year"),
              N_("below 0: the scenario costs less"), N_("no data"))
#: The column headers of the tables of this module, for the catalogue.
HEADERS = (N_("SRB"), N_("places"), N_("mean places filled"), N_("occupancy"),
           N_("total cost"), N_("cost per place"), N_("cost per filled place-day"),
           N_("cost per filled place (a year)"), N_("mean places unfilled"),
           N_("cost of unfilled places"), N_("financial year"), N_("prices"),
           N_("setting"), N_("placements"), N_("place-years"), N_("fees"),
           N_("transport"), N_("cost per place (a year)"), N_("cost per place-day"),
           N_("line"), N_("learners"), N_("pounds a year"), N_("assumption"),
           N_("parameter"), N_("learners on roll in the year"), N_("progress judged"),
           N_("at least expected"), N_("below expected"), N_("not judged"),
           N_("cost per learner"), N_("cost per learner making at least expected progress"),
           N_("phase"), N_("primary need"), N_("on roll"), N_("agreed, awaiting a start"),
           N_("demand"), N_("places less demand"), N_("language of provision"),
           N_("school year"), N_("forecast places needed"), N_("forecast range"),
           N_("placed outside the SRBs (today)"), N_("demand with those placed outside"),
           N_("places less forecast"), N_("home area"), N_("share in another area"),
           N_("of which transport"))
#: The assumptions of :func:`srb_eval.measures.value_for_money.scenario` (as
#: :func:`display_scenario` shows them) and their words: amounts, counts, dates and price
#: bases as named groups.
ASSUMPTIONS = (
    (r"mean annual fee and transport of the (?P<n>\d+) placements of this type open on "
     r"(?P<date>\d+ \w+ \d{4}) whose need and phase an SRB serves: (?P<fee>\S+)",
     N_("mean annual fee and transport of the {n} placements of this type open on {date} "
        "whose need and phase an SRB serves: {fee}")),
    (r"mean annual fee and transport of the (?P<n>\d+) placements of this type open on "
     r"(?P<date>\d+ \w+ \d{4}) whose need and phase an SRB serves",
     N_("mean annual fee and transport of the {n} placements of this type open on {date} "
        "whose need and phase an SRB serves")),
    (r"mean annual fee and transport of the placements of this type open on "
     r"(?P<date>\d+ \w+ \d{4}) whose need and phase an SRB serves: (?P<fee>\S+)",
     N_("mean annual fee and transport of the placements of this type open on {date} "
        "whose need and phase an SRB serves: {fee}")),
    (r"mean annual fee and transport of the placements of these types open at the end of "
     r"the year whose need and phase an SRB serves \(by type in the internal report\)",
     N_("mean annual fee and transport of the placements of these types open at the end "
        "of the year whose need and phase an SRB serves (by type in the internal "
        "report)")),
    (r"(?P<cost>\S+) a place \((?P<year>[\d-]+), (?P<base>[^)]+)\); (?P<free>\d+) places "
     r"unfilled on average over the year, each taken to suit any learner",
     N_("{cost} a place ({year}, {base}); {free} places unfilled on average over the year, "
        "each taken to suit any learner")),
    (r"(?P<cost>\S+) a place \((?P<year>[\d-]+), (?P<base>[^)]+)\)",
     N_("{cost} a place ({year}, {base})")),
    (r"(?P<cost>\S+) a learner \((?P<year>[\d-]+), (?P<base>[^)]+)\)",
     N_("{cost} a learner ({year}, {base})")),
)

PROGRESS_CAVEAT = N_(
    "**Read with care.** This divides the whole cost of an SRB by the learners whose "
    "progress over the year was at least what was expected. It gives no value to the "
    "progress of the others, to anything not measured by tests (wellbeing, "
    "inclusion, attendance), or to what the learners would have achieved elsewhere; an "
    "SRB that assesses fewer of its learners looks dearer. It describes; it does not "
    "show that one SRB gives better value than another.")

SCENARIO_CAVEAT = N_(
    "**A scenario, not a forecast.** It assumes that every learner moved could be "
    "served well by an SRB, that parents agree, that an unfilled place suits any "
    "learner moved (its designation, phase, language and distance are not matched place "
    "by place), and that the average cost of a place is what one more place would "
    "cost. Every figure it uses is in the table and can be changed as a parameter of "
    "this report.")

LIMITS = N_(
    "**What these figures can and cannot show.** Costs are those supplied in "
    "`srb_costs` and `external_placements`, in the price base named; an SRB's cost is "
    "an average over its places, not the cost of one more learner. Fees of placements "
    "outside the SRBs are counted for the days each was open in the year. Comparing "
    "years in real terms needs the authority's own price index (`deflators`). Whether a "
    "placement meets a learner's needs is not a matter of cost: the cheaper place is "
    "not the better one unless it serves the learner as well.")


def missing_tables_note(missing: Sequence[str]) -> str:
    """What report 45 needs and lacks, in words.

    Examples
    --------
    >>> missing_tables_note(["srb_costs"])[:40]
    'This report needs the table srb_costs, w'
    """
    return ngettext(
        "This report needs the table {tables}, which is not in this dataset: what each SRB "
        "cost by financial year (`srb_costs`) and the placements outside the authority's "
        "SRBs with their fees and transport (`external_placements`); a price index "
        "(`deflators`) is needed only to compare years in real terms "
        "(docs/data-dictionary.md). The sections that need it are left out; add it and "
        "render this report again.",
        "This report needs the tables {tables}, which are not in this dataset: what each "
        "SRB cost by financial year (`srb_costs`) and the placements outside the "
        "authority's SRBs with their fees and transport (`external_placements`); a price "
        "index (`deflators`) is needed only to compare years in real terms "
        "(docs/data-dictionary.md). The sections that need them are left out; add them and "
        "render this report again.", len(missing)).format(tables=", ".join(missing))


def base_words(price_base: str) -> str:
    """A price base in the report's language: "cash", or "2025-26 prices".

    Examples
    --------
    >>> base_words("cash"), base_words("2025-26 prices")
    ('cash', '2025-26 prices')
    """
    if price_base == "cash":
        return _("cash")
    year = re.fullmatch(r"(?P<year>\S+) prices", price_base)
    return _("{year} prices").format(year=year["year"]) if year else price_base


def _assumption_words(text: str) -> str:
    """An assumption of the scenario (:data:`ASSUMPTIONS`) in the report's language; one
    it does not know is returned as it is (:func:`shown` warns of those)."""
    for pattern, message in ASSUMPTIONS:
        found = re.fullmatch(pattern, text)
        if found:
            values = found.groupdict()
            if "date" in values:
                values["date"] = format_date(pd.Timestamp(values["date"]), "long")
            if "base" in values:
                values["base"] = base_words(values["base"])
            return _(message).format(**values)
    return text


def _cell_words(text: str) -> str:
    """A text cell of a table of this module that is not one of its fixed words: a
    price base, a list of setting types, or an assumption of the scenario."""
    if text.endswith(" prices"):
        return base_words(text)
    settings = [w.strip() for w in text.split(",")]
    words = {w: _(w) for w in SETTING_WORDS.values()}
    if len(settings) > 1 and all(w in words for w in settings):
        return ", ".join(words[w] for w in settings)
    return _assumption_words(text)


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """A table of this module as the report shows it: a copy in the report's language
    (headers, setting types, languages, phases, total rows, the scenario's lines and
    assumptions, price bases); money, counts, "[c]", names and codes from the data as
    they are. The English table is the one recorded. An assumption that no message
    matches (a sentence of the measures layer reworded) is shown in English with an
    :class:`~srb_eval.report.i18n.UntranslatedWarning`."""
    if "assumption" in table.columns:
        for text in table["assumption"].dropna().unique():
            if text not in CELL_WORDS and not any(
                    re.fullmatch(pattern, text) for pattern, _message in ASSUMPTIONS):
                unknown_text(text)
    return translated_table(table, [*SETTING_WORDS.values(), *LANGUAGE_WORDS.values(),
                                    ALL_LANGUAGES, *CELL_WORDS, *PHASE_WORDS],
                            cells=_cell_words)


def money(x: object) -> str:
    """Pounds as shown: ``12345.6 -> "£12,346"``; a missing value as "no data".

    A negative amount starts with the minus sign U+2212 (a spreadsheet would read a
    leading hyphen as a formula).

    >>> [money(12345.6), money(-200), money(float("nan"))]
    ['£12,346', '\u2212£200', 'no data']
    """
    if x is None or pd.isna(x):
        return NO_DATA_TEXT
    v = float(x)
    return f"{MINUS if round(v) < 0 else ''}£{abs(v):,.0f}"


def _number(x: object, decimals: int = 1) -> str:
    return NO_DATA_TEXT if x is None or pd.isna(x) else f"{float(x):,.{decimals}f}"


def _percent(x: object) -> str:
    return NO_DATA_TEXT if x is None or pd.isna(x) else f"{100 * float(x):.0f}%"


def price_words(financial_year: str, price_base: str) -> str:
    """``"2025-26, cash prices"`` / ``"2024-25, in 2025-26 prices"``, in the report's
    language."""
    if price_base == "cash":
        return _("{year}, cash prices").format(year=financial_year)
    base = re.fullmatch(r"(?P<year>\S+) prices", price_base)
    if base:
        return _("{year}, in {prices} prices").format(year=financial_year,
                                                        prices=base["year"])
    return _("{year}, in {price_base}").format(year=financial_year, price_base=price_base)


def is_hidden(text: pd.Series, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.Series:
    """Mask of the display cells that hide a count (``"<5"`` or ``"[c]"``)."""
    return text.astype("str").isin([thresholds.small_count_text, SUPPRESSED_TEXT])


def parse_learners(value: object) -> int | None:
    """The scenario's ``learners`` parameter: ``"all"`` -> None, ``"3"`` or 3 -> 3.

    >>> parse_learners("all"), parse_learners(" 4 ")
    (None, 4)
    """
    if isinstance(value, str) and value.strip().lower() == "all":
        return None
    text = str(value).strip()
    check_argument(text.isdigit(), "scenario_learners", '"all" or a whole number of 0 or '
                   "more", value, error=ParameterError)
    return int(text)


def parse_settings(value: str) -> list[str]:
    """A comma-separated list of setting types, checked against the vocabulary."""
    out = [s.strip() for s in str(value).split(",") if s.strip()]
    known = list(SETTING_WORDS)[:-1]
    check_argument(bool(out) and all(s in known for s in out), "from_settings",
                   "setting types separated by commas, from " + ", ".join(known), value,
                   error=ParameterError)
    return out


def _protected(frame: pd.DataFrame, cells: Sequence[str], total: str | None, total_row: str,
               *, label: str, audience: str, thresholds: Thresholds,
               known_total_row: bool = False,
               known_cells: Mapping[str, np.ndarray] | None = None) -> dict[str, pd.Series]:
    """Count columns of ``frame`` as text: ``cells`` adding up to ``total`` (or None) in
    each row, the row whose ``label`` column is ``total_row`` the column totals;
    published, suppressed and then protected as the audit checks a table
    (:func:`srb_eval.report.progress_wording.line_counts`). ``known_total_row``: readers
    know the total row's counts from another table, whether or not this one shows them;
    ``known_cells``: ``{column: rows}`` readers know whatever the table shows."""
    group = frame[label].astype("str").where(frame[label].astype("str") != total_row, "all")
    t = frame.assign(group=group.to_numpy()).reset_index(drop=True)
    cols = [*cells, *([total] if total else [])]
    known = {c: (group == "all").to_numpy() for c in cols} if known_total_row else None
    for c, rows in (known_cells or {}).items():
        known = known or {}
        known[c] = np.asarray(rows, dtype=bool) | known.get(c, False)
    return line_counts(t, [(list(cells), total)], audience=audience, group="group",
                       thresholds=thresholds, known=known)


def _hide_sum(shown: dict[str, pd.Series], parts: Sequence[str], total: str,
              thresholds: Thresholds) -> dict[str, pd.Series]:
    """``shown`` (of :func:`_protected`) with ``total`` hidden in every row where one of
    its ``parts`` is: a sum beside a hidden part says what the hidden parts add up to,
    and with counts that other tables publish (the placements outside in all, on the
    travel table) gives one back. A sum shown only beside all its parts says nothing
    they do not."""
    gone = np.zeros(len(shown[total]), dtype=bool)
    for c in parts:
        gone |= is_hidden(shown[c], thresholds).to_numpy()
    return {**shown, total: shown[total].where(~gone, SUPPRESSED_TEXT)}


def _hide_where(shown: pd.DataFrame, mask: pd.Series, columns: Sequence[str]) -> None:
    """Show :data:`SUPPRESSED_TEXT` in ``columns`` of the rows in ``mask``."""
    for c in columns:
        shown.loc[mask.to_numpy(), c] = SUPPRESSED_TEXT


def display_srb_costs(costs: pd.DataFrame, *, audience: str,
                      thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """What each SRB cost in the year, per place, per filled place and for its unfilled
    places (:func:`srb_eval.measures.value_for_money.srb_unit_costs`), as text.

    Published: the figures that follow from the days its places were filled (mean
    filled places, occupancy, the costs per filled place and of unfilled places) are
    hidden for an SRB whose places were filled by fewer than ``min_count`` learners on
    an average day (a cost per filled place of one learner is that learner's cost), and
    for a second SRB when one alone would be hidden, since the total row gives it away.
    """
    filled = np.ceil(costs["mean_on_roll"].fillna(0).to_numpy() - 1e-9).astype("int64")
    proxy = pd.DataFrame({"srb_id": costs["srb_id"].to_numpy(), "filled": filled})
    protected = suppress_counts(proxy, ["filled"], audience=audience, thresholds=thresholds,
                                total_row=V.ALL_SRBS)
    out = pd.DataFrame({
        "SRB": costs["name"].astype("str").to_numpy(),
        "places": costs["capacity"].map(lambda v: _number(v, 0)).to_numpy(),
        "mean places filled": costs["mean_on_roll"].map(_number).to_numpy(),
        "occupancy": costs["occupancy"].map(_percent).to_numpy(),
        "total cost": costs["total_cost"].map(money).to_numpy(),
        "cost per place": costs["cost_per_place"].map(money).to_numpy(),
        "cost per filled place-day": costs["cost_per_filled_place_day"].map(
            lambda v: NO_DATA_TEXT if pd.isna(v) else f"£{v:,.2f}").to_numpy(),
        "cost per filled place (a year)": costs["cost_per_filled_place"].map(money).to_numpy(),
        "mean places unfilled": costs["mean_unfilled"].map(_number).to_numpy(),
        "cost of unfilled places": costs["unfilled_cost"].map(money).to_numpy(),
    })
    hidden = is_hidden(protected["filled"], thresholds) & (filled > 0)
    _hide_where(out, pd.Series(hidden), ["mean places filled", "occupancy",
                                         "cost per filled place-day",
                                         "cost per filled place (a year)",
                                         "mean places unfilled", "cost of unfilled places"])
    return out


def srb_cost_sentences(costs: pd.DataFrame, shown: pd.DataFrame) -> list[str]:
    """What the SRBs cost, in sentences (the figures of the total row of ``shown``)."""
    t, s = costs.iloc[-1], shown.iloc[-1]
    words = price_words(str(t["financial_year"]), str(t["price_base"]))
    n = len(costs) - 1
    out = [ngettext("In {prices}, the {n} SRB with costs cost {total} for {places} places: "
                    "{per_place} a place.",
                    "In {prices}, the {n} SRBs with costs cost {total} for {places} places: "
                    "{per_place} a place.", n).format(
        prices=words, n=n, total=s["total cost"], places=s["places"],
        per_place=s["cost per place"])]
    if s["mean places filled"] not in (SUPPRESSED_TEXT, NO_DATA_TEXT):
        out.append(_("On an average day {filled} places were filled ({occupancy}), so a "
                     "filled place cost {per_day} a day, {per_year} for a year.").format(
            filled=s["mean places filled"], occupancy=s["occupancy"],
            per_day=s["cost per filled place-day"],
            per_year=s["cost per filled place (a year)"]))
        out.append(_("Places left unfilled (on average {unfilled} a day) cost {cost}: what "
                     "the year's empty places cost at the average cost of a place.").format(
            unfilled=s["mean places unfilled"], cost=s["cost of unfilled places"]))
    return out


def display_cost_trend(trend: pd.DataFrame) -> pd.DataFrame:
    """The cost of all SRBs in each year (:func:`~srb_eval.measures.value_for_money.cost_trend`)."""
    return pd.DataFrame({
        "financial year": trend["financial_year"].astype("str").to_numpy(),
        "prices": trend["price_base"].astype("str").to_numpy(),
        "total cost": trend["total_cost"].map(money).to_numpy(),
        "cost per place": trend["cost_per_place"].map(money).to_numpy(),
        "cost per filled place-day": trend["cost_per_filled_place_day"].map(
            lambda v: NO_DATA_TEXT if pd.isna(v) else f"£{v:,.2f}").to_numpy(),
        "cost of unfilled places": trend["unfilled_cost"].map(money).to_numpy(),
        "occupancy": trend["occupancy"].map(_percent).to_numpy()})


def display_alternatives(alt: pd.DataFrame, *, audience: str,
                         thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """Placements outside the SRBs and their cost in the year by setting type
    (:func:`~srb_eval.measures.value_for_money.alternative_costs`), as text.

    Published: the placements are counts (primary and secondary suppression with the
    total row). Fees and costs are statistics of the placements: every money figure of a
    setting type whose count is hidden, or that has fewer than ``min_denominator``
    placements, is hidden (a cost of one placement is that learner's fee); and while the
    setting types whose money is hidden add up to from 1 to ``min_denominator - 1``
    placements, the money of the shown type with the fewest placements is hidden too,
    since the total row less the shown rows gives theirs together.
    """
    counts = _protected(alt, ["placements"], None, V.ALL_SETTINGS, label="setting_type",
                        audience=audience, thresholds=thresholds)
    out = pd.DataFrame({
        "setting": alt["setting_type"].map(SETTING_WORDS).to_numpy(),
        "placements": counts["placements"].to_numpy(),
        "place-years": alt["place_years"].map(_number).to_numpy(),
        "fees": alt["fees"].map(money).to_numpy(),
        "transport": alt["transport"].map(money).to_numpy(),
        "total cost": alt["total_cost"].map(money).to_numpy(),
        "cost per place (a year)": alt["cost_per_place"].map(money).to_numpy(),
        "cost per place-day": alt["cost_per_place_day"].map(
            lambda v: NO_DATA_TEXT if pd.isna(v) else f"£{v:,.2f}").to_numpy(),
    })
    gone = is_hidden(out["placements"], thresholds).to_numpy().copy()
    if audience == "published":
        n = alt["placements"].fillna(0).to_numpy(dtype="int64")
        part = (alt["setting_type"] != V.ALL_SETTINGS).to_numpy()
        gone |= (n > 0) & (n < thresholds.min_denominator)
        while 0 < n[gone & part].sum() < thresholds.min_denominator:
            spare = np.flatnonzero(part & ~gone & (n > 0))
            if not spare.size:  # (every part hidden: the total is theirs, and ruled above)
                break
            gone[spare[np.argmin(n[spare], kind="stable")]] = True
    _hide_where(out, pd.Series(gone), ["place-years", "fees", "transport", "total cost",
                                       "cost per place (a year)", "cost per place-day"])
    return out


def alternative_sentences(alt_shown: pd.DataFrame, srb_shown: pd.DataFrame) -> list[str]:
    """The alternatives against an SRB place, in sentences."""
    a, s = alt_shown.iloc[-1], srb_shown.iloc[-1]
    if a["placements"] == "0":
        return [_("No placement outside the SRBs was open in the year.")]
    out = [_("{placements} placements outside the authority's SRBs were open in the year; "
             "they cost {total}, of which {transport} was transport.").format(
        placements=a["placements"], total=a["total cost"], transport=a["transport"])]
    if a["cost per place (a year)"] != SUPPRESSED_TEXT and \
            s["cost per filled place (a year)"] not in (SUPPRESSED_TEXT, NO_DATA_TEXT):
        out.append(_("A year of one such place cost {outside} on average, against {srb} for "
                     "a filled SRB place.").format(outside=a["cost per place (a year)"],
                                                   srb=s["cost per filled place (a year)"]))
    return out


def display_scenario(sc: pd.DataFrame, *, audience: str,
                     thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The scenario (:func:`~srb_eval.measures.value_for_money.scenario`) as text.

    Published: when the learners moved from some setting type, or its placements whose
    mean fee the line gives, number from 1 to ``min_denominator - 1``, the cost-avoided
    lines are shown as one line for all the setting types (their pounds are a mean fee
    of that few placements; a line of none moved still states the mean); when the
    learners moved in all number fewer than ``min_denominator``, every count and pound
    of the scenario is hidden.
    """
    t = sc.copy()
    avoided = t["line"] == "cost avoided"
    few = t["placements"].fillna(0) if "placements" in t else t["learners"]
    small = (((t.loc[avoided, "learners"] > 0) & (t.loc[avoided, "learners"]
                                                  < thresholds.min_denominator))
             | ((few[avoided] > 0) & (few[avoided] < thresholds.min_denominator)))
    if audience == "published" and small.any():
        merged = pd.DataFrame([{
            "line": "cost avoided", "setting_type": ", ".join(
                t.loc[avoided, "setting_type"]), "learners": int(t.loc[avoided, "learners"]
                                                                 .sum()),
            "pounds": float(t.loc[avoided, "pounds"].sum()),
            "assumption": "mean annual fee and transport of the placements of these types "
                          "open at the end of the year whose need and phase an SRB serves "
                          "(by type in the internal report)",
            "parameter": "learners, from_settings"}])
        t = pd.concat([merged, t.loc[~avoided]], ignore_index=True)
    n = int(t["learners"].iloc[-1])
    out = pd.DataFrame({
        "line": t["line"].to_numpy(),
        "setting": t["setting_type"].map(lambda s: ", ".join(
            SETTING_WORDS.get(x.strip(), x) for x in s.split(",")) if s else "").to_numpy(),
        "learners": t["learners"].map(lambda v: f"{int(v):,}").to_numpy(),
        "pounds a year": t["pounds"].map(money).to_numpy(),
        "assumption": t["assumption"].to_numpy(),
        "parameter": t["parameter"].to_numpy()})
    if audience == "published" and 0 < n < thresholds.min_denominator:
        out["learners"] = SUPPRESSED_TEXT
        out["pounds a year"] = SUPPRESSED_TEXT
        out["assumption"] = out["assumption"].str.replace(r"£[\d,]+", SUPPRESSED_TEXT,
                                                          regex=True)
        out["assumption"] = out["assumption"].str.replace(r"the \d+ placements",
                                                          "the placements", regex=True)
    return out


def scenario_sentences(shown: pd.DataFrame) -> list[str]:
    """What the scenario would change, in a sentence."""
    net = shown.iloc[-1]
    if net["pounds a year"] == SUPPRESSED_TEXT:
        return [_("Fewer learners than the policy allows to publish could move, so the "
                  "scenario's figures are not shown.")]
    if net["learners"] == "0":
        return [_("No learner now placed outside the SRBs in these settings has a need and "
                  "phase an SRB is designated for, so the scenario moves nobody.")]
    v = net["pounds a year"]
    if v.startswith(MINUS):
        said = _("Placing {learners} learners now placed outside the SRBs in unfilled or "
                 "new SRB places would cost {pounds} a year less, on the assumptions in the "
                 "table.")
    else:
        said = _("Placing {learners} learners now placed outside the SRBs in unfilled or "
                 "new SRB places would cost {pounds} a year more, on the assumptions in the "
                 "table.")
    return [said.format(learners=net["learners"], pounds=v.lstrip(MINUS))]


def display_progress_costs(pc: pd.DataFrame, names: pd.Series, *, audience: str,
                           thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """Cost per learner and per learner making at least expected progress
    (:func:`~srb_eval.measures.value_for_money.cost_per_expected_progress`), as text.

    ``names`` maps ``srb_id`` to the SRB's name. The learners on roll in the year are
    split three ways (at least expected, below expected, not judged); published, the
    three are suppressed with the learners as their row total and the total row; the
    learners judged are shown only where both their parts are, and a cost per learner
    is hidden where its count is.
    """
    parts = ["at_least_expected", "below", "not_judged"]
    counts = pc[["srb_id", "learners", "at_least_expected"]].assign(
        below=pc["judged"] - pc["at_least_expected"], not_judged=pc["learners"] - pc["judged"])
    shown = _protected(counts, parts, "learners", V.ALL_SRBS, label="srb_id",
                       audience=audience, thresholds=thresholds)
    judged = pc["judged"].map(lambda v: f"{int(v):,}")
    judged = judged.where(~(is_hidden(shown["at_least_expected"], thresholds)
                            | is_hidden(shown["below"], thresholds)), SUPPRESSED_TEXT)
    out = pd.DataFrame({
        "SRB": pc["srb_id"].map(lambda s: names.get(s, s)).to_numpy(),
        "learners on roll in the year": shown["learners"].to_numpy(),
        "progress judged": judged.to_numpy(),
        "at least expected": shown["at_least_expected"].to_numpy(),
        "below expected": shown["below"].to_numpy(),
        "not judged": shown["not_judged"].to_numpy(),
        "total cost": pc["total_cost"].map(money).to_numpy(),
        "cost per learner": pc["cost_per_learner"].map(money).to_numpy(),
        "cost per learner making at least expected progress":
            pc["cost_per_expected"].map(money).to_numpy()})
    _hide_where(out, is_hidden(out["learners on roll in the year"], thresholds),
                ["cost per learner"])
    _hide_where(out, is_hidden(out["at least expected"], thresholds),
                ["cost per learner making at least expected progress"])
    return out


def srb_names(srbs: pd.DataFrame) -> pd.Series:
    """Each SRB's name, indexed by ``srb_id`` (the first row of a repeated id)."""
    s = srbs.drop_duplicates("srb_id")
    return pd.Series(s["name"].astype("str").to_numpy(),
                     index=s["srb_id"].astype("str").to_numpy())


def display_sufficiency(suff: pd.DataFrame, *, audience: str,
                        thresholds: Thresholds = DEFAULT_THRESHOLDS,
                        srbs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Places by need (and phase) against the learners needing them
    (:func:`srb_eval.measures.sufficiency.sufficiency`), with a total row, as text.

    Published: on roll, awaiting a start and placed outside are counts, suppressed with
    their row total (the demand) and the total row; the demand is shown only where its
    three counts are (:func:`_hide_sum`), and places less demand where the demand is.
    ``srbs``: the SRBs whose places the total row shows (places
    designated for several needs are counted under each need above); without it the
    total row's places are "no data".
    """
    total_places = (float(srbs.drop_duplicates("srb_id")["capacity"].sum())
                    if srbs is not None else np.nan)
    counts = ["on_roll", "awaiting_start", "placed_outside"]
    t = suff.copy()
    total = {c: int(t[c].sum()) for c in [*counts, "demand"]}
    label = "all needs"
    language = {"language": ALL_LANGUAGES} if "language" in t.columns else {}
    t = pd.concat([t, pd.DataFrame([{"phase": SU.ALL_PHASES, "primary_need": label,
                                     "places": total_places, **language, **total}])],
                  ignore_index=True)
    shown = _hide_sum(_protected(t, counts, "demand", label, label="primary_need",
                                 audience=audience, thresholds=thresholds),
                      counts, "demand", thresholds)
    less = (t["places"] - t["demand"]).map(lambda v: NO_DATA_TEXT if pd.isna(v)
                                           else f"{int(v):+,}")
    out = pd.DataFrame({
        "phase": t["phase"].astype("str").to_numpy(),
        "primary need": t["primary_need"].astype("str").to_numpy(),
        "places": t["places"].map(lambda v: _number(v, 0)).to_numpy(),
        "on roll": shown["on_roll"].to_numpy(),
        "agreed, awaiting a start": shown["awaiting_start"].to_numpy(),
        "placed outside the SRBs": shown["placed_outside"].to_numpy(),
        "demand": shown["demand"].to_numpy(),
        "places less demand": less.to_numpy()})
    if language:
        out.insert(1, "language of provision", t["language"].map(
            lambda x: LANGUAGE_WORDS.get(x, x)).to_numpy())
    _hide_where(out, is_hidden(out["demand"], thresholds), ["places less demand"])
    return out


def display_language_sufficiency(suff: pd.DataFrame, *, audience: str,
                                 thresholds: Thresholds = DEFAULT_THRESHOLDS
                                 ) -> pd.DataFrame:
    """Places by language of provision against the learners needing them, every need and
    phase together (:func:`srb_eval.measures.sufficiency.sufficiency` with
    ``by_phase=False, by_need=False, by_language=True``), with a total row, as text.

    Published: on roll, awaiting a start and placed outside are counts, suppressed with
    their row total (the demand) and the total row, whose figures readers know from the
    table by need; the demand is shown only where its three counts are
    (:func:`_hide_sum`), and places less demand where the demand is. The places are
    each SRB's once (an SRB has one language).
    """
    counts = ["on_roll", "awaiting_start", "placed_outside"]
    t = suff.copy()
    total = {c: int(t[c].sum()) for c in [*counts, "demand", "places"]}
    t = pd.concat([t, pd.DataFrame([{"language": ALL_LANGUAGES, **total}])],
                  ignore_index=True)
    # the total row is the total row of the table by need and of the travel table:
    # readers may know it whether or not this table shows it
    shown = _hide_sum(_protected(t, counts, "demand", ALL_LANGUAGES, label="language",
                                 audience=audience, thresholds=thresholds,
                                 known_total_row=True), counts, "demand", thresholds)
    out = pd.DataFrame({
        "language of provision": t["language"].map(
            lambda x: LANGUAGE_WORDS.get(x, x)).to_numpy(),
        "places": t["places"].map(lambda v: _number(v, 0)).to_numpy(),
        "on roll": shown["on_roll"].to_numpy(),
        "agreed, awaiting a start": shown["awaiting_start"].to_numpy(),
        "placed outside the SRBs": shown["placed_outside"].to_numpy(),
        "demand": shown["demand"].to_numpy(),
        "places less demand": (t["places"] - t["demand"]).map(
            lambda v: f"{int(v):+,}").to_numpy()})
    _hide_where(out, is_hidden(out["demand"], thresholds), ["places less demand"])
    return out


def _signed(value: float) -> str:
    """A difference to one decimal with its sign; one that rounds to zero is "+0.0", never
    "-0.0" (-0.04 places is no shortfall).

    >>> _signed(-0.04), _signed(-1.25), _signed(float("nan"))
    ('+0.0', '-1.2', 'no data')
    """
    if pd.isna(value):
        return NO_DATA_TEXT
    return f"{round(float(value), 1) + 0.0:+,.1f}"


def display_forecast_sufficiency(fs: pd.DataFrame, *, audience: str,
                                 thresholds: Thresholds = DEFAULT_THRESHOLDS,
                                 hidden_phases: Sequence[str] = ()) -> pd.DataFrame:
    """Places by phase against the forecast's demand in each year
    (:func:`srb_eval.measures.sufficiency.forecast_sufficiency`), as text.

    The forecast is not a count (the capacity report publishes it). Published: the
    placements outside of each phase (today's, the same in every year) are counts,
    suppressed across the phases with their sum known to readers (the total of the
    table by need); where one is hidden, the demand and places less demand of that
    phase are hidden too (they would give it back). The forecast columns of
    ``hidden_phases`` (:func:`srb_eval.report.forecast.hidden_phases`: a forecast with a
    hidden input, as the capacity report hides it) show "[c]", and so do
    the columns worked out from it.
    """
    phases = fs.drop_duplicates("phase")[["phase", "placed_outside"]].reset_index(drop=True)
    if audience == "published" and len(phases):
        shown = line_counts(phases, [(["placed_outside"], None)], audience=audience,
                            thresholds=thresholds, known_totals={
                                "placed_outside": int(phases["placed_outside"].sum())})
        outside = pd.Series(shown["placed_outside"].to_numpy(), index=phases["phase"])
    else:
        outside = phases.set_index("phase")["placed_outside"].map(lambda v: f"{int(v):,}")
    out = pd.DataFrame({
        "phase": fs["phase"].to_numpy(),
        "school year": fs["school_year"].to_numpy(),
        "places": fs["places"].map(lambda v: _number(v, 0)).to_numpy(),
        "forecast places needed": fs["forecast_on_roll"].map(_number).to_numpy(),
        "forecast range": [f"{lo:,}–{hi:,}" for lo, hi in zip(
            fs["forecast_low"], fs["forecast_high"], strict=True)],
        "placed outside the SRBs (today)": fs["phase"].map(outside).to_numpy(),
        "demand with those placed outside": fs["demand"].map(_number).to_numpy(),
        "places less forecast": fs["places_less_forecast"].map(_signed).to_numpy(),
        "places less demand": fs["places_less_demand"].map(_signed).to_numpy()})
    _hide_where(out, is_hidden(out["placed outside the SRBs (today)"], thresholds),
                ["demand with those placed outside", "places less demand"])
    _hide_where(out, out["phase"].astype("str").isin(list(hidden_phases)),
                ["forecast places needed", "forecast range", "demand with those placed outside",
                 "places less forecast", "places less demand"])
    return out


def display_travel(travel: pd.DataFrame, *, audience: str,
                   thresholds: Thresholds = DEFAULT_THRESHOLDS,
                   srb_areas: Sequence[str] | None = None) -> pd.DataFrame:
    """Learners on roll by home area and where their SRB is, and placements outside the
    SRBs by home area (:func:`srb_eval.measures.travel.travel_by_area`), as text.

    Published: the three places of the learners on roll are suppressed with their row
    total (on roll) and the total row, the placements outside with the total row; the
    share in another area is hidden where either of its counts is. ``srb_areas``: the
    school areas of the SRBs (public): in a home area without an SRB no learner is in an
    SRB of their home area, as every reader knows (and the audit, from the record:
    :func:`~srb_eval.report.value_for_money_records.travel_record` with the same
    ``srb_areas``): the protection counts that 0 as known, whether the table shows it or
    hides it with a small group.
    """
    parts = ["in_home_area", "in_another_area", "area_not_recorded"]
    # the total row counts the learners and placements of the tables by need and by
    # language: readers may know it from them
    known = None
    if srb_areas is not None:
        home = travel["home_area"].astype("str")
        known = {"in_home_area": ((home != T.ALL_AREAS)
                                  & ~home.isin([str(a) for a in srb_areas])
                                  & (travel["in_home_area"] == 0)).to_numpy()}
    shown = _protected(travel, parts, "on_roll", T.ALL_AREAS, label="home_area",
                       audience=audience, thresholds=thresholds, known_total_row=True,
                       known_cells=known)
    shown.update(_protected(travel, ["placed_outside"], None, T.ALL_AREAS,
                            label="home_area", audience=audience, thresholds=thresholds,
                            known_total_row=True))
    out = pd.DataFrame({"home area": travel["home_area"].astype("str").to_numpy(),
                        **{w: shown[c].to_numpy() for c, w in TRAVEL_COLUMNS.items()
                           if c != "placed_outside"},
                        "share in another area": travel["share_another_area"].map(
                            _percent).to_numpy(),
                        TRAVEL_COLUMNS["placed_outside"]: shown["placed_outside"]
                        .to_numpy()})
    gone = (is_hidden(out[TRAVEL_COLUMNS["in_home_area"]], thresholds)
            | is_hidden(out[TRAVEL_COLUMNS["in_another_area"]], thresholds))
    _hide_where(out, gone, ["share in another area"])
    return out


def display_alternative_trend(trend: pd.DataFrame, *, audience: str,
                              thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """What the placements outside the SRBs cost in each financial year
    (:func:`~srb_eval.measures.value_for_money.alternative_cost_trend`), with the price
    base of each row, as text.

    Published: each year's placements is a count (primary suppression; a year is not
    a part of another); its money is hidden where it is, and where the year had fewer
    than ``min_denominator`` placements (a statistic of a small group).
    """
    counts = suppress_counts(trend[["financial_year", "placements"]], ["placements"],
                             audience=audience, thresholds=thresholds)
    out = pd.DataFrame({
        "financial year": trend["financial_year"].astype("str").to_numpy(),
        "prices": trend["price_base"].map(
            lambda b: "cash" if b == "cash" else str(b)).to_numpy(),
        "placements": counts["placements"].to_numpy(),
        "place-years": trend["place_years"].map(_number).to_numpy(),
        "total cost": trend["total_cost"].map(money).to_numpy(),
        "of which transport": trend["transport"].map(money).to_numpy(),
        "cost per place (a year)": trend["cost_per_place"].map(money).to_numpy()})
    few = is_hidden(out["placements"], thresholds)
    if audience == "published":
        n = trend["placements"].fillna(0).to_numpy(dtype="int64")
        few |= pd.Series((n > 0) & (n < thresholds.min_denominator), index=few.index)
    _hide_where(out, few, ["place-years", "total cost", "of which transport",
                           "cost per place (a year)"])
    return out
