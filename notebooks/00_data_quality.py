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
audience = "internal"  # str: "internal" (problem values shown) or "published" (counts only)
language = "en"  # str: "en" (English) or "cy" (Cymraeg: Welsh, a draft translation)

# %% tags=["remove-input"]

from srb_eval import DataValidationError, load_dataset
from srb_eval.measures import quality
from srb_eval.report import disclosure, suppression
from srb_eval.report import notebook as report
from srb_eval.report import quality as wording
from srb_eval.report.i18n import gettext as _
from srb_eval.report.i18n import use_language

report.setup()
language = use_language(language)
audience = disclosure.check_audience(audience)
path = report.data_path(data_dir)
try:
    ds = load_dataset(path)
    problems = []
except DataValidationError as err:
    ds, problems = None, err.problems
report.say(report.header_markdown(
    _("Data quality: is the dataset fit to evaluate?"),
    question=_("Are the records complete and consistent enough for the other reports to be "
               "trusted, and what must be fixed first?"),
    dataset_label=report.dataset_label(path), audience=audience))

# %%
report.say(_(
    "This report checks the dataset against the srb-eval data model (see "
    "`docs/data-dictionary.md`) before any other report uses it: every problem is listed "
    "with its file, row and column, and the coverage table shows, for each resource base, "
    "how many learners have the records the progress and inclusion reports need."))

# %%
report.say(wording.problems_heading(problems))
if problems:
    note, table = wording.display_problems(problems, audience=audience)
    if note:
        report.say(note)
    report.show(wording.display_table(report.record("problems", table)))
else:
    report.say(_(
        "Every table was read and checked: types, vocabularies, date order, keys, links "
        "between tables, score ranges and ages at assessment."))

# %%
if ds is not None:
    report.say("## " + _("What the dataset holds"))
    summary = report.record("tables", quality.table_summary(ds))
    shown = suppression.safe_table(summary, audience=audience, count_columns=["learners"],
                                   id_columns=())
    report.show(wording.display_table(
        shown.assign(learners=shown["learners"].replace("no data", "–"))))
    report.say(wording.missing_tables_sentence(summary))

# %%
if ds is not None:
    cov = quality.coverage(ds)
    report.record("coverage", cov)
    report.say("## " + _("Coverage: which learners have the records the reports need"))
    report.say(wording.coverage_sentence(cov, audience=audience))
    counts = [c for c in cov.columns if c.startswith(("learners", "with", "without"))]
    report.show(wording.display_table(suppression.safe_table(
        cov, audience=audience, count_columns=counts, id_columns=())))

# %%
report.say("\n".join([
    "## " + _("Caveats"),
    "- " + _('A "baseline" here means any assessment during the placement; the progress '
             "report applies the full rule (the flagged baseline, else the first assessment "
             "on or after the placement start)."),
    "- " + _("The checks cannot tell whether a plausible value is true: a score inside the "
             "instrument's range may still be mistyped.")]))

# %% tags=["nbval-ignore-output"]
report.say("## " + _("Provenance"))
report.show(report.provenance_frame(ds.files if ds is not None else {},
                                    {"data_dir": data_dir, "audience": audience}))
