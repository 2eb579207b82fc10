"""Value for money and sufficiency: what SRB places cost against the alternatives.

Estyn has found authorities unaware "whether or not resource bases provide value for
money" and called unfilled places in resource bases "poor value for money" (Estyn 2008,
*Joining in*); local authorities must secure sufficient additional learning
provision (ALN Code for Wales, ch. 7). These measures set the cost of each SRB
(``srb_costs``) against the places it had and the days they were filled, against the
placements outside the authority's SRBs (``external_placements``) and against the needs
waiting for a place (:mod:`srb_eval.measures.sufficiency`).

Money is in pounds of the table's price base (``price_base``, e.g. ``"cash"``) for one
financial year (1 April to 31 March, ``"2025-26"``); a comparison across years in real
terms needs a price index (``deflators``, :func:`cost_trend`). On roll follows
:mod:`srb_eval.measures.roll` and is counted on every day of the year
(:func:`srb_eval.measures.occupancy.daily_on_roll`, the census count of each day).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..data import schema as S
from ..errors import ParameterError, check_argument
from . import occupancy, progress, roll
from .sufficiency import served_needs

__all__ = ["ALL_SETTINGS", "ALL_SRBS", "COST_COLUMNS", "FROM_SETTINGS",
           "alternative_cost_trend", "alternative_costs",
           "cost_per_expected_progress", "cost_trend", "financial_year_days",
           "financial_years", "missing_tables", "place_days", "scenario", "srb_unit_costs"]

#: Label of the total row over SRBs.
ALL_SRBS = occupancy.ALL_SRBS
#: Label of the total row over setting types.
ALL_SETTINGS = "all settings"
#: The cost columns of ``srb_costs``, added up to ``total_cost``.
COST_COLUMNS: tuple[str, ...] = ("staffing", "other_running", "place_funding", "transport")
#: The setting types the scenario moves learners from by default: special schools
#: outside the authority (out of county and independent).
FROM_SETTINGS: tuple[str, ...] = ("out_of_county_special", "independent_special")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def missing_tables(ds: Any, needed: Sequence[str] = ("srb_costs", "external_placements")
                   ) -> list[str]:
    """The tables of ``needed`` that ``ds`` lacks (absent or without rows).

    >>> from types import SimpleNamespace
    >>> missing_tables(SimpleNamespace(srb_costs=None, external_placements=None))
    ['srb_costs', 'external_placements']
    """
    return [t for t in needed if getattr(ds, t, None) is None or len(getattr(ds, t)) == 0]


def financial_year_days(financial_year: str) -> pd.DatetimeIndex:
    """Every day of a financial year ``"YYYY-YY"``: 1 April to 31 March.

    >>> d = financial_year_days("2023-24")
    >>> (str(d[0].date()), str(d[-1].date()), len(d))
    ('2023-04-01', '2024-03-31', 366)
    """
    m = _YEAR.match(str(financial_year))
    ok = m is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2))
    check_argument(ok, "financial_year", "a financial year written YYYY-YY, e.g. 2025-26",
                   financial_year, error=ParameterError)
    y = int(m.group(1))  # type: ignore[union-attr]
    return pd.date_range(f"{y}-04-01", f"{y + 1}-03-31", freq="D")


def financial_years(ds: Any) -> list[str]:
    """The financial years of ``srb_costs``, earliest first (empty without the table)."""
    if getattr(ds, "srb_costs", None) is None:
        return []
    return sorted(pd.unique(ds.srb_costs["financial_year"].astype("str")).tolist())


def place_days(ds: Any, financial_year: str) -> pd.DataFrame:
    """Places commissioned and filled per SRB, summed over every day of a financial year.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs`` and ``placements``.
    financial_year : str
        ``"2025-26"``: 1 April 2025 to 31 March 2026.

    Returns
    -------
    pandas.DataFrame
        One row per SRB, in the order of ``srbs``: ``srb_id``, ``days`` (in the year),
        ``capacity`` (places in ``srbs``), ``place_days`` (capacity x days),
        ``filled_place_days`` (learners on roll summed over the days),
        ``unfilled_place_days`` (places empty summed over the days), ``mean_on_roll``
        (filled place-days / days) and ``mean_unfilled`` (unfilled place-days / days).

    Notes
    -----
    .. math::

       F_s = \\sum_{d \\in Y} \\text{on roll}_s(d), \\qquad
       U_s = \\sum_{d \\in Y} \\max(0, c_s - \\text{on roll}_s(d))

    with :math:`\\text{on roll}_s(d)` the distinct learners on roll in SRB :math:`s` on
    day :math:`d` (:func:`srb_eval.measures.occupancy.daily_on_roll`: the count of
    :func:`srb_eval.measures.occupancy.census_counts` on every day, the rule of
    :func:`srb_eval.measures.roll.last_day`), :math:`c_s` its places and :math:`Y` the
    days of the year: the occupancy of every day of the year, not of a census day
    (CIPFA's "unit cost per occupied place" uses occupied place-days the same way).
    An over-full day fills no other day's empty places. The places are today's
    (``srbs.capacity``) on every day.

    References
    ----------
    .. [1] Estyn (2008). *Joining in: a survey of resource bases in mainstream schools*.
    .. [2] CIPFA. *Children's Services Statistics* (unit costs per occupied place).

    Time and memory grow with placements plus days x SRBs (each placement is read as a
    run of days), not days x placements: at England size (109,000 placements) a year
    of census counts, a month at a time, took about 9 CPU s; now 0.1 s.
    """
    roll.check_dataset(ds)
    days = financial_year_days(financial_year)
    srbs = ds.srbs.drop_duplicates("srb_id")
    ids = srbs["srb_id"].astype("str")
    cap = pd.to_numeric(srbs["capacity"], errors="coerce").astype("float64").to_numpy()
    on = occupancy.daily_on_roll(ds, days).astype("float64")  # days x SRBs
    filled = on.sum(axis=0)
    unfilled = np.maximum(cap[None, :] - on, 0).sum(axis=0)
    n = float(len(days))
    return pd.DataFrame({
        "srb_id": ids.to_numpy(), "days": len(days), "capacity": cap,
        "place_days": cap * n, "filled_place_days": filled, "unfilled_place_days": unfilled,
        "mean_on_roll": filled / n, "mean_unfilled": unfilled / n})


def _costs_of_year(ds: Any, financial_year: str) -> pd.DataFrame:
    """The ``srb_costs`` rows of one year, one per SRB, with ``total_cost``."""
    check_argument(getattr(ds, "srb_costs", None) is not None, "ds",
                   "a dataset with an srb_costs table", "no srb_costs", error=ParameterError)
    financial_year_days(financial_year)
    c = ds.srb_costs.loc[ds.srb_costs["financial_year"].astype("str") == str(financial_year)]
    check_argument(len(c) > 0, "financial_year", "a year of srb_costs: " + ", ".join(
        financial_years(ds)), financial_year, error=ParameterError)
    bases = sorted(set(c["price_base"].astype("str")))
    check_argument(len(bases) == 1, "srb_costs", f"one price base in {financial_year}",
                   bases, error=ParameterError)
    c = c.drop_duplicates("srb_id").astype({"srb_id": "str", "price_base": "str"})
    return c.assign(total_cost=c[list(COST_COLUMNS)].sum(axis=1))


def srb_unit_costs(ds: Any, financial_year: str) -> pd.DataFrame:
    """What each SRB cost in a financial year, per place, per filled place-day, and what
    its unfilled places cost.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs``, ``placements`` and ``srb_costs``.
    financial_year : str
        A year of ``srb_costs`` (``"2025-26"``).

    Returns
    -------
    pandas.DataFrame
        One row per SRB with costs that year (order of ``srbs``), then the row
        :data:`ALL_SRBS` (sums; ratios of the sums): ``srb_id``, ``name``, ``phase``,
        ``financial_year``, ``price_base``, the :data:`COST_COLUMNS`, ``total_cost``,
        ``capacity``, ``cost_per_place``, ``mean_on_roll``, ``occupancy`` (filled /
        commissioned place-days), ``cost_per_filled_place_day``,
        ``cost_per_filled_place`` (a year of one filled place), ``mean_unfilled`` and
        ``unfilled_cost``. Ratios with a zero denominator are NaN.

    Notes
    -----
    With :math:`C_s` the total cost (staffing, other running costs, place funding,
    transport), :math:`c_s` the places, :math:`D` the days of the year and :math:`F_s,
    U_s` the filled and unfilled place-days (:func:`place_days`):

    .. math::

       \\text{per place} = \\frac{C_s}{c_s}, \\quad
       \\text{per filled place-day} = \\frac{C_s}{F_s}, \\quad
       \\text{per filled place} = \\frac{C_s D}{F_s}, \\quad
       \\text{unfilled cost} = C_s \\frac{U_s}{c_s D}

    The unfilled places are valued at the average cost of a commissioned place-day:
    what the year's empty places cost, as Estyn's "poor value for money" (2008). The
    cost of an SRB is an average cost, not the marginal cost of one more learner.
    """
    c = _costs_of_year(ds, financial_year)
    pdays = place_days(ds, financial_year)
    srbs = ds.srbs.drop_duplicates("srb_id").astype({"srb_id": "str", "phase": "str"})
    t = (pdays.merge(srbs[["srb_id", "name", "phase"]], on="srb_id", how="left")
         .merge(c[["srb_id", "financial_year", "price_base", *COST_COLUMNS, "total_cost"]],
                on="srb_id", how="inner"))
    sums = t[[*COST_COLUMNS, "total_cost", "capacity", "place_days", "filled_place_days",
              "unfilled_place_days"]].sum()
    total = pd.DataFrame([{**sums.to_dict(), "srb_id": ALL_SRBS, "name": ALL_SRBS,
                           "phase": ALL_SRBS, "financial_year": str(financial_year),
                           "price_base": c["price_base"].iloc[0],
                           "days": t["days"].iloc[0] if len(t) else 0}])
    t = pd.concat([t, total], ignore_index=True)
    days = t["days"].astype("float64")

    def ratio(a: pd.Series, b: pd.Series) -> pd.Series:
        return (a / b.where(b > 0)).astype("float64")

    t["cost_per_place"] = ratio(t["total_cost"], t["capacity"])
    t["mean_on_roll"] = ratio(t["filled_place_days"], days)
    t["occupancy"] = ratio(t["filled_place_days"], t["place_days"])
    t["cost_per_filled_place_day"] = ratio(t["total_cost"], t["filled_place_days"])
    t["cost_per_filled_place"] = t["cost_per_filled_place_day"] * days
    t["mean_unfilled"] = ratio(t["unfilled_place_days"], days)
    t["unfilled_cost"] = t["total_cost"] * ratio(t["unfilled_place_days"], t["place_days"])
    cols = ["srb_id", "name", "phase", "financial_year", "price_base", *COST_COLUMNS,
            "total_cost", "capacity", "cost_per_place", "mean_on_roll", "occupancy",
            "cost_per_filled_place_day", "cost_per_filled_place", "mean_unfilled",
            "unfilled_cost"]
    return t[cols]


def cost_trend(ds: Any, *, prices: str | None = None) -> pd.DataFrame:
    """The cost of all SRBs in each financial year of ``srb_costs``, in cash or real terms.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs``, ``placements`` and ``srb_costs``; with ``prices``, ``deflators``.
    prices : str, optional
        A financial year (``"2025-26"``): pounds of every year restated in that year's
        prices with the user's price index, :math:`x \\cdot I_{base} / I_{year}`. Only
        cash figures are restated. None: each year as given (no comparison across years
        in real terms).

    Returns
    -------
    pandas.DataFrame
        One row per year: ``financial_year``, ``price_base``, ``total_cost``,
        ``cost_per_place``, ``cost_per_filled_place_day``, ``unfilled_cost``, ``occupancy``.

    Raises
    ------
    ParameterError
        ``prices`` without a ``deflators`` table, or a year the index lacks, or costs
        not in cash.
    """
    rows = [srb_unit_costs(ds, y).iloc[[-1]] for y in financial_years(ds)]
    cols = ["financial_year", "price_base", "total_cost", "cost_per_place",
            "cost_per_filled_place_day", "unfilled_cost", "occupancy"]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    t = pd.concat(rows, ignore_index=True)[cols]
    return _restate(ds, t, prices, ("total_cost", "cost_per_place",
                                    "cost_per_filled_place_day", "unfilled_cost"))


def _restate(ds: Any, t: pd.DataFrame, prices: str | None, money: Sequence[str]
             ) -> pd.DataFrame:
    """``t`` (a row per ``financial_year``, cash ``price_base``) with the ``money``
    columns restated in ``prices``'s prices by ``ds.deflators``: :math:`x \\cdot
    I_{prices} / I_{year}`; unchanged for ``prices=None``."""
    if prices is None:
        return t
    financial_year_days(prices)
    d = getattr(ds, "deflators", None)
    check_argument(d is not None, "prices", "None without a deflators table (a price index "
                   "by financial year)", prices, error=ParameterError)
    index = d.drop_duplicates("financial_year").set_index(
        d["financial_year"].drop_duplicates().astype("str"))["price_index"]
    need = [*t["financial_year"], prices]
    lacking = [y for y in need if y not in index.index]
    check_argument(not lacking, "deflators", "a price index for every year compared",
                   f"none for {', '.join(dict.fromkeys(lacking))}", error=ParameterError)
    check_argument((t["price_base"] == "cash").all(), "price_base", "cash figures to "
                   "restate", sorted(set(t["price_base"])), error=ParameterError)
    factor = index[prices] / t["financial_year"].map(index).astype("float64")
    t = t.copy()
    for c in money:
        t[c] = t[c] * factor.to_numpy()
    t["price_base"] = f"{prices} prices"
    return t


def _year_share(e: pd.DataFrame, days: pd.DatetimeIndex) -> pd.Series:
    """Each placement's days in the year, as a share of the year's days."""
    lo = pd.to_datetime(e["start_date"]).clip(lower=days[0])
    hi = pd.to_datetime(e["end_date"]).fillna(days[-1]).clip(upper=days[-1])
    inside = ((hi - lo).dt.days + 1).clip(lower=0)
    return (inside / len(days)).astype("float64")


def alternative_costs(ds: Any, financial_year: str) -> pd.DataFrame:
    """What the placements outside the authority's SRBs cost in a financial year, by
    setting type.

    Parameters
    ----------
    ds : Dataset
        Needs ``external_placements``.
    financial_year : str
        ``"2025-26"``.

    Returns
    -------
    pandas.DataFrame
        One row per setting type (:data:`srb_eval.data.schema.SETTING_TYPES`, every one,
        zeros where none), then :data:`ALL_SETTINGS`: ``setting_type``, ``placements``
        (open on at least one day of the year), ``place_years`` (their days in the year
        / days of the year), ``fees``, ``transport``, ``total_cost`` (pro rata for part
        years), ``cost_per_place`` (total / place-years: a year of one place),
        ``cost_per_place_day``, ``transport_share`` (transport / total). Ratios of
        nothing are NaN.

    Notes
    -----
    A placement open :math:`d_i` days of a year of :math:`D` days costs

    .. math:: (f_i + t_i)\\,\\frac{d_i}{D}

    with :math:`f_i, t_i` its annual fee and transport: the pro-rata rule of
    termly-billed placements. The cost per place is comparable with an SRB's cost per
    filled place (:func:`srb_unit_costs`): both are a year of one learner's place.
    """
    check_argument(getattr(ds, "external_placements", None) is not None, "ds",
                   "a dataset with an external_placements table", "none",
                   error=ParameterError)
    days = financial_year_days(financial_year)
    e = ds.external_placements
    share = _year_share(e, days)
    t = pd.DataFrame({"setting_type": e["setting_type"].astype("str"),
                      "placements": (share > 0).astype("int64"), "place_years": share,
                      "fees": e["annual_fee"].astype("float64") * share,
                      "transport": e["annual_transport"].astype("float64") * share})
    g = t.groupby("setting_type").sum().reindex(list(S.SETTING_TYPES), fill_value=0)
    g.loc[ALL_SETTINGS] = g.sum()
    g = g.rename_axis("setting_type").reset_index()
    g["placements"] = g["placements"].astype("int64")
    g["total_cost"] = g["fees"] + g["transport"]
    py = g["place_years"].where(g["place_years"] > 0)
    g["cost_per_place"] = g["total_cost"] / py
    g["cost_per_place_day"] = g["total_cost"] / (py * len(days))
    g["transport_share"] = g["transport"] / g["total_cost"].where(g["total_cost"] > 0)
    return g


def alternative_cost_trend(ds: Any, *, prices: str | None = None,
                           years: Sequence[str] | None = None) -> pd.DataFrame:
    """What the placements outside the authority's SRBs cost in each financial year, in
    cash or in real terms.

    Parameters
    ----------
    ds : Dataset
        Needs ``external_placements``; with ``prices``, ``deflators``.
    prices : str, optional
        A financial year (``"2025-26"``): every year restated in that year's prices with
        the user's price index, :math:`x \\cdot I_{prices} / I_{year}` (the rule of
        :func:`cost_trend`). None: each year in cash (the fees as charged that year).
    years : sequence of str, optional
        The financial years; default the years of ``srb_costs`` (:func:`financial_years`),
        or of ``deflators`` without it.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``financial_year``, ``price_base`` (``"cash"`` or
        ``"<prices> prices"``), and the :data:`ALL_SETTINGS` row of
        :func:`alternative_costs` that year: ``placements``, ``place_years``, ``fees``,
        ``transport``, ``total_cost``, ``cost_per_place`` (a year of one place) and
        ``cost_per_place_day``.

    Notes
    -----
    ``annual_fee`` and ``annual_transport`` are taken as the cash prices of every year a
    placement is open (a fee that rose is a new row): the real-terms cost of year
    :math:`y` in the prices of year :math:`b` is :math:`C_y I_b / I_y`, with :math:`C_y`
    the pro-rata cost of :func:`alternative_costs`. HM Treasury's *GDP deflators at
    market prices* are one such index; an authority may use its own.

    Examples
    --------
    One placement of £36,500 a year (fee and transport) open all of 2023-24 (366 days)
    and 2024-25 (365 days); index 97 then 100. In 2024-25 prices: 36,500 x 100 / 97 =
    £37,629 for 2023-24, £36,500 for 2024-25.

    >>> from types import SimpleNamespace
    >>> ds = SimpleNamespace(
    ...     external_placements=pd.DataFrame({"setting_type": ["independent_special"],
    ...         "start_date": pd.to_datetime(["2023-04-01"]),
    ...         "end_date": pd.to_datetime(["2025-03-31"]),
    ...         "annual_fee": [30_000.0], "annual_transport": [6_500.0]}),
    ...     deflators=pd.DataFrame({"financial_year": ["2023-24", "2024-25"],
    ...                             "price_index": [97.0, 100.0]}))
    >>> t = alternative_cost_trend(ds, prices="2024-25", years=["2023-24", "2024-25"])
    >>> t["total_cost"].round(0).tolist(), t["price_base"].iloc[0]
    ([37629.0, 36500.0], '2024-25 prices')
    """
    if years is None:
        years = financial_years(ds)
        d = getattr(ds, "deflators", None)
        if not years and d is not None:
            years = sorted(pd.unique(d["financial_year"].astype("str")).tolist())
    cols = ["financial_year", "price_base", "placements", "place_years", "fees",
            "transport", "total_cost", "cost_per_place", "cost_per_place_day"]
    rows = [alternative_costs(ds, y).iloc[[-1]].assign(financial_year=y, price_base="cash")
            for y in years]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    t = pd.concat(rows, ignore_index=True)[cols]
    return _restate(ds, t, prices, ("fees", "transport", "total_cost", "cost_per_place",
                                    "cost_per_place_day"))


def scenario(ds: Any, financial_year: str, *, learners: int | Mapping[str, int] | None = None,
             from_settings: Sequence[str] = FROM_SETTINGS,
             unfilled_place_cost: float | None = None, new_place_cost: float | None = None,
             transport_per_learner: float | None = None) -> pd.DataFrame:
    """The cost difference a year if learners now placed outside the authority's SRBs,
    with needs an SRB is designated for, were placed in unfilled or new SRB places.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs``, ``placements``, ``srb_costs`` and ``external_placements``.
    financial_year : str
        The year whose costs are used; "now" is its last day (31 March).
    learners : int, dict or None, default None
        How many learners move: None, all who could (placements open on the last day,
        in ``from_settings``, whose need and phase an SRB is designated for); an int,
        shared between the setting types in proportion to those who could (largest
        remainder); a dict, per setting type.
    from_settings : sequence of str, default :data:`FROM_SETTINGS`
        The setting types learners move from.
    unfilled_place_cost : float, optional
        Yearly cost of filling one unfilled place. Default: the year's place funding per
        place (staff are already paid for; the place funding follows the learner).
    new_place_cost : float, optional
        Yearly cost of one new place. Default: the year's staffing, other running costs
        and place funding per place of all SRBs (an average, not a marginal, cost).
    transport_per_learner : float, optional
        Yearly transport to an SRB. Default: the year's SRB transport per filled place.

    Returns
    -------
    pandas.DataFrame
        One row per line of the sum: ``line``, ``setting_type`` ("" for SRB lines),
        ``learners``, ``pounds`` (a year; negative: cost avoided), ``assumption`` (the
        figure used and where it comes from), ``parameter`` (the parameter that
        changes it) and ``placements`` (Int64: on a cost-avoided line, the placements of
        that type whose mean fee it uses; NA on the others). The last line, "net
        difference a year", adds up the pounds: below zero, the scenario costs less.

    Notes
    -----
    With :math:`n_t` learners moved from setting type :math:`t` whose placements of
    that type cost :math:`\\bar a_t` a year on average (annual fee and transport),
    :math:`u = \\min(n, \\lfloor \\sum_s U_s / D \\rfloor)` of the :math:`n = \\sum_t
    n_t` taking unfilled places (the year's mean unfilled places, :func:`place_days`)
    and the rest new places:

    .. math:: \\Delta = -\\sum_t n_t \\bar a_t + u\\,p_u + (n - u)\\,p_n + n\\,p_t

    Every unfilled place is taken to suit any learner moved (designation, phase and
    distance are not matched place by place): an upper bound of the places that can be
    filled.
    """
    years = financial_year_days(financial_year)
    unknown = [t for t in from_settings if t not in S.SETTING_TYPES]
    check_argument(len(from_settings) > 0 and not unknown, "from_settings",
                   "setting types from " + ", ".join(S.SETTING_TYPES), list(from_settings),
                   error=ParameterError)
    costs = srb_unit_costs(ds, financial_year)
    total = costs.iloc[-1]
    now = years[-1]
    by_type = _placements_that_could_move(ds, now, from_settings)
    could = by_type["size"].astype("int64")
    moved = _allocate(learners, could)
    p_u, p_n, p_t = _scenario_prices(
        _costs_of_year(ds, financial_year), total, financial_year,
        unfilled_place_cost=unfilled_place_cost, new_place_cost=new_place_cost,
        transport_per_learner=transport_per_learner)
    n = int(moved.sum())
    free = int(np.floor(float(costs["mean_unfilled"].iloc[:-1].sum()) + 1e-9))
    u = min(n, free)
    base = f"{financial_year}, {total['price_base']}"
    rows = []
    for t in from_settings:
        mean = by_type.at[t, "mean"]
        rows.append(("cost avoided", t, int(moved[t]),
                     -moved[t] * mean if moved[t] else 0.0,
                     f"mean annual fee and transport of the {int(could[t])} placements of "
                     f"this type open on {now:%d %B %Y} whose need and phase an SRB serves"
                     + (f": £{mean:,.0f}" if could[t] else ""), "learners, from_settings"))
    rows += [
        ("unfilled SRB places filled", "", u, u * p_u,
         f"£{p_u:,.0f} a place ({base}); {free} places unfilled on average over the "
         "year, each taken to suit any learner", "unfilled_place_cost"),
        ("new SRB places", "", n - u, (n - u) * p_n,
         f"£{p_n:,.0f} a place ({base})", "new_place_cost"),
        ("transport to an SRB", "", n, n * p_t, f"£{p_t:,.0f} a learner ({base})",
         "transport_per_learner"),
    ]
    out = pd.DataFrame(rows, columns=["line", "setting_type", "learners", "pounds",
                                      "assumption", "parameter"])
    net = pd.DataFrame([("net difference a year", "", n, float(out["pounds"].sum()),
                         "below 0: the scenario costs less", "")], columns=out.columns)
    out = pd.concat([out, net], ignore_index=True)
    out["pounds"] = out["pounds"].astype("float64")
    # the placements whose mean fee a cost-avoided line uses (none on the other lines)
    out["placements"] = pd.array([int(could[t]) for t in from_settings]
                                 + [pd.NA] * (len(out) - len(from_settings)), dtype="Int64")
    return out


def _placements_that_could_move(ds: Any, now: pd.Timestamp,
                                 from_settings: Sequence[str]) -> pd.DataFrame:
    """Per setting type of ``from_settings`` (in that order): ``size`` (external
    placements of that type open on ``now`` whose need and phase an SRB serves; an
    all-through SRB serves both phases) and ``mean`` (their mean annual fee and
    transport)."""
    e = ds.external_placements
    open_now = (pd.to_datetime(e["start_date"]) <= now) & (
        e["end_date"].isna() | (pd.to_datetime(e["end_date"]) >= now))
    served = served_needs(ds.srbs)
    through = served.loc[served["phase"] == "all-through"]
    pairs = pd.concat([served, through.assign(phase="primary"),
                       through.assign(phase="secondary")])
    fits = pd.MultiIndex.from_frame(e[["phase", "primary_need"]].astype("str")).isin(
        pd.MultiIndex.from_frame(pairs[["phase", "primary_need"]]))
    cand = e.loc[open_now & fits & e["setting_type"].astype("str").isin(list(from_settings))]
    annual = (cand["annual_fee"] + cand["annual_transport"]).astype("float64")
    by_type = annual.groupby(cand["setting_type"].astype("str")).agg(["size", "mean"])
    return by_type.reindex(list(from_settings)).fillna({"size": 0})


def _scenario_prices(c: pd.DataFrame, total: pd.Series, financial_year: str, *,
                     unfilled_place_cost: float | None, new_place_cost: float | None,
                     transport_per_learner: float | None) -> tuple[float, float, float]:
    """The cost of an unfilled place filled, of a new place and of a learner's transport
    (see :func:`scenario`): each as given, else derived from the year's SRB costs ``c``
    and the all-SRB row ``total`` of :func:`srb_unit_costs`."""
    places, on_roll = float(total["capacity"]), float(total["mean_on_roll"])
    # (SRBs of no places, or none on roll, give no cost of a place to derive: the
    # caller's figure is needed then, and the error says which)
    for derived, given, name, what in (
            (places, unfilled_place_cost, "unfilled_place_cost", "the SRBs have no places"),
            (places, new_place_cost, "new_place_cost", "the SRBs have no places"),
            (on_roll, transport_per_learner, "transport_per_learner",
             "no learner was on roll in the SRBs in the year")):
        check_argument(derived > 0 or given is not None, name,
                       f"given in pounds, since {what} ({financial_year}) to derive it from",
                       None, error=ParameterError)
    p_u = (float(c["place_funding"].sum()) / places
           if unfilled_place_cost is None else float(unfilled_place_cost))
    p_n = (float(c[["staffing", "other_running", "place_funding"]].sum().sum())
           / places if new_place_cost is None else float(new_place_cost))
    p_t = (float(total["transport"]) / on_roll
           if transport_per_learner is None else float(transport_per_learner))
    for v, name in ((p_u, "unfilled_place_cost"), (p_n, "new_place_cost"),
                    (p_t, "transport_per_learner")):
        check_argument(np.isfinite(v) and v >= 0, name, "pounds, 0 or more", v,
                       error=ParameterError)
    return p_u, p_n, p_t


def _allocate(learners: int | Mapping[str, int] | None, could: pd.Series) -> pd.Series:
    """Learners moved per setting type (see :func:`scenario`)."""
    if learners is None:
        return could.copy()
    if isinstance(learners, Mapping):
        bad = {t: v for t, v in learners.items() if t not in could.index
               or not isinstance(v, (int, np.integer)) or not 0 <= v <= could.get(t, 0)}
        check_argument(not bad, "learners", "whole numbers per setting type, at most those "
                       "who could move: " + ", ".join(f"{t} {v}" for t, v in could.items()),
                       bad, error=ParameterError)
        return pd.Series({t: int(learners.get(t, 0)) for t in could.index}, dtype="int64")
    n = roll.check_whole(learners, "learners", 0, int(could.sum()))
    if n == 0 or could.sum() == 0:
        return could * 0
    exact = could.to_numpy(dtype="float64") * n / could.sum()
    base = np.floor(exact).astype("int64")
    order = np.argsort(-(exact - base), kind="stable")[: n - int(base.sum())]
    base[order] += 1
    return pd.Series(base, index=could.index, dtype="int64")


def cost_per_expected_progress(ds: Any, financial_year: str, *, area: str = "literacy"
                               ) -> pd.DataFrame:
    """An SRB's cost per learner making at least expected progress in a financial year.

    Parameters
    ----------
    ds : Dataset
        Needs ``srbs``, ``placements``, ``srb_costs``, ``assessments`` and ``instruments``.
    financial_year : str
        ``"2025-26"``; progress is measured over the year (assessments inside it).
    area : str, default "literacy"
        The area of learning judged.

    Returns
    -------
    pandas.DataFrame
        One row per SRB with costs (order of ``srbs``), then :data:`ALL_SRBS` (the sums:
        a learner in two SRBs in the year counts in each): ``srb_id``, ``total_cost``,
        ``learners`` (on roll on a day of the year),
        ``judged`` (with an expected-progress band in ``area``), ``at_least_expected``
        (every band of theirs in the area "expected" or "above"),
        ``cost_per_learner`` (total / learners) and ``cost_per_expected`` (total /
        at least expected; NaN for none).

    Notes
    -----
    Progress is :func:`srb_eval.measures.progress.dataset_progress` with the window of
    the financial year (``anchor="window"``: from the first to the last assessment
    inside the year). The ratio is the whole cost of the SRB over the learners whose
    progress was at least expected: it gives the others' progress no value, counts a
    learner judged on one test only, and an SRB that assesses fewer learners looks
    dearer. It is a descriptive ratio, not a cost-effectiveness ratio (which needs the
    progress the learners would have made elsewhere: report 60).
    """
    days = financial_year_days(financial_year)
    costs = srb_unit_costs(ds, financial_year).iloc[:-1]
    on = roll.placed_in_year(ds, days[0], days[-1]).drop_duplicates()
    p = progress.dataset_progress(ds, areas=[area], window_start=str(days[0].date()),
                                  window_end=str(days[-1].date()), anchor="window")
    p = p.loc[p["band"].notna(), ["learner_id", "srb_id", "band"]].astype(
        {"learner_id": "str", "srb_id": "str", "band": "str"})
    p = p.merge(on, on=["learner_id", "srb_id"], how="inner")
    good = p.assign(ok=p["band"].isin(["expected", "above"])).groupby(
        ["srb_id", "learner_id"])["ok"].all().reset_index()
    ids = costs["srb_id"]
    t = pd.DataFrame({
        "srb_id": ids.to_numpy(), "total_cost": costs["total_cost"].to_numpy(),
        "learners": ids.map(on.groupby("srb_id")["learner_id"].nunique()).fillna(0)
        .astype("int64").to_numpy(),
        "judged": ids.map(good.groupby("srb_id").size()).fillna(0).astype("int64")
        .to_numpy(),
        "at_least_expected": ids.map(good.groupby("srb_id")["ok"].sum()).fillna(0)
        .astype("int64").to_numpy()})
    all_row = {"srb_id": ALL_SRBS, **t.drop(columns="srb_id").sum().to_dict()}
    t = pd.concat([t, pd.DataFrame([all_row])], ignore_index=True)
    t[["learners", "judged", "at_least_expected"]] = t[
        ["learners", "judged", "at_least_expected"]].astype("int64")
    t["cost_per_learner"] = t["total_cost"] / t["learners"].where(t["learners"] > 0)
    t["cost_per_expected"] = t["total_cost"] / t["at_least_expected"].where(
        t["at_least_expected"] > 0)
    return t
