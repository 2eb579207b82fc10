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
data_dir = "data/demo"  # str: dataset folder (CSV/Parquet) or Excel workbook; with source "published_fig3", the folder holding fig3_resource_bases.csv (else data/published is used)
census_date = "2025-10-01"  # str: census day to count (YYYY-MM-DD), inside the data; ignored with source "published_fig3" (autumn 2020)
horizon_years = 3  # int: years ahead to forecast places, 1 to 5
source = "dataset"  # str: "dataset" (learner placements) or "published_fig3" (the census in Fig. 3 of the 2020 strategy)
audience = "published"  # str: "internal" (learner-level detail allowed) or "published" (small numbers suppressed)

# %% tags=["remove-input"]
import pandas as pd  # noqa: E402 - imports follow the parameters cell by design
from IPython.display import Markdown, display  # noqa: E402

from srb_eval import capacity, load_dataset
from srb_eval.errors import ParameterError  # noqa: E402
from srb_eval.paths import PUBLISHED_DATA_DIR  # noqa: E402
from srb_eval.report import disclosure
from srb_eval.report import notebook as report  # noqa: E402
from srb_eval.report.plots import capacity as capacity_plots  # noqa: E402

report.setup()
audience = disclosure.check_audience(audience)
if source not in ("dataset", "published_fig3"):
    raise ParameterError(f"source: must be 'dataset' or 'published_fig3'; got {source!r}")
if not isinstance(horizon_years, int) or isinstance(horizon_years, bool) \
        or not 1 <= horizon_years <= 5:
    raise ParameterError(f"horizon_years: must be a whole number from 1 to 5; "
                         f"got {horizon_years!r}")
try:
    census = pd.Timestamp(census_date).normalize()
except (TypeError, ValueError):
    census = pd.NaT
if pd.isna(census):
    raise ParameterError(f"census_date: must be a date such as '2025-10-01'; "
                         f"got {census_date!r}")

path = report.data_path(data_dir)
if source == "dataset":
    ds = load_dataset(path)
    files = dict(ds.files)
    label = report.dataset_label(path)
    occ = capacity.occupancy(ds, census)
    already_published = False
    source_words = "learner placements in the dataset"
else:
    ds = None
    folder = path if (path / capacity.FIG3_FILE).is_file() else PUBLISHED_DATA_DIR
    fig3 = capacity.load_published_fig3(folder)
    fig2 = capacity.load_published_fig2(folder)
    files = {**fig3.files, "fig2": str(folder / capacity.FIG2_FILE)}
    label = report.dataset_label(folder)
    occ = capacity.occupancy_from_census(fig3.srbs, fig3.census)
    census = pd.Timestamp(fig3.census["census_date"].iloc[0])
    already_published = True
    source_words = "the published census in Fig. 3 of the 2020 strategy"
display(Markdown(report.header_markdown(
    "Capacity, value for money and the places needed in the next years",
    dataset_label=label, audience=audience,
    extra={"Census date": f"{census.day} {census:%B %Y}", "Source": source_words})))

# %% [markdown]
# Local authorities must keep additional learning provision under review and secure
# enough of it for current and likely future needs (ALN Code for Wales, chapter 7);
# Estyn found unfilled places in resource bases "poor value for money" and waits for
# admission of "a number of months" (Estyn 2008, *Joining in*). This report counts the
# learners on roll in each resource base (SRB) against its places on the census date,
# then, where learner records allow, the waits for a place, the mix of needs, how long
# learners stay, and a forecast of the places each phase will need.

# %%
display(Markdown("## " + capacity.occupancy_heading(
    occ, audience=audience, already_published=already_published)))
if already_published:
    display(Markdown(
        f"Source: {fig3.source} \"Numbers Autumn 2020\" are counted as on roll on "
        f"{census.day} {census:%B %Y} (the exact day is not published). These figures "
        "are already public, so they are shown as published, without suppression."))
elif audience == "published":
    display(Markdown(
        "Counts from 1 to 4 are shown as '<5'; '[c]' marks a figure hidden so that a "
        "small count cannot be worked out from the totals."))
display(Markdown("\n".join("- " + s for s in capacity.occupancy_sentences(
    occ, audience=audience, already_published=already_published))))
occupancy_table = capacity.display_occupancy(occ, audience=audience,
                                             already_published=already_published)
report.show(report.record("occupancy", occupancy_table),
            caption="Learners on roll against places, per SRB")
display(capacity_plots.occupancy_bars(occ, audience=audience,
                                      already_published=already_published))

# %%
phase_table = capacity.display_occupancy_summary(occ, audience=audience,
                                                 already_published=already_published)
display(Markdown("### By phase"))
report.show(report.record("occupancy_by_phase", phase_table),
            caption="Places and learners on roll by phase")
if audience == "internal" or already_published:
    display(Markdown(
        "### By designation\nAn SRB designated for several needs is counted under each, "
        "so these rows overlap and do not add up to the total."))
    report.show(report.record("occupancy_by_designation", capacity.display_occupancy_summary(
        occ, audience=audience, by="designation", already_published=already_published)))

# %%
if ds is None:
    display(Markdown(
        "## Waiting times, length of stay, turnover and the forecast are not available\n"
        "They need learner records (referral, panel and start dates, birth months), which "
        "a published census does not have. Run this report on a dataset "
        "(`source = \"dataset\"`) for them."))
