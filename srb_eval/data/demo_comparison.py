"""The synthetic comparison group of the demo data: learners with additional learning
needs who were not placed in an SRB, and their results on the demo's standardised test.

Drawn from a random stream of its own (see :func:`srb_eval.data.demo.generate`), so that
adding the comparison group changed no byte of the other demo tables.

What is built in
----------------
- As many comparison learners as SRB learners, ids ``C0001``..., in twelve invented
  mainstream schools (``SCH01``...); needs of the kinds placed in SRBs (more SpLD and
  MLD, fewer SLD and no PMLD), three boys in four, ages 5 to 13 when the data start.
- Standard scores (mean 100, SD 15, reliability 0.90: the demo's "Standardised
  Attainment Test") in literacy and numeracy, in the autumn and summer terms from
  Year 1, from an entry term drawn over the first two thirds of the data window, about
  5% missing. The first result is flagged ``is_baseline``.
- A latent level about 8 points above that of SRB learners (learners are placed
  because their attainment is lowest), a drift of about -0.5 points a year (SRB
  learners: about +0.3) and measurement error of SD 15 x sqrt(1 - 0.90): a matched
  comparison on the observed baseline therefore meets regression to the mean, as real
  data would.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema as S
from .demo_population import DAY, STANDARD, Calendar, choice, ns, strings, vocab, weekday

#: Need mix of the comparison group, in :data:`srb_eval.data.schema.NEEDS` order.
NEED_P = (0.28, 0.15, 0.03, 0.16, 0.0, 0.12, 0.03, 0.04, 0.11, 0.06, 0.02)
N_SCHOOLS = 12
AREAS = ("literacy", "numeracy")
TERMS = (0, 2)  # autumn and summer terms of each school year


def comparison_tables(rng: np.random.Generator, n: int, cal: Calendar, instruments: pd.DataFrame
                      ) -> dict[str, pd.DataFrame]:
    """The ``comparison_learners`` and ``comparison_assessments`` tables.

    Parameters
    ----------
    rng
        The comparison group's own random stream.
    n
        Number of comparison learners.
    cal
        The demo calendar.
    instruments
        The demo's ``instruments`` table (the standardised test's name and range).

    Returns
    -------
    dict[str, pandas.DataFrame]
        ``comparison_learners`` and ``comparison_assessments``, typed as
        :func:`srb_eval.data.io.load_dataset` returns them.
    """
    width = max(4, len(str(n)))
    ids = np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), width))
    need = choice(rng, NEED_P, n)
    sex = choice(rng, (0.25, 0.75), n)  # F, M
    age0 = rng.integers(5, 14, n)  # age on 31 August before the data start
    months = (cal.y0 - age0 - 1 - 1970) * 12 + 8 + rng.integers(0, 12, n)  # Sep..Aug
    birth = months.astype("datetime64[M]").astype("datetime64[D]")
    school = rng.integers(0, N_SCHOOLS, n)
    year_group = age0 - 4  # in the first school year of the data
    phase = np.where(year_group <= 6, S.PHASES.index("primary"), S.PHASES.index("secondary"))
    offset = np.zeros(len(S.NEEDS))
    offset[[S.NEEDS.index(c) for c in ("SLD", "MLD", "SPLD", "SENSORY")]] = (-10, -6, 8, 4)
    level = (rng.normal(80, 9, n) + offset[need]).clip(50, 115)
    drift = rng.normal(-0.5, 1.5, n)
    entry = rng.integers(0, max(1, 2 * cal.n_terms // 3), n)
    learners = pd.DataFrame({
        "learner_id": strings(ids, np.arange(n)),
        "birth_month": ns(birth),
        "sex": vocab(sex, S.SEXES),
        "primary_need": vocab(need, S.NEEDS),
        "phase": vocab(phase, S.PHASES),
        "school_id": strings([f"SCH{i + 1:02d}" for i in range(N_SCHOOLS)], school),
        "fsm": rng.random(n) < 0.3,
    })

    terms = np.array([k for k in range(cal.n_terms) if k % 3 in TERMS])
    learner = np.repeat(np.arange(n), len(terms) * len(AREAS))
    term = np.tile(np.repeat(terms, len(AREAS)), n)
    area = np.tile(np.arange(len(AREAS)), n * len(terms))
    lo, hi = cal.start(term), cal.end(term)
    date = weekday(lo + np.minimum(hi - lo, rng.integers(7, 46, len(term)) * DAY), "backward")
    years = (date - cal.first_day) / DAY / 365.25
    year_now = year_group[learner] + cal.year(term) - cal.y0
    keep = (term >= entry[learner]) & (year_now >= 1) & (year_now <= 11)
    keep &= rng.random(len(term)) >= 0.05
    noise = rng.normal(0, 15 * np.sqrt(1 - 0.90), len(term))
    score = level[learner] + rng.normal(0, 5, (n, len(AREAS)))[learner, area] \
        + drift[learner] * years + noise
    inst = instruments.iloc[STANDARD]
    score = np.rint(score).clip(inst["min_score"], inst["max_score"])
    learner, term, area, date, score = (x[keep] for x in (learner, term, area, date, score))
    first = np.zeros(len(learner), dtype=bool)
    first[np.unique(learner * len(AREAS) + area, return_index=True)[1]] = True
    assessments = pd.DataFrame({
        "learner_id": strings(ids, learner),
        "instrument": strings([str(inst["instrument"])], np.zeros(len(learner), np.int64)),
        "area": vocab(np.array([S.AREAS.index(a) for a in AREAS])[area], S.AREAS),
        "date": ns(date),
        "score": score,
        "is_baseline": pd.array(first, dtype="boolean"),
    })
    return {"comparison_learners": learners, "comparison_assessments": assessments}
