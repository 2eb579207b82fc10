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
local_authority = None  # str or None: the authority reported on (its SRBs only); None: the authority named in the data
academic_year = "2025/26"  # str: school year reported, "YYYY/YY" (1 September to 31 August)
comparison_year = "previous"  # str or None: school year to compare with, "YYYY/YY", or "previous" (the year before academic_year); None: no comparison
audience = "published"  # str: "internal" (every number shown) or "published" (small numbers suppressed)
min_n = 5  # int: fewest learners for a judgement; smaller groups read "too few to judge"
finding_rules = None  # list of dict or None: rules for strengths and areas for development; None: the package defaults
indicative_judgement = False  # bool: add an indicative judgement on Estyn's 2017 four-point scale (with its rules)
language = "en"  # str: "en" (English) or "cy" (Cymraeg: Welsh, a draft translation)

# %% tags=["remove-input"]

from srb_eval import load_dataset
from srb_eval.measures import waiting
from srb_eval.report import capacity
from srb_eval.report import capacity_records
from srb_eval.report import capacity_wording
from srb_eval.measures import groups  # noqa: E402
from srb_eval.measures import inclusion_outcomes  # noqa: E402
from srb_eval.measures import outcomes as measures  # noqa: E402
from srb_eval.measures import qualifications  # noqa: E402
from srb_eval.measures.roll import learners_placed  # noqa: E402
from srb_eval.report import differences, disclosure, findings, quantifiers  # noqa: E402
from srb_eval.report import capacity_notes  # noqa: E402
from srb_eval.report import outcome_notes as notes  # noqa: E402
from srb_eval.report import outcome_tables as tables  # noqa: E402
from srb_eval.report import outcome_populations as populations  # noqa: E402
from srb_eval.report import outcomes as wording  # noqa: E402
from srb_eval.report import outcome_words as words  # noqa: E402
from srb_eval.report import finding_words  # noqa: E402
from srb_eval.report import regression_wording  # noqa: E402
from srb_eval.report import year_on_year  # noqa: E402
from srb_eval.report import notebook as report  # noqa: E402
from srb_eval.report.i18n import format_date, ngettext, use_language  # noqa: E402
from srb_eval.report.i18n import gettext as _  # noqa: E402
from srb_eval.report.plots import capacity as capacity_plots  # noqa: E402
from srb_eval.report.plots import outcomes as plots  # noqa: E402

report.setup()
language = use_language(language)
audience = disclosure.check_audience(audience)
published = audience == "published"
year, previous, min_n = notes.check_parameters(academic_year, comparison_year, min_n,
                                               indicative_judgement)
rules = findings.check_finding_rules(finding_rules)
path = report.data_path(data_dir)
ds = load_dataset(path)
authority = groups.authority_name(ds, local_authority)
shares = inclusion_outcomes.term_shares(ds, local_authority)  # one table for both years
res = measures.evaluate(ds, academic_year=year, min_n=min_n, local_authority=local_authority,
                        inclusion_shares=shares)
prev = (measures.evaluate(ds, academic_year=previous, min_n=min_n,
                          local_authority=local_authority, inclusion_shares=shares,
                          measures_only=True)
        if previous is not None else None)
have = res.has_data
have_prev = prev is not None and prev.has_data
kw = {"audience": audience, "min_n": min_n}
by_srb = wording.display_measures(
    res.measures, group_type="srb_id", **kw,
    known=populations.inclusion_report_counts(ds, until=year.end) if published else None)
by_need = wording.display_measures(res.measures, group_type="primary_need", **kw)
authority_rows = by_srb.loc[by_srb["group_type"] == "authority"]
found = findings.findings(res.measures, finding_rules, census_date=res.census_date, **kw,
                         displayed={"srb_id": by_srb, "primary_need": by_need})
recs = findings.recommendations(found)
census_words = format_date(res.census_date, "day")
# every figure, table and sentence that counts learners making progress carries this caveat
rtm_caveat = regression_wording.regression_caveat(regression_wording.regression_estimable(
    ds.instruments if ds.has("instruments") else None))
report.say(report.header_markdown(
    _("Specialist Resource Bases in {authority}: outcomes for learners, {year}").format(
        authority=authority, year=year.label),
    question=_("What are the outcomes for learners in the SRBs this year (progress, "
               "attendance, inclusion, awards, destinations), in the words an Estyn "
               "inspection uses?"),
    dataset_label=report.dataset_label(path), audience=audience,
    extra={_("Local authority"): authority,
           _("Academic year"): _("{year} ({start} to {end})").format(
               year=year.label, start=format_date(year.start, "day"),
               end=format_date(year.end, "day")),
           _("Compared with"): previous.label if previous is not None else _("no comparison"),
           _("Census day for places"): census_words,
           _("Smallest group judged"): ngettext("{n} learner", "{n} learners",
                                                min_n).format(n=min_n)}))
