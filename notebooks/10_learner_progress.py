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
language = "en"  # str: "en" (English) or "cy" (Cymraeg: Welsh, a draft translation)

# %% tags=["remove-input"]
import pandas as pd

from srb_eval import load_dataset
from srb_eval.measures import moves as MV
from srb_eval.measures import progress as P
from srb_eval.measures import progress_groups as G
from srb_eval.measures import progress_scales as S
from srb_eval.measures import regression_to_mean as RM
from srb_eval.measures import targets as T
from srb_eval.measures.roll import learners_placed
from srb_eval.report import differences as DF
from srb_eval.report import disclosure
from srb_eval.report import notebook as report
from srb_eval.report import progress as W
from srb_eval.report import progress_linked as L
from srb_eval.report import progress_records as R
from srb_eval.report import progress_tables as D
from srb_eval.report import regression_wording as RW
from srb_eval.report.inclusion import srb_labels
from srb_eval.report import targets as RT
from srb_eval.report.i18n import (area_word, in_language, join_and, ngettext, pgettext,
                                  use_language)
from srb_eval.report.i18n import gettext as _
from srb_eval.report.progress_words import group_title, header_words, shown
from srb_eval.report.plots import progress as plots

report.setup()
language = use_language(language)
audience = disclosure.check_audience(audience)
path = report.data_path(data_dir)
ds = load_dataset(path)
p = W.check_report_parameters(srb=srb, srb_ids=ds.srbs["srb_id"], window_start=window_start,
                              window_end=window_end, areas=areas)
internal = audience == "internal"
min_n = 1 if internal else disclosure.DEFAULT_THRESHOLDS.min_denominator
with in_language("en"):  # the tables are recorded in English
    labels = srb_labels(ds.srbs)
label_words = srb_labels(ds.srbs)  # in the report's language, for sentences and figures
window = pgettext("window", "{start} to {end}").format(
    start=window_start or _("start of the data"), end=window_end or _("end of the data"))
report.say(report.header_markdown(
    _("Learner progress against baselines"), dataset_label=report.dataset_label(path),
    question=_("Are learners making the progress expected of them from their baseline "
               "assessments, and in which areas and groups?"),
    audience=audience,
    extra={_("Resource base"): pgettext("resource base", "all") if srb == "all"
           else label_words[srb], _("Window"): window,
           _("Areas"): pgettext("areas", "all") if p["areas"] == "all"
           else ", ".join(area_word(a) for a in p["areas"])}))
report.withhold_if_too_small(learners_placed(ds.placements, srb), audience=audience)
has_progress = ds.has("assessments") and ds.has("instruments")
prog = P.dataset_progress(ds, srb=srb, areas=p["areas"], window_start=window_start,
                          window_end=window_end) if has_progress else None
have = prog is not None and len(prog) > 0
instruments = sorted(prog["instrument"].unique()) if have else []
measures = R.progress_measures(window_start=window_start, window_end=window_end,
                               areas=p["areas"])
categories = R.progress_categories(ds.srbs, ds.learners, ds.assessments if has_progress
                                   else None, ds.targets if ds.has("targets") else None)
std = P.instruments_on_scale(prog, "standard_score") if have else []
rc = S.reliable_change(prog, ds.instruments, errors="skip") if std else None
rsum = G.rci_summary(rc) if std else None
rtm = (RM.regression_summary(RM.change_beyond_regression(rc, ds.instruments))
       if std and len(rsum) else None)
# every figure, table and sentence that counts improvements carries this caveat
rtm_shown = rtm is not None and len(rtm) > 0
caveat_before, caveat_after = (RW.regression_caveat(rtm_shown, where=w)
                               for w in ("below", "above"))

# %%
report.say(W.introduction())

# %%
if not has_progress:
    report.say("## " + _("No assessment records were supplied"))
    report.say(_(
        "This dataset has no `assessments` or no `instruments` table, so progress from "
        "baseline cannot be measured and those sections are skipped. Target attainment "
        "(below) does not need them."))
elif not have:
    report.say("## " + _("No assessments for this resource base in the window"))
    report.say((_("No learner placed in any resource base has an assessment in the chosen "
                  "areas from {window}, so the progress sections are skipped.")
                if srb == "all" else
                _("No learner placed in {srb} has an assessment in the chosen areas from "
                  "{window}, so the progress sections are skipped.")).format(
        srb=srb, window=window))

