"""Figures published in a local authority's 2020 SEN strategy, in the package's tables.

The strategy (Monmouthshire County Council, 2020: *Estyn R3: Articulate a clear strategy
for SEN provision*, consultation draft) prints each resource base's age range, places and
numbers in autumn 2020 (Fig. 3) and the share of statemented pupils by SEN category in
January and November 2020 (Fig. 2). They are transcribed in ``data/published`` (see its
README for the mapping choices); the functions here read them into the ``srbs`` table and
a census table, so the measures can be run on them and checked against the source.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.errors

from ..errors import ParameterError, check_argument
from ..paths import PUBLISHED_DATA_DIR
from . import schema as S

__all__ = ["FIG2_FILE", "FIG2_NEED_CODES", "FIG3_CENSUS_DATE", "FIG3_DESIGNATIONS",
           "FIG3_FILE", "PublishedFig3", "load_published_fig2", "load_published_fig3"]

FIG3_FILE = "fig3_resource_bases.csv"
FIG2_FILE = "fig2_sen_category_shares.csv"
#: "Numbers Autumn 2020" in Fig. 3: the exact day is not published; 1 October 2020 is
#: used (the autumn term; the strategy's action plan is dated October 2020).
FIG3_CENSUS_DATE = pd.Timestamp("2020-10-01")
FIG3_LOCAL_AUTHORITY = "Monmouthshire"
#: Fig. 3 designations (lower case, final full stop removed) -> need codes.
FIG3_DESIGNATIONS: dict[str, str] = {
    "severe and complex learning needs; autistic spectrum disorder and other pervasive "
    "developmental disorders": "SLD;ASD",
    "complex needs class": "OTHER",
}
#: Fig. 2 SEN categories (exact text) -> need codes of the srb-eval vocabulary.
FIG2_NEED_CODES: dict[str, str] = {
    "Autistic Spectrum Disorder (ASD)": "ASD",
    "Physical /Medical": "PMED",
    "Cognition and Learning (GLD, MLD, SLD, PMLD & Including Downs Syndrome)": "MLD;SLD;PMLD",
    "Behavioural, Emotional & Social Difficulties": "SEMH",
    "Speech, Language & Communication Difficulties": "SLCN",
    "Sensory Needs (Visual and Hearing Impairment)": "SENSORY",
    "Specific Learning Difficulties ADHD": "ADHD",
    "Specific Learning difficulties (Dyslexia /Dyspraxia)": "SPLD",
}


class PublishedFig3(NamedTuple):
    """Fig. 3 of the 2020 strategy in the package's tables.

    Attributes
    ----------
    srbs : pandas.DataFrame
        The ``srbs`` table (:class:`srb_eval.data.schema.Srbs`) plus ``designation_text``
        (as printed).
    census : pandas.DataFrame
        ``srb_id``, ``census_date`` (:data:`FIG3_CENSUS_DATE`), ``on_roll``.
    source : str
        The citation.
    files : dict of str to str
        The file read, for provenance.
    """

    srbs: pd.DataFrame
    census: pd.DataFrame
    source: str
    files: dict[str, str]


def _published_file(path: str | Path, name: str) -> Path:
    p = Path(path)
    if p.is_dir():
        p = p / name
    check_argument(p.is_file(), "path", f"a folder holding {name} (or the file itself)", str(path),
                   error=ParameterError)
    return p


def _citation(df: pd.DataFrame) -> str:
    row = df.iloc[0]
    return (f"{row['source_authority']} ({row['source_date']}). {row['source_document']}, "
            f"{row['source_figure']}.")


def load_published_fig3(path: str | Path = PUBLISHED_DATA_DIR) -> PublishedFig3:
    """Fig. 3 of the 2020 SEN strategy as an ``srbs`` table and a census table.

    Parameters
    ----------
    path : str or Path, default ``data/published``
        The folder holding ``fig3_resource_bases.csv`` (or the file itself).

    Returns
    -------
    PublishedFig3
        ``srbs`` with columns ``srb_id, name, local_authority, phase, age_from, age_to,
        capacity, designation, designation_text``; ``census`` with ``srb_id,
        census_date, on_roll``; the citation; the file read.

    Notes
    -----
    Mapping choices (also in ``data/published/README.md``):

    - ``srb_id``: the school's name without "Primary/Secondary/Comprehensive School",
      upper case, spaces as ``_`` (``OVERMONNOW``, ``DERI_VIEW``);
    - ``name``: the school's name as printed; ``local_authority``: "Monmouthshire";
    - ``phase`` from the age range: ``age_to <= 11`` primary, ``age_from >= 11``
      secondary, otherwise all-through;
    - ``designation`` (need codes) from :data:`FIG3_DESIGNATIONS`: "Severe and complex
      learning needs; autistic spectrum disorder and other pervasive developmental
      disorders" -> ``SLD;ASD``; "Complex Needs Class" -> ``OTHER`` (no need category is
      named); text not in the mapping -> empty. ``designation_text`` keeps the text;
    - ``census_date``: "Numbers Autumn 2020" -> :data:`FIG3_CENSUS_DATE` (1 October 2020,
      the exact day is not published).

    The ``srbs`` table is checked against :class:`srb_eval.data.schema.Srbs`.

    References
    ----------
    .. [1] Monmouthshire County Council (2020). *Estyn R3: Articulate a clear strategy
       for SEN provision. Building a Sustainable and Resilient Future for Learners with
       SEN in Monmouthshire* (consultation draft), Fig. 3.

    Examples
    --------
    >>> fig3 = load_published_fig3()
    >>> fig3.census.set_index("srb_id")["on_roll"].to_dict()
    {'OVERMONNOW': 20, 'PEMBROKE': 19, 'DERI_VIEW': 3, 'CALDICOT': 49, 'MONMOUTH': 25}
    """
    f = _published_file(path, FIG3_FILE)
    raw = pd.read_csv(f, dtype=str, keep_default_na=False)
    need = ["name_of_school", "age_range", "capacity", "numbers_autumn_2020", "designation"]
    missing = [c for c in need if c not in raw.columns]
    check_argument(not missing, "path", f"a Fig. 3 file with columns {need}", f"missing {missing}",
                   error=ParameterError)
    name = raw["name_of_school"].str.strip()
    ids = (name.str.replace(r"\s+(Primary|Secondary|Comprehensive|High)?\s*School$", "",
                            regex=True, flags=re.IGNORECASE)
           .str.strip().str.upper().str.replace(r"[^A-Z0-9]+", "_", regex=True))
    ages = raw["age_range"].str.extract(r"^\s*(\d+)\s*[-\u2013]\s*(\d+)\s*$")
    check_argument(ages.notna().all().all(), "path", "age ranges written like '4-11'",
                   raw.loc[ages.isna().any(axis=1), "age_range"].tolist(), error=ParameterError)
    age_from = ages[0].astype("int64")
    age_to = ages[1].astype("int64")
    phase = np.where(age_to <= 11, "primary", np.where(age_from >= 11, "secondary",
                                                      "all-through"))
    text = raw["designation"].str.strip()
    key = text.str.lower().str.rstrip(".").str.strip()
    designation = key.map(FIG3_DESIGNATIONS)
    capacity = pd.to_numeric(raw["capacity"], errors="coerce")
    on_roll = pd.to_numeric(raw["numbers_autumn_2020"], errors="coerce")
    check_argument(capacity.notna().all() and on_roll.notna().all(), "path",
                   "whole numbers in capacity and numbers_autumn_2020", f.name,
                   error=ParameterError)
    srbs = pd.DataFrame({
        "srb_id": ids.astype("str"),
        "name": name.astype("str"),
        "local_authority": pd.Series(FIG3_LOCAL_AUTHORITY, index=raw.index, dtype="str"),
        "phase": pd.Series(phase, index=raw.index, dtype="str"),
        "age_from": age_from.astype("Int64"),
        "age_to": age_to.astype("Int64"),
        "capacity": capacity.astype("Int64"),
        "designation": designation.astype("str"),
    })
    try:
        S.Srbs.validate(srbs, lazy=True)
    except pandera.errors.SchemaErrors as err:  # pragma: no cover - data file edited badly
        raise ParameterError(f"path: {f} does not map onto the srbs table:\n"
                         f"{err.failure_cases}") from err
    srbs["phase"] = pd.Categorical(srbs["phase"], categories=list(S.PHASES))
    srbs["designation_text"] = text.astype("str")
    census = pd.DataFrame({"srb_id": srbs["srb_id"], "census_date": FIG3_CENSUS_DATE,
                           "on_roll": on_roll.astype("Int64")})
    source = _citation(raw) if "source_document" in raw.columns else str(f)
    return PublishedFig3(srbs, census, source, {"fig3": str(f)})


def load_published_fig2(path: str | Path = PUBLISHED_DATA_DIR) -> pd.DataFrame:
    """Fig. 2 of the 2020 strategy: share of statemented pupils by SEN category.

    Parameters
    ----------
    path : str or Path, default ``data/published``
        The folder holding ``fig2_sen_category_shares.csv`` (or the file itself).

    Returns
    -------
    pandas.DataFrame
        One row per SEN category, in the order printed: ``sen_category`` (as printed),
        ``need_codes`` (``;``-separated codes, :data:`FIG2_NEED_CODES`),
        ``pct_jan_2020``, ``pct_nov_2020`` (percentages as printed) and
        ``change_points`` (November minus January, percentage points).

    Notes
    -----
    These are shares of *all* pupils with statements in the authority, not of SRB
    learners, and no counts are published, so no test of the change is possible. The
    January column sums to 97.8% as printed.

    References
    ----------
    .. [1] Monmouthshire County Council (2020). *Estyn R3: Articulate a clear strategy
       for SEN provision* (consultation draft), Fig 2.

    Examples
    --------
    >>> fig2 = load_published_fig2()
    >>> fig2.loc[0, ["need_codes", "pct_jan_2020", "pct_nov_2020", "change_points"]].to_dict()
    {'need_codes': 'ASD', 'pct_jan_2020': 31.0, 'pct_nov_2020': 35.0, 'change_points': 4.0}
    """
    f = _published_file(path, FIG2_FILE)
    raw = pd.read_csv(f, dtype=str, keep_default_na=False)
    jan = pd.to_numeric(raw["pct_statemented_jan_2020"], errors="coerce")
    nov = pd.to_numeric(raw["pct_statemented_nov_2020"], errors="coerce")
    cat = raw["sen_category"].str.strip()
    out = pd.DataFrame({
        "sen_category": cat.astype("str"),
        "need_codes": cat.map(FIG2_NEED_CODES).astype("str"),
        "pct_jan_2020": jan.astype("float64"),
        "pct_nov_2020": nov.astype("float64"),
    })
    out["change_points"] = (out["pct_nov_2020"] - out["pct_jan_2020"]).round(6)
    return out


# --------------------------------------------------------------------------- occupancy
