"""Errors that carry enough context to be printed as one line.

Bad input must never surface as a traceback: every problem the loaders find is
an `InputError` naming the file, the subject (a State or a rule id) and the field.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CcmcheckError(Exception):
    """Base class of every error ccmcheck raises on purpose.

    Example: `except ccmcheck.CcmcheckError as e: print(e)  # any error ccmcheck raises on purpose`
    """


@dataclass(frozen=True)
class Problem:
    """One problem in one input file.

    Example: `str(problem)  # "facts/2017/states/chile.yaml: Chile: article7: ..."`
    """

    file: str
    subject: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.subject:
            where += f": {self.subject}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class InputError(CcmcheckError):
    """Facts, rules or arguments are unusable; `problems` lists every one found.

    Example: `except ccmcheck.InputError as e: print(*e.problems, sep="\n")  # one line per problem`
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if len(problems) == 1 else f"{len(problems)} problems, first: {problems[0]}")

    @classmethod
    def single(cls, file: str | Path, subject: str, field: str, message: str) -> "InputError":
        return cls([Problem(str(file), subject, field, message)])


class FieldError(ValueError):
    """Raise in a model-level validator to have `yaml_io.validation_problems` name
    `field` (pydantic itself gives such errors no location)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
