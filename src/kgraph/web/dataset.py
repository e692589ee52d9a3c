"""The dataset described and downloadable: /.well-known/void and /dumps/….

The dumps are what `kgraph export` writes, produced once per source fingerprint into the
cache folder and streamed from there, each with its SHA-256 (ETag, ``Repr-Digest`` and a
``SHA256SUMS`` listing). The VoID description counts the served store at request time.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
import threading
from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
)

from .. import formats, load, resources, void
from ..atomic import write_text
from ..settings import cache_dir
from .resources import (
    document_headers,
    here,
    negotiate,
    public_base,
    settings,
    store,
    strip_suffix,
)

bp = Blueprint("ld_dataset", __name__, template_folder="templates")
log = logging.getLogger(__name__)

_LOCK = threading.Lock()
SUMS = "SHA256SUMS"


# --------------------------------------------------------------------------- dumps

def dumps_dir() -> Path:
    """cache_dir/dumps/<fingerprint of the sources>: a new folder whenever a file changes."""
    cached = current_app.extensions.get("kgraph_ld_dumps_dir")
    if cached is None:
        st = settings()
        root = resources.root(st)
        files = [f for group in load.source_files(root).values() for f in group]
        cached = cache_dir(st) / "dumps" / load.fingerprint(root, files)[:16]
        current_app.extensions["kgraph_ld_dumps_dir"] = cached
    return cached


def ensure_dumps() -> Path:
    """Run `kgraph export` into the dump folder unless it is there already."""
    folder = dumps_dir()
    if (folder / SUMS).is_file():
        return folder
    with _LOCK:
        if not (folder / SUMS).is_file():
            from ..export import export  # the pipeline's exporter; imported late (heavy)

            export(settings(), folder)  # atomic: the folder appears complete or not at all
            if not (folder / SUMS).is_file():
                write_sums(folder)
    return folder


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(folder: Path) -> dict[str, str]:
    """Hash every file of ``folder`` (recursively) into SHA256SUMS, in `sha256sum` layout."""
    sums = {p.relative_to(folder).as_posix(): sha256_of(p)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != SUMS}
    write_text(folder / SUMS, "".join(f"{h}  {n}\n" for n, h in sums.items()))
    return sums


def read_sums(folder: Path) -> dict[str, str]:
    sums = {}
    for line in (folder / SUMS).read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            sums[name] = digest
    return sums


def media_type(name: str) -> str:
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    for fmt in formats.FORMATS:
        if fmt.suffix == suffix and fmt.kind == formats.GRAPH:
            return fmt.media_type
    if suffix == ".owl":
        return "application/rdf+xml"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def dump_list(folder: Path, rdf_only: bool = False) -> list[void.Dump]:
    """The files of the export with size and SHA-256; ``rdf_only`` keeps the data dumps."""
    sums = read_sums(folder)
    found = []
    for name, digest in sorted(sums.items()):
        kind = media_type(name)
        if rdf_only and (name == "void.ttl" or kind not in RDF_MEDIA_TYPES):
            continue
        found.append(void.Dump(name, kind, (folder / name).stat().st_size, digest))
    return found


RDF_MEDIA_TYPES = {f.media_type for f in formats.FORMATS if f.kind == formats.GRAPH}


@bp.route("/dumps/")
@bp.route("/dumps")
def dumps_index() -> Response:
    folder = ensure_dumps()
    listing = dump_list(folder)
    if request.accept_mimetypes.best == "text/plain" or request.args.get("format") == "sums":
        return send_file(folder / SUMS, mimetype="text/plain")
    return Response(render_template("ld_dumps.html", dumps=listing,
                                    sums=f"{request.script_root}/dumps/{SUMS}"),
                    content_type="text/html; charset=utf-8")


@bp.route("/dumps/<path:name>")
def dump_file(name: str) -> Response:
    folder = ensure_dumps()
    if name == SUMS:
        return send_file(folder / SUMS, mimetype="text/plain", conditional=True)
    sums = read_sums(folder)
    if name not in sums:  # only files the export wrote: no path tricks
        abort(404)
    digest = sums[name]
    resp = send_file(folder / name, mimetype=media_type(name), conditional=True,
                     etag=digest, download_name=name.rsplit("/", 1)[-1])
    b64 = base64.b64encode(bytes.fromhex(digest)).decode("ascii")
    resp.headers["Repr-Digest"] = f"sha-256=:{b64}:"
    resp.headers["Digest"] = f"sha-256={b64}"
    resp.headers["X-Checksum-SHA256"] = digest
    return resp


# --------------------------------------------------------------------------- VoID

def void_triples() -> list[ox.Triple]:
    """The description of the served store, cached per store and public address."""
    cache = current_app.extensions.setdefault("kgraph_ld_void", {})
    key = (id(store()), public_base())
    if key not in cache:
        try:
            listing = dump_list(ensure_dumps(), rdf_only=True)
        except Exception:  # an export failure must not take the description down
            log.exception("dumps unavailable; describing the dataset without them")
            listing = []
        cache.clear()
        cache[key] = void.describe(store(), settings(), public_base=public_base(),
                                   dumps=listing)
    return cache[key]


@bp.route("/.well-known/void")
@bp.route("/.well-known/void<any('.ttl', '.jsonld', '.nt', '.rdf', '.html'):suffix>")
def void_description(suffix: str = "") -> Response:
    stem, fmt_name, forced = strip_suffix(here())
    if not forced:
        # Turtle unless the client names HTML explicitly (a browser) and prefers it.
        explicit_html = any(m in ("text/html", "application/xhtml+xml") and q > 0
                            for m, q in request.accept_mimetypes)
        fmt_name = negotiate() if explicit_html else (negotiate() or "turtle")
    triples = void_triples()
    if fmt_name is None:
        turtle = void.serialize(triples).decode("utf-8")
        resp = Response(render_template("ld_void.html", turtle=turtle),
                        content_type="text/html; charset=utf-8")
        return document_headers(resp, stem + ".html")
    fmt = formats.by_name(fmt_name)
    resp = Response(void.serialize(triples, fmt.oxigraph), content_type=fmt.content_type)
    return document_headers(resp, stem + fmt.suffix)


@bp.route("/dataset")
@bp.route("/void")
def dataset() -> Response:
    """The dataset's IRI (and the old /void address) lead to its description."""
    return redirect(f"{request.script_root}/.well-known/void", 303)
