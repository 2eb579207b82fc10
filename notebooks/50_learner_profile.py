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
learner_id = "L0001"  # str: the learner whose annual review this profile prepares
audience = "internal"  # str: must be "internal": a one-learner profile is never published
language = "en"  # str: "en" (English) or "cy" (Cymraeg: Welsh, a draft translation)

# %% tags=["remove-input"]

from srb_eval import load_dataset
from srb_eval.errors import AudienceError
from srb_eval.measures.profile import learner_profile
from srb_eval.report import disclosure
from srb_eval.report import notebook as report
from srb_eval.report import profile as PR
from srb_eval.report.i18n import format_date, use_language
from srb_eval.report.i18n import gettext as _
from srb_eval.report.plots import progress as plots

report.setup()
language = use_language(language)
audience = disclosure.check_audience(audience)
if audience != "internal":
    raise AudienceError(
        "audience: a learner profile is learner-level personal data and is for the "
        "internal audience only (the SRB, the learner and family, the educational "
        "psychologist); render it with audience='internal'.")
path = report.data_path(data_dir)
ds = load_dataset(path)
pf = learner_profile(ds, learner_id)
report.say(report.header_markdown(
    _("Learner profile for the annual review: {learner}").format(learner=pf.learner_id),
    question=_("How is this learner doing against their baseline, targets, inclusion and "
               "attendance, for their annual review?"),
    dataset_label=report.dataset_label(path), audience=audience,
    extra={_("Data as at"): _("no dated records") if pf.as_at is None
           else format_date(pf.as_at)}))

# %%
report.say(_(
    "This profile gathers what the person-centred review of one learner discusses: every "
    "area's progress from baseline against the progress expected, how far their targets "
    "were met, how much of their week they spend in mainstream classes, and their "
    "attendance. It uses the same methods as the group reports, so the numbers agree. "
    "Learner-level personal data: **do not circulate beyond the review.**"))

# %%
report.say("## " + _("About {learner}").format(learner=pf.learner_id))
report.show(report.record("about", PR.about_table(pf)), caption=_("The learner (as recorded)"))
if len(pf.placements):
    report.show(PR.placements_table(pf.placements), caption=_("Placements in resource bases"),
                na_text="-")

# %%
if pf.progress.empty:
    report.say("## " + _("No assessments to track progress from"))
    report.say(
        _("There is no assessment of this learner during a placement (the dataset has no "
          "assessments or instruments table).")
        if {"assessments", "instruments"} & set(pf.missing)
        else _("There is no assessment of this learner during a placement."))
else:
    report.record("progress", pf.progress)
    table = PR.progress_table(pf.progress)
    report.say("## " + PR.progress_heading(pf.progress))
    report.say(PR.describe_progress(pf.progress))
    report.show(table, caption=_("Each area: baseline, latest assessment and progress "
                                 "against what is expected"), na_text="-")
    report.show_figure(plots.learner_trajectories(
        pf.points, progress=pf.progress,
        title=_("{learner}: progress against baseline").format(learner=pf.learner_id)))
    report.say(_(
        "The ringed point is the baseline; the dashed line is the expected path from it "
        "(the instrument's expected gain a year; for a standardised score, holding the "
        "score). Progress over less than a term is too soon to judge."))

# %%
if len(pf.reliable_change) or len(pf.ratio_gain):
    report.say("### " + _("Standardised and age-equivalent scores"))
if len(pf.reliable_change):
    report.show(PR.reliable_change_table(pf.reliable_change),
                caption=_("Reliable Change Index (Jacobson & Truax 1991)"))
if len(pf.ratio_gain):
    report.show(PR.ratio_gain_table(pf.ratio_gain),
                caption=_("Ratio gain (Brooks) and the gap to chronological age"))

# %%
report.say("## " + PR.gas_heading(pf.gas))
if len(pf.gas):
    report.record("gas", pf.gas)
    report.show(PR.gas_table(pf.gas, pf.targets),
                caption=_("Targets at each review (Goal Attainment Scaling)"))
elif "targets" in pf.missing:
    report.say(_("The dataset has no targets table."))

# %%
report.say("## " + PR.inclusion_heading(pf.inclusion))
if len(pf.inclusion):
    report.record("inclusion", pf.inclusion)
    report.show(PR.inclusion_table(pf.inclusion),
                caption=_("Share of timetabled time in mainstream classes by term"))
elif "inclusion" in pf.missing:
    report.say(_("The dataset has no inclusion table."))

# %%
report.say("## " + PR.attendance_heading(pf.attendance))
if len(pf.attendance):
    report.record("attendance", pf.attendance)
    report.show(PR.attendance_table(pf.attendance), caption=_("Attendance by period"))
elif "attendance" in pf.missing:
    report.say(_("The dataset has no attendance table."))
if len(pf.gas) or len(pf.inclusion) or len(pf.attendance):
    report.show_figure(plots.learner_timeline(
        pf.gas, pf.inclusion, pf.attendance,
        title=_("{learner}: targets, inclusion and attendance over time").format(
            learner=pf.learner_id)))

# %%
report.say(PR.caveats())

# %% tags=["nbval-ignore-output"]
report.say("## " + _("Provenance"))
report.show(report.provenance_frame(ds.files, {
    "data_dir": data_dir, "learner_id": learner_id, "audience": audience}))
