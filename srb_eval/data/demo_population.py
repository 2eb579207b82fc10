"""The synthetic population behind the demo data: a calendar, resource bases, learners,
their placements and the terms each learner is on roll. Used by :mod:`srb_eval.data.demo`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import schema as S

#: Other authorities learners come from (a few are placed out of their home authority).
NEIGHBOURS = (
    "Sir Gyfagos (synthetic neighbouring authority)",
    "Bro Ffiniol (synthetic neighbouring authority)",
    "Swydd Drosffin (synthetic English authority)",  # English: EHCP, not IDP
)

# --------------------------------------------------------------------------- constants

PRIMARY, SECONDARY, ALL_THROUGH = 0, 1, 2
_PHASE_P = (0.55, 0.30, 0.15)
_PHASE_LABEL = ("Primary", "Secondary", "All-through")
_CAPACITIES = (8, 20, 55)  # Fig. 3 of the 2020 strategy
_CAPACITY_P = ((0.30, 0.60, 0.10), (0.15, 0.60, 0.25), (0.10, 0.50, 0.40))
_STAY_YEARS = (4.2, 4.0, 7.5)  # mean stay used to balance admissions against leavers
_FILL, _OVERFILL = 0.75, 1.25  # planned share of places filled: others, SRB01
_LEARNERS_PER_SRB, _CANDIDATES = (30, 40), 8  # SRB mixes drawn, one kept (see plan_srbs)
_ONWARD_PER_YEAR = 0.07  # primary SRB leavers moving on to a secondary SRB, per primary place
_GROUPS = np.array([[0, 6], [7, 13], [0, 13]])  # year groups served (0 = Reception)

N = {code: i for i, code in enumerate(S.NEEDS)}
_D = {code: i for i, code in enumerate(S.DESTINATIONS)}
#: Fig. 2 of the 2020 strategy, in the order of ``schema.NEEDS``.
NEED_MIX = np.array([0.35, 0.11, 0.06, 0.06, 0.02, 0.17, 0.17, 0.03, 0.01, 0.02, 0.0])
_SECONDARY_NEED_P = np.array([0.08, 0.30, 0.0, 0.12, 0.0, 0.12, 0.05, 0.06, 0.10, 0.17, 0.0])
#: Designations, cycled over the SRBs from the one with most learners down. Chosen so that, with the
#: 65/35 rule of ``_need_matrix``, the learners' need mix comes out close to Fig. 2.
_DESIGNATIONS = (
    "ASD;SLCN", "ASD;SEMH", "PMED;SENSORY", "SEMH", "SLD;MLD;PMLD", "ASD;MLD", "PMED;PMLD",
    "SLCN;ADHD", "ASD;SEMH", "ASD;SLD",
)
_PLACE_WORDS = (
    "Afon", "Bryn", "Coed", "Cwm", "Derwen", "Dyffryn", "Glan", "Gwaun", "Heulwen", "Llwyn",
    "Maes", "Mynydd", "Nant", "Onnen", "Pant", "Rhos", "Seren", "Tywod", "Ynys", "Enfys",
)
_SUFFIXES = ("", " Uchaf", " Isaf", " Newydd", " Fawr", " Fach")

# Probability of the year group at the data start (on roll already) or at admission.
_INITIAL_GROUP_P = np.array([
    [0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, .22, .22, .2, .16, .12, .08],
    [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, .6, .5],
], dtype=float)
_ARRIVAL_GROUP_P = np.array([
    [.22, .2, .16, .13, .11, .1, .08, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, .4, .16, .13, .12, .07, .08, .04],
    [.15, .12, .1, .08, .07, .06, .05, .12, .06, .05, .05, .03, .04, .02],
])

# Exit causes, in tie-break order.
NATURAL, MAINSTREAM, SPECIAL, OTHER, PERMANENT = range(5)
_REASONS = (
    "End of primary phase: moved to a mainstream secondary school",
    "End of primary phase: moved to a secondary SRB",
    "End of primary phase: moved to a special school",
    "End of primary phase: independent specialist placement",
    "Completed Year 11",
    "Completed Year 13",
    "Met the exit criteria: full-time return to mainstream classes",
    "Needs better met in a special school (IDP review)",
    "Family moved out of the area",
    "Parental preference: independent specialist school",
    "Elective home education",
    "Permanently excluded",
)

# (subject, core, minutes a week, offset to the learner's mainstream share)
SUBJECTS = (
    ("English", True, 240, 0.0), ("Welsh", True, 180, 0.03),
    ("mathematics", True, 240, -0.03), ("science", True, 180, 0.05),
    ("art", False, 60, 0.05), ("music", False, 60, 0.0), ("PE", False, 120, 0.05),
    ("humanities", False, 120, -0.05), ("technology", False, 90, 0.0),
)
EXIT_SHARE = 0.80  # SRB guidance (2025): at least 80% in the core subjects

INSTRUMENTS = pd.DataFrame({
    "instrument": ["Small Steps Tracker", "Standardised Attainment Test", "Reading Age Test"],
    "scale": ["steps", "standard_score", "age_equivalent_months"],
    "mean": [np.nan, 100.0, np.nan],
    "sd": [np.nan, 15.0, np.nan],
    "reliability": [np.nan, 0.90, 0.88],
    "expected_gain_per_year": [6.0, 0.0, 12.0],
    "min_score": [0.0, 40.0, 48.0],
    "max_score": [120.0, 160.0, 204.0],
})
STEPS, STANDARD, READING = 0, 1, 2
COMBOS = (  # (instrument, area) assessed each term
    (STEPS, "literacy"), (STEPS, "numeracy"), (STEPS, "communication"),
    (STEPS, "personal_social"), (STANDARD, "literacy"), (STANDARD, "numeracy"),
    (READING, "literacy"),
)
TARGET_AREA_P = np.array([0.22, 0.20, 0.20, 0.22, 0.08, 0.06, 0.02])  # schema.AREAS order

NEVER = 10**6  # a term index beyond any data
DAY = np.timedelta64(1, "D")


# --------------------------------------------------------------------------- helpers


def ymd(year: Any, month: Any, day: Any) -> np.ndarray:
    """Dates (``datetime64[D]``) from year, month and day arrays."""
    months = (np.asarray(year, dtype=np.int64) - 1970) * 12 + (np.asarray(month) - 1)
    return months.astype("datetime64[M]").astype("datetime64[D]") + (np.asarray(day) - 1)


def _draw(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``p`` (rows need not be normalised)."""
    p = np.asarray(p, dtype=float)
    cdf = np.cumsum(p, axis=-1)
    cdf = cdf / cdf[..., -1:]
    u = rng.random(p.shape[0])
    return np.minimum((cdf <= u[:, None]).sum(axis=1), p.shape[1] - 1)


