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
data_dir = "data/demo"  # str: dataset folder or Excel workbook, with comparison_learners and comparison_assessments
instrument = "Standardised Attainment Test"  # str: the instrument compared (a standard score is best: comparable across ages)
area = "literacy"  # str: the area compared
match_on = "primary_need,phase,sex"  # str: characteristics matched exactly, comma-separated, from primary_need, phase, sex ("" for none)
match_by = "baseline"  # str: "baseline" (nearest baseline score) or "propensity" (nearest logit of a propensity score from baseline and year group)
caliper_sd = 0.2  # float: largest difference of a pair, in standard deviations of the variable matched on
audience = "published"  # str: "published" (suppressed counts, no learners) or "internal"

# %% tags=["remove-input"]
from srb_eval import load_dataset
from srb_eval.measures import comparison as C
from srb_eval.report import comparison as W
from srb_eval.report import disclosure
from srb_eval.report import notebook as report

report.setup()
audience = disclosure.check_audience(audience)
path = report.data_path(data_dir)
ds = load_dataset(path)
report.say(report.header_markdown(
    "Did the SRB make the difference? A matched comparison", dataset_label=report.dataset_label(path),
    question=("Compared with similar learners who were not placed, did learners placed in "
              "a resource base make more progress?"),
    audience=audience, extra={"Result compared": f"{instrument}, {area}",
                              "Matched exactly on": ", ".join(C.match_columns(match_on))
                              or "nothing"}))
missing = C.missing_tables(ds)
result = None if missing else C.matched_comparison(
    ds, instrument=instrument, area=area, exact=match_on, caliper_sd=caliper_sd, by=match_by)
if missing:
    report.say("## No comparison group\n" + W.missing_tables_note(missing))
else:
    report.withhold_if_too_small(int((result.learners["placed"] == 1).sum()),
                                 audience=audience)

# %% [markdown]
# An evaluator's first question is "compared with what?". The progress report measures
# each placed learner's change from their baseline; this report sets that change beside
# the change of learners with additional learning needs who were **not** placed, matched
# one to one on need, phase, sex and the baseline score. The result is the difference in
# outcome between the matched groups, with its 95% interval, and what it cannot show.

# %%
if result is not None:
    report.say("## Who was compared")
    counts = W.display_counts(result, audience=audience)
    effects = W.display_effects(result.effects, audience=audience)
    records = (W.counts_record(counts, effects, instrument=instrument, area=area)
               if audience == "published" else [None, None])
    report.show(report.record("learners", counts, disclosure=records[0]),
                caption="Learners with a baseline and an outcome, and learners matched")
    report.say("\n".join("- " + s for s in W.effect_sentences(result, audience=audience)[:1]))

# %%
if result is not None:
    report.say("## Balance: were the matched groups alike at the start?")
    report.say(
        "Before matching, placed learners started lower than the comparison group: "
        "learners are placed because their scores are lowest. A standardised difference "
        "below 0.1 in size is negligible; above 0.25 the groups still differ in a way "
        "the effect may carry.")
    balance = W.display_balance(result.balance, audience=audience)
    report.show(report.record("balance", balance, disclosure=W.balance_record(
        result.balance, balance, instrument=instrument, area=area)
        if audience == "published" else None),
                caption="Means and standardised differences before and after matching")

# %%
if result is not None:
    report.say("## The effect and its interval")
    report.show(report.record("effects", effects, disclosure=records[1]),
                caption="Difference in outcome, placed minus comparison, by method")
    report.say("\n".join("- " + s for s in W.effect_sentences(result, audience=audience)[1:]))

# %%
if result is not None and audience == "internal":
    report.say("## Matched pairs (internal only)")
    report.show(W.display_pairs(result, audience=audience),
                caption="Each placed learner and the comparison learner matched to them")

# %%
report.say(W.LIMITS)
if result is not None:
    report.say(W.methods_markdown(result, instrument=instrument, area=area))

# %% tags=["nbval-ignore-output"]
report.say("## Provenance")
report.show(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "instrument": instrument, "area": area, "match_on": match_on,
    "match_by": match_by, "caliper_sd": caliper_sd, "audience": audience}))
