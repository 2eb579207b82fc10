"""Independent DuckDB SQL implementations of the benchmarked metrics.

Each function computes the same canonical tables as :mod:`benchmarks.naive` and the
package (see ``benchmarks/run.py``) in SQL, from the loaded dataset's DataFrames (DuckDB
scans pandas / Arrow memory directly) or, for :func:`loading`, from the Parquet files.
They are a second opinion on the results and a yardstick for speed: DuckDB is a
vectorised, multi-threaded columnar engine, so "no more than 3x slower than DuckDB"
means the package is in the same league as a database.

Every function opens its own in-memory connection with the machine's thread count
(``PRAGMA threads`` = ``os.cpu_count()``) and returns a dict of DataFrames.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pandas as pd

from srb_eval.data import schema as S


def connect(ds=None, tables: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory connection with ``tables`` of ``ds`` registered as views."""
    con = duckdb.connect(config={"threads": os.cpu_count() or 1})
    for t in tables:
        con.register(t, getattr(ds, t))
    return con


def _df(con, sql: str) -> pd.DataFrame:
    return con.sql(sql).df()


_WS = "' \t\n\r\x0b\x0c'"


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# --------------------------------------------------------------------------- loading


def loading(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Load every Parquet table into DuckDB and run the loader's checks in SQL.

    Same checks and output as :func:`benchmarks.naive.loading`: ``rows`` and
    ``problems`` (table, row, column; rows numbered from 1).
    """
    folder = Path(folder)
    con = duckdb.connect(config={"threads": os.cpu_count() or 1})
    present = []
    for name in S.TABLES:
        f = folder / f"{name}.parquet"
        if f.exists():
            con.execute(f"CREATE TABLE {name} AS SELECT *, file_row_number + 1 AS _row "
                        f"FROM read_parquet({_q(str(f))}, file_row_number = true)")
            present.append(name)
    checks: list[str] = []

    def text(c: str) -> str:
        return f"nullif(trim(CAST({c} AS VARCHAR), {_WS}), '')"

    for name in present:
        spec = S.TABLES[name]
        cols = {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}
        for c, col in spec.columns().items():
            if c not in cols:
                continue
            kind = col.metadata.get("kind")
            v = text(c) if kind in ("id", "text", "vocab", "vocab_list") else c
            conds = []
            if not col.nullable:
                conds.append(f"{v} IS NULL")
            vocab = col.metadata.get("vocab")
            if vocab:
                known = [x.lower() for x in S.VOCABULARIES[vocab]] + list(
                    S.ALIASES.get(vocab, {}))
                known_sql = "[" + ", ".join(_q(x) for x in known) + "]"
                if kind == "vocab":
                    conds.append(f"NOT list_contains({known_sql}, lower({v}))")
                else:
                    conds.append(
                        f"len(list_filter(string_split({v}, ';'), lambda x: trim(x, {_WS}) <> '' "
                        f"AND NOT list_contains({known_sql}, lower(trim(x, {_WS}))))) > 0")
            for check in col.checks:
                st = check.statistics or {}
                if check.name == "greater_than_or_equal_to":
                    conds.append(f"{v} < {st['min_value']}")
                elif check.name == "less_than_or_equal_to":
                    conds.append(f"{v} > {st['max_value']}")
                elif check.name == "greater_than":
                    conds.append(f"{v} <= {st['min_value']}")
                elif check.name == "isin" and kind != "vocab":
                    allowed = ", ".join(str(x) for x in st["allowed_values"])
                    conds.append(f"{v} NOT IN ({allowed})")
            for cond in conds:
                checks.append(f"SELECT {_q(name)} AS tbl, _row, {_q(c)} AS col FROM {name} "
                              f"WHERE coalesce({cond}, false)")
        for check in spec.model.to_schema().checks:
            # (the row rules "a must not be after b" and "a must not exceed b"; the others
            # are not checked here)
            m = re.fullmatch(r"(\w+) must not (?:be after|exceed) (\w+)", check.error)
            a, b = (m[1], m[2]) if m else ("", "")
            if a in cols and b in cols:
                checks.append(f"SELECT {_q(name)}, _row, {_q(a)} FROM {name} WHERE {a} > {b}")
        key = list(spec.key)
        if set(key) <= cols:
            keyed = ", ".join(text(k) if k.endswith("_id") or k in (
                "instrument", "subject", "qualification") else k for k in key)
            notnull = " AND ".join(f"{k} IS NOT NULL" for k in key)
            checks.append(
                f"SELECT {_q(name)}, _row, {_q(key[0])} FROM (SELECT _row, row_number() OVER "
                f"(PARTITION BY {keyed} ORDER BY _row) AS k FROM {name} WHERE {notnull}) "
                "WHERE k > 1")
    if "learners" in present:
        for t in S.LEARNER_TABLES:
            if t in present:
                checks.append(
                    f"SELECT {_q(t)}, _row, 'learner_id' FROM {t} WHERE {text('learner_id')} "
                    f"IS NOT NULL AND {text('learner_id')} NOT IN (SELECT {text('learner_id')} "
                    "FROM learners WHERE learner_id IS NOT NULL)")
    if {"placements", "srbs"} <= set(present):
        checks.append(f"SELECT 'placements', _row, 'srb_id' FROM placements WHERE "
                      f"{text('srb_id')} IS NOT NULL AND {text('srb_id')} NOT IN "
                      f"(SELECT {text('srb_id')} FROM srbs WHERE srb_id IS NOT NULL)")
    if {"assessments", "instruments"} <= set(present):
        checks.append(f"SELECT 'assessments', _row, 'instrument' FROM assessments WHERE "
                      f"{text('instrument')} IS NOT NULL AND {text('instrument')} NOT IN "
                      f"(SELECT {text('instrument')} FROM instruments WHERE instrument IS NOT "
                      "NULL)")
        checks.append(
            "SELECT 'assessments', a._row, 'score' FROM assessments a JOIN (SELECT DISTINCT "
            f"ON ({text('instrument')}) {text('instrument')} AS i, min_score, max_score FROM "
            f"instruments ORDER BY {text('instrument')}, _row) n ON {text('a.instrument')} = n.i "
            "WHERE a.score < n.min_score OR a.score > n.max_score")
    if {"assessments", "learners"} <= set(present):
        btype = dict(con.execute("DESCRIBE learners").fetchall()[i][:2] for i in range(
            len(con.execute("DESCRIBE learners").fetchall())))["birth_month"]
        birth = ("strptime(trim(birth_month) || '-01', '%Y-%m-%d')" if btype == "VARCHAR"
                 else "date_trunc('month', birth_month)")
        checks.append(
            f"SELECT 'assessments', a._row, 'date' FROM assessments a JOIN (SELECT DISTINCT ON "
            f"({text('learner_id')}) {text('learner_id')} AS l, {birth} AS b FROM learners "
            f"ORDER BY {text('learner_id')}, _row) l ON {text('a.learner_id')} = l.l WHERE "
            "date_diff('day', l.b, a.date) / 365.25 < 3 OR "
            "date_diff('day', l.b, a.date) / 365.25 >= 26")
    problems = _df(con, "SELECT DISTINCT tbl AS \"table\", CAST(_row AS BIGINT) AS row, "
                        "col AS \"column\" FROM (" + " UNION ALL ".join(checks) + ") "
                        "ORDER BY 1, 2, 3")
    rows = pd.DataFrame({"table": present, "n_rows": [
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in present]})
    con.close()
    if len(problems):  # like load_dataset, which returns no tables when there are problems
        rows = rows.iloc[:0]
    return {"rows": rows, "problems": problems}


# --------------------------------------------------------------------------- progress

PROGRESS_SQL = """
WITH p AS (
  SELECT row_number() OVER () AS pid, learner_id, srb_id, start_date, end_date
  FROM placements),
a AS (
  SELECT p.pid, p.learner_id, p.srb_id, p.start_date AS placement_start, a.instrument,
         CAST(a.area AS VARCHAR) AS area, CAST(a.date AS DATE) AS d, a.score,
         coalesce(a.is_baseline, false) AS flag
  FROM assessments a JOIN p ON a.learner_id = p.learner_id
  WHERE a.date IS NOT NULL AND a.score IS NOT NULL AND a.date >= p.start_date
    AND (p.end_date IS NULL OR a.date <= p.end_date)),
b AS (
  SELECT pid, instrument, area, min(d) FILTER (WHERE flag) IS NOT NULL AS flagged,
         coalesce(min(d) FILTER (WHERE flag), min(d)) AS base_d
  FROM a GROUP BY pid, instrument, area),
pts AS (
  SELECT a.*, b.base_d, b.flagged, date_diff('day', b.base_d, a.d) / 365.25 AS t
  FROM a JOIN b USING (pid, instrument, area) WHERE a.d >= b.base_d),
g AS (
  SELECT pid, instrument, area, any_value(learner_id) AS learner_id,
         any_value(srb_id) AS srb_id, any_value(placement_start) AS placement_start,
         any_value(base_d) AS base_d,
         avg(score) FILTER (WHERE d = base_d AND (flag OR NOT flagged)) AS base_score,
         max(d) AS out_d, count(*) AS n_points
  FROM pts GROUP BY pid, instrument, area),
o AS (
  SELECT pts.pid, pts.instrument, pts.area, avg(pts.score) AS out_score
  FROM pts JOIN g USING (pid, instrument, area) WHERE pts.d = g.out_d
  GROUP BY pts.pid, pts.instrument, pts.area),
r AS (
  SELECT g.*, o.out_score, date_diff('day', base_d, out_d) AS days,
         n_points >= 2 AS follow,
         n_points >= 2 AND date_diff('day', base_d, out_d) > 0 AS moved,
         n_points >= 2 AND date_diff('day', base_d, out_d) > 0
           AND date_diff('day', base_d, out_d) / 365.25 >= 0.25 AS measured
  FROM g JOIN o USING (pid, instrument, area)),
ts AS (
  SELECT i.pid, i.instrument, i.area, median((j.score - i.score) / (j.t - i.t)) AS slope
  FROM pts i JOIN pts j ON i.pid = j.pid AND i.instrument = j.instrument AND i.area = j.area
       AND j.d > i.d
  WHERE (i.pid, i.instrument, i.area) IN (SELECT (pid, instrument, area) FROM r
                                           WHERE measured)
  GROUP BY i.pid, i.instrument, i.area),
res AS (
  SELECT r.learner_id, r.srb_id, r.placement_start, r.instrument, r.area,
         r.base_d AS baseline_date, r.base_score AS baseline_score,
         CASE WHEN follow THEN out_d END AS outcome_date,
         CASE WHEN follow THEN out_score END AS outcome_score,
         r.n_points, CASE WHEN moved THEN out_score - base_score END AS gain,
         CASE WHEN measured THEN (out_score - base_score) / (days / 365.25) END AS rate,
         ts.slope,
         CASE WHEN measured THEN 'measured' WHEN follow THEN 'too soon to judge'
              ELSE 'no follow-up yet' END AS status,
         r.measured, n.scale, n.sd, n.reliability, n.expected_gain_per_year AS exp
  FROM r LEFT JOIN ts USING (pid, instrument, area)
  LEFT JOIN (SELECT DISTINCT ON (instrument) instrument, CAST(scale AS VARCHAR) AS scale, sd,
             reliability, expected_gain_per_year FROM instruments) n USING (instrument))
SELECT * EXCLUDE (measured, scale, sd, reliability, exp),
  CASE
    WHEN NOT measured THEN NULL
    WHEN scale = 'standard_score' AND (exp IS NULL OR isnan(exp) OR exp = 0) THEN
      CASE WHEN NOT (sd > 0 AND reliability >= 0 AND reliability < 1) THEN NULL
           WHEN round((outcome_score - baseline_score)
                      / sqrt(2 * pow(sd * sqrt(1 - reliability), 2)), 9) > 1.96 THEN 'above'
           WHEN round((outcome_score - baseline_score)
                      / sqrt(2 * pow(sd * sqrt(1 - reliability), 2)), 9) < -1.96 THEN 'below'
           ELSE 'expected' END
    WHEN exp > 0 THEN
      CASE WHEN round(rate, 9) < round(0.75 * exp, 9) THEN 'below'
           WHEN round(rate, 9) > round(1.25 * exp, 9) THEN 'above'
           ELSE 'expected' END
  END AS band
FROM res
"""


def progress(ds) -> dict[str, pd.DataFrame]:
    """Progress from baseline in SQL (rules as :func:`benchmarks.naive.progress`); the
    Theil-Sen slope is the median of the pairwise slopes from a self-join."""
    con = connect(ds, ("assessments", "placements", "instruments"))
    out = _df(con, PROGRESS_SQL)
    con.close()
    return {"progress": out}


# --------------------------------------------------------------------------- inclusion

# Overlap in days of [s, e] with a placement; NULL end = still placed.
_OVERLAP = ("date_diff('day', greatest({s}, p.start_date), "
            "least({e}, coalesce(p.end_date, DATE '9999-12-31'))) + 1")

INCLUSION_SQL = """
WITH p AS (SELECT row_number() OVER () AS pid, learner_id, srb_id,
                  CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date
           FROM placements WHERE start_date IS NOT NULL),
rec AS (
  SELECT row_number() OVER () AS rid, learner_id, CAST(period_start AS DATE) AS s,
         CAST(coalesce(period_end, period_start) AS DATE) AS e,
         coalesce(core, false) AS core, minutes_mainstream AS mm, minutes_timetabled AS mt
  FROM inclusion WHERE learner_id IS NOT NULL AND period_start IS NOT NULL),
rec_srb AS (
  SELECT rec.*, p.srb_id FROM rec JOIN p ON rec.learner_id = p.learner_id
  WHERE {rec_overlap} > 0
  QUALIFY row_number() OVER (PARTITION BY rid ORDER BY {rec_overlap} DESC,
                             p.start_date DESC, p.pid) = 1),
t AS (
  SELECT learner_id, year(s) - CASE WHEN month(s) < 9 THEN 1 ELSE 0 END AS sy,
         CASE WHEN month(s) >= 9 THEN 0 WHEN month(s) <= 3 THEN 1 ELSE 2 END AS k,
         sum(mm) AS mm, sum(mt) AS mt, sum(CASE WHEN core THEN mm ELSE 0 END) AS cm,
         sum(CASE WHEN core THEN mt ELSE 0 END) AS ct
  FROM rec_srb WHERE mm IS NOT NULL AND mt IS NOT NULL AND NOT isnan(mm) AND NOT isnan(mt)
  GROUP BY ALL),
tb AS (
  SELECT *, make_date(sy + CASE WHEN k = 0 THEN 0 ELSE 1 END, [9, 1, 4][k + 1], 1) AS ts,
         make_date(sy + 1, [1, 4, 9][k + 1], 1) - INTERVAL 1 DAY AS te
  FROM t),
sh AS (
  SELECT tb.learner_id, CAST(sy AS VARCHAR) || '/' || lpad(CAST((sy + 1) % 100 AS VARCHAR),
         2, '0') || ' ' || ['autumn', 'spring', 'summer'][k + 1] AS period,
         CAST(ts AS DATE) AS period_start, CAST(te AS DATE) AS period_end,
         3.0 * sy + k AS term_index, p.srb_id, mm AS minutes_mainstream,
         mt AS minutes_timetabled, CASE WHEN mt > 0 THEN mm / mt END AS inclusion_share,
         CASE WHEN ct > 0 THEN cm / ct END AS core_inclusion_share
  FROM tb JOIN p ON tb.learner_id = p.learner_id
  WHERE {term_overlap} > 0
  QUALIFY row_number() OVER (PARTITION BY tb.learner_id, tb.sy, tb.k
                             ORDER BY {term_overlap} DESC, p.start_date DESC, p.pid) = 1)
SELECT * FROM sh
""".format(rec_overlap=_OVERLAP.format(s="rec.s", e="rec.e"),
           term_overlap=_OVERLAP.format(s="CAST(tb.ts AS DATE)", e="CAST(tb.te AS DATE)"))

TRENDS_SQL = """
WITH h AS (SELECT * FROM sh WHERE inclusion_share IS NOT NULL),
pairs AS (
  SELECT i.learner_id,
         median((j.inclusion_share - i.inclusion_share) / (j.term_index - i.term_index)) AS slope
  FROM h i JOIN h j ON i.learner_id = j.learner_id AND j.term_index > i.term_index
  GROUP BY i.learner_id),
agg AS (
  SELECT learner_id, count(*) AS n_periods,
         arg_min(inclusion_share, term_index) AS first_share,
         arg_max(inclusion_share, term_index) AS latest_share,
         max(term_index) - min(term_index) AS span
  FROM h GROUP BY learner_id)
SELECT l.learner_id, coalesce(agg.n_periods, 0) AS n_periods, agg.first_share,
       agg.latest_share, CASE WHEN agg.n_periods >= 2 THEN pairs.slope END AS slope_per_term,
       CASE WHEN coalesce(agg.n_periods, 0) < 2 THEN 'too few terms'
            WHEN round(pairs.slope * agg.span, 10) > 0.05 THEN 'rising'
            WHEN round(pairs.slope * agg.span, 10) < -0.05 THEN 'falling'
            ELSE 'steady' END AS trend
FROM (SELECT DISTINCT learner_id FROM sh) l LEFT JOIN agg USING (learner_id)
LEFT JOIN pairs USING (learner_id)
"""

THRESHOLDS_SQL = """
WITH latest AS (
  SELECT * FROM sh WHERE inclusion_share IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY learner_id ORDER BY term_index DESC) = 1)
