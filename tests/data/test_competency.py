"""The competency questions: every queries/*.rq answers what the paper says.

Each top-level query opens with ``# Question:`` and ``# Paragraphs:`` comments and has
its expected answer in ``queries/expected/<name>.csv`` (SPARQL 1.1 CSV results: a header
of variable names, IRIs in full, an empty cell for an unbound variable). The expected
answers are written from the paper, so a failure means the graph or the query is wrong.
Rows are compared as a multiset, or in order when the query has ORDER BY; literals by
lexical form, except that two numbers compare by value (``56`` equals ``56.0``).

A query marked ``# Federated: yes`` joins a remote endpoint (SERVICE); its answer
depends on that endpoint, so only its header is checked here and it does not count
towards the minimum.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph import query, settings, store

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
EXPECTED = QUERIES / "expected"
QUERY_FILES = sorted(QUERIES.glob("*.rq"))

#: The issue asks for at least this many competency questions.
MINIMUM_QUESTIONS = 60
#: A part of the paper a query may name in its ``# Paragraphs:`` comment.
PART = re.compile(r"^(?:[1-9]|[1-3][0-9]|4[0-6]|table-1|figure-[1-5]|footnote-1"
                  r"|front-matter|abstract|bibliography)$")
ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)

Row = tuple[str, ...]


def header_comments(text: str) -> dict[str, str]:
    """The leading ``# Key: value`` comments of a query."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep:
            found.setdefault(key.strip(), value.strip())
    return found


def is_federated(path: Path) -> bool:
    return header_comments(path.read_text(encoding="utf-8")).get("Federated") == "yes"


#: The queries answered from the graph alone, compared with their expected answers.
LOCAL_QUERIES = [p for p in QUERY_FILES if not is_federated(p)]


@pytest.fixture(scope="session")
def competency_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """The graph as users query it (asserted + inferred), built into a private cache."""
    cache = tmp_path_factory.mktemp("competency-cache")
    config = settings.resolve({"root": str(ROOT), "cache_dir": str(cache)}, environ={})
    return store.open_store(config)


def without_comments(text: str) -> str:
    """The query without its whole-line comments ('#' also occurs inside IRIs)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A result term as the SPARQL CSV format writes it."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def actual_rows(result: ox.QuerySolutions) -> tuple[list[str], list[Row]]:
    names = [v.value for v in result.variables]
    return names, [tuple(cell(solution[name]) for name in names) for solution in result]


def expected_rows(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise AssertionError(f"{path.name}: empty file, the header row is missing")
    header, body = rows[0], rows[1:]
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise AssertionError(f"{path.name}:{number}: {len(row)} cells, header has "
                                 f"{len(header)}")
    return header, [tuple(row) for row in body]


def normal(value: str) -> str:
    """Numbers by value, everything else by lexical form."""
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return value
    if not number.is_finite():
        return value
    return "#" + format(number.normalize(), "f")


def normalized(rows: list[Row]) -> list[Row]:
    return [tuple(normal(v) for v in row) for row in rows]


def describe(rows: list[Row]) -> str:
    return "\n".join("    " + ",".join(row) for row in rows) or "    (none)"


def difference(expected: list[Row], actual: list[Row], ordered: bool) -> str | None:
    """A readable account of how the rows differ, or None when they agree."""
    want, got = normalized(expected), normalized(actual)
    if ordered:
        if want == got:
            return None
        lines = [f"rows differ in content or order (expected {len(want)}, got {len(got)}):"]
        for index in range(max(len(want), len(got))):
            left = expected[index] if index < len(expected) else ("(no row)",)
            right = actual[index] if index < len(actual) else ("(no row)",)
            mark = "  " if index < len(want) and index < len(got) and \
                want[index] == got[index] else "!="
            lines.append(f"  {mark} row {index + 1}: expected {','.join(left)}"
                         f" | got {','.join(right)}")
        return "\n".join(lines)
    missing = Counter(want) - Counter(got)
    extra = Counter(got) - Counter(want)
    if not missing and not extra:
        return None
    originals = dict(zip(want, expected, strict=True)) | dict(zip(got, actual, strict=True))
    lines = []
    if missing:
        lines.append("expected but not returned:\n" + describe(
            [originals[r] for r in missing.elements()]))
    if extra:
        lines.append("returned but not expected:\n" + describe(
            [originals[r] for r in extra.elements()]))
    return "\n".join(lines)


def test_there_are_enough_competency_questions() -> None:
    assert len(LOCAL_QUERIES) >= MINIMUM_QUESTIONS, (
        f"{len(LOCAL_QUERIES)} competency queries answered from the graph in queries/, "
        f"the issue asks for {MINIMUM_QUESTIONS}")


def test_query_numbers_are_unique() -> None:
    numbers = Counter(path.name.split("-", 1)[0] for path in QUERY_FILES)
    assert [n for n, count in numbers.items() if count > 1] == []


def test_every_expected_answer_belongs_to_a_query() -> None:
    names = {path.stem for path in QUERY_FILES}
    orphans = sorted(p.name for p in EXPECTED.glob("*.csv") if p.stem not in names)
    assert orphans == [], f"expected answers without a query: {orphans}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_query_states_its_question_and_paragraphs(path: Path) -> None:
    comments = header_comments(path.read_text(encoding="utf-8"))
    assert comments.get("Question", "").endswith("?"), (
        f"{path.name}: the first lines must include '# Question: <plain English>?'")
    parts = [p.strip() for p in comments.get("Paragraphs", "").split(",") if p.strip()]
    assert parts, f"{path.name}: add '# Paragraphs: <numbers or parts>' after the question"
    wrong = [p for p in parts if not PART.match(p)]
    assert wrong == [], (f"{path.name}: not a part of the paper: {wrong} (use 1-46, table-1, "
                         "figure-N, footnote-1, front-matter, abstract or bibliography)")


@pytest.mark.parametrize("path", LOCAL_QUERIES, ids=[p.stem for p in LOCAL_QUERIES])
def test_query_gives_the_papers_answer(path: Path, competency_store: ox.Store) -> None:
    answer = EXPECTED / (path.stem + ".csv")
    assert answer.is_file(), f"{path.name}: no expected answer at queries/expected/{answer.name}"
    text = path.read_text(encoding="utf-8")
    result = query.run(competency_store, text, source=path.name)
    assert result.kind == query.SELECT, f"{path.name}: competency questions are SELECT queries"
    names, got = actual_rows(result.value)
    header, want = expected_rows(answer)
    assert names == header, f"{path.name}: variables {names}, expected CSV header {header}"
    ordered = bool(ORDER_BY.search(without_comments(text)))
    problem = difference(want, got, ordered)
    assert problem is None, f"{path.name} does not give the paper's answer:\n{problem}"


def test_the_comparison_reports_a_wrong_answer() -> None:
    """The checker itself: numbers by value, multiset rows, order when asked."""
    assert difference([("56", "x")], [("56.0", "x")], ordered=False) is None
    assert difference([("a",), ("b",)], [("b",), ("a",)], ordered=False) is None
    assert difference([("a",), ("b",)], [("b",), ("a",)], ordered=True) is not None
    assert difference([("a",), ("a",)], [("a",)], ordered=False) is not None
    message = difference([("1962",)], [("1963",)], ordered=False)
    assert message is not None and "1962" in message and "1963" in message
