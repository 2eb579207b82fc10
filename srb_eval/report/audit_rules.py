"""What a published cell says about its count, and when a hidden count passes the audit.

The audit (:mod:`srb_eval.report.audit`) reads each published text as bounds on its
count (:func:`text_bounds`: ``"<5"`` is 1 to 4, ``"[c]"`` anything, ``"12"`` itself or,
rounded, a range) and judges the integer range that the published cells leave each
hidden count (found by :mod:`srb_eval.report.audit_ilp`) by one rule (:func:`verdict`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from .disclosure import NO_DATA_TEXT

__all__ = ["AuditError", "Key", "key_text", "need", "text_bounds", "verdict"]

_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)$")
#: A count's key: the measure and its fixed (dim, category) pairs, sorted.
Key = tuple[str, tuple[tuple[str, str], ...]]


class AuditError(ValueError):
    """A record that cannot be audited: malformed, or contradicting itself."""


def need(ok: bool, where: str, what: str) -> None:
    """Raise :class:`AuditError` ``"where: what"`` unless ``ok``."""
    if not ok:
        raise AuditError(f"{where}: {what}")


def key_text(key: Key) -> str:
    """The canonical text of a key: ``"dim=cat; dim=cat"`` (dims sorted).

    Examples
    --------
    >>> key_text(("learners", (("band", "A"), ("srb_id", "SRB04"))))
    'band=A; srb_id=SRB04'
    """
    return "; ".join(f"{d}={c}" for d, c in key[1])


#: The most digits of a published count the audit reads: counts of learners, results or
#: days are far smaller, and above 2**53 (16 digits) a float no longer holds every count.
MAX_COUNT_DIGITS = 15


def text_bounds(text: str, pol: Mapping, where: str) -> tuple[int, float] | None:
    """What a published text says about its count: (low, high), or None (no data)."""
    m, b = pol["min_count"], pol.get("round_to")
    if text == NO_DATA_TEXT:
        return None
    if text == pol["small_count_text"]:
        return 1, m - 1
    if text == pol["suppressed_text"]:
        return 0, math.inf
    need(bool(_NUMBER.match(text)), where, f"text {text!r} is not a count, "
         f"{pol['small_count_text']!r}, {pol['suppressed_text']!r} or {NO_DATA_TEXT!r}")
    digits = text.replace(",", "")
    # (a count no report could publish: more digits than a float holds exactly, which the
    # solver's bounds are)
    need(len(digits) <= MAX_COUNT_DIGITS, where,
         f"text {text if len(text) <= 20 else text[:20] + '...'!r} is not a count a "
         f"report publishes (over {MAX_COUNT_DIGITS} digits)")
    v = int(digits)
    if b is None or v == 0:
        return v, v
    # A count >= m rounded half up to b (never to 0: what would round to 0 shows as b).
    low, high = (m if v == b else max(m, v - b // 2)), v + (b - 1) // 2
    need(low <= high, where, f"{text!r} is not a count of {m} or more rounded to {b}")
    return low, high


def verdict(text: str, small: str, m: int, low: int, high: float) -> str:
    """``""`` when a hidden cell passes the rule, else why it fails (no label).

    ``small`` (``"<5"``, from 1 to ``m - 1``) passes iff ``low == 1`` and
    ``high == m - 1``; anything else (``"[c]"``) passes iff its range holds none or all
    of 1 to ``m - 1``.

    Examples
    --------
    >>> verdict("<5", "<5", 5, 1, 4.0), verdict("[c]", "<5", 5, 7, 9.0)
    ('', '')
    >>> verdict("[c]", "<5", 5, 2, math.inf)
    "is '[c]' but the published cells narrow it to at least 2"
    """
    top = m - 1
    if text == small:
        ok = low == 1 and high == top
    else:
        ok = high < 1 or low > top or (low <= 1 and high >= top)
    if ok:
        return ""
    if low == high:
        return f"is {text!r} but the published cells fix it at {low}"
    span = f"at least {low}" if math.isinf(high) else f"{low} to {int(high)}"
    return f"is {text!r} but the published cells narrow it to {span}"


