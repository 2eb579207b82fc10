# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
data_dir = "data/demo"  # str: dataset folder (CSV/Parquet) or Excel workbook, relative to the project
audience = "internal"  # str: "internal" (problem values shown) or "published" (counts only)

# %% tags=["remove-input"]
from IPython.display import Markdown, display

from srb_eval import DataValidationError, load_dataset
from srb_eval.data.io import problems_frame
from srb_eval.measures import quality
from srb_eval.report import disclosure
from srb_eval.report import notebook as report

report.setup()
audience = disclosure.check_audience(audience)
path = report.data_path(data_dir)
try:
    ds = load_dataset(path)
    problems = []
except DataValidationError as err:
    ds, problems = None, err.problems
display(Markdown(report.header_markdown(
    "Data quality: is the dataset fit to evaluate?",
    dataset_label=report.dataset_label(path), audience=audience)))

# %% [markdown]
# This report checks the dataset against the srb-eval data model (see
# `docs/data-dictionary.md`) before any other report uses it: every problem is listed
# with its file, row and column, and the coverage table shows, for each resource base,
# how many learners have the records the progress and inclusion reports need.

# %%
if problems:
    display(Markdown(
        f"## The dataset has {len(problems)} problem{'s' if len(problems) != 1 else ''} "
        "to fix before it can be evaluated"))
    table = problems_frame(problems)
    if audience == "published":
        table = (table.groupby(["file", "column", "rule"], as_index=False)
                 .size().rename(columns={"size": "cells"}))
        display(Markdown("Values are not shown to a published audience; counts of cells "
                         "affected by each rule:"))
    report.show(report.record("problems", table))
else:
    display(Markdown("## The dataset passed every check"))
    display(Markdown(
        "Every table was read and checked: types, vocabularies, date order, keys, links "
        "between tables, score ranges and ages at assessment."))

# %%
if ds is not None:
    display(Markdown("## What the dataset holds"))
    summary = report.record("tables", quality.table_summary(ds))
    shown = disclosure.safe_table(summary, audience=audience, count_columns=["learners"],
                                  id_columns=())
    report.show(shown.assign(learners=shown["learners"].replace("no data", "–")))
    missing = summary.loc[~summary["supplied"], "table"].tolist()
    display(Markdown(
        "All ten tables were supplied." if not missing else
        "Optional tables not supplied (the reports that need them will say so and skip "
        "those sections): " + ", ".join(missing) + "."))

# %%
if ds is not None:
    cov = quality.coverage(ds)
    report.record("coverage", cov)
    all_row = cov.iloc[-1]
    display(Markdown("## Coverage: which learners have the records the reports need"))
    display(Markdown(
        f"Of {all_row.learners} learners placed in an SRB, {all_row.with_baseline} have "
        f"at least one assessment during their placement (a baseline) and "
        f"{all_row.with_follow_up} have two or more (a baseline and a follow-up); "
        f"{all_row.without_inclusion} have no inclusion records and "
        f"{all_row.without_targets} have no IDP targets."
        if audience == "internal" else
        "Counts below 5 are shown as '<5' and a second cell is hidden where needed so "
        "that a hidden count cannot be worked out from the totals."))
    counts = [c for c in cov.columns if c.startswith(("learners", "with", "without"))]
    report.show(disclosure.safe_table(cov, audience=audience, count_columns=counts,
                                      id_columns=()))

# %% [markdown]
# ## Caveats
# - A "baseline" here means any assessment during the placement; the progress report
#   applies the full rule (the flagged baseline, else the first assessment on or after
#   the placement start).
# - The checks cannot tell whether a plausible value is true: a score inside the
#   instrument's range may still be mistyped.

# %% tags=["nbval-ignore-output"]
display(Markdown("## Provenance"))
report.show(report.provenance_frame(ds.files if ds is not None else {},
                                    {"data_dir": data_dir, "audience": audience}))
