"""Sentences that say why two published figures for one thing differ.

A reader who sees "n=154 learners" beside 150 learners placed, a resource base with 49
learners in one table and 45 in the next, or a median wait of 21.0 weeks in one report
and 13.6 in another, should be told why, next to the figures. Each function here
compares what the reader is shown (display tables, or the measures behind a figure) and
returns a plain sentence when the figures differ, or ``""`` when they agree. A published
sentence repeats only numbers the tables beside it already show, so it discloses nothing
new.
"""

from __future__ import annotations

import re

import pandas as pd

from ..measures.columns import need_columns
from . import disclosure
from .i18n import format_number, join_and, ngettext
from .i18n import gettext as _
from .outcomes import TABLES as ESTYN_TABLES

__all__ = ["estyn_waits_pointer", "learner_counts_note", "moved_learners_note",
           "results_and_learners_note", "waits_note"]

_WHOLE = re.compile(r"\d[\d,]*")


def moved_learners_note(progress: pd.DataFrame, *, audience: str) -> str:
    """Why the progress report's figures and tables by resource base count more learners
    than were placed: a learner with results in two placements (a move between resource
    bases) is counted in each.

    Parameters
    ----------
    progress : DataFrame
        :func:`srb_eval.measures.progress.learner_progress` rows (``learner_id``,
        ``placement_start``).
    audience : {"internal", "published"}
        Internal: the number of such learners is given; published: it is not (it is
        often a small count).

    Returns
    -------
    str
        ``""`` when no learner has results in more than one placement.

    Examples
    --------
    >>> p = pd.DataFrame({"learner_id": ["a", "a", "b"],
    ...                   "placement_start": pd.to_datetime(["2022-09-01", "2024-09-01",
    ...                                                      "2022-09-01"])})
    >>> print(moved_learners_note(p, audience="internal"))  # doctest: +NORMALIZE_WHITESPACE
    Learners are counted once per placement in the figures of progress since baseline and
    in the rows of a table by resource base: 1 of the 2 learners moved from one resource
    base to another and has a baseline in each, so these counts can add up to more than
    the number of learners.
    >>> moved_learners_note(p.iloc[[0, 2]], audience="internal")
    ''
    """
    audience = disclosure.check_audience(audience)
    need_columns(progress, ["learner_id", "placement_start"], "progress")
    per_learner = progress.groupby("learner_id", observed=True)["placement_start"].nunique()
    moved = int((per_learner > 1).sum())
    if not moved:
        return ""
    if audience != "internal":
        return _("Learners are counted once per placement in the figures of progress since "
                 "baseline and in the rows of a table by resource base: some learners moved "
                 "from one resource base to another and have a baseline in each, so these "
                 "counts can add up to more than the number of learners.")
    return ngettext(
        "Learners are counted once per placement in the figures of progress since baseline "
        "and in the rows of a table by resource base: {moved} of the {n} learners moved "
        "from one resource base to another and has a baseline in each, so these counts can "
        "add up to more than the number of learners.",
        "Learners are counted once per placement in the figures of progress since baseline "
        "and in the rows of a table by resource base: {moved} of the {n} learners moved "
        "from one resource base to another and have a baseline in each, so these counts "
        "can add up to more than the number of learners.", moved).format(
        moved=format_number(moved), n=format_number(len(per_learner)))


def _number(text: object) -> int | None:
    """A count as the reader sees it, or None when it is hidden or not a count."""
    s = str(text).strip()
    return int(s.replace(",", "")) if _WHOLE.fullmatch(s) else None


