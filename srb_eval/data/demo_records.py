"""The synthetic records of the demo data, drawn for the population of
:mod:`srb_eval.data.demo_population`: inclusion, attendance, exclusions, assessments,
targets and qualifications.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema as S
from .demo_population import (
    COMBOS,
    DAY,
    INSTRUMENTS,
    PERMANENT,
    PRIMARY,
    READING,
    STANDARD,
    STEPS,
    SUBJECTS,
    TARGET_AREA_P,
    Calendar,
    Learners,
    N,
    Placements,
    Roll,
    Srbs,
    choice,
    ns,
    strings,
    uniform_day,
    vocab,
    weekday,
    ymd,
)

# --------------------------------------------------------------------------- tables


def inclusion(rng: np.random.Generator, roll: Roll, lrn: Learners, ids: np.ndarray
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
        "learner_id": strings(ids, learner),
        "period_start": ns(roll.start[row]),
        "period_end": ns(roll.end[row]),
        "subject": strings([s[0] for s in SUBJECTS], subject),
        "core": core[subject],
        "minutes_mainstream": 5 * np.rint(share[keep] * timetabled / 5),
        "minutes_timetabled": timetabled,
    })


def attendance(rng: np.random.Generator, roll: Roll, lrn: Learners, ids: np.ndarray
                ) -> pd.DataFrame:
    """Half-day sessions possible and attended per learner x term."""
    possible = 2 * roll.days.astype(np.int64)
    rate = (lrn.attendance[roll.learner] + rng.normal(0, 0.02, len(possible))).clip(0.3, 1.0)
    return pd.DataFrame({
        "learner_id": strings(ids, roll.learner),
        "period_start": ns(roll.start),
        "period_end": ns(roll.end),
        "sessions_possible": pd.array(possible, dtype="Int64"),
        "sessions_attended": pd.array(np.rint(possible * rate).astype(np.int64), dtype="Int64"),
    })


def exclusions(rng: np.random.Generator, roll: Roll, p: Placements, lrn: Learners,
                cal: Calendar, ids: np.ndarray) -> pd.DataFrame:
    """Fixed-term exclusions (most for SEMH) and the permanent ones that ended a placement."""
    per_term = np.full(len(S.NEEDS), 0.008)
    per_term[[N["SEMH"], N["ADHD"], N["ASD"]]] = (0.07, 0.05, 0.015)
    hit = rng.random(len(roll.term)) < per_term[lrn.need[roll.learner]]
    day = weekday(uniform_day(rng, roll.start[hit], roll.end[hit]), "backward")
    day = np.maximum(day, roll.start[hit])
    days = np.array([1, 1, 1, 2, 2, 3, 5], dtype=float)[rng.integers(0, 7, int(hit.sum()))]

    perm = (p.cause == PERMANENT) & ~np.isnat(p.end)
    left = np.busday_count(p.end[perm], cal.end(p.te[perm]) + DAY)
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
        "learner_id": strings(ids, learner[last]),
        "start_date": ns(start[last]),
        "days": days[last],
        "kind": vocab(kind[last], S.EXCLUSION_KINDS),
    })


def assessments(rng: np.random.Generator, roll: Roll, p: Placements, lrn: Learners,
                 srbs: Srbs, cal: Calendar, ids: np.ndarray) -> pd.DataFrame:
    """Termly results on three instruments; latent rates, noise, gaps, baseline flags."""
    n_roll, n_combo = len(roll.term), len(COMBOS)
    combo_inst = np.array([c[0] for c in COMBOS])
    combo_area = np.array([S.AREAS.index(c[1]) for c in COMBOS])
    lo, hi = roll.start[:, None], roll.end[:, None]
    dates = weekday(lo + np.minimum(hi - lo, rng.integers(7, 46, (n_roll, 3)) * DAY),
                     "backward")
    dates = np.where(dates < lo, np.minimum(weekday(lo), hi), dates)  # stay on roll
    row = np.repeat(np.arange(n_roll), n_combo)
    combo = np.tile(np.arange(n_combo), n_roll)
    inst = combo_inst[combo]
    learner, srb = roll.learner[row], p.srb[roll.placement[row]]
    date = dates[row, inst]
    age = (date - lrn.birth[learner]) / DAY / 365.25
    need = lrn.need[learner]
    only_first = rng.random(len(p.t0)) < 0.02  # assessment records stopped after entry
    keep = ((inst == STEPS)
            | ((inst == STANDARD) & srbs.uses_standard[srb] & (age >= 6)
               & ~np.isin(need, [N["SLD"], N["PMLD"]]))
            | ((inst == READING) & srbs.uses_reading[srb] & (age >= 7) & (need != N["PMLD"])))
    keep &= rng.random(len(row)) >= 0.05  # missing
    keep &= ~only_first[roll.placement[row]] | roll.first[row]
    row, combo, inst, learner, date, age = (x[keep] for x in (row, combo, inst, learner, date,
                                                              age))
    score = _scores(rng, inst, combo, learner, date, age, p, lrn, cal)
    baseline = _baseline_flags(roll.placement[row], combo, p, srbs)
    return pd.DataFrame({
        "learner_id": strings(ids, learner),
        "instrument": strings(INSTRUMENTS["instrument"].to_numpy(), inst),
        "area": vocab(combo_area[combo], S.AREAS),
        "date": ns(date),
        "score": score,
        "is_baseline": baseline,
    })


def _scores(rng: np.random.Generator, inst: np.ndarray, combo: np.ndarray, learner: np.ndarray,
            date: np.ndarray, age: np.ndarray, p: Placements, lrn: Learners, cal: Calendar
            ) -> np.ndarray:
    """Scores on each instrument's scale, clipped to its range and rounded."""
    n_l, n = len(lrn.need), len(inst)
    first_start = p.start[np.unique(p.learner, return_index=True)[1]]  # sorted by start
    anchor = np.maximum(first_start, cal.first_day)  # where the data pick the learner up
    years = (date - anchor[learner]) / DAY / 365.25
    age_anchor = (anchor - lrn.birth) / DAY / 365.25

    base = (6 * (age_anchor - 3) * lrn.ability)[:, None] + rng.normal(0, 5, (n_l, 4))
    speed = lrn.rate[:, None] * rng.normal(1.0, 0.2, (n_l, 4)).clip(0.3, None)
    area = np.minimum(combo, 3)
    steps = (base.clip(0, 100)[learner, area] + 6 * speed[learner, area] * years
             + rng.normal(0, 1.5, n))

    level = lrn.level[:, None] + rng.normal(0, 5, (n_l, 2))
    standard = (level[learner, np.clip(combo - 4, 0, 1)] + lrn.drift[learner] * years
                + rng.normal(0, 15 * np.sqrt(1 - 0.90), n))

    seven = np.maximum(anchor, lrn.birth + np.rint(7 * 365.25).astype(np.int64) * DAY)
    months_then = (seven - lrn.birth) / DAY / 30.4375
    since = np.maximum((date - seven[learner]) / DAY / 30.4375, 0)
    reading = (months_then[learner] - lrn.gap[learner] + lrn.ratio_gain[learner] * since
               + rng.normal(0, 3, n))
    reading = np.minimum(reading, age * 12 + 6)

    score = np.choose(inst, [steps, standard, reading])
    lo = INSTRUMENTS["min_score"].to_numpy()[inst]
    hi = INSTRUMENTS["max_score"].to_numpy()[inst]
    return np.rint(score).clip(lo, hi)


