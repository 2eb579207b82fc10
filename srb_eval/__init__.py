"""srb-eval: evaluation of Specialist Resource Bases (SRBs).

Progress against baselines, inclusion percentages and Estyn-style outcome measures for
learners with additional learning needs in resource bases hosted by mainstream schools.
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    DataReadError,
    DataValidationError,
    ParameterError,
    Problem,
    RenderError,
    SrbEvalError,
    UnreadableDataError,
)

__version__ = "0.1.0"

__all__ = [
    "Dataset",
    "DataReadError",
    "DataValidationError",
    "ParameterError",
    "Problem",
    "RenderError",
    "SrbEvalError",
    "UnreadableDataError",
    "load_dataset",
    "__version__",
]

if TYPE_CHECKING:
    from .data.io import Dataset, load_dataset


def __getattr__(name: str) -> Any:
    """``Dataset`` and ``load_dataset`` are imported on first use (PEP 562), so that a
    command that needs neither, or not yet (``srb-eval render`` starts its kernels'
    zygote first), does not import pandas and pandera on start-up."""
    if name in ("Dataset", "load_dataset"):
        from .data import io

        return getattr(io, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
