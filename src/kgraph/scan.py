"""A SPARQL lexer that finds what must be checked before a query runs.

pyoxigraph exposes no query algebra, so the safety rules (no SERVICE to a host that is
not allowlisted, no FROM of a graph that is not ours, no update) are enforced on a token
stream. Comments, strings and IRIs are single tokens, so nothing hidden in them is seen
as a keyword. Oxigraph's parser does not need spaces between keywords
(``SERVICESILENT<x>{`` and ``SELECT*FROM<g>{`` parse), so keywords are also looked for
inside words where the grammar allows such gluing; a SERVICE is recognised by its
shape ``SERVICE [SILENT] target {`` wherever it is, at any brace depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = (rf"(?:[\w:]|%[0-9A-Fa-f]{{2}}|{_ESC})"
             rf"(?:(?:[\w.\-:\u00b7]|%[0-9A-Fa-f]{{2}}|{_ESC})*"
             rf"(?:[\w\-:\u00b7]|%[0-9A-Fa-f]{{2}}|{_ESC}))?")
_PNAME = rf"(?:[^\W\d_][\w.\-\u00b7]*)?:(?:{_PN_LOCAL})?"

_TOKEN = re.compile(rf"""
  (?P<ws>\s+)
| (?P<comment>\#[^\n\r]*)
| (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
            |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
| (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
| (?P<var>[?$][\w\u00b7]+)
| (?P<pname>{_PNAME})
| (?P<word>[\w\-]+)
| (?P<other>.)
""", re.X | re.S)

_PNAME_FULL = re.compile(rf"{_PNAME}\Z")
_UNESCAPE = re.compile(_ESC)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# What may sit glued before a keyword and still be consumed by an earlier rule.
_GLUE = re.compile(r"(?i)(?:[0-9.eE+\-]*|true|false|ask|select|construct|describe|distinct"
                   r"|reduced)\Z")
_UPDATE = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
           "WITH")
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


@dataclass
class Token:
    kind: str
    text: str
    depth: int


@dataclass
class Scan:
    """What the checks need to know about a query."""

    form: str | None = None          # SELECT, CONSTRUCT, DESCRIBE, ASK, or None
    update: str | None = None        # the update keyword, when the text is an update
    prefixes: dict[str, str] = field(default_factory=dict)
    services: list[str | None] = field(default_factory=list)  # None: not a fixed IRI
    from_graphs: list[str | None] = field(default_factory=list)
    has_dataset: bool = False        # FROM or FROM NAMED present
    limit: int | None = None         # the outermost LIMIT, when there is one


def tokens(text: str) -> list[Token]:
    """Significant tokens (no whitespace or comments) with their brace depth."""
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        tok = m.group()
        if kind == "other" and tok == "}":
            depth = max(0, depth - 1)
        out.append(Token(kind, tok, depth))
        if kind == "other" and tok == "{":
            depth += 1
    return out


def _resolve(tok: str, kind: str, prefixes: dict[str, str]) -> str | None:
    """The absolute IRI an IRI or prefixed-name token stands for, or None if not fixed."""
    if kind == "iri":
        iri = tok[1:-1]
    elif kind == "pname" and _PNAME_FULL.match(tok):
        prefix, _, local = tok.partition(":")
        if prefix not in prefixes:
            return None
        iri = prefixes[prefix] + _UNESCAPE.sub(lambda m: m.group()[1:], local)
    else:
        return None
    # Relative IRIs (resolved against a BASE) and escapes are not followed: refuse them.
    if "\\" in iri or not _ABSOLUTE.match(iri):
        return None
    return iri


def _keyword_rest(tok: Token, keyword: str) -> list[str]:
    """For each place ``keyword`` could be read inside ``tok``, what follows it there."""
    if tok.kind == "word":
        head, local = tok.text, None
    elif tok.kind == "pname":
        head, _, local = tok.text.partition(":")
    else:
        return []
    rests = []
    lowered = head.lower()
    start = lowered.find(keyword)
    while start >= 0:
        if _GLUE.match(head[:start]):
            rest = head[start + len(keyword):]
            rests.append(rest if local is None else f"{rest}:{local}")
        start = lowered.find(keyword, start + 1)
    return rests


def _target(rest: str, following: list[Token], prefixes: dict[str, str],
            optional: str) -> tuple[bool, str | None, int]:
    """Parse ``[optional] target`` after a keyword.

    Returns (found, resolved IRI or None, tokens consumed from ``following``).
    """
    used = 0
    if rest.lower().startswith(optional):
        rest = rest[len(optional):]
    elif not rest and following and following[0].kind in ("word", "pname"):
        lowered = following[0].text.lower()
        if lowered.startswith(optional):
            rest = following[0].text[len(optional):]
            used = 1
    if rest:
        if rest.startswith(("?", "$")):
            return True, None, used
        if _PNAME_FULL.match(rest):
            return True, _resolve(rest, "pname", prefixes), used
        return False, None, used
    if used < len(following):
        nxt = following[used]
        if nxt.kind == "var":
            return True, None, used + 1
        if nxt.kind in ("iri", "pname"):
            return True, _resolve(nxt.text, nxt.kind, prefixes), used + 1
    return False, None, used


def _prologue(toks: list[Token], scan: Scan) -> int:
    """Read BASE/PREFIX declarations; return the index of the first token after them."""
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.lower()
        if tok.kind == "word" and word == "base" and i + 1 < len(toks):
            i += 2
        elif tok.kind == "word" and word == "prefix" and i + 2 < len(toks) \
                and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            scan.prefixes[toks[i + 1].text[:-1]] = toks[i + 2].text[1:-1]
            i += 3
        elif tok.kind == "pname" and word.startswith("prefix") and word.endswith(":") \
                and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            scan.prefixes[tok.text[6:-1]] = toks[i + 1].text[1:-1]
            i += 2
        else:
            return i
    return i


def scan(text: str, default_prefixes: dict[str, str] | None = None) -> Scan:
    """Tokenize ``text`` and collect its form, update keyword, SERVICE and FROM targets."""
    result = Scan(prefixes=dict(default_prefixes or {}))
    toks = tokens(text)
    start = _prologue(toks, result)
    if start < len(toks) and toks[start].kind in ("word", "pname"):
        first = toks[start].text.upper()
        result.form = next((f for f in _FORMS if first.startswith(f)), None)
        if result.form is None:
            result.update = next((u for u in _UPDATE if first.startswith(u)), None)
    for i in range(start, len(toks)):
        tok = toks[i]
        if tok.kind not in ("word", "pname"):
            continue
        if tok.depth == 0 and tok.kind == "word" and tok.text.lower().startswith("limit"):
            digits = tok.text[5:] or (toks[i + 1].text if i + 1 < len(toks) else "")
            if digits.isascii() and digits.isdigit():
                result.limit = int(digits)
        if tok.depth >= 1:
            for rest in _keyword_rest(tok, "service"):
                found, iri, used = _target(rest, toks[i + 1:], result.prefixes, "silent")
                after = i + 1 + used
                if found and after < len(toks) and toks[after].text == "{":
                    result.services.append(iri)
        else:
            for rest in _keyword_rest(tok, "from"):
                found, iri, _ = _target(rest, toks[i + 1:], result.prefixes, "named")
                if found:
                    result.has_dataset = True
                    result.from_graphs.append(iri)
    return result