SELECT srb_id, count(*) AS n,
       count(*) FILTER (WHERE inclusion_share >= 0.5 - 1e-9) AS at_or_above_50,
       count(*) FILTER (WHERE inclusion_share >= 0.6 - 1e-9) AS at_or_above_60,
       median(inclusion_share) AS median_share,
       count(core_inclusion_share) AS core_n,
       count(*) FILTER (WHERE core_inclusion_share >= 0.8 - 1e-9) AS core_at_or_above_80,
       median(core_inclusion_share) AS median_core_share
FROM latest GROUP BY srb_id
"""

EXIT_SQL = """
WITH c AS (SELECT *, core_inclusion_share >= 0.8 - 1e-9 AS met FROM sh
           WHERE core_inclusion_share IS NOT NULL),
l AS (
  SELECT learner_id, max(term_index) FILTER (WHERE NOT met) AS last_miss,
         arg_max(period, term_index) AS latest_period
  FROM c GROUP BY learner_id),
runs AS (
  SELECT c.learner_id, count(*) AS periods_met, min(c.period_start) AS met_since,
         any_value(l.latest_period) AS latest_period
  FROM c JOIN l USING (learner_id)
  WHERE c.term_index > coalesce(l.last_miss, -1e18)
  GROUP BY c.learner_id HAVING count(*) >= 2),
