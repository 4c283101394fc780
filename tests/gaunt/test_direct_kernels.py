"""The two kernels of the direct route against a dense contraction with the sparse real Gaunt table.

Both orders (pair by pair, output by output in groups of four terms) must give
``out[b, k3] = sum G[k1, k2, k3] x1[b, k1] x2[b, k2]`` to rounding: compared with an
``einsum`` over the dense table built from the nonzeros of ``real_gaunt_sparse``, 1e-13
relative in float64 and 1e-5 in float32, for symmetric (equal degrees, folded pairs) and
asymmetric tables, row counts that are not multiples of the block (the constant-block kernels
pad their last block), and outputs with no terms.
"""

from __future__ import annotations

import numpy as np
import pytest

from specnum.bases.coupling import real_gaunt_sparse
from specnum.gaunt._direct import _SHORT_BLOCK_PAIRS, contract, pair_arrays, pair_tables
from specnum.gaunt._kernels import (
    gaunt_outputs64_kernel,
    gaunt_outputs128_kernel,
    gaunt_outputs_kernel,
    gaunt_pairs_kernel,
)


def _dense(l1, l2, lo):
    sp = real_gaunt_sparse(l1, l2, lo)
    g = np.zeros(((l1 + 1) ** 2, (l2 + 1) ** 2, (lo + 1) ** 2))
    g[sp.k1, sp.k2, sp.k3] = sp.values
    return sp, g


@pytest.mark.parametrize("l1, l2, lo", [(3, 3, 6), (4, 2, 5), (2, 3, 7), (5, 5, 4)])
@pytest.mark.parametrize("dtype, tol", [("float64", 1e-13), ("float32", 1e-5)])
@pytest.mark.parametrize("rows, block", [(1, 8), (37, 16), (300, 128)])
def test_both_kernel_orders_match_the_dense_contraction(l1, l2, lo, dtype, tol, rows, block):
    sp, g = _dense(l1, l2, lo)
    table = pair_arrays(sp.k1, sp.k2, sp.k3, sp.values, dtype, symmetric=l1 == l2, n_out=(lo + 1) ** 2)
    rng = np.random.default_rng(l1 + 10 * l2 + 100 * lo)
    x1 = rng.standard_normal((rows, (l1 + 1) ** 2)).astype(dtype)
    x2 = rng.standard_normal((rows, (l2 + 1) ** 2)).astype(dtype)
    ref = np.einsum("bi,bj,ijk->bk", x1.astype(np.float64), x2.astype(np.float64), g)
    scale = np.max(np.abs(ref))
    for kernel, args in ((gaunt_pairs_kernel, table.pairs()), (gaunt_outputs_kernel, table.outputs())):
        out = np.full((rows, (lo + 1) ** 2), np.nan, dtype=dtype)
        kernel(x1, x2, *args, 0, rows, block, out)
        assert np.max(np.abs(out - ref)) <= tol * scale, kernel
    for kernel in (gaunt_outputs64_kernel, gaunt_outputs128_kernel):  # constant blocks, the last one padded
        out = np.full((rows, (lo + 1) ** 2), np.nan, dtype=dtype)
        kernel(x1, x2, *table.outputs(), 0, rows, out)
        assert np.max(np.abs(out - ref)) <= tol * scale, kernel


def test_output_order_lists_every_term_once_by_output():
    sp, _ = _dense(4, 4, 8)
    t = pair_arrays(sp.k1, sp.k2, sp.k3, sp.values, "float64", symmetric=True, n_out=81)
    assert t.ostart[0] == 0 and t.ostart[-1] == t.values.size and t.ostart.size == 82
    k_of_term = np.repeat(np.arange(81), np.diff(t.ostart))
    run_of_term = np.repeat(np.arange(t.pk1.size), np.diff(t.runs))
    # the same (run, output, value) triples in both orders
    a = sorted(zip(run_of_term.tolist(), t.k3.tolist(), t.values.tolist()))
    b = sorted(zip(t.orun.tolist(), k_of_term.tolist(), t.ovalues.tolist()))
    assert a == b


@pytest.mark.parametrize("dtype, tol", [("float64", 1e-13), ("float32", 1e-5)])
def test_contract_on_constant_blocks_matches_the_dense_contraction(dtype, tol):
    # 325 pairs (L = 4) over 600 rows: contract takes the constant-block kernel of the dtype
    # (64 or 128 rows, the last block padded); a partial range starting mid-array as a worker's chunk
    sp, g = _dense(4, 4, 8)
    table = pair_tables(4, 4, 8, dtype)
    assert _SHORT_BLOCK_PAIRS[0] <= table.pk1.size <= _SHORT_BLOCK_PAIRS[1]
    rng = np.random.default_rng(7)
    x1, x2 = (rng.standard_normal((700, 25)).astype(dtype) for _ in range(2))
    ref = np.einsum("bi,bj,ijk->bk", x1.astype(np.float64), x2.astype(np.float64), g)
    out = np.full((700, 81), np.nan, dtype=dtype)
    contract(x1, x2, table, 0, 37, 128, out)
    contract(x1, x2, table, 37, 637, 128, out)
    contract(x1, x2, table, 637, 700, 128, out)
    assert np.max(np.abs(out - ref)) <= tol * np.max(np.abs(ref))
