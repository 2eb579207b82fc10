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
window_start = None  # str or None: first period_start included, YYYY-MM-DD; None: from the start
window_end = None  # str or None: last period_start included, YYYY-MM-DD; None: to the end
period = "term"  # str: period of a share: "week", "half_term", "term" or "school_year"
core_subjects = None  # list of str or None: core subjects by name; None: the core column
thresholds = [0.5, 0.6]  # list of float: yardsticks, share of all time (city council; Estyn 2008)
core_threshold = 0.8  # float: exit criterion, share of core-subject time (LA SRB guidance 2025)
audience = "published"  # str: "internal" (learner-level detail) or "published" (suppressed counts)
language = "en"  # str: "en" (English) or "cy" (Cymraeg: Welsh, a draft translation)

# %% tags=["remove-input"]

from srb_eval import load_dataset
from srb_eval.measures import inclusion_data, inclusion_groups, inclusion_trends, subjects
from srb_eval.measures.roll import learners_placed
from srb_eval.report import disclosure
from srb_eval.report import inclusion as words
from srb_eval.report import inclusion_records as records
from srb_eval.report import inclusion_tables as tables
from srb_eval.report import inclusion_thresholds as TH
from srb_eval.report import notebook as report
from srb_eval.report.i18n import gettext as _
from srb_eval.report.i18n import pgettext, use_language
from srb_eval.report.inclusion_words import PERIOD_WORDS, group_title, period_phrase, shown
from srb_eval.report.plots import inclusion as plots

report.setup()
language = use_language(language)
audience = disclosure.check_audience(audience)
path = report.data_path(data_dir)
ds = load_dataset(path)
p = words.check_report_parameters(
    srb=srb, srb_ids=ds.srbs["srb_id"], window_start=window_start, window_end=window_end,
    period=period, core_subjects=core_subjects, thresholds=thresholds,
    core_threshold=core_threshold)
internal = audience == "internal"
min_n = 1 if internal else disclosure.DEFAULT_THRESHOLDS.min_denominator
labels = words.srb_labels(ds.srbs)
window = pgettext("window", "{start} to {end}").format(
    start=window_start or _("start of the data"), end=window_end or _("end of the data"))
report.say(report.header_markdown(
    _("Inclusion: time in mainstream classes"), dataset_label=report.dataset_label(path),
    question=_("How much of the week do learners spend in mainstream classes, in which "
               "subjects, and is it rising?"),
    audience=audience,
    extra={_("Resource base"): pgettext("resource base", "all") if srb == "all"
           else labels[srb],
           _("Shares per"): _(PERIOD_WORDS[p["period"]]), _("Window"): window,
           _("Core subjects"): _("as flagged in the data") if core_subjects is None
           else ", ".join(core_subjects)}))
report.withhold_if_too_small(learners_placed(ds.placements, srb), audience=audience)
if not ds.has("inclusion"):
    data = None
else:
    kw = {"window_start": window_start, "window_end": window_end, "period": period,
          "core_subjects": core_subjects}
    whole = inclusion_data.prepare(ds.inclusion, ds.placements, ds.srbs, **kw)
    data = inclusion_data.learners_in(whole, srb)  # the all-SRB row's learners of srb
    periods = whole if srb == "all" else inclusion_data.prepare(  # periods in srb
        ds.inclusion, ds.placements, ds.srbs, srb=srb, **kw)
have = data is not None and len(data.latest) > 0

# %%
report.say(words.describe_yardsticks(p["thresholds"], p["core_threshold"]))

# %%
if not ds.has("inclusion"):
    report.say("## " + _("No inclusion records were supplied"))
    report.say(_(
        "This dataset has no `inclusion` table (or it is empty), so time in mainstream "
        "classes cannot be measured and the rest of this report is skipped. Supply one "
        "row per learner, period and subject with the minutes timetabled and the "
        "minutes taught in mainstream classes (see `docs/data-dictionary.md`)."))
elif not have:
    report.say("## " + _("No inclusion records for this resource base in the window"))
    report.say((_("No learner placed in any resource base has inclusion records with "
                  "timetabled minutes from {window}, so the rest of this report is skipped.")
                if srb == "all" else
                _("No learner placed in {srb} has inclusion records with timetabled minutes "
                  "from {window}, so the rest of this report is skipped.")).format(
        srb=srb, window=window))