def choice(rng: np.random.Generator, p: Sequence[float], size: int) -> np.ndarray:
    """``size`` draws of indices ``0..len(p)-1`` with probabilities ``p``."""
    p = np.asarray(p, dtype=float)
    return np.minimum(np.searchsorted(np.cumsum(p / p.sum()), rng.random(size), side="right"),
                      len(p) - 1)


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers proportional to ``weights`` that add up to ``total``."""
    x = weights / weights.sum() * total
    out = np.floor(x).astype(np.int64)
    rest = int(total - out.sum())
    out[np.argsort(-(x - out), kind="stable")[:rest]] += 1
    return out


def weekday(d: np.ndarray, roll: str = "forward") -> np.ndarray:
    """Move weekend dates to the next (or previous) weekday."""
    return np.busday_offset(d, 0, roll=roll)


def uniform_day(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A day drawn uniformly from ``lo..hi`` (inclusive)."""
    span = (hi - lo) // DAY
    return lo + np.floor(rng.random(len(lo)) * (span + 1)).astype(np.int64)


def strings(values: Sequence[str | None] | np.ndarray, idx: np.ndarray
             ) -> pd.api.extensions.ExtensionArray:
    """``values[idx]`` as a pandas ``str`` array (fast: Arrow take, no Python loop)."""
    arr = pa.array(np.asarray(values, dtype=object), type=pa.string())
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64))).to_pandas().array


def vocab(codes: np.ndarray, vocabulary: Sequence[str]) -> pd.Categorical:
    """Vocabulary codes (indices, -1 = missing) as a categorical over the vocabulary."""
    return pd.Categorical.from_codes(codes, categories=list(vocabulary))


