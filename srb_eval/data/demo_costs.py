"""The synthetic money of the demo data: what each SRB cost, the placements outside the
authority's SRBs and a price index.

Drawn from a random stream of its own (see :func:`srb_eval.data.demo.generate`), so that
adding these tables changed no byte of the other demo tables. **Every figure is
invented**: the costs, fees and index follow no real authority, school or provider.

What is built in
----------------
- ``srb_costs``: every SRB in every financial year (April to March) that overlaps the
  data window, in cash prices: staffing of about £9,000 to £12,000 a place (a teacher
  and assistants for a class), other running costs of £600 to £1,200 a place, place
  funding of £1,500 a place and transport of £1,500 to £3,500 a place, each rising
  about 3% a year: the financial years that lie wholly inside the data window.
- ``external_placements``: about one placement outside the SRBs for every four SRB
  learners, ids ``X0001``..., in four kinds of setting (out-of-county special school
  35%, independent special school 30%, alternative provision 25%, another authority's
  SRB 10%) with annual fees drawn around £45,000, £85,000, £22,000 and £20,000 and
  transport around £12,000, £18,000, £6,000 and £8,000 a year; mostly autism and
  social, emotional and mental health needs; primary or secondary; one of six
  invented home-area clusters (``CL1``...); Welsh-, English-medium or bilingual.
  Each starts on a weekday from two years before the data window to its end and lasts
  one to four years (some still open at the end).
- ``deflators``: an invented price index, 100 in the last financial year and about
  3% lower for each year before.
- Places and homes (:func:`area_columns`, a stream of its own): each SRB's language of
  provision (Welsh-medium about a third, else English-medium) and school area (one of
  the six clusters), and each learner's home area: the area of their first SRB for
  about 60% of learners, any cluster for the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema as S
from .demo_population import Calendar, choice, ns, strings, vocab

#: Shares of the setting types, in :data:`srb_eval.data.schema.SETTING_TYPES` order.
SETTING_P = (0.35, 0.30, 0.25, 0.10)
#: Typical annual fee and transport of each setting type, pounds (invented).
FEE = np.array([45_000.0, 85_000.0, 22_000.0, 20_000.0])
TRANSPORT = np.array([12_000.0, 18_000.0, 6_000.0, 8_000.0])
#: Need mix of the placements outside the SRBs, in :data:`schema.NEEDS` order.
NEED_P = (0.38, 0.06, 0.05, 0.04, 0.02, 0.30, 0.04, 0.04, 0.01, 0.05, 0.01)
N_AREAS = 6
#: Share of the demo's SRBs that teach in Welsh (the rest in English).
WELSH_SRBS = 1 / 3
#: Share of learners who live in the area of their first SRB.
SAME_AREA = 0.6
#: Yearly rise of the demo's costs and index.
INFLATION = 0.03


def financial_years(cal: Calendar) -> list[int]:
    """Start years of the financial years (April to March) inside the data window (the
    placements of a year that began before the window are not all known)."""
    last_day = pd.Timestamp(cal.end(np.array(cal.n_terms - 1)))
    last = last_day.year - (1 if last_day.month < 4 else 0) - 1
    return list(range(cal.y0 + 1, max(last, cal.y0 + 1) + 1))


def year_label(start_year: int) -> str:
    """``2025`` -> ``"2025-26"``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def cost_tables(rng: np.random.Generator, srbs: pd.DataFrame, n_learners: int, cal: Calendar
                ) -> dict[str, pd.DataFrame]:
    """The ``srb_costs``, ``external_placements`` and ``deflators`` tables.

    Parameters
    ----------
    rng
        The stream these tables are drawn from (and no other table).
    srbs
        The demo's ``srbs`` table (ids and capacities).
    n_learners
        Learners of the demo; about a quarter as many placements outside the SRBs.
    cal
        The demo's term calendar.

    Returns
    -------
    dict of str to DataFrame
        The three tables, typed as :func:`srb_eval.data.io.load_dataset` returns them.
    """
    years = financial_years(cal)
    m, k = len(srbs), len(years)
    cap = srbs["capacity"].to_numpy(dtype="float64")
    rise = (1 + INFLATION) ** np.arange(k)
    per_place = {
        "staffing": rng.uniform(9_000, 12_000, m),
        "other_running": rng.uniform(600, 1_200, m),
        "place_funding": np.full(m, 1_500.0),
        "transport": rng.uniform(1_500, 3_500, m),
    }
    costs = pd.DataFrame({
        "srb_id": strings(srbs["srb_id"].astype("str").to_numpy(), np.repeat(np.arange(m), k)),
        "financial_year": strings([year_label(y) for y in years], np.tile(np.arange(k), m)),
        **{c: np.round(np.outer(cap * v, rise).ravel(), -2) for c, v in per_place.items()},
        "price_base": strings(["cash"], np.zeros(m * k, dtype=np.int64)),
    })

    n = max(4, n_learners // 4)
    setting = choice(rng, SETTING_P, n)
    first, last = cal.first_day, np.datetime64(pd.Timestamp(cal.end(np.array(
        cal.n_terms - 1))).date())
    first = first - np.timedelta64(730, "D")
    span = int((last - first) / np.timedelta64(1, "D"))
    start = first + rng.integers(0, span, n).astype("timedelta64[D]")
    start = np.busday_offset(start, 0, roll="forward")  # a school day (Monday to Friday)
    length = rng.uniform(1.0, 4.0, n) * 365.25
    end = start + length.astype("int64").astype("timedelta64[D]")
    open_ = end > last
    fee = np.round(FEE[setting] * rng.lognormal(0, 0.2, n), -2)
    transport = np.round(TRANSPORT[setting] * rng.lognormal(0, 0.3, n), -2)
    external = pd.DataFrame({
        "placement_id": strings(np.char.add("X", np.char.zfill(
            np.arange(1, n + 1).astype(str), 4)), np.arange(n)),
        "setting_type": vocab(setting, S.SETTING_TYPES),
        "start_date": ns(start),
        "end_date": ns(np.where(open_, np.datetime64("NaT"), end)),
        "annual_fee": fee,
        "annual_transport": transport,
        "primary_need": vocab(choice(rng, NEED_P, n), S.NEEDS),
        "phase": vocab(choice(rng, (0.45, 0.55), n), S.PHASES),
        "home_area": strings([f"CL{i}" for i in range(1, N_AREAS + 1)],
                             rng.integers(0, N_AREAS, n)),
        "language_of_provision": vocab(choice(rng, (0.25, 0.6, 0.15), n), S.LANGUAGES),
    }).sort_values(["start_date", "placement_id"], kind="stable", ignore_index=True)
    external["placement_id"] = strings(np.char.add("X", np.char.zfill(
        np.arange(1, n + 1).astype(str), 4)), np.arange(n))

    deflators = pd.DataFrame({
        "financial_year": strings([year_label(y) for y in years], np.arange(k)),
        "price_index": np.round(100 / (1 + INFLATION) ** np.arange(k - 1, -1, -1), 1),
    })
    return {"srb_costs": costs, "external_placements": external, "deflators": deflators}


def area_columns(rng: np.random.Generator, srbs: pd.DataFrame, learners: pd.DataFrame,
                 placements: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``srbs`` with ``language_of_provision`` and ``school_area``, and ``learners`` with
    ``home_area`` (the optional columns of sufficiency by language and travel by area).

    Parameters
    ----------
    rng
        The stream these columns are drawn from (and nothing else).
    srbs, learners, placements
        The demo's tables; a learner's first SRB is their earliest placement's.

    Returns
    -------
    tuple of DataFrame
        ``srbs`` and ``learners`` with the new columns last.
    """
    m = len(srbs)
    areas = [f"CL{i}" for i in range(1, N_AREAS + 1)]
    school = rng.integers(0, N_AREAS, m)
    language = np.where(rng.random(m) < WELSH_SRBS, S.LANGUAGES.index("welsh"),
                        S.LANGUAGES.index("english"))
    srbs = srbs.assign(language_of_provision=vocab(language, S.LANGUAGES),
                       school_area=strings(areas, school))
    first = placements.sort_values("start_date", kind="stable").drop_duplicates("learner_id")
    srb_of = pd.Series(pd.Index(srbs["srb_id"].astype("str")).get_indexer(
        first["srb_id"].astype("str")), index=first["learner_id"].astype("str").to_numpy())
    n = len(learners)
    first_srb = srb_of.reindex(learners["learner_id"].astype("str")).fillna(-1).to_numpy(
        dtype="int64")
    own = np.where(first_srb >= 0, school[np.maximum(first_srb, 0)], -1)
    elsewhere = rng.integers(0, N_AREAS, n)
    home = np.where((rng.random(n) < SAME_AREA) & (own >= 0), own, elsewhere)
    return srbs, learners.assign(home_area=strings(areas, home))