cutoff AS (SELECT max(period_end) AS d FROM sh),
open AS (
  SELECT learner_id, srb_id FROM (SELECT *, row_number() OVER () AS pid FROM placements), cutoff
  WHERE start_date <= cutoff.d AND (end_date IS NULL OR end_date > cutoff.d)
  QUALIFY row_number() OVER (PARTITION BY learner_id ORDER BY start_date DESC, pid DESC) = 1)
SELECT runs.learner_id, open.srb_id, periods_met, met_since, latest_period
FROM runs JOIN open USING (learner_id)
"""


def inclusion(ds) -> dict[str, pd.DataFrame]:
    """Inclusion shares per learner and term, trends (Theil-Sen by self-join),
    thresholds by SRB and the exit review, in SQL (rules as
    :func:`benchmarks.naive.inclusion`)."""
    con = connect(ds, ("inclusion", "placements"))
    con.execute("CREATE TEMP TABLE sh AS " + INCLUSION_SQL)
    out = {
        "shares": _df(con, "SELECT learner_id, period, srb_id, minutes_mainstream, "
                           "minutes_timetabled, inclusion_share, core_inclusion_share "
                           "FROM sh"),
        "trends": _df(con, TRENDS_SQL),
        "thresholds": _df(con, THRESHOLDS_SQL),
        "exit": _df(con, EXIT_SQL),
    }
    con.close()
    return out


# --------------------------------------------------------------------------- targets

TARGETS_SQL = """
WITH s AS (
  SELECT learner_id, review_date, count(*) AS n_targets,
         count(*) FILTER (WHERE attainment >= 0) AS n_met,
         50 + 10 * sum(coalesce(weight, 1.0) * attainment)
           / sqrt(0.7 * sum(pow(coalesce(weight, 1.0), 2))
                  + 0.3 * pow(sum(coalesce(weight, 1.0)), 2)) AS gas_t
  FROM targets WHERE attainment IS NOT NULL AND NOT isnan(attainment)
    AND review_date IS NOT NULL
  GROUP BY learner_id, review_date
), covering AS (
  SELECT s.learner_id, s.review_date, arg_max(p.srb_id, p.start_date) AS srb_id
  FROM s JOIN placements p ON s.learner_id = p.learner_id
    AND p.start_date <= s.review_date
    AND (p.end_date IS NULL OR s.review_date <= p.end_date)
  GROUP BY s.learner_id, s.review_date)
