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
comparison_year = "2024/25"  # str or None: school year to compare with, "YYYY/YY"; None: no comparison
audience = "published"  # str: "internal" (every number shown) or "published" (small numbers suppressed)
min_n = 5  # int: fewest learners for a judgement; smaller groups read "too few to judge"
finding_rules = None  # list of dict or None: rules for strengths and areas for development; None: the package defaults
indicative_judgement = False  # bool: add an indicative judgement on Estyn's 2017 four-point scale (with its rules)

# %% tags=["remove-input"]

from srb_eval import load_dataset
from srb_eval.measures import waiting
from srb_eval.report import capacity
from srb_eval.report import capacity_records
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
from srb_eval.report import regression_wording  # noqa: E402
from srb_eval.report import year_on_year  # noqa: E402
from srb_eval.report import notebook as report  # noqa: E402
from srb_eval.report.plots import capacity as capacity_plots  # noqa: E402
from srb_eval.report.plots import outcomes as plots  # noqa: E402

report.setup()
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
census_words = f"{res.census_date.day} {res.census_date:%B %Y}"
# every figure, table and sentence that counts learners making progress carries this caveat
rtm_caveat = regression_wording.regression_caveat(regression_wording.regression_estimable(
    ds.instruments if ds.has("instruments") else None))
report.say(report.header_markdown(
    f"Specialist Resource Bases in {authority}: outcomes for learners, {year.label}",
    question=("What are the outcomes for learners in the SRBs this year (progress, attendance, "
              "inclusion, awards, destinations), in the words an Estyn inspection uses?"),
    dataset_label=report.dataset_label(path), audience=audience,
    extra={"Local authority": authority,
           "Academic year": f"{year.label} (1 September {year.start.year} to 31 August "
                            f"{year.end.year})",
           "Compared with": previous.label if previous is not None else "no comparison",
           "Census day for places": census_words,
           "Smallest group judged": f"{min_n} learners"}))
report.withhold_if_too_small(learners_placed(ds.placements), audience=audience)

# %% [markdown]
# This report evaluates the authority's Specialist Resource Bases (SRBs) the way Estyn
# evaluates provision: standards and progress, wellbeing, inclusion, transition and
# strategic planning. Estyn found that local authorities "do not collect and analyse
# data about the various groups of pupils" in resource bases and so "are unaware of which
# groups are progressing well and whether or not resource bases provide value for money"
# (*Joining in*, 2008, recommendation R5). Every measure is therefore given for the
# authority, for each SRB and for each group of learners by primary need, with the number
# of learners behind it. Proportions are worded as in Estyn's reports ("most", "many",
# "a minority": Table A.1); a group of fewer learners than the smallest group judged
# reads "too few to judge".

# %%
if audience == "published":
    report.say(notes.suppression_note())
if not have:
    report.say(
        f"## No learners were placed in an SRB in {year.label}\n\n"
        f"The dataset has no placement, assessment, attendance or inclusion record in "
        f"{year.label}, so there is nothing to evaluate for that year. Check the "
        "`academic_year` parameter against the dates the data cover.")

# %%
if have:
    n_s = int((found["kind"] == findings.STRENGTH).sum())
    n_a = int((found["kind"] == findings.AREA_FOR_DEVELOPMENT).sum())
    report.say(
        f"## Main findings: {n_s} strength{'s' if n_s != 1 else ''} and {n_a} "
        f"area{'s' if n_a != 1 else ''} for development")
    sentences = wording.measure_sentences(authority_rows, census_date=res.census_date)
    lines = []
    for key, title in wording.SECTIONS.items():
        sec = sentences[(authority_rows["section"] == key).to_numpy()]
        if len(sec):
            lines.append(f"**{title}.** " + " ".join(sec))
    report.say("\n\n".join(lines))
    for kind, title in ((findings.STRENGTH, "Strengths"),
                        (findings.AREA_FOR_DEVELOPMENT, "Areas for development")):
        sub = found.loc[found["kind"] == kind]
        report.say(f"### {title}\n\n" + ("\n".join(
            f"- {s} ({src}.)" for s, src in zip(sub["sentence"], sub["source"], strict=True))
            if len(sub) else f"- No rule for {title.lower()} applied to these data."))
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
    report.say(
        f"### Compared with {previous.label}: {better} measure{'s' if better != 1 else ''} "
        f"better, {worse} worse" if have_prev else
        "### No comparison year" if previous is None else
        f"### No comparison: the dataset has no records for {previous.label}")
    table = yoy[["section", "measure", "this_year", "comparison_year", "change"]].rename(
        columns={"this_year": year.label,
                 "comparison_year": previous.label if previous else "comparison year"})
    report.show(table, caption=f"{wording.TABLES['summary']}: authority-wide measures, "
                f"{year.label} and {previous.label if previous else 'no comparison year'} "
                "(change in percentage points)")
    report.show_figure(plots.year_on_year_dots(
        yoy, year=year.label, comparison_year=previous.label if previous else None,
        title=f"{wording.FIGURES['summary']}: authority-wide measures, {year.label} "
              f"against {previous.label if previous else 'no comparison year'}\n"
              f"(n = {res.measures.loc[res.measures['group_type'] == 'authority', 'n_learners'].max()}"
              f" learners at most; see {wording.TABLES['summary']})"))
    report.say(rtm_caveat)

