"""Deterministic synthetic datasets: the embedded demo and the benchmark data.

:func:`generate` builds the ten tables of the data dictionary (docs/data-dictionary.md) for a fictional local
authority; :func:`write_demo` writes them (CSV or Parquet) with a ``README.md``. Nothing
in them describes a real person, school or authority: learner ids are sequence numbers,
resource-base and authority names are invented, and every value is drawn from
``numpy.random.default_rng(seed)``. The same arguments give the same tables and
byte-identical files on any machine (no clock, no hash order, no global state).

The generator is vectorised over learners x terms x subjects (NumPy ``repeat`` /
``cumsum`` index tricks): 100,000 learners over five years take seconds, not minutes.

What is built in, so that the reports have something true to find
-----------------------------------------------------------------
- Resource bases of all three phases with capacities of the kinds in Fig. 3 of the
  2020 strategy (8, 20 or 55 places), about one per 30-40 learners (for four or five
  years of data). ``SRB01`` is oversubscribed (a quarter above capacity, longest waits);
  the others are planned at about three quarters full on average (each differs), so
  there are unfilled places and about 80% of all places are filled at a census.
- Need mix close to Fig. 2 of the 2020 strategy (ASD most common); each SRB's
  designation steers the needs of its learners.
- Placements: learners already on roll when the data start, admissions throughout,
  leavers with destinations (mainstream returns after sustained high inclusion, a
  secondary SRB at the end of the primary phase, further education or work-based
  learning at 16-18, a few special-school moves, the odd permanent exclusion in large
  datasets). About 5% of learners have two placements (primary SRB, then secondary SRB).
- Progress: each learner has a latent rate (flat, typical or fast); assessments are
  termly with noise, about 5% missing, and some learners have one assessment only.
- Inclusion rises for about 60% of learners, stays flat for about a third and falls for
  a few; non-core subjects have more mainstream time than core ones; some learners meet
  the 80%-in-core exit criterion for terms on end while still placed.

Design choices
--------------
- Calendar: academic years start 1 September; terms are fixed dates (autumn 1 Sep-20
  Dec, spring 6 Jan-4 Apr, summer 20 Apr-20 Jul). The data describe ``years`` academic
  years ending in July of ``end_year`` and are extracted on 31 August of ``end_year``
  (after results day), so August awards of the last year are present and the target
  cycle set in March of the last year (review due in September) is still open.
- Baseline flags: SRBs are split about half and half. In a flagging SRB, the first
  assessment of each placement, instrument and area is ``is_baseline=True`` (the rest
  ``False``) when the placement started inside the data window; a placement that began
  before the data start has no baseline in the data, so all its rows are ``False``. In
  the other SRBs ``is_baseline`` is empty (NA) and the progress methods' fallback (the
  first assessment on or after the placement start) applies.
- Assessments, inclusion and attendance cover the terms a learner is on roll within the
  data window only; a term's rows are clipped to the placement's start and end days
  (minutes and sessions scale with the school days on roll).
- Still placed at the extract date: ``end_date``, ``exit_reason`` and ``destination``
  are empty.
- Column types follow what :func:`srb_eval.data.io.load_dataset` returns: dates as
  ``datetime64[ns]`` at midnight, ``birth_month`` as the first of the month, ids and
  text as ``str``, vocabulary columns as categoricals over the whole vocabulary,
  counts as ``Int64``, flags as ``bool`` (``is_baseline``: nullable ``boolean``).

References
----------
Need mix and resource-base sizes: Fig. 2 and Fig. 3 of the local authority's 2020
SEN strategy (Fig. 3). Exit criterion (80% in core subjects): the authority's SRB
guidance (September 2025).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import ParameterError
from . import schema as S
from .io import write_dataset

__all__ = ["DEFAULT_LA", "generate", "write_demo"]

DEFAULT_LA = "Sir Enghraifft (synthetic demo authority)"
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
_LEARNERS_PER_SRB, _CANDIDATES = (30, 40), 8  # SRB mixes drawn, one kept (see _plan_srbs)
_ONWARD_PER_YEAR = 0.07  # primary SRB leavers moving on to a secondary SRB, per primary place
_GROUPS = np.array([[0, 6], [7, 13], [0, 13]])  # year groups served (0 = Reception)

_N = {code: i for i, code in enumerate(S.NEEDS)}
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
_COMBOS = (  # (instrument, area) assessed each term
    (STEPS, "literacy"), (STEPS, "numeracy"), (STEPS, "communication"),
    (STEPS, "personal_social"), (STANDARD, "literacy"), (STANDARD, "numeracy"),
    (READING, "literacy"),
)
_TARGET_AREA_P = np.array([0.22, 0.20, 0.20, 0.22, 0.08, 0.06, 0.02])  # schema.AREAS order

NEVER = 10**6  # a term index beyond any data
_DAY = np.timedelta64(1, "D")


# --------------------------------------------------------------------------- helpers


def _ymd(year, month, day) -> np.ndarray:
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


def _choice(rng: np.random.Generator, p: Sequence[float], size: int) -> np.ndarray:
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


def _weekday(d: np.ndarray, roll: str = "forward") -> np.ndarray:
    """Move weekend dates to the next (or previous) weekday."""
    return np.busday_offset(d, 0, roll=roll)


def _uniform_day(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A day drawn uniformly from ``lo..hi`` (inclusive)."""
    span = (hi - lo) // _DAY
    return lo + np.floor(rng.random(len(lo)) * (span + 1)).astype(np.int64)


