"""Naive references: each metric written the obvious way, one learner (or group) at a time.

These are what an analyst would write first: a ``groupby`` and a Python loop over the
groups, plain ``if`` statements, ``scipy.stats.theilslopes`` per learner, sets and
dicts. They are slow on purpose (the benchmark reports how much faster the package is)
but they must give the same answers as the package, rule for rule, so each function
restates the method it mirrors. ``benchmarks/run.py`` and
``tests/test_bench_agreement.py`` check that they agree.

Every function takes a loaded :class:`srb_eval.data.io.Dataset` (except :func:`loading`,
which takes a folder of Parquet files) and returns a dict of tidy DataFrames, the
"canonical" tables of ``benchmarks/run.py``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from srb_eval.data import schema as S

DAY = pd.Timedelta(days=1)
DAYS_PER_YEAR = 365.25
TERMS = ("autumn", "spring", "summer")


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _r9(x: float) -> float:
    return round(x, 9)


# --------------------------------------------------------------------------- loading


def _row_rule(error: str):
    """``"a must not be after b"`` or ``"a must not exceed b"`` -> (a, b): the rule is
    broken when a > b; None for a rule of another form (not checked here)."""
    m = re.fullmatch(r"(\w+) must not (?:be after|exceed) (\w+)", error)
    return (m[1], m[2]) if m else None


def loading(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read every Parquet table with pandas and check it cell by cell in Python.

    The checks of :func:`srb_eval.data.io.load_dataset` for typed (Parquet) input: empty
    required cells, vocabulary codes (case-insensitive, with aliases), numeric ranges and
    allowed values, row rules (``a must not be after b``), duplicate keys (every repeat
    after the first), unknown learners / SRBs / instruments, ages at assessment and
    scores outside the instrument's range. Returns ``rows`` (table, n_rows; empty when
    there are problems, as ``load_dataset`` then returns no tables) and ``problems``
    (table, row, column), rows numbered from 1 as in the file.
    """
    folder = Path(folder)
    raw = {}
    for name in S.TABLES:
        f = folder / f"{name}.parquet"
        if f.exists():
            raw[name] = pd.read_parquet(f)
    problems: set[tuple[str, int, str]] = set()
    clean: dict[str, list[dict]] = {}
    for name, df in raw.items():
        spec = S.TABLES[name]
        columns = spec.columns()
        canon = {}
        for c, col in columns.items():
            vocab = col.metadata.get("vocab")
            if vocab:
                m = {v.lower(): v for v in S.VOCABULARIES[vocab]}
                m.update(S.ALIASES.get(vocab, {}))
                canon[c] = m
        rules = [r for ch in spec.model.to_schema().checks
                 if (r := _row_rule(ch.error)) is not None]
        records = df.to_dict("records")
        out_rows = []
        seen_keys: dict[tuple, int] = {}
        for i, rec in enumerate(records, start=1):
            row = {}
            for c, col in columns.items():
                if c not in rec:
                    continue
                v = rec[c]
                if isinstance(v, str):
                    v = v.strip()
                    if v == "":
                        v = None
                if _missing(v):
                    v = None
                kind = col.metadata.get("kind")
                if v is not None and kind == "vocab":
                    v = canon[c].get(v.lower(), v)
                    if v not in canon[c].values():
                        problems.add((name, i, c))
                elif v is not None and kind == "vocab_list":
                    items = [x.strip() for x in v.split(";") if x.strip()]
                    if any(x.lower() not in canon[c] for x in items):
                        problems.add((name, i, c))
                if v is None and not col.nullable:
                    problems.add((name, i, c))
                if v is not None:
                    for check in col.checks:
                        st = check.statistics or {}
                        bad = {
                            "greater_than_or_equal_to": lambda x, s=st: x < s["min_value"],
                            "less_than_or_equal_to": lambda x, s=st: x > s["max_value"],
                            "greater_than": lambda x, s=st: x <= s["min_value"],
                            "isin": lambda x, s=st, k=kind: (k != "vocab"
                                                          and x not in s["allowed_values"]),
                        }.get(check.name)
                        if bad is not None and bad(v):
                            problems.add((name, i, c))
                row[c] = v
            for a, b in rules:
                if row.get(a) is not None and row.get(b) is not None and row[a] > row[b]:
                    problems.add((name, i, a))
            key = tuple(row.get(k) for k in spec.key)
            if all(k in rec for k in spec.key) and None not in key:
                if key in seen_keys:
                    problems.add((name, i, spec.key[0]))
                else:
                    seen_keys[key] = i
            out_rows.append(row)
        clean[name] = out_rows

    learners = {r["learner_id"]: r for r in clean.get("learners", [])[::-1]}
    srbs = {r["srb_id"] for r in clean.get("srbs", [])}
    instruments = {r["instrument"]: r for r in clean.get("instruments", [])[::-1]}
    for name in S.LEARNER_TABLES:
        for i, r in enumerate(clean.get(name, []), start=1):
            if r.get("learner_id") is not None and r["learner_id"] not in learners:
                problems.add((name, i, "learner_id"))
    for i, r in enumerate(clean.get("placements", []), start=1):
        if r.get("srb_id") is not None and r["srb_id"] not in srbs:
            problems.add(("placements", i, "srb_id"))
    for i, r in enumerate(clean.get("assessments", []), start=1):
        if r.get("instrument") is not None and "instruments" in clean \
                and r["instrument"] not in instruments:
            problems.add(("assessments", i, "instrument"))
        lr = learners.get(r.get("learner_id"))
        if lr is not None and lr.get("birth_month") is not None and r.get("date") is not None:
            birth = pd.Timestamp(lr["birth_month"]).to_period("M").to_timestamp()
            age = (r["date"] - birth).days / 365.25
            if age < 3 or age >= 26:
                problems.add(("assessments", i, "date"))
        ins = instruments.get(r.get("instrument"))
        if ins is not None and r.get("score") is not None:
            lo, hi = ins.get("min_score"), ins.get("max_score")
            if (lo is not None and r["score"] < lo) or (hi is not None and r["score"] > hi):
                problems.add(("assessments", i, "score"))
    rows = pd.DataFrame({"table": list(raw), "n_rows": [len(d) for d in raw.values()]})
    if problems:  # like load_dataset, which returns no tables when there are problems
        rows = rows.iloc[:0]
    prob = pd.DataFrame(sorted(problems), columns=["table", "row", "column"])
    return {"rows": rows, "problems": prob.astype({"row": "int64"})}