# %%
if have:
    groups = [(by, name) for by, name in ((["srb_id"], "srb"), (["phase"], "phase"),
                                          (["primary_need"], "need"))
              if srb == "all" or by[0] == "primary_need"]
    by_group = [inclusion_groups.threshold_shares(
        data.shares, ds.learners, ds.srbs, thresholds=p["thresholds"],
        core_threshold=p["core_threshold"], by=by, total=True) for by, _name in groups]
    everyone = None if internal or srb == "all" else whole
    outer_values = None if everyone is None else [inclusion_groups.threshold_shares(
        everyone.shares, ds.learners, ds.srbs, thresholds=p["thresholds"],
        core_threshold=p["core_threshold"], by=[by], total=True)
        for by in ("srb_id", "phase", "primary_need")]
    outer = None if everyone is None else TH.published_threshold_tables(
        everyone.shares, ds.learners, ds.srbs, thresholds=p["thresholds"],
        core_threshold=p["core_threshold"])
    shown_groups = TH.display_threshold_tables(
        by_group, audience=audience, srbs=ds.srbs, thresholds=p["thresholds"],
        core_threshold=p["core_threshold"], outer=outer, srb=srb, outer_values=outer_values,
        others=None if everyone is None else TH.other_srb_tables(
            whole, ds.learners, ds.srbs, ds.placements, srb=srb, thresholds=p["thresholds"],
            core_threshold=p["core_threshold"]))
    categories = records.group_categories(ds.srbs, ds.learners)
    # the trend table's learners are those of the first table here: protected together
    trend_by = "srb_id" if srb == "all" else "primary_need"
    trend_table = inclusion_groups.trend_counts(data.trends, ds.learners, by=[trend_by],
                                                total=True)
    protected = None if internal else tables.protect_trend_counts(
        trend_table, categories=categories[trend_by], measure=records.population_name(p),
        srb=srb, outer=None if everyone is None else tables.published_trend_by_srb(
            everyone.trends, ds.learners, categories=categories["srb_id"],
            measure=records.population_name({**p, "srb": "all"})),
        learners=(by_group[0], shown_groups[0]))
    if not internal:
        shown_groups[0] = TH.hide_learners_as(
            by_group[0], shown_groups[0], trend_table, protected, thresholds=p["thresholds"],
            core_threshold=p["core_threshold"])
    overall = TH.shown_overall(
        inclusion_groups.threshold_shares(data.shares, thresholds=p["thresholds"],
                                          core_threshold=p["core_threshold"], by=()),
        list(zip(by_group, shown_groups, strict=True)), audience=audience,
        thresholds=p["thresholds"], core_threshold=p["core_threshold"])
    report.say("## " + words.latest_heading(
        overall.iloc[0], audience=audience, period=period, threshold=p["thresholds"][0]))
    report.say(words.describe_thresholds(
        overall.iloc[0], audience=audience, thresholds=p["thresholds"],
        core_threshold=p["core_threshold"]) + " " + _(
        "Each learner's {latest} with records is used.").format(
        latest=period_phrase("latest", period)))
    # published, each SRB's n is the learners its table shows ("n not shown" where hidden)
    srb_n = None if internal or srb != "all" else dict(zip(
        by_group[0]["srb_id"].astype("str"), shown_groups[0]["learners"], strict=True))
    report.show_figure(plots.share_distribution(
        data.latest, group="srb_id", group_labels=labels, min_n=min_n,
        show_points=internal, shown_n=srb_n,
        title=_("Time in mainstream classes, each learner's {latest} (n={n} learners)").format(
            latest=period_phrase("latest", period), n=len(data.latest))))
    report.say(plots.describe_share_distribution(show_points=internal, min_n=min_n,
                                                 hidden_not_drawn=srb_n is not None))

# %%
if have:
    share_measure = records.share_population_name(
        p, latest=data.latest, everyone=None if everyone is None else everyone.latest)
    for (by, name), table in zip(groups, shown_groups, strict=True):
        record = None if internal else records.threshold_record(
            table, table=f"latest_share_by_{name}", measure=share_measure,
            categories=categories, srbs=ds.srbs,
            thresholds=p["thresholds"], core_threshold=p["core_threshold"], srb=srb)
        report.show(shown(report.record(f"latest_share_by_{name}", table, disclosure=record)),
                    caption=_("Learners at or above each yardstick in {their_latest}, by "
                              "{group}").format(
                        their_latest=period_phrase("their latest", period),
                        group=group_title(words.GROUP_TITLES[by[0]])))

