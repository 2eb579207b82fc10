"""The disclosure audit at national size (issue #14): only the cubes it needs.

A measure's published counts are margins of one table over all its partition dims. The
audit writes out the full cube only of the dim sets that its keys fix together (made
acyclic), not of every partition dim: the same ranges, far fewer unknowns. Each test
compares with the full cube, which the audit also builds when one (hidden, "[c]") cell
fixes every dim: "[c]" says nothing about its count, so that record adds no knowledge.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from srb_eval.report import audit_ilp, audit_rules
from srb_eval.report.audit import RECORD_FORMAT, feasible_ranges

POLICY = {"min_count": 5, "round_to": None, "small_count_text": "<5", "suppressed_text": "[c]"}


def margins_record(counts: dict[tuple[str, ...], int], cats: dict[str, list[str]],
                   dim_sets: list[tuple[str, ...]], keep: tuple = ()) -> dict:
    """The record of the margins of ``counts`` (keyed by a category per dim of ``cats``)
    over each of ``dim_sets``; counts from 1 to 4 show as "<5", except those whose
    ``(dims, categories)`` is in ``keep``."""
    dims = list(cats)
    cells = []
    for t, ds in enumerate(dim_sets):
        for r, combo in enumerate(itertools.product(*(cats[d] for d in ds))):
            n = sum(v for k, v in counts.items()
                    if all(k[dims.index(d)] == c for d, c in zip(ds, combo, strict=True)))
            cells.append({"table": f"t{t}", "row": r, "column": "n", "measure": "m",
                          "dims": dict(zip(ds, combo, strict=True)),
                          "text": "<5" if 0 < n < 5 and (ds, combo) not in keep else str(n)})
    return {"format": RECORD_FORMAT, "report": "r", "policy": dict(POLICY), "cells": cells,
            "partitions": [{"measure": "m", "dim": d, "categories": c}
                           for d, c in cats.items()], "ratios": []}


def full_cube_record(cats: dict[str, list[str]]) -> dict:
    """One "[c]" cell fixing every dim: no knowledge, but the audit builds the full cube."""
    cell = {"table": "all", "row": 0, "column": "n", "measure": "m",
            "dims": {d: c[0] for d, c in cats.items()}, "text": "[c]"}
    return {"format": RECORD_FORMAT, "report": "full", "policy": dict(POLICY),
            "cells": [cell], "partitions": [], "ratios": []}


def test_a_cycle_of_two_way_margins_needs_the_three_way_table():
    """A 2 x 2 x 2 table t[abc] = 2, 2, 1, 2, 3, 0, 2, 2 (abc = 000, 001, ..., 111) shown
    as its three two-way margins, four of them "<5": ab00 (4), ab01 (3), ac00 (3), bc10 (3);
    the other small ones shown.

    By the two-way tables alone, b=0 gives ab00 = bc00 + bc01 - ab10 = 5 + 2 - 3 = 4, and
    ab01 = ac00 = bc10 = x may be any of 1 to 4 (a=0: ab00 + ab01 = ac00 + ac01, b=1:
    ab01 + ab11 = bc10 + bc11). The three-way table exists too: t011 = ac01 - t001 =
    4 - (bc01 - t101) = 2 + t101 >= 2, so x = ab01 = t010 + t011 >= 2. Every hidden
    cell fails; an audit of the two-way tables without their common table would pass
    three of them.
    """
    cats = {"a": ["0", "1"], "b": ["0", "1"], "c": ["0", "1"]}
    values = [2, 2, 1, 2, 3, 0, 2, 2]
    counts = dict(zip(itertools.product("01", repeat=3), values, strict=True))
    hidden = {(("a", "b"), ("0", "0")), (("a", "b"), ("0", "1")), (("a", "c"), ("0", "0")),
              (("b", "c"), ("1", "0"))}
    every = {(ds, combo) for ds in (("a", "b"), ("b", "c"), ("a", "c"))
             for combo in itertools.product("01", repeat=2)}
    rec = margins_record(counts, cats, [("a", "b"), ("b", "c"), ("a", "c")],
                         keep=tuple(every - hidden))
    got = feasible_ranges([rec]).set_index("key")
    assert sorted(got.index) == ["a=0; b=0", "a=0; b=1", "a=0; c=0", "b=1; c=0"]
    assert (got.loc["a=0; b=0", "low"], got.loc["a=0; b=0", "high"]) == (4, 4)
    for key in ("a=0; b=1", "a=0; c=0", "b=1; c=0"):
        assert (got.loc[key, "low"], got.loc[key, "high"]) == (2, 4), got
    assert not got["passes"].any()


PATTERNS = {
    "path": [("a", "b"), ("b", "c")],
    "triangle": [("a", "b"), ("b", "c"), ("a", "c")],
    "square": [("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")],
    "three_and_two": [("a", "b", "c"), ("c", "d"), ("a",)],
}


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_the_cubes_of_the_cliques_give_the_ranges_of_the_full_cube(pattern):
    """Random small tables shown as margins over acyclic and cyclic patterns of dim sets
    (plus a partition dim no table shows): every range equals the full cube's."""
    rng = np.random.default_rng(sum(map(ord, pattern)))
    cats = {"a": ["x", "y"], "b": ["x", "y"], "c": ["x", "y"], "d": ["x", "y"],
            "e": ["x", "y"]}
    checked = failing = 0
    for _ in range(6):
        counts = {k: int(rng.choice([0, 0, 0, 1, 1, 2]))
                  for k in itertools.product(*cats.values())}
        rec = margins_record(counts, cats, PATTERNS[pattern])
        got = feasible_ranges([rec])
        full = feasible_ranges([rec, full_cube_record(cats)])
        full = full[full["report"] == "r"].reset_index(drop=True)
        assert len(got) == len(full)
        assert got.equals(full.astype(got.dtypes.to_dict())), (got, full)
        checked, failing = checked + len(got), failing + int((~got["passes"]).sum())
    assert checked > 0 and failing > 0