# --------------------------------------------------------------------------- progress


def progress(ds) -> dict[str, pd.DataFrame]:
    """Progress from baseline, one placement x instrument x area at a time.

    Baseline: the first ``is_baseline`` assessment in the placement, else the first
    assessment on or after the placement start (mean of the scores that day); outcome:
    the latest assessment (mean of that day's scores); rate = gain per year of 365.25
    days, judged when at least 0.25 years elapsed; Theil-Sen slope over the points from
    the baseline on (``scipy.stats.theilslopes``); band from the instrument's expected
    gain per year (75% to 125% is expected) or, for standard scores, the Reliable
    Change Index (|RC| > 1.96).
    """
    a = ds.assessments
    inst = {r.instrument: r for r in ds.instruments.drop_duplicates("instrument").itertuples()}
    by_learner = {lid: g for lid, g in a.groupby("learner_id", sort=False)}
    out = []
    for pl in ds.placements.itertuples():
        g = by_learner.get(pl.learner_id)
        if g is None:
            continue
        inside = g[(g["date"] >= pl.start_date)
                   & ((g["date"] <= pl.end_date) if not pd.isna(pl.end_date) else True)]
        inside = inside[inside["date"].notna() & inside["score"].notna()]
        for (instrument, area), rows in inside.groupby(["instrument", "area"], observed=True,
                                                       sort=False):
            dates = list(rows["date"])
            scores = list(rows["score"])
            flags = [False if _missing(f) else bool(f) for f in rows["is_baseline"]]
            flagged = [d for d, f in zip(dates, flags, strict=True) if f]
            if flagged:
                base_d = min(flagged)
                base = [s for d, s, f in zip(dates, scores, flags, strict=True)
                        if f and d == base_d]
            else:
                base_d = min(dates)
                base = [s for d, s in zip(dates, scores, strict=True) if d == base_d]
            points = [(d, s) for d, s in zip(dates, scores, strict=True) if d >= base_d]
            out_d = max(d for d, _ in points)
            out_s = [s for d, s in points if d == out_d]
            base_score = sum(base) / len(base)
            follow = len(points) >= 2
            row = {"learner_id": pl.learner_id, "srb_id": pl.srb_id,
                   "placement_start": pl.start_date, "instrument": instrument,
                   "area": str(area), "baseline_date": base_d, "baseline_score": base_score,
                   "outcome_date": out_d if follow else pd.NaT,
                   "outcome_score": sum(out_s) / len(out_s) if follow else np.nan,
                   "n_points": len(points), "gain": np.nan, "rate": np.nan,
                   "slope": np.nan, "status": "no follow-up yet", "band": None}
            if follow:
                days = (out_d - base_d) / DAY
                years = days / DAYS_PER_YEAR
                row["status"] = "too soon to judge"
                if days > 0:
                    row["gain"] = row["outcome_score"] - base_score
                if days > 0 and years >= 0.25:
                    row["status"] = "measured"
                    row["rate"] = row["gain"] / years
                    x = [(d - base_d) / DAY / DAYS_PER_YEAR for d, _ in points]
                    y = [s for _, s in points]
                    row["slope"] = stats.theilslopes(y, x).slope
                    row["band"] = _band(row, inst[instrument])
            out.append(row)
    return {"progress": pd.DataFrame(out)}


