"""gaunt_product on dask arrays: lazy, chunk-wise over the batch axes, same numbers as numpy."""

import numpy as np
import pytest

from specnum.gaunt import gaunt_product

da = pytest.importorskip("dask.array")


def test_chunked_product_equals_numpy_product():
    rng = np.random.default_rng(0)
    x1 = rng.normal(size=(3, 400, 9))
    x2 = rng.normal(size=(400, 16))  # broadcasts against x1's batch axes
    lazy = gaunt_product(da.from_array(x1, chunks=(1, 150, 4)), da.from_array(x2, chunks=(100, 16)))
    assert isinstance(lazy, da.Array) and lazy.shape == (3, 400, 36)
    # chunk-wise evaluation must not change a single bit of the row-independent computation
    np.testing.assert_array_equal(lazy.compute(), gaunt_product(x1, x2))


def test_float32_and_lmax_out_pass_through():
    x = np.random.default_rng(1).normal(size=(64, 4)).astype(np.float32)
    lazy = gaunt_product(da.from_array(x, chunks=16), x, lmax_out=1)
    assert lazy.dtype == np.float32 and lazy.shape == (64, 4)
    np.testing.assert_array_equal(lazy.compute(), gaunt_product(x, x, lmax_out=1))


def test_bad_input_raises_before_compute():
    good = da.zeros((10, 9), chunks=5)
    with pytest.raises(ValueError, match="x1"):
        gaunt_product(da.zeros((10, 8), chunks=5), good)
    with pytest.raises(ValueError, match="method"):
        gaunt_product(good, good, method="fast")
    with pytest.raises(ValueError, match="lmax_out"):
        gaunt_product(good, good, lmax_out=-1)
    with pytest.raises(TypeError, match="x2"):
        gaunt_product(good, da.zeros((10, 9), chunks=5, dtype=complex))
    # L1 + L2 = 65 + 64 = 129 > MAX_TABLE_DEGREE: refused up front, not at compute time
    with pytest.raises(ValueError, match="x1 and x2"):
        gaunt_product(da.zeros((2, 66**2), chunks=1), da.zeros((2, 65**2), chunks=1), method="fourier")
