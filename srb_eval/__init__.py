"""srb-eval: evaluation of Specialist Resource Bases (SRBs).

Progress against baselines, inclusion percentages and Estyn-style outcome measures for
learners with additional learning needs in resource bases hosted by mainstream schools.
"""

from .data.io import Dataset, load_dataset
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