def _band(row: dict, ins) -> str | None:
    exp, scale = ins.expected_gain_per_year, str(ins.scale)
    if scale == "standard_score" and (_missing(exp) or exp == 0):
        sd, rel = ins.sd, ins.reliability
        if _missing(sd) or _missing(rel) or not (sd > 0 and 0 <= rel < 1):
            return None
        s_diff = math.sqrt(2 * (sd * math.sqrt(1 - rel)) ** 2)
        rc = _r9((row["outcome_score"] - row["baseline_score"]) / s_diff)
        return "above" if rc > 1.96 else "below" if rc < -1.96 else "expected"
    if not _missing(exp) and exp > 0:
        r = _r9(row["rate"])
        if r < _r9(0.75 * exp):
            return "below"
        return "above" if r > _r9(1.25 * exp) else "expected"
    return None


# --------------------------------------------------------------------------- inclusion


def _term(d: pd.Timestamp) -> tuple[int, int]:
    """(school year, term) of a date: autumn Sep-Dec, spring Jan-Mar, summer Apr-Aug."""
    sy = d.year - (d.month < 9)
    return sy, 0 if d.month >= 9 else 1 if d.month <= 3 else 2


def _term_bounds(sy: int, k: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    starts = [pd.Timestamp(sy, 9, 1), pd.Timestamp(sy + 1, 1, 1), pd.Timestamp(sy + 1, 4, 1),
              pd.Timestamp(sy + 1, 9, 1)]
    return starts[k], starts[k + 1] - DAY


def _overlap_srb(placements: list, start: pd.Timestamp, end: pd.Timestamp) -> str | None:
    """The SRB of the placement overlapping [start, end] for the most days (ties: the
    later-starting placement, then the first listed)."""
    best, best_key = None, None
    for p in placements:
        if pd.isna(p.start_date):
            continue
        hi = end if pd.isna(p.end_date) else min(end, p.end_date)
        days = (hi - max(start, p.start_date)) / DAY + 1
        if days > 0 and (best_key is None or (days, p.start_date) > best_key):
            best, best_key = p.srb_id, (days, p.start_date)
    return best


def _theil_sen(x: list[float], y: list[float]) -> float:
    return stats.theilslopes(y, x).slope


def inclusion(ds) -> dict[str, pd.DataFrame]:
    """Inclusion shares per learner and term, trends, thresholds and the exit review.

    For each learner: attribute every record to the SRB whose placement overlaps its
    period most; sum mainstream and timetabled minutes per school term (overall and core
    subjects); attribute each term (its calendar dates) to an SRB the same way; the
    trend is the Theil-Sen slope of the share against the term number; the latest term
    decides the threshold counts per SRB; the learner is listed for exit review when the
    core share was at least 80% in at least the last two terms with core data and a
    placement is still open at the end of the data.
    """
    by_learner_p = {lid: list(g.itertuples()) for lid, g in
                    ds.placements.groupby("learner_id", sort=False)}
    shares = []
    for lid, g in ds.inclusion.groupby("learner_id", sort=True):
        pls = by_learner_p.get(lid, [])
        terms: dict[tuple[int, int], list[float]] = {}
        for r in g.itertuples():
            if pd.isna(r.period_start) or _missing(r.minutes_mainstream) \
                    or _missing(r.minutes_timetabled):
                continue
            end = r.period_start if pd.isna(r.period_end) else r.period_end
            if _overlap_srb(pls, r.period_start, end) is None:
                continue
            t = terms.setdefault(_term(r.period_start), [0.0, 0.0, 0.0, 0.0])
            core = False if _missing(r.core) else bool(r.core)
            t[0] += r.minutes_mainstream
            t[1] += r.minutes_timetabled
            if core:
                t[2] += r.minutes_mainstream
                t[3] += r.minutes_timetabled
        for (sy, k), (mm, mt, cm, ct) in sorted(terms.items()):
            start, end = _term_bounds(sy, k)
            srb = _overlap_srb(pls, start, end)
            if srb is None:
                continue
            shares.append({"learner_id": lid, "period": f"{sy}/{(sy + 1) % 100:02d} {TERMS[k]}",
                           "period_start": start, "period_end": end,
                           "term_index": 3.0 * sy + k, "srb_id": srb,
                           "minutes_mainstream": mm, "minutes_timetabled": mt,
                           "inclusion_share": mm / mt if mt > 0 else np.nan,
                           "core_inclusion_share": cm / ct if ct > 0 else np.nan})
    sh = pd.DataFrame(shares)
    trends, latest, exits = [], [], []
    as_of = sh["period_end"].max()
    for lid, g in sh.groupby("learner_id", sort=True):
        g = g.sort_values("term_index")
        has = g[g["inclusion_share"].notna()]
        n = len(has)
        row = {"learner_id": lid, "n_periods": n, "first_share": np.nan,
               "latest_share": np.nan, "slope_per_term": np.nan, "trend": "too few terms"}
        if n:
            row["first_share"] = has["inclusion_share"].iloc[0]
            row["latest_share"] = has["inclusion_share"].iloc[-1]
            latest.append(has.iloc[-1])
        if n >= 2:
            x, y = list(has["term_index"]), list(has["inclusion_share"])
            slope = _theil_sen(x, y)
            row["slope_per_term"] = slope
            change = round(slope * (x[-1] - x[0]), 10)
            row["trend"] = "rising" if change > 0.05 else "falling" if change < -0.05 \
                else "steady"
        trends.append(row)
        core = g[g["core_inclusion_share"].notna()]
        run = 0
        for c in core["core_inclusion_share"]:
            run = run + 1 if c >= 0.8 - 1e-9 else 0
        if run >= 2:
            open_ = [p for p in by_learner_p.get(lid, []) if p.start_date <= as_of
                     and (pd.isna(p.end_date) or p.end_date > as_of)]
            if open_:
                srb = sorted(open_, key=lambda p: p.start_date)[-1].srb_id
                exits.append({"learner_id": lid, "srb_id": srb, "periods_met": run,
                              "met_since": core["period_start"].iloc[-run],
                              "latest_period": core["period"].iloc[-1]})
    thresholds = []
    lat = pd.DataFrame(latest)
    for srb, g in lat.groupby("srb_id", sort=True):
        s, c = list(g["inclusion_share"]), [v for v in g["core_inclusion_share"]
                                            if not _missing(v)]
        thresholds.append({
            "srb_id": srb, "n": len(s),
            "at_or_above_50": sum(v >= 0.5 - 1e-9 for v in s),
            "at_or_above_60": sum(v >= 0.6 - 1e-9 for v in s),
            "median_share": float(np.median(s)), "core_n": len(c),
            "core_at_or_above_80": sum(v >= 0.8 - 1e-9 for v in c),
            "median_core_share": float(np.median(c)) if c else np.nan})
    keep = ["learner_id", "period", "srb_id", "minutes_mainstream", "minutes_timetabled",
            "inclusion_share", "core_inclusion_share"]
    return {"shares": sh[keep], "trends": pd.DataFrame(trends),
            "thresholds": pd.DataFrame(thresholds), "exit": pd.DataFrame(
                exits, columns=["learner_id", "srb_id", "periods_met", "met_since",
                                "latest_period"])}


# --------------------------------------------------------------------------- targets


def targets(ds) -> dict[str, pd.DataFrame]:
    """GAS T-scores per learner and review, one review at a time, and a summary by SRB.

    T = 50 + 10 sum(w x) / sqrt((1 - rho) sum(w^2) + rho (sum w)^2), rho = 0.3, over the
    reviewed targets (attainment and review date present); the review is attributed to
    the learner's placement covering the review date (on a same-day transfer, the one
    that started later), as :func:`srb_eval.measures.attribution.attach_srb`.
    """
    rho = 0.3
    by_learner_p = {lid: list(g.itertuples()) for lid, g in
                    ds.placements.groupby("learner_id", sort=False)}
    rows = []
    t = ds.targets
    t = t[t["attainment"].notna() & t["review_date"].notna()]
    for (lid, review), g in t.groupby(["learner_id", "review_date"], sort=True):
        x = list(g["attainment"])
        w = [1.0 if _missing(v) else v for v in g["weight"]]
        sw, swx = sum(w), sum(a * b for a, b in zip(w, x, strict=True))
        sw2 = sum(v * v for v in w)
        covering = [p for p in by_learner_p.get(lid, []) if p.start_date <= review
                    and (_missing(p.end_date) or review <= p.end_date)]
        srb = sorted(covering, key=lambda p: p.start_date)[-1].srb_id if covering else None
        rows.append({"learner_id": lid, "review_date": review, "n_targets": len(x),
                     "n_met": sum(v >= 0 for v in x),
                     "gas_t": 50 + 10 * swx / math.sqrt((1 - rho) * sw2 + rho * sw ** 2),
                     "srb_id": srb})
    scores = pd.DataFrame(rows)
    summary = []
    for srb, g in scores.dropna(subset=["srb_id"]).groupby("srb_id", sort=True):
        ts = list(g["gas_t"])
        summary.append({"srb_id": srb, "n_learners": g["learner_id"].nunique(),
                        "n_reviews": len(ts), "n_targets": int(g["n_targets"].sum()),
                        "median_t": float(np.median(ts)),
                        "q1_t": float(np.percentile(ts, 25)),
                        "q3_t": float(np.percentile(ts, 75)),
                        "mean_t": sum(ts) / len(ts),
                        "n_t_50_or_more": sum(v >= 50 - 1e-9 for v in ts)})
    return {"scores": scores, "by_srb": pd.DataFrame(summary)}


# --------------------------------------------------------------------------- capacity


def capacity(ds, census_dates: list[str]) -> dict[str, pd.DataFrame]:
    """Learners on roll and awaiting start per SRB at each census date; occupancy at the
    last; median and longest waits by phase (placements with both dates in order)."""
    census = []
    by_srb = {srb: list(g.itertuples()) for srb, g in
              ds.placements.groupby("srb_id", sort=False)}
    for d in [pd.Timestamp(x) for x in census_dates]:
        for s in ds.srbs.itertuples():
            on, wait = set(), set()
            for p in by_srb.get(s.srb_id, []):
                if p.start_date <= d and (pd.isna(p.end_date) or p.end_date >= d):
                    on.add(p.learner_id)
                if not pd.isna(p.panel_date) and p.panel_date <= d < p.start_date:
                    wait.add(p.learner_id)
            census.append({"srb_id": s.srb_id, "census_date": d, "on_roll": len(on),
                           "awaiting_start": len(wait)})
    census = pd.DataFrame(census)
    last = census[census["census_date"] == census["census_date"].max()]
    occ = []
    for s in ds.srbs.itertuples():
        on = int(last.loc[last["srb_id"] == s.srb_id, "on_roll"].iloc[0])
        cap = s.capacity
        share = on / cap if cap > 0 else np.nan
        status = ("over capacity" if on > cap else "no places" if cap == 0 else "full"
                  if on == cap else "under-used" if share < 0.75 else "spare places")
        occ.append({"srb_id": s.srb_id, "capacity": cap, "on_roll": on, "occupancy": share,
                    "unfilled_places": max(cap - on, 0), "status": status})
    phase = dict(zip(ds.srbs["srb_id"], ds.srbs["phase"].astype(str), strict=True))
    waits: dict[tuple[str, str], list] = {}
    intervals = (("referral to panel", "referral_date", "panel_date"),
                 ("panel to start", "panel_date", "start_date"),
                 ("referral to start", "referral_date", "start_date"))
    for p in ds.placements.itertuples():
        for label, a, b in intervals:
            da, db = getattr(p, a), getattr(p, b)
            days = None if pd.isna(da) or pd.isna(db) else (db - da) / DAY
            for group in (phase[p.srb_id], "all"):
                waits.setdefault((group, label), []).append(
                    days if days is not None and days >= 0 else None)
    rows = []
    for (group, label), v in waits.items():
        ok = [x for x in v if x is not None]
        few = len(ok) < 3
        rows.append({"group": group, "interval": label, "n": len(ok),
                     "n_excluded": len(v) - len(ok),
                     "median_days": np.nan if few else float(np.median(ok)),
                     "longest_days": np.nan if few else float(max(ok))})
    return {"census": census, "occupancy": pd.DataFrame(occ), "waits": pd.DataFrame(rows)}


# --------------------------------------------------------------------------- outcomes


def outcomes(ds, year: str) -> dict[str, pd.DataFrame]:
    """Attendance and exclusion outcomes of one academic year, for the authority, by SRB
    and by primary need (Estyn's groups), one learner at a time.

    Attendance: rows whose period starts in the year, attributed to the SRB whose
    placement overlaps the period most; per learner and group the sessions are summed;
    a learner is persistently absent below 90%. Exclusions: learners on roll at any
    time in the year; fixed-term exclusions starting in the year while placed.
    """
    y0 = int(year[:4])
    start, end = pd.Timestamp(y0, 9, 1), pd.Timestamp(y0 + 1, 8, 31)
    need = {r.learner_id: ("not recorded" if _missing(r.primary_need) else str(r.primary_need))
            for r in ds.learners.drop_duplicates("learner_id").itertuples()}
    by_learner_p = {lid: list(g.itertuples()) for lid, g in
                    ds.placements.groupby("learner_id", sort=False)}
    srb_ids = list(ds.srbs["srb_id"])

    def groups(lid, srb):
        return [("authority", "all SRBs"), ("srb_id", srb),
                ("primary_need", need.get(lid, "not recorded"))]

    per: dict[tuple, list[float]] = {}
    for lid, g in ds.attendance.groupby("learner_id", sort=False):
        for r in g.itertuples():
            if pd.isna(r.period_start) or not (start <= r.period_start <= end):
                continue
            if _missing(r.sessions_possible) or _missing(r.sessions_attended):
                continue
            e = r.period_start if pd.isna(r.period_end) else r.period_end
            srb = _overlap_srb(by_learner_p.get(lid, []), r.period_start, e)
            if srb is None:
                continue
            for grp in groups(lid, srb):
                v = per.setdefault((*grp, lid), [0.0, 0.0])
                v[0] += r.sessions_possible
                v[1] += r.sessions_attended
    att: dict[tuple, dict] = {}
    for (gt, grp, _lid), (poss, attd) in per.items():
        if poss <= 0:
            continue
        a = att.setdefault((gt, grp), {"n_learners": 0, "sessions_possible": 0.0,
                                       "sessions_attended": 0.0, "n_persistent_absence": 0})
        a["n_learners"] += 1
        a["sessions_possible"] += poss
        a["sessions_attended"] += attd
        a["n_persistent_absence"] += attd / poss < 0.9
    for srb in srb_ids:
        # a resource base with no attendance: no learners and no sessions (0, not
        # missing, as a sum over nobody); its rate is "no data" further on
        att.setdefault(("srb_id", srb), {"n_learners": 0, "sessions_possible": 0.0,
                                         "sessions_attended": 0.0,
                                         "n_persistent_absence": 0})
    att.setdefault(("authority", "all SRBs"), {"n_learners": 0, "sessions_possible": 0.0,
                                          "sessions_attended": 0.0,
                                          "n_persistent_absence": 0})
    attendance = pd.DataFrame([{"group_type": k[0], "group": k[1], **v}
                               for k, v in att.items()])

    roll: dict[tuple, set] = {}
    for p in ds.placements.itertuples():
        if p.start_date <= end and (pd.isna(p.end_date) or p.end_date >= start):
            for grp in groups(p.learner_id, p.srb_id):
                roll.setdefault(grp, set()).add(p.learner_id)
    exc: dict[tuple, dict] = {}
    for e in ds.exclusions.itertuples():
        if pd.isna(e.start_date) or not (start <= e.start_date <= end):
            continue
        srb = _overlap_srb(by_learner_p.get(e.learner_id, []), e.start_date, e.start_date)
        if srb is None:
            continue
        for grp in groups(e.learner_id, srb):
            x = exc.setdefault(grp, {"n_exclusions": 0, "learners": set(), "days_lost": 0.0,
                                     "n_permanent": 0})
            if str(e.kind) == "fixed-term":
                x["n_exclusions"] += 1
                x["learners"].add(e.learner_id)
                x["days_lost"] += e.days
            elif str(e.kind) == "permanent":
                x["n_permanent"] += 1
    keys = (set(roll) | set(exc) | {("srb_id", s) for s in srb_ids}
            | {("authority", "all SRBs")})
    exclusions = pd.DataFrame([{
        "group_type": k[0], "group": k[1], "n_learners": len(roll.get(k, ())),
        "n_exclusions": exc.get(k, {}).get("n_exclusions", 0),
        "n_learners_excluded": len(exc.get(k, {}).get("learners", ())),
        "days_lost": exc.get(k, {}).get("days_lost", 0.0),
        "n_permanent": exc.get(k, {}).get("n_permanent", 0)} for k in keys])
    return {"attendance": attendance, "exclusions": exclusions}