SELECT s.*, c.srb_id FROM s LEFT JOIN covering c USING (learner_id, review_date)
"""


def targets(ds) -> dict[str, pd.DataFrame]:
    """GAS T-scores per learner and review, and a summary by SRB, in SQL (each review
    belongs to the placement covering its date; on a same-day transfer, the later one)."""
    con = connect(ds, ("targets", "placements"))
    con.execute("CREATE TEMP TABLE scores AS " + TARGETS_SQL)
    out = {
        "scores": _df(con, "SELECT * FROM scores"),
        "by_srb": _df(con, """
            SELECT srb_id, count(DISTINCT learner_id) AS n_learners, count(*) AS n_reviews,
                   sum(n_targets) AS n_targets, median(gas_t) AS median_t,
                   quantile_cont(gas_t, 0.25) AS q1_t, quantile_cont(gas_t, 0.75) AS q3_t,
                   avg(gas_t) AS mean_t,
                   count(*) FILTER (WHERE gas_t >= 50 - 1e-9) AS n_t_50_or_more
            FROM scores WHERE srb_id IS NOT NULL GROUP BY srb_id"""),
    }
    con.close()
    return out


# --------------------------------------------------------------------------- capacity


def capacity(ds, census_dates: list[str]) -> dict[str, pd.DataFrame]:
    """Census counts per SRB and date, occupancy at the last date and waiting times by
    phase, in SQL (rules as :func:`benchmarks.naive.capacity`)."""
    con = connect(ds, ("placements", "srbs"))
    dates = ", ".join(f"(DATE {_q(d)})" for d in census_dates)
    con.execute(f"""CREATE TEMP TABLE census AS
        SELECT s.srb_id, CAST(c.d AS TIMESTAMP) AS census_date,
          count(DISTINCT p.learner_id) FILTER (WHERE p.start_date <= c.d
              AND (p.end_date IS NULL OR p.end_date >= c.d)) AS on_roll,
          count(DISTINCT p.learner_id) FILTER (WHERE p.panel_date <= c.d
              AND c.d < p.start_date) AS awaiting_start
        FROM srbs s CROSS JOIN (VALUES {dates}) c(d)
        LEFT JOIN placements p ON p.srb_id = s.srb_id
        GROUP BY s.srb_id, c.d""")
    out = {"census": _df(con, "SELECT * FROM census")}
    out["occupancy"] = _df(con, """
        SELECT s.srb_id, s.capacity, c.on_roll,
               CASE WHEN s.capacity > 0 THEN c.on_roll / s.capacity END AS occupancy,
               greatest(s.capacity - c.on_roll, 0) AS unfilled_places,
               CASE WHEN c.on_roll > s.capacity THEN 'over capacity'
                    WHEN s.capacity = 0 THEN 'no places'
                    WHEN c.on_roll = s.capacity THEN 'full'
                    WHEN c.on_roll / s.capacity < 0.75 THEN 'under-used'
                    ELSE 'spare places' END AS status
        FROM srbs s JOIN census c ON c.srb_id = s.srb_id
        WHERE c.census_date = (SELECT max(census_date) FROM census)""")
    out["waits"] = _df(con, """
        WITH w AS (
          SELECT CAST(s.phase AS VARCHAR) AS phase, u.interval,
                 CASE WHEN u.days >= 0 THEN u.days END AS days
          FROM placements p JOIN srbs s USING (srb_id),
          LATERAL (VALUES ('referral to panel', date_diff('day', p.referral_date, p.panel_date)),
                          ('panel to start', date_diff('day', p.panel_date, p.start_date)),
                          ('referral to start', date_diff('day', p.referral_date, p.start_date))
                  ) u(interval, days)),
        g AS (SELECT phase AS "group", interval, days FROM w
              UNION ALL SELECT 'all', interval, days FROM w)
        SELECT "group", interval, count(days) AS n, count(*) - count(days) AS n_excluded,
               CASE WHEN count(days) >= 3 THEN median(days) END AS median_days,
               CASE WHEN count(days) >= 3 THEN max(days) END AS longest_days
        FROM g GROUP BY "group", interval""")
    con.close()
    return out


# --------------------------------------------------------------------------- outcomes

OUTCOMES_SQL = """
WITH p AS (SELECT row_number() OVER () AS pid, learner_id, srb_id,
                  CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date
           FROM placements WHERE start_date IS NOT NULL),