# %%
if have and indicative_judgement:
    verdict = findings.indicative_judgement(found)
    row = verdict.iloc[0]
    report.say(
        f"### Indicative judgement: {row['judgement']}\n\n"
        "Estyn has not given summative judgements (grades) since September 2022; this is "
        "an indicative reading on its 2017 four-point scale, produced by the rules below "
        "from the authority-wide findings, not an Estyn judgement. It counts the "
        f"{row['n_strengths']} strength{'s' if row['n_strengths'] != 1 else ''} and "
        f"{row['n_areas_for_development']} area"
        f"{'s' if row['n_areas_for_development'] != 1 else ''} for development found for "
        "the authority as a whole (findings about one SRB or one group of learners do not "
        f"count); the rule applied: *{row['rule']}*. Estyn's descriptor: "
        f"\"{row['estyn_descriptor']}\"")
    jr = findings.judgement_rules()
    report.show(jr[["judgement", "estyn_descriptor", "rule_text"]],
                caption=f"{wording.TABLES['judgement_rules']}: rules of the indicative "
                        "judgement (first that holds, best first)")

# %%
if have:
    report.say("## Standards and progress: "
                     + wording.section_heading(by_srb, "standards"))
    report.say(notes.progress_note())
    progress_ids = [f"progress_{a}" for a in measures.AREAS]
    t21 = wording.measure_table(by_srb, measures=progress_ids)
    report.record("progress_by_srb", t21, disclosure=populations.measures_record(
        by_srb, t21, table="progress_by_srb", academic_year=year.label,
        measures=res.measures) if published else None)
    report.show(t21, caption=f"{wording.TABLES['progress']}: learners making at least "
                f"expected progress, by SRB, {year.label} (Estyn word: count of learners "
                "judged)")
    judged_n = res.progress.loc[res.progress["group_type"] == "authority", "n_judged"].max()
    report.show_figure(plots.measure_bars(
        by_srb, measures=progress_ids, reference=True,
        title=f"{wording.FIGURES['progress']}: learners making at least expected progress, "
              f"{year.label} (up to {judged_n} learners judged per area)"))
    report.say(rtm_caveat)

# %%
if have:
    report.say("### Qualifications: "
                     + wording.section_heading(by_srb, "qualifications"))
    if not res.supplied["qualifications"]:
        report.say("No `qualifications` table was supplied: awards cannot be "
                         "counted, and no leaver is counted as having an award.")
    aw = tables.display_awards(res.awards, audience=audience)
    report.record("awards", aw, disclosure=tables.awards_record(
        aw, academic_year=year.label) if published else None)
    n_awards = int(res.awards["awards"].sum()) if len(res.awards) else 0
    report.say(
        notes.awards_note() if n_awards else f"No accredited award is recorded in {year.label}.")
    if n_awards:
        report.show(aw, caption=f"{wording.TABLES['awards']}: accredited awards by stage, "
                    f"family and level, {year.label} (number of awards)")
        levels = [c for c in qualifications.LEVELS if c in aw.columns]
        report.show_figure(plots.stacked_counts(
            aw, label_columns=["stage", "family"], count_columns=levels,
            total_column="awards", colours=plots.LEVEL_COLOURS,
            title=f"{wording.FIGURES['awards']}: accredited awards by stage, family and "
                  f"level, {year.label} (n = {aw['awards'].iloc[-1]} awards)",
            xlabel="number of awards"))
    t23 = wording.measure_table(by_srb, measures=["leavers_with_award"])
    report.record("leavers_by_srb", t23, disclosure=populations.measures_record(
        by_srb, t23, table="leavers_by_srb", academic_year=year.label,
        measures=res.measures) if published else None)
    report.show(t23, caption=f"{wording.TABLES['leavers']}: "
                + notes.leavers_caption(year.label))

