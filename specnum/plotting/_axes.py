"""Helpers the plotting modules share (matplotlib imported inside the functions)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["axes_or_new", "with_gaps"]


def axes_or_new(ax=None, figsize: tuple[float, float] | None = None):
    """Return ``ax``, or the axes of a new figure (of ``figsize``) when ``ax`` is None."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def with_gaps(values: Sequence[float | None]) -> np.ndarray:
    """Float array of ``values`` with ``None`` (a case not measured) as NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)
