"""The lexer finds SERVICE, FROM and updates however they are written, and nothing else."""

from __future__ import annotations

import pytest

from kgraph.scan import scan

EVIL = "http://evil.example/sparql"


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    f"select * where {{ service silent <{EVIL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICESILENT<{EVIL}>{{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE # a comment\n <{EVIL}> {{ ?s ?p ?o }} }}",
    "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
    "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICEe:sparql { ?s ?p ?o } }",
    f"SELECT * WHERE {{ ?a ?b 1SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?a ?b \"x\"SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }} }}",
    f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }}",
    f"SELECT * WHERE {{ ?s ?p \"}}\" . SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
])
def test_service_is_found(query: str) -> None:
    assert scan(query).services == [EVIL]


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ ?s ?p ?o }} # SERVICE <{EVIL}> {{ }}",
    f"SELECT * WHERE {{ ?s ?p \"SERVICE <{EVIL}> {{\" }}",
    f"SELECT * WHERE {{ ?s ?p '''x\nSERVICE <{EVIL}> {{ ''' }}",
    "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
    "SELECT * WHERE { ?x a sd:Service . GRAPH ?service { ?s ?p ?o } }",
    "SELECT ?service WHERE { ?service ?p ?o }",
])
def test_service_in_comments_strings_and_names_is_not_a_call(query: str) -> None:
    assert scan(query).services == []


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "BASE <http://evil.example/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE undeclared:x { ?s ?p ?o } }",
])
def test_service_target_that_is_not_a_fixed_absolute_iri(query: str) -> None:
    assert scan(query).services == [None]


def test_from_clauses() -> None:
    found = scan("SELECT*FROM<http://a/g>FROM NAMED <http://b/g> WHERE{?s ?p ?o}")
    assert found.from_graphs == ["http://a/g", "http://b/g"] and found.has_dataset
    found = scan("ASKFROMNAMED<http://a/g>{}")
    assert found.from_graphs == ["http://a/g"]
    plain = scan("SELECT ?from WHERE { ?from <http://x/from> \"FROM <http://c/g>\" }")
    assert plain.from_graphs == [] and not plain.has_dataset


@pytest.mark.parametrize(("query", "form", "update"), [
    ("PREFIX a: <http://a/> SELECT * WHERE {}", "SELECT", None),
    ("BASE <http://a/> PREFIX a:<http://a/>CONSTRUCT WHERE {}", "CONSTRUCT", None),
    ("describe <http://a>", "DESCRIBE", None),
    ("ASK{}", "ASK", None),
    ("# SELECT\nINSERT DATA { <http://a> <http://b> <http://c> }", None, "INSERT"),
    ("PREFIX a: <http://a/> DELETE WHERE { ?s ?p ?o }", None, "DELETE"),
    ("LOAD <http://a/>", None, "LOAD"),
    ("drop all", None, "DROP"),
])
def test_form_and_update(query: str, form: str | None, update: str | None) -> None:
    found = scan(query)
    assert (found.form, found.update) == (form, update)


@pytest.mark.parametrize(("query", "limit"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 10", 10),
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5 OFFSET 2", 5),
    ("SELECT * WHERE { ?s ?p ?o }limit7", 7),
    ("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 3 } }", None),
    ("SELECT ?limit WHERE { ?limit ?p \"LIMIT 3\" } # LIMIT 4", None),
])
def test_outer_limit(query: str, limit: int | None) -> None:
    assert scan(query).limit == limit