def test_only_the_cubes_of_published_dim_sets_are_searched(milp_calls):
    """Margins a x b and b x c of a table over a, b, c and d (6 categories each; d never
    shown): no programme has more unknowns than the cubes of a x b and b x c hold
    (7 * 7 + 7 * 7 - 7 = 91 counts with their totals); the full cube has 7 ** 4 = 2401."""
    cats = {d: [f"{d}{i}" for i in range(6)] for d in "abcd"}
    rng = np.random.default_rng(14)
    counts = {k: int(rng.random() < 0.04) for k in itertools.product(*cats.values())}
    rec = margins_record(counts, cats, [("a", "b"), ("b", "c")])
    sizes = milp_calls
    got = feasible_ranges([rec])
    assert len(got) > 0 and sizes
    assert max(sizes) <= 7 * 7 + 7 * 7 - 7, max(sizes)


def test_extremes_proven_once_are_not_searched_again(milp_calls):
    """Three parts of a total of 10, each between 1 and 8, one part at least 3 more than
    another: the second search over the same system, sharing ``proven`` and ``seen``
    (the extremes met at a bound are known from ``seen``), solves nothing and gives
    the same ranges; a changed system is searched again."""
    s = audit_ilp.LinearSystem()
    x, y, z = (s.var(("m", (("d", c),))) for c in "xyz")
    s.rows += [({x: 1.0, y: 1.0, z: 1.0}, 10.0, 10.0), ({x: 1.0, y: -1.0}, 3.0, np.inf)]
    lb, ub = np.array([1.0, 1.0, 1.0]), np.array([8.0, 8.0, 8.0])
    solves = milp_calls
    proven: dict = {}
    seen = (np.full(3, np.inf), np.full(3, -np.inf))
    first = audit_ilp.solve_ranges(s, [x, y, z], lb, ub, proven=proven, seen=seen)
    assert first == {x: (4, 8.0), y: (1, 3.0), z: (1, 5.0)}  # x = y + 3 + k, z = 7 - 2y - k
    n_first, solves[:] = len(solves), []
    assert n_first > 0
    assert audit_ilp.solve_ranges(s, [x, y, z], lb, ub, proven=proven, seen=seen) == first
    assert solves == []
    ub[2] = 4.0  # another system: x + y >= 6 and x >= y + 3 give x >= 5 (y 1, z 4)
    assert audit_ilp.solve_ranges(s, [x], lb, ub, proven=proven) == {x: (5, 8.0)}
    assert solves