need AS (SELECT DISTINCT ON (learner_id) learner_id,
                coalesce(CAST(primary_need AS VARCHAR), 'not recorded') AS need
         FROM (SELECT *, row_number() OVER () AS r FROM learners) ORDER BY learner_id, r),
att AS (
  SELECT row_number() OVER () AS rid, learner_id, CAST(period_start AS DATE) AS s,
         CAST(coalesce(period_end, period_start) AS DATE) AS e,
         CAST(sessions_possible AS DOUBLE) AS poss, CAST(sessions_attended AS DOUBLE) AS attd
  FROM attendance
  WHERE period_start BETWEEN DATE {start} AND DATE {end}
    AND sessions_possible IS NOT NULL AND sessions_attended IS NOT NULL),
att_srb AS (
  SELECT att.*, p.srb_id FROM att JOIN p ON att.learner_id = p.learner_id
  WHERE {overlap} > 0
  QUALIFY row_number() OVER (PARTITION BY rid ORDER BY {overlap} DESC, p.start_date DESC,
                             p.pid) = 1),
stacked AS (
  SELECT 'authority' AS group_type, 'all SRBs' AS "group", learner_id, poss, attd FROM att_srb
  UNION ALL SELECT 'srb_id', srb_id, learner_id, poss, attd FROM att_srb
  UNION ALL SELECT 'primary_need', coalesce(need.need, 'not recorded'), att_srb.learner_id,
                   poss, attd
            FROM att_srb LEFT JOIN need USING (learner_id)),
