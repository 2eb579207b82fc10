"""The note of :func:`~srb_eval.report.plots.select_rows` (which groups a figure left
out) in the report's language, shared by every figure that draws one row, bar or box
per group (issue #19).

Each note is a whole message with plural forms for its number of groups drawn
(:func:`selection_note`); the groups left out are counted by a message of their own for
each kind of group, with its plural forms (:func:`group_count`: "281 SRBs"), which the
note takes as a placeholder. The measure the groups are chosen by is given in the
report's language by the caller (:func:`measure_words` for a measure named by a
message).
"""

from __future__ import annotations

from collections.abc import Collection

from ..i18n import gettext as _
from ..i18n import ngettext, unknown_text

__all__ = ["GROUP_NOUNS", "NOTE_KINDS", "group_count", "measure_words", "selection_note"]

#: The kinds of group a figure's note counts (``noun`` of
#: :func:`~srb_eval.report.plots.select_rows`, English plural), each with its messages.
GROUP_NOUNS = ("SRBs", "needs", "phases", "local authorities", "groups", "groups by need")
#: The notes :func:`selection_note` writes: the first groups in their usual order (no
#: values), every group with a value, the highest values only, the lowest and highest.
NOTE_KINDS = ("first", "with_value", "highest", "lowest_and_highest")


def group_count(noun: str, n: int) -> str:
    """``n`` groups of the kind ``noun`` (one of :data:`GROUP_NOUNS`), as a figure's note
    counts them, in the report's language; another noun as "{n} {noun}", with an
    :class:`~srb_eval.report.i18n.UntranslatedWarning` in another language.

    >>> group_count("SRBs", 281), group_count("local authorities", 22)
    ('281 SRBs', '22 local authorities')
    """
    n = int(n)
    if noun == "SRBs":
        text = ngettext("{n} SRB", "{n} SRBs", n)
    elif noun == "needs":
        # Translators: primary needs counted in a figure's note ("12 needs: ...")
        text = ngettext("{n} need", "{n} needs", n)
    elif noun == "phases":
        text = ngettext("{n} phase", "{n} phases", n)
    elif noun == "local authorities":
        text = ngettext("{n} local authority", "{n} local authorities", n)
    elif noun == "groups":
        text = ngettext("{n} group", "{n} groups", n)
    elif noun == "groups by need":
        text = ngettext("{n} group by need", "{n} groups by need", n)
    else:
        return unknown_text(f"{n} {noun}")
    return text.format(n=n)


def selection_note(kind: str, *, groups: str, k: int, measure: str = "") -> str:
    """The note of a figure that draws only some of its groups, in the report's language:
    ``groups`` counts them all (:func:`group_count`), ``k`` is how many are drawn (at
    each end for "lowest_and_highest"), ``measure`` what they are chosen by (in the
    report's language); ``kind`` is one of :data:`NOTE_KINDS`.

    >>> selection_note("lowest_and_highest", groups="281 SRBs", k=10, measure="median share")
    '281 SRBs: the 10 lowest and 10 highest by median share shown; the table lists all'
    """
    if kind == "first":
        text = ngettext("{groups}: the first {k} shown; the table lists all",
                        "{groups}: the first {k} shown; the table lists all", k)
    elif kind == "with_value":
        text = ngettext("{groups}: the {k} with a value shown; the table lists all",
                        "{groups}: the {k} with a value shown; the table lists all", k)
    elif kind == "highest":
        text = ngettext("{groups}: the {k} highest by {measure} shown; the table lists all",
                        "{groups}: the {k} highest by {measure} shown; the table lists all",
                        k)
    elif kind == "lowest_and_highest":
        text = ngettext("{groups}: the {k} lowest and {k} highest by {measure} shown; the "
                        "table lists all",
                        "{groups}: the {k} lowest and {k} highest by {measure} shown; the "
                        "table lists all", k)
    else:
        raise ValueError(f"kind: one of {', '.join(NOTE_KINDS)}, not {kind!r}")
    return text.format(groups=groups, k=k, measure=measure)


def measure_words(measure: str, measures: Collection[str]) -> str:
    """The measure a figure chooses its groups by, in the report's language: one of
    ``measures`` (messages marked with :func:`~srb_eval.report.i18n.N_`) translated,
    another as it is, with a warning in another language.

    >>> measure_words("share rising", ("share rising",))
    'share rising'
    """
    return _(measure) if measure in measures else unknown_text(measure)
