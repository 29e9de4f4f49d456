"""csec: a command-line catalogue of resources on commercial sexual exploitation of children."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("csec-cli")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