# %%
if have:
    # every resource base's progress: a per-SRB report's learners are the all-SRB row's
    everyone = prog if srb == "all" else P.dataset_progress(
        ds, srb="all", areas=p["areas"], window_start=window_start, window_end=window_end)
    cov = G.coverage(everyone, ds.placements, srb=srb, window_start=window_start,
                     window_end=window_end)
    cov_shown = D.display_coverage(cov, audience=audience, part_of_all=srb != "all")
    report.record("coverage", cov if internal else cov_shown,
                  disclosure=None if internal else R.coverage_record(
                      cov, cov_shown, measures=measures, categories=categories, srb=srb))
    report.say("## " + W.coverage_heading(cov.iloc[0], audience=audience,
                                          part_of_all=srb != "all"))
    report.say(W.describe_coverage(cov.iloc[0], audience=audience, part_of_all=srb != "all"))
    summary = G.group_summary(prog)
    gains = D.display_gains(summary, audience=audience)
    report.record("progress_by_area", summary if internal else gains,
                  disclosure=None if internal else R.gains_record(
                      summary, gains, measures=measures, categories=categories, srb=srb))
    report.show(shown(gains), caption=_(
        "Gain from baseline to latest assessment, by instrument and area (results measured "
        "over at least a term)"))
    report.say(W.gains_note())

# %%
if have:
    overall = G.band_summary(prog)
    report.say("## " + W.band_heading(overall.iloc[0], audience=audience))
    report.say(W.describe_bands(overall.iloc[0], audience=audience))
    # a per-SRB report's counts are parts of the all-SRB report's, protected with them
    prog_all = None if internal or srb == "all" else everyone
    others = [] if prog_all is None else L.published_srbs(ds.placements, ds.srbs["srb_id"])
    area_bands = L.bands_by_area(prog, summary, gains, audience=audience,
                                 progress_all=prog_all)
    report.show(shown(area_bands if internal else report.record(
                    "bands_by_area", area_bands, disclosure=R.bands_record(
                        summary, area_bands, by="pair", table_name="bands_by_area",
                        measures=measures, categories=categories, srb=srb))),
                caption=_("Expected progress by instrument and area"))
    report.say(caveat_before)
    for inst in instruments:
        report.show_figure(plots.slope_chart(prog, instrument=inst, min_n=min_n, safe=not internal,
                                             learner_total=internal or srb == "all"))
        report.show_figure(plots.trajectory_panels(P.trajectory_points(ds.assessments,
                                                             prog.loc[prog["instrument"]
                                                                      == inst]),
                                        instrument=inst, min_n=min_n,
                                        aggregate=True if not internal else None))
    if not internal:
        report.say(W.figures_note(min_n))
    moved = DF.moved_learners_note(prog, audience=audience)
    if moved:
        report.say(moved)

# %%
if have:
    groups = (["srb_id"] if srb == "all" else []) + ["primary_need"]
    for by in groups:
        table, table_shown = L.bands_by_group(prog, by=by, srb=srb, audience=audience,
                                              labels=labels, progress_all=prog_all,
                                              others=others)
        name = f"bands_by_{'srb' if by == 'srb_id' else 'need'}"
        report.record(name, table if internal else table_shown,
                      disclosure=None if internal else R.bands_record(
                          table, table_shown, by=by, table_name=name, measures=measures,
                          categories=categories, srb=srb))
        drawn = D.shown_bands(table, table_shown, audience=audience)
        report.say("### " + group_title("Expected progress by {group}", by))
        report.say(W.describe_band_range(drawn, by, audience=audience, labels=label_words))
        report.show(shown(table_shown), caption=group_title(
            "Results below, at and above expected progress by {group}", by))
        report.show_figure(plots.band_bars(
            drawn.loc[drawn[by] != "all"], group=by, min_n=min_n,
            min_count=1 if internal else disclosure.DEFAULT_THRESHOLDS.min_count,
            group_labels=label_words))
        report.say(caveat_before)
        if by == "primary_need":  # the figure of rates leaves out what this hides
            needs_hidden = D.hidden_groups(table, table_shown, by=by) if not internal else []
        if by == "srb_id":
            bands_srb_shown = table_shown
            if moved:
                report.say(moved)

