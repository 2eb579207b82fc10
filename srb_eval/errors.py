"""The srb-eval exception tree: one base class, narrow subclasses with structured fields.

The CLI turns each into one readable message and a documented exit code.
"""

from __future__ import annotations

from dataclasses import dataclass


class SrbEvalError(Exception):
    """Base class of every error srb-eval raises on purpose."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and which rule it breaks.

    ``row`` is the row number as a person sees it in the file (the header is row 1 of
    a CSV file or a sheet, so the first data row is 2); ``None`` for file-level problems.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    sheet: str | None = None
    #: The file could not be read at all (permission, an I/O error, a folder or a pipe
    #: where a file is expected), so none of its rows were checked.
    unreadable: bool = False

    def where(self) -> str:
        out = self.file + (f" [sheet {self.sheet}]" if self.sheet else "")
        if self.row is not None:
            out += f", row {self.row}"
        if self.column:
            out += f", column {self.column}"
        return out

    def __str__(self) -> str:
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.where()}{value}: {self.rule}"


class DataValidationError(SrbEvalError):
    """An input dataset breaks one or more rules; ``problems`` lists every one."""

    exit_code = 1

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {self.source or 'the dataset'}:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class DataReadError(SrbEvalError):
    """A path cannot be read at all (missing, not a dataset, unreadable)."""

    exit_code = 2


class UnreadableDataError(DataValidationError, DataReadError):
    """A file of the dataset cannot be read at all; ``problems`` lists it (marked
    ``unreadable``) with every other problem found in the files that could be read.

    Exit code 2, as for a path that cannot be read; it is both a
    :class:`DataValidationError` (the full list) and a :class:`DataReadError`.
    """

    exit_code = 2


class ParameterError(SrbEvalError):
    """A parameter (function argument, notebook parameter or parameter file) is wrong."""

    exit_code = 2


class RenderError(SrbEvalError):
    """One or more notebooks failed to render; ``failures`` names each and its cell."""

    exit_code = 1

    def __init__(self, message: str, failures: list[str] | None = None):
        self.failures = failures or []
        super().__init__(message)


class AudienceError(ParameterError):
    """A report was asked for an audience it must not be shown to."""


class ReportWithheld(SrbEvalError):
    """A published report stops after its notice: its data is too small to publish.

    Raised by the report layer once the notice has been shown; ``srb-eval render``
    recognises it by name, keeps the report (header and notice only, no error shown) and
    marks it "withheld" in the index instead of failed.
    """

    exit_code = 0


def check_argument(ok: bool, name: str, allowed: str, got: object, *,
                   error: type[Exception] = ValueError) -> None:
    """Raise ``error`` naming the argument ``name`` and what it allows unless ``ok``.

    The message reads "min_n: must be a whole number of 1 or more; got 0" (the value's
    repr, cut to 80 characters).
    """
    if not ok:
        shown = repr(got)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        raise error(f"{name}: must be {allowed}; got {shown}")


def check_min_n(min_n: object, *, error: type[Exception] = ValueError) -> int:
    """``min_n`` as an int, or ``error`` unless it is a whole number of 1 or more."""
    import numpy as np

    check_argument(isinstance(min_n, (int, np.integer)) and not isinstance(min_n, bool)
                   and min_n >= 1, "min_n", "a whole number of 1 or more", min_n, error=error)
    return int(min_n)
