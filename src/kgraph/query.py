"""Run SPARQL over the store (default graph = union of all graphs) and serialize results.

Both the CLI and the server call :func:`run` then :func:`serialize`, so a query
means the same everywhere. Updates are refused: the store is read-only.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import formats, resources
from .errors import InputError
from .namespaces import PREFIXES
from .scan import scan

SELECT = "select"
ASK = "ask"
CONSTRUCT = "construct"  # also DESCRIBE: both give triples


@dataclass(frozen=True, eq=False)
class Result:
    """A query's outcome: ``kind`` says which formats fit; ``value`` is pyoxigraph's."""

    kind: str
    value: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

    @property
    def format_kind(self) -> str:
        """``formats.RESULTS`` for SELECT/ASK, ``formats.GRAPH`` for CONSTRUCT/DESCRIBE."""
        return formats.GRAPH if self.kind == CONSTRUCT else formats.RESULTS


def read_query(query_or_file: str) -> str:
    """The query text: the argument itself, standard input for "-", or the .rq file named."""
    if query_or_file == "-":
        return sys.stdin.read()
    if query_or_file.endswith((".rq", ".sparql")) and "\n" not in query_or_file:
        path = Path(query_or_file)
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read query ({exc.strerror})") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: query is not UTF-8 ({exc.reason})") from exc
    return query_or_file


def run(store: ox.Store, text: str, *, source: str = "query") -> Result:
    """Parse and evaluate ``text``; a malformed query is an InputError with the parser's words.

    ``source`` names the query in messages (a file name, or "query").
    """
    if not text.strip():
        raise InputError(f"{source}: empty query")
    try:
        # pyoxigraph's union flag would silently override FROM / FROM NAMED: honour the query's
        # own dataset when it declares one.
        union = not scan(text).has_dataset
        value = store.query(text, use_default_graph_as_union=union, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise InputError(f"{source}: SPARQL syntax {exc}") from None
    if isinstance(value, ox.QuerySolutions):
        return Result(SELECT, value)
    if isinstance(value, ox.QueryBoolean):
        return Result(ASK, value)
    return Result(CONSTRUCT, value)


def default_format(result: Result) -> formats.Format:
    """SPARQL JSON for solutions, Turtle for triples."""
    return formats.BY_NAME["json" if result.format_kind == formats.RESULTS else "turtle"]


def serialize(result: Result, fmt: formats.Format | str | None = None) -> bytes:
    """Write ``result`` in ``fmt`` (a Format or its short name); a misfit is an InputError."""
    if fmt is None:
        fmt = default_format(result)
    elif isinstance(fmt, str):
        fmt = formats.by_name(fmt, result.format_kind)
    elif fmt.kind != result.format_kind:
        formats.by_name(fmt.name, result.format_kind)  # raises with the list of choices
    try:
        if result.kind == CONSTRUCT:
            return ox.serialize(result.value, format=fmt.oxigraph, prefixes=PREFIXES)
        return result.value.serialize(format=fmt.oxigraph)
    except (SyntaxError, ValueError) as exc:  # e.g. a bad term met while writing
        raise InputError(f"cannot write {fmt.label}: {exc}") from None


def internal_text(name: str) -> str:
    """The text of ``queries/internal/<name>.rq``, the SPARQL the package itself runs.

    Read from the package's own copy (not the configured root): these queries are part
    of the code, while the root only supplies data.
    """
    path = resources.default_root() / "queries" / "internal" / f"{name}.rq"
    return path.read_text(encoding="utf-8")


def select_internal(store: ox.Store, name: str, *, union: bool = True,
                    **bindings: ox.NamedNode | ox.Literal) -> list[ox.QuerySolution]:
    """Run an internal SELECT with values bound to its variables; rows as a list."""
    substitutions = {ox.Variable(key): value for key, value in bindings.items()}
    return list(store.query(internal_text(name), use_default_graph_as_union=union,
                            substitutions=substitutions))
