"""The settings registry layers defaults, environment and overrides."""

import pytest

from kgraph import settings


def test_environment_overrides_default() -> None:
    s = settings.resolve(environ={"KGRAPH_PORT": "9001"})
    assert s.port == 9001
    assert s.host == "127.0.0.1"


def test_explicit_override_wins_over_environment() -> None:
    s = settings.resolve({"port": 7000}, environ={"KGRAPH_PORT": "9001"})
    assert s.port == 7000


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(KeyError):
        settings.resolve({"nonsense": 1}, environ={})


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ValueError, match="KGRAPH_PORT"):
        settings.resolve(environ={"KGRAPH_PORT": "eighty"})


def test_allowlist_is_parsed_from_a_comma_list() -> None:
    s = settings.resolve(environ={"KGRAPH_FEDERATION_ALLOWLIST": "https://a/sparql, https://b/q"})
    assert s.federation_allowlist == ("https://a/sparql", "https://b/q")
