"""Benchmark srb-eval at authority, all-Wales and all-England scale (``make bench``).

For three synthetic datasets made by :mod:`srb_eval.data.demo` (written as Parquet under
``benchmarks/data/``, regenerated only when the size, seed or ``srb_eval/data/demo*.py``
changed) this script times, for each metric family (loading, progress, inclusion,
targets, capacity, outcomes):

- the package's own functions (what the notebooks call);
- a naive reference written the obvious way (``benchmarks/naive.py``: a Python loop
  over learners or groups); on large data it runs on a subsample of learners and its
  time is extrapolated linearly in rows;
- an independent DuckDB SQL implementation (``benchmarks/duckdb_ref.py``);

checks that the three agree (tolerances in :data:`RTOL` / :data:`ATOL`), and reports
time, rows per second, peak memory and the ratios package/naive and package/DuckDB,
all measured in the same run. Every measurement runs in a fresh subprocess, whose peak
resident memory (``getrusage(RUSAGE_SELF).ru_maxrss`` at its end) is reported.

It also times "every metric the notebooks compute": a subprocess loads the dataset from
Parquet and then executes the code of every notebook (``notebooks/*.py``) with display
and figures stubbed out, and (unless ``--no-render``) renders the real notebooks on the
Wales-size dataset with ``srb-eval render``. Results go to ``benchmarks/RESULTS.md``.

Usage::

    .venv/bin/python benchmarks/run.py                 # everything (make bench)
    .venv/bin/python benchmarks/run.py --sizes authority --no-render   # quick look
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import json
import os
import pickle
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SEED = 2025
END_YEAR = 2026
#: The academic year the outcome measures are computed for (the last in the data).
YEAR = "2025/26"
#: Relative and absolute tolerance for floating-point columns. Implementations sum in
#: different orders (NumPy pairwise sums, DuckDB's parallel aggregates) and take the
#: median of an even number of slopes as (a + b) / 2 or a + (b - a) / 2, so results
#: differ in the last bits; 1e-9 is far below anything a report shows.
RTOL = ATOL = 1e-9

#: Targets on the England-size dataset.
#: End to end on England-size data. 30 s was met with hand-written engines; the readable
#: plain-pandas measures (one implementation a reader can check) are allowed 40 s.
TARGET_TOTAL_S = 40.0
TARGET_PEAK_MB = 6 * 1024
TARGET_VS_NAIVE = 10.0
TARGET_VS_DUCKDB = 3.0


@dataclass(frozen=True)
class Size:
    name: str
    label: str
    learners: int
    years: int
    naive_learners: int | None  # naive references run on this many learners (None: all)
    repeat: int  # timed repetitions (best is reported)


SIZES = {
    "authority": Size("authority", "one authority", 300, 4, None, 3),
    "wales": Size("wales", "all Wales", 10_000, 5, 2_000, 1),
    "england": Size("england", "all England", 100_000, 5, 2_000, 1),
}
FAMILIES = ("loading", "progress", "inclusion", "targets", "capacity", "outcomes")
IMPLS = ("package", "naive", "duckdb")
#: Families whose naive reference always runs on the whole dataset (it is cheap).
NAIVE_FULL = ("capacity",)


def census_dates(size: Size) -> list[str]:
    """1 October of every school year in the data (the capacity census days)."""
    return [f"{y}-10-01" for y in range(END_YEAR - size.years, END_YEAR)]


# --------------------------------------------------------------------------- data


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: The synthetic data generator: a change to any of them regenerates the datasets.
DEMO_SOURCES = ("demo.py", "demo_population.py", "demo_records.py")


def data_key(size: Size) -> dict:
    return {"learners": size.learners, "years": size.years, "seed": SEED,
            "end_year": END_YEAR, "demo_py": hashlib.sha256(b"".join(
                (ROOT / "srb_eval" / "data" / f).read_bytes() for f in DEMO_SOURCES)
            ).hexdigest()[:16]}


def ensure_data(size: Size, log=print) -> Path:
    """The Parquet dataset of ``size``, generated unless an identical one is cached."""
    from srb_eval.data.demo import write_demo

    folder = DATA / size.name
    key_file = folder / "KEY.json"
    key = data_key(size)
    if key_file.exists() and json.loads(key_file.read_text()) == key:
        return folder
    log(f"  generating {size.name} dataset ({size.learners:,} learners, {size.years} years)")
    if folder.exists():
        shutil.rmtree(folder)
    t0 = time.perf_counter()
    write_demo(folder, n_learners=size.learners, years=size.years, seed=SEED,
               end_year=END_YEAR, fmt="parquet")
    key_file.write_text(json.dumps(key))
    log(f"  generated in {time.perf_counter() - t0:.1f} s")
    return folder


def sample_ids(ds, n: int | None) -> list[str] | None:
    """The first ``n`` learner ids in sorted order (None: every learner)."""
    if n is None or n >= len(ds.learners):
        return None
    return sorted(ds.learners["learner_id"].astype("str"))[:n]


def subsample(ds, ids: list[str] | None):
    """The dataset restricted to learners ``ids`` (every SRB and instrument is kept)."""
    if ids is None:
        return ds
    keep = set(ids)
    changes = {}
    for t in ("learners", "placements", "assessments", "inclusion", "targets", "attendance",
              "exclusions", "qualifications"):
        df = getattr(ds, t)
        if df is not None:
            changes[t] = df.loc[df["learner_id"].isin(keep).to_numpy()].reset_index(drop=True)
    return dataclasses.replace(ds, **changes)


def sample_folder(size: Size, ids: list[str]) -> Path:
    """Parquet files of the learners ``ids`` only (the naive loader's input)."""
    from srb_eval.data.io import write_dataset

    src = DATA / size.name
    out = DATA / f"{size.name}-sample{len(ids)}"
    key = {**data_key(size), "sample": len(ids)}
    if (out / "KEY.json").exists() and json.loads((out / "KEY.json").read_text()) == key:
        return out
    keep = set(ids)
    tables = {}
    for f in sorted(src.glob("*.parquet")):
        df = pd.read_parquet(f)
        if "learner_id" in df.columns and f.stem != "srbs":
            df = df.loc[df["learner_id"].isin(keep).to_numpy()]
        tables[f.stem] = df
    write_dataset(tables, out, fmt="parquet")
    (out / "KEY.json").write_text(json.dumps(key))
    return out


def ds_cache(size: Size) -> Path:
    return DATA / f"{size.name}.loaded.pkl"


# --------------------------------------------------------------------------- families
# Each family: the package call (timed), its canonical tables (untimed), the keys of
# each canonical table, and the number of input rows (for rows per second).


def _s(x: pd.Series) -> pd.Series:
    return x.astype("str")


def package_loading(folder):
    from srb_eval.data.io import load_dataset
    from srb_eval.errors import DataValidationError

    try:
        return load_dataset(folder)
    except DataValidationError as err:
        return err


def canon_loading(res) -> dict[str, pd.DataFrame]:
    from srb_eval.errors import DataValidationError

    if isinstance(res, DataValidationError):
        probs = [(Path(p.file).stem, p.row, p.column) for p in res.problems]
        rows = pd.DataFrame(columns=["table", "n_rows"])
    else:
        probs = []
        rows = pd.DataFrame({"table": list(res.tables),
                             "n_rows": [len(d) for d in res.tables.values()]})
    prob = pd.DataFrame(sorted(set(probs)), columns=["table", "row", "column"])
    return {"rows": rows, "problems": prob}


def package_progress(ds):
    """Progress of every placement (:func:`learner_progress`, the measure the naive and
    DuckDB references compute), before ``dataset_progress`` keeps each learner's latest
    placement with a result (a filter, not part of the measure compared)."""
    from srb_eval.measures.progress import learner_progress

    return learner_progress(ds.assessments, ds.placements, ds.instruments, srbs=ds.srbs,
                            learners=ds.learners)


def canon_progress(prog: pd.DataFrame) -> dict[str, pd.DataFrame]:
    cols = ["learner_id", "srb_id", "placement_start", "instrument", "area", "baseline_date",
            "baseline_score", "outcome_date", "outcome_score", "n_points", "gain", "rate",
            "slope", "status", "band"]
    out = prog[cols].copy()
    for c in ("area", "status", "band"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return {"progress": out}


def package_inclusion(ds):
    from srb_eval.measures import inclusion_data, inclusion_groups

    data = inclusion_data.prepare(ds.inclusion, ds.placements, ds.srbs)
    return {"data": data, "thresholds": inclusion_groups.threshold_shares(data.latest),
            "exit": inclusion_groups.exit_review(data.shares, ds.placements)}


def canon_inclusion(res) -> dict[str, pd.DataFrame]:
    d = res["data"]
    return {
        "shares": d.shares[["learner_id", "period", "srb_id", "minutes_mainstream",
                            "minutes_timetabled", "inclusion_share", "core_inclusion_share"]],
        "trends": d.trends[["learner_id", "n_periods", "first_share", "latest_share",
                            "slope_per_term", "trend"]],
        "thresholds": res["thresholds"][["srb_id", "n", "at_or_above_50", "at_or_above_60",
                                         "median_share", "core_n", "core_at_or_above_80",
                                         "median_core_share"]],
        "exit": res["exit"][["learner_id", "srb_id", "periods_met", "met_since",
                             "latest_period"]],
    }


def package_targets(ds):
    from srb_eval.measures.attribution import attach_srb
    from srb_eval.measures.targets import gas_scores, gas_summary

    scores = attach_srb(gas_scores(ds.targets), ds.placements, start="review_date")
    return {"scores": scores, "by_srb": gas_summary(scores, by="srb_id")}


def canon_targets(res) -> dict[str, pd.DataFrame]:
    by = res["by_srb"]
    return {"scores": res["scores"][["learner_id", "review_date", "n_targets", "n_met",
                                     "gas_t", "srb_id"]],
            "by_srb": by.loc[by["srb_id"].notna(), [
                "srb_id", "n_learners", "n_reviews", "n_targets", "median_t", "q1_t", "q3_t",
                "mean_t", "n_t_50_or_more"]]}


def package_capacity(ds, dates):
    from srb_eval.measures import occupancy, waiting

    return {"census": occupancy.census_counts(ds, dates),
            "occupancy": occupancy.occupancy(ds, dates[-1]),
            "waits": waiting.waiting_time_summary(ds, by="phase")}


def canon_capacity(res) -> dict[str, pd.DataFrame]:
    return {"census": res["census"][["srb_id", "census_date", "on_roll", "awaiting_start"]],
            "occupancy": res["occupancy"][["srb_id", "capacity", "on_roll", "occupancy",
                                           "unfilled_places", "status"]],
            "waits": res["waits"][["group", "interval", "n", "n_excluded", "median_days",
                                   "longest_days"]]}


def package_outcomes(ds, year):
    from srb_eval.measures import wellbeing

    return {"attendance": wellbeing.attendance_outcomes(ds, academic_year=year),
            "exclusions": wellbeing.exclusion_outcomes(ds, academic_year=year)}


def canon_outcomes(res) -> dict[str, pd.DataFrame]:
    return {"attendance": res["attendance"][["group_type", "group", "n_learners",
                                             "sessions_possible", "sessions_attended",
                                             "n_persistent_absence"]],
            "exclusions": res["exclusions"][["group_type", "group", "n_learners",
                                             "n_exclusions", "n_learners_excluded",
                                             "days_lost", "n_permanent"]]}


KEYS = {
    "loading": {"rows": ["table"], "problems": ["table", "row", "column"]},
    "progress": {"progress": ["learner_id", "srb_id", "placement_start", "instrument",
                              "area"]},
    "inclusion": {"shares": ["learner_id", "period"], "trends": ["learner_id"],
                  "thresholds": ["srb_id"], "exit": ["learner_id"]},
    "targets": {"scores": ["learner_id", "review_date"], "by_srb": ["srb_id"]},
    "capacity": {"census": ["srb_id", "census_date"], "occupancy": ["srb_id"],
                 "waits": ["group", "interval"]},
    "outcomes": {"attendance": ["group_type", "group"], "exclusions": ["group_type", "group"]},
}


def family_rows(family: str, ds=None, folder: Path | None = None) -> int:
    """Input rows a family processes (for rows per second)."""
    if family == "loading":
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(f).metadata.num_rows for f in folder.glob("*.parquet"))
    table = {"progress": ["assessments"], "inclusion": ["inclusion"], "targets": ["targets"],
             "capacity": ["placements"],
             "outcomes": ["attendance", "exclusions", "placements"]}[family]
    return sum(len(getattr(ds, t)) for t in table)


def run_impl(family: str, impl: str, inp, size: Size):
    """Run one implementation; returns its raw result (package) or canonical tables."""
    from benchmarks import duckdb_ref, naive

    if family == "loading":
        return {"package": package_loading, "naive": naive.loading,
                "duckdb": duckdb_ref.loading}[impl](inp)
    extra = {"capacity": (census_dates(size),), "outcomes": (YEAR,)}.get(family, ())
    if impl == "package":
        return globals()[f"package_{family}"](inp, *extra)
    return getattr(naive if impl == "naive" else duckdb_ref, family)(inp, *extra)


def canonical(family: str, impl: str, raw) -> dict[str, pd.DataFrame]:
    return globals()[f"canon_{family}"](raw) if impl == "package" else raw


# --------------------------------------------------------------------------- agreement


def _norm(s: pd.Series) -> tuple[str, np.ndarray]:
    """A column as (kind, values) for comparison: float, datetime (ns ints) or text."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_integer_dtype(s) \
            or pd.api.types.is_float_dtype(s):
        return "num", pd.to_numeric(s).astype("Float64").to_numpy(dtype=float,
                                                                   na_value=np.nan)
    if pd.api.types.is_datetime64_any_dtype(s):
        v = pd.to_datetime(s).astype("datetime64[ns]")
        return "date", v.to_numpy().view("i8")
    if s.dtype == object and s.map(lambda v: isinstance(v, pd.Timestamp)).any():
        return _norm(pd.to_datetime(s))
    if s.dtype == object and s.map(lambda v: isinstance(v, (int, float, np.number))
                                   and not isinstance(v, bool)).all():
        return _norm(pd.to_numeric(s))
    obj = s.astype(object)
    return "text", np.array(["<NA>" if v is None or (not isinstance(v, str) and pd.isna(v))
                             else str(v) for v in obj], dtype=object)


def compare(family: str, a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]
            ) -> list[str]:
    """Differences between two sets of canonical tables ([] when they agree).

    Rows are matched on the table's keys; numbers agree within RTOL/ATOL (missing equals
    missing), dates and text exactly.
    """
    diffs = []
    for name, keys in KEYS[family].items():
        x, y = a.get(name), b.get(name)
        if x is None or y is None:
            diffs.append(f"{name}: missing in {'first' if x is None else 'second'}")
            continue
        cols = list(x.columns)
        if sorted(cols) != sorted(y.columns):
            diffs.append(f"{name}: columns differ {sorted(cols)} vs {sorted(y.columns)}")
            continue
        if len(x) != len(y):
            diffs.append(f"{name}: {len(x)} rows vs {len(y)} rows")
        xs = {c: _norm(x[c].reset_index(drop=True)) for c in cols}
        ys = {c: _norm(y[c].reset_index(drop=True)) for c in cols}

        def order(d, n, keys=keys):
            if n == 0:
                return np.arange(0)
            return np.lexsort([d[k][1].astype(str) if d[k][0] == "text" else d[k][1]
                               for k in reversed(keys)])

        ox, oy = order(xs, len(x)), order(ys, len(y))
        if len(x) != len(y):
            kx = {tuple(xs[k][1][i] for k in keys) for i in range(len(x))}
            ky = {tuple(ys[k][1][i] for k in keys) for i in range(len(y))}
            only = sorted(map(str, kx ^ ky))[:3]
            diffs.append(f"{name}: keys only on one side, e.g. {only}")
            continue
        for c in cols:
            (kx_, vx), (ky_, vy) = xs[c], ys[c]
            vx, vy = vx[ox], vy[oy]
            if kx_ != ky_:
                if {kx_, ky_} == {"num", "text"}:  # e.g. all-missing column
                    vx = vx if kx_ == "text" else np.array(
                        ["<NA>" if np.isnan(v) else str(v) for v in vx], dtype=object)
                    vy = vy if ky_ == "text" else np.array(
                        ["<NA>" if np.isnan(v) else str(v) for v in vy], dtype=object)
                    kx_ = ky_ = "text"
                else:
                    diffs.append(f"{name}.{c}: kinds differ ({kx_} vs {ky_})")
                    continue
            if kx_ == "num":
                ok = np.isclose(vx, vy, rtol=RTOL, atol=ATOL, equal_nan=True)
            else:
                ok = vx == vy
            if not np.all(ok):
                i = int(np.flatnonzero(~ok)[0])
                key = {k: xs[k][1][ox][i] for k in keys}
                diffs.append(f"{name}.{c}: {int((~ok).sum())} of {len(ok)} rows differ, "
                             f"e.g. {key}: {vx[i]!r} vs {vy[i]!r}")
    return diffs


# --------------------------------------------------------------------------- children


def _rss_mb() -> float:
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # pragma: no cover
        return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _warm_up(impl: str) -> None:
    """Import what an implementation uses before timing it.

    Importing SciPy and the package's modules (or starting DuckDB) costs about half a
    second once per process; a notebook pays it once, not per metric, so it is not part
    of a metric's time. Every implementation gets the same treatment.
    """
    import importlib

    import scipy.stats  # noqa: F401 - imported for its side effect (loaded modules)

    if impl == "package":
        for m in ("measures.occupancy", "measures.waiting", "measures.forecast",
                  "measures.inclusion", "measures.outcomes", "measures.progress",
                  "measures.targets"):
            importlib.import_module(f"srb_eval.{m}")
    elif impl == "duckdb":
        import duckdb

        duckdb.sql("SELECT 1").fetchall()


def child_measure(spec: dict) -> dict:
    """Run inside a fresh process: load inputs, time one implementation, report."""
    size = SIZES[spec["size"]]
    family, impl = spec["family"], spec["impl"]
    folder = DATA / size.name
    ids = None
    if family == "loading":
        inp = folder
        if impl == "naive" and size.naive_learners:
            with open(ds_cache(size), "rb") as fh:
                ids = sample_ids(pickle.load(fh), size.naive_learners)
            gc.collect()
            inp = sample_folder(size, ids)
        rows_full = family_rows(family, folder=folder)
        rows_run = family_rows(family, folder=inp)
    else:
        with open(ds_cache(size), "rb") as fh:
            ds_full = pickle.load(fh)
        rows_full = family_rows(family, ds_full)
        inp = ds_full
        if impl == "naive" and size.naive_learners and family not in NAIVE_FULL:
            ids = sample_ids(ds_full, size.naive_learners)
            inp = subsample(ds_full, ids)
            del ds_full
        rows_run = family_rows(family, inp)
    _warm_up(impl)
    gc.collect()
    rss_in = _rss_mb()
    times = []
    for _ in range(spec["repeat"]):
        raw = None
        gc.collect()
        t0 = time.perf_counter()
        raw = run_impl(family, impl, inp, size)
        times.append(time.perf_counter() - t0)
    peak = _peak_mb()
    out = {"times": times, "peak_mb": peak, "input_mb": rss_in, "rows_full": rows_full,
           "rows_run": rows_run, "sample": None if ids is None else len(ids),
           "result": canonical(family, impl, raw), "reference": None}
    if spec.get("write_ds") and impl == "package" and family == "loading":
        with open(ds_cache(size), "wb") as fh:
            pickle.dump(raw, fh, protocol=5)
    if ids is not None:  # the package on the same learners, to compare with the naive
        ref_in = sample_folder(size, ids) if family == "loading" else inp
        out["reference"] = canonical(family, "package",
                                     run_impl(family, "package", ref_in, size))
    return out


# notebook code: executed with display and figures stubbed out

def child_notebooks(spec: dict) -> dict:
    """Load the dataset (timed) and run every notebook's code on it (timed each).

    ``IPython.display.display``, ``srb_eval.report.notebook.show_figure`` and every public
    function of ``srb_eval.report.plots`` are replaced by no-ops, and ``load_dataset`` returns the dataset already loaded, so what
    is timed is the computation of every table, sentence and heading the notebooks show
    (figures are timed by the render step instead).
    """
    import warnings

    import IPython.display

    import srb_eval
    import srb_eval.report.notebook
    from srb_eval.data.io import load_dataset
    from srb_eval.report import plots
    from srb_eval.run.nbtools import code_cells

    size = SIZES[spec["size"]]
    folder = DATA / size.name
    t0 = time.perf_counter()
    ds = load_dataset(folder)
    t_load = time.perf_counter() - t0
    peak_load = _peak_mb()
    IPython.display.display = lambda *a, **k: None
    srb_eval.report.notebook.show_figure = lambda *a, **k: None
    srb_eval.load_dataset = lambda *a, **k: ds
    # the capacity report loads through srb_eval.data.io (report.capacity_notes)
    srb_eval.data.io.load_dataset = lambda *a, **k: ds
    import importlib
    import pkgutil

    for m in pkgutil.iter_modules(plots.__path__):
        mod = importlib.import_module(f"srb_eval.report.plots.{m.name}")
        for name in dir(mod):
            obj = getattr(mod, name)
            if callable(obj) and not name.startswith("_") and getattr(
                    obj, "__module__", "") == mod.__name__ and not isinstance(obj, type):
                setattr(mod, name, lambda *a, **k: None)
    params = {
        "data_dir": str(folder),
        "learner_id": str(ds.learners["learner_id"].iloc[0]),
    }
    if spec.get("audience") == "internal":  # (else each notebook's default audience)
        params["audience"] = "internal"
    res = {"load_s": t_load, "peak_load_mb": peak_load, "notebooks": {}}
    for nb in sorted((ROOT / "notebooks").glob("[0-9]*.py")):
        ns: dict = {"__name__": "__main__"}
        first, cells = code_cells(nb)
        t0 = time.perf_counter()
        err = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(first, str(nb), "exec"), ns)
                ns.update({k: v for k, v in params.items() if k in ns})
                for cell in cells:
                    exec(compile(cell, str(nb), "exec"), ns)
        except Exception as exc:  # noqa: BLE001 - report, never stop the benchmark
            err = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            traceback.print_exc()
        res["notebooks"][nb.stem] = {"s": time.perf_counter() - t0, "error": err}
        gc.collect()
    res["peak_mb"] = _peak_mb()
    return res


def _spawn(kind: str, spec: dict, timeout: float = 1800) -> dict:
    """Run a child measurement in a fresh interpreter; return its report.

    The notebooks child gets the memory settings ``srb-eval render`` gives the kernels
    that execute reports (``srb_eval.run.report_kernels.KERNEL_MEMORY_ENV``), as it stands for them.
    """
    from srb_eval.run.report_kernels import KERNEL_MEMORY_ENV

    env = dict(os.environ)
    if kind == "notebooks":
        env = {**KERNEL_MEMORY_ENV, **env}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.pkl"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind,
               json.dumps({**spec, "out": str(out)})]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              env=env)
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or not out.exists():
            return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or
                    ["failed"], "stderr": proc.stderr[-3000:], "wall": wall}
        with open(out, "rb") as fh:
            res = pickle.load(fh)
        res["wall"] = wall
        res["stderr"] = proc.stderr[-3000:]
        return res


# --------------------------------------------------------------------------- render


def measure_render(size: Size, log=print) -> dict:
    """Render the notebooks on ``size`` with ``srb-eval render`` (as a user would) and
    record wall time, the peak of the whole process tree's memory and any failure."""
    import psutil
    import yaml

    folder = ensure_data(size, log)
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="srb-bench-render-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(folder, data, ignore=shutil.ignore_patterns("KEY.json"))
        reports = []
        first_learner = pd.read_parquet(folder / "learners.parquet",
                                        columns=["learner_id"])["learner_id"].iloc[0]
        for nb in notebooks:
            params = {"learner_id": str(first_learner)} if nb.startswith("50_") else {}
            reports.append({"notebook": nb, "parameters": params})
        pfile = tmp / "bench.yaml"
        pfile.write_text(yaml.safe_dump({"title": f"Benchmark render ({size.label})",
                                         "data_dir": str(data), "reports": reports}))
        out = tmp / "rendered"
        cmd = [str(Path(sys.executable).with_name("srb-eval")), "render", str(pfile),
               "--out", str(out), "--jobs", "2"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        peak_total = peak_one = 0.0
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                procs = [root, *root.children(recursive=True)]
                rss = [p.memory_info().rss for p in procs if p.is_running()]
            except psutil.Error:
                rss = []
            if rss:
                peak_total = max(peak_total, sum(rss) / 2**20)
                peak_one = max(peak_one, max(rss) / 2**20)
            time.sleep(0.2)
        stdout, stderr = proc.communicate()
        wall = time.perf_counter() - t0
        per_nb = {}
        manifest = out / "manifest.json"
        if manifest.exists():
            man = json.loads(manifest.read_text())
            for r in man.get("reports", []):
                per_nb[r.get("name", r.get("notebook"))] = {
                    k: r.get(k) for k in ("status", "seconds", "duration_s", "error")
                    if k in r}
        html_sizes = {p.stem: p.stat().st_size for p in out.rglob("*.html")
                      if p.name != "index.html"}
        return {"cmd": " ".join(shlex.quote(c) for c in cmd), "returncode": proc.returncode,
                "wall": wall, "peak_total_mb": peak_total, "peak_one_mb": peak_one,
                "notebooks": notebooks, "per_notebook": per_nb, "html_bytes": html_sizes,
                "tail": (stderr or stdout).strip().splitlines()[-25:]}


# --------------------------------------------------------------------------- report


def machine() -> dict:
    import importlib.metadata as md

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for pkg in ("pandas", "numpy", "pyarrow", "duckdb", "scipy", "pandera", "psutil"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": ram,
            "python": platform.python_version(), "platform": platform.platform(),
            "versions": versions}


def _fmt_s(x: float | None) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "n/a"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:,.0f}"