report.withhold_if_too_small(learners_placed(ds.placements), audience=audience)

# %%
report.say(_(
    "This report evaluates the authority's Specialist Resource Bases (SRBs) the way Estyn "
    "evaluates provision: standards and progress, wellbeing, inclusion, transition and "
    "strategic planning. Estyn found that local authorities \"do not collect and analyse "
    "data about the various groups of pupils\" in resource bases and so \"are unaware of "
    "which groups are progressing well and whether or not resource bases provide value for "
    "money\" (*Joining in*, 2008, recommendation R5). Every measure is therefore given for "
    "the authority, for each SRB and for each group of learners by primary need, with the "
    "number of learners behind it. Proportions are worded as in Estyn's reports (\"most\", "
    "\"many\", \"a minority\": {table}); a group of fewer learners than the smallest group "
    "judged reads \"too few to judge\".").format(table=words.table_name("quantifiers")))

# %%
if audience == "published":
    report.say(notes.suppression_note())
if not have:
    report.say("## " + _("No learners were placed in an SRB in {year}").format(
        year=year.label) + "\n\n" + _(
        "The dataset has no placement, assessment, attendance or inclusion record in "
        "{year}, so there is nothing to evaluate for that year. Check the `academic_year` "
        "parameter against the dates the data cover.").format(year=year.label))

# %%
if have:
    n_s = int((found["kind"] == findings.STRENGTH).sum())
    n_a = int((found["kind"] == findings.AREA_FOR_DEVELOPMENT).sum())
    report.say("## " + words.main_findings_heading(n_s, n_a))
    sentences = wording.measure_sentences(authority_rows, census_date=res.census_date)
    lines = []
    for key, title in wording.SECTIONS.items():
        sec = sentences[(authority_rows["section"] == key).to_numpy()]
        if len(sec):
            lines.append(f"**{_(title)}.** " + " ".join(sec))
    report.say("\n\n".join(lines))
    for kind, title, none in (
            (findings.STRENGTH, _("Strengths"),
             _("No rule for strengths applied to these data.")),
            (findings.AREA_FOR_DEVELOPMENT, _("Areas for development"),
             _("No rule for areas for development applied to these data."))):
        sub = found.loc[found["kind"] == kind]
        report.say(f"### {title}\n\n" + ("\n".join(
            "- " + finding_words.finding_item(s, src)
            for s, src in zip(sub["sentence"], sub["source"], strict=True))
            if len(sub) else f"- {none}"))
    report.say(rtm_caveat)

# %%
if have:
    yoy = year_on_year.display_year_on_year(
        res.measures, prev.measures if prev is not None else None, **kw, current_display=by_srb)
    summary = yoy.drop(columns=["value_shown", "comparison_shown"])
    report.record("summary", summary, disclosure=year_on_year.summary_record(
        summary, authority_rows, academic_year=year.label,
        comparison=(wording.display_measures(prev.measures, **kw), previous.label)
        if have_prev else None) if published else None)
    better = int((yoy["direction"] == "better").sum())
    worse = int((yoy["direction"] == "worse").sum())
    report.say("### " + words.comparison_heading(
        better, worse, comparison_year=previous.label if previous is not None else None,
        have_comparison=have_prev))
    table = yoy[["section", "measure", "this_year", "comparison_year", "change"]].rename(
        columns={"this_year": year.label,
                 "comparison_year": previous.label if previous else "comparison year"})
    report.show(words.shown(table), caption=(_(
        "{table}: authority-wide measures, {year} and {comparison} (change in percentage "
        "points)") if previous else _(
        "{table}: authority-wide measures, {year} and no comparison year (change in "
        "percentage points)")).format(table=words.table_name("summary"), year=year.label,
                                      comparison=previous.label if previous else ""))
    n_most = res.measures.loc[res.measures["group_type"] == "authority", "n_learners"].max()
    report.show_figure(plots.year_on_year_dots(
        yoy, year=year.label, comparison_year=previous.label if previous else None,
        title=(_("{figure}: authority-wide measures, {year} against {comparison}\n"
                 "(n = {n} learners at most; see {table})") if previous else _(
               "{figure}: authority-wide measures, {year} against no comparison year\n"
               "(n = {n} learners at most; see {table})")).format(
            figure=words.figure_name("summary"), year=year.label,
            comparison=previous.label if previous else "", n=n_most,
            table=words.table_name("summary"))))
    report.say(rtm_caveat)

