"""Plain-English column headers for every table a report shows.

The result tables a render records (``tables/*.csv``) keep their column names: the
disclosure records, the audit and the tests read them by name. What a reader sees is
:func:`plain_header` of each name, applied by
:func:`srb_eval.report.notebook.display_frame` to every table shown in HTML (and so in
the Word papers, which are made from the HTML). A header not listed here is shown with
its underscores as spaces.
"""

from __future__ import annotations

__all__ = ["PLAIN_HEADERS", "plain_header"]

#: Column names (underscores as spaces) shown to readers in other words: abbreviations,
#: code names and statistical shorthand, each with what the column holds.
PLAIN_HEADERS: dict[str, str] = {
    # resource bases
    "srb": "resource base",
    "srb id": "resource base",
    "srb name": "resource base name",
    "srbs": "resource bases",
    "other srb": "another resource base",
    # waits for a place (srb_eval.measures.waiting.waiting_time_summary)
    "interval": "wait",
    "n": "placements with both dates",
    "n excluded": "placements missing a date",
    "median weeks": "median wait (weeks)",
    "longest weeks": "longest wait (weeks)",
    # need mix on two census days (srb_eval.measures.need_mix)
    "n from": "learners, earlier date",
    "share from": "share, earlier date",
    "n to": "learners, later date",
    "share to": "share, later date",
    "change points": "change in share (percentage points)",
    # length of stay and turnover (srb_eval.measures.stays)
    "n left": "learners who left",
    "median completed years": "median stay of those who left (years)",
    "n on roll": "learners on roll",
    "median so far years": "median time so far (years)",
    "n started": "learners who started",
    "km median years": "median stay of all who started (years, estimated)",
    "mean on roll": "average on roll",
    "median stay of leavers years": "median stay of leavers (years)",
    "median time so far years": "median time so far (years)",
    # the forecast of places
    "interval 80pct": "likely range (80% of outcomes)",
    # statistics
    "effect size (g av)": "effect size (Hedges' g)",
    "p": "p value",
    "% T >= 50": "% of reviews",
}


def plain_header(name: object) -> str:
    """The header a reader sees for column ``name``.

    Examples
    --------
    >>> [plain_header(c) for c in ["km_median_years", "srb_id", "learners", "share_to"]]
    ['median stay of all who started (years, estimated)', 'resource base', 'learners', \
'share, later date']
    """
    text = str(name).replace("_", " ")
    return PLAIN_HEADERS.get(text, text)
