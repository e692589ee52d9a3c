// The query page: run SPARQL through the endpoint and show the answer as a table.
// Plain JavaScript with no external library, so the page works offline.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var editor = document.getElementById("query");
  var statusBox = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var asserted = document.getElementById("asserted");
  var RESULTS_JSON = "application/sparql-results+json";

  function localHref(iri) {
    // Our IRIs open on this server; other IRIs open where they live.
    if (iri.indexOf(data.baseIri) === 0) {
      return data.localRoot + iri.slice(data.baseIri.length);
    }
    return iri;
  }

  // Longest namespace first, so complex: wins over a shorter enclosing namespace.
  var namespaces = Object.keys(data.prefixes).map(function (p) {
    return [p, data.prefixes[p]];
  }).sort(function (a, b) { return b[1].length - a[1].length; });
  function shortName(iri) {
    for (var i = 0; i < namespaces.length; i++) {
      var ns = namespaces[i][1];
      var local = iri.slice(ns.length);
      if (iri.indexOf(ns) === 0 && /^[A-Za-z0-9_][A-Za-z0-9_.\-]*$/.test(local)) {
        return namespaces[i][0] + ":" + local;
      }
    }
    return iri;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function termNode(term) {
    if (!term) { return el("span", ""); }
    if (term.type === "uri") {
      var a = el("a", shortName(term.value));
      a.title = term.value;
      a.href = localHref(term.value);
      return a;
    }
    if (term.type === "bnode") { return el("span", "_:" + term.value); }
    if (term.type === "triple") {
      var span = el("span", "<< ");
      ["subject", "predicate", "object"].forEach(function (k) {
        span.appendChild(termNode(term.value[k]));
        span.appendChild(document.createTextNode(" "));
      });
      span.appendChild(document.createTextNode(">>"));
      return span;
    }
    var lit = el("span", term.value);
    var XSD = "http://www.w3.org/2001/XMLSchema#";
    var note = term["xml:lang"] ? "@" + term["xml:lang"] :
      (term.datatype ? "^^" + (term.datatype.indexOf(XSD) === 0 ?
        "xsd:" + term.datatype.slice(XSD.length) : term.datatype) : "");
    if (note) {
      var wrap = el("span");
      wrap.appendChild(lit);
      wrap.appendChild(el("small", " " + note));
      return wrap;
    }
    return lit;
  }

  function table(vars, rows) {
    var t = el("table");
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) {
        var td = el("td"); td.appendChild(termNode(row[v])); tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  // N-Triples line -> {subject, predicate, object} in SPARQL JSON term shape.
  var NT_TERM = /^(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9\-]+|\^\^<[^>]*>)?)\s*/;
  function unescapeNt(s) {
    return s.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, function (m, u, U, c) {
      if (u || U) { return String.fromCodePoint(parseInt(u || U, 16)); }
      return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[c] || c;
    });
  }
  function ntTerm(tok) {
    if (tok[0] === "<") { return { type: "uri", value: tok.slice(1, -1) }; }
    if (tok[0] === "_") { return { type: "bnode", value: tok.slice(2) }; }
    var m = /^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9\-]+)|\^\^<([^>]*)>)?$/.exec(tok);
    var term = { type: "literal", value: unescapeNt(m[1]) };
    if (m[2]) { term["xml:lang"] = m[2]; }
    if (m[3]) { term.datatype = m[3]; }
    return term;
  }
  function parseNTriples(text) {
    var rows = [];
    text.split("\n").forEach(function (line) {
      line = line.trim();
      if (!line || line[0] === "#") { return; }
      var parts = [];
      for (var i = 0; i < 3; i++) {
        var m = NT_TERM.exec(line);
        if (!m) { return; }
        parts.push(ntTerm(m[1]));
        line = line.slice(m[0].length);
      }
      rows.push({ subject: parts[0], predicate: parts[1], object: parts[2] });
    });
    return rows;
  }

  function params(extra) {
    var p = new URLSearchParams();
    p.append("query", editor.value);
    if (asserted.checked) { p.append("default-graph-uri", data.assertedIri); }
    Object.keys(extra || {}).forEach(function (k) { p.append(k, extra[k]); });
    return p;
  }

  function showDownloads(kind) {
    downloads.hidden = false;
    Array.prototype.forEach.call(downloads.querySelectorAll("a.download"), function (a) {
      var fits = a.dataset.kind === kind;
      a.hidden = !fits;
      a.href = data.endpoint + "?" + params({ format: a.dataset.format }).toString();
      a.setAttribute("download", "query" + a.dataset.suffix);
    });
  }

  function fail(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function run() {
    errorBox.hidden = true;
    results.textContent = "";
    downloads.hidden = true;
    statusBox.textContent = "Running…";
    var started = performance.now();
    fetch(data.endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": RESULTS_JSON + ", application/n-triples;q=0.9"
      },
      body: params().toString()
    }).then(function (response) {
      var type = (response.headers.get("Content-Type") || "").split(";")[0];
      var truncated = response.headers.get("Kgraph-Truncated");
      return response.text().then(function (text) {
        var ms = Math.round(performance.now() - started);
        if (!response.ok) {
          var message = text;
          try { message = JSON.parse(text).error; } catch (e) { /* not JSON */ }
          statusBox.textContent = "";
          fail(response.status + " " + response.statusText + ": " + message);
          return;
        }
        if (truncated) {
          results.appendChild(el("p", "Only the first rows are shown: the answer was cut at " +
            "the row limit (" + truncated + ").", "truncated"));
        }
        if (type === RESULTS_JSON) {
          var json = JSON.parse(text);
          if (json.boolean !== undefined) {
            results.appendChild(el("p", "Answer: " + json.boolean, "boolean"));
            statusBox.textContent = "Done in " + ms + " ms";
          } else {
            var rows = json.results.bindings;
            results.appendChild(table(json.head.vars, rows));
            statusBox.textContent = rows.length + " rows in " + ms + " ms";
          }
          showDownloads("results");
        } else {
          var triples = parseNTriples(text);
          results.appendChild(table(["subject", "predicate", "object"], triples));
          statusBox.textContent = triples.length + " triples in " + ms + " ms";
          showDownloads("graph");
        }
      });
    }).catch(function (err) {
      statusBox.textContent = "";
      fail("The request failed: " + err);
    });
  }

  document.getElementById("query-form").addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  Array.prototype.forEach.call(document.querySelectorAll(".gallery-item"), function (button) {
    button.addEventListener("click", function () {
      var q = data.gallery[Number(button.dataset.index)];
      editor.value = q.query;
      Array.prototype.forEach.call(document.querySelectorAll(".gallery-item.active"),
        function (b) { b.classList.remove("active"); });
      button.classList.add("active");
      document.getElementById("editor-pane").scrollIntoView({ block: "start" });
      run();
    });
  });
}());