def ns(d: np.ndarray) -> np.ndarray:
    """Dates at the resolution :func:`srb_eval.data.io.load_dataset` returns."""
    return d.astype("datetime64[ns]")


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class Calendar:
    """Term dates. Term 0 is the autumn term of the first academic year of the data."""

    y0: int
    n_terms: int

    _START = np.array([[0, 9, 1], [1, 1, 6], [1, 4, 20]])
    _END = np.array([[0, 12, 20], [1, 4, 4], [1, 7, 20]])

    def _date(self, k: np.ndarray, table: np.ndarray) -> np.ndarray:
        k = np.asarray(k, dtype=np.int64)
        row = table[k % 3]
        return ymd(self.y0 + k // 3 + row[..., 0], row[..., 1], row[..., 2])

    def start(self, k: np.ndarray) -> np.ndarray:
        """First day of term ``k``."""
        return self._date(k, self._START)

    def end(self, k: np.ndarray) -> np.ndarray:
        """Last day of term ``k``."""
        return self._date(k, self._END)

    def year(self, k: np.ndarray) -> np.ndarray:
        """Academic year (its September) of term ``k``."""
        return self.y0 + np.asarray(k) // 3

    @property
    def first_day(self) -> np.datetime64:
        """1 September of the first academic year."""
        return np.datetime64(f"{self.y0:04d}-09-01")

    @property
    def extract_day(self) -> np.datetime64:
        """The data are as at 31 August after the last summer term."""
        return np.datetime64(f"{self.y0 + self.n_terms // 3:04d}-08-31")


# --------------------------------------------------------------------------- SRBs


@dataclass(frozen=True)
class Srbs:
    """Per-SRB facts and plans, indexed in srb_id order."""

    phase: np.ndarray
    capacity: np.ndarray
    roll: np.ndarray  # expected number on roll
    initial: np.ndarray  # learners on roll at the data start
    arrivals: np.ndarray  # learners admitted during the data window
    wait_days: np.ndarray
    designation: np.ndarray  # index into _DESIGNATIONS
    flags_baseline: np.ndarray
    uses_standard: np.ndarray
    uses_reading: np.ndarray
    age_from: np.ndarray
    age_to: np.ndarray
    name: np.ndarray


def plan_srbs(rng: np.random.Generator, n_learners: int, years: int) -> Srbs:
    """Resource bases for ``n_learners``: the best of a few drawn mixes, then their details.

    The mix kept has about one SRB per 30-40 learners (``_LEARNERS_PER_SRB``), then the
    most kinds of capacity (8, 20, 55), then planned rolls needing the least scaling.
    """
    lo, hi = n_learners / _LEARNERS_PER_SRB[1], n_learners / _LEARNERS_PER_SRB[0]
    best: tuple | None = None
    for _ in range(_CANDIDATES):
        phase, capacity, roll, turnover, scale = _draw_srb_mix(rng, n_learners, years)
        m = len(phase)
        rank = (max(lo - m, m - hi, 0.0), -len(np.unique(capacity)),
                abs(np.log(max(scale, 1e-9))))
        if best is None or rank < best[0]:
            best = (rank, (phase, capacity, roll, turnover))
    phase, capacity, roll, turnover = best[1]
    m = len(phase)
    learners = _learners_needed(roll, phase, turnover, years)
    counts = _largest_remainder(learners, n_learners)
    share = np.divide(roll, learners, out=np.zeros(m), where=learners > 0)
    initial = np.minimum(np.rint(counts * share).astype(np.int64), counts)

    wait = rng.uniform(30, 130, m)
    wait[0] = 160.0
    flags = rng.random(m) < 0.5
    flags[:2] = (True, False)
    uses_standard = rng.random(m) < 0.75
    uses_reading = rng.random(m) < 0.8
    uses_standard[:3] = uses_reading[:3] = True
    wide = (phase == ALL_THROUGH) & (rng.random(m) < 0.5)
    age_from = np.where(wide, 3, np.array([4, 11, 4])[phase])
    age_to = np.where(wide, 19, np.array([11, 18, 18])[phase])
    # the SRBs with the most learners take the commonest designations
    designation = np.empty(m, dtype=np.int64)
    designation[np.argsort(-counts, kind="stable")] = np.arange(m) % len(_DESIGNATIONS)
    return Srbs(phase, capacity, roll, initial, counts - initial, wait, designation, flags,
                 uses_standard, uses_reading, age_from, age_to, _srb_names(rng, phase))


def _draw_srb_mix(rng: np.random.Generator, n_learners: int, years: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Draw SRBs until their places, filled as planned, hold ``n_learners``.

    Returns phase, capacity, planned roll and turnover (learners per place over the
    data window) of each SRB, and the factor the planned rolls were scaled by.
    """
    m_max = n_learners // 8 + 8
    phase = choice(rng, _PHASE_P, m_max)
    phase[:3] = (PRIMARY, SECONDARY, ALL_THROUGH)
    capacity = np.asarray(_CAPACITIES)[_draw(rng, np.asarray(_CAPACITY_P)[phase])]
    turnover = 1 + years / np.asarray(_STAY_YEARS)[phase]
    too_big = capacity * 0.8 * turnover > n_learners / 2  # at most half the learners in one
    capacity = np.where(too_big, 20, capacity)
    capacity[0] = 20
    fill = rng.uniform(0.60, 0.95, m_max)

    def planned(m: int) -> tuple[np.ndarray, float]:
        """Planned rolls of the first ``m`` SRBs, and how far they had to be scaled."""
        cap = capacity[:m].astype(float)
        f = fill[:m].copy()
        f[0] = _OVERFILL  # SRB01 is oversubscribed; the others make up for it
        target = _FILL * cap.sum() - _OVERFILL * cap[0]
        f[1:] = (f[1:] + (target - cap[1:] @ f[1:]) / max(cap[1:].sum(), 1.0)).clip(0.3, 1.0)
        roll = cap * f
        total = 1.0
        for _ in range(5):  # scale the others (SRB01 stays oversubscribed)
            learners = _learners_needed(roll, phase[:m], turnover[:m], years)
            scale = max(n_learners - learners[0], 0.0) / max(float(learners[1:].sum()), 1e-9)
            roll[1:] *= scale
            total *= scale
        return roll, total

    lo, hi = 4, m_max  # bisect for the fewest SRBs whose rolls need no scaling up
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if planned(mid)[1] > 1 else (lo, mid)
    m = lo
    if m > 4 and abs(np.log(max(planned(m - 1)[1], 1e-9))) < abs(np.log(planned(m)[1])):
        m -= 1  # one fewer SRB when its rolls need less scaling
    roll, scale = planned(m)
    return phase[:m], capacity[:m], roll, turnover[:m], scale


def _learners_needed(roll: np.ndarray, phase: np.ndarray, turnover: np.ndarray, years: int
                     ) -> np.ndarray:
    """Learners each SRB needs over the data window: its roll plus new admissions.

    Secondary places are also filled by primary-SRB leavers moving on, who are not new
    learners, so those are subtracted.
    """
    upper = phase != PRIMARY
    onward = np.zeros(len(roll))
    if upper.any() and roll[upper].sum() > 0:
        onward[upper] = (_ONWARD_PER_YEAR * max(years - 1, 0) * roll[~upper].sum()
                         * roll[upper] / roll[upper].sum())
    return np.maximum(roll * turnover - onward, roll)


def _srb_names(rng: np.random.Generator, phase: np.ndarray) -> np.ndarray:
    """Clearly fictional names: "Ysgol Afon Primary SRB", "Ysgol Bryn Uchaf ...", ..."""
    words = np.asarray(_PLACE_WORDS)[rng.permutation(len(_PLACE_WORDS))]
    i = np.arange(len(phase))
    w, n_suffix = len(words), len(_SUFFIXES)
    rnd = i // (w * n_suffix)
    number = np.where(rnd > 0, np.char.add(" ", (rnd + 1).astype(str)), "")
    name = np.char.add("Ysgol ", words[i % w])
    name = np.char.add(name, np.asarray(_SUFFIXES)[(i // w) % n_suffix])
    name = np.char.add(np.char.add(name, number), " ")
    return np.char.add(np.char.add(name, np.asarray(_PHASE_LABEL)[phase]), " SRB")


def srbs_frame(srbs: Srbs, la_name: str) -> pd.DataFrame:
    """The ``srbs`` table."""
    m = len(srbs.phase)
    width = max(2, len(str(m)))
    ids = np.char.add("SRB", np.char.zfill(np.arange(1, m + 1).astype(str), width))
    return pd.DataFrame({
        "srb_id": strings(ids, np.arange(m)),
        "name": strings(srbs.name, np.arange(m)),
        "local_authority": strings([la_name], np.zeros(m, dtype=np.int64)),
        "phase": vocab(srbs.phase, S.PHASES),
        "age_from": pd.array(srbs.age_from, dtype="Int64"),
        "age_to": pd.array(srbs.age_to, dtype="Int64"),
        "capacity": pd.array(srbs.capacity, dtype="Int64"),
        "designation": strings(_DESIGNATIONS, srbs.designation),
    })


# --------------------------------------------------------------------------- learners


@dataclass(frozen=True)
class Learners:
    """Per-learner facts and latent traits, indexed in learner_id order."""

    srb: np.ndarray  # SRB of the first placement
    initial: np.ndarray  # on roll when the data start
    t0: np.ndarray  # term of the first placement's start
    cohort: np.ndarray  # academic year of Reception
    birth: np.ndarray  # first of the birth month
    need: np.ndarray
    rate: np.ndarray  # progress multiplier (0 flat, 1 typical, ~2 fast)
    ability: np.ndarray
    level: np.ndarray  # standard-score level at the anchor
    drift: np.ndarray  # standard-score points a year
    ratio_gain: np.ndarray  # reading-age months per month
    gap: np.ndarray  # reading-age gap (months) when first tested in the data
    share0: np.ndarray  # core mainstream share at the first placement start
    share_top: np.ndarray  # share approached over time
    share_speed: np.ndarray  # per term
    noncore_boost: np.ndarray
    attendance: np.ndarray
    tendency: np.ndarray  # goal attainment tendency

    def core_share(self, learner: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Expected share of core-subject time in mainstream in term ``k``."""
        dt = np.maximum(k - self.t0[learner], 0)
        top, s0 = self.share_top[learner], self.share0[learner]
        return top - (top - s0) * np.exp(-self.share_speed[learner] * dt)

    def exit_term(self) -> np.ndarray:
        """First term the expected core share reaches the exit criterion (else NEVER)."""
        goal = EXIT_SHARE + 0.02
        top, s0 = self.share_top, self.share0
        ok = top > goal
        dt = np.log(np.where(ok, (top - s0) / np.where(ok, top - goal, 1.0), 1.0))
        dt = np.ceil(np.maximum(dt, 0.0) / self.share_speed).astype(np.int64)
        return np.where(ok, self.t0 + dt, NEVER)


def _need_matrix() -> np.ndarray:
    """P(primary need | designation): 65% the designated needs, 35% the Fig. 2 mix."""
    rows = []
    for designation in _DESIGNATIONS:
        mask = np.zeros(len(S.NEEDS))
        mask[[N[c] for c in designation.split(";")]] = 1
        inside = NEED_MIX * mask
        rows.append(0.65 * inside / inside.sum() + 0.35 * NEED_MIX)
    return np.array(rows)


def draw_learners(rng: np.random.Generator, srbs: Srbs, cal: Calendar) -> Learners:
    """Learners of every SRB, shuffled so that ids say nothing about the SRB."""
    counts = srbs.initial + srbs.arrivals
    n = int(counts.sum())
    srb = np.repeat(np.arange(len(counts)), counts)
    rank = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts) - srbs.initial[srb]
    initial = rank < 0
    # admissions spread evenly over the terms (stratified), so small SRBs do not drift
    t_in = np.floor((rank + rng.random(n)) / np.maximum(srbs.arrivals[srb], 1)
                    * cal.n_terms).astype(np.int64)
    order = rng.permutation(n)
    srb, initial, t_in = srb[order], initial[order], t_in[order]

    phase = srbs.phase[srb]
    g_now = _draw(rng, _INITIAL_GROUP_P[phase])
    g_in = _draw(rng, _ARRIVAL_GROUP_P[phase])
    back = rng.integers(1, 3 * np.maximum(g_now - _GROUPS[phase, 0], 1) + 1)
    t0 = np.where(initial, -back, t_in)
    cohort = np.where(initial, cal.y0 - g_now, cal.year(t_in) - g_in)
    months = (cohort - 5 - 1970) * 12 + 8 + rng.integers(0, 12, n)
    birth = months.astype("datetime64[M]").astype("datetime64[D]")
    need = _draw(rng, _need_matrix()[srbs.designation[srb]])
    return Learners(srb, initial, t0, cohort, birth, need, *_traits(rng, need, phase))


def _traits(rng: np.random.Generator, need: np.ndarray, phase: np.ndarray) -> list[np.ndarray]:
    """Latent progress, inclusion, attendance and target traits of each learner."""
    n = len(need)
    kind = choice(rng, (0.2, 0.5, 0.3), n)  # flat, typical, fast
    rate = np.choose(kind, [rng.uniform(0.0, 0.3, n), rng.normal(1.0, 0.25, n),
                            rng.normal(1.8, 0.35, n)]).clip(0.0, 3.0)
    severe = np.isin(need, [N["SLD"], N["PMLD"]])
    ability = rng.uniform(0.4, 1.1, n) * np.where(need == N["PMLD"], 0.35,
                                                  np.where(need == N["SLD"], 0.6, 1.0))
    offset = np.zeros(len(S.NEEDS))
    offset[[N["SLD"], N["MLD"], N["SPLD"], N["SENSORY"]]] = (-10, -6, 8, 4)
    level = (rng.normal(72, 9, n) + offset[need]).clip(45, 110)
    drift = 2.0 * (rate - 0.9) + rng.normal(0, 1.0, n)
    ratio_gain = (0.25 + 0.9 * rate * np.exp(rng.normal(0, 0.3, n))).clip(0.3, 3.0)
    gap = rng.uniform(24, 60, n) + 12 * np.isin(need, [N["SLD"], N["MLD"]])

    sociable = np.isin(need, [N[c] for c in ("ASD", "SLCN", "SPLD", "SENSORY", "ADHD")])
    mu = 0.3 + 0.1 * (phase != PRIMARY) + 0.08 * sociable - 0.15 * severe
    share0 = rng.normal(mu, 0.12).clip(0.02, 0.7)
    trend = choice(rng, (0.6, 0.32, 0.08), n)  # rising, flat, falling
    top = np.choose(trend, [np.minimum(share0 + rng.uniform(0.2, 0.75, n), 0.97), share0,
                            np.maximum(share0 - rng.uniform(0.1, 0.3, n), 0.0)])
    speed = rng.uniform(0.06, 0.18, n)
    boost = rng.uniform(0.10, 0.25, n)

    semh = need == N["SEMH"]
    persistent = rng.random(n) < 0.08 + 0.17 * semh
    attendance = np.where(persistent, rng.uniform(0.70, 0.90, n), rng.uniform(0.90, 0.995, n))
    attendance = attendance - 0.03 * semh
    tendency = 0.35 + 0.4 * (rate - 1) + rng.normal(0, 0.35, n)
    return [rate, ability, level, drift, ratio_gain, gap, share0, top, speed, boost,
            attendance, tendency]


def learners_frame(rng: np.random.Generator, lrn: Learners, ids: np.ndarray,
                    cal: Calendar, la_name: str) -> pd.DataFrame:
    """The ``learners`` table: facts drawn here, needs and birth months from ``lrn``."""
    n = len(lrn.need)
    codes = np.asarray(S.NEEDS)
    first, second = choice(rng, _SECONDARY_NEED_P, n), choice(rng, _SECONDARY_NEED_P, n)
    has, two = rng.random(n) < 0.3, rng.random(n) < 0.3
    ok1 = has & (first != lrn.need)
    ok2 = has & two & (second != lrn.need) & (second != first)
    one = np.where(ok1, codes[first], codes[second])
    both = np.char.add(np.char.add(codes[first], ";"), codes[second])
    secondary = np.where(ok1 & ok2, both, one).astype(object)
    secondary[~(ok1 | ok2)] = None

    home = choice(rng, (0.90, 0.04, 0.03, 0.03), n)
    plan = np.full(n, S.STATUTORY_PLANS.index("IDP"))
    older = cal.y0 - lrn.cohort >= 9
    plan[older & (rng.random(n) < 0.15)] = S.STATUTORY_PLANS.index("statement")
    plan[rng.random(n) < 0.02] = S.STATUTORY_PLANS.index("none")
    plan[home == 3] = S.STATUTORY_PLANS.index("EHCP")
    return pd.DataFrame({
        "learner_id": strings(ids, np.arange(n)),
        "birth_month": ns(lrn.birth),
        "sex": vocab(choice(rng, (0.29, 0.70, 0.005, 0.005), n), S.SEXES),
        "primary_need": vocab(lrn.need, S.NEEDS),
        "secondary_needs": strings(secondary, np.arange(n)),
        "statutory_plan": vocab(plan, S.STATUTORY_PLANS),
        "fsm": rng.random(n) < 0.4,
        "home_authority": strings([la_name, *NEIGHBOURS], home),
    })


# --------------------------------------------------------------------------- placements


@dataclass
class Placements:
    """One entry per spell in an SRB, sorted by learner and start."""

    learner: np.ndarray
    srb: np.ndarray
    t0: np.ndarray
    start: np.ndarray
    second: np.ndarray  # the secondary spell of a learner who moved on from a primary SRB
    te: np.ndarray | None = None  # term of the last day (may be beyond the data)
    cause: np.ndarray | None = None
    destination: np.ndarray | None = None
    reason: np.ndarray | None = None
    end: np.ndarray | None = None  # NaT while still placed

    def take(self, idx: np.ndarray) -> Placements:
        """The placements at positions ``idx``."""
        return Placements(**{k: None if v is None else v[idx] for k, v in vars(self).items()})


def _start_days(rng: np.random.Generator, cal: Calendar, t0: np.ndarray) -> np.ndarray:
    """Start days: mostly the first day of term (most of all in September)."""
    ts, te = cal.start(t0), cal.end(t0)
    at_start = rng.random(len(t0)) < np.where(t0 % 3 == 0, 0.7, 0.3)
    return weekday(np.where(at_start, ts, uniform_day(rng, ts, te - 14 * DAY)))


def _end_placements(rng: np.random.Generator, p: Placements, lrn: Learners, srbs: Srbs,
                    cal: Calendar) -> None:
    """Decide when and why each placement ends (in place)."""
    n = len(p.t0)
    phase = srbs.phase[p.srb]
    cohort = lrn.cohort[p.learner]
    current = cal.year(np.maximum(p.t0, 0)) - cohort
    long = rng.random(n) < np.where(phase == SECONDARY, 0.5, 0.65)
    last_group = np.where(phase == PRIMARY, 6, np.where(long | (current > 11), 13, 11))
    natural = 3 * (cohort + last_group - cal.y0) + 2
    lo = np.maximum(p.t0 + 1, 0)

    reach = lrn.exit_term()[p.learner]
    ms = np.where((reach < NEVER) & (rng.random(n) < 0.5), reach + rng.integers(2, 5, n), NEVER)
    ms = np.where(ms < lo, lo + rng.integers(0, 6, n), ms)
    falling = lrn.share_top[p.learner] < lrn.share0[p.learner]
    ss = np.where(falling & (rng.random(n) < 0.5), p.t0 + rng.integers(3, 10, n), NEVER)
    ss = np.where(ss < lo, lo + rng.integers(0, 4, n), ss)
    anytime = lo + np.floor(rng.random(n) * (natural - lo)).astype(np.int64)
    other = np.where((rng.random(n) < 0.12) & (natural > lo), anytime, NEVER)
    volatile = np.isin(lrn.need[p.learner], [N["SEMH"], N["ADHD"]])
    perm = np.where(volatile & (rng.random(n) < 0.006) & (natural > lo), anytime, NEVER)
    candidates = np.stack([natural, ms, ss, other, perm])
    p.cause = np.argmin(candidates, axis=0)
    p.te = candidates.min(axis=0)
    p.destination, p.reason = _destinations(rng, p, lrn, phase, last_group)

    ts, tend = cal.start(p.te), cal.end(p.te)
    anyday = weekday(uniform_day(rng, ts + 5 * DAY, tend), "backward")
    end = np.where(np.isin(p.cause, [OTHER, PERMANENT]), anyday, tend)
    placed = p.te > cal.n_terms - 1
    p.end = np.where(placed, np.datetime64("NaT"), end)
    p.destination[placed] = -1
    p.reason[placed] = -1


def _destinations(rng: np.random.Generator, p: Placements, lrn: Learners, phase: np.ndarray,
                  last_group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Destination and exit-reason codes for each placement's end."""
    n = len(p.t0)

    def p_dest(**kw: float) -> np.ndarray:
        return np.array([kw.get(d, 0.0) for d in S.DESTINATIONS])

    high = lrn.core_share(p.learner, p.te) >= 0.7
    primary_p = np.where(high[:, None],
                         p_dest(mainstream=0.65, other_srb=0.30, special_school=0.05),
                         p_dest(other_srb=0.60, mainstream=0.25, special_school=0.10,
                                independent_special=0.05))
    ks4_p = p_dest(further_education=0.6, work_based_learning=0.2, employment=0.05,
                   special_school=0.05, other=0.05, unknown=0.05)
    ks5_p = p_dest(further_education=0.55, work_based_learning=0.2, employment=0.15,
                   other=0.05, unknown=0.05)
    leaver_p = np.where((last_group == 11)[:, None], ks4_p, ks5_p)
    natural = np.where(phase == PRIMARY, _draw(rng, primary_p), _draw(rng, leaver_p))
    moved = _draw(rng, np.tile(p_dest(other_srb=0.35, unknown=0.30, independent_special=0.2,
                                      other=0.15), (n, 1)))
    dest = np.choose(p.cause, [natural, np.full(n, _D["mainstream"]),
                               np.full(n, _D["special_school"]), moved, np.full(n, _D["other"])])

    primary_reason = np.full(len(S.DESTINATIONS), 3)
    primary_reason[[_D["mainstream"], _D["other_srb"], _D["special_school"]]] = (0, 1, 2)
    moved_reason = np.full(len(S.DESTINATIONS), 8)
    moved_reason[[_D["independent_special"], _D["other"]]] = (9, 10)
    natural_reason = np.where(phase == PRIMARY, primary_reason[dest],
                              np.where(last_group == 11, 4, 5))
    reason = np.choose(p.cause, [natural_reason, np.full(n, 6), np.full(n, 7),
                                 moved_reason[dest], np.full(n, 11)])
    return dest, reason


def place(rng: np.random.Generator, lrn: Learners, srbs: Srbs, cal: Calendar
           ) -> Placements:
    """First placements, then the secondary spells of learners moving on from primary SRBs."""
    n = len(lrn.need)
    first = Placements(np.arange(n), lrn.srb, lrn.t0, _start_days(rng, cal, lrn.t0),
                        np.zeros(n, dtype=bool))
    _end_placements(rng, first, lrn, srbs, cal)
    onward = ((srbs.phase[first.srb] == PRIMARY) & (first.cause == NATURAL)
              & (first.destination == _D["other_srb"]) & (first.te <= cal.n_terms - 2))
    weights = np.where(srbs.phase != PRIMARY, srbs.roll, 0.0)
    if not onward.any() or weights.sum() <= 0:
        return first
    k = int(onward.sum())
    t0 = first.te[onward] + 1
    second = Placements(first.learner[onward], choice(rng, weights, k), t0,
                         weekday(cal.start(t0)), np.ones(k, dtype=bool))
    _end_placements(rng, second, lrn, srbs, cal)
    both = Placements(*(np.concatenate([getattr(first, f), getattr(second, f)])
                         for f in vars(first)))
    return both.take(np.lexsort((both.t0, both.learner)))


def placements_frame(rng: np.random.Generator, p: Placements, srbs: Srbs,
                      srb_ids: pd.Series, ids: np.ndarray) -> pd.DataFrame:
    """The ``placements`` table, with referral and panel dates before each start."""
    n = len(p.t0)
    wait = np.rint(srbs.wait_days[p.srb] * np.exp(rng.normal(0, 0.45, n))).clip(14, 248)
    wait = np.where(p.second, rng.integers(100, 201, n), wait).astype(np.int64)
    panel = weekday(p.start - wait * DAY, "backward")  # 14-250 days before the start
    referral = weekday(panel - rng.integers(20, 89, n) * DAY, "backward")  # 20-90 days
    return pd.DataFrame({
        "learner_id": strings(ids, p.learner),
        "srb_id": strings(srb_ids.to_numpy(), p.srb),
        "referral_date": ns(referral),
        "panel_date": ns(panel),
        "start_date": ns(p.start),
        "end_date": ns(p.end),
        "exit_reason": strings([*_REASONS, None], np.where(p.reason < 0, len(_REASONS),
                                                            p.reason)),
        "destination": vocab(p.destination, S.DESTINATIONS),
    })


# --------------------------------------------------------------------------- terms on roll


@dataclass(frozen=True)
class Roll:
    """One entry per placement x term on roll inside the data window."""

    placement: np.ndarray
    learner: np.ndarray
    term: np.ndarray
    start: np.ndarray  # first day on roll in the term
    end: np.ndarray  # last day on roll in the term
    days: np.ndarray  # school days on roll (half-term removed pro rata)
    first: np.ndarray  # the placement's first term in the window


def terms_on_roll(p: Placements, cal: Calendar) -> Roll:
    """Expand placements into the terms they cover inside the data window."""
    a = np.maximum(p.t0, 0)
    b = np.minimum(p.te, cal.n_terms - 1)
    n_terms = b - a + 1
    pi = np.repeat(np.arange(len(a)), n_terms)
    offset = np.arange(len(pi)) - np.repeat(np.cumsum(n_terms) - n_terms, n_terms)
    k = a[pi] + offset
    ts, te = cal.start(k), cal.end(k)
    end = np.where(np.isnat(p.end), cal.extract_day, p.end)
    start, stop = np.maximum(ts, p.start[pi]), np.minimum(te, end[pi])
    busy, full = np.busday_count(start, stop + DAY), np.busday_count(ts, te + DAY)
    days = np.maximum(1.0, np.rint(busy * (1 - 5 / full)))
    return Roll(pi, p.learner[pi], k, start, stop, days, offset == 0)