def test_components_are_found_in_memory_proportional_to_the_rows():
    """#13: a total over thousands of hidden cells (a column of a table by SRB at England
    size) linked every pair of them when the components were found on the graph of the
    keys (``A.T @ A``: 25 million links for 5,000 cells, over 100 MB); on the graph of
    rows and keys it is one link per cell. Same components, same ranges."""
    import tracemalloc

    n = 5_000
    s = audit_ilp.LinearSystem()
    total = s.var(("m", ()))
    parts = [s.var(("m", (("srb", f"S{i:04d}"),))) for i in range(n)]
    s.rows.append(({total: 1.0, **{p: -1.0 for p in parts}}, 0.0, 0.0))
    lone = s.var(("other", ()))  # in no row: a component of its own
    lb = np.r_[2.0 * n, np.zeros(n), 0.0]
    ub = np.r_[2.0 * n, np.full(n, np.inf), np.inf]
    truth = np.r_[2.0 * n, np.full(n, 2.0), 3.0]  # one solution
    s.matrix()
    tracemalloc.start()
    ranges = audit_ilp.solve_ranges(s, [parts[0], parts[1], lone], lb, ub,
                                    seen=(truth.copy(), truth.copy()), quick=5)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 30e6
    for p in (parts[0], parts[1]):  # any part may take what the others leave
        assert ranges[p][0] <= 1 and ranges[p][1] >= 4
    assert ranges[lone][0] == 0 and ranges[lone][1] == np.inf


def test_every_cell_of_an_unbounded_table_is_found_unbounded_in_a_few_programmes(
        milp_calls):
    """A 40 x 8 table of hidden counts whose row, column and grand totals are hidden and
    have no upper bound: every cell can grow without end. The search for such directions
    capped each unknown at 1, so each direction raised one cell per total: 320 linear
    programmes here, thousands for the Wales-size Estyn tables by SRB (0.6 of report 30's
    13 minutes). Capping only the count of cells found lets one programme raise all."""
    from srb_eval.report.audit_ilp import LinearSystem, solve_ranges

    rows, cols = 40, 8
    s = LinearSystem()
    cell = {(r, c): s.var(("c", (("col", str(c)), ("row", str(r)))))
            for r in range(rows) for c in range(cols)}
    row_total = [s.var(("r", (("row", str(r)),))) for r in range(rows)]
    col_total = [s.var(("k", (("col", str(c)),))) for c in range(cols)]
    grand = s.var(("g", (("all", "all"),)))
    for r in range(rows):
        s.rows.append(({row_total[r]: 1.0, **{cell[r, c]: -1.0 for c in range(cols)}},
                       0.0, 0.0))
    for c in range(cols):
        s.rows.append(({col_total[c]: 1.0, **{cell[r, c]: -1.0 for r in range(rows)}},
                       0.0, 0.0))
    s.rows.append(({grand: 1.0, **dict.fromkeys(row_total, -1.0)}, 0.0, 0.0))
    n = grand + 1
    zero = np.zeros(n)
    got = solve_ranges(s, list(cell.values()), zero, np.full(n, math.inf),
                       seen=(zero.copy(), zero.copy()))
    assert all(got[c] == (0, math.inf) for c in cell.values())
    assert len(milp_calls) <= 3, len(milp_calls)


