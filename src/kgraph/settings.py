"""One registry of settings (name, default, help) shared by the CLI, the runtime and the docs.

Values are layered: registry default -> environment variable ``KGRAPH_<NAME>`` ->
explicit overrides (CLI flags or a test mapping). Nothing else in the package
hard-codes these values.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _parse_list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"not a yes/no value: {text!r}")


@dataclass(frozen=True)
class Setting:
    """A documented configuration value."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env_var(self) -> str:
        return "KGRAPH_" + self.name.upper()


REGISTRY: tuple[Setting, ...] = (
    Setting("root", "", "Folder holding ontology/, data/, shapes/ and queries/; "
            "empty means the copy embedded in the package."),
    Setting("base_iri", "https://w3id.org/kgraph/",
            "Base IRI of every resource; the server maps it onto whatever host it runs on."),
    Setting("cache_dir", "", "Where builds are cached; empty means ~/.cache/kgraph."),
    Setting("host", "127.0.0.1", "Address the server listens on."),
    Setting("port", 8000, "TCP port the server listens on.", int),
    Setting("threads", 8, "Worker threads of the WSGI server.", int),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped.", float),
    Setting("max_rows", 10000, "Most result rows (or triples) returned; more are cut and flagged.",
            int),
    Setting("max_query_length", 20000, "Most characters in a SPARQL query (else 413).", int),
    Setting("max_body_bytes", 65536, "Most bytes in a request body (else 413).", int),
    Setting("federation_allowlist", (),
            "Comma-separated SPARQL endpoint IRIs that SERVICE may call "
            "(e.g. https://query.wikidata.org/sparql); empty refuses all.", _parse_list),
    Setting("server_processes", 2, "HTTP server processes sharing the listening socket "
            "(each with its own query workers).", int),
    Setting("query_workers", 2, "Worker processes that run SPARQL queries (a query past the "
            "time limit has its worker killed and replaced).", int),
    Setting("trust_proxy", False, "Build public links from X-Forwarded-Host/-Proto (only behind "
            "a proxy that sets them).", _parse_bool),
    Setting("log_level", "INFO", "Logging level of the server and CLI."),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in REGISTRY}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; read-only so that a running app cannot drift."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **overrides: Any) -> Settings:
        return Settings({**self.values, **overrides})


def resolve(overrides: Mapping[str, Any] | None = None,
            environ: Mapping[str, str] | None = None) -> Settings:
    """Layer defaults, environment and overrides; unknown names are an error."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in REGISTRY:
        value = setting.default
        if setting.env_var in env:
            raw = env[setting.env_var]
            try:
                value = setting.parse(raw)
            except ValueError as exc:
                raise ValueError(f"{setting.env_var}={raw!r}: {exc}") from exc
        values[setting.name] = value
    for name, value in (overrides or {}).items():
        if name not in BY_NAME:
            raise KeyError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = value
    return Settings(values)


def cache_dir(settings: Settings) -> Path:
    """The build cache folder (created lazily by the writer, not here)."""
    if settings.cache_dir:
        return Path(settings.cache_dir).expanduser().resolve()
    return Path.home() / ".cache" / "kgraph"


def markdown_table() -> str:
    """The settings as a Markdown table, for README and `kgraph settings`."""
    lines = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for s in REGISTRY:
        default = ",".join(s.default) if isinstance(s.default, tuple) else s.default
        lines.append(f"| `{s.name}` | `{s.env_var}` | `{default}` | {s.help} |")
    return "\n".join(lines)
