"""The disclosure audit: can a reader of the published tables recover a hidden count?

A published count cell counts the units of one *measure* (say ``"learners_by_band"``) with
some of its dims fixed; its *key* is the measure plus the fixed dims (a dim set to the
total label, ``"All"``, is not fixed), so the same key in two tables or two reports is one
unknown. A :class:`Partition` says that a dim of a measure has exactly these categories,
so every count not fixing that dim is the sum of its parts. Together with what each
published text says about its count (``"12"`` exact, ``"<5"`` from 1 to 4, ``"[c]"``
anything, a rounded ``"15"`` from 13 to 17, a percentage bounds a ratio) this gives a
system of linear constraints on whole numbers; the feasible range of every hidden count
is found by integer linear programming (``scipy.optimize.milp``, two solves per hidden
count). A ``"<5"`` passes only if every value from 1 to 4 is still possible; a ``"[c]"``
passes if its range holds all of 1 to 4 or none of it.

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
                 "denominator": {"measure": "learners", "dims": {}}}]}

References
----------
.. [1] Office for National Statistics / Government Statistical Service (2014).
   *Disclosure control guidance for tables produced from administrative sources*.
.. [2] Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, chapter 4
   (magnitude and frequency tables; secondary suppression; the audit of a suppressed
   table by linear programming).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from .disclosure import NO_DATA_TEXT, SUPPRESSED_TEXT, Thresholds, check_thresholds

__all__ = ["RECORD_FORMAT", "AuditError", "Partition", "check_record", "count_cube",
           "cube_record", "feasible_ranges", "key_text", "protect_cube"]

#: The ``format`` field every record carries.
RECORD_FORMAT = "srb-eval disclosure record 1"
_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)$")
_PERCENT = re.compile(r"^(\d+(\.\d+)?)%$")
Key = tuple[str, tuple[tuple[str, str], ...]]


class AuditError(ValueError):
    """A record that cannot be audited: malformed, or contradicting itself."""


@dataclass(frozen=True)
class Partition:
    """Dim ``dim`` of ``measure`` has exactly ``categories`` (parts that sum to the whole).

    Examples
    --------
    >>> Partition("learners", "phase", ("primary", "secondary")).categories
    ('primary', 'secondary')
    """

    measure: str
    dim: str
    categories: tuple[str, ...]


def _need(ok: bool, where: str, what: str) -> None:
    if not ok:
        raise AuditError(f"{where}: {what}")


def _key(measure: Any, dims: Any, total: str, where: str) -> Key:
    _need(isinstance(measure, str) and measure != "", f"{where}.measure", "must be a text")
    _need(isinstance(dims, Mapping), f"{where}.dims", "must be a dict of dim to category")
    fixed = tuple(sorted((str(d), str(c)) for d, c in dims.items() if str(c) != total))
    return measure, fixed


def key_text(key: Key) -> str:
    """The canonical text of a key: ``"dim=cat; dim=cat"`` (dims sorted).

    Examples
    --------
    >>> key_text(("learners", (("band", "A"), ("srb_id", "SRB04"))))
    'band=A; srb_id=SRB04'
    """
    return "; ".join(f"{d}={c}" for d, c in key[1])


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
    srb_eval.report.audit.AuditError: record.report: missing
    """
    _need(isinstance(record, Mapping), "record", "must be a JSON object")
    _need(record.get("format") == RECORD_FORMAT, "record.format", f"must be {RECORD_FORMAT!r}")
    for field, kind in (("report", str), ("policy", Mapping), ("cells", list),
                        ("partitions", list)):
        _need(field in record, f"record.{field}", "missing")
        _need(isinstance(record[field], kind), f"record.{field}", f"must be a {kind.__name__}")
    pol = dict(record["policy"])
    _need(isinstance(pol.get("min_count"), int) and pol["min_count"] >= 1,
          "record.policy.min_count", "must be a whole number of 1 or more")
    rt = pol.get("round_to")
    _need(rt is None or (isinstance(rt, int) and rt >= 1), "record.policy.round_to",
          "must be null or a whole number of 1 or more")
    for f in ("small_count_text", "suppressed_text"):
        _need(isinstance(pol.get(f), str), f"record.policy.{f}", "must be a text")
    out = {**record, "policy": pol, "cells": [], "partitions": [], "ratios": []}
    for i, c in enumerate(record["cells"]):
        w = f"record.cells[{i}]"
        _need(isinstance(c, Mapping), w, "must be an object")
        for f, kind in (("table", str), ("row", int), ("column", str), ("measure", str),
                        ("dims", Mapping), ("text", str)):
            _need(isinstance(c.get(f), kind), f"{w}.{f}", f"must be a {kind.__name__}")
        out["cells"].append({**c, "dims": {str(d): str(v) for d, v in c["dims"].items()}})
    for i, p in enumerate(record["partitions"]):
        w = f"record.partitions[{i}]"
        _need(isinstance(p, Mapping) and isinstance(p.get("measure"), str)
              and isinstance(p.get("dim"), str), w, "must have text measure and dim")
        cats = p.get("categories")
        _need(isinstance(cats, list) and len(cats) > 0 and len(set(map(str, cats))) == len(cats),
              f"{w}.categories", "must be a non-empty list without repeats")
        out["partitions"].append({**p, "categories": [str(x) for x in cats]})
    _need(isinstance(record.get("ratios", []), list), "record.ratios", "must be a list")
    for i, r in enumerate(record.get("ratios", [])):
        w = f"record.ratios[{i}]"
        _need(isinstance(r, Mapping), w, "must be an object")
        for f in ("numerator", "denominator"):
            _need(isinstance(r.get(f), Mapping) and isinstance(r[f].get("dims"), Mapping),
                  f"{w}.{f}", "must be {measure, dims}")
        _need(isinstance(r.get("text"), str), f"{w}.text", "must be a text")
        _need(isinstance(r.get("decimals"), int) and r["decimals"] >= 0, f"{w}.decimals",
              "must be a whole number of 0 or more")
        out["ratios"].append(dict(r))
    return out