# %%
if have and srb == "all":
    # learners who moved between resource bases, measured over the whole stay
    moved = MV.progress_across_moves(ds.assessments, ds.placements, ds.instruments,
                                     srbs=ds.srbs, learners=ds.learners, areas=p["areas"],
                                     window_start=window_start, window_end=window_end)
    if len(moved):
        moved_bands = G.band_summary(moved, by=["instrument", "area"])
        moved_shown = D.display_bands(moved_bands, audience=audience,
                                      total=G.band_summary(moved))
        report.say("### " + _("Progress over a stay across a move"))
        report.say(W.moves_note(max_gap_days=MV.MAX_MOVE_GAP_DAYS))
        if internal:
            report.say(W.describe_bands(G.band_summary(moved).iloc[0], audience=audience))
        report.record("bands_across_moves", moved_bands if internal else moved_shown,
                      disclosure=None if internal else R.bands_record(
                          moved_bands, moved_shown, by="pair",
                          table_name="bands_across_moves",
                          measures=R.moves_measures(measures), categories=categories,
                          srb=srb))
        report.show(shown(moved_shown), caption=_(
            "Expected progress over a stay across a move, by instrument and area"))
        report.say(caveat_before)

# %%
if std:
    skipped = sorted(set(std) - set(rc["instrument"]))
    rci_shown = L.reliable_change_table(rsum, summary, gains, area_bands, audience=audience)
    report.record("reliable_change", rsum if internal else rci_shown,
                  disclosure=None if internal else R.rci_record(
                      rsum, rci_shown, measures=measures, categories=categories, srb=srb,
                      judged_pairs=R.rci_banded_pairs(prog),
                      measured=R.measured_texts(summary, gains)))
    report.say("## " + (_("Standardised scores: reliable change") if len(rsum)
                        else _("Standardised scores: no reliable change index available")))
    report.say(W.describe_rci(D.shown_rci(rsum, rci_shown, audience=audience),
                              audience=audience))
    if len(rsum):
        report.show(shown(rci_shown),
                    caption=_("Reliable Change Index (Jacobson & Truax 1991) by instrument "
                              "and area"))
        report.say(caveat_before)
    if skipped:
        report.say(_("The Reliable Change Index needs each instrument's population SD and "
                     "reliability; they are missing for {instruments}, so it is not given "
                     "there.").format(instruments=join_and(skipped)))
    report.say(W.rci_note())

# %%
if rtm_shown:
    rtm_shown = RW.display_regression(rtm, audience=audience, shown_counts=rci_shown)
    report.record("regression_to_the_mean", rtm if internal else rtm_shown,
                  disclosure=None if internal else RW.regression_record(
                      rtm, rtm_shown, measures=measures, srb=srb))
    report.say("### " + _(RW.REGRESSION_HEADING))
    report.say(_(RW.REGRESSION_EXPLAINED))
    report.show(shown(rtm_shown), caption=_(
        "Average change on standardised scores, the part regression to the mean alone "
        "would give, and the rest"))
    said = RW.regression_sentences(rtm, rtm_shown)
    if said:
        report.say("\n".join(f"- {s}" for s in said))

# %%
ae = P.instruments_on_scale(prog, "age_equivalent_months") if have else []
if ae:
    rg = S.ratio_gain(prog)
    rgs = G.ratio_gain_summary(rg)
    rg_shown = D.display_ratio_gain(rgs, audience=audience)
    report.record("ratio_gain", rgs if internal else rg_shown,
                  disclosure=None if internal else R.ratio_gain_record(
                      rgs, rg_shown, measures=measures, categories=categories, srb=srb))
    report.say("## " + W.ratio_gain_heading(rg, audience=audience))
    report.say(W.ratio_gain_note() + " " + _("The table is in the appendix."))

# %%
if ds.has("targets"):
    scores, by_area = T.review_scores(ds.targets, ds.placements, srb=srb,
                                      window_start=window_start, window_end=window_end)
    overall_gas = T.gas_summary(scores)
    # a per-SRB report hides at least what the all-SRB report hides of its resource base
    scores_all = None if internal or srb == "all" else T.review_scores(
        ds.targets, ds.placements, srb="all", window_start=window_start,
        window_end=window_end)[0]
    gas_srb, gas_srb_shown = L.gas_by_srb(scores, srb=srb, audience=audience, labels=labels,
                                          scores_all=scores_all)
    report.record("gas_by_srb", gas_srb if internal else gas_srb_shown,
                  disclosure=None if internal else R.gas_records(
                      gas_srb, gas_srb_shown, by="srb_id", table_name="gas_by_srb",
                      measures=measures, categories=categories, srb=srb))
    report.say("## " + RT.gas_heading(overall_gas.iloc[0], audience=audience))
    report.say(RT.describe_gas(overall_gas.iloc[0], audience=audience))
    if len(scores):
        if srb == "all":
            report.show(shown(gas_srb_shown), caption=_("Target attainment (GAS) by SRB"))
            report.show_figure(plots.gas_distribution(scores, group="srb_id", min_n=min_n,
                                           safe=not internal))
            counts_note = DF.learner_counts_note(
                shown(bands_srb_shown), shown(gas_srb_shown), by=header_words("SRB"),
                column=header_words("learners"), second_counts="targets reviewed",
                first_counts="assessment results judged against expected progress",
                message=W.COUNTS_DIFFER) if have else ""
            if counts_note:
                report.say(counts_note)
        gas_area = T.gas_summary(by_area, by="area")
        gas_area_shown = RT.display_gas(gas_area, audience=audience, total=overall_gas)
        report.record("gas_by_area", gas_area if internal else gas_area_shown,
                      disclosure=None if internal else R.gas_records(
                          gas_area, gas_area_shown, by="area", table_name="gas_by_area",
                          measures=measures, categories=categories, srb=srb))
        report.show(shown(gas_area_shown),
                    caption=_("Target attainment (GAS) by area: T-scores of each learner's "
                              "targets in that area at each review"))
    report.say(W.gas_note())