# %%
if have and indicative_judgement:
    verdict = findings.indicative_judgement(found)
    report.say(finding_words.judgement_markdown(verdict.iloc[0]))
    jr = findings.judgement_rules()
    report.show(finding_words.shown_rules(jr[["judgement", "estyn_descriptor", "rule_text"]]),
                caption=_("{table}: rules of the indicative judgement (first that holds, "
                          "best first)").format(table=words.table_name("judgement_rules")))

# %%
if have:
    report.say("## " + _("Standards and progress: {finding}").format(
        finding=wording.section_heading(by_srb, "standards")))
    report.say(notes.progress_note())
    progress_ids = [f"progress_{a}" for a in measures.AREAS]
    t21 = wording.measure_table(by_srb, measures=progress_ids)
    report.record("progress_by_srb", t21, disclosure=populations.measures_record(
        by_srb, t21, table="progress_by_srb", academic_year=year.label,
        measures=res.measures) if published else None)
    report.show(words.shown(t21), caption=_(
        "{table}: learners making at least expected progress, by SRB, {year} (Estyn word: "
        "count of learners judged)").format(table=words.table_name("progress"),
                                             year=year.label))
    judged_n = res.progress.loc[res.progress["group_type"] == "authority", "n_judged"].max()
    report.show_figure(plots.measure_bars(
        by_srb, measures=progress_ids, reference=True,
        title=_("{figure}: learners making at least expected progress, {year} (up to {n} "
                "learners judged per area)").format(figure=words.figure_name("progress"),
                                                    year=year.label, n=judged_n)))
    report.say(rtm_caveat)

# %%
if have:
    report.say("### " + _("Qualifications: {finding}").format(
        finding=wording.section_heading(by_srb, "qualifications")))
    if not res.supplied["qualifications"]:
        report.say(_("No `qualifications` table was supplied: awards cannot be counted, and "
                     "no leaver is counted as having an award."))
    aw = tables.display_awards(res.awards, audience=audience)
    report.record("awards", aw, disclosure=tables.awards_record(
        aw, academic_year=year.label) if published else None)
    n_awards = int(res.awards["awards"].sum()) if len(res.awards) else 0
    report.say(notes.awards_note() if n_awards else _(
        "No accredited award is recorded in {year}.").format(year=year.label))
    if n_awards:
        report.show(words.shown(aw), caption=_(
            "{table}: accredited awards by stage, family and level, {year} (number of "
            "awards)").format(table=words.table_name("awards"), year=year.label))
        levels = [c for c in qualifications.LEVELS if c in aw.columns]
        report.show_figure(plots.stacked_counts(
            aw, label_columns=["stage", "family"], count_columns=levels,
            total_column="awards", colours=plots.LEVEL_COLOURS,
            title=_("{figure}: accredited awards by stage, family and level, {year} (n = "
                    "{n} awards)").format(figure=words.figure_name("awards"),
                                          year=year.label, n=aw["awards"].iloc[-1]),
            xlabel=_("number of awards")))
    t23 = wording.measure_table(by_srb, measures=["leavers_with_award"])
    report.record("leavers_by_srb", t23, disclosure=populations.measures_record(
        by_srb, t23, table="leavers_by_srb", academic_year=year.label,
        measures=res.measures) if published else None)
    report.show(words.shown(t23), caption=notes.leavers_caption(
        year.label, table=words.table_name("leavers")))

# %%
if have:
    report.say("## " + (_("Wellbeing: {finding}").format(
        finding=wording.section_heading(by_srb, "wellbeing"))
        if res.supplied["attendance"] or res.supplied["exclusions"] else
        _("Wellbeing: no attendance or exclusion records were supplied")))
    wellbeing_ids = ["attendance_rate", "persistent_absence", "learners_excluded",
                     "exclusion_rate"]
    t31 = wording.measure_table(by_srb, measures=wellbeing_ids)
    missing = [t for t in ("attendance", "exclusions") if not res.supplied[t]]
    if missing:
        report.say(_("Not supplied (those measures are left out): {tables}.").format(
            tables=", ".join(f"`{t}`" for t in missing)))
    if len(t31.columns) > 1:
        report.say(notes.wellbeing_note())
        report.record("wellbeing_by_srb", t31, disclosure=populations.measures_record(
            by_srb, t31, table="wellbeing_by_srb", academic_year=year.label,
            measures=res.measures)
            if published else None)
        report.show(words.shown(t31), caption=_(
            "{table}: attendance and exclusions by SRB, {year}").format(
            table=words.table_name("wellbeing"), year=year.label))
        days = notes.exclusion_days_sentence(res.exclusions, by_srb, academic_year=year.label,
                                             audience=audience)
        if res.supplied["exclusions"] and days:
            report.say(days)
        report.show_figure(plots.measure_bars(
            by_srb, measures=wellbeing_ids,
            title=_("{figure}: attendance and exclusions by SRB, {year} (n = learners in "
                    "each SRB)").format(figure=words.figure_name("wellbeing"),
                                        year=year.label)))

