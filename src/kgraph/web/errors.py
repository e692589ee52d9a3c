"""One error shape for every failure the web app reports, as JSON or HTML by negotiation.

JSON: ``{"ok": false, "status": 400, "title": "Bad Request", "error": "<message>"}``
(``application/json``); browsers that prefer HTML get the same fields on a small page.
Client mistakes are 4xx with a message saying what to change; faults are logged 500s.
The renderer needs no Flask request, so the plain-WSGI /sparql path uses it too.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from pathlib import Path

import jinja2
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from . import negotiation

log = logging.getLogger(__name__)

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True)


class ApiError(Exception):
    """A failure with its HTTP status and a message meant for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def body(status: int, message: str) -> dict[str, object]:
    """The canonical fields of an error."""
    return {"ok": False, "status": status, "title": HTTPStatus(status).phrase,
            "error": message}


def render_parts(status: int, message: str, accept: str, script_root: str = ""
                 ) -> tuple[str, bytes]:
    """``(content type, body)`` of an error: HTML for browsers, JSON for everyone else."""
    fields = body(status, message)
    if negotiation.prefers_html(accept):
        page = _TEMPLATES.get_template("error.html").render(
            home=script_root + "/", css=script_root + "/static/query.css", **fields)
        return "text/html; charset=utf-8", page.encode()
    return "application/json; charset=utf-8", json.dumps(fields).encode()


def render(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The error as a Flask response for the current request."""
    content_type, data = render_parts(status, message, request.headers.get("Accept", ""),
                                      request.script_root)
    response = Response(data, status, content_type=content_type)
    response.headers["Vary"] = "Accept"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def register(app: Flask) -> None:
    """Route every error of the app through :func:`render`."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return render(exc.status, exc.message, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        headers = {}
        valid = getattr(exc, "valid_methods", None)
        if status == 405 and valid:
            headers["Allow"] = ", ".join(valid)
        return render(status, exc.description or HTTPStatus(status).phrase, headers)

    @app.errorhandler(Exception)
    def _fault(exc: Exception) -> Response:
        log.exception("server fault on %s %s", request.method, request.path)
        return render(500, "The server failed to handle this request; the fault is logged.")
