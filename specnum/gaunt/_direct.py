"""The "direct" route of Gaunt products: contraction with the sparse real Gaunt table (internal).

``c[b, k3] += G[k1, k2, k3] x1[b, k1] x2[b, k2]`` over the nonzeros of
:func:`specnum.bases.coupling.real_gaunt_sparse`, ``O(L^5)`` per product, in the numba
kernels :func:`specnum.gaunt._kernels.gaunt_outputs_kernel` (the products of all index
pairs of a block of rows first, then each output's terms four at a time; mid-sized tables run
in its forms with a constant block length) and, when those
pair products would not fit in the L2 cache, :func:`~specnum.gaunt._kernels.gaunt_pairs_kernel`
(pair by pair); pairs are folded by the symmetry of the table for inputs of equal degree.
Fastest for small degrees.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from specnum.bases._threads import chunk_rows, parallel_workers, run_blocks
from specnum.bases.coupling import real_gaunt_sparse
from specnum.gaunt._checks import float_name
from specnum.gaunt._kernels import (
    gaunt_outputs64_kernel,
    gaunt_outputs128_kernel,
    gaunt_outputs_kernel,
    gaunt_pairs_kernel,
    gaunt_pairs_vjp_kernel,
)

__all__ = ["direct_product", "direct_product_vjp", "pair_arrays", "pair_tables", "block_rows", "contract", "PairTable"]

# the output-ordered kernel takes blocks of _SHORT_BLOCK_BYTES per pair (64 float64 or 128
# float32 rows) for tables of _SHORT_BLOCK_PAIRS pairs (equal degrees 3 to 6), where they run
# 1.1-1.4x faster than the longer blocks of the pair kernel (smaller and larger tables run
# best on the longer ones); its scratch (the pair products of one block) is kept within an L2
# cache of 1.5-2 MiB per core by shortening the block; below _MIN_OUTPUT_BLOCK rows the fixed
# cost per term outweighs the saved stores and the table runs pair by pair
# (benchmarks/bench_gaunt.py --direct-kernels)
_PAIR_PRODUCTS_BYTES = 3 << 19
_SHORT_BLOCK_BYTES = 512
_SHORT_BLOCK_PAIRS = (100, 1500)
_MIN_OUTPUT_BLOCK = 64
# the thread decision (parallel_workers) counts work as operations at the rate of the grid route;
# the direct kernels do their 2 (terms + 2 pairs) operations per row at about 1/1.75 of that rate
# in float64 and about 1/0.875 or faster in float32 (4096 products, one thread: the direct
# route's 7.2e7 at L = 6 in 5.8 ms (float64) and 2.5 ms (float32), the grid route's 1.6e8 at
# L = 7 in 7.4 ms (float64)), so their work is weighted by _DIRECT_COST * itemsize / 2
_DIRECT_COST = 0.4375
# the constant-block forms of the output-ordered kernel, by rows per block (_SHORT_BLOCK_BYTES
# per pair in float64 and in float32)
_FIXED_BLOCK_KERNELS = {64: gaunt_outputs64_kernel, 128: gaunt_outputs128_kernel}


class PairTable(NamedTuple):
    """A sparse bilinear table in the two orders of the kernels (see :func:`pair_arrays`)."""

    pk1: np.ndarray
    pk2: np.ndarray
    psym: np.ndarray
    runs: np.ndarray
    k3: np.ndarray
    values: np.ndarray
    ostart: np.ndarray
    orun: np.ndarray
    ovalues: np.ndarray

    def pairs(self) -> tuple:
        """The arguments of :func:`~specnum.gaunt._kernels.gaunt_pairs_kernel`."""
        return self.pk1, self.pk2, self.psym, self.runs, self.k3, self.values

    def outputs(self) -> tuple:
        """The arguments of :func:`~specnum.gaunt._kernels.gaunt_outputs_kernel`."""
        return self.pk1, self.pk2, self.psym, self.ostart, self.orun, self.ovalues


def pair_arrays(k1: Any, k2: Any, k3: Any, values: Any, dtype: str, *, symmetric: bool = False,
                n_out: int | None = None) -> PairTable:
    """Kernel-ready read-only tables: runs of equal index pair ``(k1, k2)``
    (``pk1, pk2, psym, runs, k3, values``) and the same terms by output
    (``ostart, orun, ovalues``: the terms of output ``k`` are ``ostart[k]:ostart[k+1]``, each
    the index ``orun`` of its pair run and its value), as a :class:`PairTable`.

    ``symmetric``: the table satisfies ``G[k1, k2, k3] = G[k2, k1, k3]`` and both inputs have
    the same length; the pairs ``k1 > k2`` are folded onto ``k1 < k2`` (flag 1), halving the
    updates of the output.
    """
    k1, k2, k3, v = (np.asarray(a) for a in (k1, k2, k3, values))
    if symmetric:
        keep = k1 <= k2
        k1, k2, k3, v = k1[keep], k2[keep], k3[keep], v[keep]
    order = np.lexsort((k3, k2, k1))
    k1, k2, k3, v = k1[order], k2[order], k3[order], v[order]
    start = np.flatnonzero(np.concatenate([[True], (np.diff(k1) != 0) | (np.diff(k2) != 0)]))[: k1.size]
    runs = np.concatenate([start, [k1.size]]).astype(np.int64)
    pk1, pk2 = k1[start].astype(np.int32), k2[start].astype(np.int32)
    psym = ((pk1 != pk2) & symmetric).astype(np.uint8)
    run_of = np.repeat(np.arange(pk1.size, dtype=np.int32), np.diff(runs))
    by_out = np.lexsort((run_of, k3))
    n3 = n_out if n_out is not None else (int(k3.max()) + 1 if k3.size else 0)
    ostart = np.searchsorted(k3[by_out], np.arange(n3 + 1)).astype(np.int64)
    arrs = PairTable(pk1, pk2, psym, runs, k3.astype(np.int32), np.ascontiguousarray(v, dtype=dtype), ostart,
                     run_of[by_out], np.ascontiguousarray(v[by_out], dtype=dtype))
    for a in arrs:
        a.setflags(write=False)
    return arrs


def contract(a1: np.ndarray, a2: np.ndarray, table: PairTable, row0: int, row1: int, block: int,
             out: np.ndarray) -> None:
    """``out[b, k3] = sum G x1[b, k1] x2[b, k2]`` for rows ``row0 <= b < row1`` by the kernel that suits the table.

    The output-ordered kernel writes the ``table.ostart.size - 1`` columns of the table; an
    ``out`` of another width, or a table whose pair products do not fit the scratch limit with
    at least ``_MIN_OUTPUT_BLOCK`` rows, runs pair by pair (which writes every column). Tables
    of ``_SHORT_BLOCK_PAIRS`` pairs over at least four short blocks of rows run in blocks of a
    constant ``_SHORT_BLOCK_BYTES`` per pair (64 or 128 rows, whatever ``block``)."""
    size, npair = out.dtype.itemsize, table.pk1.size
    short = _SHORT_BLOCK_PAIRS[0] <= npair <= _SHORT_BLOCK_PAIRS[1]
    short_rows = _SHORT_BLOCK_BYTES // size
    rows = min(block, short_rows) if short else block
    fit = min(rows, _PAIR_PRODUCTS_BYTES // max(npair * size, 1) // 16 * 16)
    if table.ostart.size - 1 != out.shape[1] or fit < min(_MIN_OUTPUT_BLOCK, block):
        gaunt_pairs_kernel(a1, a2, *table.pairs(), row0, row1, block, out)
    elif short and row1 - row0 >= 4 * short_rows:  # blocks of a constant length
        _FIXED_BLOCK_KERNELS[short_rows](a1, a2, *table.outputs(), row0, row1, out)
    else:
        gaunt_outputs_kernel(a1, a2, *table.outputs(), row0, row1, fit, out)


@lru_cache(maxsize=32)
def pair_tables(l1: int, l2: int, lo: int, dtype: str):
    """:func:`pair_arrays` of the sparse real Gaunt table ``(l1, l2, lo)`` (symmetric when ``l1 == l2``)."""
    sp = real_gaunt_sparse(l1, l2, lo)
    return pair_arrays(sp.k1, sp.k2, sp.k3, sp.values, dtype, symmetric=l1 == l2, n_out=(lo + 1) ** 2)


def block_rows(itemsize: int) -> int:
    """Rows per block of the pair kernel (measured: 256 for float32, 128 for float64)."""
    return 256 if itemsize == 4 else 128


def direct_product(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo: int) -> np.ndarray:
    """Gaunt products of the rows of ``a1 (B, n1)``, ``a2 (B, n2)`` (C-contiguous, one dtype)."""
    tables = pair_tables(l1, l2, lo, float_name(a1.dtype))
    nrow = a1.shape[0]
    out = np.empty((nrow, (lo + 1) ** 2), dtype=a1.dtype)
    block = block_rows(a1.dtype.itemsize)
    workers = parallel_workers(_DIRECT_COST * a1.itemsize * nrow * (tables.values.size + 2 * tables.pk1.size))
    run_blocks(nrow, chunk_rows(nrow, block, workers), lambda s, e, w: contract(a1, a2, tables, s, e, block, out),
               workers=workers, blas=False)
    return out


def direct_product_vjp(a1: np.ndarray, a2: np.ndarray, g: np.ndarray, l1: int, l2: int,
                       lo: int) -> tuple[np.ndarray, np.ndarray]:
    """Gradients ``(P_l1(f2 g), P_l2(f1 g))`` of ``sum g * product(a1, a2)`` in one pass over the
    table of the forward product (C-contiguous rows of one dtype; ``g (B, (lo+1)**2)``)."""
    tables = pair_tables(l1, l2, lo, float_name(a1.dtype))
    nrow = a1.shape[0]
    gx1 = np.empty_like(a1)
    gx2 = np.empty_like(a2)
    block = block_rows(a1.dtype.itemsize)
    workers = parallel_workers(_DIRECT_COST * a1.itemsize * nrow * (tables.values.size + 4 * tables.pk1.size))
    run_blocks(nrow, chunk_rows(nrow, block, workers),
               lambda s, e, w: gaunt_pairs_vjp_kernel(a1, a2, g, *tables.pairs(), s, e, block, gx1, gx2),
               workers=workers, blas=False)
    return gx1, gx2