# %%
if have:
    report.say("## " + (_("Inclusion: {finding}").format(
        finding=wording.section_heading(by_srb, "inclusion"))
        if res.supplied["inclusion"] else
        _("Inclusion: no inclusion records were supplied")))
    if res.supplied["inclusion"]:
        report.say(notes.inclusion_note())
        inclusion_ids = ["inclusion_at_least_half", "inclusion_rising", "inclusion_falling",
                         "stayed_after_exit_criterion"]
        t41 = wording.measure_table(by_srb, measures=inclusion_ids)
        report.record("inclusion_by_srb", t41, disclosure=populations.measures_record(
            by_srb, t41, table="inclusion_by_srb", academic_year=year.label,
            measures=res.measures)
            if published else None)
        report.show(words.shown(t41), caption=_(
            "{table}: time in mainstream classes by SRB, {year}").format(
            table=words.table_name("inclusion"), year=year.label))
        report.show_figure(plots.measure_bars(
            by_srb, measures=inclusion_ids,
            title=_("{figure}: time in mainstream classes by SRB, {year} (n = learners "
                    "with inclusion records)").format(
                figure=words.figure_name("inclusion"), year=year.label)))

# %%
if have:
    report.say("## " + _("Transition and destinations: {finding}").format(
        finding=wording.section_heading(by_srb, "transition")))
    n_leavers = int(res.destinations.loc[res.destinations["group_type"] == "authority",
                                         "n_leavers"].iloc[0])
    reasons = tables.display_exit_reasons(res.exit_reasons, audience=audience)
    dest, stays_shown = tables.display_leavers(
        res.destinations, res.stays, audience=audience, srb_names=res.srb_names,
        placed=res.measures.loc[res.measures["measure"].isin(wellbeing_ids)],
        total_shown=reasons["leavers"].iloc[-1] if n_leavers else None)
    dest_record, stays_record = tables.leavers_records(
        res.destinations, res.stays, dest, stays_shown, academic_year=year.label,
        srb_phase=dict(zip(res.occupancy["srb_id"], res.occupancy["phase"], strict=True)),
        placed=res.measures.loc[res.measures["measure"] == "learners_excluded"]
    ) if published else (None, None)
    report.record("destinations_by_srb", dest, disclosure=dest_record)
    if n_leavers == 0:
        report.say(_("No placement ended in {year}.").format(year=year.label))
    else:
        report.show(words.shown(dest), caption=_(
            "{table}: leavers by destination and SRB, {year} (a move to another SRB ends a "
            "placement)").format(table=words.table_name("destinations"), year=year.label))
        dest_cols = [c for c in dest.columns if c not in ("group", "leavers")]
        report.show_figure(plots.stacked_counts(
            dest, label_columns=["group"], count_columns=dest_cols, total_column="leavers",
            colours={c: plots.DESTINATION_COLOURS.get(c.replace(" ", "_"))
                     for c in dest_cols},
            title=_("{figure}: leavers by destination, {year} (n = {n} leavers)").format(
                figure=words.figure_name("destinations"), year=year.label,
                n=dest["leavers"].iloc[-1]),
            xlabel=_("number of leavers"), noun="SRBs"))
        report.show(words.shown(report.record(
            "exit_reasons", reasons, disclosure=tables.exit_reasons_record(
                reasons, academic_year=year.label) if published else None)),
            caption=_("{table}: reasons recorded for leaving, {year}").format(
                table=words.table_name("exit_reasons"), year=year.label))
    report.show(words.shown(report.record("stays", stays_shown, disclosure=stays_record)),
                caption=_("{table}: length of stay in years: leavers of {year} (start to "
                          "leaving) and learners on roll on {end} (start to then)").format(
                    table=words.table_name("stays"), year=year.label,
                    end=format_date(year.end, "day")))

