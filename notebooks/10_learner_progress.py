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
data_dir = "data/demo"  # str: dataset folder or Excel workbook, relative to the project
srb = "all"  # str: "all" or one srb_id (e.g. "SRB01")
window_start = None  # str or None: first day of the reporting window, YYYY-MM-DD; None: open
window_end = None  # str or None: last day of the reporting window, YYYY-MM-DD; None: open
areas = "all"  # str or list of str: "all" or areas to report, e.g. ["literacy", "numeracy"]
audience = "published"  # str: "published" (suppressed counts, no learners) or "internal"

# %% tags=["remove-input"]
import pandas as pd
from IPython.display import Markdown, display

from srb_eval import load_dataset
from srb_eval import progress as P
from srb_eval import targets as T
from srb_eval.report.inclusion import srb_labels
from srb_eval.report import disclosure
from srb_eval.report import notebook as report
from srb_eval.report.plots import progress as plots

report.setup()
audience = disclosure.check_audience(audience)
path = report.data_path(data_dir)
ds = load_dataset(path)
p = P.check_report_parameters(srb=srb, srb_ids=ds.srbs["srb_id"], window_start=window_start,
                              window_end=window_end, areas=areas)
internal = audience == "internal"
min_n = 1 if internal else disclosure.DEFAULT_THRESHOLDS.min_denominator
labels = srb_labels(ds.srbs)
window = f"{window_start or 'start of the data'} to {window_end or 'end of the data'}"
display(Markdown(report.header_markdown(
    "Learner progress against baselines", dataset_label=report.dataset_label(path),
    audience=audience,
    extra={"Resource base": "all" if srb == "all" else labels[srb], "Window": window,
           "Areas": "all" if p["areas"] == "all" else ", ".join(p["areas"])})))
has_progress = ds.has("assessments") and ds.has("instruments")
prog = P.dataset_progress(ds, srb=srb, areas=p["areas"], window_start=window_start,
                          window_end=window_end) if has_progress else None
have = prog is not None and len(prog) > 0
instruments = sorted(prog["instrument"].unique()) if have else []

# %% [markdown]
# Every learner in a resource base should be "tracked carefully against the baseline and
# the target areas", and a good SRB shows "strong progress from the baseline, which is
# tracked and monitored". This report follows each learner's results on each instrument
# and area from a **baseline** (the assessment flagged as the baseline, else the first
# after the placement started) to their **latest** assessment in the window, and judges
# the rate of progress against what is **expected** of that instrument: its expected
# gain a year (within a quarter either way), or, for standardised scores, holding the
# score within the test's measurement error (the Reliable Change Index). A result is one
# learner's progress on one instrument in one area; a learner assessed in four areas has
# four results.

# %%
if not has_progress:
    display(Markdown("## No assessment records were supplied"))
    display(Markdown(
        "This dataset has no `assessments` or no `instruments` table, so progress from "
        "baseline cannot be measured and those sections are skipped. Target attainment "
        "(below) does not need them."))
elif not have:
    display(Markdown("## No assessments for this resource base in the window"))
    display(Markdown(
        f"No learner placed in {'any resource base' if srb == 'all' else srb} has an "
        f"assessment in the chosen areas from {window}, so the progress sections are "
        "skipped."))

# %%
if have:
    cov = P.coverage(prog, ds.placements, srb=srb, window_start=window_start,
                     window_end=window_end)
    report.record("coverage", cov if internal else P.display_coverage(cov,
                                                                       audience=audience))
    display(Markdown("## " + P.coverage_heading(cov.iloc[0], audience=audience)))
    display(Markdown(P.describe_coverage(cov.iloc[0], audience=audience)))
    summary = P.group_summary(prog)
    gains = P.display_gains(summary, audience=audience)
    report.record("progress_by_area", summary if internal else gains)
    report.show(gains, caption="Gain from baseline to latest assessment, by instrument and area "
                        "(results measured over at least a term)")
    display(Markdown(
        "Gains are in each instrument's own units (steps, standard-score points, months of "
        "age equivalent). The 95% interval of the mean gain is a seeded bootstrap (BCa "
        "with 9,999 resamples; for groups over 1,000 results, percentile with 1,999). "
        "The effect size is the mean change divided by the average "
        "spread of baseline and latest scores, corrected for small groups (Hedges' g_av). "
        "EEF months of progress are given for standardised scores only and are "
        "**indicative**: the EEF Toolkit compares groups with and without an approach, "
        "while this is one group's change over time (caveat A3)."))

# %%
if have:
    overall = P.band_summary(prog)
    display(Markdown("## " + P.band_heading(overall.iloc[0], audience=audience)))
    display(Markdown(P.describe_bands(overall.iloc[0], audience=audience)))
    report.show(P.display_bands(summary, audience=audience),
                caption="Expected progress by instrument and area")
    for inst in instruments:
        display(plots.slope_chart(prog, instrument=inst, min_n=min_n, safe=not internal))
        display(plots.trajectory_panels(P.trajectory_points(ds.assessments,
                                                             prog.loc[prog["instrument"]
                                                                      == inst]),
                                        instrument=inst, min_n=min_n,
                                        aggregate=True if not internal else None))
    if not internal:
        display(Markdown(f"Panels and lines of fewer than {min_n} results are not drawn; "
                         "figures show medians and quartiles, never single learners."))

