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