def _rate(rows: int, s: float) -> str:
    if not s:
        return "n/a"
    r = rows / s
    return f"{r / 1e6:.2f} M" if r >= 1e6 else f"{r / 1e3:.0f} k" if r >= 1e3 else f"{r:.0f}"


def summarise(results: dict) -> list[dict]:
    """One row per size x family with times, ratios and agreement."""
    rows = []
    for size_name, fams in results["sizes"].items():
        for family, r in fams["families"].items():
            p, n, d = r.get("package", {}), r.get("naive", {}), r.get("duckdb", {})

            def best(x):
                return min(x["times"]) if x.get("times") else None

            tp, tn, td = best(p), best(n), best(d)
            tn_full = None
            if tn is not None:
                tn_full = tn * n["rows_full"] / max(n["rows_run"], 1)
            rows.append({
                "size": size_name, "family": family, "rows": p.get("rows_full"),
                "package_s": tp, "package_peak_mb": p.get("peak_mb"),
                "package_input_mb": p.get("input_mb"),
                "naive_s": tn_full, "naive_measured_s": tn, "naive_sample": n.get("sample"),
                "naive_rows_run": n.get("rows_run"), "naive_peak_mb": n.get("peak_mb"),
                "duckdb_s": td, "duckdb_peak_mb": d.get("peak_mb"),
                "vs_naive": tn_full / tp if tp and tn_full else None,
                "vs_duckdb": tp / td if tp and td else None,
                "agree": r.get("agreement", {}),
                "errors": {k: v["error"] for k, v in r.items()
                           if isinstance(v, dict) and v.get("error")},
            })
    return rows