per AS (SELECT group_type, "group", learner_id, sum(poss) AS poss, sum(attd) AS attd
        FROM stacked GROUP BY ALL HAVING sum(poss) > 0)
SELECT group_type, "group", count(*) AS n_learners, sum(poss) AS sessions_possible,
       sum(attd) AS sessions_attended,
       count(*) FILTER (WHERE attd / poss < 0.9) AS n_persistent_absence
FROM per GROUP BY ALL
"""

EXCLUSIONS_SQL = """
WITH p AS (SELECT row_number() OVER () AS pid, learner_id, srb_id,
                  CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date
           FROM placements WHERE start_date IS NOT NULL),
need AS (SELECT DISTINCT ON (learner_id) learner_id,
                coalesce(CAST(primary_need AS VARCHAR), 'not recorded') AS need
         FROM (SELECT *, row_number() OVER () AS r FROM learners) ORDER BY learner_id, r),
roll AS (
  SELECT p.learner_id, p.srb_id, coalesce(need.need, 'not recorded') AS need
  FROM p LEFT JOIN need USING (learner_id)
  WHERE p.start_date <= DATE {end} AND (p.end_date IS NULL OR p.end_date >= DATE {start})),
roll_g AS (
  SELECT group_type, "group", count(DISTINCT learner_id) AS n_learners FROM (
    SELECT 'authority' AS group_type, 'all SRBs' AS "group", learner_id FROM roll
    UNION ALL SELECT 'srb_id', srb_id, learner_id FROM roll
    UNION ALL SELECT 'primary_need', need, learner_id FROM roll) GROUP BY ALL),
