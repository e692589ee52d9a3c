"""The paper's parts in data/source.trig, and every part's contribution to the graph.

A researcher relies on three things checked here: each part of the paper (paragraphs
1-46, Table 1, the five figures, the footnote, the front matter, the bibliography) is a
resource; each named graph says which part it comes from; and each part actually
contributes facts, traceable to it with kg:statedIn.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph import load, resources, settings

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/kgraph/"
KG = BASE + "ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
IS_PART_OF = ox.NamedNode("http://purl.org/dc/terms/isPartOf")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
MBOX = ox.NamedNode("http://xmlns.com/foaf/0.1/mbox")
ARTICLE = ox.NamedNode(BASE + "id/publication/park-koo-2013")
BIBLIOGRAPHY = ox.NamedNode(BASE + "id/source/bibliography")
#: Graphs that hold no statements of the paper (links out; generated entailments).
NOT_FROM_THE_PAPER = {"links", "inferred", "ontology"}
#: How many entries the paper's bibliography lists.
REFERENCES = 27

PARAGRAPHS = [f"paragraph-{n}" for n in range(1, 47)]
OTHER_PARTS = {
    "table-1": "Table",
    "figure-1": "Figure", "figure-2": "Figure", "figure-3": "Figure", "figure-4": "Figure",
    "figure-5": "Figure",
    "footnote-1": "Footnote",
    "front-matter": "FrontMatter",
    "abstract": "Abstract",
    "bibliography": "Bibliography",
}
#: Parts with a named graph of their own (the abstract's statements sit in front-matter).
PARTS_WITH_GRAPHS = PARAGRAPHS + [p for p in OTHER_PARTS if p != "abstract"]
SECTIONS = ["section-1", "section-2", "section-2-1", "section-2-2", "section-3", "section-3-1",
            "section-3-2", "section-3-3", "section-3-4", "section-4", "section-4-1",
            "section-4-2", "section-5"]


def kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG + name)


def part(name: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + "id/source/" + name)


def graph(name: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + "graph/" + name)


def data_files() -> list[Path]:
    root = resources.root(settings.resolve({"root": str(ROOT)}, environ={}))
    return load.source_files(root)["data"]


@pytest.fixture(scope="module")
def data() -> ox.Store:
    """Every data file, each named graph kept apart (read-only use)."""
    store = ox.Store()
    for path in data_files():
        fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
        store.load(path=str(path), format=fmt)
    return store


@pytest.fixture(scope="module")
def source_default() -> ox.Store:
    """data/source.trig alone: its default graph describes the parts and the graphs."""
    store = ox.Store()
    store.load(path=str(ROOT / "data" / "source.trig"), format=ox.RdfFormat.TRIG)
    return store


def objects(store: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode,
            graph_name: ox.NamedNode | ox.DefaultGraph | None = None) -> set:
    return {q.object for q in store.quads_for_pattern(subject, predicate, None, graph_name)}


def subjects(store: ox.Store, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal,
             graph_name: ox.NamedNode | ox.DefaultGraph | None = None) -> set:
    return {q.subject for q in store.quads_for_pattern(None, predicate, obj, graph_name)}


def test_every_body_paragraph_is_a_numbered_part_of_a_section(data: ox.Store) -> None:
    paragraphs = subjects(data, RDF_TYPE, kg("Paragraph"))
    assert paragraphs == {part(p) for p in PARAGRAPHS}
    for number in range(1, 47):
        node = part(f"paragraph-{number}")
        assert objects(data, node, kg("paragraphNumber")) == {ox.Literal(
            str(number), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))}
        wholes = objects(data, node, IS_PART_OF)
        assert ARTICLE in wholes, f"paragraph {number} is not part of the article"
        assert any(kg("Section") in objects(data, w, RDF_TYPE) for w in wholes), (
            f"paragraph {number} belongs to no section")


@pytest.mark.parametrize("name", list(OTHER_PARTS))
def test_table_figures_footnote_and_front_matter_are_described(data: ox.Store,
                                                               name: str) -> None:
    node = part(name)
    assert kg(OTHER_PARTS[name]) in objects(data, node, RDF_TYPE)
    assert objects(data, node, RDFS_LABEL), f"{name} has no label"
    wholes = objects(data, node, IS_PART_OF)
    assert ARTICLE in wholes or any(ARTICLE in objects(data, w, IS_PART_OF) for w in wholes)


def test_sections_have_titles_and_belong_to_the_article(data: ox.Store) -> None:
    for name in SECTIONS:
        node = part(name)
        assert kg("Section") in objects(data, node, RDF_TYPE), name
        assert objects(data, node, TITLE), f"{name} has no title"
        assert ARTICLE in objects(data, node, IS_PART_OF), name
    for name in SECTIONS:
        if name.count("-") == 2:  # a subsection lies in its section
            assert part(name.rsplit("-", 1)[0]) in objects(data, part(name), IS_PART_OF)


def test_each_figure_and_the_table_credit_a_cited_reference(data: ox.Store) -> None:
    cited = objects(data, ARTICLE, kg("cites"))
    for name in ["table-1", "figure-1", "figure-2", "figure-3", "figure-4", "figure-5"]:
        credits = objects(data, part(name), kg("credits"))
        assert credits, f"{name} credits no publication"
        assert credits <= cited, f"{name} credits {credits - cited}, not in the bibliography"


def test_every_named_graph_is_described_in_source_trig(data: ox.Store,
                                                       source_default: ox.Store) -> None:
    used = {g for g in data.named_graphs()}
    described = {q.subject for q in source_default.quads_for_pattern(
        None, None, None, ox.DefaultGraph())}
    assert sorted(g.value for g in used - described) == []


@pytest.mark.parametrize("name", PARTS_WITH_GRAPHS)
def test_each_graph_says_which_part_it_comes_from(source_default: ox.Store, name: str) -> None:
    assert objects(source_default, graph(name), DERIVED_FROM, ox.DefaultGraph()) == {part(name)}


@pytest.mark.parametrize("name", PARTS_WITH_GRAPHS)
def test_each_part_contributes_facts_traced_to_it(data: ox.Store, name: str) -> None:
    quads = list(data.quads_for_pattern(None, None, None, graph(name)))
    facts = [q for q in quads if q.predicate != kg("statedIn")]
    assert facts, f"{name} contributes no fact: its graph is empty or holds only kg:statedIn"
    traced = [q for q in quads if q.predicate == kg("statedIn") and q.object == part(name)]
    assert traced, f"nothing in graph:{name} says kg:statedIn source:{name}"


def test_stated_in_points_only_at_described_parts(data: ox.Store,
                                                   source_default: ox.Store) -> None:
    described = {q.subject for q in source_default.quads_for_pattern(
        None, RDF_TYPE, None, ox.DefaultGraph())}
    targets = {q.object for q in data.quads_for_pattern(None, kg("statedIn"), None, None)}
    assert sorted(t.value for t in targets - described) == []


def test_the_article_cites_every_bibliography_entry(data: ox.Store) -> None:
    cited = objects(data, ARTICLE, kg("cites"))
    assert len(cited) == REFERENCES
    for reference in cited:
        assert objects(data, reference, TITLE), f"{reference.value} has no title"
        assert objects(data, reference, kg("year")), f"{reference.value} has no year"
        assert BIBLIOGRAPHY in objects(data, reference, kg("statedIn")), reference.value
        said = (objects(data, reference, kg("author")) | objects(data, reference, kg("editor"))
                | objects(data, reference, kg("publishedIn")))
        assert said, f"{reference.value}: no author, editor or venue"


def test_in_text_citations_point_at_bibliography_entries(data: ox.Store) -> None:
    cited = objects(data, ARTICLE, kg("cites"))
    citing = {q.subject for q in data.quads_for_pattern(None, kg("citedIn"), None, None)}
    assert sorted(c.value for c in citing - cited) == []


def test_front_matter_names_title_authors_and_online_date(data: ox.Store) -> None:
    front = graph("front-matter")
    assert objects(data, ARTICLE, TITLE, front) == {
        ox.Literal("Innovation-driven cluster development strategies in Korea", language="en")}
    authors = objects(data, ARTICLE, kg("author"), front)
    assert len(authors) == 2
    for author in authors:
        assert objects(data, author, MBOX, front), f"{author.value} has no e-mail"
        assert objects(data, author, kg("affiliatedWith"), front), author.value
    dates = {d.value for d in objects(data, ARTICLE, kg("publicationDate"), front)}
    assert dates == {"2013-02-26T00:00:00"}
