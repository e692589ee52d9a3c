"""Serve a TriG file with the production server, for tests that need a real process.

Usage: python serve_fixture.py DATA.trig   (settings from KGRAPH_* variables; port 0
picks a free port, and the chosen address is printed on stderr).
"""

import sys

import pyoxigraph as ox

from kgraph import settings
from kgraph.web.serve import serve

if __name__ == "__main__":
    store = ox.Store()
    with open(sys.argv[1], "rb") as data:
        store.load(input=data, format=ox.RdfFormat.TRIG)
    serve(settings.resolve(), store)
