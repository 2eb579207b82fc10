"""The note of :func:`~srb_eval.report.plots.select_rows` (which groups a figure left
out) in the report's language, shared by the figures of the inclusion and progress
reports (issue #19)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from ..i18n import LANGUAGES, N_, current_language, in_language, pgettext, unknown_text
from ..i18n import gettext as _
from . import select_rows

__all__ = ["NOTES", "chosen_rows", "noun_words"]

#: The notes of :func:`~srb_eval.report.plots.select_rows` (what a figure left out).
NOTES = (
    (r"(?P<n>\d+) (?P<groups>[^:]+): the first (?P<k>\d+) shown; the table lists all",
     N_("{n} {groups}: the first {k} shown; the table lists all")),
    (r"(?P<n>\d+) (?P<groups>[^:]+): the (?P<k>\d+) with a value shown; the table lists all",
     N_("{n} {groups}: the {k} with a value shown; the table lists all")),
    (r"(?P<n>\d+) (?P<groups>[^:]+): the (?P<k>\d+) highest by (?P<measure>.+) shown; the "
     r"table lists all",
     N_("{n} {groups}: the {k} highest by {measure} shown; the table lists all")),
    (r"(?P<n>\d+) (?P<groups>[^:]+): the (?P<k>\d+) lowest and (?P=k) highest by "
     r"(?P<measure>.+) shown; the table lists all",
     N_("{n} {groups}: the {k} lowest and {k} highest by {measure} shown; the table lists "
        "all")),
)


def noun_words(noun: str) -> str:
    """The groups of a figure's note, as counted after a number ("35 SRBs"), in the
    report's language; a noun no message matches as it is, with a warning in another
    language."""
    words = {"SRBs": pgettext("after a number", "SRBs"),
             "needs": pgettext("after a number", "needs"),
             "phases": pgettext("after a number", "phases"),
             "local authorities": pgettext("after a number", "local authorities"),
             "groups": pgettext("after a number", "groups")}
    return words.get(noun) or unknown_text(noun)


def chosen_rows(keys: Sequence, values: Sequence[float], *, noun: str, by: str,
                measures: Collection[str]) -> tuple[list, str | None]:
    """:func:`~srb_eval.report.plots.select_rows` of a figure's groups (``noun``: what
    they are, plural; ``by``: the measure they are chosen by, one of ``measures``,
    messages marked with :func:`~srb_eval.report.i18n.N_`), with its note (if any) in
    the report's language; a note no message matches as it is, with a warning in
    another language.

    >>> chosen_rows(["a", "b"], [1.0, 2.0], noun="SRBs", by="median", measures=())
    (['a', 'b'], None)
    """
    with in_language(LANGUAGES[0]):
        rows, note = select_rows(keys, values, noun=noun, by=by)
    if note is None or current_language() == LANGUAGES[0]:
        return rows, note
    for pattern, message in NOTES:
        m = re.fullmatch(pattern, note)
        if m and m["groups"] == noun:
            found = {**m.groupdict(), "groups": noun_words(noun)}
            measure = found.get("measure")
            if measure is not None:
                found["measure"] = _(measure) if measure in measures else unknown_text(measure)
            return rows, _(message).format(**found)
    return rows, unknown_text(note)