# %%
if have:
    report.say("## Wellbeing: " + wording.section_heading(by_srb, "wellbeing")
                     if res.supplied["attendance"] or res.supplied["exclusions"] else
                     "## Wellbeing: no attendance or exclusion records were supplied")
    wellbeing_ids = ["attendance_rate", "persistent_absence", "learners_excluded",
                     "exclusion_rate"]
    t31 = wording.measure_table(by_srb, measures=wellbeing_ids)
    missing = [t for t in ("attendance", "exclusions") if not res.supplied[t]]
    if missing:
        report.say("Not supplied (those measures are left out): "
                         + ", ".join(f"`{t}`" for t in missing) + ".")
    if len(t31.columns) > 1:
        report.say(notes.wellbeing_note())
        report.record("wellbeing_by_srb", t31, disclosure=populations.measures_record(
            by_srb, t31, table="wellbeing_by_srb", academic_year=year.label,
            measures=res.measures)
            if published else None)
        report.show(t31, caption=f"{wording.TABLES['wellbeing']}: attendance and "
                    f"exclusions by SRB, {year.label}")
        days = notes.exclusion_days_sentence(res.exclusions, by_srb, academic_year=year.label)
        if res.supplied["exclusions"] and days:
            report.say(days)
        report.show_figure(plots.measure_bars(
            by_srb, measures=wellbeing_ids,
            title=f"{wording.FIGURES['wellbeing']}: attendance and exclusions by SRB, "
                  f"{year.label} (n = learners in each SRB)"))

# %%
if have:
    report.say("## Inclusion: " + wording.section_heading(by_srb, "inclusion")
                     if res.supplied["inclusion"] else
                     "## Inclusion: no inclusion records were supplied")
    if res.supplied["inclusion"]:
        report.say(notes.inclusion_note())
        inclusion_ids = ["inclusion_at_least_half", "inclusion_rising", "inclusion_falling",
                         "stayed_after_exit_criterion"]
        t41 = wording.measure_table(by_srb, measures=inclusion_ids)
        report.record("inclusion_by_srb", t41, disclosure=populations.measures_record(
            by_srb, t41, table="inclusion_by_srb", academic_year=year.label,
            measures=res.measures)
            if published else None)
        report.show(t41, caption=f"{wording.TABLES['inclusion']}: time in mainstream "
                    f"classes by SRB, {year.label}")
        report.show_figure(plots.measure_bars(
            by_srb, measures=inclusion_ids,
            title=f"{wording.FIGURES['inclusion']}: time in mainstream classes by SRB, "
                  f"{year.label} (n = learners with inclusion records)"))

# %%
if have:
    report.say("## Transition and destinations: "
                     + wording.section_heading(by_srb, "transition"))
    dest, stays_shown = tables.display_leavers(
        res.destinations, res.stays, audience=audience, srb_names=res.srb_names,
        placed=res.measures.loc[res.measures["measure"].isin(wellbeing_ids)])
    dest_record, stays_record = tables.leavers_records(
        res.destinations, res.stays, dest, stays_shown, academic_year=year.label,
        srb_phase=dict(zip(res.occupancy["srb_id"], res.occupancy["phase"], strict=True)),
        placed=res.measures.loc[res.measures["measure"] == "learners_excluded"]
    ) if published else (None, None)
    report.record("destinations_by_srb", dest, disclosure=dest_record)
    n_leavers = int(res.destinations.loc[res.destinations["group_type"] == "authority",
                                         "n_leavers"].iloc[0])
    if n_leavers == 0:
        report.say(f"No placement ended in {year.label}.")
    else:
        report.show(dest, caption=f"{wording.TABLES['destinations']}: leavers by "
                    f"destination and SRB, {year.label} (a move to another SRB ends a "
                    "placement)")
        dest_cols = [c for c in dest.columns if c not in ("group", "leavers")]
        report.show_figure(plots.stacked_counts(
            dest, label_columns=["group"], count_columns=dest_cols, total_column="leavers",
            colours={c: plots.DESTINATION_COLOURS.get(c.replace(" ", "_"))
                     for c in dest_cols},
            title=f"{wording.FIGURES['destinations']}: leavers by destination, "
                  f"{year.label} (n = {dest['leavers'].iloc[-1]} leavers)",
            xlabel="number of leavers", noun="SRBs"))
        reasons = tables.display_exit_reasons(res.exit_reasons, audience=audience)
        report.show(report.record("exit_reasons", reasons, disclosure=tables.
                                  exit_reasons_record(reasons, academic_year=year.label)
                                  if published else None),
                    caption=f"{wording.TABLES['exit_reasons']}: reasons recorded for "
                    f"leaving, {year.label}")
    report.show(report.record("stays", stays_shown, disclosure=stays_record), caption=f"{wording.TABLES['stays']}: length of stay in years: "
                f"leavers of {year.label} (start to leaving) and learners on roll on 31 August "
                f"{year.end.year} (start to then)")