else:
    since = census - pd.DateOffset(years=3)
    waits = capacity.waiting_time_summary(ds, since=since, until=census)
    display(Markdown("## " + capacity.waiting_time_heading(waits, audience=audience)))
    display(Markdown(
        f"Placements that started between {since.day} {since:%B %Y} and "
        f"{census.day} {census:%B %Y}; a median is given for 3 or more placements."))
    display(Markdown("\n".join("- " + s for s in capacity.waiting_time_sentences(
        waits, audience=audience))))
    report.show(report.record("waiting_times", capacity.display_waiting_times(
        waits, audience=audience)), caption="Waits for a place, in weeks, by phase")

# %%
if ds is None:
    display(Markdown("## " + capacity.fig2_heading(fig2)))
    display(Markdown(
        "Fig. 2 of the 2020 strategy gives the share of *all* pupils with a statement of "
        "SEN in the authority by category, not of SRB learners, and publishes no counts, "
        "so whether the change is more than chance cannot be tested."))
    report.show(report.record("fig2_need_mix", capacity.display_fig2(fig2)),
                caption="Share of statemented pupils by SEN category, 2020 (Fig. 2)")
    display(capacity_plots.fig2_bars(fig2))
else:
    year_before = census - pd.DateOffset(years=1)
    change = capacity.need_mix_change(ds, year_before, census)
    shift = capacity.need_mix_test(ds, year_before, census)
    display(Markdown("## " + capacity.need_mix_heading(change, shift, audience=audience)))
    display(Markdown("\n".join("- " + s for s in capacity.need_mix_sentences(
        change, shift, audience=audience))))
    report.show(report.record("need_mix", capacity.display_need_mix(
        change, audience=audience)), caption="Learners on roll by primary need "
        f"on {year_before.day} {year_before:%B %Y} and {census.day} {census:%B %Y}")
    display(capacity_plots.need_mix_bars(change, shift, audience=audience))

# %%
if ds is not None:
    stays = capacity.length_of_stay(ds, census)
    churn = capacity.turnover(ds, until=census)
    display(Markdown("## " + capacity.stay_heading(stays, churn, audience=audience)))
    display(Markdown(
        "Completed stays are those of learners who left since the data began; stays so "
        "far are those of learners on roll on the census date; the Kaplan-Meier median "
        "follows everyone admitted since the data began, counting those still placed. "
        "Turnover is leavers in a school year divided by the average number on roll."))
    report.show(report.record("length_of_stay", capacity.display_length_of_stay(
        stays, audience=audience)), caption="Length of stay in years, by phase")
    if churn.empty:
        display(Markdown("No complete school year is covered by the data, so turnover "
                         "cannot be measured yet."))
    else:
        report.show(report.record("turnover", capacity.display_turnover(
            churn, audience=audience)), caption="Annual turnover by phase")

# %%
if ds is not None:
    forecast = capacity.forecast_places(ds, census, horizon_years)
    display(Markdown("## " + capacity.forecast_heading(forecast, audience=audience)))
    display(Markdown("\n".join("- " + s for s in capacity.forecast_sentences(
        forecast, audience=audience))))
    display(capacity_plots.forecast_fan(forecast, audience=audience))
    report.show(report.record("forecast", capacity.display_forecast(
        forecast, audience=audience)), caption="Places needed by phase (expected number "
        "on roll at each census) against places")
    display(Markdown(
        "### What the forecast assumes\n"
        "Today's learners stay until the end of the school year in which they reach "
        "their SRB's upper age, unless they leave earlier at the recent early-exit rate "
        "of their phase; new learners arrive at the recent average rate (a Poisson count) "
        "and are as old on arrival as recent ones. The interval is the range within "
        "which the number needed falls with 80% probability if these assumptions hold."))
    report.show(report.record("forecast_inputs", capacity.display_forecast_inputs(
        forecast, audience=audience)), caption="Inputs of the forecast, by phase")

# %% [markdown]
# ## Caveats
# - **On roll** means placed on the census date (started on or before it, not yet
#   ended); one day's count can differ from the average over a term. The capacity is the
#   one recorded for each SRB now; planned changes are applied to the forecast only when
#   given to `capacity.forecast_places` (`planned_changes`).
# - **Under-used** (fewer than 75% of places filled) is a local yardstick, not a
#   published standard: Estyn calls unfilled places poor value for money without a
#   threshold.
# - **Waits** exclude placements missing a referral, panel or start date (counted in the
#   table). They describe learners who were admitted; learners still waiting, or
#   placed elsewhere, are not included.
# - **History.** Admissions, leavers and turnover are counted only from the first day
#   the placement records are taken to be complete (the September before the first
#   recorded leaver), because exports often omit placements that ended earlier.
# - **Need mix.** The shift is tested on learners who left against learners who joined
#   (the learners on roll at both dates are the same people). With a few dozen movers
#   the test has little power: "no clear shift" is not proof of no change.
# - **Forecast.** Admissions continue at the average of the last three years, with no
#   trend; the interval ignores the uncertainty in that average, so it is too narrow if
#   demand is changing. Learners who age out of a primary SRB re-enter only through the
#   secondary admissions rate. Demand is not capped by places, and a new SRB adds places,
#   not demand. The 2025 committee report forecast "20 further places ... at primary in
#   the next two to three years": a local forecast can be set beside it, not checked
#   against it.
# - **Fig. 2 and Fig. 3** are transcribed from the 2020 strategy (consultation draft);
#   see `data/published/README.md` for the mapping of its categories to need codes.

# %% tags=["nbval-ignore-output"]
display(Markdown("## Provenance"))
report.show(report.provenance_frame(files, {
    "data_dir": data_dir, "census_date": census_date, "horizon_years": horizon_years,
    "source": source, "audience": audience}))
