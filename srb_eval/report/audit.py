"""The disclosure audit: can a reader of the published tables recover a hidden count?

A published count cell counts the units of one *measure* (say ``"learners_by_band"``) with
some of its dims fixed; its *key* is the measure plus the fixed dims (a dim set to the
total label, ``"All"``, is not fixed), so the same key in two tables or two reports is one
unknown. A :class:`Partition` says that a dim of a measure has exactly these categories,
so every count not fixing that dim is the sum of its parts. Together with what each
published text says about its count (``"12"`` exact, ``"<5"`` from 1 to 4, ``"[c]"``
anything, a rounded ``"15"`` from 13 to 17, a percentage bounds a ratio) this gives a
system of linear constraints on whole numbers; the feasible range of every hidden count
is found by linear and integer programming with HiGHS (:mod:`srb_eval.report.audit_ilp`:
its smallest and its largest value, each an optimum over the published constraints). A
``"<5"`` passes only if every value from 1 to 4 is still possible; a ``"[c]"`` passes if
its range holds all of 1 to 4 or none of it.

The audit knows only what the records say: knowledge from outside the reports (a
parent who knows their child's SRB, a class list) is not modelled.

Record format (JSON-able; :func:`check_record` validates it)::

    {"format": "srb-eval disclosure record 1", "report": "20_inclusion",
     "policy": {"min_count": 5, "round_to": None, "small_count_text": "<5",
                "suppressed_text": "[c]"},
     "cells": [{"table": "trend", "row": 0, "column": "falling", "measure": "learners",
                "dims": {"srb_id": "SRB04", "trend": "falling"}, "text": "<5"}],
     "partitions": [{"measure": "learners", "dim": "trend",
                     "categories": ["falling", "steady", "rising"]}],
     "ratios": [{"table": "trend", "row": 0, "column": "pct", "text": "40%", "decimals": 0,
                 "numerator": {"measure": "learners", "dims": {"trend": "rising"}},
                 "denominator": {"measure": "learners", "dims": {}}}],
     "sums": [{"whole": {"measure": "demand", "dims": {}},
               "parts": [{"measure": "on_roll", "dims": {}},
                         {"measure": "awaiting", "dims": {}}]}]}

``ratios`` and ``sums`` are optional. A sum says that the count of one key is the sum of
the counts of others, of other measures (a table's "demand" column adding up learners on
roll, awaiting a start and placed outside); the parts of one measure along a dim are a
partition's business.

References
----------
.. [1] Office for National Statistics / Government Statistical Service (2014).
   *Disclosure control guidance for tables produced from administrative sources*.
.. [2] Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, chapter 4
   (magnitude and frequency tables; secondary suppression; the audit of a suppressed
   table by linear programming).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .audit_ilp import LinearSystem, positive_possible, solve_ranges
from .audit_rules import AuditError, Key, key_text, need, text_bounds, verdict
from .cube_protection import count_cube, protect_cube
from .disclosure import DEFAULT_THRESHOLDS, SUPPRESSED_TEXT, Thresholds, check_thresholds

__all__ = ["RECORD_FORMAT", "AuditError", "Partition", "check_record", "count_cube",
           "cube_record", "feasible_ranges", "key_text", "protect_cube"]

#: The ``format`` field every record carries.
RECORD_FORMAT = "srb-eval disclosure record 1"
_PERCENT = re.compile(r"^(\d+(\.\d+)?)%$")


@dataclass(frozen=True)
class Partition:
    """Dim ``dim`` of ``measure`` has exactly ``categories`` (parts that sum to the whole).

    In a record a partition is the dict ``{"measure", "dim", "categories"}``;
    :func:`check_record` also accepts a ``Partition`` there.

    Examples
    --------
    >>> Partition("learners", "phase", ("primary", "secondary")).categories
    ('primary', 'secondary')
    """

    measure: str
    dim: str
    categories: tuple[str, ...]


def _key(measure: Any, dims: Any, total: str, where: str) -> Key:
    need(isinstance(measure, str) and measure != "", f"{where}.measure", "must be a text")
    need(isinstance(dims, Mapping), f"{where}.dims", "must be a dict of dim to category")
    fixed = tuple(sorted((str(d), str(c)) for d, c in dims.items() if str(c) != total))
    return measure, fixed


#: The fields of a record's cell and their kinds.
_CELL_FIELDS = (("table", str), ("row", int), ("column", str), ("measure", str),
                ("dims", Mapping), ("text", str))


def check_record(record: Any) -> dict:
    """Validate a disclosure record; return it with categories as text.

    Raises
    ------
    AuditError
        Naming the first field that is missing or of the wrong kind.

    Examples
    --------
    >>> r = check_record({"format": RECORD_FORMAT, "report": "r", "policy": {
    ...     "min_count": 5, "round_to": None, "small_count_text": "<5",
    ...     "suppressed_text": "[c]"}, "cells": [], "partitions": []})
    >>> r["ratios"]
    []
    >>> check_record({"format": RECORD_FORMAT})
    Traceback (most recent call last):
    ...
    srb_eval.report.audit_rules.AuditError: record.report: missing
    """
    need(isinstance(record, Mapping), "record", "must be a JSON object")
    need(record.get("format") == RECORD_FORMAT, "record.format", f"must be {RECORD_FORMAT!r}")
    for field, kind in (("report", str), ("policy", Mapping), ("cells", list),
                        ("partitions", list)):
        need(field in record, f"record.{field}", "missing")
        need(isinstance(record[field], kind), f"record.{field}", f"must be a {kind.__name__}")
    pol = dict(record["policy"])
    need(isinstance(pol.get("min_count"), int) and pol["min_count"] >= 1,
          "record.policy.min_count", "must be a whole number of 1 or more")
    rt = pol.get("round_to")
    need(rt is None or (isinstance(rt, int) and rt >= 1), "record.policy.round_to",
          "must be null or a whole number of 1 or more")
    for f in ("small_count_text", "suppressed_text"):
        need(isinstance(pol.get(f), str), f"record.policy.{f}", "must be a text")
    md = pol.get("min_denominator", 0)
    need(isinstance(md, int) and md >= 0, "record.policy.min_denominator",
          "must be a whole number of 0 or more (optional)")
    out = {**record, "policy": pol, "cells": [], "partitions": [], "ratios": []}
    for i, c in enumerate(record["cells"]):
        if not (isinstance(c, Mapping) and isinstance(c.get("table"), str)
                and isinstance(c.get("row"), int) and isinstance(c.get("column"), str)
                and isinstance(c.get("measure"), str) and isinstance(c.get("dims"), Mapping)
                and isinstance(c.get("text"), str)):  # the fields of _CELL_FIELDS
            w = f"record.cells[{i}]"
            need(isinstance(c, Mapping), w, "must be an object")
            for f, kind in _CELL_FIELDS:
                need(isinstance(c.get(f), kind), f"{w}.{f}", f"must be a {kind.__name__}")
        out["cells"].append({**c, "dims": {str(d): str(v) for d, v in c["dims"].items()}})
    for i, p in enumerate(record["partitions"]):
        w = f"record.partitions[{i}]"
        if isinstance(p, Partition):
            p = {"measure": p.measure, "dim": p.dim, "categories": list(p.categories)}
        need(isinstance(p, Mapping) and isinstance(p.get("measure"), str)
              and isinstance(p.get("dim"), str), w, "must have text measure and dim")
        cats = p.get("categories")
        need(isinstance(cats, list) and len(cats) > 0 and len(set(map(str, cats))) == len(cats),
              f"{w}.categories", "must be a non-empty list without repeats")
        out["partitions"].append({**p, "categories": [str(x) for x in cats]})
    need(isinstance(record.get("ratios", []), list), "record.ratios", "must be a list")
    for i, r in enumerate(record.get("ratios", [])):
        w = f"record.ratios[{i}]"
        need(isinstance(r, Mapping), w, "must be an object")
        for f in ("numerator", "denominator"):
            need(isinstance(r.get(f), Mapping) and isinstance(r[f].get("dims"), Mapping),
                  f"{w}.{f}", "must be {measure, dims}")
        need(isinstance(r.get("text"), str), f"{w}.text", "must be a text")
        need(isinstance(r.get("decimals"), int) and r["decimals"] >= 0, f"{w}.decimals",
              "must be a whole number of 0 or more")
        out["ratios"].append(dict(r))
    if "sums" not in record:
        return out
    need(isinstance(record["sums"], list), "record.sums", "must be a list")
    out["sums"] = []
    for i, q in enumerate(record["sums"]):
        w = f"record.sums[{i}]"
        need(isinstance(q, Mapping) and isinstance(q.get("parts"), list)
             and len(q["parts"]) > 0, w, "must be an object with a non-empty list of parts")
        for f, k in [("whole", q.get("whole")), *((f"parts[{j}]", p)
                                                  for j, p in enumerate(q["parts"]))]:
            need(isinstance(k, Mapping) and isinstance(k.get("measure"), str)
                 and isinstance(k.get("dims"), Mapping), f"{w}.{f}", "must be {measure, dims}")
        out["sums"].append(dict(q))
    return out


def _build(recs: Sequence[Mapping], total: str,
           lines: list[tuple[int, str, list[int]]] | None = None
           ) -> tuple[LinearSystem, list[dict]]:
    """The system of all records at once (as :func:`check_record` returns them), and one
    entry per hidden cell occurrence (``lines``: see :func:`_close`)."""
    s, parts, hidden = LinearSystem(), {}, []
    for r in recs:
        for p in r["partitions"]:
            old = parts.setdefault((p["measure"], p["dim"]), tuple(p["categories"]))
            need(old == tuple(p["categories"]), f"partition {p['measure']}/{p['dim']}",
                  f"categories differ between records: {list(old)} and {p['categories']}")
            need(total not in old, f"partition {p['measure']}/{p['dim']}",
                  f"the total label {total!r} is not a category")
    for r in recs:
        pol = r["policy"]
        for i, c in enumerate(r["cells"]):
            where = f"{r['report']}/{c['table']} row {c['row']} column {c['column']!r}"
            bounds = text_bounds(c["text"], pol, where)
            if bounds is None:
                continue
            k = s.var(_key(c["measure"], c["dims"], total, f"record.cells[{i}]"))
            s.cells.setdefault(k, []).append(f"{where} ({c['text']!r})")
            s.lb[k], s.ub[k] = max(s.lb[k], bounds[0]), min(s.ub[k], bounds[1])
            need(s.lb[k] <= s.ub[k], "contradictory published cells",
                  "; ".join(s.cells[k]))
            if c["text"] in (pol["small_count_text"], pol["suppressed_text"]):
                label = " / ".join(str(v) for v in c["dims"].values() if str(v) != total)
                hidden.append({"report": r["report"], "table": c["table"], "row": c["row"],
                               "column": c["column"], "measure": c["measure"], "var": k,
                               "text": c["text"], "m": pol["min_count"],
                               "small": pol["small_count_text"],
                               "label": label or f"all {c['measure']}"})
        for i, q in enumerate(r["ratios"]):
            hit = _PERCENT.match(q["text"])
            if not hit:
                continue  # "[c]", "no data": nothing is known
            num = s.var(_key(q["numerator"].get("measure"), q["numerator"]["dims"], total,
                             f"record.ratios[{i}].numerator"))
            den = s.var(_key(q["denominator"].get("measure"), q["denominator"]["dims"], total,
                             f"record.ratios[{i}].denominator"))
            scale = 10 ** q["decimals"]
            p = round(float(hit.group(1)) * scale)
            # (p - 1/2) den <= 100 scale num <= (p + 1/2) den, times 2: whole numbers.
            s.rows.append(({num: 200.0 * scale, den: -(2.0 * p + 1)}, -math.inf, 0.0))
            s.rows.append(({num: 200.0 * scale, den: -(2.0 * p - 1)}, 0.0, math.inf))
        for i, q in enumerate(r.get("sums", [])):
            coefs = {s.var(_key(q["whole"]["measure"], q["whole"]["dims"], total,
                                f"record.sums[{i}].whole")): 1.0}
            for j, p in enumerate(q["parts"]):
                v = s.var(_key(p["measure"], p["dims"], total, f"record.sums[{i}].parts[{j}]"))
                coefs[v] = coefs.get(v, 0.0) - 1.0
            s.rows.append((coefs, 0.0, 0.0))
    _close(s, parts, lines)
    return s, hidden


def _cliques(keys: Sequence[Key], parts: Mapping[tuple[str, str], tuple[str, ...]]
             ) -> dict[str, list[frozenset[str]]]:
    """The sets of partition dims whose full cubes the audit of each measure needs.

    A measure's cells are the margins, over the dim sets its keys fix, of one table over
    all its partition dims; a reader knows that table exists, is whole and non-negative.
    Writing out that table (every combination of every partition dim) is exact but
    explodes at national size (281 SRBs x phase x need x ...). It is not needed: if the
    dim sets form an acyclic hypergraph, every set of whole non-negative margins that
    agree where they overlap is the margin of some whole non-negative full table (glue
    the tables one at a time along a running-intersection order; each gluing is a
    transportation problem with whole margins, which has a whole solution). So the full
    cube of each dim set (all its sub-margins, linked by the partition equations) says
    exactly what the full table says about the published cells. Dim sets are made
    acyclic by triangulating their graph (two dims adjacent when some key fixes both):
    eliminating dims one at a time, cheapest cube first, each dim with its remaining
    neighbours is a clique; the maximal cliques of a chordal graph form an acyclic
    hypergraph, and every key's dim set lies in one of them. A dim no key fixes needs no
    cube at all (put a whole margin's count in the dim's first category).

    Returns, for each measure with partitions, its maximal cliques.

    References: Lauritzen, S. L. (1996). *Graphical Models*. Oxford, chapter 2
    (decomposable hypergraphs, running intersection); Dobra, A. & Fienberg, S. E.
    (2000). Bounds for cell entries in contingency tables given marginal totals and
    decomposable graphs. *PNAS* 97(22), 11885-11892 (margins of a decomposable model
    determine the feasible tables through the separators); Rose, D. J., Tarjan, R. E.
    & Lueker, G. S. (1976). Algorithmic aspects of vertex elimination on graphs. *SIAM
    J. Computing* 5(2), 266-283 (elimination orderings give chordal completions).

    Examples
    --------
    >>> parts = {("m", d): ("x", "y") for d in "abc"}
    >>> keys = [("m", (("a", "x"), ("b", "x"))), ("m", (("b", "y"), ("c", "x")))]
    >>> sorted(map(sorted, _cliques(keys, parts)["m"]))
    [['a', 'b'], ['b', 'c']]
    >>> keys.append(("m", (("a", "y"), ("c", "y"))))  # a cycle a-b-c: one cube of all three
    >>> sorted(map(sorted, _cliques(keys, parts)["m"]))
    [['a', 'b', 'c']]
    """
    size = {(m, d): len(cats) + 1 for (m, d), cats in parts.items()}
    adj: dict[str, dict[str, set[str]]] = {}
    for meas, fixed in keys:
        ds = [d for d, _ in fixed if (meas, d) in size]
        g = adj.setdefault(meas, {})
        for d in ds:
            g.setdefault(d, set()).update(e for e in ds if e != d)
    out: dict[str, list[frozenset[str]]] = {}
    for meas, g in adj.items():
        g = {d: set(n) for d, n in g.items()}
        found: list[frozenset[str]] = []
        while g:  # eliminate the dim whose clique has the smallest cube (ties by name)
            d = min(g, key=lambda v: (math.prod(size[meas, u] for u in (v, *g[v])), v))
            clique = frozenset((d, *g[d]))
            for u in g[d]:
                g[u] |= g[d] - {u}
                g[u].discard(d)
            del g[d]
            if not any(clique <= c for c in found):
                found = [c for c in found if not c <= clique] + [clique]
        out[meas] = found
    return out


def _close(s: LinearSystem, parts: Mapping[tuple[str, str], tuple[str, ...]],
           lines: list[tuple[int, str, list[int]]] | None = None) -> None:
    """Add every partition equation touching a known key (and the keys it names), within
    the cubes of :func:`_cliques`: a key is split by a dim only when its partition dims
    and that dim lie in one clique. Each equation is also appended to ``lines`` (if
    given) as ``(whole, dim, parts)``, keys as their positions in ``s``."""
    by_measure: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for (meas, dim), cats in parts.items():
        by_measure.setdefault(meas, []).append((dim, cats))
    cliques = _cliques(list(s.index), parts)

    @functools.cache  # of the dims a key fixes: the same for many keys
    def equations(meas: str, dims: tuple[str, ...]) -> list[tuple[str, tuple[str, ...],
                                                                 int | None]]:
        """The partition equations a key of ``meas`` fixing ``dims`` is in, as ``(dim,
        categories, where)``: ``where`` is the position of ``dim`` in the key when the
        key fixes it (the key is a part), else None (the key is the whole, split by
        ``dim`` when its partition dims and ``dim`` lie in one clique)."""
        mine = frozenset(d for d in dims if (meas, d) in parts)
        found: list[tuple[str, tuple[str, ...], int | None]] = []
        for dim, cats in by_measure.get(meas, []):
            if dim in dims:
                found.append((dim, cats, dims.index(dim)))
            elif any(mine | {dim} <= c for c in cliques.get(meas, ())):
                found.append((dim, cats, None))
        return found

    done: set[tuple[Key, str]] = set()
    queue = list(s.index)
    while queue:
        key = queue.pop()
        meas, fixed = key
        for dim, cats, where in equations(meas, tuple(d for d, _ in fixed)):
            if where is None:
                parent = key
            else:
                if fixed[where][1] not in cats:  # (the message only when it is needed)
                    need(False, f"key {meas}: {key_text(key)}",
                         f"{dim}={fixed[where][1]!r} is not one of the partition's "
                         f"{list(cats)}")
                parent = (meas, fixed[:where] + fixed[where + 1:])
            if (parent, dim) in done:
                continue
            done.add((parent, dim))
            # a key's (dim, category) pairs are sorted and name each dim once: a part
            # has the whole's pairs with (dim, category) in dim's place
            head = parent[1]
            at = bisect.bisect_left([d for d, _ in head], dim)
            kids = [(meas, (*head[:at], (dim, c), *head[at:])) for c in cats]
            for k in (parent, *kids):
                if k not in s.index:
                    queue.append(k)
            whole, part_vars = s.var(parent), [s.var(k) for k in kids]
            coefs = {whole: 1.0}
            for v in part_vars:
                coefs[v] = coefs.get(v, 0.0) - 1.0
            s.rows.append((coefs, 0.0, 0.0))
            if lines is not None:
                lines.append((whole, dim, part_vars))


def feasible_ranges(records: Sequence[Mapping], *, total_label: str = "All",
                    verdicts_only: bool = False, shares: bool = False) -> pd.DataFrame:
    """Feasible range of every hidden count given all records at once.

    Parameters
    ----------
    records : sequence of dict
        Disclosure records (see the module docstring), e.g. every published table of a
        render. The same key in two records is one count.
    total_label : str, default "All"
        A dim set to this category is not fixed.
    verdicts_only : bool, default False
        Stop each cell's search as soon as its verdict is certain (when every hidden cell
        has the same minimum count): ``passes`` and ``reason`` are the same, and so are
        ``low`` and ``high`` of a cell that fails, but a passing cell's ``low`` and
        ``high`` are then values known to be possible, not necessarily the extremes.
        About half the integer programmes of a full audit; ``render`` uses it.
    shares : bool, default False
        Also run the group-share check (:func:`_group_shares`): a failing row, with the
        columns below, for every line whose whole can be fewer than ``min_denominator``
        and whose every part but one is fixed at 0 (a share of 100% stated). Off by
        default until every table's protection hides the zeros of small groups (#14).

    Returns
    -------
    pandas.DataFrame
        One row per hidden cell occurrence: ``report``, ``table``, ``row``, ``column``,
        ``measure``, ``key`` (:func:`key_text`), ``text``, ``low`` (int), ``high`` (float,
        ``inf`` when nothing bounds it), ``passes`` (bool), ``reason`` (plain English,
        ``""`` when it passes).

    Raises
    ------
    AuditError
        For a malformed record, or published numbers that contradict each other (the
        message names the cells).

    Examples
    --------
    >>> pol = {"min_count": 5, "round_to": None, "small_count_text": "<5",
    ...        "suppressed_text": "[c]"}
    >>> cell = lambda col, trend, text: {"table": "t", "row": 0, "column": col,
    ...     "measure": "learners", "dims": {"srb_id": "SRB04", "trend": trend}, "text": text}
    >>> rec = {"format": RECORD_FORMAT, "report": "r", "policy": pol, "partitions": [
    ...     {"measure": "learners", "dim": "trend", "categories": ["falling", "steady",
    ...      "rising"]}], "cells": [cell("falling", "falling", "<5"),
    ...     cell("steady", "steady", "6"), cell("rising", "rising", "9"),
    ...     cell("all", "All", "19")]}
    >>> feasible_ranges([rec]).loc[0, "reason"]
    "SRB04 / falling is '<5' but the published cells fix it at 4"
    """
    recs = [check_record(r) for r in records]
    lines: list[tuple[int, str, list[int]]] = []
    s, hidden = _build(recs, total_label, lines)
    lb, ub = np.array(s.lb, dtype=float), np.array(s.ub, dtype=float)
    targets = [h["var"] for h in hidden]
    minimum = {h["m"] for h in hidden}
    # every pass shares the solutions found (the group-share check's too)
    seen = (np.full(len(lb), math.inf), np.full(len(lb), -math.inf))
    if verdicts_only and len(minimum) == 1:
        # both passes share the extremes proven
        proven: dict = {}
        ranges = solve_ranges(s, targets, lb, ub, quick=minimum.pop(), seen=seen,
                              proven=proven)
        failing = [h["var"] for h in hidden if verdict(h["text"], h["small"], h["m"],
                                                       *ranges[h["var"]])]
        if failing:  # the exact range of each cell that fails, for its message
            ranges.update(solve_ranges(s, failing, lb, ub, check_all=False, seen=seen,
                                       proven=proven))
    else:
        ranges = solve_ranges(s, targets, lb, ub, seen=seen)
    keys = list(s.index)
    rows = []
    for h in hidden:
        low, high = ranges[h["var"]]
        why = verdict(h["text"], h["small"], h["m"], low, high)
        rows.append({"report": h["report"], "table": h["table"], "row": h["row"],
                     "column": h["column"], "measure": h["measure"],
                     "key": key_text(keys[h["var"]]), "text": h["text"], "low": low,
                     "high": high, "passes": not why,
                     "reason": f"{h['label']} {why}" if why else ""})
    if shares:
        rows += _group_shares(recs, s, lines, ranges, total_label, seen=seen[1])
    cols = ["report", "table", "row", "column", "measure", "key", "text", "low", "high",
            "passes", "reason"]
    return pd.DataFrame(rows, columns=cols).astype({"low": "int64", "high": "float64",
                                                    "passes": bool})


#: Cells showing ``"0"`` that state a fact every reader knows, not a count of the data: the
#: ``known_zeros`` of :func:`srb_eval.report.table_records.table_record` (a table name with
#: this suffix) and the record of the SRBs' public facts (this report name). A category
#: they fix at 0 (or one inside such a key) is no category of a breakdown.
KNOWN_EMPTY_SUFFIX = " (known to be empty)"
#: The ``column`` of a failing row of the group-share check whose group no cell shows (a
#: group worked out from others; ``row`` -1, ``table`` one that shows its measure).
NO_CELL = "(no cell shows this group)"
PUBLIC_FACTS_REPORT = "public facts about the SRBs"


def _group_shares(recs: Sequence[Mapping], s: LinearSystem,
                  lines: Sequence[tuple[int, str, list[int]]],
                  ranges: Mapping[int, tuple[int, float]], total: str,
                  seen: np.ndarray | None = None) -> list[dict]:
    """The group-share check: a failing row for every line that states a share of a group
    too small for one.

    A line is a whole and its parts along one dim (a partition of the records). It fails
    when its whole can be from 1 to ``min_denominator - 1`` (as shown, or by its feasible
    range) and every part but one is fixed at 0, shown or derivable: the one left then
    holds the whole group, a share of 100% that the policy does not publish for a group
    that small (``"0, 0, [c], 0"`` of 4 leavers says that all four went to one
    destination), whatever each hidden count's range. Parts fixed at 0 by facts every
    reader knows (:data:`KNOWN_EMPTY_SUFFIX`, :data:`PUBLIC_FACTS_REPORT`, every key
    inside one of them, and a key whose every part along a partition is one of them) are
    not categories of the breakdown, nor is a category that is 0
    in a larger group (fewer dims fixed, the same category): that 0 is the larger
    group's, whose own line is checked; a line needs two or more others. A line whose
    whole no record shows (a group no table publishes) fails only when the whole is
    known to be below ``min_denominator``. ``min_denominator`` is the largest a record's policy gives
    (``policy.min_denominator``), the package default where none does.

    ``recs`` are the records as :func:`check_record` returns them. ``ranges`` holds the
    range of each hidden cell (from the audit's solve: an upper end
    below 1 is exact), and ``seen`` the largest value of each key in a whole solution the
    audit found (one of 1 or more proves that the key can be positive); the parts and
    wholes no cell shows are solved here, only for the lines that can fail and where no
    solution found says so. Returns rows with the columns of :func:`feasible_ranges`
    (``low`` and ``high``: the whole's range; ``passes`` False).
    """
    facts = _ShareFacts(recs, s, total, ranges, seen)
    lb, ub, min_den = facts.lb, facts.ub, facts.min_den
    candidates = []
    for whole, dim, kids in lines:
        if lb[whole] >= min_den or ub[whole] == 0 or facts.structural(whole):
            continue
        parts = [k for k in dict.fromkeys(kids) if not facts.structural(k)]
        if len(parts) < 2 or sum(map(facts.known_positive, parts)) >= 2:
            continue
        candidates.append((whole, dim, parts))
    # whether each part can be 1 or more: a few programmes over the whole system
    facts.find_positive({k for _, _, parts in candidates for k in parts})
    candidates = [c for c in candidates if sum(map(facts.can_be_positive, c[2])) <= 1]
    # a category empty in a larger group (0 of all 150 learners lack core subjects) is
    # no category of this group's breakdown: that 0 is the larger group's, checked on
    # the larger group's own line
    facts.find_positive({c for _, dim, parts in candidates for k in parts
                         if not facts.can_be_positive(k) for c in facts.coarser(k, dim)})
    kept = []
    for whole, dim, parts in candidates:
        parts = [k for k in parts if facts.can_be_positive(k)
                 or all(map(facts.can_be_positive, facts.coarser(k, dim)))]
        if len(parts) >= 2:
            kept.append((whole, dim, parts))
    # the range of each whole left (a hidden cell's from the audit: enough to say whether
    # it can be from 1 to min_denominator - 1)
    facts.solve_ranges_of([w for w, _, _ in kept])
    return [row for whole, dim, parts in kept
            if (row := facts.share_row(whole, dim, parts)) is not None]


class _ShareFacts:
    """What :func:`_group_shares` knows of the keys of one linear system: which are 0 by
    facts every reader knows (``structural``), which can be 1 or more, the ranges of the
    wholes, and where a table shows each key. Its memos are keyed by value (a key's
    position in the system; a measure and its fixed dims), never by an object."""

    def __init__(self, recs: Sequence[Mapping], s: LinearSystem, total: str,
                 ranges: Mapping[int, tuple[int, float]], seen: np.ndarray | None) -> None:
        self.s, self.ranges, self.seen = s, ranges, seen
        self.min_den = max(
            (int(r["policy"].get("min_denominator", DEFAULT_THRESHOLDS.min_denominator))
             for r in recs), default=DEFAULT_THRESHOLDS.min_denominator)
        self.keys = list(s.index)
        self.known: set[Key] = set()
        self.where: dict[int, dict] = {}
        for r in recs:
            for c in r["cells"]:
                key = _key(c["measure"], c["dims"], total, "cell")
                if c["text"] == "0" and (r["report"] == PUBLIC_FACTS_REPORT
                                         or c["table"].endswith(KNOWN_EMPTY_SUFFIX)):
                    self.known.add(key)
                elif key in s.index and text_bounds(c["text"], r["policy"], "cell") is not None:
                    self.where.setdefault(s.index[key], {
                        "report": r["report"], "table": c["table"], "row": c["row"],
                        "column": c["column"], "text": c["text"]})
        self.cats_of: dict[str, dict[str, list[str]]] = {}
        for r in recs:
            for p in r["partitions"]:
                self.cats_of.setdefault(p["measure"], {})[p["dim"]] = p["categories"]
        self.lb, self.ub = np.array(s.lb, dtype=float), np.array(s.ub, dtype=float)
        self.positive: set[int] = set()
        self.found = dict(ranges)
        self._known_keys: dict[tuple, bool] = {}  # keys are asked about many times,
        self._structural: dict[int, bool] = {}    # as parts of several lines

    def known_key(self, meas: str, fixed: tuple) -> bool:
        """Whether a key, or one it lies inside, is 0 by a fact every reader knows."""
        if (meas, fixed) not in self._known_keys:
            self._known_keys[(meas, fixed)] = any(
                (meas, sub) in self.known for n in range(len(fixed) + 1)
                for sub in itertools.combinations(fixed, n))
        return self._known_keys[(meas, fixed)]

    def structural(self, v: int) -> bool:
        """A key fixed at 0 by facts every reader knows, or the sum of such keys along a
        partition (no SRB in home area CL6: no learner of CL6 in an SRB of CL6)."""
        if v not in self._structural:
            meas, fixed = self.keys[v]
            mine = dict(fixed)
            self._structural[v] = self.known_key(meas, fixed) or any(
                all(self.known_key(meas, tuple(sorted((*fixed, (d, c))))) for c in cats)
                for d, cats in self.cats_of.get(meas, {}).items() if d not in mine)
        return self._structural[v]

    def known_positive(self, k: int) -> bool:
        """Whether key ``k`` is known to be able to be 1 or more without a search."""
        return bool(self.lb[k] >= 1 or (k in self.ranges and self.ranges[k][1] >= 1)
                    or (self.seen is not None and self.seen[k] >= 1))

    def can_be_positive(self, k: int) -> bool:
        return self.known_positive(k) or k in self.positive

    def find_positive(self, keys: set[int]) -> None:
        """Search which of ``keys`` not known yet can be 1 or more (a few programmes over
        the whole system)."""
        lb, ub = self.lb, self.ub
        ask = sorted(k for k in keys if not self.known_positive(k) and lb[k] < ub[k]
                     and k not in self.ranges and k not in self.positive)
        self.positive |= positive_possible(self.s, ask, lb, ub)

    def coarser(self, k: int, dim: str) -> list[int]:
        """Keys of the larger groups with part ``k``'s category of ``dim``."""
        meas, fixed = self.keys[k]
        cat = (dim, dict(fixed)[dim])
        others = [f for f in fixed if f[0] != dim]
        found = (self.s.index.get((meas, tuple(sorted((*sub, cat)))))
                 for n in range(len(others)) for sub in itertools.combinations(others, n))
        return [v for v in found if v is not None]

    def solve_ranges_of(self, wholes: list[int]) -> None:
        """Solve the ranges of the keys of ``wholes`` that neither their bounds nor the
        audit's solve give (one search over them all)."""
        lb, ub = self.lb, self.ub
        solve = sorted({w for w in wholes if lb[w] < ub[w] and w not in self.ranges})
        if solve:
            self.found.update(solve_ranges(self.s, solve, lb, ub, check_all=False))

    def span(self, v: int) -> tuple[float, float]:
        """The range of key ``v`` (its bounds where they meet, else solved)."""
        return (self.lb[v], self.ub[v]) if self.lb[v] == self.ub[v] else self.found[v]

    def share_row(self, whole: int, dim: str, parts: list[int]) -> dict | None:
        """The failing row of a line that states a share of a group too small for one,
        or None when its whole cannot be such a group."""
        keys, min_den = self.keys, self.min_den
        low, high = self.span(whole)
        if high < 1 or low >= min_den or (whole not in self.where and high >= min_den):
            return None  # (a group no table publishes is one only when it is known small)
        left = [k for k in parts if self.can_be_positive(k)]
        rest = left[0] if left else parts[0]
        zeros = [dict(keys[k][1])[dim] for k in parts if k != rest]
        # where a reader sees it: the part left or the whole, else a part; a group no cell
        # shows (worked out from others) is named by a table of its measure, row -1
        at = next((self.where[v] for v in (rest, whole, *parts) if v in self.where), None)
        if at is None:
            table = next((w for v, w in self.where.items() if keys[v][0] == keys[whole][0]),
                         {"report": "", "table": ""})
            at = {"report": table["report"], "table": table["table"], "row": -1,
                  "column": NO_CELL, "text": ""}
        group = key_text(keys[whole]) or f"all {keys[whole][0]}"
        size = (f"{int(low)}" if low == high else
                f"{int(low)} to {'more' if math.isinf(high) else int(high)}")
        return {**at, "measure": keys[rest][0], "key": key_text(keys[rest]),
                "low": int(low), "high": float(high), "passes": False,
                "reason": f"{group}: a group of {size} (fewer than {min_den} possible) "
                          f"whose every {dim} but {dict(keys[rest][1])[dim]} is 0 "
                          f"({', '.join(zeros)}): a share of 100% is stated"}


def cube_record(protected: pd.DataFrame, dims: list[str], *, measure: str,
                thresholds: Thresholds, report: str, table: str, total: str = "All",
                rows: Any = None, column_dim: str | None = None) -> dict:
    """The disclosure record of (a slice of) a protected cube shown as a table.

    Parameters
    ----------
    protected : pandas.DataFrame
        From :func:`protect_cube` (the whole cube: its categories give the partitions).
    dims, measure, thresholds, total
        As given to :func:`protect_cube`.
    report, table : str
        Where the table is published.
    rows : array-like of bool or index labels, optional
        The rows of ``protected`` the table shows (default all).
    column_dim : str, optional
        The table is wide, one column per category of this dim: a cell's ``column`` is
        that category and its ``row`` numbers the combinations of the other dims in order
        of appearance. Default: long, ``row`` = position, ``column`` = ``"count"``.

    Returns
    -------
    dict
        A record that :func:`check_record` accepts.

    Examples
    --------
    >>> u = pd.DataFrame({"phase": ["primary"] * 9 + ["secondary"] * 6})
    >>> p = protect_cube(count_cube(u, ["phase"]), ["phase"], measure="m",
    ...                  thresholds=Thresholds())
    >>> rec = cube_record(p, ["phase"], measure="m", thresholds=Thresholds(), report="r",
    ...                   table="t")
    >>> [c["text"] for c in rec["cells"]], feasible_ranges([rec]).empty
    (['9', '6', '15'], True)
    """
    t = check_thresholds(thresholds)
    shown = protected if rows is None else protected.loc[rows]
    others = [d for d in dims if d != column_dim]
    row_no: dict[tuple, int] = {}
    cells = []
    for i, (_, r) in enumerate(shown.iterrows()):
        dims_ = {d: str(r[d]) for d in dims}
        if column_dim is None:
            row, col = i, "count"
        else:
            row = row_no.setdefault(tuple(dims_[d] for d in others), len(row_no))
            col = dims_[column_dim]
        cells.append({"table": table, "row": row, "column": col, "measure": measure,
                      "dims": dims_, "text": str(r["text"])})
    parts = [{"measure": measure, "dim": d, "categories": [
        c for c in pd.unique(protected[d].astype(str)) if c != total]} for d in dims]
    return {"format": RECORD_FORMAT, "report": report,
            "policy": {"min_count": t.min_count, "round_to": t.round_to,
                       "small_count_text": t.small_count_text,
                       "suppressed_text": SUPPRESSED_TEXT},
            "cells": cells, "partitions": parts, "ratios": []}