# %%
if have:
    groups = (["srb_id"] if srb == "all" else []) + ["primary_need"]
    for by in groups:
        table = P.with_total(P.band_summary(prog, by=by), P.band_summary(prog), by)
        shown = P.display_bands(table, audience=audience, labels=labels)
        report.record(f"bands_by_{'srb' if by == 'srb_id' else 'need'}",
                      table if internal else shown)
        display(Markdown(f"### Expected progress by {P.GROUP_TITLES[by]}"))
        display(Markdown(P.describe_band_range(table, by, audience=audience,
                                               labels=labels)))
        report.show(shown, caption=f"Results below, at and above expected progress by "
                            f"{P.GROUP_TITLES[by]}")
        display(plots.band_bars(table.loc[table[by] != "all"], group=by, min_n=min_n,
                                min_count=1 if internal else
                                disclosure.DEFAULT_THRESHOLDS.min_count,
                                group_labels=labels))

# %%
std = [i for i in instruments
       if (prog.loc[prog["instrument"] == i, "scale"] == "standard_score").any()] if have else []
if std:
    rc = P.reliable_change(prog, ds.instruments, errors="skip")
    skipped = sorted(set(std) - set(rc["instrument"]))
    rsum = P.rci_summary(rc)
    report.record("reliable_change", rsum if internal else P.display_rci(rsum,
                                                                          audience=audience))
    display(Markdown("## Standardised scores: " + (
        "reliable change" if len(rsum) else "no reliable change index available")))
    display(Markdown(P.describe_rci(rsum, audience=audience)))
    if len(rsum):
        report.show(P.display_rci(rsum, audience=audience),
                    caption="Reliable Change Index (Jacobson & Truax 1991) by instrument "
                            "and area")
    if skipped:
        display(Markdown("The Reliable Change Index needs each instrument's population SD "
                         "and reliability; they are missing for " + ", ".join(skipped)
                         + ", so it is not given there."))
    display(Markdown(
        "A standardised score compares a learner with others of the same age, so holding "
        "the score means keeping pace. The Reliable Change Index asks whether a change is "
        "bigger than the test's measurement error: RC = (latest - baseline) / S_diff, "
        "S_diff = sqrt(2) x SD x sqrt(1 - reliability); a change beyond 1.96 S_diff is "
        "reliable."))

# %%
ae = [i for i in instruments
      if (prog.loc[prog["instrument"] == i, "scale"] == "age_equivalent_months").any()
      ] if have else []
if ae:
    rg = P.ratio_gain(prog)
    rgs = P.ratio_gain_summary(rg)
    report.record("ratio_gain", rgs if internal else P.display_ratio_gain(rgs,
                                                                           audience=audience))
    display(Markdown("## " + P.ratio_gain_heading(rg, audience=audience)))
    report.show(P.display_ratio_gain(rgs, audience=audience),
                caption="Brooks' ratio gain and the gap between age-equivalent and "
                        "chronological age")
    display(Markdown(
        "Brooks' ratio gain is the gain in age-equivalent months divided by the months "
        "that passed: 1.0 keeps pace with age, below 1.0 the gap widens. Bands as usually "
        "quoted from Brooks (*What works for children and young people with literacy "
        "difficulties?*): below 1.4 of doubtful educational significance, from 1.4 modest, "
        "2.0 useful, 3.0 substantial and 4.0 remarkable impact. The gap is chronological "
        "age minus age equivalent (positive = behind); placement guidance expects at "
        "least 24 months behind at baseline (for SLD more than 36)."))

# %%
if ds.has("targets"):
    scores, by_area = T.review_scores(ds.targets, ds.placements, srb=srb,
                                      window_start=window_start, window_end=window_end)
    overall_gas = T.gas_summary(scores)
    gas_srb = P.with_total(T.gas_summary(scores, by="srb_id"), overall_gas, "srb_id")
    report.record("gas_by_srb", gas_srb if internal else T.display_gas(
        gas_srb, audience=audience, labels=labels))
    display(Markdown("## " + T.gas_heading(overall_gas.iloc[0], audience=audience)))
    display(Markdown(T.describe_gas(overall_gas.iloc[0], audience=audience)))
    if len(scores):
        if srb == "all":
            report.show(T.display_gas(gas_srb, audience=audience, labels=labels),
                        caption="Target attainment (GAS) by SRB")
            display(plots.gas_distribution(scores, group="srb_id", min_n=min_n,
                                           safe=not internal))
        gas_area = T.gas_summary(by_area, by="area")
        report.record("gas_by_area", gas_area if internal else T.display_gas(
            gas_area, audience=audience))
        report.show(T.display_gas(gas_area, audience=audience),
                    caption="Target attainment (GAS) by area: T-scores of each learner's "
                            "targets in that area at each review")
    display(Markdown(
        "Each target is scored at review from -2 (much less than expected) to +2 (much "
        "more); 0 is the expected outcome. A learner's targets at one review are combined "
        "into a Goal Attainment Scaling T-score (Kiresuk & Sherman 1968; Turner-Stokes "
        "2009): 50 when every target is met as expected, above 50 when more than "
        "expected. Targets not yet reviewed are left out."))
