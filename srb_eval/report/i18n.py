"""The language of a report: English (``en``) or Welsh (``cy``).

Every sentence, heading and table header a converted report shows goes through a
message catalogue in the ecosystem's standard way (GNU gettext catalogues managed with
Babel): ``srb_eval/locale/srb_eval.pot`` is the template extracted from the code
(``make messages``), ``srb_eval/locale/cy/LC_MESSAGES/srb_eval.po`` the Welsh catalogue.
English is the language of the code itself, so an English report needs no catalogue.

The Welsh ``.po`` is read when a report first asks for a Welsh message (Babel's
``read_po``, compiled in memory with ``write_mo``, loaded as
:class:`babel.support.Translations`), so a translator's correction in any ``.po``
editor changes the next render with no build step and no stale ``.mo`` file.
``$SRB_EVAL_LOCALE_DIR`` names another catalogue folder (same layout) in place of the
package's own.

In code, the conventional names keep sentences whole, with named placeholders::

    from .i18n import _, ngettext
    _("{n} learners on roll").format(n=n)
    ngettext("{n} problem", "{n} problems", n).format(n=n)

:func:`N_` marks a message where it is defined (a module constant) and leaves it in
English; :func:`gettext` translates it where it is shown. A Welsh message missing from
the catalogue is shown in English and raises an :class:`UntranslatedWarning` (which a
render writes to the report's log), so a test can find it.

Numbers, percentages and dates are formatted by ``babel.numbers`` and ``babel.dates``
for the language's locale (:data:`LOCALES`).
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as gettext_module
import io
import math
import os
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from ..errors import ParameterError
from ..paths import PACKAGE_DIR
from .headers import plain_header

__all__ = [
    "AREA_WORDS",
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALES",
    "LOCALE_DIR",
    "LOCALE_ENV",
    "N_",
    "PHASE_WORDS",
    "UntranslatedWarning",
    "_",
    "area_word",
    "catalogue_dir",
    "catalogue_path",
    "check_language",
    "current_language",
    "format_date",
    "format_number",
    "format_percent",
    "gettext",
    "in_language",
    "join_and",
    "ngettext",
    "pgettext",
    "translated_table",
    "translations",
    "unknown_text",
    "use_language",
    "welsh_and",
]

#: The languages a report can be written in (ISO 639-1 codes).
LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
#: Each language's name in that language (the index links a report's other language).
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
#: The Babel locale that formats each language's numbers and dates. English uses the
#: CLDR ``en`` locale: its month names and abbreviations are those the English reports
#: have always shown ("Sep"; ``en_GB`` abbreviates September as "Sept"); its numbers
#: are the same as ``en_GB``'s.
LOCALES = {"en": "en", "cy": "cy_GB"}
#: The gettext domain: the catalogue files are ``<dir>/<language>/LC_MESSAGES/srb_eval.po``.
DOMAIN = "srb_eval"
#: The catalogues shipped with the package.
LOCALE_DIR = PACKAGE_DIR / "locale"
#: Environment variable naming another catalogue folder (a translator's working copy).
LOCALE_ENV = "SRB_EVAL_LOCALE_DIR"

#: The language of the report being written (set by :func:`use_language`).
_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("srb_eval_language",
                                                                default=DEFAULT_LANGUAGE)


class UntranslatedWarning(UserWarning):
    """A message shown in English in a report written in another language."""


def unknown_text(text: str) -> str:
    """``text``, which no catalogue message matched, shown as it is; in a language other
    than English with an :class:`UntranslatedWarning`, so that an English sentence from
    another layer that a report could not translate (it was reworded, say) is not shown
    on a Welsh page in silence.

    Examples
    --------
    >>> unknown_text("as given")
    'as given'
    """
    if current_language() != LANGUAGES[0]:
        warnings.warn(f"no {LANGUAGE_NAMES[current_language()]} message matches {text!r}",
                      UntranslatedWarning, stacklevel=2)
    return text


def check_language(language: object, name: str = "language") -> str:
    """Validate a report language and return its code (lower case).

    Examples
    --------
    >>> check_language(" CY ")
    'cy'
    >>> check_language("fr")
    Traceback (most recent call last):
    ...
    srb_eval.errors.ParameterError: language: must be 'en' (English) or 'cy' (Cymraeg), not 'fr'
    """
    code = language.strip().lower() if isinstance(language, str) else language
    if code not in LANGUAGES:
        raise ParameterError(f"{name}: must be 'en' (English) or 'cy' (Cymraeg), "
                             f"not {language!r}")
    return code


def use_language(language: object) -> str:
    """Make ``language`` (validated by :func:`check_language`) the language of every
    message and number from now on in this context (a notebook calls it once, with its
    ``language`` parameter); returns its code."""
    code = check_language(language)
    _LANGUAGE.set(code)
    return code


def current_language() -> str:
    """The language messages are translated into now (``"en"`` unless set)."""
    return _LANGUAGE.get()


@contextlib.contextmanager
def in_language(language: object) -> Iterator[str]:
    """Translate into ``language`` inside a ``with`` block only (the render's pages)."""
    token = _LANGUAGE.set(check_language(language))
    try:
        yield _LANGUAGE.get()
    finally:
        _LANGUAGE.reset(token)


def catalogue_dir() -> Path:
    """The folder of the catalogues in use: ``$SRB_EVAL_LOCALE_DIR`` or the package's."""
    return Path(os.environ.get(LOCALE_ENV) or LOCALE_DIR)


def catalogue_path(language: str, directory: str | os.PathLike | None = None) -> Path:
    """The ``.po`` file of ``language`` in ``directory`` (default :func:`catalogue_dir`)."""
    return (Path(directory) if directory is not None else catalogue_dir()) / (
        f"{check_language(language)}/LC_MESSAGES/{DOMAIN}.po")


class _Untranslated(gettext_module.NullTranslations):
    """The last resort of a catalogue: the English message, with a warning."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def _missing(self, message: str) -> str:
        warnings.warn(f"no {LANGUAGE_NAMES[self.language]} translation of {message!r}",
                      UntranslatedWarning, stacklevel=4)
        return message

    def gettext(self, message: str) -> str:
        return self._missing(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._missing(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self._missing(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._missing(msgid1 if n == 1 else msgid2)


def translations(language: str, directory: str | os.PathLike | None = None
                 ) -> gettext_module.NullTranslations:
    """The messages of ``language`` from the catalogue in ``directory`` (default
    :func:`catalogue_dir`).

    English is the language of the code: its messages are themselves. Another language's
    ``.po`` file is compiled in memory (fuzzy entries are left out: they await a
    translator), with a fallback that returns the English message and warns
    (:class:`UntranslatedWarning`). A catalogue is read once per language and version of
    its file: a translator's saved correction is read again, even in a running notebook.
    """
    if check_language(language) == LANGUAGES[0]:
        return gettext_module.NullTranslations()
    path = catalogue_path(language, directory)
    return _compiled(language, str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _compiled(language: str, path: str, version: int) -> gettext_module.NullTranslations:
    """:func:`translations` of one version (``version``: the file's modification time)."""
    with open(path, "rb") as f:
        catalog = read_po(f, locale=LOCALES[language], domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    compiled = Translations(buffer, domain=DOMAIN)
    compiled.add_fallback(_Untranslated(language))
    return compiled


def _current() -> gettext_module.NullTranslations:
    return translations(current_language())


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return _current().gettext(message)


#: The conventional short name of :func:`gettext`.
_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n`` in the current language (Welsh
    has six plural forms; the catalogue says which applies to ``n``)."""
    return _current().ngettext(singular, plural, int(n))


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, as meant in ``context`` (a short word that
    is translated differently in different places)."""
    return _current().pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the conventional name
    """Mark ``message`` for the catalogue and return it unchanged (translate it with
    :func:`gettext` where it is shown)."""
    return message


#: The phases of the data model (``srbs.phase``; a learner's phase), which a table shows
#: in the report's language (a code of the data model, not a name from the data).
PHASE_WORDS = (N_("primary"), N_("secondary"), N_("all-through"))

#: The assessment areas of the data model (``assessments.area``), shown in the report's
#: language. The English words are the codes themselves, as the English reports show them.
AREA_WORDS = (
    # Translators: an assessment area (a code of the data model)
    N_("literacy"), N_("numeracy"), N_("communication"), N_("personal_social"),
    N_("physical"), N_("cognition"), N_("other"))


def area_word(area: str) -> str:
    """An assessment area in the current language (a code outside :data:`AREA_WORDS`,
    which the data model does not have, is shown as given).

    Examples
    --------
    >>> area_word("numeracy"), area_word("Reading")
    ('numeracy', 'Reading')
    """
    return gettext(area) if area in AREA_WORDS else area


def _decimal(value: float) -> Decimal:
    # the exact binary value, so that babel's half-even rounding gives the digits
    # Python's own formatting gives ("{:.1f}")
    return Decimal(float(value))


def format_number(value: object, decimals: int | None = 0, *, grouping: bool = True,
                  missing: str = "-") -> str:
    """``value`` with ``decimals`` decimal places in the current language's locale
    (``None``: as many as it has, up to six, as Python's ``{:g}`` shows a parameter).

    Examples
    --------
    >>> format_number(1234.25, 1), format_number(2.675, 2), format_number(None)
    ('1,234.2', '2.67', '-')
    >>> format_number(0.5, None), format_number(2.0, None)
    ('0.5', '2')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    pattern = ("#,##0" if grouping else "0") + (
        ".######" if decimals is None else "." + "0" * decimals if decimals else "")
    number = float(value)
    if not math.isfinite(number):
        return missing
    text = format_decimal(_decimal(number), format=pattern,
                          locale=LOCALES[current_language()])
    return text.replace("-0", "0") if text.lstrip("-0.,") == "" else text


def format_percent(share: object, *, missing: str = "no data") -> str:
    """A share (0 to 1) as a whole percentage, halves rounded up ("46%").

    Examples
    --------
    >>> format_percent(0.455), format_percent(None)
    ('46%', 'no data')
    """
    if share is None or (not isinstance(share, str) and pd.isna(share)):
        return missing
    points = math.floor(100 * float(share) + 0.5)
    return format_decimal(points, format="#,##0", locale=LOCALES[current_language()]) + "%"


#: Date patterns (CLDR): "03 October 2022", "03 Oct 2022", "October 2022", "3 October 2022",
#: "3 Oct 2022", "Oct 2022".
DATE_FORMS = {"long": "dd MMMM y", "short": "dd MMM y", "month": "MMMM y", "day": "d MMMM y",
              "day_short": "d MMM y", "month_short": "MMM y"}


def format_date(value: date | datetime | pd.Timestamp, form: str = "long") -> str:
    """A date in the current language: ``form`` "long" (03 October 2022), "short"
    (03 Oct 2022), "month" (October 2022), "day" (3 October 2022), "day_short"
    (3 Oct 2022) or "month_short" (Oct 2022).

    Examples
    --------
    >>> format_date(pd.Timestamp("2022-10-03"), "short")
    '03 Oct 2022'
    >>> with in_language("cy"):
    ...     format_date(pd.Timestamp("2022-10-03"))
    '03 Hydref 2022'
    """
    if form not in DATE_FORMS:
        raise ValueError(f"form: one of {sorted(DATE_FORMS)}, not {form!r}")
    day = pd.Timestamp(value).date()
    return babel_format_date(day, DATE_FORMS[form], locale=LOCALES[current_language()])


def translated_table(table: pd.DataFrame, words: Collection[str] = (), *,
                     cells: Callable[[str], str] | None = None) -> pd.DataFrame:
    """A copy of a result table to show in the report's language: each column header
    (its :func:`~srb_eval.report.headers.plain_header`, as a message), and each text cell that is one of ``words`` (messages marked with :func:`N_`),
    translated; other cells (numbers, "[c]", names from the data) as they are. ``cells``
    translates any other text cell (it returns the cell unchanged when it knows it not).

    The table recorded for the manifest stays the English one (its disclosure record
    names its columns and cells), so the tables of both languages hold the same numbers;
    in English the copy equals the table.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["placed", "SRB01"], "learners": [12, 7]})
    >>> translated_table(t, ["placed"]).equals(t)
    True
    """
    if current_language() == LANGUAGES[0]:
        return table
    known = {w: gettext(w) for w in words}

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return value
        if value in known:
            return known[value]
        return cells(value) if cells is not None else value

    out = table.rename(columns={c: gettext(plain_header(c)) for c in table.columns})
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].astype(object).map(cell)
    return out


#: Welsh words (other than those starting with a vowel) that "and" precedes as "ac":
#: the forms of "bod" and the conjunctions that traditional grammar lists
#: (e.g. "ac mae", "ac fel", "ac nid").
WELSH_AC_WORDS = frozenset({"mae", "mai", "meddai", "sydd", "sy", "fel", "felly", "nid",
                            "na", "nac", "ni"})
_WELSH_VOWELS = frozenset("aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ")


def _welsh_number_starts_with_vowel(n: int) -> bool:
    """Whether ``n`` read in Welsh (decimal counting, as schools teach it) starts with a
    vowel: un (1), wyth (8), un deg ... (11 to 19), wythdeg (80s), wyth cant (800s);
    deg, cant, mil and miliwn do not."""
    if n < 10:
        return n in (1, 8)
    if n < 20:
        return n != 10
    if n < 100:
        return n // 10 == 8
    if n < 1000:
        return n // 100 == 8
    for unit in (10**3, 10**6, 10**9):
        if n < unit * 1000:
            return n // unit != 1 and _welsh_number_starts_with_vowel(n // unit)
    return False


def welsh_and(word: str) -> str:
    """The Welsh "and" before ``word``: "ac" before a vowel (a, e, i, o, u, w, y, with or
    without an accent), before a number read with a vowel ("un", "wyth", "un deg ..."),
    and before the words of :data:`WELSH_AC_WORDS` ("mae", "mai", "sydd", "fel", "nid",
    ...); "a" otherwise. (The aspirate mutation that "a" causes, "a thad", is not applied:
    the items joined are data values, shown as given.)

    Examples
    --------
    >>> [welsh_and(w) for w in ("ysgol", "Ysgol Afon", "Caerdydd", "hanner", "mae", "8",
    ...                         "10", "12", "80", "1,000")]
    ['ac', 'ac', 'a', 'a', 'ac', 'ac', 'a', 'ac', 'ac', 'a']
    """
    text = word.strip().lstrip("\"'‘“(*_")
    if not text:
        return "a"
    number = re.match(r"\d[\d,]*", text)
    if number:
        return "ac" if _welsh_number_starts_with_vowel(
            int(number.group().replace(",", ""))) else "a"
    first = re.split(r"[\s,.;:!?)]", text, maxsplit=1)[0].lower()
    if not first:  # a word that starts with punctuation (".", ") x"): nothing to read
        return "a"
    return "ac" if first[0] in _WELSH_VOWELS or first in WELSH_AC_WORDS else "a"


def join_and(items: Iterable[object]) -> str:
    """Items joined as a list with "and" in the report's language: English with no comma
    before "and" ("A, B and C", as the English reports have always written it), Welsh as
    Babel's ``cy`` pattern with its "a(c)" settled by :func:`welsh_and` ("A, B a C",
    "A ac Ysgol B").

    Examples
    --------
    >>> join_and(["SRB01", "SRB02", "SRB03"])
    'SRB01, SRB02 and SRB03'
    >>> with in_language("cy"):
    ...     join_and(["Caerdydd", "Abertawe"]), join_and(["Abertawe", "Caerdydd", "Ynys Môn"])
    ('Caerdydd ac Abertawe', 'Abertawe, Caerdydd ac Ynys Môn')
    """
    words = [str(i) for i in items]
    if len(words) < 2:
        return words[0] if words else ""
    # "{0}, {1}" between items, "{0} and {1}" (Welsh "{0} a(c) {1}") before the last
    head = ", ".join(words[:-1])
    word = welsh_and(words[-1]) if current_language() == "cy" else "and"
    return f"{head} {word} {words[-1]}"
