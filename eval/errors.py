"""Exceptions of the eval harness. Each names the file (and line) concerned."""

from __future__ import annotations

from extractor.errors import ExtractorError


class EvalError(ExtractorError):
    """The eval could not run: a dataset, a gold file, a prediction or a thresholds file is unusable."""


class GoldError(EvalError):
    """A gold file does not have the shape of DESIGN.md's records (with the line it failed on)."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        where = f"{source}:{line}" if source is not None and line is not None else source
        super().__init__(message, source=where)
        self.line = line


class ThresholdsError(EvalError):
    """The thresholds file cannot be read or names something the eval does not measure."""
