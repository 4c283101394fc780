"""The version of specnum (layer L0)."""

__version__ = "0.1.0"