# %%
if have:
    trend_shown = tables.display_trend_counts(trend_table, audience=audience,
                                              protected=protected)
    hidden = [] if internal else tables.hidden_totals(protected)
    counts = inclusion_groups.trend_counts(data.trends, by=())
    report.say("## " + words.trend_heading(counts.iloc[0], audience=audience,
                                           period=period, hidden=hidden))
    report.say(words.describe_trends(counts.iloc[0], audience=audience, period=period,
                                     hidden=hidden))
    report.say(words.describe_trend_rule(tolerance=inclusion_trends.TREND_TOLERANCE,
                                               period=period))
    cohort = inclusion_trends.cohort_by_period(periods.shares,
                                               by=["phase"] if srb == "all" else [])
    cohort_shown = tables.cohort_for_audience(cohort, audience=audience)
    report.record("median_share_by_period", cohort_shown,
                  disclosure=None if internal else records.cohort_record(
                      cohort, cohort_shown, table="median_share_by_period", parameters=p,
                      srbs=ds.srbs))
    report.show_figure(plots.cohort_trend(
        cohort, group="phase" if srb == "all" else None, min_n=min_n,
        title=(_("Median share of timetabled time in mainstream, {by_period} and phase")
               if srb == "all" else
               _("Median share of timetabled time in mainstream, {by_period}")).format(
            by_period=period_phrase("by", period))))
    report.say(_(
        "The learners change {from_to} as learners join and leave, so the median of {one} "
        "is not the same learners as the next; the counts of rising, steady and falling "
        "follow each learner.").format(from_to=period_phrase("from to", period),
                                       one=period_phrase("one", period)))

# %%
if have:
    name = f"trend_by_{'srb' if srb == 'all' else 'need'}"
    record = None if internal else records.trend_record(
        trend_shown, table=name, measure=records.population_name(p), categories=categories,
        srb=srb, shares_measure=share_measure if records.same_learners(
            data.trends, data.latest) else None)
    if not internal and tables.trend_table_note(categories[trend_by], group=trend_by):
        report.say(tables.trend_table_note(categories[trend_by], group=trend_by))
    report.show(shown(report.record(name, trend_shown, disclosure=record)),
                caption=_("Trend in each learner's share, by {group}").format(
                    group=group_title(words.GROUP_TITLES[trend_by])))
    if internal:
        report.show_figure(plots.trend_bars(trend_table.loc[trend_table[trend_by] != "all"],
                                             group=trend_by))

# %%
if have and internal and srb != "all":
    report.say("### " + _("Each learner in this resource base"))
    report.show_figure(plots.learner_small_multiples(data.shares, max_panels=24))
    report.show(shown(tables.display_learners(
        data.trends, inclusion_groups.exit_review(data.shares, ds.placements,
                                                  core_threshold=p["core_threshold"]),
        audience=audience)), caption=_("Each learner's first and latest share"))
elif have and internal:
    report.say(_("Render this report for one SRB (`srb` parameter) to see each learner's "
                 "chart and table."))

# %%
if have:
    subjects_all = subjects.subject_breakdown(data.records, by=(),
                                              core_subjects=p["core_subjects"])
    report.say("## " + words.describe_subjects(subjects_all, audience=audience)
                     .removesuffix("."))
    by_subject = tables.subjects_shown(inclusion_data.records_by_learner(data),
                                       subjects_all, by=("srb_id",),
                                       core_subjects=p["core_subjects"])
    report.show_figure(plots.subject_heatmap(by_subject, min_n=min_n, shown_n=srb_n))
    subject_table = tables.display_subjects(tables.subjects_shown(
        data.records, subjects_all, by=(), core_subjects=p["core_subjects"]),
        audience=audience)
    report.show(shown(report.record(
        "subjects", subject_table, disclosure=None if internal else records.subjects_record(
            subject_table, table="subjects", parameters=p))),
        caption=_("Timetabled time and time in mainstream classes by subject, {srbs}").format(
            srbs=_("all SRBs") if srb == "all" else labels[srb]))

# %%
if have:
    listed = inclusion_groups.exit_review(data.shares, ds.placements,
                                          core_threshold=p["core_threshold"])
    if srb != "all":
        listed = listed.loc[listed["srb_id"] == srb]
    placed = inclusion_groups.count_still_placed(data.shares, ds.placements)
    report.say("## " + words.exit_heading(
        len(listed), placed, audience=audience, period=period))
    report.say(words.describe_exit_review(
        len(listed), placed, audience=audience, core_threshold=p["core_threshold"],
        period=period) + " " + _("The guidance lists this as one of several exit criteria; "
                                 "meeting it is a prompt for the annual review, not a "
                                 "decision."))
    if internal and len(listed):
        report.show(shown(report.record("exit_review", tables.display_exit_review(
            listed, audience=audience))),
            caption=_("Learners still placed who meet the exit criterion"))
    elif len(listed):
        report.say(_("The list of learners is in the internal version of this report."))

# %%
report.say(words.caveats(thresholds=p["thresholds"], core_threshold=p["core_threshold"]))

# %% tags=["nbval-ignore-output"]
report.say("## " + _("Provenance"))
report.show(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "srb": srb, "window_start": window_start,
    "window_end": window_end, "period": period, "core_subjects": core_subjects,
    "thresholds": thresholds, "core_threshold": core_threshold, "audience": audience}))