def learner_counts_note(first: pd.DataFrame, second: pd.DataFrame, *, by: str,
                        first_counts: str, second_counts: str,
                        column: str = "learners", message: str | None = None) -> str:
    """Why one group has different numbers of learners in two tables of a report: each
    table counts the learners with its own kind of record.

    Parameters
    ----------
    first, second : DataFrame
        The two tables as displayed (text), each with ``by`` and ``column``; rows whose
        count is hidden (or an "all" row) are not compared.
    by : str
        The grouping column (e.g. ``"SRB"``).
    first_counts, second_counts : str
        What each table's learners have ("assessment results judged against expected
        progress", "targets reviewed"), in the English sentence.
    message : str, optional
        A whole sentence (a catalogue message, in place of the English one built from
        ``first_counts`` and ``second_counts``) with a placeholder ``{groups}`` for the
        groups whose counts differ; translated into the report's language.

    Returns
    -------
    str
        ``""`` when every group shown in both has the same count.

    Examples
    --------
    >>> a = pd.DataFrame({"SRB": ["SRB01", "SRB02", "all"], "learners": ["49", "<5", "150"]})
    >>> b = pd.DataFrame({"SRB": ["SRB01", "SRB02", "all"], "learners": ["45", "<5", "139"]})
    >>> print(learner_counts_note(a, b, by="SRB", first_counts="results judged",
    ...       second_counts="targets reviewed"))  # doctest: +NORMALIZE_WHITESPACE
    The numbers of learners differ between these tables because each counts the learners
    with its own records (learners with results judged, then learners with targets
    reviewed), and a learner can have one kind of record and not the other: SRB01 49 and
    45.
    """
    need_columns(first, [by, column], "first")
    need_columns(second, [by, column], "second")
    both = first[[by, column]].astype("str").merge(
        second[[by, column]].astype("str"), on=by, suffixes=("_1", "_2"))
    both = both.loc[both[by] != "all"]
    clauses = []
    for group, one, two in zip(both[by], both[f"{column}_1"], both[f"{column}_2"],
                               strict=True):
        n1, n2 = _number(one), _number(two)
        if n1 is not None and n2 is not None and n1 != n2:
            clauses.append(f"{group} {join_and([one, two])}")
    if not clauses:
        return ""
    if message is not None:
        return _(message).format(groups="; ".join(clauses))
    return ("The numbers of learners differ between these tables because each counts the "
            f"learners with its own records (learners with {first_counts}, then learners "
            f"with {second_counts}), and a learner can have one kind of record and not the "
            f"other: {'; '.join(clauses)}.")


#: The waits of :func:`srb_eval.measures.waiting.waiting_time_summary` (messages of the
#: capacity report's wording).
_INTERVALS = ("referral to panel", "panel to start", "referral to start")


def waits_note(here: pd.DataFrame, there: pd.DataFrame, *, here_words: str,
               there_words: str, there_report: str) -> str:
    """Why the medians of waits for a place differ between two reports: they count the
    placements that started in different periods.

    Parameters
    ----------
    here, there : DataFrame
        :func:`srb_eval.report.capacity.display_waiting_times` tables (text) of this
        report and of the other; their ``"all"`` rows are compared, interval by interval,
        where both show a median.
    here_words, there_words : str
        Which placements each counts ("that started in 2025/26").
    there_report : str
        The other report's name ("the capacity report").

    Returns
    -------
    str
        ``""`` when every median shown in both agrees.

    Examples
    --------
    >>> here = pd.DataFrame({"interval": ["panel to start"], "group": ["all"], "n": ["12"],
    ...                      "median_weeks": ["21.0"]})
    >>> there = here.assign(n=["46"], median_weeks=["13.6"])
    >>> print(waits_note(here, there, here_words="that started in 2025/26",
    ...                  there_words="that started between 1 October 2022 and 1 October "
    ...                  "2025", there_report="the capacity report"))
    ... # doctest: +NORMALIZE_WHITESPACE
    The median waits here differ from those in the capacity report because the two count
    different placements: here those that started in 2025/26, there those that started
    between 1 October 2022 and 1 October 2025. Panel to start: 21.0 weeks here (12
    placements), 13.6 weeks there (46 placements).
    """
    cols = ["interval", "group", "n", "median_weeks"]
    need_columns(here, cols, "here")
    need_columns(there, cols, "there")
    both = here.loc[here["group"] == "all", cols].astype("str").merge(
        there.loc[there["group"] == "all", cols].astype("str"), on=["interval", "group"],
        suffixes=("_here", "_there"))
    clauses = []
    for r in both.itertuples(index=False):
        try:
            a, b = float(r.median_weeks_here), float(r.median_weeks_there)
        except ValueError:  # hidden, or no median
            continue
        if a != b:
            clauses.append(_("{interval}: {here} weeks here ({n_here} placements), {there} "
                             "weeks there ({n_there} placements)").format(
                interval=_(r.interval) if r.interval in _INTERVALS else r.interval,
                here=r.median_weeks_here, n_here=r.n_here, there=r.median_weeks_there,
                n_there=r.n_there))
    if not clauses:
        return ""
    listed = "; ".join(clauses)
    return _("The median waits here differ from those in {there_report} because the two "
             "count different placements: here those {here_words}, there those "
             "{there_words}. {waits}.").format(
        there_report=there_report, here_words=here_words, there_words=there_words,
        waits=listed[:1].upper() + listed[1:])


