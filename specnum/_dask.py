"""Chunk-wise evaluation of dask arrays (layer L0; dask is an optional dependency).

Public functions that evaluate large batches (Gaunt products over many feature rows,
Chebyshev-Tucker tensors and direct sums at many points) accept a ``dask.array.Array``
for their batched argument: the work is mapped over its chunks with
``dask.array.map_blocks``/``blockwise`` and a lazy dask array is returned. dask is never
imported unless such an array is passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["is_dask_array", "map_points", "map_pair"]


def is_dask_array(x: Any) -> bool:
    """True when ``x`` is a ``dask.array.Array`` (checked without importing dask)."""
    return type(x).__module__.split(".")[0] == "dask" and hasattr(x, "map_blocks")


def map_points(fn: Callable, points: Any, out_last: int | None, dtype: Any) -> Any:
    """Apply ``fn`` to each chunk of a dask array of points of shape ``(..., d)``.

    The last (coordinate) axis is gathered into one chunk; leading axes keep their chunks.
    ``out_last`` is the length of the output's last axis, or None when ``fn`` drops it.
    """
    pts = points.rechunk({points.ndim - 1: -1})
    if out_last is None:
        return pts.map_blocks(fn, drop_axis=pts.ndim - 1, dtype=dtype)
    chunks = pts.chunks[:-1] + ((out_last,),)
    return pts.map_blocks(fn, chunks=chunks, dtype=dtype)


def map_pair(fn: Callable, x1: Any, x2: Any, out_last: int, dtype: Any) -> Any:
    """Apply ``fn(a1, a2)`` chunk-wise to two arrays whose leading (batch) axes broadcast.

    The last axes of both inputs are gathered into single chunks (they may differ in
    length); the output has the broadcast batch axes and a last axis of length ``out_last``.
    """
    import dask.array as da

    a1, a2 = da.asarray(x1), da.asarray(x2)
    nd = max(a1.ndim, a2.ndim)
    a1 = a1.reshape((1,) * (nd - a1.ndim) + a1.shape) if a1.ndim < nd else a1
    a2 = a2.reshape((1,) * (nd - a2.ndim) + a2.shape) if a2.ndim < nd else a2
    a1 = a1.rechunk({nd - 1: -1})
    a2 = a2.rechunk({nd - 1: -1})
    lead = "".join(chr(ord("a") + i) for i in range(nd - 1))
    return da.blockwise(
        fn, lead + "z", a1, lead + "x", a2, lead + "y",
        new_axes={"z": out_last}, concatenate=True, dtype=dtype,
    )