# %%
if have:
    report.say("## " + _("Strategic planning: {finding}").format(
        finding=wording.section_heading(by_srb, "strategic")))
    report.say(notes.places_note(res.census_date))
    occ_table = capacity.display_occupancy(res.occupancy, audience=audience)
    report.record("occupancy", occ_table, disclosure=capacity_records.occupancy_record(
        res.occupancy, occ_table) if published else None)
    report.show(capacity_wording.shown(occ_table), caption=_(
        "{table}: places and learners on roll by SRB, {date}").format(
        table=words.table_name("occupancy"), date=census_words))
    report.show_figure(capacity_plots.occupancy_bars(res.occupancy, audience=audience))
    waits = waiting.waiting_time_summary(ds, by=None, since=year.start, until=year.end)
    waits_shown = capacity.display_waiting_times(waits, audience=audience)
    report.show(capacity_wording.shown(report.record(
        "waiting_times", waits_shown, disclosure=capacity_records.waiting_times_record(
            waits_shown, since=year.start, until=year.end, phases=res.occupancy["phase"])
        if published else None)),
        caption=_("{table}: weeks waited by learners who started in {year}").format(
            table=words.table_name("waiting"), year=year.label))
    # the capacity report on this census day counts the placements of several years
    since = capacity_notes.waits_since(res.census_date)
    waits_note = differences.waits_note(
        waits_shown, capacity.display_waiting_times(waiting.waiting_time_summary(
            ds, since=since, until=res.census_date), audience=audience),
        here_words=_("that started in {year}").format(year=year.label),
        there_words=_("that started between {start} and {end}").format(
            start=format_date(since, "day"), end=census_words),
        there_report=_("the capacity report for {date}").format(date=census_words))
    if waits_note:
        report.say(waits_note)

# %%
if have:
    learner_ids_r5 = [m for m in measures.MEASURES
                      if measures.MEASURES[m]["unit"] in ("learners", "sessions")]
    r5 = wording.measure_table(by_need, rows="label", columns="group_label",
                                measures=learner_ids_r5)
    report.record("r5_by_need", r5, disclosure=populations.measures_record(
        by_need, r5, table="r5_by_need", academic_year=year.label, rows="label",
        measures=res.measures)
        if published else None)
    report.say(notes.groups_below_heading(found))
    report.say(_(
        "Every measure by the learner's primary need, so that the authority knows \"which "
        "groups are progressing well\" (Estyn 2008, R5). Groups of fewer than {n} learners "
        "read \"too few to judge\"; differences between small groups are uncertain and are "
        "a reason to look closer, not a verdict.").format(n=min_n))
    report.show(words.shown(r5), caption=_("{table}: every measure by primary need, "
                                             "{year}").format(table=words.table_name("r5"),
                                                              year=year.label))
    report.show_figure(plots.need_heatmap(
        by_need, measures=learner_ids_r5,
        title=_("{figure}: measures by primary need, {year} (% shown with n)").format(
            figure=words.figure_name("r5"), year=year.label)))
    report.say(rtm_caveat)

# %%
if have:
    report.say("## " + (ngettext(
        "Recommendations: {n} drafted from the areas for development",
        "Recommendations: {n} drafted from the areas for development",
        len(recs)).format(n=len(recs))
        if len(recs) else _("Recommendations: no area for development was found")))
    if len(recs):
        report.record("recommendations", recs)
        report.say("\n".join("- " + finding_words.recommendation_item(r) for r in finding_words.recommendation_rows(found)))
        report.say(_(
            "These are drafts generated from the rules in the appendix: the authority's ALP "
            "review should test each against what SRB leads and educational psychologists "
            "know of the learners behind the numbers."))

# %%
report.say("## " + _("Appendix: how proportions are worded and findings made"))
qt = quantifiers.quantifier_table()
report.show(words.shown(qt[["term", "estyn_meaning", "srb_eval_rule"]].rename(
    columns={"estyn_meaning": "Estyn's glossary", "srb_eval_rule": "share used here"})),
    caption=_("{table}: Estyn's words for proportions (inspection report glossary) and the "
              "share each stands for here; fewer than {n} learners: \"too few to "
              "judge\"").format(table=words.table_name("quantifiers"), n=min_n))
report.say(ngettext(
    "Finding rules applied (a finding is made only for a group of at least {n} learner):",
    "Finding rules applied (a finding is made only for a group of at least {n} learners):",
    min_n).format(n=min_n) + "\n\n"
    + "\n".join(f"- {r['id']}: {finding_words.rule_words(r)}" for r in rules))

# %%
report.say(notes.caveats_markdown(regression=rtm_caveat))

# %% tags=["nbval-ignore-output"]
report.say("## " + _("Provenance"))
report.show(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "local_authority": local_authority,
    "academic_year": academic_year, "comparison_year": comparison_year,
    "audience": audience, "min_n": min_n, "finding_rules": finding_rules,
    "indicative_judgement": indicative_judgement}))