def _text_bounds(text: str, pol: Mapping, where: str) -> tuple[int, float] | None:
    """What a published text says about its count: (low, high), or None (no data)."""
    m, b = pol["min_count"], pol.get("round_to")
    if text == NO_DATA_TEXT:
        return None
    if text == pol["small_count_text"]:
        return 1, m - 1
    if text == pol["suppressed_text"]:
        return 0, math.inf
    _need(bool(_NUMBER.match(text)), where, f"text {text!r} is not a count, "
          f"{pol['small_count_text']!r}, {pol['suppressed_text']!r} or {NO_DATA_TEXT!r}")
    v = int(text.replace(",", ""))
    if b is None or v == 0:
        return v, v
    # A count >= m rounded half up to b (never to 0: what would round to 0 shows as b).
    low, high = (m if v == b else max(m, v - b // 2)), v + (b - 1) // 2
    _need(low <= high, where, f"{text!r} is not a count of {m} or more rounded to {b}")
    return low, high


class _System:
    """Keys (unknowns), bounds, and the linear rows linking them."""

    def __init__(self) -> None:
        self.index: dict[Key, int] = {}
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []  # (coefs, lo, hi)
        self.cells: dict[int, list[str]] = {}

    def var(self, key: Key) -> int:
        if key not in self.index:
            self.index[key] = len(self.lb)
            self.lb.append(0.0)
            self.ub.append(math.inf)
        return self.index[key]


def _build(records: Sequence[Mapping], total: str) -> tuple[_System, list[dict]]:
    """The system of all records at once, and one entry per hidden cell occurrence."""
    recs = [check_record(r) for r in records]
    s, parts, hidden = _System(), {}, []
    for r in recs:
        for p in r["partitions"]:
            old = parts.setdefault((p["measure"], p["dim"]), tuple(p["categories"]))
            _need(old == tuple(p["categories"]), f"partition {p['measure']}/{p['dim']}",
                  f"categories differ between records: {list(old)} and {p['categories']}")
            _need(total not in old, f"partition {p['measure']}/{p['dim']}",
                  f"the total label {total!r} is not a category")
    for r in recs:
        pol = r["policy"]
        for i, c in enumerate(r["cells"]):
            where = f"{r['report']}/{c['table']} row {c['row']} column {c['column']!r}"
            bounds = _text_bounds(c["text"], pol, where)
            if bounds is None:
                continue
            k = s.var(_key(c["measure"], c["dims"], total, f"record.cells[{i}]"))
            s.cells.setdefault(k, []).append(f"{where} ({c['text']!r})")
            s.lb[k], s.ub[k] = max(s.lb[k], bounds[0]), min(s.ub[k], bounds[1])
            _need(s.lb[k] <= s.ub[k], "contradictory published cells",
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
    _close(s, parts)
    return s, hidden


def _close(s: _System, parts: Mapping[tuple[str, str], tuple[str, ...]]) -> None:
    """Add every partition equation touching a known key (and the keys it names)."""
    by_measure: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for (meas, dim), cats in parts.items():
        by_measure.setdefault(meas, []).append((dim, cats))
    done: set[tuple[Key, str]] = set()
    queue = list(s.index)
    while queue:
        meas, fixed = queue.pop()
        fd = dict(fixed)
        for dim, cats in by_measure.get(meas, []):
            if dim in fd:
                _need(fd[dim] in cats, f"key {meas}: {key_text((meas, fixed))}",
                      f"{dim}={fd[dim]!r} is not one of the partition's {list(cats)}")
                parent = (meas, tuple((d, c) for d, c in fixed if d != dim))
            else:
                parent = (meas, fixed)
            if (parent, dim) in done:
                continue
            done.add((parent, dim))
            kids = [(meas, tuple(sorted((*parent[1], (dim, c))))) for c in cats]
            for k in (parent, *kids):
                if k not in s.index:
                    queue.append(k)
            coefs = {s.var(parent): 1.0}
            for k in kids:
                coefs[s.var(k)] = coefs.get(s.var(k), 0.0) - 1.0
            s.rows.append((coefs, 0.0, 0.0))


def _contradiction(s: _System, involved: Any) -> None:
    names = [c for v in sorted(set(map(int, involved))) for c in s.cells.get(v, [])]
    _need(False, "contradictory published cells", "; ".join(names)[:2000])


def _extreme(t: int, sign: float, *, s: _System, vs: np.ndarray, local: dict[int, int],
             bnd: Bounds, cons: list, involved: list,
             seen: tuple[np.ndarray, np.ndarray]) -> float:
    """Smallest (sign 1) or largest (sign -1) whole value of variable ``t``.

    The linear relaxation is solved first: when its optimal vertex is whole (always
    for two-way tables, whose constraint matrix is totally unimodular; usually beyond)
    it is the integer optimum too; otherwise ``milp`` decides.
    """
    c = np.zeros(len(vs))
    c[local[t]] = sign
    r = milp(c, bounds=bnd, constraints=cons)
    if r.status == 0 and np.abs(r.x - np.round(r.x)).max(initial=0.0) > 1e-7:
        r = milp(c, integrality=np.ones(len(vs)), bounds=bnd, constraints=cons)
    if r.status == 0:  # every solution widens what is known to be possible
        x = np.round(r.x)
        np.minimum.at(seen[0], vs, x)
        np.maximum.at(seen[1], vs, x)
        return float(x[local[t]])
    if sign < 0 and r.status in (3, 4):
        return math.inf
    _contradiction(s, [*vs, *involved])
    return math.nan  # pragma: no cover


def _rays(cands: list[int], sub: Any, lo: np.ndarray, hi: np.ndarray, ub: np.ndarray,
          local: dict[int, int], seen: tuple[np.ndarray, np.ndarray]) -> None:
    """Mark the candidates that can grow without end (``seen[1] = inf``).

    A target is unbounded above iff some direction ``d >= 0`` (zero on variables with an
    upper bound) keeps every row (``A d = 0`` on equations, the right sign on
    inequalities) and has ``d_t > 0``: then any whole solution plus multiples of a whole
    ``d`` stays feasible. Each linear programme (no integrality needed) proves at least one
    more candidate unbounded, or shows the rest are bounded.
    """
    rest = [local[t] for t in cands]
    if not rest:
        return
    cons = [LinearConstraint(sub, np.where(np.isinf(lo), -math.inf, 0.0),
                             np.where(np.isinf(hi), math.inf, 0.0))] if sub.shape[0] else []
    bnd = Bounds(np.zeros(len(ub)), np.where(np.isinf(ub), 1.0, 0.0))
    back = {i: t for t, i in local.items()}
    while rest:
        c = np.zeros(len(ub))
        c[rest] = -1.0
        r = milp(c, bounds=bnd, constraints=cons)
        if r.status != 0 or -r.fun < 1e-9:
            return
        grown = [i for i in rest if r.x[i] > 1e-9]
        seen[1][[back[i] for i in grown]] = math.inf
        rest = [i for i in rest if r.x[i] <= 1e-9]


def _range(t: int, lb: float, ub: float, seen: tuple[np.ndarray, np.ndarray], run: Any,
           quick: int | None) -> tuple[int, float]:
    """Range of variable ``t``, skipping a solve where a known solution already sits at a
    bound. With ``quick`` (= min_count), stop once the verdict is certain: the range
    returned may then be narrower than the true one but gives the same verdict."""
    def low() -> float:
        return seen[0][t] if seen[0][t] <= lb else run(t, 1.0)

    def high() -> float:
        return seen[1][t] if seen[1][t] >= ub else run(t, -1.0)

    if quick is None:
        return int(low()), float(high())
    top = quick - 1
    if ub <= top:  # a "<m" cell: fails as soon as one end is narrowed
        lo = low()
        return (int(lo), float(high() if lo <= 1 else seen[1][t]))
    if seen[0][t] <= 1 and seen[1][t] >= top:
        return int(seen[0][t]), float(seen[1][t])
    lo = low()
    if lo > 1:
        return int(lo), float(max(seen[1][t], lo))
    return int(lo), float(seen[1][t] if seen[1][t] >= top else high())


def _solve(s: _System, targets: Sequence[int], lb: np.ndarray, ub: np.ndarray, *,
           check_all: bool = True, seen: tuple[np.ndarray, np.ndarray] | None = None,
           quick: int | None = None, memo: dict | None = None
           ) -> dict[int, tuple[int, float]]:
    """Integer range of each target variable, solving each connected component apart.

    ``seen`` holds the smallest and largest value of each variable in any solution
    found so far (updated in place; a known feasible point such as the true counts may
    seed it). With ``check_all``, components without a target are checked for
    feasibility too. ``quick``: see :func:`_range`. ``memo`` keeps the ranges of each
    component (by its exact constraints) between calls.
    """
    if seen is None:
        seen = (np.full(len(lb), math.inf), np.full(len(lb), -math.inf))
    free = lb < ub
    col = np.cumsum(free) - 1
    data, ri, ci, lo, hi, names = [], [], [], [], [], []
    for coefs, r_lo, r_hi in s.rows:
        const = sum(a * lb[j] for j, a in coefs.items() if not free[j])
        vs = [(j, a) for j, a in coefs.items() if free[j] and a != 0]
        if not vs:
            if not r_lo - 1e-9 <= const <= r_hi + 1e-9:
                _contradiction(s, coefs)
            continue
        for j, a in vs:
            data.append(a)
            ri.append(len(lo))
            ci.append(col[j])
        lo.append(r_lo - const)
        hi.append(r_hi - const)
        names.append(list(coefs))
    nf = int(free.sum())
    a = sp.csr_array((data, (ri, ci)), shape=(len(lo), nf))
    lo_a, hi_a = np.array(lo, dtype=float), np.array(hi, dtype=float)
    pattern = (a != 0).astype(np.int8)
    _, comp = connected_components(sp.csr_array(pattern.T @ pattern), directed=False)
    row_comp = comp[a.indices[a.indptr[:-1]]] if a.shape[0] else np.array([], dtype=int)
    free_ix = np.flatnonzero(free)
    out: dict[int, tuple[int, float]] = {}
    groups: dict[int, list[int]] = {}
    for t in dict.fromkeys(targets):
        if not free[t]:
            out[t] = (int(lb[t]), float(lb[t]))
        else:
            groups.setdefault(int(comp[col[t]]), []).append(t)
    if check_all and nf:
        bounded = np.zeros(comp.max() + 1, dtype=bool)
        np.logical_or.at(bounded, comp, (lb[free] > 0) | np.isfinite(ub[free]))
        np.logical_or.at(bounded, row_comp, (lo_a != 0) & np.isfinite(lo_a))
        np.logical_or.at(bounded, row_comp, (hi_a != 0) & np.isfinite(hi_a))
        for g in np.flatnonzero(bounded):
            groups.setdefault(int(g), [])
    for g, ts in groups.items():
        vs = free_ix[comp == g]
        rows = np.flatnonzero(row_comp == g)
        sub = a[rows][:, comp == g]
        cons = [LinearConstraint(sub, lo_a[rows], hi_a[rows])] if rows.size else []
        bnd = Bounds(lb[vs], ub[vs])
        local = {int(v): i for i, v in enumerate(vs.tolist())}
        involved = [v for r in rows for v in names[r]]
        if not ts and milp(np.zeros(len(vs)), integrality=np.ones(len(vs)), bounds=bnd,
                           constraints=cons).status != 0:
            _contradiction(s, involved)
        run = partial(_extreme, s=s, vs=vs, local=local, bnd=bnd, cons=cons,
                      involved=involved, seen=seen)
        sig = None
        if memo is not None:
            sig = (vs.tobytes(), lb[vs].tobytes(), ub[vs].tobytes(), lo_a[rows].tobytes(),
                   hi_a[rows].tobytes(), sub.indices.tobytes(), sub.data.tobytes(),
                   tuple(ts))
            if sig in memo:
                out.update(memo[sig])
                continue
        _rays([t for t in ts if np.isinf(ub[t]) and seen[1][t] < math.inf], sub,
              lo_a[rows], hi_a[rows], ub[vs], local, seen)
        for t in ts:
            out[t] = _range(t, lb[t], ub[t], seen, run, quick)
        if memo is not None:
            memo[sig] = {t: out[t] for t in ts}
    return out


def _verdict(text: str, small: str, m: int, low: int, high: float) -> str:
    """'' when a hidden cell passes, else why it fails."""
    top = m - 1
    if text == small:
        ok = low == 1 and high == top
    else:
        ok = high < 1 or low > top or (low <= 1 and high >= top)
    if ok:
        return ""
    if low == high:
        return f"is {text!r} but the published cells fix it at {low}"
    span = f"at least {low}" if math.isinf(high) else f"{low} to {int(high)}"
    return f"is {text!r} but the published cells narrow it to {span}"


def feasible_ranges(records: Sequence[Mapping], *, total_label: str = "All") -> pd.DataFrame:
    """Feasible range of every hidden count given all records at once.

    Parameters
    ----------
    records : sequence of dict
        Disclosure records (see the module docstring), e.g. every published table of a
        render. The same key in two records is one count.
    total_label : str, default "All"
        A dim set to this category is not fixed.

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
    s, hidden = _build(records, total_label)
    lb, ub = np.array(s.lb, dtype=float), np.array(s.ub, dtype=float)
    ranges = _solve(s, [h["var"] for h in hidden], lb, ub)
    keys = list(s.index)
    rows = []
    for h in hidden:
        low, high = ranges[h["var"]]
        why = _verdict(h["text"], h["small"], h["m"], low, high)
        rows.append({"report": h["report"], "table": h["table"], "row": h["row"],
                     "column": h["column"], "measure": h["measure"],
                     "key": key_text(keys[h["var"]]), "text": h["text"], "low": low,
                     "high": high, "passes": not why,
                     "reason": f"{h['label']} {why}" if why else ""})
    cols = ["report", "table", "row", "column", "measure", "key", "text", "low", "high",
            "passes", "reason"]
    return pd.DataFrame(rows, columns=cols).astype({"low": "int64", "high": "float64",
                                                    "passes": bool})


def _categories(col: pd.Series, name: str, total: str) -> list:
    _need(not col.isna().any(), f"units[{name!r}]", "has missing values")
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = list(col.cat.categories)
    else:
        values = list(pd.unique(col))
        try:
            cats = sorted(values)
        except TypeError:
            cats = sorted(values, key=str)
    _need(total not in map(str, cats), f"units[{name!r}]", f"holds the total label {total!r}")
    return cats


def count_cube(units: pd.DataFrame, dims: list[str], *, total: str = "All") -> pd.DataFrame:
    """Counts of units on every combination of each dim's categories and the total.

    Parameters
    ----------
    units : pandas.DataFrame
        One row per unit (a learner, a placement...).
    dims : list of str
        Columns of ``units``; categories are the observed values, sorted (for a
        categorical column: all its categories, in their order).
    total : str, default "All"
        The label of a dim's margin.

    Returns
    -------
    pandas.DataFrame
        Columns ``dims`` (text) and ``count`` (int): the full lattice with margins, each
        dim's categories first and ``total`` last, in that nested order.

    Examples
    --------
    >>> u = pd.DataFrame({"phase": ["primary", "primary", "secondary"]})
    >>> count_cube(u, ["phase"]).to_dict("list")
    {'phase': ['primary', 'secondary', 'All'], 'count': [2, 1, 3]}
    """
    _need(isinstance(units, pd.DataFrame), "units", "must be a pandas DataFrame")
    _need(len(dims) > 0 and all(d in units.columns for d in dims) and len(set(dims)) ==
          len(dims), "dims", f"must be distinct columns of units {list(units.columns)}")
    cats = [_categories(units[d], d, total) for d in dims]
    codes = [pd.Categorical(units[d], categories=c).codes for d, c in zip(dims, cats,
                                                                          strict=True)]
    arr = np.zeros([len(c) + 1 for c in cats], dtype=np.int64)
    np.add.at(arr, tuple(codes), 1)
    for ax, c in enumerate(cats):
        inner = [slice(None)] * len(cats)
        inner[ax] = slice(0, len(c))
        last = [slice(None)] * len(cats)
        last[ax] = len(c)
        arr[tuple(last)] = arr[tuple(inner)].sum(axis=ax)
    labels = [[str(x) for x in c] + [total] for c in cats]
    grid = list(itertools.product(*labels))
    out = pd.DataFrame(grid, columns=dims) if grid else pd.DataFrame(columns=dims)
    out["count"] = arr.ravel()
    return out


def _shown(v: int, t: Thresholds) -> str:
    """Text of a visible count, rounded half up to ``round_to`` when v >= min_count."""
    if t.round_to is not None and v >= t.min_count:
        v = max(t.round_to, int(math.floor(v / t.round_to + 0.5)) * t.round_to)
    return f"{v:,}"


def _cube_system(cube: pd.DataFrame, dims: list[str], measure: str, total: str):
    """Keys of the cube's rows, its partition lines and the system of their equations."""
    s = _System()
    for row in cube[dims].astype(str).itertuples(index=False):
        s.var((measure, tuple(sorted((d, c) for d, c in zip(dims, row, strict=True)
                                     if c != total))))
    _need(len(s.index) == len(cube), "cube", "has repeated rows")
    lines = []
    keys = list(s.index)
    for dim in dims:
        cats = [c for c in pd.unique(cube[dim].astype(str)) if c != total]
        for k in keys:
            if dim in dict(k[1]):
                continue
            kids = [(measure, tuple(sorted((*k[1], (dim, c))))) for c in cats]
            _need(all(x in s.index for x in kids), "cube", "is not a full lattice "
                  "(use count_cube)")
            line = [s.index[k]] + [s.index[x] for x in kids]
            lines.append(np.array(line))
            s.rows.append(({line[0]: 1.0, **{j: -1.0 for j in line[1:]}}, 0.0, 0.0))
    return s, lines, keys


def protect_cube(cube: pd.DataFrame, dims: list[str], *, measure: str,
                 thresholds: Thresholds, total: str = "All") -> pd.DataFrame:
    """Primary and secondary suppression of a count cube until its audit passes.

    Parameters
    ----------
    cube : pandas.DataFrame
        From :func:`count_cube` (the full lattice with margins).
    dims : list of str
    measure : str
        The measure's name in records.
    thresholds : Thresholds
        ``min_count`` and ``round_to`` are used.
    total : str, default "All"

    Returns
    -------
    pandas.DataFrame
        ``cube`` plus ``text`` (what may be published) and ``hidden`` (``""``,
        ``"primary"``, ``"secondary"``).

    Notes
    -----
    Counts from 1 to ``min_count - 1`` are hidden as ``small_count_text`` (primary).
    Then, until the audit of the whole cube (every cell published) passes: a partition
    line (a margin and its parts) with exactly one hidden member hides its smallest
    non-zero visible member; then each hidden cell the audit narrows hides the smallest
    non-zero visible cell on one of its lines (ties by key). Where hidden small counts
    narrow each other (a margin ``"<5"`` with two non-zero parts: each part is at most 3),
    no hiding can help, so those small counts are shown as ``"[c]"`` instead, which says
    less. Zeros are never hidden; visible counts of ``min_count`` or more are rounded to
    ``round_to``. It terminates: at worst every non-zero count is ``"[c]"``.
    Follows ONS/GSS guidance on primary and secondary suppression [1]_ and the audit
    of Hundepool et al. [2]_ (see the module references).

    Examples
    --------
    >>> u = pd.DataFrame({"phase": ["primary"] * 9 + ["secondary"] * 2})
    >>> out = protect_cube(count_cube(u, ["phase"]), ["phase"], measure="learners",
    ...                    thresholds=Thresholds())
    >>> out[["phase", "text", "hidden"]].to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'phase': ['primary', 'secondary', 'All'], 'text': ['[c]', '<5', '11'],
     'hidden': ['secondary', 'primary', '']}
    """
    t = check_thresholds(thresholds)
    _need(isinstance(cube, pd.DataFrame) and "count" in cube.columns and
          all(d in cube.columns for d in dims), "cube", "must have the dims and 'count'")
    s, lines, keys = _cube_system(cube.reset_index(drop=True), dims, measure, total)
    vals = cube["count"].to_numpy(dtype=np.int64)
    m, n = t.min_count, len(vals)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort(([key_text(k) for k in keys], vals))] = np.arange(n)
    line_of: list[list[int]] = [[] for _ in range(n)]
    for i, line in enumerate(lines):
        for j in line:
            line_of[j].append(i)
    primary = (vals >= 1) & (vals < m)
    hidden, as_c = primary.copy(), np.zeros(n, dtype=bool)
    pol = {"min_count": m, "round_to": t.round_to, "small_count_text": "",
           "suppressed_text": ""}
    vis = np.array([(v, v) if 1 <= v < m else _text_bounds(_shown(int(v), t), pol, "cube")
                    for v in vals])  # what a visible count says (small ones never show)

    seen = (vals.astype(float), vals.astype(float))  # the true counts are one solution
    memo: dict = {}

    def hide_smallest(members: np.ndarray) -> bool:
        cand = members[~hidden[members] & (vals[members] > 0)]
        if cand.size:
            hidden[cand[rank[cand].argmin()]] = True
        return bool(cand.size)

    for _ in range(n + 2):
        changed = True
        while changed:
            changed = False
            for line in lines:
                if hidden[line].sum() == 1:
                    changed = hide_smallest(line) or changed
        small = hidden & primary & ~as_c
        lb = np.where(hidden, np.where(small, 1, 0), vis[:, 0]).astype(float)
        ub = np.where(hidden, np.where(small, m - 1, math.inf), vis[:, 1]).astype(float)
        targets = np.flatnonzero(hidden)
        ranges = _solve(s, targets.tolist(), lb, ub, check_all=False, seen=seen, quick=m,
                        memo=memo)
        failing = [j for j in targets if _verdict("<" if small[j] else "[c]", "<", m,
                                                  *ranges[j])]
        if not failing:
            break
        before = (hidden.sum(), as_c.sum())
        for j in sorted(failing, key=lambda j: rank[j]):
            mine = [lines[i] for i in line_of[j]]
            dry = [ln for ln in mine if not (~hidden[ln] & (vals[ln] > 0)).any()]
            tied = [ln for ln in dry if (small[ln].sum() - small[j]) > 0]
            if tied:
                for ln in tied:
                    as_c[ln[small[ln]]] = True
                as_c[j] |= bool(small[j])
                continue
            mates = np.unique(np.concatenate(mine)) if mine else np.array([], dtype=int)
            if not hide_smallest(mates[mates != j]):
                for ln in mine:
                    as_c[ln[small[ln]]] = True
                as_c[j] |= bool(small[j])
        if (hidden.sum(), as_c.sum()) == before:
            if (as_c | ~primary).all():
                hidden |= vals > 0
            as_c |= primary
    out = cube.copy()
    text = np.array([_shown(int(v), t) for v in vals], dtype=object)
    text[hidden] = SUPPRESSED_TEXT
    text[primary & ~as_c] = t.small_count_text
    out["text"] = text
    out["hidden"] = np.where(primary, "primary", np.where(hidden, "secondary", ""))
    return out


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
