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
census_date = "2025-10-01"  # str: census day to count (YYYY-MM-DD), inside the data; 1 October of a year in a published report; ignored with source "published_fig3" (autumn 2020)
horizon_years = 3  # int: years ahead to forecast places, 1 to 5
source = "dataset"  # str: "dataset" (learner placements) or "published_fig3" (the census in Fig. 3 of the 2020 strategy)
audience = "published"  # str: "internal" (learner-level detail allowed) or "published" (small numbers suppressed)
language = "en"  # str: "en" (English) or "cy" (Cymraeg: Welsh, a draft translation)

# %% tags=["remove-input"]

from srb_eval.measures import forecast as forecast_measures  # noqa: E402
from srb_eval.measures import need_mix, stays, waiting  # noqa: E402
from srb_eval.measures.roll import data_start, learners_placed  # noqa: E402
from srb_eval.report import capacity as capacity_report  # noqa: E402
from srb_eval.report import capacity_records  # noqa: E402
from srb_eval.report import capacity_notes as notes  # noqa: E402
from srb_eval.report import capacity_wording as words  # noqa: E402
from srb_eval.report import differences  # noqa: E402
from srb_eval.report import disclosure  # noqa: E402
from srb_eval.report import forecast as forecast_report  # noqa: E402
from srb_eval.report import notebook as report  # noqa: E402
from srb_eval.report.i18n import format_date, use_language  # noqa: E402
from srb_eval.report.i18n import gettext as _  # noqa: E402
from srb_eval.report.plots import capacity as capacity_plots  # noqa: E402

report.setup()
language = use_language(language)
audience = disclosure.check_audience(audience)
inputs = notes.capacity_inputs(data_dir, census_date, source, horizon_years,
                               audience=audience)
ds, occ, census = inputs.ds, inputs.occupancy, inputs.census
already_published = inputs.already_published
report.say(report.header_markdown(
    _("Capacity, value for money and the places needed in the next years"),
    question=_("Are the SRB places used, do they match learners' needs, and how many will "
               "be needed in the next years?"),
    dataset_label=inputs.label, audience=audience,
    extra={_("Census date"): format_date(census, "day"), _("Source"): inputs.source_words}))
if ds is not None:
    report.withhold_if_too_small(learners_placed(ds.placements), audience=audience)

# %%
report.say(_(
    "Local authorities must keep additional learning provision under review and secure "
    "enough of it for current and likely future needs (ALN Code for Wales, chapter 7); "
    "Estyn found unfilled places in resource bases \"poor value for money\" and waits for "
    "admission of \"a number of months\" (Estyn 2008, *Joining in*). This report counts the "
    "learners on roll in each resource base (SRB) against its places on the census date, "
    "then, where learner records allow, the waits for a place, the mix of needs, how long "
    "learners stay, and a forecast of the places each phase will need."))

# %%
report.say("## " + words.occupancy_heading(
    occ, audience=audience, already_published=already_published))
if already_published:
    report.say(notes.published_source_note(inputs))
elif audience == "published":
    report.say(notes.suppression_note())
report.say("\n".join("- " + s for s in words.occupancy_sentences(
    occ, audience=audience, already_published=already_published)))
occupancy_table = capacity_report.display_occupancy(occ, audience=audience,
                                                    already_published=already_published)
published = audience == "published" and not already_published
report.show(words.shown(report.record(
    "occupancy", occupancy_table, disclosure=capacity_records.occupancy_record(
        occ, occupancy_table) if published else None)),
    caption=_("Learners on roll against places, per SRB"))
report.show_figure(capacity_plots.occupancy_bars(occ, audience=audience,
                                      already_published=already_published))

# %%
phase_table = capacity_report.display_occupancy_summary(
    occ, audience=audience, already_published=already_published)
report.say("### " + _("By phase"))
report.show(words.shown(report.record(
    "occupancy_by_phase", phase_table, disclosure=capacity_records.occupancy_summary_record(
        occ, phase_table) if published else None)),
    caption=_("Places and learners on roll by phase"))
if audience == "internal" or already_published:
    report.say("### " + _("By designation") + "\n" + _(
        "An SRB designated for several needs is counted under each, so these rows overlap "
        "and do not add up to the total."))
    report.show(words.shown(report.record("occupancy_by_designation",
                                          capacity_report.display_occupancy_summary(
                                              occ, audience=audience, by="designation",
                                              already_published=already_published))))

# %%
if ds is None:
    report.say("## " + _("Waiting times, length of stay, turnover and the forecast are not "
                         "available") + "\n" + _(
        "They need learner records (referral, panel and start dates, birth months), which a "
        "published census does not have. Run this report on a dataset "
        "(`source = \"dataset\"`) for them."))
