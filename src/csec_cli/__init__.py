"""csec: a command-line catalogue of resources on commercial sexual exploitation of children."""

# The one place the version is written: hatchling reads it into the package metadata, and
# `csec --version` reads it here without importing importlib.metadata (slower than all of csec).
__version__ = "0.1.0"