def _strings(values: Sequence[str | None] | np.ndarray, idx: np.ndarray
             ) -> pd.api.extensions.ExtensionArray:
    """``values[idx]`` as a pandas ``str`` array (fast: Arrow take, no Python loop)."""
    arr = pa.array(np.asarray(values, dtype=object), type=pa.string())
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64))).to_pandas().array


def _vocab(codes: np.ndarray, vocabulary: Sequence[str]) -> pd.Categorical:
    """Vocabulary codes (indices, -1 = missing) as a categorical over the vocabulary."""
    return pd.Categorical.from_codes(codes, categories=list(vocabulary))


def _ns(d: np.ndarray) -> np.ndarray:
    """Dates at the resolution :func:`srb_eval.data.io.load_dataset` returns."""
    return d.astype("datetime64[ns]")


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class _Calendar:
    """Term dates. Term 0 is the autumn term of the first academic year of the data."""

    y0: int
    n_terms: int

    _START = np.array([[0, 9, 1], [1, 1, 6], [1, 4, 20]])
    _END = np.array([[0, 12, 20], [1, 4, 4], [1, 7, 20]])

    def _date(self, k: np.ndarray, table: np.ndarray) -> np.ndarray:
        k = np.asarray(k, dtype=np.int64)
        row = table[k % 3]
        return _ymd(self.y0 + k // 3 + row[..., 0], row[..., 1], row[..., 2])

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
class _Srbs:
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


def _plan_srbs(rng: np.random.Generator, n_learners: int, years: int) -> _Srbs:
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
    return _Srbs(phase, capacity, roll, initial, counts - initial, wait, designation, flags,
                 uses_standard, uses_reading, age_from, age_to, _srb_names(rng, phase))


def _draw_srb_mix(rng: np.random.Generator, n_learners: int, years: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Draw SRBs until their places, filled as planned, hold ``n_learners``.

    Returns phase, capacity, planned roll and turnover (learners per place over the
    data window) of each SRB, and the factor the planned rolls were scaled by.
    """
    m_max = n_learners // 8 + 8
    phase = _choice(rng, _PHASE_P, m_max)
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


def _srbs_frame(srbs: _Srbs, la_name: str) -> pd.DataFrame:
    """The ``srbs`` table."""
    m = len(srbs.phase)
    width = max(2, len(str(m)))
    ids = np.char.add("SRB", np.char.zfill(np.arange(1, m + 1).astype(str), width))
    return pd.DataFrame({
        "srb_id": _strings(ids, np.arange(m)),
        "name": _strings(srbs.name, np.arange(m)),
        "local_authority": _strings([la_name], np.zeros(m, dtype=np.int64)),
        "phase": _vocab(srbs.phase, S.PHASES),
        "age_from": pd.array(srbs.age_from, dtype="Int64"),
        "age_to": pd.array(srbs.age_to, dtype="Int64"),
        "capacity": pd.array(srbs.capacity, dtype="Int64"),
        "designation": _strings(_DESIGNATIONS, srbs.designation),
    })


# --------------------------------------------------------------------------- learners


@dataclass(frozen=True)
class _Learners:
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
        mask[[_N[c] for c in designation.split(";")]] = 1
        inside = NEED_MIX * mask
        rows.append(0.65 * inside / inside.sum() + 0.35 * NEED_MIX)
    return np.array(rows)


def _draw_learners(rng: np.random.Generator, srbs: _Srbs, cal: _Calendar) -> _Learners:
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
    return _Learners(srb, initial, t0, cohort, birth, need, *_traits(rng, need, phase))


def _traits(rng: np.random.Generator, need: np.ndarray, phase: np.ndarray) -> list[np.ndarray]:
    """Latent progress, inclusion, attendance and target traits of each learner."""
    n = len(need)
    kind = _choice(rng, (0.2, 0.5, 0.3), n)  # flat, typical, fast
    rate = np.choose(kind, [rng.uniform(0.0, 0.3, n), rng.normal(1.0, 0.25, n),
                            rng.normal(1.8, 0.35, n)]).clip(0.0, 3.0)
    severe = np.isin(need, [_N["SLD"], _N["PMLD"]])
    ability = rng.uniform(0.4, 1.1, n) * np.where(need == _N["PMLD"], 0.35,
                                                  np.where(need == _N["SLD"], 0.6, 1.0))
    offset = np.zeros(len(S.NEEDS))
    offset[[_N["SLD"], _N["MLD"], _N["SPLD"], _N["SENSORY"]]] = (-10, -6, 8, 4)
    level = (rng.normal(72, 9, n) + offset[need]).clip(45, 110)
    drift = 2.0 * (rate - 0.9) + rng.normal(0, 1.0, n)
    ratio_gain = (0.25 + 0.9 * rate * np.exp(rng.normal(0, 0.3, n))).clip(0.3, 3.0)
    gap = rng.uniform(24, 60, n) + 12 * np.isin(need, [_N["SLD"], _N["MLD"]])

    sociable = np.isin(need, [_N[c] for c in ("ASD", "SLCN", "SPLD", "SENSORY", "ADHD")])
    mu = 0.3 + 0.1 * (phase != PRIMARY) + 0.08 * sociable - 0.15 * severe
    share0 = rng.normal(mu, 0.12).clip(0.02, 0.7)
    trend = _choice(rng, (0.6, 0.32, 0.08), n)  # rising, flat, falling
    top = np.choose(trend, [np.minimum(share0 + rng.uniform(0.2, 0.75, n), 0.97), share0,
                            np.maximum(share0 - rng.uniform(0.1, 0.3, n), 0.0)])
    speed = rng.uniform(0.06, 0.18, n)
    boost = rng.uniform(0.10, 0.25, n)

    semh = need == _N["SEMH"]
    persistent = rng.random(n) < 0.08 + 0.17 * semh
    attendance = np.where(persistent, rng.uniform(0.70, 0.90, n), rng.uniform(0.90, 0.995, n))
    attendance = attendance - 0.03 * semh
    tendency = 0.35 + 0.4 * (rate - 1) + rng.normal(0, 0.35, n)
    return [rate, ability, level, drift, ratio_gain, gap, share0, top, speed, boost,
            attendance, tendency]


def _learners_frame(rng: np.random.Generator, lrn: _Learners, ids: np.ndarray,
                    cal: _Calendar, la_name: str) -> pd.DataFrame:
    """The ``learners`` table: facts drawn here, needs and birth months from ``lrn``."""
    n = len(lrn.need)
    codes = np.asarray(S.NEEDS)
    first, second = _choice(rng, _SECONDARY_NEED_P, n), _choice(rng, _SECONDARY_NEED_P, n)
    has, two = rng.random(n) < 0.3, rng.random(n) < 0.3
    ok1 = has & (first != lrn.need)
    ok2 = has & two & (second != lrn.need) & (second != first)
    one = np.where(ok1, codes[first], codes[second])
    both = np.char.add(np.char.add(codes[first], ";"), codes[second])
    secondary = np.where(ok1 & ok2, both, one).astype(object)
    secondary[~(ok1 | ok2)] = None

    home = _choice(rng, (0.90, 0.04, 0.03, 0.03), n)
    plan = np.full(n, S.STATUTORY_PLANS.index("IDP"))
    older = cal.y0 - lrn.cohort >= 9
    plan[older & (rng.random(n) < 0.15)] = S.STATUTORY_PLANS.index("statement")
    plan[rng.random(n) < 0.02] = S.STATUTORY_PLANS.index("none")
    plan[home == 3] = S.STATUTORY_PLANS.index("EHCP")
    return pd.DataFrame({
        "learner_id": _strings(ids, np.arange(n)),
        "birth_month": _ns(lrn.birth),
        "sex": _vocab(_choice(rng, (0.29, 0.70, 0.005, 0.005), n), S.SEXES),
        "primary_need": _vocab(lrn.need, S.NEEDS),
        "secondary_needs": _strings(secondary, np.arange(n)),
        "statutory_plan": _vocab(plan, S.STATUTORY_PLANS),
        "fsm": rng.random(n) < 0.4,
        "home_authority": _strings([la_name, *NEIGHBOURS], home),
    })


# --------------------------------------------------------------------------- placements


@dataclass
class _Placements:
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

    def take(self, idx: np.ndarray) -> _Placements:
        """The placements at positions ``idx``."""
        return _Placements(**{k: None if v is None else v[idx] for k, v in vars(self).items()})


def _start_days(rng: np.random.Generator, cal: _Calendar, t0: np.ndarray) -> np.ndarray:
    """Start days: mostly the first day of term (most of all in September)."""
    ts, te = cal.start(t0), cal.end(t0)
    at_start = rng.random(len(t0)) < np.where(t0 % 3 == 0, 0.7, 0.3)
    return _weekday(np.where(at_start, ts, _uniform_day(rng, ts, te - 14 * _DAY)))


def _end_placements(rng: np.random.Generator, p: _Placements, lrn: _Learners, srbs: _Srbs,
                    cal: _Calendar) -> None:
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
    volatile = np.isin(lrn.need[p.learner], [_N["SEMH"], _N["ADHD"]])
    perm = np.where(volatile & (rng.random(n) < 0.006) & (natural > lo), anytime, NEVER)
    candidates = np.stack([natural, ms, ss, other, perm])
    p.cause = np.argmin(candidates, axis=0)
    p.te = candidates.min(axis=0)
    p.destination, p.reason = _destinations(rng, p, lrn, phase, last_group)

    ts, tend = cal.start(p.te), cal.end(p.te)
    anyday = _weekday(_uniform_day(rng, ts + 5 * _DAY, tend), "backward")
    end = np.where(np.isin(p.cause, [OTHER, PERMANENT]), anyday, tend)
    placed = p.te > cal.n_terms - 1
    p.end = np.where(placed, np.datetime64("NaT"), end)
    p.destination[placed] = -1
    p.reason[placed] = -1


def _destinations(rng: np.random.Generator, p: _Placements, lrn: _Learners, phase: np.ndarray,
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


def _place(rng: np.random.Generator, lrn: _Learners, srbs: _Srbs, cal: _Calendar
           ) -> _Placements:
    """First placements, then the secondary spells of learners moving on from primary SRBs."""
    n = len(lrn.need)
    first = _Placements(np.arange(n), lrn.srb, lrn.t0, _start_days(rng, cal, lrn.t0),
                        np.zeros(n, dtype=bool))
    _end_placements(rng, first, lrn, srbs, cal)
    onward = ((srbs.phase[first.srb] == PRIMARY) & (first.cause == NATURAL)
              & (first.destination == _D["other_srb"]) & (first.te <= cal.n_terms - 2))
    weights = np.where(srbs.phase != PRIMARY, srbs.roll, 0.0)
    if not onward.any() or weights.sum() <= 0:
        return first
    k = int(onward.sum())
    t0 = first.te[onward] + 1
    second = _Placements(first.learner[onward], _choice(rng, weights, k), t0,
                         _weekday(cal.start(t0)), np.ones(k, dtype=bool))
    _end_placements(rng, second, lrn, srbs, cal)
    both = _Placements(*(np.concatenate([getattr(first, f), getattr(second, f)])
                         for f in vars(first)))
    return both.take(np.lexsort((both.t0, both.learner)))


def _placements_frame(rng: np.random.Generator, p: _Placements, srbs: _Srbs,
                      srb_ids: pd.Series, ids: np.ndarray) -> pd.DataFrame:
    """The ``placements`` table, with referral and panel dates before each start."""
    n = len(p.t0)
    wait = np.rint(srbs.wait_days[p.srb] * np.exp(rng.normal(0, 0.45, n))).clip(14, 248)
    wait = np.where(p.second, rng.integers(100, 201, n), wait).astype(np.int64)
    panel = _weekday(p.start - wait * _DAY, "backward")  # 14-250 days before the start
    referral = _weekday(panel - rng.integers(20, 89, n) * _DAY, "backward")  # 20-90 days
    return pd.DataFrame({
        "learner_id": _strings(ids, p.learner),
        "srb_id": _strings(srb_ids.to_numpy(), p.srb),
        "referral_date": _ns(referral),
        "panel_date": _ns(panel),
        "start_date": _ns(p.start),
        "end_date": _ns(p.end),
        "exit_reason": _strings([*_REASONS, None], np.where(p.reason < 0, len(_REASONS),
                                                            p.reason)),
        "destination": _vocab(p.destination, S.DESTINATIONS),
    })


# --------------------------------------------------------------------------- terms on roll


@dataclass(frozen=True)
class _Roll:
    """One entry per placement x term on roll inside the data window."""

    placement: np.ndarray
    learner: np.ndarray
    term: np.ndarray
    start: np.ndarray  # first day on roll in the term
    end: np.ndarray  # last day on roll in the term
    days: np.ndarray  # school days on roll (half-term removed pro rata)
    first: np.ndarray  # the placement's first term in the window


def _roll(p: _Placements, cal: _Calendar) -> _Roll:
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
    busy, full = np.busday_count(start, stop + _DAY), np.busday_count(ts, te + _DAY)
    days = np.maximum(1.0, np.rint(busy * (1 - 5 / full)))
    return _Roll(pi, p.learner[pi], k, start, stop, days, offset == 0)


# --------------------------------------------------------------------------- tables


def _inclusion(rng: np.random.Generator, roll: _Roll, lrn: _Learners, ids: np.ndarray
               ) -> pd.DataFrame:
    """Minutes in mainstream classes per learner x term x subject."""
    n_sub = len(SUBJECTS)
    weekly = np.array([s[2] for s in SUBJECTS], dtype=float)
    core = np.array([s[1] for s in SUBJECTS])
    shift = np.array([s[3] for s in SUBJECTS])
    row = np.repeat(np.arange(len(roll.term)), n_sub)
    subject = np.tile(np.arange(n_sub), len(roll.term))
    learner = roll.learner[row]
    timetabled = 5 * np.rint(weekly[subject] * roll.days[row] / 25)
    term_noise = rng.normal(0, 0.03, len(roll.term))[row]
    share = (lrn.core_share(learner, roll.term[row]) + shift[subject] + term_noise
             + np.where(core[subject], 0.0, lrn.noncore_boost[learner])
             + rng.normal(0, 0.04, len(row))).clip(0.0, 1.0)
    keep = timetabled > 0
    row, subject, learner = row[keep], subject[keep], learner[keep]
    timetabled = timetabled[keep]
    return pd.DataFrame({
        "learner_id": _strings(ids, learner),
        "period_start": _ns(roll.start[row]),
        "period_end": _ns(roll.end[row]),
        "subject": _strings([s[0] for s in SUBJECTS], subject),
        "core": core[subject],
        "minutes_mainstream": 5 * np.rint(share[keep] * timetabled / 5),
        "minutes_timetabled": timetabled,
    })


def _attendance(rng: np.random.Generator, roll: _Roll, lrn: _Learners, ids: np.ndarray
                ) -> pd.DataFrame:
    """Half-day sessions possible and attended per learner x term."""
    possible = 2 * roll.days.astype(np.int64)
    rate = (lrn.attendance[roll.learner] + rng.normal(0, 0.02, len(possible))).clip(0.3, 1.0)
    return pd.DataFrame({
        "learner_id": _strings(ids, roll.learner),
        "period_start": _ns(roll.start),
        "period_end": _ns(roll.end),
        "sessions_possible": pd.array(possible, dtype="Int64"),
        "sessions_attended": pd.array(np.rint(possible * rate).astype(np.int64), dtype="Int64"),
    })


def _exclusions(rng: np.random.Generator, roll: _Roll, p: _Placements, lrn: _Learners,
                cal: _Calendar, ids: np.ndarray) -> pd.DataFrame:
    """Fixed-term exclusions (most for SEMH) and the permanent ones that ended a placement."""
    per_term = np.full(len(S.NEEDS), 0.008)
    per_term[[_N["SEMH"], _N["ADHD"], _N["ASD"]]] = (0.07, 0.05, 0.015)
    hit = rng.random(len(roll.term)) < per_term[lrn.need[roll.learner]]
    day = _weekday(_uniform_day(rng, roll.start[hit], roll.end[hit]), "backward")
    day = np.maximum(day, roll.start[hit])
    days = np.array([1, 1, 1, 2, 2, 3, 5], dtype=float)[rng.integers(0, 7, int(hit.sum()))]

    perm = (p.cause == PERMANENT) & ~np.isnat(p.end)
    left = np.busday_count(p.end[perm], cal.end(p.te[perm]) + _DAY)
    learner = np.concatenate([p.learner[perm], roll.learner[hit]])
    start = np.concatenate([p.end[perm], day])
    kind = np.concatenate([np.ones(int(perm.sum()), dtype=np.int64),
                           np.zeros(int(hit.sum()), dtype=np.int64)])
    days = np.concatenate([np.maximum(left, 1).astype(float), days])
    order = np.lexsort((kind, start, learner))  # the permanent row sorts after a same-day one
    learner, start, kind, days = learner[order], start[order], kind[order], days[order]
    last = np.ones(len(order), dtype=bool)  # keep one row per learner and day
    last[:-1] = (learner[1:] != learner[:-1]) | (start[1:] != start[:-1])
    return pd.DataFrame({
        "learner_id": _strings(ids, learner[last]),
        "start_date": _ns(start[last]),
        "days": days[last],
        "kind": _vocab(kind[last], S.EXCLUSION_KINDS),
    })


def _assessments(rng: np.random.Generator, roll: _Roll, p: _Placements, lrn: _Learners,
                 srbs: _Srbs, cal: _Calendar, ids: np.ndarray) -> pd.DataFrame:
    """Termly results on three instruments; latent rates, noise, gaps, baseline flags."""
    n_roll, n_combo = len(roll.term), len(_COMBOS)
    combo_inst = np.array([c[0] for c in _COMBOS])
    combo_area = np.array([S.AREAS.index(c[1]) for c in _COMBOS])
    lo, hi = roll.start[:, None], roll.end[:, None]
    dates = _weekday(lo + np.minimum(hi - lo, rng.integers(7, 46, (n_roll, 3)) * _DAY),
                     "backward")
    dates = np.where(dates < lo, np.minimum(_weekday(lo), hi), dates)  # stay on roll
    row = np.repeat(np.arange(n_roll), n_combo)
    combo = np.tile(np.arange(n_combo), n_roll)
    inst = combo_inst[combo]
    learner, srb = roll.learner[row], p.srb[roll.placement[row]]
    date = dates[row, inst]
    age = (date - lrn.birth[learner]) / _DAY / 365.25
    need = lrn.need[learner]
    only_first = rng.random(len(p.t0)) < 0.02  # assessment records stopped after entry
    keep = ((inst == STEPS)
            | ((inst == STANDARD) & srbs.uses_standard[srb] & (age >= 6)
               & ~np.isin(need, [_N["SLD"], _N["PMLD"]]))
            | ((inst == READING) & srbs.uses_reading[srb] & (age >= 7) & (need != _N["PMLD"])))
    keep &= rng.random(len(row)) >= 0.05  # missing
    keep &= ~only_first[roll.placement[row]] | roll.first[row]
    row, combo, inst, learner, date, age = (x[keep] for x in (row, combo, inst, learner, date,
                                                              age))
    score = _scores(rng, inst, combo, learner, date, age, p, lrn, cal)
    baseline = _baseline_flags(roll.placement[row], combo, p, srbs)
    return pd.DataFrame({
        "learner_id": _strings(ids, learner),
        "instrument": _strings(INSTRUMENTS["instrument"].to_numpy(), inst),
        "area": _vocab(combo_area[combo], S.AREAS),
        "date": _ns(date),
        "score": score,
        "is_baseline": baseline,
    })


def _scores(rng: np.random.Generator, inst: np.ndarray, combo: np.ndarray, learner: np.ndarray,
            date: np.ndarray, age: np.ndarray, p: _Placements, lrn: _Learners, cal: _Calendar
            ) -> np.ndarray:
    """Scores on each instrument's scale, clipped to its range and rounded."""
    n_l, n = len(lrn.need), len(inst)
    first_start = p.start[np.unique(p.learner, return_index=True)[1]]  # sorted by start
    anchor = np.maximum(first_start, cal.first_day)  # where the data pick the learner up
    years = (date - anchor[learner]) / _DAY / 365.25
    age_anchor = (anchor - lrn.birth) / _DAY / 365.25

    base = (6 * (age_anchor - 3) * lrn.ability)[:, None] + rng.normal(0, 5, (n_l, 4))
    speed = lrn.rate[:, None] * rng.normal(1.0, 0.2, (n_l, 4)).clip(0.3, None)
    area = np.minimum(combo, 3)
    steps = (base.clip(0, 100)[learner, area] + 6 * speed[learner, area] * years
             + rng.normal(0, 1.5, n))

    level = lrn.level[:, None] + rng.normal(0, 5, (n_l, 2))
    standard = (level[learner, np.clip(combo - 4, 0, 1)] + lrn.drift[learner] * years
                + rng.normal(0, 15 * np.sqrt(1 - 0.90), n))

    seven = np.maximum(anchor, lrn.birth + np.rint(7 * 365.25).astype(np.int64) * _DAY)
    months_then = (seven - lrn.birth) / _DAY / 30.4375
    since = np.maximum((date - seven[learner]) / _DAY / 30.4375, 0)
    reading = (months_then[learner] - lrn.gap[learner] + lrn.ratio_gain[learner] * since
               + rng.normal(0, 3, n))
    reading = np.minimum(reading, age * 12 + 6)

    score = np.choose(inst, [steps, standard, reading])
    lo = INSTRUMENTS["min_score"].to_numpy()[inst]
    hi = INSTRUMENTS["max_score"].to_numpy()[inst]
    return np.rint(score).clip(lo, hi)


def _baseline_flags(placement: np.ndarray, combo: np.ndarray, p: _Placements, srbs: _Srbs
                    ) -> pd.arrays.BooleanArray:
    """True for a placement's first result per instrument and area (see module notes)."""
    key = placement * len(_COMBOS) + combo
    first = np.zeros(len(key), dtype=bool)
    first[np.unique(key, return_index=True)[1]] = True
    flagging = srbs.flags_baseline[p.srb[placement]]
    values = first & (p.t0[placement] >= 0)
    return pd.arrays.BooleanArray(values, ~flagging)


def _targets(rng: np.random.Generator, p: _Placements, lrn: _Learners, cal: _Calendar,
             ids: np.ndarray) -> pd.DataFrame:
    """Short-term targets set twice a year (September, March), reviewed six months on."""
    n_cycles = 2 * (cal.n_terms // 3)
    c = np.arange(n_cycles)
    ay, half = cal.y0 + c // 2, c % 2
    set_on = _ymd(ay + half, np.where(half == 0, 9, 3), 20)
    review_on = _ymd(ay + 1, np.where(half == 0, 3, 9), 20)
    end = np.where(np.isnat(p.end), np.datetime64("2200-01-01"), p.end)
    active = ((p.start[:, None] <= set_on[None, :] + 60 * _DAY)
              & (end[:, None] > set_on[None, :] + 30 * _DAY))
    pi, ci = np.nonzero(active)
    order = np.lexsort((pi, ci, p.learner[pi]))  # by learner, cycle, placement
    pi, ci = pi[order], ci[order]
    learner = p.learner[pi]
    first = np.ones(len(pi), dtype=bool)  # one set of targets per learner and cycle
    first[1:] = (learner[1:] != learner[:-1]) | (ci[1:] != ci[:-1])
    pi, ci, learner = pi[first], ci[first], learner[first]
    set_date = _weekday(np.maximum(set_on[ci], p.start[pi] + 14 * _DAY))
    review = _weekday(np.minimum(review_on[ci], end[pi]), "backward")
    ok = review > set_date
    pi, ci, learner, set_date, review = (x[ok] for x in (pi, ci, learner, set_date, review))
    review = np.where(review > cal.extract_day, np.datetime64("NaT"), review)

    count = rng.integers(3, 6, len(pi))
    row = np.repeat(np.arange(len(pi)), count)
    number = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
    labels = np.char.add(np.char.add("T", (cal.y0 + c // 2).astype(str)),
                         np.where(half == 0, "A", "B"))
    labels = np.char.add(np.char.add(labels[:, None], "-"), np.arange(1, 6).astype(str))
    attainment = np.rint(lrn.tendency[learner[row]] + rng.normal(0, 0.75, len(row))).clip(-2, 2)
    reviewed = ~np.isnat(review[row])
    return pd.DataFrame({
        "learner_id": _strings(ids, learner[row]),
        "target_id": _strings(labels.ravel(), ci[row] * 5 + number),
        "area": _vocab(_choice(rng, _TARGET_AREA_P, len(row)), S.AREAS),
        "set_date": _ns(set_date[row]),
        "review_date": _ns(review[row]),
        "attainment": np.where(reviewed, attainment, np.nan),
        "weight": np.where(rng.random(len(row)) < 0.1, 2.0, 1.0),
    })


# (qualification, subject, first and last year group, P(low, mid, high tier),
#  level by tier, results day (True) or July)
_QUALIFICATIONS = (
    ("ASDAN", "Personal Development Programme", 10, 11, (0.3, 0.3, 0.15),
     ("Entry 3", "Entry 3", "Level 1"), False),
    ("GCSE", "English Language", 11, 11, (0.0, 0.45, 0.95), None, True),
    ("GCSE", "Mathematics", 11, 11, (0.0, 0.45, 0.95), None, True),
    ("GCSE", "Science", 11, 11, (0.0, 0.3, 0.8), None, True),
    ("Entry Level Certificate", "English", 11, 11, (0.6, 0.6, 0.1),
     ("Entry 1", "Entry 2", "Entry 3"), True),
    ("Entry Level Certificate", "Mathematics", 11, 11, (0.6, 0.6, 0.1),
     ("Entry 1", "Entry 2", "Entry 3"), True),
    ("Essential Skills Wales", "Communication", 11, 11, (0.1, 0.5, 0.6),
     ("Entry 3", "Entry 3", "Level 1"), True),
    ("Essential Skills Wales", "Application of Number", 11, 11, (0.1, 0.5, 0.6),
     ("Entry 3", "Entry 3", "Level 1"), True),
    ("Essential Skills Wales", "Digital Literacy", 12, 13, (0.1, 0.3, 0.4),
     ("Entry 3", "Level 1", "Level 1"), True),
    ("OCN", "Independent Living Skills", 12, 13, (0.6, 0.3, 0.1),
     ("Entry 2", "Entry 3", "Level 1"), False),
    ("OCN", "Employability", 12, 13, (0.4, 0.4, 0.3), ("Entry 2", "Entry 3", "Level 1"), False),
    ("ASDAN", "Certificate of Personal Effectiveness", 12, 13, (0.2, 0.35, 0.3),
     ("Entry 3", "Level 1", "Level 1"), False),
)
_GCSE_GRADES = ("C", "D", "E", "F", "G", "U")
_GCSE_CUTS = (88, 80, 72, 64, 56)
_LEVELS = ("Entry 1", "Entry 2", "Entry 3", "Level 1", "Level 2")


def _qualifications(rng: np.random.Generator, roll: _Roll, p: _Placements, lrn: _Learners,
                    srbs: _Srbs, cal: _Calendar, ids: np.ndarray) -> pd.DataFrame:
    """Awards for learners aged 15-18 in secondary and all-through SRBs."""
    group = cal.year(roll.term) - lrn.cohort[roll.learner]
    summer = ((roll.term % 3 == 2) & (srbs.phase[p.srb[roll.placement]] != PRIMARY)
              & (group >= 10) & (roll.end >= cal.end(roll.term) - 30 * _DAY))
    learner, group, year = roll.learner[summer], group[summer], cal.year(roll.term[summer]) + 1
    need = lrn.need[learner]
    exam = lrn.level[learner] + rng.normal(0, 4, len(learner))
    tier = np.where(np.isin(need, [_N["SLD"], _N["PMLD"]]) | (exam < 58), 0,
                    np.where((exam >= 74) & (need != _N["MLD"]), 2, 1))
    results_day = np.busday_offset(_ymd(year, 8, 1), 2, roll="forward", weekmask="Thu")
    july = _weekday(_ymd(year, 7, 10), "backward")
    parts = []
    for q, (name, _, g_lo, g_hi, p_tier, levels, on_results) in enumerate(_QUALIFICATIONS):
        take = ((group >= g_lo) & (group <= g_hi)
                & (rng.random(len(learner)) < np.asarray(p_tier)[tier]))
        k = int(take.sum())
        if levels is None:  # GCSE: a letter grade from the exam score
            score = exam[take] + rng.normal(0, 5, k)
            grade = np.searchsorted(-np.asarray(_GCSE_CUTS, dtype=float), -score)
            level = np.array([4, 3, 3, 3, 3, 5])[grade]  # C: Level 2, D-G: Level 1, U: none
        else:
            grade = np.full(k, 6 if name in ("ASDAN", "OCN") else 7)
            level = np.array([_LEVELS.index(x) for x in levels])[tier[take]]
        day = np.where(on_results, results_day, july)[take]
        parts.append((learner[take], day, np.full(k, q), grade, level))
    learner, day, q, grade, level = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((q, day, learner))
    return pd.DataFrame({
        "learner_id": _strings(ids, learner[order]),
        "award_date": _ns(day[order]),
        "qualification": _strings([x[0] for x in _QUALIFICATIONS], q[order]),
        "subject": _strings([x[1] for x in _QUALIFICATIONS], q[order]),
        "level": _strings([*_LEVELS, None], level[order]),
        "grade": _strings((*_GCSE_GRADES, "Achieved", "Pass"), grade[order]),
    })


# --------------------------------------------------------------------------- public API


def generate(n_learners: int = 150, years: int = 4, *, seed: int = 2025, end_year: int = 2026,
             la_name: str = DEFAULT_LA) -> dict[str, pd.DataFrame]:
    """A synthetic dataset: all ten tables of the data dictionary.

    Parameters
    ----------
    n_learners
        Number of learners (rows of ``learners``); SRBs scale with it.
    years
        Number of academic years of data, the last ending in July of ``end_year``.
    seed
        Seed of ``numpy.random.default_rng``; the same arguments give the same tables.
    end_year
        Calendar year of the last summer term.
    la_name
        Name of the (fictional) local authority.

    Returns
    -------
    dict[str, pandas.DataFrame]
        Tables keyed by name in the order of ``schema.TABLES``, with the columns of the
        pandera models and the column types :func:`srb_eval.data.io.load_dataset` returns
        (see the module notes).

    Raises
    ------
    ValueError
        ``n_learners`` or ``years`` is below 1.
    """
    if n_learners < 1 or years < 1:
        raise ValueError(f"n_learners and years must be at least 1 (got {n_learners}, {years})")
    streams = np.random.default_rng(seed).spawn(11)
    cal = _Calendar(end_year - years, 3 * years)
    srbs = _plan_srbs(streams[0], n_learners, years)
    lrn = _draw_learners(streams[1], srbs, cal)
    width = max(4, len(str(n_learners)))
    ids = np.char.add("L", np.char.zfill(np.arange(1, n_learners + 1).astype(str), width))
    placements = _place(streams[2], lrn, srbs, cal)
    roll = _roll(placements, cal)
    srb_frame = _srbs_frame(srbs, la_name)
    return {
        "srbs": srb_frame,
        "learners": _learners_frame(streams[3], lrn, ids, cal, la_name),
        "placements": _placements_frame(streams[4], placements, srbs, srb_frame["srb_id"], ids),
        "instruments": INSTRUMENTS.astype({"instrument": "str"}).assign(
            scale=_vocab(np.array([S.SCALES.index(s) for s in INSTRUMENTS["scale"]]),
                         S.SCALES)),
        "assessments": _assessments(streams[5], roll, placements, lrn, srbs, cal, ids),
        "inclusion": _inclusion(streams[6], roll, lrn, ids),
        "targets": _targets(streams[7], placements, lrn, cal, ids),
        "attendance": _attendance(streams[8], roll, lrn, ids),
        "exclusions": _exclusions(streams[9], roll, placements, lrn, cal, ids),
        "qualifications": _qualifications(streams[10], roll, placements, lrn, srbs, cal, ids),
    }


def _for_files(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Tables as written: birth month as ``YYYY-MM``, whole-number floats as integers."""
    out = {}
    for name, df in tables.items():
        df = df.copy()
        if name == "learners":
            df["birth_month"] = df["birth_month"].dt.strftime("%Y-%m")
        for col in df.columns:
            s = df[col]
            if s.dtype == np.float64:
                v = s.to_numpy()
                if np.array_equal(v[~np.isnan(v)], np.rint(v[~np.isnan(v)])):
                    df[col] = s.astype("Int64")
        out[name] = df
    return out


def _readme(tables: dict[str, pd.DataFrame], *, n_learners: int, years: int, seed: int,
            end_year: int) -> str:
    """The README written beside the tables: what the data are and how to remake them."""
    rows = "\n".join(f"| `{name}` | {len(df):,} | "
                     f"{(S.TABLES[name].model.__doc__ or '').strip()} |"
                     for name, df in tables.items())
    call = f"n_learners={n_learners}, years={years}, seed={seed}"
    if end_year != 2026:
        call += f", end_year={end_year}"
    return f"""# Synthetic demo dataset

**Everything in this folder is synthetic.** It was generated by `srb-eval demo`
(`srb_eval.data.demo.write_demo`) with seed {seed}, {n_learners} learners and {years} school
years ending in July {end_year}. It contains no real person: learner ids are sequence
numbers, birth months and every other value are random draws, and the resource bases
and local authorities are invented. Any resemblance to a real learner or school is
chance.

Regenerate it with `srb_eval.data.demo.write_demo(<folder>, {call})`
(for the committed copy: `make demo-data`); the same arguments give byte-identical
files. The generator's assumptions (need mix, capacities, progress rates, inclusion
trends, calendar, baseline flags) are documented in `srb_eval/demo.py`.

| table | rows | contents |
|---|---|---|
{rows}

Column meanings: `docs/data-dictionary.md`.
"""


def write_demo(out: str | Path, *, n_learners: int = 150, years: int = 4, seed: int = 2025,
               fmt: str = "csv", end_year: int = 2026, force: bool = False) -> list[Path]:
    """Generate a synthetic dataset and write it, with a ``README.md``, into ``out``.

    Parameters
    ----------
    out
        Folder to write into (created if missing). A folder that holds anything is refused
        unless ``force`` is true, so real data is never overwritten by accident. Table files of the other format
        (``<table>.csv`` or ``<table>.parquet``) left there by an earlier run are removed,
        so that the folder holds one copy of each table.
    n_learners, years, seed, end_year
        As for :func:`generate`.
    fmt
        ``"csv"`` (ISO dates, ``birth_month`` as ``YYYY-MM``) or ``"parquet"``.

    Returns
    -------
    list[pathlib.Path]
        The table files, then the README.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt: must be 'csv' or 'parquet', not {fmt!r}")
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise ParameterError(f"{out}: exists and is not an empty folder; the demo data would "
                             "replace files in it. Choose a new folder (or pass --force to "
                             "write into it)")
    tables = generate(n_learners, years, seed=seed, end_year=end_year)
    written = write_dataset(_for_files(tables), out, fmt=fmt)
    other = "parquet" if fmt == "csv" else "csv"
    for name in tables:
        (out / f"{name}.{other}").unlink(missing_ok=True)
    readme = out / "README.md"
    tmp = out / ".README.md.tmp"
    tmp.write_text(_readme(tables, n_learners=n_learners, years=years, seed=seed,
                           end_year=end_year), encoding="utf-8", newline="\n")
    tmp.replace(readme)
    return [*written, readme]