ex AS (
  SELECT row_number() OVER () AS rid, learner_id, CAST(start_date AS DATE) AS d, days,
         CAST(kind AS VARCHAR) AS kind
  FROM exclusions WHERE start_date BETWEEN DATE {start} AND DATE {end}),
ex_srb AS (
  SELECT ex.*, p.srb_id, coalesce(need.need, 'not recorded') AS need
  FROM ex JOIN p ON ex.learner_id = p.learner_id LEFT JOIN need ON need.learner_id =
       ex.learner_id
  WHERE p.start_date <= ex.d AND (p.end_date IS NULL OR p.end_date >= ex.d)
  QUALIFY row_number() OVER (PARTITION BY rid ORDER BY p.start_date DESC, p.pid) = 1),
ex_g AS (
  SELECT group_type, "group",
         count(*) FILTER (WHERE kind = 'fixed-term') AS n_exclusions,
         count(DISTINCT learner_id) FILTER (WHERE kind = 'fixed-term') AS n_learners_excluded,
         coalesce(sum(days) FILTER (WHERE kind = 'fixed-term'), 0) AS days_lost,
         count(*) FILTER (WHERE kind = 'permanent') AS n_permanent
  FROM (SELECT 'authority' AS group_type, 'all SRBs' AS "group", * FROM ex_srb
        UNION ALL SELECT 'srb_id', srb_id, * FROM ex_srb
        UNION ALL SELECT 'primary_need', need, * FROM ex_srb) GROUP BY ALL),
