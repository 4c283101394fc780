"""Figures (layer L3): one module per pillar; matplotlib is imported inside each function.

Every function takes computed results and an optional ``ax`` and returns the ``ax``.
Import the modules directly, e.g. ``from specnum.plotting.riesz import plot_symbol``.
"""

__all__ = ["bases", "riesz", "chebtucker", "gaunt"]
