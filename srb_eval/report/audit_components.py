"""The connected components of an audit's linear system, and solving them side by side.

Counts are linked when a published equation holds both; each connected component of
them is a programme of its own (:mod:`srb_eval.report.audit_ilp`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components


def side_by_side(solve: Callable[..., Any], jobs: Sequence[tuple]) -> list:
    """``[solve(*job) for job in jobs]``, the jobs run side by side, one thread for each
    core this process may run on.

    Each job is one connected component of a system: a programme of its own, and only its
    own keys in any array it updates. HiGHS lets other threads run while it solves, so
    the components of an audit solve on every core. Results, and the first exception, come
    in the jobs' order, whichever job ends first.
    """
    cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
             else os.cpu_count() or 1)  # the cores this process may run on
    if len(jobs) < 2 or cores < 2:
        return [solve(*job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(len(jobs), cores)) as pool:
        return list(pool.map(lambda job: solve(*job), jobs))


def column_components(a: sp.csr_array, n: int) -> np.ndarray:
    """The connected component of each of the ``n`` columns of ``a``: two columns are
    linked when a row holds both. Found on the bipartite graph of rows and columns (an
    edge per non-zero), whose size grows with the non-zeros, rather than on the column
    graph ``a.T @ a``, which grows with the square of a row's length (a total over
    thousands of hidden cells). Labels are numbered in order of each component's first
    column, as :func:`scipy.sparse.csgraph.connected_components` numbers the column
    graph's."""
    coo = a.tocoo()
    keep = coo.data != 0
    graph = sp.csr_array((np.ones(int(keep.sum()), dtype=np.int8),
                          (coo.col[keep], n + coo.row[keep])),
                         shape=(n + a.shape[0], n + a.shape[0]))
    _, label = connected_components(graph, directed=False)
    return label[:n]


#: HiGHS's basis statuses (``highspy.HighsBasisStatus``) as :class:`Bases` stores them.
LOWER, BASIC, UPPER = 0, 1, 2


class Bases:
    """The last simplex basis status of each key and each row of one linear system (the
    keys and rows of :class:`srb_eval.report.audit_ilp.LinearSystem`, by index; -1 where
    none is known), kept between the searches over a system whose hidden counts grow
    (the rounds of :func:`srb_eval.report.cube_protection.protect_lines`).

    A round that hides more counts joins components into new programmes. Solved from
    HiGHS's starting basis (all slacks), each costs thousands of simplex iterations; the
    joined components' last bases, with the keys new to the component at their lower
    bound and its new rows basic, are a basis of the new programme (the old rows keep
    their old basic keys; a new row's slack completes it) that is near its optimum: the
    simplex method starts from there (HiGHS's guide, "Further features", "Hot start").
    The basis only chooses where the search starts: every optimal value is the same, but
    the optimal vertex found (and so what the search has seen, and the quick ranges that
    stop once a verdict is certain) may differ; the verdicts do not.
    """

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int8)
        self.rows = np.zeros(0, dtype=np.int8)

    @staticmethod
    def _grown(a: np.ndarray, n: int) -> np.ndarray:
        return a if len(a) >= n else np.concatenate([a, np.full(n - len(a), -1, np.int8)])

    def start(self, keys: np.ndarray, rows: np.ndarray, ub: np.ndarray, row_lo: np.ndarray,
              row_hi: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """A basis for the programme over ``keys`` (upper bounds ``ub``, lower bounds
        finite) and ``rows`` (bounds ``row_lo``, ``row_hi``), from the statuses known;
        ``None`` where none is known, or where they do not make a basis (as many basic
        keys and rows as rows, each other one at a finite bound)."""
        self.keys = self._grown(self.keys, int(keys.max(initial=-1)) + 1)
        self.rows = self._grown(self.rows, int(rows.max(initial=-1)) + 1)
        col, row = self.keys[keys], self.rows[rows]
        if not (col >= 0).any():
            return None
        col = np.where(col < 0, LOWER, col)
        col = np.where((col == UPPER) & ~np.isfinite(ub), LOWER, col)
        row = np.where(row < 0, BASIC, row)
        row = np.where((row == LOWER) & ~np.isfinite(row_lo), UPPER, row)
        row = np.where((row == UPPER) & ~np.isfinite(row_hi), LOWER, row)
        at_bound = np.where(row == LOWER, row_lo, np.where(row == UPPER, row_hi, 0.0))
        if (not np.isfinite(at_bound).all()
                or int((col == BASIC).sum() + (row == BASIC).sum()) != len(rows)):
            return None
        return col, row

    def keep(self, keys: np.ndarray, rows: np.ndarray,
             statuses: tuple[np.ndarray, np.ndarray] | None) -> None:
        """Record the statuses of a programme's keys and rows (its last basis)."""
        if statuses is not None:
            self.keys = self._grown(self.keys, int(keys.max(initial=-1)) + 1)
            self.rows = self._grown(self.rows, int(rows.max(initial=-1)) + 1)
            self.keys[keys], self.rows[rows] = statuses
