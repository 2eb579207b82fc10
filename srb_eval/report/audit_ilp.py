"""Feasible ranges of counts under linear constraints, by integer linear programming.

The engine of :mod:`srb_eval.report.audit`: unknown counts (keys) with bounds from what
was published, linear rows linking them (parts sum to a whole; a percentage bounds a
ratio), and the smallest and largest whole value of each hidden count, found one
connected component at a time with HiGHS: linear programmes kept between objectives
(:class:`_Programme`, over ``highspy``) and ``scipy.optimize.milp`` where a linear
optimum is not whole.

References
----------
.. [1] Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, chapter 4
   (the audit of a suppressed table by linear programming).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from collections.abc import Collection, Iterable, Sequence
from functools import partial
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from .audit_components import Bases, column_components, side_by_side
from .audit_rules import Key, need

__all__ = ["LinearSystem", "positive_possible", "solve_ranges"]

class LinearSystem:
    """Keys (unknowns), bounds, and the linear rows linking them."""

    def __init__(self) -> None:
        self.index: dict[Key, int] = {}
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []  # (coefs, lo, hi)
        self.cells: dict[int, list[str]] = {}
        self._matrix: tuple[sp.csr_array, np.ndarray, np.ndarray] | None = None

    def var(self, key: Key) -> int:
        if key not in self.index:
            self.index[key] = len(self.lb)
            self.lb.append(0.0)
            self.ub.append(math.inf)
        return self.index[key]

    def add_keys(self, keys: Iterable[Key]) -> None:
        """Add the keys not yet in the system, in order (:meth:`var` for many)."""
        new = [k for k in dict.fromkeys(keys) if k not in self.index]
        self.index.update(zip(new, range(len(self.lb), len(self.lb) + len(new)),
                              strict=True))
        self.lb.extend([0.0] * len(new))
        self.ub.extend([math.inf] * len(new))

    def matrix(self) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
        """The rows as one sparse matrix (a row per entry of :attr:`rows`, a column per
        key) and the arrays of their lower and upper bounds.

        Built once for the rows and keys the system has (rows are only ever appended),
        so that the many searches over one system do not read its rows again.
        """
        shape = (len(self.rows), len(self.lb))
        if self._matrix is None or self._matrix[0].shape != shape:
            ri = np.repeat(np.arange(shape[0]), [len(c) for c, _, _ in self.rows])
            ci = np.fromiter((j for c, _, _ in self.rows for j in c), dtype=np.int64,
                             count=ri.size)
            data = np.fromiter((a for c, _, _ in self.rows for a in c.values()),
                               dtype=float, count=ri.size)
            a = sp.csr_array((data, (ri, ci)), shape=shape)
            a.eliminate_zeros()
            self._matrix = (a, np.array([r[1] for r in self.rows], dtype=float),
                            np.array([r[2] for r in self.rows], dtype=float))
        return self._matrix


#: The largest linear programme (variables) solved without HiGHS's presolve (:func:`_lp`).
LP_WITHOUT_PRESOLVE = 10_000


def _presolve_pays(n: int, m: int) -> bool:
    """Whether HiGHS's presolve is used for a linear programme of ``n`` variables and
    ``m`` rows: unless it has fewer rows than variables and at most
    :data:`LP_WITHOUT_PRESOLVE` variables.

    On the lines of one table (275 totals over 2,397 counts at Wales size, solved
    hundreds of times with other objectives) presolve took 8 times as long as the solve
    (0.085 s against 0.010 s). It pays on larger programmes and on those with more rows
    than variables: the audit of a whole render at Wales size (38,466 rows on 29,112
    counts) solves in 0.18 s with it and 0.5 s without, and one of its components
    (about 30,000 counts on fewer rows) in 1.0 s against 16.8 s. The simplex method
    returns a vertex either way, whole for a two-way table.
    """
    return not m < n <= LP_WITHOUT_PRESOLVE


def _lp(c: np.ndarray, *, bounds: Bounds, constraints: list) -> Any:
    """``milp`` for a linear programme (no integrality), with HiGHS's presolve only
    where it pays (:func:`_presolve_pays`)."""
    rows = sum(con.A.shape[0] for con in constraints)
    return milp(c, bounds=bounds, constraints=constraints,
                options={"presolve": _presolve_pays(len(c), rows)})


def _integer(c: np.ndarray, integrality: np.ndarray, *, bounds: Bounds, constraints: list,
             s: LinearSystem, involved: Any) -> Any:
    """``milp`` with ``integrality``, for a programme whose linear relaxation has a
    (not whole) optimum: so the integer programme is bounded. Returns its result when
    it is optimal; whole solutions that do not exist mean the published cells
    contradict each other (:class:`AuditError` naming them); anything else is no
    answer, and stops the audit (it must not be read as "anything is possible")."""
    r = milp(c, integrality=integrality, bounds=bounds, constraints=constraints)
    if r.status == 2:
        _contradiction(s, involved)
    need(r.status == 0, "the audit's integer programme",
         f"HiGHS ended without an answer ({r.message})")
    return r


_STATUS = {highspy.HighsModelStatus.kOptimal: 0, highspy.HighsModelStatus.kInfeasible: 2,
           highspy.HighsModelStatus.kUnbounded: 3,
           highspy.HighsModelStatus.kUnboundedOrInfeasible: 4}


#: HiGHS's ``simplex_strategy`` for :class:`_Programme`: the primal simplex method. Most
#: solves of a programme change only its costs (each hidden count's smallest, then
#: largest, value); the last optimal basis stays primal feasible under new costs, so
#: the primal method goes on from it, where HiGHS's default, the dual method, must first
#: make it dual feasible again. The optima are the same (a range is an optimal value);
#: at England size the programmes of the Estyn outcomes, progress and value for money
#: reports took 4.3 s this way against 8.8 s (``benchmarks/RESULTS.md``).
PRIMAL_SIMPLEX = 4

#: Whether this process has made its first HiGHS instance (:func:`_solver`), and the
#: lock that makes only one thread make it.
_BANNER_SHOWN = False
_BANNER_LOCK = threading.Lock()


def _solver() -> highspy.Highs:
    """A silent HiGHS instance. HiGHS prints its banner to the process's standard
    output when the first instance is made, before any option can be set; the first
    is therefore made with that output sent to the null device, so that no banner
    reaches a report (a kernel shows what its process prints). For that moment the
    process's standard output goes nowhere: what another thread writes to it then is
    lost (a lock keeps a second thread from doing the same at once)."""
    global _BANNER_SHOWN
    with _BANNER_LOCK:
        if _BANNER_SHOWN:
            h = highspy.Highs()
        else:
            _BANNER_SHOWN = True
            with contextlib.suppress(ValueError, OSError):  # (closed: nothing to flush)
                if sys.stdout is not None:
                    sys.stdout.flush()
            try:
                saved = os.dup(1)
            except OSError:  # no standard output: nothing to keep it off
                saved = None
            try:
                if saved is not None:
                    with open(os.devnull, "wb") as null:
                        os.dup2(null.fileno(), 1)
                h = highspy.Highs()
            finally:
                if saved is not None:
                    os.dup2(saved, 1)
                    os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


class _Programme:
    """One component's linear programme, kept in one HiGHS instance and solved again
    for each new objective (and upper bounds) from the last optimal basis.

    The searches over a component ask for many optima over the same rows (each hidden
    count's smallest and largest value; sums of the counts not yet settled). Solved
    afresh each time (``scipy.optimize.milp``), each programme was built, checked and
    solved from scratch: at England size 1,162 programmes took 35 s. From the last
    basis, the simplex method only moves from the previous optimum (a hot start, in
    HiGHS's terms: its guide, "Further features", section "Hot start"): on the lines
    of one table at Wales size (2,397 counts, 275 totals), 0.1-0.2 s per programme
    afresh against a few milliseconds. A programme that presolve pays for
    (:func:`_presolve_pays`: more than :data:`LP_WITHOUT_PRESOLVE` counts, or at least
    as many rows as counts) is presolved and solved afresh each time instead, with its
    model kept: the audit of a render's 29,112 counts at Wales size takes 0.2 s that
    way and 0.3-0.7 s from the basis.

    A solve that ends without an answer from the basis (HiGHS can end a hot start with
    status "Unknown" where a fresh solve finds the programme unbounded) is solved again
    afresh; one that still has no answer stops the audit (:class:`AuditError`).
    """

    def __init__(self, sub: sp.csc_array, row_lo: np.ndarray, row_hi: np.ndarray,
                 lb: np.ndarray, ub: np.ndarray,
                 start: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.sub, self.row_lo, self.row_hi = sp.csc_array(sub), row_lo, row_hi
        self.lb, self.ub = lb.astype(float), ub.astype(float)
        n, m = len(lb), self.sub.shape[0]
        self.presolve = _presolve_pays(n, m)
        self.start = start  # statuses of the basis to start from (Bases.start)
        self.h: highspy.Highs | None = None  # made at the first solve

    def _load(self) -> highspy.Highs:
        n, m = len(self.lb), self.sub.shape[0]
        h = _solver()
        h.setOptionValue("presolve", "choose" if self.presolve else "off")
        h.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_, lp.col_upper_ = self.lb, self.ub
        lp.row_lower_ = self.row_lo.astype(float)
        lp.row_upper_ = self.row_hi.astype(float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_ = self.sub.indptr, self.sub.indices
        lp.a_matrix_.value_ = self.sub.data.astype(float)
        h.passModel(lp)
        if self.start is not None and not self.presolve:
            basis = highspy.HighsBasis()
            basis.col_status = list(map(highspy.HighsBasisStatus, self.start[0].tolist()))
            basis.row_status = list(map(highspy.HighsBasisStatus, self.start[1].tolist()))
            basis.alien = True  # HiGHS checks it, and completes it if it is singular
            h.setBasis(basis)
        self.cost, self.upper = np.zeros(n), self.ub.copy()  # as the solver holds them
        return h

    def statuses(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The statuses of the last basis (keys, rows), where there is one."""
        basis = None if self.h is None or self.presolve else self.h.getBasis()
        if basis is None or not basis.valid:
            return None
        return (np.array(list(map(int, basis.col_status)), dtype=np.int8),
                np.array(list(map(int, basis.row_status)), dtype=np.int8))

    def solve(self, c: np.ndarray, ub: np.ndarray | None = None) -> OptimizeResult:
        """Minimise ``c @ x`` over the rows, with upper bounds ``ub`` (default: the
        component's own); only the costs and bounds that differ are changed.

        Returns ``status`` as ``milp``'s (0 optimal, 2 infeasible, 3 unbounded,
        4 unbounded or infeasible) and ``x`` (a vertex where ``status`` is 0)."""
        if self.h is None:
            self.h = self._load()
        c = np.asarray(c, dtype=float)
        want = self.ub if ub is None else np.asarray(ub, dtype=float)
        cols = np.flatnonzero(c != self.cost)
        if cols.size:
            self.h.changeColsCost(cols.size, cols.astype(np.int32), c[cols])
            self.cost = c.copy()
        cols = np.flatnonzero(want != self.upper)
        if cols.size:
            self.h.changeColsBounds(cols.size, cols.astype(np.int32), self.lb[cols],
                                    want[cols])
            self.upper = want.copy()
        if self.presolve:
            self.h.clearSolver()  # presolve again rather than start from the basis
        self.h.run()
        model_status = self.h.getModelStatus()
        if model_status not in _STATUS and not self.presolve:  # afresh, once
            self.h.clearSolver()
            self.h.run()
            model_status = self.h.getModelStatus()
        # (anything else, numerical trouble say, is no answer: the audit stops there)
        need(model_status in _STATUS, "the audit's linear programme",
             f"HiGHS ended with {self.h.modelStatusToString(model_status)!r}")
        status = _STATUS[model_status]
        x = np.asarray(self.h.getSolution().col_value) if status == 0 else np.zeros(0)
        return OptimizeResult(status=status, x=x)


def _whole(x: np.ndarray) -> bool:
    """Whether a solution of a linear programme is whole (to 1e-7)."""
    return bool(np.abs(x - np.round(x)).max(initial=0.0) <= 1e-7)


def _contradiction(s: LinearSystem, involved: Any) -> None:
    names = [c for v in sorted(set(map(int, involved))) for c in s.cells.get(v, [])]
    need(False, "contradictory published cells", "; ".join(names)[:2000])


def _extreme(t: int, sign: float, *, s: LinearSystem, vs: np.ndarray, local: dict[int, int],
             prog: _Programme, bnd: Bounds, cons: list, involved: Any,
             seen: tuple[np.ndarray, np.ndarray], proven: dict | None = None) -> float:
    """Smallest (sign 1) or largest (sign -1) whole value of variable ``t``.

    The linear relaxation is solved first: when its optimal vertex is whole (always
    for two-way tables, whose constraint matrix is totally unimodular; usually beyond)
    it is the integer optimum too; otherwise ``milp`` decides. ``proven`` keeps the
    optima found, by ``(t, sign)``, for later searches over the same component.
    """
    if proven is not None and (t, sign) in proven:
        return proven[t, sign]
    c = np.zeros(len(vs))
    c[local[t]] = sign
    r = prog.solve(c)
    if r.status == 0 and not _whole(r.x):
        r = _integer(c, np.ones(len(vs)), bounds=bnd, constraints=cons, s=s,
                     involved=[*vs, *involved])
    if r.status == 0:  # every solution widens what is known to be possible
        x = np.round(r.x)
        np.minimum.at(seen[0], vs, x)
        np.maximum.at(seen[1], vs, x)
        best = float(x[local[t]])
    elif sign < 0 and r.status in (3, 4):
        best = math.inf
    else:
        _contradiction(s, [*vs, *involved])
        return math.nan  # pragma: no cover
    if proven is not None:
        proven[t, sign] = best
    return best


def _rays(cands: list[int], sub: Any, lo: np.ndarray, hi: np.ndarray, ub: np.ndarray,
          local: dict[int, int], seen: tuple[np.ndarray, np.ndarray]) -> None:
    """Mark the candidates that can grow without end (``seen[1] = inf``).

    A target is unbounded above iff some direction ``d >= 0`` (zero on variables with an
    upper bound) keeps every row (``A d = 0`` on equations, the right sign on
    inequalities) and has ``d_t > 0``: then any whole solution plus multiples of a whole
    ``d`` stays feasible. Directions form a cone, so the sum of one direction per
    candidate is a direction positive on all of them: one linear programme (no
    integrality needed) maximises the number of candidates with ``d_t >= 1`` (as
    ``y_t <= d_t``, ``0 <= y_t <= 1``) and finds every unbounded candidate at once (a
    second one confirms that no more can grow). Capping ``d`` itself at 1 instead let a
    direction raise one part of a total at a time: thousands of programmes for a table
    by SRB at national size.
    """
    rest = [local[t] for t in cands]
    if not rest:
        return
    n = len(ub)
    back = {i: t for t, i in local.items()}
    d_hi = np.where(np.isinf(ub), math.inf, 0.0)
    while rest:
        k = len(rest)
        link = sp.csr_array((np.concatenate([-np.ones(k), np.ones(k)]),
                             (np.concatenate([np.arange(k)] * 2),
                              np.concatenate([np.asarray(rest), n + np.arange(k)]))),
                            shape=(k, n + k))
        cons = [LinearConstraint(link, -math.inf, 0.0)]  # y_t <= d_t
        if sub.shape[0]:
            cons.append(LinearConstraint(sp.hstack([sp.csr_array(sub),
                                                    sp.csr_array((sub.shape[0], k))]),
                                         np.where(np.isinf(lo), -math.inf, 0.0),
                                         np.where(np.isinf(hi), math.inf, 0.0)))
        c = np.concatenate([np.zeros(n), -np.ones(k)])
        bnd = Bounds(np.zeros(n + k), np.concatenate([d_hi, np.ones(k)]))
        r = _lp(c, bounds=bnd, constraints=cons)
        if r.status != 0 or -r.fun < 1e-9:
            return
        y = r.x[n:]
        grown = [i for i, v in zip(rest, y, strict=True) if v > 1e-9]
        if not grown:
            return
        seen[1][[back[i] for i in grown]] = math.inf
        rest = [i for i, v in zip(rest, y, strict=True) if v <= 1e-9]


def _together(ts: list[int], top: int, *, vs: np.ndarray, local: dict[int, int],
              prog: _Programme, seen: tuple[np.ndarray, np.ndarray],
              bounds: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Widen ``seen`` with solutions that settle many verdicts at once (``quick`` mode).

    A cell's verdict is certain once some solution puts it at 1 or less and some
    solution at ``top`` or more (see :func:`_range`). Each linear programme minimises
    the sum of the targets not yet seen at 1 or less (then maximises the sum of those
    not yet seen at ``top`` or more, each bounded by ``top`` for this programme: the
    plain sum put a total's whole weight on one part, one part settled per programme,
    where the bounded sum spreads it over as many parts as can reach ``top`` together;
    without a whole solution of it, the plain sum, from then on); a whole optimal
    vertex is a solution, of the bounded programme as of the original. Rounds go on
    while they settle new targets; the rest are solved one by one. ``bounds`` (of
    :func:`_propagate`, by position in ``vs``) leave out the targets that no solution
    can settle (bounded above 1, or below ``top``: such a cell fails whatever its low
    end, unless it can only be 0).
    """
    low, high = bounds if bounds is not None else (None, None)
    for sign, settled, hopeless in (
            (1.0, lambda t: seen[0][t] <= 1, lambda t: bounds is not None and (
                low[local[t]] > 1 or high[local[t]] < top)),
            (-1.0, lambda t: seen[1][t] >= top,
             lambda t: bounds is not None and high[local[t]] < top)):
        rest = [t for t in ts if not settled(t) and not hopeless(t)]
        spread = sign < 0
        while len(rest) > 1:
            cols = [local[t] for t in rest]
            c = np.zeros(len(vs))
            c[cols] = sign
            r = None
            if spread:  # each at most top: the weight spreads over as many as reach it
                capped = prog.ub.copy()
                capped[cols] = np.minimum(capped[cols], top)
                r = prog.solve(c, ub=capped)
                if r.status != 0 or not _whole(r.x):
                    r, spread = None, False  # the plain sum, from now on
            if r is None:
                r = prog.solve(c)
            if r.status != 0 or not _whole(r.x):
                break
            x = np.round(r.x)
            np.minimum.at(seen[0], vs, x)
            np.maximum.at(seen[1], vs, x)
            left = [t for t in rest if not settled(t)]
            if len(left) == len(rest):
                break
            rest = left


def _propagate(sub: sp.csc_array, lo: np.ndarray, hi: np.ndarray, lb: np.ndarray,
               ub: np.ndarray, *, rounds: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on whole variables implied row by row (bound propagation), cheaply.

    For each row ``lo <= a.x <= hi`` and each of its variables ``j``, the other terms
    lie between their smallest and largest activity, so ``a_j x_j`` lies between ``lo``
    less their largest and ``hi`` less their smallest; the bound is rounded inwards (the
    variables are whole numbers) and the rows are read again until nothing changes (at
    most ``rounds`` times). Every bound returned holds for every whole solution, so
    the true smallest and largest values lie within them: where a known solution
    reaches a bound, that bound is the optimum, with no programme solved. Activity-based
    bound tightening as in MIP presolve (Achterberg, T. et al. (2020). Presolve
    reductions in mixed integer programming. *INFORMS Journal on Computing* 32(2),
    473-506, section 3.2). Returns ``(lb, ub)`` unchanged where the rows contradict
    the bounds (left to the programmes, which name the cells).
    """
    low, high = lb.astype(float), ub.astype(float)
    if not sub.shape[0] or not sub.nnz:
        return low, high
    coo = sub.tocoo()
    ri, ci, a = coo.row, coo.col, coo.data.astype(float)
    n_rows = sub.shape[0]
    pos = a > 0
    for _ in range(rounds):
        with np.errstate(invalid="ignore", over="ignore"):  # inf: no bound, looser
            cmin = np.where(pos, a * low[ci], a * high[ci])
            cmax = np.where(pos, a * high[ci], a * low[ci])
        inf_min, inf_max = np.isinf(cmin), np.isinf(cmax)
        fin_min = np.bincount(ri, np.where(inf_min, 0.0, cmin), minlength=n_rows)
        fin_max = np.bincount(ri, np.where(inf_max, 0.0, cmax), minlength=n_rows)
        n_min = np.bincount(ri, inf_min, minlength=n_rows)
        n_max = np.bincount(ri, inf_max, minlength=n_rows)
        # the activity of the row's other terms (infinite if another term is)
        rmin = np.where(n_min[ri] - inf_min > 0, -math.inf,
                        fin_min[ri] - np.where(inf_min, 0.0, cmin))
        rmax = np.where(n_max[ri] - inf_max > 0, math.inf,
                        fin_max[ri] - np.where(inf_max, 0.0, cmax))
        with np.errstate(invalid="ignore", over="ignore"):
            top = (hi[ri] - rmin) / a  # a x <= hi - rmin
            bottom = (lo[ri] - rmax) / a  # a x >= lo - rmax
            up = np.nan_to_num(np.where(pos, top, bottom), nan=math.inf)
            down = np.nan_to_num(np.where(pos, bottom, top), nan=-math.inf)
            # rounded inwards only past a tolerance: a rounding error (a percentage's
            # coefficients are not whole) may loosen a bound, never tighten it
            up = np.where(np.isfinite(up), np.floor(up + 1e-6 + 1e-9 * np.abs(up)), up)
            down = np.where(np.isfinite(down),
                            np.ceil(down - 1e-6 - 1e-9 * np.abs(down)), down)
        new_high, new_low = high.copy(), low.copy()
        np.minimum.at(new_high, ci, up)
        np.maximum.at(new_low, ci, down)
        if (new_low > new_high).any():
            return lb.astype(float), ub.astype(float)
        if (new_low == low).all() and (new_high == high).all():
            break
        low, high = new_low, new_high
    return low, high


def _range(t: int, lb: float, ub: float, seen: tuple[np.ndarray, np.ndarray], run: Any,
           quick: int | None, bound: tuple[float, float] | None = None,
           reach: bool = False) -> tuple[int, float]:
    """Range of variable ``t``, skipping a solve where a known solution already sits at a
    bound. With ``quick`` (= min_count), stop once the verdict is certain: the range
    returned may then be narrower than the true one but gives the same verdict.

    ``bound`` holds bounds on ``t`` implied by the rows (:func:`_propagate`): a known
    solution at one of them is the optimum, and a cell whose bounds already exclude 1 or
    ``min_count - 1`` is decided without a solve. With ``reach`` (a cell that fails
    unless it can reach ``min_count - 1``, whatever the audit's rule says of its range),
    a bound below that is returned as the high end, with no solve for the exact one."""
    plo, phi = (lb, ub) if bound is None else (max(lb, bound[0]), min(ub, bound[1]))

    def low() -> float:
        return seen[0][t] if seen[0][t] <= plo else run(t, 1.0)

    def high() -> float:
        return seen[1][t] if seen[1][t] >= phi else run(t, -1.0)

    if quick is None:
        return int(low()), float(high())
    top = quick - 1
    if phi < top and (phi < 1 or ub <= top or seen[1][t] >= 1 or reach):
        # the rows alone keep it below top: it fails, unless it can only be 0
        return int(plo), float(phi)
    if ub <= top:  # a "<m" cell: fails as soon as one end is narrowed
        if plo > 1:  # the rows alone narrow it
            return int(plo), float(max(seen[1][t], plo))
        lo = low()
        if lo > 1:
            return int(lo), float(seen[1][t])
        return int(lo), float(high())
    if seen[0][t] <= 1 and seen[1][t] >= top:
        return int(seen[0][t]), float(seen[1][t])
    lo = seen[0][t] if seen[0][t] <= 1 else low()  # at most 1 is all the verdict asks
    if lo > 1:
        return int(lo), float(max(seen[1][t], lo))
    return int(lo), float(seen[1][t] if seen[1][t] >= top else high())


def positive_possible(s: LinearSystem, targets: Sequence[int], lb: np.ndarray,
                      ub: np.ndarray) -> set[int]:
    """The targets that can be 1 or more in some whole solution of the system.

    Each connected component with a target is solved apart (:class:`_Components`). One
    linear programme maximises the number of its targets not yet known to be able to be
    positive, each capped at 1 (``y_t <= x_t``, ``0 <= y_t <= 1``): a whole optimal
    solution proves every target it puts at 1 or more (an optimum that is not whole is
    solved again as an integer programme); an optimum of 0 proves that the rest are 0 in
    every solution (the linear bound is above the integer one). Each round proves at
    least one more target, so the rounds are few where most can be positive, instead of
    a maximisation per target; a component's rounds share one :class:`_Programme`.
    (Over the whole system at once, every round and every integer programme was one of
    95,000 keys at Wales size: 27 s against 1 s.)
    """
    found: set[int] = set()
    rest = sorted(set(map(int, targets)))
    if not rest:
        return found
    split = _Components(s, lb, ub)
    groups: dict[int, list[int]] = {}
    for t in rest:
        if split.free[t]:
            groups.setdefault(split.of(t), []).append(t)
        elif lb[t] >= 1:
            found.add(t)

    def solve(ts: list[int], vs: np.ndarray, rows: np.ndarray, sub: sp.csc_array
              ) -> list[int]:
        """The targets of one component that can be 1 or more."""
        local = {int(v): i for i, v in enumerate(vs.tolist())}
        n, k = len(vs), len(ts)
        at = [local[t] for t in ts]
        cap = sp.csr_array((np.r_[np.ones(k), -np.ones(k)],
                            (np.r_[np.arange(k), np.arange(k)], np.r_[at, n + np.arange(k)])),
                           shape=(k, n + k))
        full = sp.vstack([sp.hstack([sub, sp.csr_array((sub.shape[0], k))]), cap]).tocsc()
        row_lo = np.r_[split.lo[rows], np.zeros(k)]
        row_hi = np.r_[split.hi[rows], np.full(k, np.inf)]
        col_lo, col_hi = np.r_[lb[vs], np.zeros(k)], np.r_[ub[vs], np.ones(k)]
        prog = _Programme(full, row_lo, row_hi, col_lo, col_hi)  # one objective a round
        positive: list[int] = []
        open_ = np.ones(k, dtype=bool)
        while open_.any():
            c = np.r_[np.zeros(n), -open_.astype(float)]
            r = prog.solve(c)
            if r.status == 0 and -(c @ r.x) > 1e-9 and not _whole(r.x[:n]):
                r = _integer(c, np.r_[np.ones(n), np.zeros(k)],
                             bounds=Bounds(col_lo, col_hi),
                             constraints=[LinearConstraint(full, row_lo, row_hi)], s=s,
                             involved=split.full[rows].indices)
            if r.status != 0 or -(c @ r.x) <= 1e-9:
                break
            x = np.round(r.x[:n])
            new = open_ & (x[at] >= 1)
            if not new.any():  # pragma: no cover - a whole optimum above 0 has one
                break
            positive += np.asarray(ts)[new].tolist()
            open_ &= ~new
        return positive

    for positive in side_by_side(solve, [(ts, *split.parts(g)) for g, ts in groups.items()]):
        found.update(positive)
    return found


class _Components:
    """The free keys of a system (``lb < ub``) in connected components: two keys are
    linked when a row holds both. The fixed keys' part of each row moves to its bounds
    (``lo``, ``hi``: the bounds of the rows kept, those with a free key); a row of fixed
    keys only that they break is a contradiction (:class:`AuditError`)."""

    def __init__(self, s: LinearSystem, lb: np.ndarray, ub: np.ndarray) -> None:
        free = lb < ub
        full, row_lo, row_hi = s.matrix()
        const = full[:, ~free] @ lb[~free] if full.shape[0] else np.zeros(0)
        a = full[:, free]
        has_free = np.diff(a.indptr) > 0
        fixed_rows = np.flatnonzero(~has_free)
        broken = fixed_rows[(row_lo[fixed_rows] - 1e-9 > const[fixed_rows])
                            | (const[fixed_rows] > row_hi[fixed_rows] + 1e-9)]
        if broken.size:
            _contradiction(s, full[broken[:1]].indices)
        kept = np.flatnonzero(has_free)
        a = a[kept]
        self.kept = kept  #: the rows kept, by index in the system
        #: the rows kept, over every key (the keys named if a component contradicts)
        self.full = full[kept]
        self.lo, self.hi = row_lo[kept] - const[kept], row_hi[kept] - const[kept]
        self.free = free
        self.n_free = int(free.sum())
        self._col = np.cumsum(free) - 1
        #: the component of each free key (by its position among them), and of each row
        self.comp = column_components(a, self.n_free)
        self.row_comp = (self.comp[a.indices[a.indptr[:-1]]] if a.shape[0]
                         else np.array([], dtype=int))
        # each component's keys and rows, in order, by slices of one sort
        self._var_sort = np.argsort(self.comp, kind="stable")
        self._row_sort = np.argsort(self.row_comp, kind="stable")
        n_comp = int(self.comp.max()) + 1 if self.n_free else 0
        self._var_cut = np.searchsorted(self.comp[self._var_sort], np.arange(n_comp + 1))
        self._row_cut = np.searchsorted(self.row_comp[self._row_sort], np.arange(n_comp + 1))
        self._a_csc = a.tocsc()
        self._free_ix = np.flatnonzero(free)

    def of(self, key: int) -> int:
        """The component of the free key ``key``."""
        return int(self.comp[self._col[key]])

    def parts(self, g: int) -> tuple[np.ndarray, np.ndarray, sp.csc_array]:
        """Component ``g``: its keys, its rows (positions among the rows kept) and its
        matrix (those rows over those keys, in CSC, the form ``milp`` hands to HiGHS)."""
        cols = self._var_sort[self._var_cut[g]:self._var_cut[g + 1]]
        rows = self._row_sort[self._row_cut[g]:self._row_cut[g + 1]]
        return self._free_ix[cols], rows, self._a_csc[:, cols][rows]


def solve_ranges(s: LinearSystem, targets: Sequence[int], lb: np.ndarray, ub: np.ndarray,
                 *, check_all: bool = True, seen: tuple[np.ndarray, np.ndarray] | None = None,
                 quick: int | None = None, memo: dict | None = None,
                 proven: dict | None = None, reach: Collection[int] = (),
                 bases: Bases | None = None) -> dict[int, tuple[int, float]]:
    """Integer range of each target variable, solving each connected component apart
    (side by side, one thread a core: :func:`srb_eval.report.audit_components.side_by_side`).

    ``seen`` holds the smallest and largest value of each variable in any solution
    found so far (updated in place; a known feasible point such as the true counts may
    seed it). With ``check_all``, components without a target are checked for
    feasibility too. ``quick``: see :func:`_range`. ``memo`` keeps the ranges of each
    component (by its exact constraints) between calls. ``proven`` keeps the smallest
    and largest value of each variable proven so far (by its exact component), so that
    a later call over the same system (the exact ranges of the cells that fail, after a
    ``quick`` pass) does not search for them again. ``reach`` (with ``quick``): targets
    that fail unless they can reach ``quick - 1`` (the hidden zeros that secondary
    suppression keeps open, :func:`srb_eval.report.cube_protection.protect_lines`):
    where bound propagation keeps one below it, its high end is that bound (it fails
    either way), with no programme for the exact one. ``bases`` keeps the last basis of
    each key and row between calls, and a new component starts from it
    (:class:`srb_eval.report.audit_components.Bases`).
    """
    reach = set(map(int, reach)) if quick is not None else set()
    if seen is None:
        seen = (np.full(len(lb), math.inf), np.full(len(lb), -math.inf))
    split = _Components(s, lb, ub)
    free, comp, row_comp = split.free, split.comp, split.row_comp
    lo_a, hi_a, full = split.lo, split.hi, split.full
    out: dict[int, tuple[int, float]] = {}
    groups: dict[int, list[int]] = {}
    for t in dict.fromkeys(targets):
        if not free[t]:
            out[t] = (int(lb[t]), float(lb[t]))
        else:
            groups.setdefault(split.of(t), []).append(t)
    if check_all and split.n_free:
        bounded = np.zeros(comp.max() + 1, dtype=bool)
        np.logical_or.at(bounded, comp, (lb[free] > 0) | np.isfinite(ub[free]))
        np.logical_or.at(bounded, row_comp, (lo_a != 0) & np.isfinite(lo_a))
        np.logical_or.at(bounded, row_comp, (hi_a != 0) & np.isfinite(hi_a))
        for g in np.flatnonzero(bounded):
            groups.setdefault(int(g), [])
    jobs, sigs = [], []
    for g, ts in groups.items():
        vs, rows, sub = split.parts(g)
        sig = comp_sig = None
        if memo is not None or proven is not None:
            comp_sig = (vs.tobytes(), lb[vs].tobytes(), ub[vs].tobytes(),
                        lo_a[rows].tobytes(), hi_a[rows].tobytes(), sub.indptr.tobytes(),
                        sub.indices.tobytes(), sub.data.tobytes())
        if memo is not None:
            sig = (*comp_sig, tuple(ts), tuple(t in reach for t in ts))
            if ts and sig in memo:  # (a component without targets is checked below)
                out.update(memo[sig])
                continue
        start = None if bases is None or not ts else bases.start(
            vs, split.kept[rows], ub[vs], lo_a[rows], hi_a[rows])
        jobs.append((ts, vs, rows, sub, None if proven is None else proven.setdefault(
            comp_sig, {}), start))
        sigs.append(sig)

    def solve(ts: list[int], vs: np.ndarray, rows: np.ndarray, sub: sp.csc_array,
              proven_here: dict | None, start: tuple | None) -> tuple[dict, tuple | None]:
        """The ranges of one component's targets, and its programme's last basis; it only
        reads and writes ``seen`` at the component's own keys, so components may be
        solved at the same time."""
        cons = [LinearConstraint(sub, lo_a[rows], hi_a[rows])] if rows.size else []
        bnd = Bounds(lb[vs], ub[vs])
        local = {int(v): i for i, v in enumerate(vs.tolist())}
        involved = full[rows].indices  # the keys named if the component contradicts
        if not ts:  # a component without targets: only whether it has a whole solution
            if milp(np.zeros(len(vs)), integrality=np.ones(len(vs)), bounds=bnd,
                    constraints=cons).status != 0:
                _contradiction(s, involved)
            return {}, None
        prog = _Programme(sub, lo_a[rows], hi_a[rows], lb[vs], ub[vs], start)
        run = partial(_extreme, s=s, vs=vs, local=local, prog=prog, bnd=bnd, cons=cons,
                      involved=involved, seen=seen, proven=proven_here)
        plo, phi = _propagate(sub, lo_a[rows], hi_a[rows], lb[vs], ub[vs])
        _rays([t for t in ts if np.isinf(phi[local[t]]) and seen[1][t] < math.inf], sub,
              lo_a[rows], hi_a[rows], ub[vs], local, seen)
        if quick is not None:
            _together(ts, quick - 1, vs=vs, local=local, prog=prog, seen=seen,
                      bounds=(plo, phi))
        return {t: _range(t, lb[t], ub[t], seen, run, quick, (plo[local[t]], phi[local[t]]),
                          t in reach) for t in ts}, prog.statuses()

    for sig, job, (found, statuses) in zip(sigs, jobs, side_by_side(solve, jobs),
                                           strict=True):
        if bases is not None:
            bases.keep(job[1], split.kept[job[2]], statuses)
        out.update(found)
        if memo is not None:
            memo[sig] = found
    return out
