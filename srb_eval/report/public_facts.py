"""What anyone knows about the SRBs, as a disclosure record the audit adds to the tables.

An SRB's phase, language of provision and school area are public (a local authority
lists its resource bases), so a reader of the published reports knows that no learner of
a primary SRB is counted in the secondary phase, that a Welsh-medium SRB has no learner
in an English-medium count, and that a learner of home area CL1 on roll in an SRB of
CL4 is "in another area". Every count that pairs an SRB with another phase, language or
area is a known 0, and knowing it may narrow a hidden count (a phase's total minus the
SRBs of that phase). :func:`public_facts_record` writes these zeros as a record of cells
showing ``"0"``, for every measure of the published records that is broken down by SRB
and by one of these dims; ``srb-eval render`` writes it into the published folder
(``tables/public_facts/srbs.disclosure.json``), where the render's own audit and
``srb-eval audit`` read it with the reports' records.

The record holds nothing that is not public: the SRB ids and the categories of the
published records' partitions, and which of them an SRB's public phase, language and
area rule out. No count of learners is in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..errors import check_argument
from ..measures import sufficiency as SU
from ..measures import travel as T
from .audit import RECORD_FORMAT
from .disclosure import DEFAULT_THRESHOLDS, SUPPRESSED_TEXT
from .value_for_money import LANGUAGE_WORDS

__all__ = ["AREA_DIM", "FACT_DIMS", "FACTS_TABLE", "public_facts_record", "srb_facts"]

#: The record's table name (its file is ``<FACTS_TABLE>.disclosure.json``).
FACTS_TABLE = "srbs"
#: The dims of a record that an SRB's public facts fix, and the dim of the SRB's area
#: against a learner's home area (:func:`srb_eval.measures.travel.travel_by_area`).
FACT_DIMS = ("phase", "language of provision")
AREA_DIM = "SRB area"


def srb_facts(srbs: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Each SRB's public facts, as the published records name them.

    Returns ``{srb_id: {"phase": ..., "language of provision": ..., "school_area": ...}}``:
    the phase as given, the language as its published word (``"Welsh-medium"``,
    ``"not recorded"`` where empty or without the column), the area code
    (``"not recorded"`` likewise). An SRB without a phase is left out: the reports name
    its phase in their own way, so no fact about it is known for sure (a fact that named
    the missing phase differently would fix the SRB's own category at 0).

    Examples
    --------
    >>> srb_facts(pd.DataFrame({"srb_id": ["S1", "S2"], "phase": ["primary", None],
    ...                         "language_of_provision": ["welsh", "welsh"]}))
    {'S1': {'phase': 'primary', 'language of provision': 'Welsh-medium', 'school_area': 'not recorded'}}
    """
    check_argument(isinstance(srbs, pd.DataFrame) and {"srb_id", "phase"} <= set(srbs.columns),
                   "srbs", "the srbs table (srb_id, phase)", type(srbs).__name__)
    srbs = srbs.drop_duplicates("srb_id")
    srbs = srbs.loc[srbs["phase"].notna()]
    language = SU.language_of(srbs).map(lambda v: str(LANGUAGE_WORDS.get(v, v)))
    area = T.area_of(srbs, "school_area")
    return {str(s): {"phase": str(p), "language of provision": lang, "school_area": a}
            for s, p, lang, a in zip(srbs["srb_id"], srbs["phase"], language, area,
                                     strict=True)}


def _area_zeros(srb_area: str, homes: Sequence[str]) -> list[tuple[str, str]]:
    """(home area, where) pairs an SRB of area ``srb_area`` cannot have."""
    out = []
    for home in homes:
        if home == T.NOT_RECORDED or srb_area == T.NOT_RECORDED:
            possible = T.WHERE[2]  # only "area not recorded"
        else:
            possible = T.WHERE[0] if home == srb_area else T.WHERE[1]
        out += [(home, w) for w in T.WHERE if w != possible]
    return out


def _zero_keys(dims: Mapping[str, Sequence[str]], facts: Mapping[str, Mapping[str, str]]
               ) -> list[dict[str, str]]:
    """The keys of one measure (its partitioned ``dims``) that the facts fix at 0."""
    keys = []
    for srb in dims.get("srb_id", []):
        fact = facts.get(srb)
        if fact is None:
            continue
        for dim in FACT_DIMS:
            keys += [{"srb_id": srb, dim: c} for c in dims.get(dim, []) if c != fact[dim]]
        if AREA_DIM in dims and "home_area" in dims:
            keys += [{"srb_id": srb, "home_area": h, AREA_DIM: w}
                     for h, w in _area_zeros(fact["school_area"], dims["home_area"])
                     if w in dims[AREA_DIM]]
    return keys


def public_facts_record(records: Sequence[Mapping], srbs: pd.DataFrame) -> dict:
    """The record of counts the SRBs' public facts fix at 0, for the measures of ``records``.

    Parameters
    ----------
    records : sequence of dict
        The published disclosure records (their partitions say which measures are broken
        down by ``srb_id`` and by phase, language of provision or home area and
        :data:`AREA_DIM`).
    srbs : pandas.DataFrame
        The ``srbs`` table of the data the reports were made from.

    Returns
    -------
    dict
        A record (``report`` "public facts about the SRBs", table :data:`FACTS_TABLE`)
        whose cells all show ``"0"``; no partitions (the reports' records hold them).
        An SRB that no published partition names is left out.

    Examples
    --------
    >>> rec = {"partitions": [{"measure": "m", "dim": "srb_id", "categories": ["S1"]},
    ...        {"measure": "m", "dim": "phase", "categories": ["primary", "secondary"]}]}
    >>> srbs = pd.DataFrame({"srb_id": ["S1", "S2"], "phase": ["primary", "secondary"]})
    >>> [(c["dims"], c["text"]) for c in public_facts_record([rec], srbs)["cells"]]
    [({'srb_id': 'S1', 'phase': 'secondary'}, '0')]
    """
    facts = srb_facts(srbs)
    parts: dict[str, dict[str, list[str]]] = {}
    for r in records:
        for p in r.get("partitions", []):
            parts.setdefault(p["measure"], {})[p["dim"]] = [str(c) for c in p["categories"]]
    cells = [{"table": FACTS_TABLE, "row": 0, "column": "count", "measure": m, "dims": k,
              "text": "0"}
             for m, dims in sorted(parts.items()) for k in _zero_keys(dims, facts)]
    for i, c in enumerate(cells):
        c["row"] = i
    t = DEFAULT_THRESHOLDS
    return {"format": RECORD_FORMAT, "report": "public facts about the SRBs",
            "policy": {"min_count": t.min_count, "round_to": t.round_to,
                       "small_count_text": t.small_count_text,
                       "suppressed_text": SUPPRESSED_TEXT},
            "cells": cells, "partitions": [], "ratios": []}