# %%
if have:
    report.say("## Strategic planning: "
                     + wording.section_heading(by_srb, "strategic"))
    report.say(notes.places_note(res.census_date))
    occ_table = capacity.display_occupancy(res.occupancy, audience=audience)
    report.record("occupancy", occ_table, disclosure=capacity_records.occupancy_record(
        res.occupancy, occ_table) if published else None)
    report.show(occ_table, caption=f"{wording.TABLES['occupancy']}: places and learners "
                f"on roll by SRB, {census_words}")
    report.show_figure(capacity_plots.occupancy_bars(res.occupancy, audience=audience))
    waits = waiting.waiting_time_summary(ds, by=None, since=year.start, until=year.end)
    waits_shown = capacity.display_waiting_times(waits, audience=audience)
    report.show(report.record("waiting_times", waits_shown, disclosure=capacity_records.
                              waiting_times_record(waits_shown, since=year.start,
                                                   until=year.end,
                                                   phases=res.occupancy["phase"])
                              if published else None),
                caption=f"{wording.TABLES['waiting']}: weeks waited by learners who "
                f"started in {year.label}")
    # the capacity report on this census day counts the placements of several years
    since = capacity_notes.waits_since(res.census_date)
    waits_note = differences.waits_note(
        waits_shown, capacity.display_waiting_times(waiting.waiting_time_summary(
            ds, since=since, until=res.census_date), audience=audience),
        here_words=f"that started in {year.label}",
        there_words=f"that started between {since.day} {since:%B %Y} and {census_words}",
        there_report=f"the capacity report for {census_words}")
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
    report.say(
        "Every measure by the learner's primary need, so that the authority knows \"which "
        "groups are progressing well\" (Estyn 2008, R5). Groups of fewer than "
        f"{min_n} learners read \"too few to judge\"; differences between small groups are "
        "uncertain and are a reason to look closer, not a verdict.")
    report.show(r5, caption=f"{wording.TABLES['r5']}: every measure by primary need, "
                f"{year.label}")
    report.show_figure(plots.need_heatmap(
        by_need, measures=learner_ids_r5,
        title=f"{wording.FIGURES['r5']}: measures by primary need, {year.label} "
              "(% shown with n)"))
    report.say(rtm_caveat)

# %%
if have:
    report.say(
        f"## Recommendations: {len(recs)} drafted from the areas for development"
        if len(recs) else "## Recommendations: no area for development was found")
    if len(recs):
        report.record("recommendations", recs)
        report.say("\n".join(f"- **{r.number}** {r.recommendation} ({r.source}.)"
                                   for r in recs.itertuples()))
        report.say(
            "These are drafts generated from the rules in the appendix: the authority's "
            "ALP review should test each against what SRB leads and educational "
            "psychologists know of the learners behind the numbers.")

# %%
report.say("## Appendix: how proportions are worded and findings made")
qt = quantifiers.quantifier_table()
report.show(qt[["term", "estyn_meaning", "srb_eval_rule"]].rename(
    columns={"estyn_meaning": "Estyn's glossary", "srb_eval_rule": "share used here"}),
    caption=f"{wording.TABLES['quantifiers']}: Estyn's words for proportions (inspection "
    f"report glossary) and the share each stands for here; fewer than {min_n} learners: "
    "\"too few to judge\"")
report.say("Finding rules applied (a finding is made only for a group of at least "
                 f"{min_n} learners):\n\n"
                 + "\n".join(f"- {r['id']}: {findings.rule_text(r)}" for r in rules))

# %%
report.say(notes.caveats_markdown(regression=rtm_caveat))

# %% tags=["nbval-ignore-output"]
report.say("## Provenance")
report.show(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "local_authority": local_authority,
    "academic_year": academic_year, "comparison_year": comparison_year,
    "audience": audience, "min_n": min_n, "finding_rules": finding_rules,
    "indicative_judgement": indicative_judgement}))