else:
    report.say("## " + _("No targets were supplied"))
    report.say(_("This dataset has no `targets` table, so target attainment is not "
                 "reported."))

# %%
if have:
    factors = (["srb_id"] if srb == "all" else []) + ["primary_need", "sex", "fsm"]
    compare_n = D.comparison_min_n(audience)
    comparisons = pd.concat([G.compare_groups(prog, by, value="rate", drop_small=True,
                                              min_n=compare_n)
                             for by in factors], ignore_index=True)
    comp_shown = D.display_comparisons(comparisons, audience=audience)
    report.record("group_comparisons", comparisons if internal else comp_shown,
                  disclosure=None if internal else R.comparisons_record(
                      comparisons, comp_shown, measures=measures, srb=srb))
    tested = comparisons.loc[comparisons["test"] != ""]
    report.say("## " + W.comparisons_heading(comparisons))
    report.say(W.describe_comparisons(comparisons, min_n=compare_n))
    if W.describe_untested(comparisons, min_n=compare_n):
        report.say(W.describe_untested(comparisons, min_n=compare_n))
    if len(tested):
        report.say(_("Each test is listed in the appendix."))
    report.show_figure(plots.rate_distribution(prog, by="primary_need", min_n=min_n,
                                    show_points=internal, safe=not internal,
                                    learner_total=internal or srb == "all",
                                    hidden=needs_hidden))

# %%
if have and internal:
    below = W.below_expected(prog, audience=audience)
    report.say("## " + (ngettext(
        "{n} result below expected progress to discuss at review",
        "{n} results below expected progress to discuss at review", len(below)).format(
            n=len(below)) if len(below) else _("No result is below expected progress")))
    if len(below):
        report.say(_("Grouped by resource base: open one to see its learners' results "
                     "(internal: for the annual review, not for circulation)."))
        report.show_by_group(
            shown(below), header_words("SRB"), counted=lambda name, n: ngettext(
                "{name}: {n} result below expected", "{name}: {n} results below expected",
                n).format(name=name, n=n),
            names=label_words, order=list(label_words),
            caption=_("Results below expected progress"))
elif have:
    report.say("## " + _("Learners below expected progress"))
    report.say(_("The list of learners below expected progress, for discussion at their "
                 "reviews, is in the internal version of this report only."))

# %%
report.say(W.caveats(regression=caveat_after))

# %%
report.say("## " + _("Appendix: statistical detail and glossary"))
if ae:
    report.show(shown(rg_shown),
                caption=_("Brooks' ratio gain and the gap between age-equivalent and "
                          "chronological age"))
    if counted := DF.results_and_learners_note(
            shown(rg_shown), learners=header_words("learners"),
            results=(header_words("ratio gains measured"), header_words("gaps known")),
            label=(header_words("instrument"), header_words("area"))):
        report.say(counted)
    report.say(caveat_after)
if have and len(tested):
    report.say(W.comparisons_note(min_n=compare_n, named=internal))
    report.say(_("Open a grouping to see its tests."))
    report.show_by_group(
        shown(D.display_comparisons(tested, audience=audience)), header_words("compared by"),
        counted=lambda name, n: ngettext("{name}: {n} test", "{name}: {n} tests", n).format(
            name=name, n=n), caption=_(
            "Rate of progress compared between groups (Kruskal-Wallis for three or more "
            "groups, Mann-Whitney for two)"))
report.say(W.glossary())

# %% tags=["nbval-ignore-output"]
report.say("## " + _("Provenance"))
report.show_folded(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "srb": srb, "window_start": window_start,
    "window_end": window_end, "areas": areas, "audience": audience, "language": language}),
    _("Parameters, input files (SHA-256), package versions and git commit"))
