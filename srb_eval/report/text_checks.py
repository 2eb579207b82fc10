"""Scans of rendered text for what a published report must not state.

Tests of published output run these over every sentence, table and figure label a
report shows. They are deliberately simple checks of the wording this package produces,
not proofs of safety: the disclosure audit (of the additive structure of tables) is the
proof for table cells.
"""

from __future__ import annotations

import re

from ..errors import check_argument
from .disclosure import DEFAULT_THRESHOLDS, Thresholds, check_thresholds

__all__ = ["find_small_group_statements", "find_unsuppressed_small_counts"]


_SMALL_COUNT_PATTERN = re.compile(
    r"(?<![\w.,<;])(\d+)\s+(?:of\s+\d[\d,]*|learners?|pupils?|children|young\s+people)\b",
    re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def find_unsuppressed_small_counts(text: str, *,
                                   thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """Phrases in rendered text that show a small count: a check for published reports.

    Parameters
    ----------
    text : str
        Rendered report text or HTML (tags are ignored; ``&lt;5`` counts as suppressed).
    thresholds : Thresholds, default Thresholds()

    Returns
    -------
    list of str
        Each match, in order, of a number from 1 to ``min_count - 1`` followed by
        ``of <number>``, ``learner(s)``, ``pupil(s)``, ``children`` or ``young people``:
        ``"3 of 29"``, ``"2 learners"``. Empty when nothing is found.

    Notes
    -----
    A deliberately simple scan for tests of published output, not a
    proof of safety: it finds the wording this package produces, it does not read
    tables, and it can flag innocent phrases such as "Year 3 learners". Numbers preceded
    by ``<`` (or ``&lt;``) are suppressed text and are not reported.

    Examples
    --------
    >>> find_unsuppressed_small_counts("most learners (27 of 29), 2 learners left, <5 of 29")
    ['2 learners']
    >>> find_unsuppressed_small_counts("<td>few (3 of 29)</td> &lt;5 of 30")
    ['3 of 29']
    """
    check_argument(isinstance(text, str), "text", "a str", type(text).__name__)
    t = check_thresholds(thresholds)
    plain = _TAG.sub(" ", text)
    return [m.group(0) for m in _SMALL_COUNT_PATTERN.finditer(plain)
            if 1 <= int(m.group(1)) < t.min_count]


_OF = re.compile(r"(?<![\w.,<;\[])(\d[\d,]*)\s+of\s+(\d[\d,]*)\b")
_N_EQUALS = re.compile(r"\bn\s*=\s*(\d[\d,]*)\b")


def find_small_group_statements(text: str, *,
                                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """Phrases that state a count or share of a group below the policy's minimum.

    Found, in order of appearance:

    - a small count (:func:`find_unsuppressed_small_counts`);
    - ``"K of N"`` where the group ``N`` is below ``min_denominator`` ("5 of 7", "8 of 8":
      a share of a small group, even without a percentage) or where the complement
      ``N - K`` is from 1 to ``min_count - 1`` ("27 of 29": 2 did not);
    - ``"n=K"`` (or ``"n = K"``) with ``K`` below ``min_denominator``: the size printed
      beside a statistic (a median, a share) of a group too small for one.

    Examples
    --------
    >>> find_small_group_statements("all (8 of 8); 20 of 29 (69%); 27 of 29; <5 of 30")
    ['8 of 8', '27 of 29']
    >>> find_small_group_statements("Reading (n=3 results, 3 learners); Maths (n=12)")
    ['n=3', '3 learners']
    """
    check_argument(isinstance(text, str), "text", "a str", type(text).__name__)
    t = check_thresholds(thresholds)
    plain = _TAG.sub(" ", text)
    found = [(m.start(), m.group(0)) for m in _SMALL_COUNT_PATTERN.finditer(plain)
             if 1 <= int(m.group(1)) < t.min_count]
    seen = {pos for pos, _ in found}
    for m in _OF.finditer(plain):
        k, n = (int(g.replace(",", "")) for g in m.groups())
        if m.start() in seen or k > n:
            continue
        if n < t.min_denominator or 1 <= n - k < t.min_count:
            found.append((m.start(), m.group(0)))
    for m in _N_EQUALS.finditer(plain):
        if int(m.group(1).replace(",", "")) < t.min_denominator:
            found.append((m.start(), m.group(0)))
    return [text_ for _, text_ in sorted(found)]
