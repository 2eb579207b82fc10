"""Time and peak memory of value_for_money.place_days at national size (issues #17, #13).

Usage: ``python benchmarks/place_days_memory.py benchmarks/data/england [FINANCIAL_YEAR]``
(under ``/usr/bin/time -v`` for the process's peak resident memory). Before #13 the days
were counted with ``occupancy.census_counts``, every day paired with every placement, a
month of days at a time; now each placement is read as a run of days
(``occupancy.daily_on_roll``).
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from srb_eval import load_dataset
from srb_eval.measures import value_for_money as V


def main(folder: str, financial_year: str = "2024-25") -> str:
    """One line: the CPU seconds, the tracemalloc peak and the filled place-days."""
    ds = load_dataset(folder)
    tracemalloc.start()
    t0 = time.process_time()
    r = V.place_days(ds, financial_year)
    seconds = time.process_time() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (f"place_days {financial_year} {seconds:.1f} CPU s, "
            f"tracemalloc peak {peak / 1e6:,.0f} MB, "
            f"filled place-days {r['filled_place_days'].sum():,.0f}")


if __name__ == "__main__":
    print(main(*sys.argv[1:3]))