def results_and_learners_note(shown: pd.DataFrame, *, learners: str = "learners",
                              results: tuple[str, ...] = ("ratio gains measured",
                                                          "gaps known"),
                              label: tuple[str, ...] = ("instrument", "area")) -> str:
    """Why a table's counts of results are more than its count of learners (the progress
    report's "gaps known 141" beside "learners 137"): a result is one learner's in one
    placement, so a learner who moved between resource bases has one in each.

    Parameters
    ----------
    shown : DataFrame
        The table as displayed (text), with ``learners``, the ``results`` columns and the
        ``label`` columns naming each row.
    learners : str
        The column counting each learner once.
    results : tuple of str
        Columns counting results (learner and placement).
    label : tuple of str
        Columns naming a row in the sentence.

    Returns
    -------
    str
        ``""`` when no shown count of results is more than the learners of its row
        (a hidden count is not compared).

    Examples
    --------
    >>> t = pd.DataFrame({"instrument": ["Reading Age Test"], "area": ["literacy"],
    ...                   "learners": ["137"], "ratio gains measured": ["131"],
    ...                   "gaps known": ["141"]})
    >>> print(results_and_learners_note(t))  # doctest: +NORMALIZE_WHITESPACE
    The counts of results can be more than the learners: a result is one learner's in
    one placement, so a learner who moved from one resource base to another has a
    result in each, while the learners are counted once. Reading Age Test, literacy:
    gaps known 141, learners 137.
    >>> results_and_learners_note(t.assign(**{"gaps known": ["<5"]}))
    ''
    """
    need_columns(shown, [learners, *results, *label], "shown")
    clauses = []
    for _i, row in shown.astype("str").iterrows():
        n = _number(row[learners])
        more = [(c, row[c]) for c in results
                if n is not None and (k := _number(row[c])) is not None and k > n]
        if more:
            name = ", ".join(row[c] for c in label)
            clauses.append(f"{name}: " + ", ".join(f"{c} {v}" for c, v in more)
                           + f", {learners} {row[learners]}")
    if not clauses:
        return ""
    return _("The counts of results can be more than the learners: a result is one "
             "learner's in one placement, so a learner who moved from one resource base to "
             "another has a result in each, while the learners are counted once. "
             "{counts}.").format(counts="; ".join(clauses))


def estyn_waits_pointer() -> str:
    """For the capacity report's waits: where the Estyn-style outcomes report shows waits
    (its table of waits, :data:`srb_eval.report.outcomes.TABLES`), and that its medians
    count other placements (those that started in its school year only), so the two are
    not one measure.

    >>> print(estyn_waits_pointer())  # doctest: +NORMALIZE_WHITESPACE
    The outcomes report in the words of an Estyn inspection shows waits too, in its
    Table 6.2, but only for the placements that started in its school year: a different
    set of placements from this table's, so its medians are not comparable with these
    (that report says where the two differ).
    """
    table = ESTYN_TABLES["waiting"]
    number = re.fullmatch(r"Table (\S+)", table)
    return _("The outcomes report in the words of an Estyn inspection shows waits too, in "
             "its {table}, but only for the placements that started in its school year: a "
             "different set of placements from this table's, so its medians are not "
             "comparable with these (that report says where the two differ).").format(
        table=_("Table {number}").format(number=number[1]) if number else table)