keys AS (SELECT group_type, "group" FROM roll_g UNION SELECT group_type, "group" FROM ex_g
         UNION SELECT 'srb_id', srb_id FROM srbs UNION SELECT 'authority', 'all SRBs')
SELECT k.group_type, k."group", coalesce(r.n_learners, 0) AS n_learners,
       coalesce(e.n_exclusions, 0) AS n_exclusions,
       coalesce(e.n_learners_excluded, 0) AS n_learners_excluded,
       coalesce(e.days_lost, 0.0) AS days_lost, coalesce(e.n_permanent, 0) AS n_permanent
FROM keys k LEFT JOIN roll_g r USING (group_type, "group")
LEFT JOIN ex_g e USING (group_type, "group")
"""


def outcomes(ds, year: str) -> dict[str, pd.DataFrame]:
    """Attendance and exclusion outcomes of one academic year in SQL (rules as
    :func:`benchmarks.naive.outcomes`)."""
    y0 = int(year[:4])
    start, end = _q(f"{y0}-09-01"), _q(f"{y0 + 1}-08-31")
    con = connect(ds, ("attendance", "placements", "learners", "exclusions", "srbs"))
    att = _df(con, OUTCOMES_SQL.format(start=start, end=end,
                                       overlap=_OVERLAP.format(s="att.s", e="att.e")))
    srbs = _df(con, "SELECT DISTINCT srb_id FROM srbs")
    missing = srbs.loc[~srbs["srb_id"].isin(att.loc[att["group_type"] == "srb_id", "group"])]
    extra = pd.DataFrame({"group_type": "srb_id", "group": missing["srb_id"].to_numpy(),
                          "n_learners": 0, "sessions_possible": 0.0,
                          "sessions_attended": 0.0, "n_persistent_absence": 0})
    if not (att["group_type"] == "authority").any():
        extra = pd.concat([extra, pd.DataFrame([{
            "group_type": "authority", "group": "all SRBs", "n_learners": 0,
            "sessions_possible": 0.0, "sessions_attended": 0.0,
            "n_persistent_absence": 0}])])
    out = {"attendance": pd.concat([att, extra], ignore_index=True),
           "exclusions": _df(con, EXCLUSIONS_SQL.format(start=start, end=end))}
    con.close()
    return out