def _baseline_flags(placement: np.ndarray, combo: np.ndarray, p: Placements, srbs: Srbs
                    ) -> pd.arrays.BooleanArray:
    """True for a placement's first result per instrument and area (see module notes)."""
    key = placement * len(COMBOS) + combo
    first = np.zeros(len(key), dtype=bool)
    first[np.unique(key, return_index=True)[1]] = True
    flagging = srbs.flags_baseline[p.srb[placement]]
    values = first & (p.t0[placement] >= 0)
    return pd.arrays.BooleanArray(values, ~flagging)


def targets(rng: np.random.Generator, p: Placements, lrn: Learners, cal: Calendar,
             ids: np.ndarray) -> pd.DataFrame:
    """Short-term targets set twice a year (September, March), reviewed six months on."""
    n_cycles = 2 * (cal.n_terms // 3)
    c = np.arange(n_cycles)
    ay, half = cal.y0 + c // 2, c % 2
    set_on = ymd(ay + half, np.where(half == 0, 9, 3), 20)
    review_on = ymd(ay + 1, np.where(half == 0, 3, 9), 20)
    end = np.where(np.isnat(p.end), np.datetime64("2200-01-01"), p.end)
    active = ((p.start[:, None] <= set_on[None, :] + 60 * DAY)
              & (end[:, None] > set_on[None, :] + 30 * DAY))
    pi, ci = np.nonzero(active)
    order = np.lexsort((pi, ci, p.learner[pi]))  # by learner, cycle, placement
    pi, ci = pi[order], ci[order]
    learner = p.learner[pi]
    first = np.ones(len(pi), dtype=bool)  # one set of targets per learner and cycle
    first[1:] = (learner[1:] != learner[:-1]) | (ci[1:] != ci[:-1])
    pi, ci, learner = pi[first], ci[first], learner[first]
    set_date = weekday(np.maximum(set_on[ci], p.start[pi] + 14 * DAY))
    review = weekday(np.minimum(review_on[ci], end[pi]), "backward")
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
        "learner_id": strings(ids, learner[row]),
        "target_id": strings(labels.ravel(), ci[row] * 5 + number),
        "area": vocab(choice(rng, TARGET_AREA_P, len(row)), S.AREAS),
        "set_date": ns(set_date[row]),
        "review_date": ns(review[row]),
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


def qualifications(rng: np.random.Generator, roll: Roll, p: Placements, lrn: Learners,
                    srbs: Srbs, cal: Calendar, ids: np.ndarray) -> pd.DataFrame:
    """Awards for learners aged 15-18 in secondary and all-through SRBs."""
    group = cal.year(roll.term) - lrn.cohort[roll.learner]
    summer = ((roll.term % 3 == 2) & (srbs.phase[p.srb[roll.placement]] != PRIMARY)
              & (group >= 10) & (roll.end >= cal.end(roll.term) - 30 * DAY))
    learner, group, year = roll.learner[summer], group[summer], cal.year(roll.term[summer]) + 1
    need = lrn.need[learner]
    exam = lrn.level[learner] + rng.normal(0, 4, len(learner))
    tier = np.where(np.isin(need, [N["SLD"], N["PMLD"]]) | (exam < 58), 0,
                    np.where((exam >= 74) & (need != N["MLD"]), 2, 1))
    results_day = np.busday_offset(ymd(year, 8, 1), 2, roll="forward", weekmask="Thu")
    july = weekday(ymd(year, 7, 10), "backward")
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
        "learner_id": strings(ids, learner[order]),
        "award_date": ns(day[order]),
        "qualification": strings([x[0] for x in _QUALIFICATIONS], q[order]),
        "subject": strings([x[1] for x in _QUALIFICATIONS], q[order]),
        "level": strings([*_LEVELS, None], level[order]),
        "grade": strings((*_GCSE_GRADES, "Achieved", "Pass"), grade[order]),
    })


