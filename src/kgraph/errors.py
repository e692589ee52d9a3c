"""Exception hierarchy mapped to the documented exit codes.

0 ok, 1 data does not conform to the shapes, 2 input or load error.
"""

from __future__ import annotations


class KgraphError(Exception):
    """Base class; ``exit_code`` is what the CLI returns."""

    exit_code = 2


class InputError(KgraphError):
    """Unreadable or malformed input: a file, a query, an argument."""

    exit_code = 2


class ParseError(InputError):
    """An RDF file with a syntax error; names the file, line and column when known."""

    def __init__(self, path: str, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.detail = message
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class NonConformingError(KgraphError):
    """The data violates the SHACL shapes."""

    exit_code = 1

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report
