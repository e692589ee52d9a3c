"""kgraph: a knowledge graph of Korea's innovation-driven industrial cluster policy."""

__version__ = "1.0.0"