else:
    display(Markdown("## No targets were supplied"))
    display(Markdown("This dataset has no `targets` table, so target attainment is not "
                     "reported."))

# %%
if have:
    factors = (["srb_id"] if srb == "all" else []) + ["primary_need", "sex", "fsm"]
    comparisons = pd.concat([P.compare_groups(prog, by, value="rate", drop_small=True)
                             for by in factors], ignore_index=True)
    report.record("group_comparisons", comparisons if internal else P.display_comparisons(
        comparisons, audience=audience))
    tested = comparisons.loc[comparisons["test"] != ""]
    display(Markdown("## Group comparisons: " + (
        "no comparison possible with groups this small" if tested.empty else
        "differences in rate of progress found" if (tested["p_val"] < 0.05).any() else
        "no difference in rate of progress detected")))
    display(Markdown(P.describe_comparisons(comparisons)))
    if len(tested):
        report.show(P.display_comparisons(tested, audience=audience),
                    caption="Rate of progress compared between groups (Kruskal-Wallis for "
                            "three or more groups, Mann-Whitney for two)")
    untested = comparisons.loc[comparisons["test"] == "", "factor"].map(P.GROUP_TITLES)
    if len(untested):
        display(Markdown(
            "Not compared for want of two groups of at least five learners: "
            + ", ".join(f"by {f} ({k} instrument and area pairs)"
                        for f, k in untested.value_counts(sort=False).items()) + "."))
    display(Markdown(
        "Each comparison uses one result per learner (their latest placement) and only "
        "groups of at least five learners; smaller groups are left out and named. The "
        "effect size is epsilon-squared (Kruskal-Wallis; 0 = no difference, 1 = complete "
        "separation) or the rank-biserial correlation (Mann-Whitney; from -1 to 1, "
        "positive when the first-named group tends to progress faster)."))
    display(plots.rate_distribution(prog, by="primary_need", min_n=min_n,
                                    show_points=internal, safe=not internal))

# %%
if have and internal:
    below = P.below_expected(prog, audience=audience)
    display(Markdown(f"## {len(below)} results below expected progress to discuss at review"
                     if len(below) else "## No result is below expected progress"))
    if len(below):
        report.show(below, caption="Results below expected progress (internal: for the "
                                   "annual review, not for circulation)")
elif have:
    display(Markdown("## Learners below expected progress"))
    display(Markdown("The list of learners below expected progress, for discussion at "
                     "their reviews, is in the internal version of this report only."))

# %% [markdown]
# ## Caveats
# - **Baseline rule** (assumption A2): the assessment flagged as the baseline, else the
#   first assessment of that instrument and area on or after the placement start. An
#   assessment before the start is never a baseline. For a learner placed before the
#   data begin, the "baseline" is their first assessment in the data, not the true start.
# - **Too soon to judge**: progress over less than a term (0.25 years) is not judged;
#   one assessment only is "no follow-up yet", never a gain of zero.
# - **Expected progress** is judged against each instrument's expected gain a year
#   (from 75% to 125% of it is "expected"), against benchmark quartiles where supplied,
#   or, for standardised scores, against the test's measurement error (RCI). The
#   expected gains in the instruments table are the authority's; they are not national
#   norms for learners with additional learning needs.
# - **Pre-post change is not a controlled comparison** (A3): effect sizes and EEF months
#   of progress describe one group's change, labelled indicative.
# - **Brooks' ratio-gain bands** (A4) are as usually quoted; they could not be checked
#   against Brooks' text here and are kept as editable reference data.
# - **Ages** use the first day of the birth month (A8), so chronological ages and
#   reading-age gaps may be up to a month too large.
# - **Results, not learners**: band counts are of learner-instrument-area results; the
#   number of learners behind them is shown beside them. Group comparisons count each
#   learner once.
# - **Disclosure control** (A5): in the published version counts of 1 to 4 are shown
#   as "<5", percentages and statistics of fewer than 10 are hidden ("[c]"), figures
#   show only medians and quartiles of at least 10 results, and no learner is listed.
# - **Demo data** (A9): on `data/demo` the findings are synthetic and say nothing about
#   any real resource base.

# %% tags=["nbval-ignore-output"]
display(Markdown("## Provenance"))
report.show(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "srb": srb, "window_start": window_start,
    "window_end": window_end, "areas": areas, "audience": audience}))
