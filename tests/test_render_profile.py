"""``benchmarks/render_profile.py`` sorts a profiler's samples into the kinds of work a
render does (its figures in benchmarks/RESULTS-render.md come from it)."""

from __future__ import annotations

from benchmarks.render_profile import classify

SITE = "/venv/lib/python3.11/site-packages"
CELL = "<module> (1529469862.py:4)"


def test_samples_are_sorted_by_kind_and_by_the_function_a_cell_called():
    lines = [
        # an import in a kernel's first cell, even below srb_eval
        f"{CELL};_find_and_load (<frozen importlib._bootstrap>:1176);"
        f"<module> (/repo/srb_eval/data/io.py:3) 7",
        # a figure drawn below srb_eval: figures, not computation
        f"{CELL};show_figure (/repo/srb_eval/report/notebook.py:274);"
        f"savefig ({SITE}/matplotlib/figure.py:3515) 5",
        # the cell's call into the package, two lines of the same function
        f"{CELL};load_dataset (/repo/srb_eval/data/io.py:176);read ({SITE}/pandas/x.py:1) 3",
        f"{CELL};load_dataset (/repo/srb_eval/data/io.py:178) 2",
        "run_job (/repo/srb_eval/run/render.py:227);notebook_to_html "
        "(/repo/srb_eval/run/html.py:9) 4",
        # a thread waiting on the kernel's output pipe
        f"_watch_pipe_fd ({SITE}/ipykernel/iostream.py:478) 11",
        "",
    ]
    kinds, called = classify(lines)
    assert kinds == {"import": 7, "figures": 5, "computation": 5, "HTML export": 4,
                     "idle": 11}
    assert called == {"load_dataset (data/io.py)": 5}