def test_a_joined_component_starts_from_the_bases_of_its_parts(monkeypatch):
    """#13: each round of ``protect_lines`` that hides more counts joins components into
    programmes never solved; from HiGHS's starting basis each took thousands of simplex
    iterations at England size (229 programmes, 9.5 s of the Estyn report). Started from
    the last bases of the components it joins (``Bases``), its first solve takes far
    fewer iterations, and the verdicts are the same."""
    import highspy

    from srb_eval.report.audit_components import Bases

    rng = np.random.default_rng(7)
    n_rows, n_cols = 200, 12
    truth = rng.integers(0, 9, size=(n_rows, n_cols)).astype(float)
    truth[:3] = 0  # rows whose small totals narrow their hidden cells: those fail
    truth[0, 0], truth[1, 7], truth[2, 3] = 2, 1, 3
    s = audit_ilp.LinearSystem()
    cell = np.array([[s.var(("c", (("col", str(c)), ("row", str(r)))))
                      for c in range(n_cols)] for r in range(n_rows)])
    for r in range(n_rows):
        total = truth[r].sum()
        s.rows.append(({int(v): 1.0 for v in cell[r]}, total, total))
    for c in range(n_cols):
        total = truth[:, c].sum()
        s.rows.append(({int(v): 1.0 for v in cell[:, c]}, total, total))
    values = truth.ravel()
    iterations: list[int] = []
    run = highspy.Highs.run

    def counted(h, *args, **kwargs):
        status = run(h, *args, **kwargs)
        iterations.append(h.getInfo().simplex_iteration_count)
        return status

    monkeypatch.setattr(highspy.Highs, "run", counted)

    def ranges(hidden: np.ndarray, bases: Bases | None, seen: tuple) -> dict:
        lb = np.where(hidden.ravel(), 0.0, values)
        ub = np.where(hidden.ravel(), np.inf, values)
        targets = cell[hidden].tolist()
        return audit_ilp.solve_ranges(s, targets, lb, ub, check_all=False, seen=seen,
                                      quick=5, bases=bases)

    first = np.zeros((n_rows, n_cols), dtype=bool)
    first[:100, :6] = first[100:, 6:] = True  # two components
    joined = first.copy()
    joined[:100, 6:] = True  # one component, joining them
    bases, seen = Bases(), (values.copy(), values.copy())  # as protect_lines keeps them
    ranges(first, bases, seen)
    assert (bases.keys[cell[first]] >= 0).all()
    after_first = (seen[0].copy(), seen[1].copy())
    iterations.clear()
    warm = ranges(joined, bases, seen)
    from_basis = list(iterations)
    iterations.clear()
    cold = ranges(joined, None, after_first)
    # (quick ranges stop once the verdict is certain: which solution settles it may differ)
    passes = {t: audit_rules.verdict("[c]", "<5", 5, *r) == "" for t, r in warm.items()}
    assert passes == {t: audit_rules.verdict("[c]", "<5", 5, *r) == "" for t, r in cold.items()}
    assert 0 < sum(passes.values()) < len(passes)  # (a test of both verdicts)
    # the joined programme's first solve (the later ones start from its own last basis)
    assert from_basis[0] < 0.75 * iterations[0], (from_basis, iterations)


def test_bases_start_only_where_they_make_a_basis():
    from srb_eval.report.audit_components import BASIC, LOWER, UPPER, Bases

    bases = Bases()
    keys, rows = np.array([0, 1, 2]), np.array([0, 1])
    inf = np.full(3, np.inf)
    assert bases.start(keys, rows, inf, np.zeros(2), np.zeros(2)) is None  # none known
    bases.keep(np.array([0, 1]), np.array([0]), (np.array([BASIC, UPPER], dtype=np.int8),
                                                 np.array([LOWER], dtype=np.int8)))
    col, row = bases.start(keys, rows, inf, np.zeros(2), np.zeros(2))
    # a new key at its lower bound (so is a key at an upper bound that is now infinite),
    # a new row basic: one basic key and one basic row for two rows
    assert col.tolist() == [BASIC, LOWER, LOWER] and row.tolist() == [LOWER, BASIC]
    assert bases.start(keys, np.array([0]), inf, np.zeros(1), np.zeros(1)) is not None
    # a row at a lower bound that is now -inf, with no upper bound: no basis
    assert bases.start(keys, rows, inf, np.array([-np.inf, 0]), np.array([np.inf, 0])) \
        is None
    # more basic keys and rows than rows: no basis
    bases.keep(np.array([2]), np.array([1]), (np.array([BASIC], dtype=np.int8),
                                              np.array([BASIC], dtype=np.int8)))
    assert bases.start(keys, rows, inf, np.zeros(2), np.zeros(2)) is None
