"""Peak memory of value_for_money.place_days at national size (issue #17).

Usage: ``python benchmarks/place_days_memory.py benchmarks/data/england [CHUNK_DAYS]``
(under ``/usr/bin/time -v`` for the process's peak resident memory). ``CHUNK_DAYS`` 400
counts the whole year at once, as before the days were counted a month at a time.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from srb_eval import load_dataset
from srb_eval.measures import value_for_money as V


def main(folder: str, chunk_days: int = V.CHUNK_DAYS, financial_year: str = "2024-25") -> str:
    """One line: the chunk, the seconds, the tracemalloc peak and the filled place-days."""
    ds = load_dataset(folder)
    V.CHUNK_DAYS = chunk_days
    tracemalloc.start()
    t0 = time.perf_counter()
    r = V.place_days(ds, financial_year)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (f"CHUNK_DAYS={chunk_days}: place_days {financial_year} {seconds:.1f} s, "
            f"tracemalloc peak {peak / 1e6:,.0f} MB, "
            f"filled place-days {r['filled_place_days'].sum():,.0f}")


if __name__ == "__main__":
    print(main(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