def write_results(results: dict, path: Path = RESULTS) -> None:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{results['command']}` on {results['date']} "
        f"(total run {results['total_s'] / 60:.1f} min). Regenerate with `make bench`.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['nproc']} cores (`nproc`); RAM {m['ram']}",
        f"- Python {m['python']} on {m['platform']}",
        "- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        f"- Load average (1 min) at the start / end of the run: "
        f"{results.get('load_start', float('nan')):.2f} / "
        f"{results.get('load_end', float('nan')):.2f} (with {m['nproc']} cores, more "
        "than that means other work competed). The ratios compare measurements taken "
        "minutes apart in the same run; treat them as indicative within about +-30%.",
        "",
        "## Datasets",
        "",
        "Synthetic, made by `srb_eval.data.demo.write_demo(..., seed=2025, fmt=\"parquet\")` and "
        "cached in `benchmarks/data/` (git-ignored).",
        "",
        "| size | learners | years | rows (all tables) | Parquet on disk |",
        "|---|---:|---:|---:|---:|",
    ]
    for s, info in results["datasets"].items():
        lines.append(f"| {s} | {info['learners']:,} | {info['years']} | {info['rows']:,} | "
                     f"{info['mb']:.0f} MB |")
    lines += [
        "",
        "## Metric families: package vs naive reference vs DuckDB",
        "",
        "Times are wall-clock seconds of the computation only (inputs already in memory; "
        "for loading, from Parquet files), best of "
        + ", ".join(f"{SIZES[s].repeat} ({s})" for s in results["sizes"]) + " runs. "
        "*speed-up* = naive time / package time (target >= 10x); *÷ DuckDB* = package "
        "time / DuckDB time (target <= 3). Peak = peak resident memory of the measuring "
        "process (its inputs included). Naive times marked * were measured on a "
        "subsample of learners and extrapolated linearly in rows (the sample time and "
        "size are in the notes below). DuckDB uses both cores; the package mostly one.",
        "",
        "| size | family | rows | package s | rows/s | peak MB | naive s | DuckDB s "
        "| speed-up | ÷ DuckDB | agree |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    notes = []
    for r in summarise(results):
        agree = r["agree"]
        ok = all(not v for v in agree.values()) and agree and not r["errors"]
        mark = "yes" if ok else "**NO**"
        star = "*" if r["naive_sample"] else ""
        lines.append(
            f"| {r['size']} | {r['family']} | {r['rows']:,} | {_fmt_s(r['package_s'])} | "
            f"{_rate(r['rows'] or 0, r['package_s'])} | "
            f"{r['package_peak_mb']:,.0f} | "
            f"{_fmt_s(r['naive_s'])}{star} | {_fmt_s(r['duckdb_s'])} | "
            + (f"{r['vs_naive']:.0f}x" if r["vs_naive"] else "n/a") + " | "
            + (f"{r['vs_duckdb']:.2f}" if r["vs_duckdb"] else "n/a") + f" | {mark} |")
        if r["naive_sample"]:
            notes.append(f"{r['size']}/{r['family']}: naive measured {r['naive_measured_s']:.1f}"
                         f" s on {r['naive_sample']:,} learners ({r['naive_rows_run']:,} of "
                         f"{r['rows']:,} rows), peak {r['naive_peak_mb']:,.0f} MB")
        for k, v in agree.items():
            if v:
                notes.append(f"{r['size']}/{r['family']}: {k} disagree: " + "; ".join(v[:3]))
        for k, v in r["errors"].items():
            notes.append(f"{r['size']}/{r['family']}: {k} failed: {v}")
    if notes:
        lines += ["", "Notes:", ""] + [f"- {n}" for n in notes]
    lines += ["", "Agreement: package == DuckDB on the whole dataset; naive == package on "
              "the naive's learners. Keys must match exactly, dates and text exactly, "
              f"numbers within rtol = atol = {RTOL:g}.", ""]

    e2e = results.get("end_to_end", {})
    if e2e:
        audience = results.get("audience", "published")
        lines += ["## Every metric the notebooks compute, end to end from Parquet"
                  + ("" if audience == "published" else f" ({audience} reports)"), "",
                  "One process loads the dataset with `load_dataset` and runs the code of "
                  "every notebook in `notebooks/` on it "
                  + ("with its default audience (published reports, disclosure protection "
                     "included; the data-quality report and the learner profile are "
                     "internal)" if audience == "published" else
                     "as internal reports (`--audience internal`: the measures and wording "
                     "without disclosure protection)")
                  + ", with "
                  "`display` and the figure "
                  "functions of `srb_eval.report.plots` replaced by no-ops (figures are covered "
                  "by the render below). The process has the memory settings "
                  "`srb-eval render` gives the kernels that run reports "
                  "(`srb_eval.run.report_kernels.KERNEL_MEMORY_ENV`: freed memory is kept for reuse "
                  "instead of being page-faulted in again). Targets on the England-size "
                  "dataset: total "
                  f"<= {TARGET_TOTAL_S:.0f} s, peak <= {TARGET_PEAK_MB / 1024:.0f} GB.",
                  "", "| size | load s | " + " | ".join(
                      f"{nb} s" for nb in next(iter(e2e.values())).get("notebooks", {}))
                  + " | total s | peak MB | errors |",
                  "|---|---:|" + "---:|" * len(next(iter(e2e.values())).get("notebooks", {}))
                  + "---:|---:|---|"]
        for s, r in e2e.items():
            if "error" in r and "notebooks" not in r:
                lines.append(f"| {s} | failed: {r['error']} |")
                continue
            nbs = r["notebooks"]
            total = r["load_s"] + sum(v["s"] for v in nbs.values())
            errs = "; ".join(f"{k}: {v['error']}" for k, v in nbs.items() if v["error"])
            lines.append(f"| {s} | {_fmt_s(r['load_s'])} | " + " | ".join(
                _fmt_s(v["s"]) for v in nbs.values()) + f" | **{_fmt_s(total)}** | "
                f"{r['peak_mb']:,.0f} | {errs or 'none'} |")
        lines.append("")

    rd = results.get("render")
    if rd:
        lines += ["## Notebooks rendered on the Wales-size dataset", "",
                  f"`{rd['cmd']}` (parameter file naming {', '.join(rd['notebooks'])}; "
                  "data copied to a temporary folder).", "",
                  f"- exit code {rd['returncode']}, wall time {rd['wall']:.0f} s",
                  f"- peak memory: largest single process {rd['peak_one_mb']:,.0f} MB; whole "
                  f"process tree (sampled every 0.2 s) {rd['peak_total_mb']:,.0f} MB",
                  "- HTML sizes: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in
                                                sorted(rd["html_bytes"].items()))]
        if rd["returncode"] != 0:
            lines += ["- failure output (last lines):", "", "```"] + rd["tail"] + ["```"]
        lines.append("")

    lines += ["## Targets (England-size dataset)", ""]
    for t in results.get("targets", []):
        lines.append(f"- {t}")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def check_targets(results: dict) -> list[str]:
    out = []
    e = results.get("end_to_end", {}).get("england")
    if e and "notebooks" in e and results.get("audience", "published") == "published":
        total = e["load_s"] + sum(v["s"] for v in e["notebooks"].values())
        out.append(f"End to end (load + every notebook's computations): {total:.1f} s "
                   f"(target <= {TARGET_TOTAL_S:.0f} s): "
                   + ("met" if total <= TARGET_TOTAL_S else "**not met**")
                   + f"; peak {e['peak_mb']:,.0f} MB (target <= {TARGET_PEAK_MB:,} MB): "
                   + ("met" if e["peak_mb"] <= TARGET_PEAK_MB else "**not met**"))
    for r in summarise(results):
        if r["size"] != "england":
            continue
        bits = []
        if r["vs_naive"] is not None:
            bits.append(f"{r['vs_naive']:.0f}x faster than naive "
                        + ("(met)" if r["vs_naive"] >= TARGET_VS_NAIVE else "(**not met**)"))
        if r["vs_duckdb"] is not None:
            bits.append(f"{r['vs_duckdb']:.2f}x DuckDB's time "
                        + ("(met)" if r["vs_duckdb"] <= TARGET_VS_DUCKDB else "(**not met**)"))
        out.append(f"{r['family']}: " + ", ".join(bits))
    return out


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    ap.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    ap.add_argument("--no-render", action="store_true", help="skip the Wales-size render")
    ap.add_argument("--no-notebooks", action="store_true",
                    help="skip the end-to-end notebook computation")
    ap.add_argument("--audience", choices=("published", "internal"), default="published",
                    help="audience of the end-to-end notebook runs: published (the "
                         "notebooks' default: disclosure protection included) or internal "
                         "(the measures and wording without it)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--child", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, spec = args.child[0], json.loads(args.child[1])
        res = child_measure(spec) if kind == "measure" else child_notebooks(spec)
        with open(spec["out"], "wb") as fh:
            pickle.dump(res, fh, protocol=5)
        return 0

    t_start = time.perf_counter()
    argv_shown = argv if argv is not None else sys.argv[1:]
    results = {"machine": machine(), "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
               "command": ".venv/bin/python benchmarks/run.py " + " ".join(argv_shown),
               "sizes": {}, "datasets": {}, "end_to_end": {}, "audience": args.audience,
               "load_start": os.getloadavg()[0]}
    if argv is None and not argv_shown:
        results["command"] = "make bench (.venv/bin/python benchmarks/run.py)"

    def log(msg):
        print(msg, flush=True)

    for name in args.sizes:
        size = SIZES[name]
        log(f"== {name}: {size.learners:,} learners, {size.years} years")
        folder = ensure_data(size, log)
        import pyarrow.parquet as pq

        results["datasets"][name] = {
            "learners": size.learners, "years": size.years,
            "rows": sum(pq.ParquetFile(f).metadata.num_rows for f in folder.glob("*.parquet")),
            "mb": sum(f.stat().st_size for f in folder.glob("*.parquet")) / 2**20}
        fams = {}
        # the package loader first: it also writes the loaded dataset for the others
        order = ["loading"] + [f for f in args.families if f != "loading"]
        for family in order:
            r = fams[family] = {}
            for impl in ("package", "duckdb", "naive"):
                if family not in args.families and not (family == "loading" and
                                                         impl == "package"):
                    continue
                spec = {"size": name, "family": family, "impl": impl, "repeat": size.repeat,
                        "write_ds": family == "loading"}
                r[impl] = _spawn("measure", spec)
                x = r[impl]
                if "error" in x:
                    log(f"  {family:10s} {impl:8s} FAILED: {x['error']}\n{x['stderr']}")
                else:
                    extra = f" (sample of {x['sample']} learners)" if x["sample"] else ""
                    log(f"  {family:10s} {impl:8s} {min(x['times']):8.2f} s  peak "
                        f"{x['peak_mb']:7.0f} MB{extra}")
            agreement = {}
            if "error" not in r.get("package", {"error": 1}):
                pk = r["package"]["result"]
                for impl in ("duckdb", "naive"):
                    x = r.get(impl)
                    if x is None or "error" in x:
                        continue
                    ref = x["reference"] if x.get("reference") is not None else pk
                    agreement[f"package-{impl}"] = compare(family, ref, x["result"])
                    state = "agree" if not agreement[f"package-{impl}"] else \
                        "DISAGREE: " + "; ".join(agreement[f"package-{impl}"][:3])
                    log(f"  {family:10s} package vs {impl}: {state}")
            r["agreement"] = agreement
            for x in r.values():
                if isinstance(x, dict):
                    x.pop("result", None)
                    x.pop("reference", None)
        if "loading" not in args.families:
            fams.pop("loading")
        results["sizes"][name] = {"families": fams}
        if not args.no_notebooks:
            log("  notebooks end to end ...")
            e2e = _spawn("notebooks", {"size": name, "audience": args.audience})
            results["end_to_end"][name] = e2e
            if "notebooks" in e2e:
                total = e2e["load_s"] + sum(v["s"] for v in e2e["notebooks"].values())
                log(f"  end to end: load {e2e['load_s']:.1f} s, total {total:.1f} s, peak "
                    f"{e2e['peak_mb']:.0f} MB; " + ", ".join(
                        f"{k} {v['s']:.1f}s" + (" ERROR" if v["error"] else "")
                        for k, v in e2e["notebooks"].items()))
            else:
                log(f"  end to end FAILED: {e2e.get('error')}\n{e2e.get('stderr')}")
        ds_cache(size).unlink(missing_ok=True)
    if not args.no_render:
        log("== render on the Wales-size dataset ...")
        results["render"] = measure_render(SIZES["wales"], log)
        rd = results["render"]
        log(f"  render: exit {rd['returncode']}, {rd['wall']:.0f} s, peak tree "
            f"{rd['peak_total_mb']:.0f} MB")
    results["targets"] = check_targets(results)
    results["load_end"] = os.getloadavg()[0]
    results["total_s"] = time.perf_counter() - t_start
    write_results(results, args.out)
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "results.json").write_text(json.dumps(results, indent=1, default=str))
    log(f"wrote {args.out} ({results['total_s'] / 60:.1f} min)")
    for t in results["targets"]:
        log("  " + t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
