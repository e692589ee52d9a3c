"""``kgraph`` command line: parse arguments, call the core, format the outcome.

Exit codes: 0 ok; 1 the data does not conform (SHACL violations or an OWL RL
inconsistency); 2 bad input (unreadable or malformed file, query or argument); 3 an
unexpected error, i.e. a bug (printed with its traceback); 130 interrupted.

Every setting of :data:`kgraph.settings.REGISTRY` is a flag (``--cache-dir``,
``--query-timeout`` ...), accepted before or after the verb.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__, formats
from . import settings as settings_mod
from .errors import InputError, KgraphError, NonConformingError
from .settings import Settings

BUG = 3
INTERRUPTED = 130

Handler = Callable[[argparse.Namespace, Settings], int]


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _settings_parent() -> argparse.ArgumentParser:
    """One flag per registry setting; SUPPRESS keeps a verb from resetting a global value."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("settings (also KGRAPH_<NAME> environment variables)")
    for setting in settings_mod.REGISTRY:
        default = setting.default
        shown = ",".join(default) if isinstance(default, tuple) else default
        group.add_argument(_flag(setting.name), dest=f"setting_{setting.name}",
                           type=setting.parse, default=argparse.SUPPRESS,
                           metavar=setting.name.upper(),
                           help=f"{setting.help} (default: {shown!s})")
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The full parser; also used to document the CLI."""
    parent = _settings_parent()
    parser = argparse.ArgumentParser(
        prog="kgraph", parents=[parent],
        description="Build, check, query, export and serve the kgraph knowledge graph.",
        epilog="Exit codes: 0 ok, 1 data does not conform, 2 input error, 3 bug.")
    parser.add_argument("--version", action="version", version=f"kgraph {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, parents=[parent], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = verb("build", "Load, reason, validate and cache the graph.", cmd_build)
    sub.add_argument("--force", action="store_true", help="rebuild even if the cache is fresh")

    sub = verb("validate", "Check the data against the SHACL shapes (exit 1 if it fails).",
               cmd_validate)
    sub.add_argument("--format", choices=("text", "json", "turtle"), default="text")

    sub = verb("query", "Run a SPARQL query (text, or a .rq file) over all graphs.", cmd_query)
    sub.add_argument("query", metavar="QUERY_OR_FILE",
                     help="the query text, the path of a .rq file, or - for stdin")
    sub.add_argument("--format", choices=formats.names(), default=None,
                     help="default: from the --out suffix, else json for SELECT/ASK and "
                          "turtle for CONSTRUCT/DESCRIBE")
    sub.add_argument("--out", type=Path, default=None, help="write here instead of stdout")

    sub = verb("export", "Write release files (dumps, OWL for Protégé, checksums).",
               cmd_export)
    sub.add_argument("--out", type=Path, required=True, help="folder to (re)create")

    sub = verb("stats", "Count triples, entities, links and paragraph coverage.", cmd_stats)
    sub.add_argument("--format", choices=("text", "json"), default="text")

    sub = verb("serve", "Serve the SPARQL endpoint and Linked Data pages.", cmd_serve)
    sub.add_argument("--get", metavar="PATH", default=None,
                     help="answer one GET request for PATH through the app, without "
                          "opening a port, print the body and exit")

    sub = verb("settings", "List every setting with its current value.", cmd_settings)
    sub.add_argument("--format", choices=("text", "markdown"), default="text")
    return parser


def resolve_settings(args: argparse.Namespace) -> Settings:
    """Registry defaults, then environment, then the flags given."""
    overrides = {key.removeprefix("setting_"): value for key, value in vars(args).items()
                 if key.startswith("setting_")}
    try:
        return settings_mod.resolve(overrides)
    except ValueError as exc:
        raise InputError(str(exc)) from exc


def configure_logging(settings: Settings) -> None:
    """Log to stderr at the configured level (``--log-level``)."""
    level = logging.getLevelName(str(settings.log_level).upper())
    if not isinstance(level, int):
        raise InputError(f"log_level {settings.log_level!r}: use DEBUG, INFO, WARNING or ERROR")
    logging.basicConfig(level=level, format="kgraph: %(levelname)s: %(name)s: %(message)s")


def _write_out(data: bytes, out: Path | None, stdout: IO[bytes]) -> None:
    if out is None:
        stdout.write(data)
        stdout.flush()
        return
    from .atomic import write_bytes

    try:
        write_bytes(out.expanduser(), data)
    except OSError as exc:
        raise InputError(f"{out}: cannot write ({exc.strerror})") from exc


def _stdout() -> IO[bytes]:
    return sys.stdout.buffer


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from .build import build

    result = build(settings, force=args.force)
    counts = result.manifest.get("counts", {})
    state = "reused cached build" if result.reused else "built"
    print(f"{state} {result.fingerprint[:12]}: {counts.get('quads', '?')} quads "
          f"({counts.get('data_quads', '?')} asserted, {counts.get('inferred_triples', '?')} "
          f"inferred, {counts.get('ontology_triples', '?')} ontology) in {result.directory}")
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from .load import load
    from .reason import infer
    from .validate import validate

    sources = load(settings)
    inference = infer(sources)
    report = validate(sources, inference.triples)
    if args.format == "json":
        text = report.to_json()
    elif args.format == "turtle":
        text = report.to_turtle()
    else:
        text = report.to_text()
    sys.stdout.write(text)
    for message in inference.inconsistencies:
        print(f"kgraph: OWL RL inconsistency: {message}", file=sys.stderr)
    return 0 if report.conforms and not inference.inconsistencies else 1


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from . import query
    from .store import open_store

    source = args.query if args.query.endswith((".rq", ".sparql")) else "query"
    source = "stdin" if args.query == "-" else source
    text = query.read_query(args.query)
    store = open_store(settings)
    result = query.run(store, text, source=source)
    fmt = args.format
    if fmt is None and args.out is not None:  # --out answers.csv means CSV
        fmt = formats.by_suffix(args.out.suffix, result.format_kind)
    _write_out(query.serialize(result, fmt), args.out, _stdout())
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from .export import export

    for path in export(settings, args.out):
        print(path)
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from .stats import stats, to_text
    from .store import open_store

    figures = stats(open_store(settings))
    if args.format == "json":
        sys.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(to_text(figures))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    if args.get is not None:
        return _serve_get(args.get, settings)
    from .web.serve import serve

    result = serve(settings)
    return result if isinstance(result, int) else 0


def _serve_get(path: str, settings: Settings) -> int:
    """One request through Flask's test client: 0 for 2xx/3xx, 2 for 4xx, 3 for 5xx."""
    from .store import open_store
    from .web.app import create_app

    if not path.startswith("/"):
        raise InputError(f"--get {path!r}: the path must start with '/'")
    app = create_app(settings, open_store(settings))
    response = app.test_client().get(path)
    stdout = _stdout()
    stdout.write(response.get_data())
    stdout.flush()
    if response.status_code >= 400:
        print(f"kgraph: GET {path}: {response.status}", file=sys.stderr)
        return 2 if response.status_code < 500 else BUG
    return 0


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    if args.format == "markdown":
        print(settings_mod.markdown_table())
        return 0
    rows = [("setting", "environment variable", "value", "default", "meaning")]
    for s in settings_mod.REGISTRY:
        def shown(value: Any) -> str:
            return ",".join(value) if isinstance(value, tuple) else str(value)

        rows.append((_flag(s.name), s.env_var, shown(getattr(settings, s.name)),
                     shown(s.default), s.help))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
              + "  " + row[4])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kgraph`` console script; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse said why)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        settings = resolve_settings(args)
        configure_logging(settings)
        return args.handler(args, settings)
    except NonConformingError as exc:
        report = getattr(exc, "report", None)
        if report is not None and hasattr(report, "to_text"):
            sys.stderr.write(report.to_text())
        print(f"kgraph: {exc}", file=sys.stderr)
        return exc.exit_code
    except KgraphError as exc:
        print(f"kgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kgraph: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # e.g. `kgraph query ... | head`
        return 0
    except Exception:
        traceback.print_exc()
        print("kgraph: internal error (a bug); please report it with the traceback above",
              file=sys.stderr)
        return BUG


if __name__ == "__main__":
    sys.exit(main())
