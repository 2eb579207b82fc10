"""The disclosure policy: who a report is for and what may be shown to them.

Learner data is special-category personal data. Every report has an ``audience``:

``"internal"``
    SRB staff and the educational psychologist. Learner-level rows are allowed and
    numbers are shown as they are.
``"published"``
    Committee papers and anything public. No learner identifiers, no learner-level rows,
    small counts shown as ``"<5"``, percentages of small groups suppressed, and
    secondary (complementary) suppression so that a hidden cell cannot be recovered from
    a total by subtraction.

This module holds the policy: the audiences (:func:`check_audience`), the thresholds
(:class:`Thresholds`, :data:`DEFAULT_THRESHOLDS`), the marker texts, and the rule that
withholds a published report about too few learners (:func:`too_small_to_publish`,
:func:`withheld_notice`). Applying the policy to numbers and tables (primary and
secondary suppression, percentages, "27 of 29 (93%)", ``safe_table``) is
:mod:`srb_eval.report.suppression`.

Marker strings (module constants, so notebooks and tests can refer to them):

- ``thresholds.small_count_text`` (``"<5"`` by default, :data:`SMALL_COUNT_TEXT`): a
  count from 1 to ``min_count - 1`` (primary suppression). A zero is shown as ``"0"``,
  unless it is a part of a group too small for a share (below).
- :data:`SUPPRESSED_TEXT` (``"[c]"``, "confidential", the Government Statistical Service
  shorthand used in Welsh Government tables): a cell hidden by secondary suppression,
  a percentage hidden because its denominator or numerator is small, a statistic of a
  small group, or a count (zeros included) of a group smaller than ``min_denominator``
  (:func:`srb_eval.report.cube_protection.small_group_parts`).
- :data:`NO_DATA_TEXT` (``"no data"``, the same text as ``srb_eval.report.notebook.NO_DATA``): a
  missing number or a percentage of nothing (denominator 0). Outputs never contain NaN.

Statistics of places (:data:`PLACES_RULE`): occupancy of places, unfilled places and
the forecast of places needed are statistics of places, not of the learners, so they are
not subject to ``min_denominator``; but any published value computed from a hidden count
or a hidden statistic is hidden with it (:func:`srb_eval.report.capacity.display_occupancy`;
a forecast with any hidden input, :func:`srb_eval.report.forecast.hidden_inputs`).

Thresholds are parameters (:class:`Thresholds`): by default counts from 1 to 4 are hidden
and percentages of fewer than 10 learners are not shown (assumption A5 in
``docs/assumptions_caveats.md``); :meth:`Thresholds.statswales` gives the stricter
StatsWales practice.

References
----------
.. [1] srb-eval ``docs/assumptions_caveats.md``, A5 "Disclosure thresholds".
.. [2] Welsh Government / StatsWales statistical disclosure practice: counts under 5
   starred, percentages starred where fewer than 50 pupils, Pupil Level Annual School
   Census numbers "rounded to the nearest 5"; ``[c]`` = confidential information
   (standard shorthand in Welsh Government statistical tables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError, check_argument
from .i18n import gettext as _

__all__ = [
    "AUDIENCES",
    "DEFAULT_THRESHOLDS",
    "NO_DATA_TEXT",
    "PLACES_RULE",
    "SMALL_COUNT_TEXT",
    "SUPPRESSED_TEXT",
    "Thresholds",
    "check_audience",
    "check_thresholds",
    "statistic_min_n",
    "too_small_to_publish",
    "withheld_notice",
]


#: The audiences a report can be rendered for.
AUDIENCES: tuple[str, ...] = ("internal", "published")

#: A cell hidden by secondary (complementary) suppression, a suppressed percentage or a
#: suppressed statistic: "[c]" = confidential, the GSS shorthand used by Welsh Government.
SUPPRESSED_TEXT = "[c]"

#: A missing number, or a percentage of nothing (denominator 0). Never NaN.
NO_DATA_TEXT = "no data"

#: The primary-suppression text with the default thresholds; in general it is
#: ``thresholds.small_count_text`` (``"<"`` followed by ``min_count``).
SMALL_COUNT_TEXT = "<5"


#: The policy for statistics of places (the lead's decision, issue #14; docs/design.md,
#: "Privacy"). Occupancy of places ("5 on roll for 8 places, 62.5% full"), unfilled places
#: and the forecast of places a phase will need describe places, not an attribute or an
#: event of the learners (unlike turnover, exits, progress and outcomes), so they are not
#: subject to :attr:`Thresholds.min_denominator`. A value derived from a count is hidden
#: wherever that count is hidden: an on-roll count shown as "<5" or "[c]" hides its
#: occupancy, unfilled places, places over and status; a forecast whose history counts
#: (learners on roll today, learners admitted over the years of history) are hidden is
#: hidden.
PLACES_RULE = ("statistics of places are not subject to min_denominator; any published "
               "value computed from a hidden count or a hidden statistic is hidden with it")


def _check(ok: bool, name: str, allowed: str, got: object, *,
           error: type[Exception] = ValueError) -> None:
    """Raise ``error`` naming the parameter ``name`` and what it allows unless ``ok``."""
    check_argument(ok, name, allowed, got, error=error)


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


@dataclass(frozen=True)
class Thresholds:
    """The disclosure-control thresholds of a published report.

    Parameters
    ----------
    min_count : int, default 5
        Published counts from 1 to ``min_count - 1`` are shown as ``"<5"`` (the text
        uses the threshold: ``"<" + str(min_count)``). Zero is shown as ``"0"``
        (``"[c]"`` as a part of a group below ``min_denominator``).
    min_denominator : int, default 10
        A percentage (or a statistic) of fewer than this many learners is suppressed.
    round_to : int or None, default None
        If set, published counts of ``min_count`` or more are rounded to the nearest
        multiple of this base (half up; a non-zero count is never shown as 0). Totals are
        rounded independently, so they may not equal the sum of the rounded cells.
        Percentages are computed from the unrounded counts.
    min_learners : int, default 20
        A published report about fewer learners than this is withheld: it shows a notice
        instead of pages of suppressed cells (:func:`too_small_to_publish`). The default
        is twice ``min_denominator``, so that at least a split of the learners into two
        groups can show a percentage on both sides.
    protect_complement : bool, default True
        Also treat the complement ``denominator - numerator`` as a count: "27 of 29"
        reveals that 2 learners did not, so a published percentage whose complement is
        from 1 to ``min_count - 1`` is suppressed as well, and
        :func:`~srb_eval.report.suppression.count_with_share` words it as "more than 24
        of 29".

    Notes
    -----
    The defaults are the package's rules (assumption A5) [1]_. StatsWales practice is
    stricter [2]_: use :meth:`statswales`.

    References
    ----------
    .. [1] srb-eval ``docs/assumptions_caveats.md``, A5.
    .. [2] Welsh Government / StatsWales: counts under 5 starred, percentages starred
       below 50 pupils, census counts rounded to the nearest 5.

    Examples
    --------
    >>> Thresholds().small_count_text
    '<5'
    >>> Thresholds.statswales()  # doctest: +NORMALIZE_WHITESPACE
    Thresholds(min_count=5, min_denominator=50, round_to=5, min_learners=100,
               protect_complement=True)
    """

    min_count: int = 5
    min_denominator: int = 10
    round_to: int | None = None
    min_learners: int = 20
    protect_complement: bool = True

    def __post_init__(self) -> None:
        _check(_is_int(self.min_count) and self.min_count >= 1, "min_count",
               "a whole number of 1 or more", self.min_count)
        _check(_is_int(self.min_denominator) and self.min_denominator >= 0, "min_denominator",
               "a whole number of 0 or more", self.min_denominator)
        _check(self.round_to is None or (_is_int(self.round_to) and self.round_to >= 1),
               "round_to", "None or a whole number of 1 or more", self.round_to)
        _check(_is_int(self.min_learners) and self.min_learners >= 0, "min_learners",
               "a whole number of 0 or more", self.min_learners)
        _check(isinstance(self.protect_complement, (bool, np.bool_)), "protect_complement",
               "True or False", self.protect_complement)

    @classmethod
    def statswales(cls) -> Thresholds:
        """StatsWales practice: counts under 5 starred, percentages below 50, rounding to 5."""
        return cls(min_count=5, min_denominator=50, round_to=5, min_learners=100)

    @property
    def small_count_text(self) -> str:
        """The text shown for a count from 1 to ``min_count - 1`` (``"<5"``)."""
        return f"<{self.min_count}"


#: The package's default thresholds (assumption A5; the default of every function here and
#: in :mod:`srb_eval.report.suppression`).
DEFAULT_THRESHOLDS = Thresholds()


def too_small_to_publish(n_learners: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
                         ) -> bool:
    """Whether a published report about ``n_learners`` learners must be withheld.

    With fewer than ``thresholds.min_learners`` learners (default 20, twice the smallest
    group a percentage is shown for) nearly every table of a published report would be
    suppressed, and what little is left says more about single learners than about the
    resource base. Such a report shows a notice instead (:func:`withheld_notice`). A
    dataset with no learner records (e.g. published capacity figures) is not withheld.

    Examples
    --------
    >>> too_small_to_publish(12), too_small_to_publish(20), too_small_to_publish(0)
    (True, False, False)
    """
    t = check_thresholds(thresholds)
    _check(_is_int(n_learners) and n_learners >= 0, "n_learners", "a whole number of 0 or more",
           n_learners)
    return 0 < n_learners < t.min_learners


def withheld_notice(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """The notice a withheld published report shows (Markdown), in place of its tables.

    It states the rule, not the number of learners, which is itself a small count.
    """
    t = check_thresholds(thresholds)
    return ("## " + _("Too few learners to publish") + "\n\n" + _(
        "This report covers fewer than {min_learners} learners. Published reports hide "
        "counts from 1 to {max_hidden} and every percentage or statistic of a group of "
        "fewer than {min_denominator} learners, so at this size almost every figure would "
        "be hidden, and what remained could still point to single children. Nothing "
        "further is published for it. The internal report (for SRB staff and the "
        "educational psychologist) shows the figures; a published report can cover this "
        "resource base together with others.").format(
            min_learners=t.min_learners, max_hidden=t.min_count - 1,
            min_denominator=t.min_denominator))


def statistic_min_n(audience: str, minimum: int,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> int:
    """The least group size a report computes a test or other statistic of a group for:
    ``minimum`` (the method's own, e.g. 5 per group for a rank test) internally, and in a
    published report at least ``thresholds.min_denominator`` too (no statistic of a
    smaller group is published: a test's p value and effect size describe each group).

    Examples
    --------
    >>> statistic_min_n("internal", 5), statistic_min_n("published", 5)
    (5, 10)
    """
    audience = check_audience(audience)
    t = check_thresholds(thresholds)
    return minimum if audience == "internal" else max(minimum, t.min_denominator)


def check_audience(audience: str) -> str:
    """Validate a report audience and return its canonical (lower-case) name.

    Parameters
    ----------
    audience : str
        ``"internal"`` or ``"published"``; case and surrounding spaces are ignored.

    Returns
    -------
    str
        ``"internal"`` or ``"published"``.

    Raises
    ------
    srb_eval.errors.ParameterError
        For anything else; the message names the parameter and the allowed values.

    References
    ----------
    .. [1] srb-eval ``docs/assumptions_caveats.md``, A5.

    Examples
    --------
    >>> check_audience(" Published ")
    'published'
    """
    canonical = audience.strip().lower() if isinstance(audience, str) else None
    _check(canonical in AUDIENCES, "audience", "one of " + ", ".join(map(repr, AUDIENCES)),
           audience, error=ParameterError)
    return canonical  # type: ignore[return-value]


def check_thresholds(thresholds: object) -> Thresholds:
    """``thresholds`` if it is a :class:`Thresholds`; ``ValueError`` naming it otherwise."""
    _check(isinstance(thresholds, Thresholds), "thresholds", "a Thresholds instance",
           thresholds)
    return thresholds  # type: ignore[return-value]
