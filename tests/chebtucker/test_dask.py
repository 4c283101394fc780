"""ChebTucker evaluation and the direct sum on dask arrays of points (chunk-wise, lazy)."""

import numpy as np
import pytest

from specnum.chebtucker import ChebTucker, direct_potential

da = pytest.importorskip("dask.array")


@pytest.fixture(scope="module")
def gaussian():
    return ChebTucker.from_function(lambda x, y, z: np.exp(-(x * x + 2 * y * y + z * z)), ((-2, 2),) * 3, 24)


def test_values_and_gradient_chunkwise(gaussian):
    pts = np.random.default_rng(0).uniform(-2, 2, (3000, 3))
    lazy = da.from_array(pts, chunks=(700, 2))
    values = gaussian(lazy)
    grads = gaussian.gradient(lazy)
    assert isinstance(values, da.Array) and values.shape == (3000,)
    assert grads.shape == (3000, 3)
    np.testing.assert_array_equal(values.compute(), gaussian(pts))
    np.testing.assert_array_equal(grads.compute(), gaussian.gradient(pts))


def test_direct_potential_chunkwise():
    rng = np.random.default_rng(1)
    pos, q = rng.uniform(-1, 1, (40, 3)), rng.normal(size=40)
    targets = rng.uniform(-2, 2, (2, 500, 3))
    lazy = direct_potential(pos, q, da.from_array(targets, chunks=(1, 128, 3)))
    assert isinstance(lazy, da.Array) and lazy.shape == (2, 500)
    np.testing.assert_array_equal(lazy.compute(), direct_potential(pos, q, targets))
