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
instrument = "Standardised Attainment Test"  # str: the instrument compared (a standard score is best: comparable across ages), or "all": each with results of both groups
area = "literacy"  # str: the area compared, or "all": each with results of both groups (one section per instrument and area)
match_on = "primary_need,phase,sex"  # str: characteristics matched exactly, comma-separated, from primary_need, phase, sex ("" for none)
match_by = "baseline"  # str: "baseline" (nearest baseline score) or "propensity" (nearest logit of a propensity score from baseline and year group)
caliper_sd = 0.2  # float: largest difference of a pair, in standard deviations of the variable matched on
audience = "published"  # str: "published" (suppressed counts, no learners) or "internal"
language = "en"  # str: "en" (English) or "cy" (Cymraeg: Welsh, a draft translation)

# %% tags=["remove-input"]
from srb_eval import load_dataset
from srb_eval.measures import comparison as C
from srb_eval.report import comparison as W
from srb_eval.report import disclosure
from srb_eval.report import notebook as report
from srb_eval.report.i18n import gettext as _
from srb_eval.report.i18n import area_word, use_language

report.setup()
language = use_language(language)
audience = disclosure.check_audience(audience)
path = report.data_path(data_dir)
ds = load_dataset(path)
missing = C.missing_tables(ds)
pairs = [] if missing else C.compared_pairs(ds, instrument=instrument, area=area)
results = {(i, a): C.matched_comparison(ds, instrument=i, area=a, exact=match_on,
                                        caliper_sd=caliper_sd, by=match_by)
           for i, a in pairs}
placed = {p: int((r.learners["placed"] == 1).sum()) for p, r in results.items()}
shown, left_out = W.pairs_shown(placed, audience=audience)
several = len(shown) > 1
report.say(report.header_markdown(
    _("Did the SRB make the difference? A matched comparison"),
    dataset_label=report.dataset_label(path),
    question=_("Compared with similar learners who were not placed, did learners placed in "
               "a resource base make more progress?"),
    audience=audience, extra={_("Result compared"): "; ".join(
                                  f"{i}, {area_word(a)}" for i, a in (shown or pairs))
                              or f"{instrument}, {area_word(area)}",
                              _("Matched exactly on"): W.matched_on(
                                  C.match_columns(match_on))}))
if missing:
    report.say("## " + _("No comparison group") + "\n" + W.missing_tables_note(missing))
elif not pairs:
    report.say("## " + _("Nothing to compare") + "\n" + _(
        "No instrument and area ({instrument}, {area}) has results of both placed and "
        "comparison learners in this dataset.").format(instrument=instrument, area=area))
else:
    report.withhold_if_too_small(max(placed.values()), audience=audience)

# %%
report.say(_(
    "An evaluator's first question is \"compared with what?\". The progress report "
    "measures each placed learner's change from their baseline; this report sets that "
    "change beside the change of learners with additional learning needs who were "
    "**not** placed, matched one to one on need, phase, sex and the baseline score. The "
    "result is the difference in outcome between the matched groups, with its 95% "
    "interval, and what it cannot show."))

# %%
if left_out:
    report.say(left_out)
for i, a in shown:
    W.show_comparison(results[(i, a)], instrument=i, area=a, audience=audience,
                      several=several)

# %%
report.say(W.limits())
if several:
    report.say("## " + _("How the comparisons were made"))
for i, a in shown:
    report.say(W.methods_markdown(results[(i, a)], instrument=i, area=a,
                                  heading=f"### {i}, {area_word(a)}" if several else None))

# %% tags=["nbval-ignore-output"]
report.say("## " + _("Provenance"))
report.show(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "instrument": instrument, "area": area, "match_on": match_on,
    "match_by": match_by, "caliper_sd": caliper_sd, "audience": audience}))