else:
    waits = waiting.waiting_time_summary(ds, since=notes.waits_since(census), until=census)
    report.say("## " + words.waiting_time_heading(waits, audience=audience))
    report.say(notes.waits_note(census))
    report.say("\n".join("- " + s for s in words.waiting_time_sentences(
        waits, audience=audience)))
    waits_shown = capacity_report.display_waiting_times(waits, audience=audience)
    report.show(words.shown(report.record(
        "waiting_times", waits_shown, disclosure=capacity_records.waiting_times_record(
            waits_shown, since=notes.waits_since(census), until=census, phases=occ["phase"])
        if published else None)),
        caption=_("Waits for a place, in weeks, by phase"))
    report.say(differences.estyn_waits_pointer())

# %%
if ds is None:
    report.say("## " + words.fig2_heading(inputs.fig2))
    report.say(_(
        "Fig. 2 of the 2020 strategy gives the share of *all* pupils with a statement of SEN "
        "in the authority by category, not of SRB learners, and publishes no counts, so "
        "whether the change is more than chance cannot be tested."))
    report.show(words.shown(report.record("fig2_need_mix",
                                          capacity_report.display_fig2(inputs.fig2))),
                caption=_("Share of statemented pupils by SEN category, 2020 (Fig. 2)"))
    report.show_figure(capacity_plots.fig2_bars(inputs.fig2))
else:
    year_before, _census = notes.need_mix_dates(census)
    change = need_mix.need_mix_change(ds, year_before, census)
    shift = need_mix.need_mix_test(ds, year_before, census, min_n=disclosure.statistic_min_n(
        audience, need_mix.TEST_MIN_N))
    report.say("## " + words.need_mix_heading(change, shift, audience=audience))
    report.say("\n".join("- " + s for s in words.need_mix_sentences(
        change, shift, audience=audience)))
    mix_shown = capacity_report.display_need_mix(change, audience=audience)
    report.show(words.shown(report.record(
        "need_mix", mix_shown, disclosure=capacity_records.need_mix_record(
            change, mix_shown, date_from=year_before, date_to=census) if published else None)),
        caption=_("Learners on roll by primary need on {since} and {date}").format(
            since=format_date(year_before, "day"), date=format_date(census, "day")))
    report.show_figure(capacity_plots.need_mix_bars(change, shift, audience=audience))

# %%
if ds is not None:
    los = stays.length_of_stay(ds, census)
    churn = stays.turnover(ds, until=census)
    report.say("## " + words.stay_heading(los, churn, audience=audience))
    report.say(_(
        "Completed stays are those of learners who left since the data began; stays so far "
        "are those of learners on roll on the census date; the Kaplan-Meier median follows "
        "everyone admitted since the data began, counting those still placed. Turnover is "
        "leavers in a school year divided by the average number on roll."))
    los_shown, churn_shown = capacity_report.display_stays(los, churn, audience=audience)
    los_record, churn_record = capacity_records.stays_records(
        los_shown, churn_shown, census=census, data_start=data_start(ds),
        phases=occ["phase"]) if published else (None, None)
    report.show(words.shown(report.record("length_of_stay", los_shown, disclosure=los_record)),
                caption=_("Length of stay in years, by phase"))
    if churn.empty:
        report.say(_("No complete school year is covered by the data, so turnover cannot be "
                     "measured yet."))
    else:
        report.show(words.shown(report.record("turnover", churn_shown,
                                              disclosure=churn_record)),
                    caption=_("Annual turnover by phase"))

# %%
if ds is not None:
    forecast = forecast_measures.forecast_places(ds, census, horizon_years)
    report.say("## " + forecast_report.forecast_heading(forecast, audience=audience))
    report.say("\n".join("- " + s for s in forecast_report.forecast_sentences(
        forecast, audience=audience)))
    report.show_figure(capacity_plots.forecast_fan(forecast, audience=audience))
    forecast_shown = forecast_report.display_forecast(forecast, audience=audience)
    report.show(words.shown(report.record(
        "forecast", forecast_shown, disclosure=forecast_report.forecast_record(
            forecast, forecast_shown, census=census, phases=occ["phase"])
        if published else None)),
        caption=_("Places needed by phase (expected number on roll at each census) against "
                  "places"))
    report.say(notes.forecast_assumptions_note())
    inputs_shown = forecast_report.display_forecast_inputs(forecast, audience=audience)
    report.show(words.shown(report.record(
        "forecast_inputs", inputs_shown, disclosure=forecast_report.forecast_inputs_record(
            forecast, inputs_shown, census=census, phases=occ["phase"])
        if published else None)),
        caption=_("Inputs of the forecast, by phase"))

# %% tags=["remove-input"]
report.say(notes.caveats_markdown())

# %% tags=["nbval-ignore-output"]
report.say("## " + _("Provenance"))
report.show(report.provenance_frame(inputs.files, {
    "data_dir": data_dir, "census_date": census_date, "horizon_years": horizon_years,
    "source": source, "audience": audience}))
