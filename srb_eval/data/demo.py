"""Deterministic synthetic datasets: the embedded demo and the benchmark data.

:func:`generate` builds the fifteen tables of the data dictionary (docs/data-dictionary.md) for a fictional local
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
- A comparison group (:mod:`srb_eval.data.demo_comparison`): as many learners with
  additional learning needs who were not placed, with standard scores in literacy and
  numeracy, for the matched comparison of report 60.
- Money (:mod:`srb_eval.data.demo_costs`): what each SRB cost in each financial year,
  placements outside the authority's SRBs with their fees and transport, and a price
  index, for the value-for-money report (45). Every figure is invented.
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

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from . import schema as S
from .demo_comparison import comparison_tables
from .demo_costs import area_columns, cost_tables
from .demo_population import (
    INSTRUMENTS,
    Calendar,
    draw_learners,
    learners_frame,
    place,
    placements_frame,
    plan_srbs,
    srbs_frame,
    terms_on_roll,
    vocab,
)
from .demo_records import assessments, attendance, exclusions, inclusion, qualifications, targets
from .files import current_umask
from .io import write_dataset

__all__ = ["DEFAULT_LA", "generate", "write_demo"]

DEFAULT_LA = "Sir Enghraifft (synthetic demo authority)"


# --------------------------------------------------------------------------- public API


def generate(n_learners: int = 150, years: int = 4, *, seed: int = 2025, end_year: int = 2026,
             la_name: str = DEFAULT_LA) -> dict[str, pd.DataFrame]:
    """A synthetic dataset: all fifteen tables of the data dictionary.

    The comparison group (learners not placed in an SRB) and the money (SRB costs,
    placements outside the SRBs, a price index) each come from a random stream of their
    own (:mod:`srb_eval.data.demo_comparison`, :mod:`srb_eval.data.demo_costs`): the
    other tables are the same with or without them.

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
    # 0-10 as before the comparison group (11), the money (12) and the SRBs' language and
    # areas (13): spawning more streams leaves the first ones unchanged
    streams = np.random.default_rng(seed).spawn(14)
    cal = Calendar(end_year - years, 3 * years)
    srbs = plan_srbs(streams[0], n_learners, years)
    lrn = draw_learners(streams[1], srbs, cal)
    width = max(4, len(str(n_learners)))
    ids = np.char.add("L", np.char.zfill(np.arange(1, n_learners + 1).astype(str), width))
    placements = place(streams[2], lrn, srbs, cal)
    roll = terms_on_roll(placements, cal)
    srb_frame = srbs_frame(srbs, la_name)
    instruments = INSTRUMENTS.astype({"instrument": "str"}).assign(
        scale=vocab(np.array([S.SCALES.index(s) for s in INSTRUMENTS["scale"]]), S.SCALES))
    placement_frame = placements_frame(streams[4], placements, srbs, srb_frame["srb_id"], ids)
    srb_areas, learner_frame = area_columns(
        streams[13], srb_frame, learners_frame(streams[3], lrn, ids, cal, la_name),
        placement_frame)
    return {
        "srbs": srb_areas,
        "learners": learner_frame,
        "placements": placement_frame,
        "instruments": instruments,
        "assessments": assessments(streams[5], roll, placements, lrn, srbs, cal, ids),
        "inclusion": inclusion(streams[6], roll, lrn, ids),
        "targets": targets(streams[7], placements, lrn, cal, ids),
        "attendance": attendance(streams[8], roll, lrn, ids),
        "exclusions": exclusions(streams[9], roll, placements, lrn, cal, ids),
        "qualifications": qualifications(streams[10], roll, placements, lrn, srbs, cal, ids),
        **comparison_tables(streams[11], n_learners, cal, instruments),
        **cost_tables(streams[12], srb_frame, n_learners, cal),
    }


def _for_files(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Tables as written: birth month as ``YYYY-MM``, whole-number floats as integers."""
    out = {}
    for name, df in tables.items():
        df = df.copy()
        if name in ("learners", "comparison_learners"):
            df["birth_month"] = df["birth_month"].dt.strftime("%Y-%m")
        for col in df.columns:
            s = df[col]
            if s.dtype == np.float64:
                v = s.to_numpy()
                if np.array_equal(v[~np.isnan(v)], np.rint(v[~np.isnan(v)])):
                    df[col] = s.astype("Int64")
        out[name] = df
    return out


#: The first line of the README written beside demo data (the one README ``--force``
#: replaces).
README_TITLE = "# Synthetic demo dataset"


def _readme(tables: dict[str, pd.DataFrame], *, n_learners: int, years: int, seed: int,
            end_year: int) -> str:
    """The README written beside the tables: what the data are and how to remake them."""
    rows = "\n".join(f"| `{name}` | {len(df):,} | "
                     f"{' '.join((S.TABLES[name].model.__doc__ or '').split())} |"
                     for name, df in tables.items())
    call = f"n_learners={n_learners}, years={years}, seed={seed}"
    if end_year != 2026:
        call += f", end_year={end_year}"
    return f"""{README_TITLE}

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
    if out.exists() and not out.is_dir():
        raise ParameterError(f"{out}: is a file, not a folder; choose a new folder for the "
                             "demo data")
    if out.exists() and any(out.iterdir()) and not force:
        raise ParameterError(f"{out}: exists and is not an empty folder; the demo data would "
                             "replace files in it. Choose a new folder (or pass --force to "
                             "write into it)")
    readme = out / "README.md"
    if readme.exists() and not (readme.is_file() and not readme.is_symlink()
                                and readme.read_bytes().startswith(README_TITLE.encode())):
        raise ParameterError(f"{readme}: is not the README of demo data, and --force replaces "
                             "tables only; move it away first")
    tables = generate(n_learners, years, seed=seed, end_year=end_year)
    written = write_dataset(_for_files(tables), out, fmt=fmt)
    other = "parquet" if fmt == "csv" else "csv"
    for name in tables:
        (out / f"{name}.{other}").unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".README.md.", suffix=".tmp", dir=out)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(_readme(tables, n_learners=n_learners, years=years, seed=seed,
                        end_year=end_year))
    os.chmod(tmp, 0o666 & ~current_umask())
    os.replace(tmp, readme)
    return [*written, readme]
